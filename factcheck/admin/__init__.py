"""Administration: users, roles, password resets and the audit log — admins only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth import current_actor, gate
from ..db import get_session
from ..errors import DomainError
from ..models import AuditEvent, Role, User
from ..services.users import create_user, get_user, set_active, set_password, set_role

bp = Blueprint("admin", __name__, url_prefix="/admin")
gate(bp, Role.ADMIN)

AUDIT_PAGE = 100


def _users_page(error: DomainError | None = None, form: Any = None, status: int = 200) -> Any:
    users = get_session().scalars(select(User).order_by(User.active.desc(), User.name)).all()
    return render_template("admin/users.html", users=users, roles=list(Role), error=error, form=form or {}), status


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


@bp.post("/users/<int:user_id>")
def update(user_id: int) -> Any:
    """One form per user row: role, active, or a new password (whichever was submitted)."""
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
            detail = "reset by an admin"
        else:
            raise DomainError("Unknown action.")
    except DomainError as error:
        session.rollback()
        return _users_page(error, status=error.status_code)
    flash(f"{user.email}: {detail}.", "info")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
def audit_log() -> Any:
    try:
        before = int(request.args.get("before", "0")) or None
    except ValueError:
        before = None
    stmt = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE + 1)
    if before:
        stmt = stmt.where(AuditEvent.id < before)
    events = get_session().scalars(stmt).all()
    more = len(events) > AUDIT_PAGE
    events = events[:AUDIT_PAGE]
    return render_template("admin/audit.html", events=events, next_before=events[-1].id if more else None)
