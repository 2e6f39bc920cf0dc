"""Kept earlier versions of what people write: a claim's wording, a statement's words, a
source's details, a link's stance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .users import User


class Revision(Base):
    """One version of one thing, as it stood after a change: ``values`` holds every field
    tracked for its kind (``services.revisions.TRACKED``). The first revision is the thing as
    entered; the newest is the thing as it is. Append-only: never updated, never deleted."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id", "number", name="uq_revisions_subject_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``claim``, ``statement``, ``source`` or ``link``.
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    #: 1 for the thing as entered, then 2, 3… (a statement's and a source's ``version``).
    number: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Why it changed, as the person said. Public when the change was a correction of
    #: something readers saw (a published claim's wording).
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(String(20), default="web")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
