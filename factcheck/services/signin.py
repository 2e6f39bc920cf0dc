"""Password attempts: signing in, and the "current password" of the password page.

Throttled per account from one address and per address, with growing delays rather than a
lock: after ``Throttle.free_per_account`` failures at an account from one address (or
``free_per_address`` failures from one address at any accounts), each further attempt from
that address waits ``first_delay`` seconds, then twice as long after each new failure, up to
``max_delay``. Someone guessing from elsewhere never keeps the account's owner out: their
count is another row. An admin clears an account's counts (``unlock_account``).

Counting and deciding are one atomic step across server processes: the counts' rows are
locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write transactions, ``BEGIN
IMMEDIATE``, run one at a time) from before the decision until the attempt's outcome is
written, so 64 parallel guesses get no more password checks than the limit. An attempt that
is held back checks no password at all.

The caller passes a write session it commits even when the attempt fails (its own
transaction), so that the counts and the audit trail survive the failed request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import LoginAttempt, Role, User, utcnow
from ..models.security import SignInThrottle
from . import audit, users
from .actor import Actor

GENERIC_FAILURE = "Email or password is incorrect."
WRONG_CURRENT = "Your current password is not right. Nothing was changed: type it again."
NEW_DIFFER = "The two new passwords differ. Nothing was changed: type the new one twice, the same."
MISSING = "Type your email address and your password."


@dataclass(frozen=True)
class Throttle:
    #: Failures at one account from one address before delays begin.
    free_per_account: int
    #: Failures from one address, at any accounts, before delays begin.
    free_per_address: int
    #: A count is forgotten after this many seconds without a new failure (counted from the
    #: end of its delay, if it has one).
    window_seconds: int
    #: The first delay, in seconds; each further failure doubles it.
    first_delay: int = 1
    #: The longest delay, in seconds (never longer than the window).
    max_delay: int = 900

    @classmethod
    def from_config(cls, config: Any) -> Throttle:
        """The throttle the application's settings describe (``LOGIN_*`` in config.py)."""
        return cls(
            free_per_account=int(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]),
            free_per_address=int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
            window_seconds=int(config["LOGIN_THROTTLE_WINDOW"]),
            first_delay=int(config.get("LOGIN_DELAY_SECONDS", 1)),
            max_delay=int(config.get("LOGIN_MAX_DELAY", 900)),
        )

    def delay_after(self, failures: int, free: int) -> float:
        """Seconds to wait after the last of ``failures`` failures, ``free`` of them free."""
        if failures < free:
            return 0.0
        cap = max(0, min(self.max_delay, self.window_seconds))
        exponent = failures - free
        if exponent >= 40:  # 2**40 seconds is past any cap
            return float(cap)
        return float(min(cap, max(0, self.first_delay) * 2**exponent))


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    error: str | None = None
    #: Seconds until the next attempt is worth making, when this one was held back.
    retry_after: int | None = None

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


@dataclass
class _Buckets:
    """The locked counts an attempt is decided on."""

    address: SignInThrottle
    account: SignInThrottle | None
    now: datetime


def _clean(email: str, address: str) -> tuple[str, str]:
    email = (email if isinstance(email, str) else "").strip().lower()[:254]
    address = ((address if isinstance(address, str) else "") or "unknown")[:64]
    return email, address


def _lock(session: Session, address: str, email: str | None) -> list[SignInThrottle]:
    """The rows of ``address`` (and of ``email`` from it), created if missing, locked until
    the transaction ends. Always the address's row first: one order, no deadlock."""
    keys = [(address, "")] + ([(address, email)] if email else [])
    return [_locked_row(session, addr, mail) for addr, mail in keys]


def _locked_row(session: Session, address: str, email: str) -> SignInThrottle:
    query = (
        select(SignInThrottle)
        .where(SignInThrottle.address == address, SignInThrottle.email == email)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = session.scalars(query).one_or_none()
    if row is None:
        # A first attempt from here: create the row (or find that a parallel attempt just
        # did — the insert then waits for it and does nothing), then lock it like any other.
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(
            insert(SignInThrottle)
            .values(address=address, email=email, failures=0, last_failure_at=None)
            .on_conflict_do_nothing(index_elements=["address", "email"])
        )
        row = session.scalars(query).one()
    return row


def _take(session: Session, email: str, address: str) -> _Buckets:
    rows = _lock(session, address, email)
    return _Buckets(address=rows[0], account=rows[1] if len(rows) > 1 else None, now=utcnow())


def _current_failures(row: SignInThrottle, now: datetime, throttle: Throttle, free: int) -> int:
    """The row's count, or 0 once a whole window has passed since its delay ended (since the
    last failure, while failures are still free)."""
    if row.last_failure_at is None:
        return 0
    quiet = (now - row.last_failure_at).total_seconds() - throttle.delay_after(row.failures, free)
    return 0 if quiet >= throttle.window_seconds else row.failures


def _wait(buckets: _Buckets, throttle: Throttle) -> tuple[float, str]:
    """Seconds still to wait, and which count holds the attempt back ("" if none)."""
    waits = []
    for row, free, which in (
        (buckets.account, throttle.free_per_account, "account"),
        (buckets.address, throttle.free_per_address, "address"),
    ):
        if row is None:
            continue
        failures = _current_failures(row, buckets.now, throttle, free)
        if failures >= free and row.last_failure_at is not None:
            until = row.last_failure_at + timedelta(seconds=throttle.delay_after(failures, free))
            remaining = (until - buckets.now).total_seconds()
            if remaining > 0:
                waits.append((remaining, which))
    return max(waits) if waits else (0.0, "")


def _failed(buckets: _Buckets, throttle: Throttle) -> None:
    for row, free in ((buckets.address, throttle.free_per_address), (buckets.account, throttle.free_per_account)):
        if row is None:
            continue
        row.failures = _current_failures(row, buckets.now, throttle, free) + 1
        row.last_failure_at = buckets.now


def _succeeded(buckets: _Buckets) -> None:
    """The right password: this account's count from this address starts again. The address's
    own count does not (one's own account must not buy more guesses at others')."""
    if buckets.account is not None:
        buckets.account.failures = 0
        buckets.account.last_failure_at = None


def say_wait(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def held_back_message(seconds: float, which: str) -> str:
    wait = say_wait(seconds)
    if which == "account":
        return (f"Too many failed sign-ins for this account from your address. Wait {wait} and try again; "
                f"each new failure makes the wait longer. If you have forgotten your password, ask an admin "
                f"to reset it (they can also unlock the account).")
    return (f"Too many failed sign-ins from your address. Wait {wait} and try again; each new failure "
            f"makes the wait longer.")


def sign_in(session: Session, email: str, password: str, address: str, throttle: Throttle) -> SignInResult:
    """Check the credentials; record the attempt; never say whether the account exists."""
    email, address = _clean(email, address)
    if not email or not isinstance(password, str) or not password:
        return SignInResult(None, MISSING)  # nothing was tried: no count, no password checked
    buckets = _take(session, email, address)
    seconds, which = _wait(buckets, throttle)
    if seconds > 0:
        audit.record(session, "auth.login_throttled", actor_label=email, address=address,
                     detail=f"held back {math.ceil(seconds)} s ({which})")
        return SignInResult(None, held_back_message(seconds, which), retry_after=math.ceil(seconds))

    user = users.get_user_by_email(session, email)
    ok = users.check_credentials(user, password)
    session.add(LoginAttempt(email=email, address=address, success=ok, at=buckets.now))
    if not ok:
        _failed(buckets, throttle)
        session.flush()
        audit.record(session, "auth.login_failed", actor_label=email, address=address)
        return SignInResult(None, GENERIC_FAILURE)
    assert user is not None
    _succeeded(buckets)
    session.flush()
    audit.record(session, "auth.login", actor=user, address=address)
    return SignInResult(user)


def change_own_password(
    session: Session, user: User, *, current: str, new: str, confirm: str, address: str, throttle: Throttle,
) -> SignInResult:
    """The password page: ``current`` is checked — and counted, and held back — like a
    sign-in's password, against the same counts; every failure and the change are audited.
    The new password is checked against the rules before the current one is tried, so a
    refusal of the new one costs no attempt."""
    email, address = _clean(user.email, address)
    if not isinstance(current, str) or not current:
        return SignInResult(None, "Type your current password, then the new one twice.")
    if new != confirm:
        return SignInResult(None, NEW_DIFFER)
    try:
        users.check_password(new, email=user.email)
    except ValidationError as error:
        return SignInResult(None, error.detail)
    buckets = _take(session, email, address)
    seconds, which = _wait(buckets, throttle)
    if seconds > 0:
        audit.record(session, "user.password_throttled", actor=user, subject_type="user", subject_id=user.id,
                     address=address, detail=f"held back {math.ceil(seconds)} s ({which})")
        wait = say_wait(seconds)
        return SignInResult(None, f"Too many wrong current passwords from your address. Wait {wait} and try "
                                  f"again; each new failure makes the wait longer.", retry_after=math.ceil(seconds))
    ok = users.verify_password(user, current)
    session.add(LoginAttempt(email=email, address=address, success=ok, at=buckets.now))
    if not ok:
        _failed(buckets, throttle)
        session.flush()
        audit.record(session, "user.password_failed", actor=user, subject_type="user", subject_id=user.id,
                     address=address, detail="wrong current password")
        return SignInResult(None, WRONG_CURRENT)
    _succeeded(buckets)
    users.set_password(session, user, new, address=address)  # audited there: "user.password"
    return SignInResult(user)


def unlock_account(session: Session, user: User, actor: Actor, address: str = "") -> int:
    """Clear the failed-attempt counts of ``user``'s account from every address (the page's
    Unlock button, ``flask user unlock``); returns how many failures were cleared. Audited as
    ``user.unlock``; nothing to clear, nothing written."""
    actor.require(Role.ADMIN, "unlock accounts")
    rows = session.scalars(
        select(SignInThrottle).where(SignInThrottle.email == user.email, SignInThrottle.failures > 0)
        .order_by(SignInThrottle.id).with_for_update()
    ).all()
    cleared = sum(row.failures for row in rows)
    if not cleared:
        return 0
    addresses = sorted(row.address for row in rows)
    for row in rows:
        row.failures = 0
        row.last_failure_at = None
    session.flush()
    audit.record(session, "user.unlock", actor=actor, subject_type="user", subject_id=user.id, address=address,
                 detail=f"cleared {cleared} failed attempt{'s' if cleared != 1 else ''} from {', '.join(addresses)}",
                 changes=audit.changes({"failed_attempts": cleared}, {"failed_attempts": 0}))
    return cleared


def throttled_accounts(session: Session, throttle: Throttle) -> dict[str, tuple[int, float]]:
    """For the users page: email → (failures still counted, seconds until the next attempt is
    allowed from the address that waits longest), for every account with failures counted."""
    now = utcnow()
    out: dict[str, tuple[int, float]] = {}
    rows = session.scalars(select(SignInThrottle).where(SignInThrottle.email != "", SignInThrottle.failures > 0))
    for row in rows:
        failures = _current_failures(row, now, throttle, throttle.free_per_account)
        if not failures:
            continue
        wait = 0.0
        if row.last_failure_at is not None:
            until = row.last_failure_at + timedelta(seconds=throttle.delay_after(failures, throttle.free_per_account))
            wait = max(0.0, (until - now).total_seconds())
        total, longest = out.get(row.email, (0, 0.0))
        out[row.email] = (total + failures, max(longest, wait))
    return out
