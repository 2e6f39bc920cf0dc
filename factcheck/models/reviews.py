"""ClaimReview items imported from other fact-checkers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .claims import Claim


class ImportedReview(Base):
    """One ClaimReview as a fact-checker published it, tied to the claim it created.

    Import is idempotent on the review's URL (normalised): importing the same feed again
    updates, never duplicates.
    """

    __tablename__ = "imported_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    review_url: Mapped[str] = mapped_column(String(2000), unique=True)
    publisher: Mapped[str] = mapped_column(String(300), default="")
    #: The verdict as published (``alternateName``), kept even when it maps to no status.
    original_rating: Mapped[str] = mapped_column(Text, default="")
    rating_value: Mapped[str | None] = mapped_column(String(40))
    best_rating: Mapped[str | None] = mapped_column(String(40))
    worst_rating: Mapped[str | None] = mapped_column(String(40))
    date_published: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The item as imported (JSON), for audit and re-mapping.
    raw: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship()
