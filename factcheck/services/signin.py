"""Signing in: password check, throttling per account and per address, the audit trail.

Attempts are written in their own transaction (the caller passes a session it commits even
when the sign-in fails), so that throttling holds across server workers and survives the
failed request being rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import LoginAttempt, User, utcnow
from . import audit
from .users import MAX_PASSWORD_LENGTH, get_user_by_email, hasher, verify_password

#: A hash of a random password, verified against when the account does not exist, so that a
#: missing account takes as long to refuse as a wrong password (no enumeration by timing).
_DUMMY_HASH = hasher.hash("not a real password, only here to spend the same time")

GENERIC_FAILURE = "Email or password is incorrect."


@dataclass(frozen=True)
class Throttle:
    max_per_account: int
    max_per_address: int
    window_seconds: int


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: str | None = None


def _recent_failures(session: Session, column: object, value: str, window: int) -> int:
    since = utcnow() - timedelta(seconds=window)
    return session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.success.is_(False), LoginAttempt.at >= since)
    ) or 0


def is_throttled(session: Session, email: str, address: str, throttle: Throttle) -> bool:
    return (
        _recent_failures(session, LoginAttempt.email, email, throttle.window_seconds) >= throttle.max_per_account
        or _recent_failures(session, LoginAttempt.address, address, throttle.window_seconds)
        >= throttle.max_per_address
    )


def sign_in(session: Session, email: str, password: str, address: str, throttle: Throttle) -> SignInResult:
    """Check the credentials; record the attempt; never say whether the account exists."""
    email = (email or "").strip().lower()[:254]
    address = (address or "unknown")[:64]
    if is_throttled(session, email, address, throttle):
        audit.record(session, "auth.login_throttled", actor_label=email, address=address)
        minutes = max(1, throttle.window_seconds // 60)
        return SignInResult(None, f"Too many failed sign-ins. Try again in {minutes} minutes.")

    user = get_user_by_email(session, email) if email else None
    if user is not None and user.active:
        ok = verify_password(user, password or "")
    else:
        if isinstance(password, str) and len(password) <= MAX_PASSWORD_LENGTH:
            try:
                hasher.verify(_DUMMY_HASH, password)
            except Exception:  # noqa: BLE001 - always fails; only the time spent matters
                pass
        ok = False

    session.add(LoginAttempt(email=email, address=address, success=ok, at=utcnow()))
    if not ok:
        audit.record(session, "auth.login_failed", actor_label=email, address=address)
        return SignInResult(None, GENERIC_FAILURE)
    assert user is not None
    audit.record(session, "auth.login", actor=user, address=address)
    return SignInResult(user)
