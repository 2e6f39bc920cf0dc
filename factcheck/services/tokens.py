"""API tokens: issue, list, revoke, and recognise a bearer secret.

A token's secret is shown once, when it is made, and never stored: the table keeps its SHA-256
(``token_hash``) and its first characters (``prefix``) to tell tokens apart in listings. The
secrets are 256 random bits, so a plain (unsalted, fast) hash is enough: there is nothing to
guess, unlike a password, and a fast hash lets every API request be checked by one indexed
lookup. A token acts with its user's *current* role, so demoting or deactivating a user
changes what their tokens may do at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, joinedload

from ..driver import first_row
from ..errors import Forbidden, ValidationError
from ..models import ApiToken, Role, User, utc_from_driver, utcnow
from . import audit
from .actor import Actor
from .lookup import get_or_not_found
from .validation import clean_text

#: Marks a string as one of our secrets (secret scanners can be taught the pattern).
SECRET_PREFIX = "fct_"
#: How much of the secret is kept in the clear to tell tokens apart: the marker plus 6.
PREFIX_LENGTH = len(SECRET_PREFIX) + 6
#: ``last_used_at`` is written at most this often per token, so that a busy integration does
#: not turn every read into a write.
USE_RECORD_INTERVAL = timedelta(minutes=1)
MAX_NAME_LENGTH = 200
#: Longer than any secret we issue; anything longer is refused before hashing.
MAX_SECRET_LENGTH = 200


def hash_secret(secret: str) -> str:
    """The stored form of a secret: hex SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _may_manage(actor: Actor, owner: User) -> None:
    """Admins manage every token, a user their own; the operator at the command line
    (a system actor, with no user) manages all."""
    if actor.user is None or actor.role.at_least(Role.ADMIN):
        return
    if actor.user.id != owner.id:
        raise Forbidden("Only admins can manage other people's API tokens.")


def create_token(session: Session, owner: User, actor: Actor, *, name: str = "") -> tuple[ApiToken, str]:
    """Issue a token for ``owner``; returns the row and the secret, which is never seen again."""
    _may_manage(actor, owner)
    if not owner.active:
        raise ValidationError(
            f"{owner.email} is deactivated; reactivate the account before issuing a token.",
            {"email": "deactivated account"},
        )
    name = clean_text(name, "name", max_length=MAX_NAME_LENGTH, required=False)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        token_hash=hash_secret(secret),
        created_at=utcnow(),
    )
    session.add(token)
    session.flush()
    audit.record(
        session, "token.create", actor=actor, subject_type="api_token", subject_id=token.id,
        detail=f"{token.prefix}… for {owner.email}" + (f" ({name})" if name else ""),
    )
    return token, secret


def list_tokens(session: Session, *, owner: User | None = None, include_revoked: bool = True) -> list[ApiToken]:
    """Tokens, newest first, each with its user loaded (for listings)."""
    stmt = select(ApiToken).options(joinedload(ApiToken.user)).order_by(ApiToken.id.desc())
    if owner is not None:
        stmt = stmt.where(ApiToken.user_id == owner.id)
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked_at.is_(None))
    return list(session.scalars(stmt))


def get_token(session: Session, token_id: int) -> ApiToken:
    return get_or_not_found(session, ApiToken, token_id, "API token")


def revoke_token(session: Session, token: ApiToken, actor: Actor) -> bool:
    """Revoke ``token`` from now on. False (and nothing written) if it already was."""
    _may_manage(actor, token.user)
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    session.flush()
    audit.record(
        session, "token.revoke", actor=actor, subject_type="api_token", subject_id=token.id,
        detail=f"{token.prefix}… of {token.user.email}",
    )
    return True


@dataclass(frozen=True)
class LiveToken:
    """A live token and what a request needs of its user, read in one indexed statement."""

    id: int
    user_id: int
    #: The user's role, email and name.
    role: Role
    user_email: str
    user_name: str
    last_used_at: datetime | None


#: The live token of a digest, with what a request needs of its user: one row by the unique
#: index on the digest. Plain SQL, run on the driver (``driver.first_row``): it is read before every
#: API request.
LIVE_TOKEN_SQL = (
    "SELECT api_tokens.id, api_tokens.token_hash, api_tokens.user_id, users.role, users.email,"
    " users.name, api_tokens.last_used_at"
    " FROM api_tokens JOIN users ON users.id = api_tokens.user_id"
    " WHERE api_tokens.token_hash = ? AND api_tokens.revoked_at IS NULL AND users.active"
)


def authenticate(db: Session | Connection, secret: str) -> LiveToken | None:
    """The live token whose secret this is, with what a request needs of its user; None for
    anything else (unknown, revoked, or its user deactivated). Reads only: see ``record_use``.

    ``db`` may be a plain connection: the API gate runs this outside any session
    (``factcheck.direct``)."""
    if not secret or len(secret) > MAX_SECRET_LENGTH or not secret.isascii():
        return None
    digest = hash_secret(secret)
    row = first_row(db.connection() if isinstance(db, Session) else db, LIVE_TOKEN_SQL, (digest,))
    # The lookup is by an index on the digest; compare again in constant time so that the
    # decision does not hinge on how the database compared strings.
    if row is None or not hmac.compare_digest(row[1], digest):
        return None
    token_id, _digest, user_id, role, email, name, last_used_at = row
    return LiveToken(token_id, user_id, Role(role), email, name, utc_from_driver(last_used_at))


def use_is_stale(token: LiveToken, *, now: datetime | None = None) -> bool:
    """Whether ``last_used_at`` is old enough to be written again."""
    now = now or utcnow()
    return token.last_used_at is None or token.last_used_at <= now - USE_RECORD_INTERVAL


def record_use(db: Session | Connection, token_id: int, *, now: datetime | None = None) -> bool:
    """Set ``last_used_at`` unless it was set less than a minute ago; True if written.

    Kept apart from ``authenticate`` so that callers can look a token up without writing and
    write only in the rare case that this has something to write. The condition sits in the
    UPDATE, so concurrent requests write once.
    """
    now = now or utcnow()
    result = db.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - USE_RECORD_INTERVAL),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
