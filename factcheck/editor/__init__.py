"""The editor's desk: the queue of unresolved claims, the dashboard, assignment, publishing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from ..auth import current_actor, gate
from ..badges import LOOKS
from ..charts import Bar, bar_chart
from ..db import get_session
from ..errors import Conflict, DomainError
from ..forms import form_date, form_datetime, form_int, int_or_none
from ..models import Role, Status, User
from ..services.claims import get_claim, require_version, set_published, update_claim
from ..services.dashboard import build_dashboard
from ..services.flags import FLAG_LABELS
from ..services.queue import SORT_LABELS, ClaimFilter, list_claims

bp = Blueprint("editor", __name__, url_prefix="/editor")
gate(bp, Role.EDITOR)

QUEUE_FLAGS = ("contested", "single_source", "anonymous_only", "stale", "overdue")


@bp.get("/queue")
def queue() -> Any:
    session = get_session()
    filt = ClaimFilter.from_args(request.args)
    sort = request.args.get("sort") or "priority"
    page = list_claims(session, filt, sort=sort, cursor=request.args.get("cursor") or None,
                       stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    users = session.scalars(select(User).where(User.active).order_by(User.name)).all()
    args = {k: v for k, v in request.args.items(multi=True) if k != "cursor"}
    return render_template(
        "editor/queue.html", page=page, filt=filt, sort=sort, sorts=SORT_LABELS, users=users,
        flags=QUEUE_FLAGS, flag_labels=FLAG_LABELS, statuses=[Status.UNVERIFIED, Status.IN_REVIEW, Status.CONTESTED],
        args=args,
    )


@bp.get("/dashboard")
def dashboard() -> Any:
    data = build_dashboard(get_session())
    charts = {
        "status": bar_chart([Bar(s.label, n, LOOKS[s].colour) for s, n in data.by_status.items()],
                            title="Claims by status", y_label="claims"),
        "waiting": bar_chart([Bar(label, n) for label, n in data.waiting],
                             title="Unresolved claims: time waiting since entered", y_label="claims"),
        "weekly": bar_chart([Bar(week.strftime("%d %b"), n, "#1f6f3a") for week, n in data.resolutions_per_week],
                            title="Resolutions per week (week starting)", y_label="verdicts"),
    }
    return render_template("editor/dashboard.html", data=data, charts=charts)


def _back(claim_id: int) -> Any:
    return redirect(url_for("checker.claim", claim_id=claim_id))


def _refused(claim_id: int, error: DomainError) -> Any:
    from ..checker.claims import render_claim

    get_session().rollback()
    if isinstance(error, Conflict):
        return render_claim(claim_id, status_code=409, conflict=error,
                            expected_version=int_or_none(request.form.get("version")))
    return render_claim(claim_id, status_code=error.status_code, error=error)


@bp.post("/claims/<int:claim_id>/desk")
def desk(claim_id: int) -> Any:
    """Assign, prioritise, set the deadline and the next review date."""
    session = get_session()
    form = request.form
    try:
        claim = get_claim(session, claim_id)
        update_claim(
            session, claim, current_actor(), expected_version=require_version(form.get("version")),
            assignee_id=form_int(form, "assignee_id"), priority=form.get("priority", "1"),
            deadline=form_datetime(form, "deadline"), next_review_on=form_date(form, "next_review_on"),
        )
    except DomainError as error:
        return _refused(claim_id, error)
    flash("Desk fields saved.", "info")
    return _back(claim_id)


@bp.post("/claims/<int:claim_id>/publish")
def publish(claim_id: int) -> Any:
    session = get_session()
    form = request.form
    publishing = form.get("published") == "1"
    try:
        claim = get_claim(session, claim_id)
        set_published(session, claim, current_actor(), published=publishing,
                      expected_version=require_version(form.get("version")))
    except DomainError as error:
        return _refused(claim_id, error)
    flash("Published: readers can see it." if publishing else "Unpublished: readers no longer see it.", "info")
    return _back(claim_id)
