"""Who is calling the API: a bearer token, or nobody.

``Authorization: Bearer <secret>`` is looked up before any view runs (``framework._gate``), before the
request's own session opens, on the autocommit connection of ``factcheck.direct``: one indexed
statement that returns the token with what the request needs of its user (id, role, name,
email), and, at most once a minute per token, a second that marks its last use. The request's
session then adopts the user without reading it again (``current_actor``).

A header that is present but wrong (another scheme, an unknown or revoked secret, a deactivated
user) is refused with 401 even on public reads: a client that meant to authenticate should learn
that it did not, rather than silently see the public view.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from sqlalchemy.engine import Connection
from sqlalchemy.orm import make_transient_to_detached
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from ..db import get_session
from ..models import Role, User
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
    #: The token's user, as the responses show them (desk only).
    email: str = ""
    name: str = ""
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


def identify_request(connection: Connection) -> Identity:
    """Look the bearer token up (if any) on ``connection`` (autocommit, outside the request's
    transaction), mark its use when due, and remember the result for this request."""
    header = request.headers.get("Authorization")
    if header is None:
        identity = ANONYMOUS
    else:
        scheme, _, secret = header.strip().partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret:
            identity = Identity(presented=True, problem="Send the token as `Authorization: Bearer <token>`.")
        else:
            token = tokens.authenticate(connection, secret)
            if token is None:
                identity = Identity(
                    presented=True, problem="This token is unknown, revoked, or its user is deactivated."
                )
            else:
                identity = Identity(
                    presented=True, token_id=token.id, user_id=token.user_id, role=token.role,
                    email=token.user_email, name=token.user_name,
                )
                if tokens.use_is_stale(token):
                    tokens.record_use(connection, token.id)
    g.api_identity = identity
    return identity


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
    """The token's user, in the request's session, as an acting ``Actor``.

    Built from what the token's lookup read (an active user: ``tokens.authenticate`` finds no
    other) and handed to the session as already loaded: no query. Anything else of the user
    is loaded on first use. Kept in ``g`` too, because a session holds its objects weakly and
    the response may still read it (who made a status change)."""
    ident = identity()
    require_member()
    user = g.get("api_user")
    if user is None:
        session = get_session()
        user = session.identity_map.get(session.identity_key(User, ident.user_id))
        if user is None:  # the usual case: handed to the session as loaded, no query
            user = User(id=ident.user_id, email=ident.email, name=ident.name, role=ident.role, active=True)
            make_transient_to_detached(user)
            session.add(user)
        g.api_user = user
    return Actor.of(user, via="api")


def is_member() -> bool:
    """Whether the caller is someone on the desk (any role), not a reader."""
    return identity().authenticated


def is_editor() -> bool:
    """Whether the caller may see what only editors see (sealed identities)."""
    role = identity().role
    return role is not None and role.at_least(Role.EDITOR)
