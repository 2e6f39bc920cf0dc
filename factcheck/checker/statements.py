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
from ..errors import DomainError, ValidationError
from ..models import Role, Source, SourceKind, Stance, StatementKind
from ..services import Actor
from ..services.claims import get_claim, link_statement
from ..services.intake import SourceResolver
from ..services.sources import create_report, create_source, create_statement, get_report_by_url
from ..forms import form_bool, form_date, form_int
from . import bp

#: How many sources the speaker picker offers (most recently created first).
PICKER_SIZE = 500


def source_choices(session: Session) -> list[Source]:
    return list(session.scalars(select(Source).order_by(Source.id.desc()).limit(PICKER_SIZE)))


def resolve_source(session: Session, value: str, field: str) -> Source | None:
    """A source picked as "Name · #id", or by its exact (unique) name; None if blank or new."""
    return SourceResolver(session, Actor.system("web")).find(value, field)


def _speaker(session: Session, actor: Actor, form: Any, editor: bool) -> Source:
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
        sealed_identity=form.get("sealed_identity") if editor else None,
        affiliation_id=affiliation.id if affiliation else None,
        description=form.get("speaker_description", ""),
    )


def _report_id(session: Session, actor: Actor, form: Any) -> int | None:
    url = (form.get("report_url") or "").strip()
    if not url:
        return None
    existing = get_report_by_url(session, url)
    if existing is not None:
        return existing.id
    outlet = resolve_source(session, form.get("outlet", ""), "outlet")
    if (form.get("outlet") or "").strip() and outlet is None:
        outlet = create_source(session, actor, name=form.get("outlet", ""), kind=SourceKind.MEDIA)
    return create_report(session, actor, url=url, title=form.get("report_title", ""),
                         outlet_id=outlet.id if outlet else None).id


def _render(claim_id: int, form: Any, error: DomainError | None = None, status: int = 200) -> Any:
    session = get_session()
    return render_template(
        "checker/new_statement.html",
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
        return _render(claim_id, {"stance": "asserts", "kind": "paraphrase"})
    session = get_session()
    form = request.form
    actor = current_actor()
    try:
        claim = get_claim(session, claim_id)
        speaker = _speaker(session, actor, form, _is_editor())
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
