"""Who is calling the API: a bearer token, or nobody.

``Authorization: Bearer <secret>`` is looked up before any view runs (see
``framework._gate``), before the request's own session opens. A write is identified in its
gate transaction (with the rate-limit count and, at most once a minute, ``last_used_at``); a
read looks its token up in a short read-only transaction and writes ``last_used_at``, when due,
in a write transaction of its own: on SQLite a read transaction that later writes can fail
outright when another worker wrote in between, and a request must not wait on its own lock.

A header that is present but wrong (another scheme, an unknown or revoked secret, a deactivated
user) is refused with 401 even on public reads: a client that meant to authenticate should learn
that it did not, rather than silently see the public view.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from sqlalchemy.orm import Session

from ..db import get_database, get_session
from ..models import Role
from ..services import Actor, tokens

REALM = "factcheck API"


@dataclass(frozen=True)
class Identity:
    """What the request's credentials turned out to be."""

    #: An Authorization header was sent.
    presented: bool = False
    token_id: int | None = None
    user_id: int | None = None
    role: Role | None = None
    problem: str = ""

    @property
    def authenticated(self) -> bool:
        return self.token_id is not None

    @property
    def rate_key(self) -> str:
        """Writes are counted per token, and per address for everything else."""
        if self.token_id is not None:
            return f"token:{self.token_id}"
        return f"addr:{request.remote_addr or 'unknown'}"


ANONYMOUS = Identity()


def _challenge(error: str | None) -> WWWAuthenticate:
    values = {"realm": REALM}
    if error:
        values["error"] = error
    return WWWAuthenticate("bearer", values)


def identify_request(session: Session | None = None) -> Identity:
    """Look the bearer token up (if any) and remember the result for this request; in
    ``session`` when given (a write's gate transaction), else in a read transaction."""
    header = request.headers.get("Authorization")
    if header is None:
        identity = ANONYMOUS
    else:
        scheme, _, secret = header.strip().partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            identity = Identity(presented=True, problem="Send the token as `Authorization: Bearer <token>`.")
        elif session is not None:
            identity, use_due = _lookup(session, secret)
            if use_due:
                tokens.record_use(session, identity.token_id)  # type: ignore[arg-type]
        else:
            database = get_database()
            with database.read_sessions() as read:
                identity, use_due = _lookup(read, secret)
            if use_due:
                with database.transaction() as write:
                    tokens.record_use(write, identity.token_id)  # type: ignore[arg-type]
    g.api_identity = identity
    return identity


def _lookup(session: Session, secret: str) -> tuple[Identity, bool]:
    """Who the secret belongs to, and whether its last use is due to be written."""
    token = tokens.authenticate(session, secret)
    if token is None:
        return Identity(presented=True, problem="This token is unknown, revoked, or its user is deactivated."), False
    # The user as loaded with the token: the request's session adopts it (``current_actor``)
    # instead of reading it again.
    g.api_user = token.user
    identity = Identity(presented=True, token_id=token.id, user_id=token.user_id, role=token.user.role)
    return identity, tokens.use_is_stale(token)


def identity() -> Identity:
    return g.get("api_identity", ANONYMOUS)


def refuse_bad_token() -> None:
    """401 for an Authorization header that did not authenticate."""
    ident = identity()
    if ident.presented and not ident.authenticated:
        raise Unauthorized(ident.problem, www_authenticate=_challenge("invalid_token"))


def require_member(what: str = "This") -> int:
    """The token's user id; 401 unless a valid token was sent (writes, non-public reads).
    ``what`` names what needs the token, for the problem's detail."""
    user_id = identity().user_id
    if user_id is None:
        raise Unauthorized(
            f"{what} needs an API token: send `Authorization: Bearer <token>`.", www_authenticate=_challenge(None)
        )
    return user_id


def current_actor() -> Actor:
    """The token's user, in the request's session, as an acting ``Actor``."""
    require_member()
    # Loaded a moment ago with the token (expire_on_commit is off, so its attributes are
    # there): merged without a query. Kept in ``g`` too, because a session holds its objects
    # weakly and the response may still read it (who made a status change).
    user = g.api_user = get_session().merge(g.api_user, load=False)
    return Actor.of(user, via="api")

def is_member() -> bool:
    """Whether the caller is someone on the desk (any role), not a reader."""
    return identity().authenticated


def is_editor() -> bool:
    """Whether the caller may see what only editors see (sealed identities)."""
    role = identity().role
    return role is not None and role.at_least(Role.EDITOR)
