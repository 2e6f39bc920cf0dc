"""Claims on the desk: list and search, create, read, edit, change status, stances and links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from ..auth import current_actor, current_user
from ..db import get_session
from ..errors import Conflict, DomainError
from ..forms import int_or_none
from ..models import Role, Status, StatusChange, User
from ..services import independence, revisions
from ..services.claims import (
    create_claim, get_link, require_version, set_stance, unlink_statement, update_claim,
)
from ..services.flags import FLAG_LABELS, flags_for
from ..services.queue import SORT_LABELS, ClaimFilter, list_claims
from ..services.search import search_claims, similar_claims
from ..services.status import change_status
from ..services.status_machine import next_statuses
from . import bp
from .loading import STANCE_HEADINGS, group_by_stance, load_claim_page


#: A page anchor a form may ask to come back to (``link-12``).
ANCHOR = re.compile(r"[a-z][a-z0-9-]{0,40}")


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


def render_claim(claim_id: int, *, status_code: int = 200, typed: dict[str, Any] | None = None,
                 error: DomainError | None = None, conflict: Conflict | None = None,
                 expected_version: int | None = None) -> Any:
    """The claim's desk page. ``typed`` maps a form's name (``status``, ``edit``, ``desk``,
    ``stance-<link>``, ``unlink-<link>``) to what was submitted in it, so that a refused form
    comes back with everything the person typed."""
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
        confirmation=independence.explain(claim.links),
        wording=revisions.diffs(revisions.revisions_of(session, "claim", claim.id)),
        editor=editor,
        users=users,
        typed=typed or {},
        error=error,
        conflict=conflict,
        changed_meanwhile=changed_meanwhile,
    ), status_code


@bp.get("/claims/<int:claim_id>")
def claim(claim_id: int) -> Any:
    return render_claim(claim_id)


def submit(claim_id: int, name: str, write: Callable[[], str]) -> Any:
    """Run ``write`` (a service call in the request's transaction) for the form ``name`` of a
    claim's page; on success flash what it returns and go back to the claim, on a refusal roll
    back and show the page again with the refusal and everything typed in that form."""
    session = get_session()
    form = request.form
    try:
        message = write()
    except Conflict as conflict:
        session.rollback()
        return render_claim(claim_id, status_code=409, typed={name: form}, conflict=conflict,
                            expected_version=int_or_none(form.get("version")))
    except DomainError as error:
        session.rollback()
        return render_claim(claim_id, status_code=error.status_code, typed={name: form}, error=error)
    flash(message, "info")
    anchor = request.form.get("anchor", "")
    return redirect(url_for("checker.claim", claim_id=claim_id) + (f"#{anchor}" if ANCHOR.fullmatch(anchor) else ""))


@bp.post("/claims/<int:claim_id>/status")
def status(claim_id: int) -> Any:
    form = request.form

    def write() -> str:
        session = get_session()
        claim = load_claim_page(session, claim_id)
        change_status(
            session, claim, form.get("to", ""), form.get("reason", ""), current_actor(),
            require_version(form.get("version")), evidence=form.get("evidence", ""),
            override_reason=form.get("override_reason") or None, note=form.get("note", ""),
            override_note=form.get("override_note", ""),
        )
        return f"Status changed to {claim.status.label.lower()}."

    return submit(claim_id, "status", write)


@bp.post("/claims/<int:claim_id>/edit")
def edit(claim_id: int) -> Any:
    form = request.form

    def write() -> str:
        session = get_session()
        claim = load_claim_page(session, claim_id)
        version = claim.version
        update_claim(
            session, claim, current_actor(), expected_version=require_version(form.get("version")),
            text=form.get("text", ""), context=form.get("context", ""),
            tags=[t for t in (form.get("tags") or "").split(",")], reason=form.get("reason", ""),
        )
        return "Claim updated." if claim.version != version else "Nothing changed."

    return submit(claim_id, "edit", write)


@bp.post("/claims/<int:claim_id>/links/<int:link_id>/stance")
def stance(claim_id: int, link_id: int) -> Any:
    form = request.form

    def write() -> str:
        link = get_link(get_session(), claim_id, link_id)
        set_stance(get_session(), link, current_actor(), stance=form.get("stance", ""),
                   expected_version=require_version(form.get("version")))
        return "Stance changed."

    return submit(claim_id, f"stance-{link_id}", write)


@bp.post("/claims/<int:claim_id>/links/<int:link_id>/unlink")
def unlink(claim_id: int, link_id: int) -> Any:
    form = request.form

    def write() -> str:
        link = get_link(get_session(), claim_id, link_id)
        unlink_statement(get_session(), link, current_actor(), reason=form.get("reason", ""),
                         expected_version=require_version(form.get("version")))
        return f"Statement by {link.statement.speaker.name} taken off this claim; the record of it is kept."

    return submit(claim_id, f"unlink-{link_id}", write)
