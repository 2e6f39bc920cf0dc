"""Adding a statement to a claim in one form: speaker, report, relay, words and stance.

Everything the form creates (a new speaker, a new report, the statement, the link) is written
in the request's one transaction: if any part is refused, nothing is kept and the form comes
back with what the user typed.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import current_actor, current_user
from ..db import get_session
from sqlalchemy.orm import joinedload

from ..errors import DomainError, NotFound, ValidationError
from ..models import ClaimStatement, Role, Source, SourceKind, Stance, StatementKind
from ..services import Actor, revisions
from ..services.claims import get_claim, link_statement
from ..services.intake import SourceResolver
from ..services.sources import (
    create_source, create_statement, find_or_create_report, get_statement, retract_statement, update_statement,
)
from ..webforms import Form, read, worded
from . import bp
from .forms import LinkExistingForm, RetractForm, StatementEditForm, StatementForm

#: How many sources the speaker picker offers (most recently created first).
PICKER_SIZE = 500


def source_choices(session: Session) -> list[Source]:
    return list(session.scalars(
        select(Source).where(Source.merged_into_id.is_(None)).order_by(Source.id.desc()).limit(PICKER_SIZE)
    ))


def resolve_source(session: Session, value: str, field: str) -> Source | None:
    """A source picked as "Name · #id", or by its exact (unique) name; None if blank or new."""
    return SourceResolver(session, Actor.system("web")).find(value, field)


def _speaker(session: Session, actor: Actor, form: StatementForm) -> Source:
    source = resolve_source(session, form.speaker.data, "speaker")
    if source is not None:
        return source
    if not form.speaker.data.strip():
        raise ValidationError("Speaker: who said it? Pick a speaker or name a new one.", {"speaker": "is required"})
    affiliation = resolve_source(session, form.affiliation.data, "affiliation")
    if form.affiliation.data.strip() and affiliation is None:
        raise ValidationError("Affiliation: pick an existing source (or create it first).",
                              {"affiliation": "unknown source"})
    return create_source(
        session, actor,
        name=form.speaker.data,
        kind=form.speaker_kind.data or SourceKind.PERSON,
        anonymous=form.anonymous.data,
        anonymity_reason=form.anonymity_reason.data or None,
        sealed_identity=form.sealed_identity.data or None,
        affiliation_id=affiliation.id if affiliation else None,
        description=form.speaker_description.data,
    )


def _report_id(session: Session, actor: Actor, form: StatementForm) -> int | None:
    url = form.report_url.data.strip()
    if not url:
        return None
    resolver = SourceResolver(session, actor)
    outlet = (resolver.find_or_create(form.outlet.data, "outlet", kind=SourceKind.MEDIA)
              if form.outlet.data.strip() else None)
    return find_or_create_report(session, actor, url=url, title=form.report_title.data,
                                 outlet_id=outlet.id if outlet else None).id


def _render(claim_id: int, form: Any, error: DomainError | None = None, status: int = 200) -> Any:
    session = get_session()
    duplicate = None
    if error is not None and error.extra.get("statement_id"):
        duplicate = get_statement(session, error.extra["statement_id"])
    return render_template(
        "checker/new_statement.html",
        duplicate=duplicate,
        claim=get_claim(session, claim_id),
        form=form,
        error=error,
        sources=source_choices(session),
        kinds=list(SourceKind),
        stances=list(Stance),
        statement_kinds=list(StatementKind),
        editor=_is_editor(),
    ), status


def _is_editor() -> bool:
    user = current_user()
    return user is not None and user.role.at_least(Role.EDITOR)


@bp.route("/claims/<id:claim_id>/statements/new", methods=["GET", "POST"])
def new_statement(claim_id: int) -> Any:
    if request.method == "GET":
        return _render(claim_id, {"kind": "paraphrase"})
    session = get_session()
    actor = current_actor()
    try:
        form = read(StatementForm)
        claim = get_claim(session, claim_id)
        if not form.stance.data:
            raise ValidationError("Stance on this claim: choose how these words bear on it.", {"stance": "choose one"})
        speaker = _speaker(session, actor, form)
        relayed_by = resolve_source(session, form.relayed_by.data, "relayed_by")
        if form.relayed_by.data.strip() and relayed_by is None:
            raise ValidationError("Relayed by: pick an existing source.", {"relayed_by": "unknown source"})
        statement = create_statement(
            session, actor, speaker_id=speaker.id, text=form.text.data,
            kind=form.kind.data or "paraphrase", report_id=_report_id(session, actor, form),
            relayed_by_id=relayed_by.id if relayed_by else None,
            relayed_through_id=form.relayed_through.data, said_on=form.said_on.data,
        )
        link_statement(session, claim, statement, actor, stance=form.stance.data)
    except DomainError as error:
        session.rollback()
        error = worded(error, StatementForm)
        return _render(claim_id, request.form, error, error.status_code)
    flash(f"Statement by {speaker.name} added ({form.stance.data}).", "info")
    return redirect(url_for("checker.claim", claim_id=claim_id))


@bp.post("/claims/<id:claim_id>/links")
def link_existing(claim_id: int) -> Any:
    """Link a statement already recorded (offered instead of entering it twice)."""
    session = get_session()
    try:
        form = read(LinkExistingForm)
        claim = get_claim(session, claim_id)
        link_statement(session, claim, get_statement(session, form.statement_id.data), current_actor(),
                       stance=form.stance.data)
    except DomainError as error:
        session.rollback()
        return _render(claim_id, request.form, error, error.status_code)
    flash("Recorded statement linked to this claim.", "info")
    return redirect(url_for("checker.claim", claim_id=claim_id))


def render_statement(statement_id: int, *, typed: dict[str, Any] | None = None, error: DomainError | None = None,
                     status: int = 200) -> Any:
    """A statement's page: its words with every revision, the claims it bears on, and the
    forms to edit or retract it (``typed``: what was submitted in the form refused)."""
    session = get_session()
    statement = get_statement(session, statement_id)
    editor = _is_editor()
    links = session.scalars(
        select(ClaimStatement).options(joinedload(ClaimStatement.claim))
        .where(ClaimStatement.statement_id == statement.id).order_by(ClaimStatement.id)
    ).all()
    hidden: frozenset[str] = frozenset()
    return render_template(
        "checker/statement.html", statement=statement, links=links, editor=editor,
        history=revisions.diffs(revisions.revisions_of(session, "statement", statement.id), hidden=hidden),
        published=any(link.claim.published and link.counts for link in links),
        statement_kinds=list(StatementKind), typed=typed or {}, error=error,
    ), status


@bp.get("/statements/<id:statement_id>")
def statement(statement_id: int) -> Any:
    return render_statement(statement_id)


def _statement_form(statement_id: int, name: str, form_cls: type[Form], write: Any) -> Any:
    session = get_session()
    try:
        statement = get_statement(session, statement_id)
        message = write(statement, read(form_cls))
    except NotFound:
        raise
    except DomainError as error:
        session.rollback()
        error = worded(error, form_cls)
        return render_statement(statement_id, typed={name: request.form}, error=error, status=error.status_code)
    flash(message, "info")
    return redirect(url_for("checker.statement", statement_id=statement_id))


@bp.post("/statements/<id:statement_id>/edit")
def edit_statement(statement_id: int) -> Any:
    def write(statement: Any, form: StatementEditForm) -> str:
        version = statement.version
        update_statement(get_session(), statement, current_actor(), expected_version=form.version.data,
                         text=form.text.data, kind=form.kind.data, said_on=form.said_on.data,
                         reason=form.reason.data)
        return "Statement updated." if statement.version != version else "Nothing changed."

    return _statement_form(statement_id, "edit", StatementEditForm, write)


@bp.post("/statements/<id:statement_id>/retract")
def retract(statement_id: int) -> Any:
    def write(statement: Any, form: RetractForm) -> str:
        retract_statement(get_session(), statement, current_actor(), reason=form.reason.data,
                          expected_version=form.version.data)
        return "Statement retracted: it counts for no claim; the record of it is kept."

    return _statement_form(statement_id, "retract", RetractForm, write)
