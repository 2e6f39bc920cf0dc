"""Who may get in and what they did: login attempts, API tokens, rate limits, audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow
from .users import User


class LoginAttempt(Base):
    """One sign-in attempt. Throttling counts recent failures per account and per address,
    in the database, so that the limit holds across server workers."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: As typed (lower-cased), whether or not such an account exists.
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignInThrottle(Base):
    """Failed attempts at a password, counted where throttling decides: one row per address
    (``email`` empty) and one per account from an address. The row is locked while an attempt
    is decided and its password checked, so that parallel guesses cannot all pass on the same
    count (``services.signin``). Bookkeeping, not the newsroom's data."""

    __tablename__ = "signin_throttle"
    __table_args__ = (
        UniqueConstraint("address", "email", name="uq_signin_throttle_address_email"),
        Index("ix_signin_throttle_email", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    #: The account as typed (lower-cased), whether or not it exists; "" for the address's own
    #: count, over every account.
    email: Mapped[str] = mapped_column(String(254), default="")
    #: Failures since the count was last cleared (a success, an admin's unlock, or a window
    #: with no failure).
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A bearer token for the JSON API. Only a SHA-256 of the secret is stored; the secret is
    shown once, at creation. A token acts with its user's role."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    #: First characters of the secret, to tell tokens apart in listings.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RateLimitCounter(Base):
    """A fixed-window hit counter, for rate limits held in the database when no Redis is
    configured."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    #: Start of the window, in whole seconds since the epoch.
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Who did what, when, from where: one event per change, append-only. Every write of the
    services records its event (sign-ins, accounts and tokens too)."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_at", "at", "id"),
        Index("ix_audit_events_subject", "subject_type", "subject_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: Who acted when no user did, or the email typed at a failed sign-in.
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    #: Dotted verb: ``auth.login``, ``auth.login_failed``, ``user.role``, ``token.create``,
    #: ``claim.status``…
    action: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(40), default="")
    subject_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    #: What changed: ``{field: [before, after]}`` (values as JSON), or None for acts that
    #: change no field (a sign-in).
    changes: Mapped[dict[str, list[object]] | None] = mapped_column(JSON)
    address: Mapped[str] = mapped_column(String(64), default="")

    actor: Mapped[User | None] = relationship()
