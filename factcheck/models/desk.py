"""The desk as a team's workspace: notes, watching, the inbox, sign-off, the outbox and
webhooks, saved filters, and a verdict's ClaimReview details."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, str_enum, utcnow
from .claims import Claim, StatusChange
from .enums import SignoffKind, SignoffState
from .sources import Source
from .users import User


class Note(Base):
    """A note on a claim, for colleagues only: never shown to readers. Its author may edit or
    delete it for 15 minutes; an edit is shown as such (the earlier words kept as revisions)."""

    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_claim_id", "claim_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship()
    claim: Mapped[Claim] = relationship()
    mentions: Mapped[list[NoteMention]] = relationship(cascade="all, delete-orphan", order_by="NoteMention.id")


class NoteMention(Base):
    """``@name`` in a note: the person is told, and watches the claim from then on."""

    __tablename__ = "note_mentions"
    __table_args__ = (UniqueConstraint("note_id", "user_id", name="uq_note_mentions_note_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    user: Mapped[User] = relationship()


class Watch(Base):
    """Who follows a claim: whoever created it, was assigned it, noted on it, was mentioned on
    it, or clicked "watch". What changes on it reaches them (``Notification``)."""

    __tablename__ = "watches"
    __table_args__ = (
        UniqueConstraint("user_id", "claim_id", name="uq_watches_user_claim"),
        Index("ix_watches_claim_id", "claim_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    #: ``created``, ``assigned``, ``noted``, ``mentioned``, ``clicked``.
    reason: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the person last opened the claim: what changed after it is unread.
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Notification(Base):
    """One thing a person must look at: in the app (the header's unread count, "my work") and,
    as they choose, by e-mail."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_unread", "user_id", "read_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    #: ``mention``, ``assignment``, ``signoff``, ``returned``, ``change``, ``source_changed``…
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it went out by e-mail (immediately, or in a digest); None until then.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    claim: Mapped[Claim | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class Signoff(Base):
    """A verdict waiting for a second editor before readers see it: a verdict set on a published
    claim, or the publishing of a claim that has one. Readers keep the previous public state
    until an editor other than the one who set the verdict approves it."""

    __tablename__ = "signoffs"
    __table_args__ = (
        Index("ix_signoffs_pending", "state", "requested_at", "id"),
        Index("ix_signoffs_claim_id", "claim_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    kind: Mapped[SignoffKind] = mapped_column(str_enum(SignoffKind, "signoff_kind"))
    state: Mapped[SignoffState] = mapped_column(str_enum(SignoffState, "signoff_state"))
    #: The change that set the verdict waiting for approval.
    status_change_id: Mapped[int] = mapped_column(ForeignKey("status_changes.id"))
    #: Who set the verdict (and so may not approve it), and who asked for the publication.
    verdict_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Internal: why it was sent back (or a word on the approval).
    note: Mapped[str] = mapped_column(Text, default="")

    claim: Mapped[Claim] = relationship()
    change: Mapped[StatusChange] = relationship()
    verdict_by: Mapped[User | None] = relationship(foreign_keys=[verdict_by_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class OutboxEvent(Base):
    """Something someone outside the request must hear of — a notification to send by e-mail,
    a webhook event, a front-cache refresh — written in the same transaction as the change and
    delivered afterwards by the job worker (``factcheck.jobs``): never lost if a receiver is
    down, never slowing the request."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_undelivered", "next_attempt_at", "id", sqlite_where=text("delivered_at IS NULL"),
              postgresql_where=text("delivered_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``email``, ``webhook``, ``cache``.
    channel: Mapped[str] = mapped_column(String(20))
    #: The event: ``claim.status``, ``claim.published``, ``claim.correction``, ``mention``…
    event: Mapped[str] = mapped_column(String(40))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"))
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id", ondelete="SET NULL"))
    webhook_id: Mapped[int | None] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Given up on after the last retry: kept, with its last error.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")


class Webhook(Base):
    """An outgoing webhook an admin registered: JSON events, signed with HMAC-SHA256 over the
    body with its own secret."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    #: Shown once, kept to sign (it has to be: the receiver checks the signature with it).
    secret: Mapped[str] = mapped_column(String(100))
    #: The events it receives (``claim.status``, ``claim.published``, ``claim.correction``).
    events: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One attempt to deliver an event to a webhook: the delivery history on the admin page."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_webhook_id", "webhook_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"))
    attempt: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)


class SavedFilter(Base):
    """A queue or desk view a person saved under a name (its query string)."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_filters_user_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    #: ``editor.queue`` or ``checker.claims``.
    page: Mapped[str] = mapped_column(String(40))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewDetails(Base):
    """What a verdict's ClaimReview says beyond the claim itself, as an editor set it on the
    claim page: who made the claim, where it appeared, the rating's explanation. Without it the
    export derives them from the claim's statements."""

    __tablename__ = "review_details"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    appearance_url: Mapped[str | None] = mapped_column(String(2000))
    explanation: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claimant: Mapped[Source | None] = relationship()
