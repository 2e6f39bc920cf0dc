"""Signing in and out, the signed-in user, and the role gates of every other blueprint.

Sessions are Flask's signed cookies, hardened: a fresh random session id at every sign-in, a
per-user nonce (rotated at logout, password change, role change and deactivation) that ends
every other session of the user, and idle and absolute timeouts.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from flask import Blueprint, Flask, abort, current_app, g, redirect, request, session, url_for
from flask_wtf.csrf import CSRFProtect

from ..db import get_session
from ..errors import Forbidden
from ..models import Role, User
from ..services import Actor

csrf = CSRFProtect()
F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: How often the idle clock in the cookie is refreshed (avoids a new cookie every request).
_SEEN_RESOLUTION = 60


def current_user() -> User | None:
    if "user" not in g:
        g.user = _load_user()
    return g.user


def current_actor() -> Actor:
    user = current_user()
    if user is None:
        raise Forbidden("Sign in first.")
    return Actor.of(user, via="web")


def _load_user() -> User | None:
    uid = session.get("uid")
    if uid is None:
        return None
    now = int(time.time())
    cfg = current_app.config
    expired = (
        now - int(session.get("seen_at", 0)) > cfg["SESSION_IDLE_TIMEOUT"]
        or now - int(session.get("login_at", 0)) > cfg["SESSION_ABSOLUTE_TIMEOUT"]
    )
    user = None if expired else get_session().get(User, uid)
    if user is None or not user.active or user.session_nonce != session.get("nonce"):
        session.clear()
        return None
    if now - int(session.get("seen_at", 0)) > _SEEN_RESOLUTION:
        session["seen_at"] = now
    return user


def start_session(user: User) -> None:
    """A brand-new session for ``user``: nothing carried over from before sign-in."""
    session.clear()
    now = int(time.time())
    session["sid"] = secrets.token_urlsafe(16)
    session["uid"] = user.id
    session["nonce"] = user.session_nonce
    session["login_at"] = now
    session["seen_at"] = now
    g.user = user


def end_session() -> None:
    session.clear()
    g.user = None


def safe_next(target: str | None) -> str | None:
    """``target`` if it stays on this site (a path, no scheme, no host), else None."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    joined = urlsplit(urljoin(request.host_url, target))
    host = urlsplit(request.host_url)
    if joined.scheme != host.scheme or joined.netloc != host.netloc:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    return target


def login_redirect() -> Any:
    """To the sign-in page — or, for a form sent once the sign-in lapsed, a page that keeps
    everything typed and lets the person sign in and send it again (``factcheck.resubmit``)."""
    if request.method not in SAFE_METHODS:
        from ..resubmit import keep_form

        return keep_form("Your sign-in lapsed before this was sent, so nothing was saved. Sign in again to save it.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def gate(bp: Blueprint, role: Role, *, open_endpoints: frozenset[str] = frozenset()) -> None:
    """Deny every view of ``bp`` to anyone below ``role``, except the listed open ones."""

    @bp.before_request
    def _require_role() -> Any:
        if request.endpoint in open_endpoints:
            return None
        user = current_user()
        if user is None:
            return login_redirect()
        if not user.role.at_least(role):
            abort(403, description=f"This page is for {role.value}s.")
        return None


def requires(role: Role) -> Callable[[F], F]:
    """A stricter gate on one view of a blueprint gated lower."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return login_redirect()
            if not user.role.at_least(role):
                abort(403, description=f"Only {role.value}s can do this.")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def init_app(app: Flask) -> None:
    from ..proxy import init_proxy
    from .views import bp

    # Sign-in throttling and the audit log key on the client's address: behind the documented
    # nginx it is the forwarded one (PROXY_HOPS). Idempotent, so create_app may call it too.
    init_proxy(app)
    csrf.init_app(app)

    @app.before_request
    def _csrf_for_forms() -> None:
        # The JSON API authenticates with bearer tokens, never cookies: no CSRF there.
        if (
            current_app.config.get("WTF_CSRF_ENABLED", True)
            and request.method not in SAFE_METHODS
            and not request.path.startswith("/api/")
        ):
            csrf.protect()

    @app.context_processor
    def _user_in_templates() -> dict[str, Any]:
        return {"current_user": current_user(), "Role": Role}

    app.register_blueprint(bp)
