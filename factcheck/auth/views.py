"""Sign-in, sign-out and changing one's own password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from ..db import get_database, get_session
from ..models import Role, User
from ..services.signin import Throttle, change_own_password, sign_in
from ..services.users import sign_out
from . import current_user, end_session, gate, safe_next, start_session

bp = Blueprint("auth", __name__)
gate(bp, Role.CHECKER, open_endpoints=frozenset({"auth.login"}))


def _throttle() -> Throttle:
    return Throttle.from_config(current_app.config)


def _address() -> str:
    """The client's address: the socket's, or the one the trusted proxies forwarded
    (``factcheck.proxy``)."""
    return request.remote_addr or ""


def _held_back(body: str, status: int, retry_after: int | None) -> Any:
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return body, status, headers


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    nxt = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(nxt or url_for("checker.my_work"))
        return render_template("auth/login.html", next=nxt, email="")
    email = request.form.get("email", "")
    # The attempt is recorded in its own transaction: it must survive this request failing.
    with get_database().transaction() as attempts:
        result = sign_in(attempts, email, request.form.get("password", ""), _address(), _throttle())
        user_id = result.user.id if result.user else None
    if user_id is None:
        page = render_template("auth/login.html", next=nxt, email=email, error=result.error)
        return _held_back(page, 429 if result.throttled else 401, result.retry_after)
    user = get_session().get(User, user_id)
    assert user is not None
    start_session(user)
    return redirect(nxt or url_for("checker.my_work"))


@bp.post("/logout")
def logout() -> Any:
    user = current_user()
    if user is not None:
        sign_out(get_session(), user, _address())
    end_session()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password() -> Any:
    user = current_user()
    assert user is not None
    if request.method == "GET":
        return render_template("auth/password.html")
    user_id = user.id
    # Like a sign-in, the attempt is written in a transaction of its own, so that a wrong
    # current password is counted and audited although this request fails. The request's own
    # session has only read the user: end it first (SQLite has one writer at a time).
    get_session().rollback()
    form = request.form
    with get_database().transaction() as attempt:
        me = attempt.get(User, user_id)
        assert me is not None
        result = change_own_password(attempt, me, current=form.get("current", ""), new=form.get("new", ""),
                                     confirm=form.get("confirm", ""), address=_address(), throttle=_throttle())
    if result.user is None:
        page = render_template("auth/password.html", error=result.error)
        return _held_back(page, 429 if result.throttled else 422, result.retry_after)
    user = get_session().get(User, user_id, populate_existing=True)
    assert user is not None
    start_session(user)  # this session continues with the new nonce; all others end
    flash("Password changed. Other sessions have been signed out.", "info")
    return redirect(url_for("checker.claims"))
