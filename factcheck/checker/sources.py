"""Source pages: every statement of a source, and its track record with its basis."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..auth import current_user
from ..db import get_session
from ..models import RESOLVED, Claim, ClaimStatement, Role, Source, Stance, Statement, Status
from ..services.sources import get_source
from . import bp

PAGE_SIZE = 50


def track_record(session: Any, source_id: int) -> dict[str, int]:
    """Of the claims this source asserted that are now resolved: how many ended in each verdict."""
    rows = session.execute(
        select(Claim.status, func.count(func.distinct(Claim.id)))
        .join(ClaimStatement, ClaimStatement.claim_id == Claim.id)
        .join(Statement, Statement.id == ClaimStatement.statement_id)
        .where(Statement.speaker_id == source_id, ClaimStatement.stance == Stance.ASSERTS,
               Claim.status.in_(sorted(RESOLVED)))
        .group_by(Claim.status)
    ).all()
    counts = {status.value: n for status, n in rows}
    return {s.value: counts.get(s.value, 0) for s in Status if s in RESOLVED}


@bp.get("/sources")
def sources() -> Any:
    session = get_session()
    q = (request.args.get("q") or "").strip()[:200]
    stmt = select(Source).order_by(Source.name, Source.id).limit(200)
    if q:
        stmt = stmt.where(func.lower(Source.name).contains(q.lower(), autoescape=True))
    return render_template("checker/sources.html", sources=session.scalars(stmt).all(), q=q)


@bp.get("/sources/<int:source_id>")
def source(source_id: int) -> Any:
    session = get_session()
    src = get_source(session, source_id)
    try:
        before = int(request.args.get("before", "0")) or None
    except ValueError:
        before = None
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
    user = current_user()
    return render_template(
        "checker/source.html",
        source=src,
        statements=statements,
        claims_by_statement=claims_by_statement,
        record=record,
        record_n=sum(record.values()),
        next_before=statements[-1].id if more else None,
        editor=user is not None and user.role.at_least(Role.EDITOR),
    )
