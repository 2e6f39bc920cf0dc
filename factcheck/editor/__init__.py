"""The editor's desk: the queue of unresolved claims, the dashboard, assignment, publishing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select

from ..auth import current_actor, gate
from ..badges import LOOKS
from ..charts import Bar, bar_chart
from ..db import get_session
from ..checker.claims import submit
from ..services import signoff
from .forms import DeskForm, PublishForm, SignoffForm
from ..models import Role, Status, User
from ..services.claims import get_claim, set_published, update_claim
from ..services.dashboard import build_dashboard
from ..services.flags import FLAG_LABELS
from ..services.queue import SORT_LABELS, ClaimFilter, list_claims

bp = Blueprint("editor", __name__, url_prefix="/editor")
gate(bp, Role.EDITOR)

QUEUE_FLAGS = ("contested", "single_source", "anonymous_only", "stale", "overdue")


@bp.route("/queue", methods=["GET", "POST"])
def queue() -> Any:
    """The queue of unresolved claims: filters, text search, pages both ways, the count, bulk
    selection kept across pages (a POST turns a page with it), CSV with ``format=csv``
    (``editor.queue_page``)."""
    from .queue_page import show

    return show()


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


@bp.post("/claims/<id:claim_id>/desk")
def desk(claim_id: int) -> Any:
    """Assign, prioritise, set the deadline and the next review date."""

    def write(form: DeskForm) -> str:
        session = get_session()
        claim = get_claim(session, claim_id)
        update_claim(
            session, claim, current_actor(), expected_version=form.version.data,
            assignee_id=form.assignee_id.data, priority=form.priority.data or "1",
            deadline=form.deadline.data, next_review_on=form.next_review_on.data,
        )
        return "Desk fields saved."

    return submit(claim_id, "desk", DeskForm, write)


@bp.post("/claims/<id:claim_id>/publish")
def publish(claim_id: int) -> Any:
    def write(form: PublishForm) -> str:
        session = get_session()
        claim = get_claim(session, claim_id)
        publishing = form.published.data == "1"
        set_published(session, claim, current_actor(), published=publishing, expected_version=form.version.data)
        if publishing and not claim.published:
            return "Waiting for sign-off: another editor must approve the verdict before readers see the claim."
        return "Published: readers can see it." if publishing else "Unpublished: readers no longer see it."

    return submit(claim_id, "publish", PublishForm, write)


@bp.get("/signoffs")
def signoffs() -> Any:
    """Ready to publish: every verdict waiting for a second editor, oldest first."""
    return render_template("editor/signoffs.html", waiting=signoff.waiting(get_session()))


@bp.post("/claims/<id:claim_id>/signoffs/<id:signoff_id>/approve")
def approve(claim_id: int, signoff_id: int) -> Any:
    def write(form: SignoffForm) -> str:
        session = get_session()
        claim = signoff.approve(session, signoff.get_signoff(session, signoff_id, claim_id), current_actor(),
                                note=form.note.data)
        return f"Signed off: readers now see {claim.status.label.lower()}."

    return submit(claim_id, "signoff", SignoffForm, write)


@bp.post("/claims/<id:claim_id>/signoffs/<id:signoff_id>/return")
def send_back(claim_id: int, signoff_id: int) -> Any:
    def write(form: SignoffForm) -> str:
        session = get_session()
        signoff.send_back(session, signoff.get_signoff(session, signoff_id, claim_id), current_actor(),
                          note=form.note.data)
        return "Sent back: readers never saw this verdict."

    return submit(claim_id, "signoff", SignoffForm, write)


from . import bulk, review  # noqa: E402,F401  (their routes: bulk work, saved filters, ClaimReview details)
