"""Administration: users, roles, password resets and the audit log — admins only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth import current_actor, gate
from ..db import get_session
from ..webforms import arg_id
from ..errors import DomainError
from ..models import AuditEvent, Role, User
from ..services.signin import Throttle, say_wait, throttled_accounts, unlock_account
from ..services.users import create_user, get_user, set_active, set_password, set_role

bp = Blueprint("admin", __name__, url_prefix="/admin")
gate(bp, Role.ADMIN)

AUDIT_PAGE = 100


def _users_page(error: DomainError | None = None, form: Any = None, status: int = 200) -> Any:
    session = get_session()
    users = session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    held = {
        email: f"{failures}" + (f", held back for {say_wait(wait)}" if wait > 0 else "")
        for email, (failures, wait) in throttled_accounts(session, Throttle.from_config(current_app.config)).items()
    }
    return render_template("admin/users.html", users=users, roles=list(Role), error=error, form=form or {},
                           held=held), status


@bp.get("/users")
def users() -> Any:
    return _users_page()


@bp.post("/users")
def create() -> Any:
    session = get_session()
    form = request.form
    actor = current_actor()
    try:
        user = create_user(session, email=form.get("email", ""), password=form.get("password", ""),
                           role=form.get("role", "checker"), name=form.get("name", ""), actor=actor,
                           address=request.remote_addr or "")
    except DomainError as error:
        session.rollback()
        return _users_page(error, form, error.status_code)
    flash(f"Created {user.role.value} {user.email}.", "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<id:user_id>")
def update(user_id: int) -> Any:
    """One form per user row: role, active, a new password, or unlock (whichever was submitted)."""
    session = get_session()
    form = request.form
    actor = current_actor()
    address = request.remote_addr or ""
    try:
        user = get_user(session, user_id)
        action = form.get("action")
        if action == "role":
            before = user.role.value
            set_role(session, user, actor, form.get("role", ""), address)
            detail = f"{before} -> {user.role.value}"
        elif action in ("deactivate", "activate"):
            set_active(session, user, actor, action == "activate", address)
            detail = action
        elif action == "password":
            set_password(session, user, form.get("password", ""), actor, address)
            detail = "password reset; their other sessions are signed out"
        elif action == "unlock":
            cleared = unlock_account(session, user, actor, address)
            detail = (f"unlocked: {cleared} failed sign-in{'s' if cleared != 1 else ''} cleared, they can sign in "
                      f"again at once" if cleared else "nothing to unlock, no failed sign-ins are counted")
        else:
            raise DomainError("Unknown action: use one of the buttons on the users page.")
    except DomainError as error:
        session.rollback()
        return _users_page(error, status=error.status_code)
    flash(f"{user.email}: {detail}.", "info")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
def audit_log() -> Any:
    before = arg_id(request.args, "before")
    stmt = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE + 1)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    events = get_session().scalars(stmt).all()
    more = len(events) > AUDIT_PAGE
    events = events[:AUDIT_PAGE]
    return render_template("admin/audit.html", events=events, next_before=events[-1].id if more else None)


from . import webhooks  # noqa: E402,F401  (outgoing webhooks: registers its routes on bp)
