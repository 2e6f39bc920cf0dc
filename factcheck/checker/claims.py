"""Claims on the desk: list and search, create, read, edit, change status."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from ..auth import current_actor, current_user
from ..db import get_session
from ..errors import Conflict, DomainError, NotFound
from ..forms import int_or_none
from ..models import ClaimStatement, Role, Status, StatusChange, User
from ..services.claims import create_claim, require_version, set_stance, update_claim
from ..services.flags import FLAG_LABELS, flags_for
from ..services.queue import SORT_LABELS, ClaimFilter, list_claims
from ..services.search import search_claims, similar_claims
from ..services.status import change_status
from ..services.status_machine import next_statuses
from . import bp
from .loading import STANCE_HEADINGS, group_by_stance, load_claim_page


@bp.get("/")
def claims() -> Any:
    """Every claim, any status; full-text search with ``q``."""
    session = get_session()
    q = (request.args.get("q") or "").strip()[:500]
    if q:
        return render_template("checker/claims.html", q=q, items=search_claims(session, q, limit=100),
                               page=None, sort=None, sorts=SORT_LABELS, statuses=list(Status), chosen=set())
    filt = ClaimFilter.from_args(request.args, default_statuses=set(Status))
    sort = request.args.get("sort") or "priority"
    page = list_claims(session, filt, sort=sort, cursor=request.args.get("cursor") or None,
                       stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    chosen = set(filt.statuses) if filt.statuses != frozenset(Status) else set()
    return render_template("checker/claims.html", q="", items=page.items, page=page, sort=sort,
                           sorts=SORT_LABELS, statuses=list(Status), chosen=chosen)


@bp.get("/claims/similar")
def similar() -> Any:
    """Claims like the text being typed (for the create form, to avoid duplicates)."""
    text = (request.args.get("text") or "")[:2000]
    found = similar_claims(get_session(), text, limit=5) if len(text.strip()) >= 8 else []
    return jsonify(
        similar=[
            {"id": s.claim.id, "text": s.claim.text, "status": s.claim.status.label,
             "score": round(s.score, 2), "url": url_for("checker.claim", claim_id=s.claim.id)}
            for s in found
        ]
    )


@bp.route("/claims/new", methods=["GET", "POST"])
def new_claim() -> Any:
    if request.method == "GET":
        return render_template("checker/new_claim.html", form={}, similar=[])
    form = request.form
    session = get_session()
    similar = [] if form.get("confirm_new") else similar_claims(session, form.get("text", ""), limit=5)
    if similar:
        # Without JavaScript the suggestions come here: look before creating a duplicate.
        return render_template("checker/new_claim.html", form=form, similar=similar), 200
    try:
        claim = create_claim(
            session, current_actor(), text=form.get("text", ""), context=form.get("context", ""),
            tags=[t for t in (form.get("tags") or "").split(",")],
        )
    except DomainError as error:
        return render_template("checker/new_claim.html", form=form, similar=[], error=error), error.status_code
    flash("Claim entered. Add the statements that bear on it.", "info")
    return redirect(url_for("checker.claim", claim_id=claim.id))


def render_claim(claim_id: int, *, status_code: int = 200, status_form: Any = None,
                 error: DomainError | None = None, conflict: Conflict | None = None,
                 expected_version: int | None = None) -> Any:
    session = get_session()
    claim = load_claim_page(session, claim_id)
    user = current_user()
    assert user is not None
    editor = user.role.at_least(Role.EDITOR)
    changed_meanwhile: list[StatusChange] = []
    if conflict is not None and expected_version is not None:
        changed_meanwhile = [c for c in claim.history if c.version > expected_version]
    users = session.scalars(select(User).where(User.active).order_by(User.name)).all() if editor else []
    return render_template(
        "checker/claim.html",
        claim=claim,
        groups=group_by_stance(list(claim.links)),
        stance_headings=STANCE_HEADINGS,
        flags=flags_for(claim, stale_after_days=current_app.config["STALE_AFTER_DAYS"]),
        flag_labels=FLAG_LABELS,
        next_statuses=next_statuses(claim.status, editor=editor),
        editor=editor,
        users=users,
        status_form=status_form or {},
        error=error,
        conflict=conflict,
        changed_meanwhile=changed_meanwhile,
    ), status_code


@bp.get("/claims/<int:claim_id>")
def claim(claim_id: int) -> Any:
    return render_claim(claim_id)


@bp.post("/claims/<int:claim_id>/status")
def status(claim_id: int) -> Any:
    session = get_session()
    form = request.form
    claim = load_claim_page(session, claim_id)
    expected: int | None = None
    try:
        expected = require_version(form.get("version"))
        change_status(
            session, claim, form.get("to", ""), form.get("reason", ""), current_actor(), expected,
            evidence=form.get("evidence", ""), override_reason=form.get("override_reason") or None,
        )
    except Conflict as conflict:
        session.rollback()
        return render_claim(claim_id, status_code=409, status_form=form, conflict=conflict,
                            expected_version=expected)
    except DomainError as error:
        session.rollback()
        return render_claim(claim_id, status_code=error.status_code, status_form=form, error=error)
    flash(f"Status changed to {claim.status.label.lower()}.", "info")
    return redirect(url_for("checker.claim", claim_id=claim_id))


@bp.post("/claims/<int:claim_id>/edit")
def edit(claim_id: int) -> Any:
    session = get_session()
    form = request.form
    claim = load_claim_page(session, claim_id)
    try:
        update_claim(
            session, claim, current_actor(), expected_version=require_version(form.get("version")),
            text=form.get("text", ""), context=form.get("context", ""),
            tags=[t for t in (form.get("tags") or "").split(",")],
        )
    except Conflict as conflict:
        session.rollback()
        return render_claim(claim_id, status_code=409, conflict=conflict,
                            expected_version=int_or_none(form.get("version")))
    except DomainError as error:
        session.rollback()
        return render_claim(claim_id, status_code=error.status_code, error=error)
    flash("Claim updated.", "info")
    return redirect(url_for("checker.claim", claim_id=claim_id))


@bp.post("/claims/<int:claim_id>/links/<int:link_id>/stance")
def stance(claim_id: int, link_id: int) -> Any:
    session = get_session()
    link = session.get(ClaimStatement, link_id)
    if link is None or link.claim_id != claim_id:
        raise NotFound("That statement is not linked to this claim.")
    set_stance(session, link, current_actor(), stance=request.form.get("stance", ""))
    flash("Stance changed.", "info")
    return redirect(url_for("checker.claim", claim_id=claim_id) + f"#link-{link_id}")
