"""Source pages: every statement of a source, its track record with its basis, its
revisions; creating and editing a source; merging duplicates (editors)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..auth import current_actor, current_user
from ..db import get_session
from ..errors import DomainError, ValidationError
from ..webforms import arg_id, read, worded
from .forms import MergeForm, SourceForm
from ..models import RESOLVED, Claim, ClaimStatement, Role, Source, SourceKind, Stance, Statement, Status
from ..services import revisions
from ..services.claims import require_version
from ..services.intake import SourceResolver
from ..services.sources import create_source, get_source, merge_sources, update_source
from . import bp

PAGE_SIZE = 50


def track_record(session: Any, source_id: int) -> dict[str, int]:
    """Of the claims this source asserted that are now resolved: how many ended in each verdict."""
    rows = session.execute(
        select(Claim.status, func.count(func.distinct(Claim.id)))
        .join(ClaimStatement, ClaimStatement.claim_id == Claim.id)
        .join(Statement, Statement.id == ClaimStatement.statement_id)
        .where(Statement.speaker_id == source_id, ClaimStatement.stance == Stance.ASSERTS,
               Claim.status.in_(sorted(RESOLVED)), ClaimStatement.unlinked_at.is_(None),
               Statement.retracted_at.is_(None))
        .group_by(Claim.status)
    ).all()
    counts = {status.value: n for status, n in rows}
    return {s.value: counts.get(s.value, 0) for s in Status if s in RESOLVED}


@bp.get("/sources")
def sources() -> Any:
    session = get_session()
    q = (request.args.get("q") or "").strip()[:200]
    stmt = select(Source).where(Source.merged_into_id.is_(None)).order_by(Source.name, Source.id).limit(200)
    if q:
        stmt = stmt.where(func.lower(Source.name).contains(q.lower(), autoescape=True))
    return render_template("checker/sources.html", sources=session.scalars(stmt).all(), q=q)


@bp.get("/sources/<id:source_id>")
def source(source_id: int) -> Any:
    session = get_session()
    src = get_source(session, source_id)
    if src.merged_into_id is not None:  # a merged duplicate: its address goes on to the survivor
        return redirect(url_for("checker.source", source_id=src.merged_into_id), code=301)
    return render_source(src)


def render_source(src: Source, *, typed: dict[str, Any] | None = None, error: DomainError | None = None,
                  status: int = 200) -> Any:
    session = get_session()
    source_id = src.id
    before = arg_id(request.args, "before")
    stmt = select(Statement).where(Statement.speaker_id == source_id).order_by(Statement.id.desc())
    if before:
        stmt = stmt.where(Statement.id < before)
    statements = session.scalars(stmt.limit(PAGE_SIZE + 1)).unique().all()
    more = len(statements) > PAGE_SIZE
    statements = statements[:PAGE_SIZE]
    links = session.scalars(
        select(ClaimStatement).options(joinedload(ClaimStatement.claim))
        .where(ClaimStatement.statement_id.in_([s.id for s in statements]))
    ).all() if statements else []
    claims_by_statement: dict[int, list[ClaimStatement]] = {}
    for link in links:
        claims_by_statement.setdefault(link.statement_id, []).append(link)
    record = track_record(session, source_id)
    editor = _is_editor()
    return render_template(
        "checker/source.html",
        source=src,
        history=revisions.diffs(revisions.revisions_of(session, "source", src.id),
                                hidden=frozenset() if editor else SEALED),
        merged_in=session.scalars(select(Source).where(Source.merged_into_id == src.id).order_by(Source.id)).all(),
        choices=session.scalars(select(Source).where(Source.merged_into_id.is_(None), Source.id != src.id)
                                .order_by(Source.id.desc()).limit(500)).all() if editor else [],
        typed=typed or {}, error=error,
        statements=statements,
        claims_by_statement=claims_by_statement,
        record=record,
        record_n=sum(record.values()),
        next_before=statements[-1].id if more else None,
        editor=editor,
    ), status


#: What only editors read back of a source.
SEALED = frozenset({"sealed_identity"})


def _is_editor() -> bool:
    user = current_user()
    return user is not None and user.role.at_least(Role.EDITOR)


def _source_fields(form: SourceForm) -> dict[str, Any]:
    """The fields of the source form, as the services take them. The sealed identity only when
    something was typed (a checker cannot see the one on file, so an empty field means
    "leave it"); the affiliation by name or "Name · #id"."""
    fields: dict[str, Any] = {
        "name": form.name.data, "kind": form.kind.data, "description": form.description.data,
        "url": form.url.data or None, "anonymous": form.anonymous.data,
        "anonymity_reason": form.anonymity_reason.data or None,
    }
    if form.sealed_identity.data.strip():
        fields["sealed_identity"] = form.sealed_identity.data
    elif form.clear_sealed_identity.data:
        fields["sealed_identity"] = None
    return fields


def _affiliation_id(session: Any, form: SourceForm) -> int | None:
    typed = form.affiliation.data.strip()
    if not typed:
        return None
    found = SourceResolver(session, current_actor()).find(typed, "affiliation_id")
    if found is None:
        raise ValidationError(f"No source is named {typed!r}: create it first, or pick one from the list.",
                              {"affiliation_id": "unknown source"})
    return found.id


def _form_page(form: Any, source: Source | None, error: DomainError | None = None, status: int = 200) -> Any:
    session = get_session()
    return render_template(
        "checker/source_form.html", form=form, source=source, error=error, kinds=list(SourceKind),
        editor=_is_editor(),
        sources=session.scalars(select(Source).where(Source.merged_into_id.is_(None))
                                .order_by(Source.id.desc()).limit(500)).all(),
    ), status


@bp.route("/sources/new", methods=["GET", "POST"])
def new_source() -> Any:
    if request.method == "GET":
        return _form_page({"kind": "person"}, None)
    session = get_session()
    try:
        form = read(SourceForm)
        created = create_source(session, current_actor(), affiliation_id=_affiliation_id(session, form),
                                **_source_fields(form))
    except DomainError as error:
        session.rollback()
        error = worded(error, SourceForm)
        return _form_page(request.form, None, error, error.status_code)
    flash(f"Source {created.name} created.", "info")
    return redirect(url_for("checker.source", source_id=created.id))


@bp.route("/sources/<id:source_id>/edit", methods=["GET", "POST"])
def edit_source(source_id: int) -> Any:
    session = get_session()
    src = get_source(session, source_id)
    if request.method == "GET":
        if src.merged_into_id is not None:
            return redirect(url_for("checker.edit_source", source_id=src.merged_into_id), code=301)
        affiliation = f"{src.affiliation.name} · #{src.affiliation.id}" if src.affiliation else ""
        return _form_page({"name": src.name, "kind": src.kind.value, "description": src.description,
                           "url": src.url or "", "anonymous": "1" if src.anonymous else "",
                           "anonymity_reason": src.anonymity_reason or "", "affiliation": affiliation,
                           "version": str(src.version)}, src)
    try:
        form = read(SourceForm)
        update_source(session, src, current_actor(), expected_version=require_version(form.version.data),
                      affiliation_id=_affiliation_id(session, form), reason=form.reason.data,
                      **_source_fields(form))
    except DomainError as error:
        session.rollback()
        error = worded(error, SourceForm)
        return _form_page(request.form, get_source(session, source_id), error, error.status_code)
    flash("Source saved.", "info")
    return redirect(url_for("checker.source", source_id=source_id))


@bp.post("/sources/<id:source_id>/merge")
def merge_source(source_id: int) -> Any:
    """Merge this source into another (editors): see ``services.sources.merge_sources``."""
    session = get_session()
    try:
        form = read(MergeForm)
        merged = get_source(session, source_id)
        survivor = SourceResolver(session, current_actor()).find(form.survivor.data, "survivor")
        merged_into = merge_sources(session, merged, survivor, current_actor(), reason=form.reason.data,
                                    expected_version=form.version.data)
    except DomainError as error:
        session.rollback()
        return render_source(get_source(session, source_id), typed={"merge": request.form},
                             error=worded(error, MergeForm), status=error.status_code)
    flash(f"Merged into {merged_into.name}: its statements are here now, and its name is an alias.", "info")
    return redirect(url_for("checker.source", source_id=merged_into.id))
