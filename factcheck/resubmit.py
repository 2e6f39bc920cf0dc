"""A form sent after its sign-in lapsed is kept, not lost.

A form posted with a session that expired, a cookie that was lost, or a CSRF token that timed
out (an hour by default: a long reason takes time to write) used to answer "Bad Request (400)
The CSRF session token is missing" — and what the person typed was gone. Now the same page
answers with everything typed kept in a form of its own: signed in still, the person presses
"Save again" (the form carries a fresh token); signed out, they sign in on that page (or in
another tab) and the resubmission goes through. Passwords are never carried over.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, render_template, request

from .auth import current_user, start_session
from .db import get_database, get_session
from .models import User
from .services.signin import Throttle, sign_in

bp = Blueprint("resubmit", __name__)

#: Fields never written back into a page.
SECRET_FIELDS = frozenset({"csrf_token", "password", "current", "new", "confirm"})
#: The field carrying where the kept form goes.
TARGET = "_resubmit_to"


def kept_fields() -> list[tuple[str, str]]:
    """What was typed, in order, less the token and any password."""
    return [(name, value) for name, value in request.form.items(multi=True)
            if name not in SECRET_FIELDS and name != TARGET]


def _same_site(path: str) -> str | None:
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//"):
        return None
    return path


def keep_form(reason: str) -> tuple[str, int]:
    """The page that keeps a refused form (``reason``: why it was not saved)."""
    target = _same_site(request.path) or "/desk/"
    signed_in = current_user() is not None
    return render_template(
        "resubmit.html", fields=kept_fields(), target=target, reason=reason, signed_in=signed_in, error=None,
    ), 200 if signed_in else 401


def _throttle() -> Throttle:
    return Throttle.from_config(current_app.config)


@bp.post("/resubmit/sign-in")
def sign_in_and_keep() -> Any:
    """Sign in on the page that kept a form; the same page comes back, signed in, ready to save."""
    target = _same_site(request.form.get(TARGET, "")) or "/desk/"
    email = request.form.get("email", "")
    with get_database().transaction() as attempts:
        result = sign_in(attempts, email, request.form.get("password", ""), request.remote_addr or "", _throttle())
        user_id = result.user.id if result.user else None
    fields = [(name, value) for name, value in kept_fields() if name != "email"]
    if user_id is None:
        page = render_template("resubmit.html", fields=fields, target=target, email=email, signed_in=False,
                               reason="Sign in again to save it.", error=result.error)
        return Response(page, status=429 if result.throttled else 401)
    user = get_session().get(User, user_id)
    assert user is not None
    start_session(user)
    return render_template("resubmit.html", fields=fields, target=target, signed_in=True, error=None,
                           reason="You are signed in again: check your text and save it.")
