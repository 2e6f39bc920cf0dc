"""Listing (and finding) sources, reports, statements, a claim's statements and its history.

Each list is paginated by keyset on the primary key, oldest first, with the same opaque cursor
as the claim lists (``queue.encode_cursor``), so that a client pages through every list of the
JSON API the same way and a cursor from one list is refused by another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import ClaimStatement, Report, Source, SourceKind, Statement, StatusChange
from .queue import MAX_LIMIT, decode_cursor, encode_cursor
from .validation import clean_text

T = TypeVar("T", Source, Report, Statement, ClaimStatement, StatusChange)


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _page(session: Session, stmt: Select[tuple[T]], model: Any, kind: str, cursor: str | None, limit: int) -> Page[T]:
    limit = max(1, min(int(limit), MAX_LIMIT))
    if cursor:
        stmt = stmt.where(model.id > decode_cursor(cursor, kind)["i"])
    rows = list(session.scalars(stmt.order_by(model.id.asc()).limit(limit + 1)).unique())
    items = rows[:limit]
    more = len(rows) > limit and items
    return Page(items, encode_cursor({"s": kind, "k": None, "i": items[-1].id}) if more else None)


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_sources(
    session: Session,
    *,
    kind: SourceKind | None = None,
    anonymous: bool | None = None,
    affiliation_id: int | None = None,
    name: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Source]:
    """Sources, optionally of one kind, (not) anonymous, under one body, or whose name
    contains ``name`` (case-insensitive)."""
    stmt = select(Source).where(Source.merged_into_id.is_(None))
    if kind is not None:
        stmt = stmt.where(Source.kind == kind)
    if anonymous is not None:
        stmt = stmt.where(Source.anonymous.is_(anonymous))
    if affiliation_id is not None:
        stmt = stmt.where(Source.affiliation_id == affiliation_id)
    if name:
        needle = _like_escaped(clean_text(name, "name", max_length=300))
        stmt = stmt.where(Source.name.ilike(f"%{needle}%", escape="\\"))
    return _page(session, stmt, Source, "sources", cursor, limit)


def list_reports(
    session: Session,
    *,
    outlet_id: int | None = None,
    url: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Report]:
    """Reports, optionally of one outlet or at one exact URL (to find before creating)."""
    stmt = select(Report)
    if outlet_id is not None:
        stmt = stmt.where(Report.outlet_id == outlet_id)
    if url:
        stmt = stmt.where(Report.url == clean_text(url, "url", max_length=2000))
    return _page(session, stmt, Report, "reports", cursor, limit)


def list_statements(
    session: Session,
    *,
    speaker_id: int | None = None,
    report_id: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[Statement]:
    """Statements, optionally by one speaker or carried by one report."""
    stmt = select(Statement)
    if speaker_id is not None:
        stmt = stmt.where(Statement.speaker_id == speaker_id)
    if report_id is not None:
        stmt = stmt.where(Statement.report_id == report_id)
    return _page(session, stmt, Statement, "statements", cursor, limit)


def list_links(
    session: Session, claim_id: int, *, cursor: str | None = None, limit: int = 50, counting_only: bool = False
) -> Page[ClaimStatement]:
    """The statements linked to one claim, with their stances, in the order they were linked
    (``counting_only``: not those taken off it or retracted, as readers see them)."""
    stmt = select(ClaimStatement).where(ClaimStatement.claim_id == claim_id)
    if counting_only:
        stmt = stmt.join(Statement, Statement.id == ClaimStatement.statement_id).where(
            ClaimStatement.unlinked_at.is_(None), Statement.retracted_at.is_(None))
    return _page(session, stmt, ClaimStatement, "links", cursor, limit)


def list_history(session: Session, claim_id: int, *, cursor: str | None = None, limit: int = 50) -> Page[StatusChange]:
    """One claim's status changes, oldest first (the first row is its creation)."""
    stmt = select(StatusChange).where(StatusChange.claim_id == claim_id)
    return _page(session, stmt, StatusChange, "history", cursor, limit)


def get_link(session: Session, claim_id: int, statement_id: int) -> ClaimStatement:
    """How ``statement_id`` bears on ``claim_id``; NotFound if it is not linked."""
    link = session.scalar(
        select(ClaimStatement).where(
            ClaimStatement.claim_id == claim_id, ClaimStatement.statement_id == statement_id
        )
    )
    if link is None:
        raise NotFound(f"Statement {statement_id} is not linked to claim {claim_id}.")
    return link


def get_status_change(session: Session, claim_id: int, change_id: int) -> StatusChange:
    change = session.get(StatusChange, change_id)
    if change is None or change.claim_id != claim_id:
        raise NotFound(f"Claim {claim_id} has no status change {change_id}.")
    return change
