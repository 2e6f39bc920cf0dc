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
from ..services.claims import get_claim, link_statement, require_version
from ..services.intake import SourceResolver
from ..services.sources import (
    create_source, create_statement, find_or_create_report, get_statement, retract_statement, update_statement,
)
from ..forms import form_bool, form_date, form_int
from . import bp

#: How many sources the speaker picker offers (most recently created first).
PICKER_SIZE = 500


def source_choices(session: Session) -> list[Source]:
    return list(session.scalars(
        select(Source).where(Source.merged_into_id.is_(None)).order_by(Source.id.desc()).limit(PICKER_SIZE)
    ))


def resolve_source(session: Session, value: str, field: str) -> Source | None:
    """A source picked as "Name · #id", or by its exact (unique) name; None if blank or new."""
    return SourceResolver(session, Actor.system("web")).find(value, field)


def _speaker(session: Session, actor: Actor, form: Any) -> Source:
    source = resolve_source(session, form.get("speaker", ""), "speaker")
    if source is not None:
        return source
    if not (form.get("speaker") or "").strip():
        raise ValidationError("Who said it? Pick a speaker or name a new one.", {"speaker": "is required"})
    affiliation = resolve_source(session, form.get("affiliation", ""), "affiliation")
    if (form.get("affiliation") or "").strip() and affiliation is None:
        raise ValidationError("The affiliation must be an existing source.", {"affiliation": "unknown source"})
    return create_source(
        session, actor,
        name=form.get("speaker", ""),
        kind=form.get("speaker_kind") or SourceKind.PERSON,
        anonymous=form_bool(form, "anonymous"),
        anonymity_reason=form.get("anonymity_reason"),
        sealed_identity=form.get("sealed_identity") or None,
        affiliation_id=affiliation.id if affiliation else None,
        description=form.get("speaker_description", ""),
    )


def _report_id(session: Session, actor: Actor, form: Any) -> int | None:
    url = (form.get("report_url") or "").strip()
    if not url:
        return None
    resolver = SourceResolver(session, actor)
    outlet = (resolver.find_or_create(form.get("outlet", ""), "outlet", kind=SourceKind.MEDIA)
              if (form.get("outlet") or "").strip() else None)
    return find_or_create_report(session, actor, url=url, title=form.get("report_title", ""),
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


@bp.route("/claims/<int:claim_id>/statements/new", methods=["GET", "POST"])
def new_statement(claim_id: int) -> Any:
    if request.method == "GET":
        return _render(claim_id, {"kind": "paraphrase"})
    session = get_session()
    form = request.form
    actor = current_actor()
    try:
        claim = get_claim(session, claim_id)
        speaker = _speaker(session, actor, form)
        relayed_by = resolve_source(session, form.get("relayed_by", ""), "relayed_by")
        if (form.get("relayed_by") or "").strip() and relayed_by is None:
            raise ValidationError("The relay must be an existing source.", {"relayed_by": "unknown source"})
        statement = create_statement(
            session, actor, speaker_id=speaker.id, text=form.get("text", ""),
            kind=form.get("kind") or "paraphrase", report_id=_report_id(session, actor, form),
            relayed_by_id=relayed_by.id if relayed_by else None,
            relayed_through_id=form_int(form, "relayed_through"),
            said_on=form_date(form, "said_on"),
        )
        link_statement(session, claim, statement, actor, stance=form.get("stance", ""))
    except DomainError as error:
        session.rollback()
        return _render(claim_id, form, error, error.status_code)
    flash(f"Statement by {speaker.name} added ({form.get('stance')}).", "info")
    return redirect(url_for("checker.claim", claim_id=claim_id))


@bp.post("/claims/<int:claim_id>/links")
def link_existing(claim_id: int) -> Any:
    """Link a statement already recorded (offered instead of entering it twice)."""
    session = get_session()
    form = request.form
    try:
        claim = get_claim(session, claim_id)
        statement_id = form_int(form, "statement_id", required=True)
        assert statement_id is not None
        link_statement(session, claim, get_statement(session, statement_id), current_actor(),
                       stance=form.get("stance", ""))
    except DomainError as error:
        session.rollback()
        return _render(claim_id, form, error, error.status_code)
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


@bp.get("/statements/<int:statement_id>")
def statement(statement_id: int) -> Any:
    return render_statement(statement_id)


def _statement_form(statement_id: int, name: str, write: Any) -> Any:
    session = get_session()
    try:
        message = write(get_statement(session, statement_id))
    except NotFound:
        raise
    except DomainError as error:
        session.rollback()
        return render_statement(statement_id, typed={name: request.form}, error=error, status=error.status_code)
    flash(message, "info")
    return redirect(url_for("checker.statement", statement_id=statement_id))


@bp.post("/statements/<int:statement_id>/edit")
def edit_statement(statement_id: int) -> Any:
    form = request.form

    def write(statement: Any) -> str:
        version = statement.version
        update_statement(
            get_session(), statement, current_actor(), expected_version=require_version(form.get("version")),
            text=form.get("text", ""), kind=form.get("kind", ""), said_on=form_date(form, "said_on"),
            reason=form.get("reason", ""),
        )
        return "Statement updated." if statement.version != version else "Nothing changed."

    return _statement_form(statement_id, "edit", write)


@bp.post("/statements/<int:statement_id>/retract")
def retract(statement_id: int) -> Any:
    form = request.form

    def write(statement: Any) -> str:
        retract_statement(get_session(), statement, current_actor(), reason=form.get("reason", ""),
                          expected_version=require_version(form.get("version")))
        return "Statement retracted: it counts for no claim; the record of it is kept."

    return _statement_form(statement_id, "retract", write)
