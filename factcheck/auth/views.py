"""Sign-in, sign-out and changing one's own password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from ..db import get_database, get_session
from ..errors import ValidationError
from ..models import Role, User
from ..services.signin import Throttle, sign_in
from ..services.users import set_password, sign_out, verify_password
from . import current_user, end_session, gate, safe_next, start_session

bp = Blueprint("auth", __name__)
gate(bp, Role.CHECKER, open_endpoints=frozenset({"auth.login"}))


def _throttle() -> Throttle:
    cfg = current_app.config
    return Throttle(
        max_per_account=cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        max_per_address=cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        window_seconds=cfg["LOGIN_THROTTLE_WINDOW"],
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    nxt = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(nxt or url_for("checker.claims"))
        return render_template("auth/login.html", next=nxt, email="")
    email = request.form.get("email", "")
    # The attempt is recorded in its own transaction: it must survive this request failing.
    with get_database().transaction() as attempts:
        result = sign_in(attempts, email, request.form.get("password", ""), request.remote_addr or "", _throttle())
        user_id = result.user.id if result.user else None
    if user_id is None:
        return render_template("auth/login.html", next=nxt, email=email, error=result.error), 401
    user = get_session().get(User, user_id)
    assert user is not None
    start_session(user)
    return redirect(nxt or url_for("checker.claims"))


@bp.post("/logout")
def logout() -> Any:
    user = current_user()
    if user is not None:
        sign_out(get_session(), user, request.remote_addr or "")
    end_session()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> Any:
    user = current_user()
    assert user is not None
    if request.method == "GET":
        return render_template("auth/password.html")
    if not verify_password(user, request.form.get("current", "")):
        return render_template("auth/password.html", error="Your current password is not right."), 422
    new = request.form.get("new", "")
    if new != request.form.get("confirm", ""):
        return render_template("auth/password.html", error="The two new passwords differ."), 422
    try:
        set_password(get_session(), user, new, address=request.remote_addr or "")
    except ValidationError as error:
        return render_template("auth/password.html", error=error.detail), 422
    start_session(user)  # this session continues with the new nonce; all others end
    flash("Password changed. Other sessions have been signed out.", "info")
    return redirect(url_for("checker.claims"))
