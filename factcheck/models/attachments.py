"""Evidence files attached to a claim, or to one of its status changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .claims import Claim, StatusChange
from .users import User


class Attachment(Base):
    """A file kept as evidence: its bytes in the file store (``factcheck.storage``) under
    ``sha256``; what it is, who added it and whether readers may see it, here.

    Private to the desk unless an editor marks it public; readers see a public one only while
    its claim is published. Its type is what its bytes are (``services.attachments.sniff``),
    never what its name says."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
        Index("ix_attachments_claim_id", "claim_id", "id"),
        Index("ix_attachments_status_change_id", "status_change_id"),
        Index("ix_attachments_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    #: The status change it is evidence for (of the same claim), or None: the claim's.
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id"))
    #: The key of its bytes in the file store.
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    #: The type its content was found to be (``application/pdf``, ``image/png``…): what it is
    #: served as.
    content_type: Mapped[str] = mapped_column(String(100))
    #: The name it was uploaded under, made safe (no folders, no control characters).
    filename: Mapped[str] = mapped_column(String(255))
    #: What it is, for colleagues (and for readers once it is public).
    description: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The last time an editor marked it public or private, and who.
    public_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    public_changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: ``web``, ``api``…
    via: Mapped[str] = mapped_column(String(20), default="web")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship()
    status_change: Mapped[StatusChange | None] = relationship()
    added_by: Mapped[User | None] = relationship(foreign_keys=[added_by_id])
    public_changed_by: Mapped[User | None] = relationship(foreign_keys=[public_changed_by_id])
