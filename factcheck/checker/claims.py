"""Claims on the desk: list and search, create, read, edit, change status, stances and links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from ..auth import current_actor, current_user
from ..db import get_session
from ..errors import Conflict, DomainError, ValidationError
from ..models import Role, Status, User
from ..services import audit, independence, revisions, signoff
from ..services.claims import create_claim, get_link, set_stance, unlink_statement, update_claim
from ..services.flags import FLAG_LABELS, flags_for
from ..services.queue import SORT_LABELS, ClaimFilter, list_claims
from ..services.search import search_claims, similar_claims
from ..services.status import change_status
from ..services.status_machine import next_statuses
from ..webforms import Form, arg_id, read, worded
from . import bp, panels
from .forms import EditClaimForm, NewClaimForm, StanceForm, StatusForm, UnlinkForm
from .loading import STANCE_HEADINGS, group_by_stance, load_claim_page


#: Newest audit events shown on a claim's page.
ACTIVITY = 100
#: A page anchor a form may ask to come back to (``link-12``).
ANCHOR = re.compile(r"[a-z][a-z0-9-]{0,40}")


@bp.get("/")
def claims() -> Any:
    """Every claim, any status; full-text search with ``q``."""
    session = get_session()
    q = (request.args.get("q") or "").strip()[:500]
    if q:
        if request.args.get("format") == "csv":  # the results as listed, as CSV (editor.queue_page)
            from ..editor.queue_page import csv_of
            return csv_of("desk", search_claims(session, q, limit=100))
        return render_template("checker/claims.html", q=q, items=search_claims(session, q, limit=100),
                               page=None, sort=None, sorts=SORT_LABELS, statuses=list(Status), chosen=set())
    filt = ClaimFilter.from_args(request.args, default_statuses=set(Status), me=current_actor().user_id)
    mine = filt.mine  # "Assigned to me"
    sort = request.args.get("sort") or "priority"
    if request.args.get("format") == "csv":  # the whole view as CSV, streamed (editor.queue_page)
        from ..editor.queue_page import csv_download
        return csv_download("desk", filt, sort, current_app.config["STALE_AFTER_DAYS"])
    page = list_claims(session, filt, sort=sort, cursor=request.args.get("cursor") or None,
                       stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    chosen = set(filt.statuses) if filt.statuses != frozenset(Status) else set()
    return render_template("checker/claims.html", q="", items=page.items, page=page, sort=sort,
                           sorts=SORT_LABELS, statuses=list(Status), chosen=chosen, mine=mine)


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
    session = get_session()
    try:
        form = read(NewClaimForm)
        similar = [] if form.confirm_new.data else similar_claims(session, form.text.data, limit=5)
        if similar:
            # Without JavaScript the suggestions come here: look before creating a duplicate.
            return render_template("checker/new_claim.html", form=request.form, similar=similar), 200
        claim = create_claim(session, current_actor(), text=form.text.data, context=form.context.data,
                             tags=form.tag_list())
    except DomainError as error:
        session.rollback()
        error = worded(error, NewClaimForm)
        return render_template("checker/new_claim.html", form=request.form, similar=[], error=error), error.status_code
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
    activity = audit.events_of(session, "claim", claim.id, limit=ACTIVITY)
    changed_meanwhile: list[Any] = []
    if conflict is not None and expected_version is not None:
        # Every change since the version the person edited, oldest first: shown beside what
        # they typed, which the form keeps.
        changed_meanwhile = [e for e in reversed(activity)
                             if e.changes and len(e.changes.get("version") or ()) == 2
                             and (e.changes["version"][1] or 0) > expected_version]
    users = session.scalars(select(User).where(User.active).order_by(User.name)).all() if editor else []
    return render_template(
        "checker/claim.html",
        **panels.values(session, claim, user),
        claim=claim,
        groups=group_by_stance(list(claim.links)),
        stance_headings=STANCE_HEADINGS,
        flags=flags_for(claim, stale_after_days=current_app.config["STALE_AFTER_DAYS"]),
        flag_labels=FLAG_LABELS,
        next_statuses=next_statuses(claim.status, editor=editor),
        confirmation=independence.explain(claim.links),
        wording=revisions.diffs(revisions.revisions_of(session, "claim", claim.id)),
        activity=activity,
        waiting=signoff.pending_for(session, claim.id),
        editor=editor,
        users=users,
        typed=typed or {},
        error=error,
        conflict=conflict,
        changed_meanwhile=changed_meanwhile,
    ), status_code


@bp.get("/claims/<id:claim_id>")
def claim(claim_id: int) -> Any:
    return render_claim(claim_id)


def submit(claim_id: int, name: str, form_cls: type[Form], write: Callable[[Any], str]) -> Any:
    """Read the form ``name`` of a claim's page (``form_cls``) and run ``write`` with it (a
    service call in the request's transaction); on success flash what it returns and go back
    to the claim, on a refusal roll back and show the page again with the refusal, in the
    form's words, and everything typed in that form."""
    session = get_session()
    form = request.form
    try:
        message = write(read(form_cls))
    except Conflict as conflict:
        session.rollback()
        return render_claim(claim_id, status_code=409, typed={name: form}, conflict=conflict,
                            expected_version=arg_id(form, "version"))
    except DomainError as error:
        session.rollback()
        error = worded(error, form_cls)
        return render_claim(claim_id, status_code=error.status_code, typed={name: form}, error=error)
    flash(message, "info")
    anchor = request.form.get("anchor", "")
    return redirect(url_for("checker.claim", claim_id=claim_id) + (f"#{anchor}" if ANCHOR.fullmatch(anchor) else ""))


@bp.post("/claims/<id:claim_id>/status")
def status(claim_id: int) -> Any:
    def write(form: StatusForm) -> str:
        session = get_session()
        claim = load_claim_page(session, claim_id)
        if not form.to.data:
            raise ValidationError("New status: choose one.", {"status": "choose one"})
        change_status(
            session, claim, form.to.data, form.reason.data, current_actor(), form.version.data,
            evidence=form.evidence.data, override_reason=form.override_reason.data or None,
            note=form.note.data, override_note=form.override_note.data,
        )
        waiting = signoff.pending_for(session, claim.id)
        if waiting is not None:
            return (f"Status changed to {claim.status.label.lower()}. Readers keep seeing "
                    f"{claim.public_status.label.lower() if claim.public_status else 'nothing'} until another "
                    "editor signs the verdict off.")
        return f"Status changed to {claim.status.label.lower()}."

    return submit(claim_id, "status", StatusForm, write)


@bp.post("/claims/<id:claim_id>/edit")
def edit(claim_id: int) -> Any:
    def write(form: EditClaimForm) -> str:
        session = get_session()
        claim = load_claim_page(session, claim_id)
        version = claim.version
        update_claim(session, claim, current_actor(), expected_version=form.version.data, text=form.text.data,
                     context=form.context.data, tags=form.tag_list(), reason=form.reason.data)
        return "Claim updated." if claim.version != version else "Nothing changed."

    return submit(claim_id, "edit", EditClaimForm, write)


@bp.post("/claims/<id:claim_id>/links/<id:link_id>/stance")
def stance(claim_id: int, link_id: int) -> Any:
    def write(form: StanceForm) -> str:
        link = get_link(get_session(), claim_id, link_id)
        set_stance(get_session(), link, current_actor(), stance=form.stance.data,
                   expected_version=form.version.data)
        return "Stance changed."

    return submit(claim_id, f"stance-{link_id}", StanceForm, write)


@bp.post("/claims/<id:claim_id>/links/<id:link_id>/unlink")
def unlink(claim_id: int, link_id: int) -> Any:
    def write(form: UnlinkForm) -> str:
        link = get_link(get_session(), claim_id, link_id)
        unlink_statement(get_session(), link, current_actor(), reason=form.reason.data,
                         expected_version=form.version.data)
        return f"Statement by {link.statement.speaker.name} taken off this claim; the record of it is kept."

    return submit(claim_id, f"unlink-{link_id}", UnlinkForm, write)
