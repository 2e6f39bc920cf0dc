"""The reader-side queries: published claims only, paginated, in as few round trips as
the page needs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..errors import NotFound
from ..models import Claim, ClaimStatement, Report, Statement, Status, StatusChange
from ..services.search import search_claims
from .pagination import Page, offset_for

#: Most results a search lists (best first); enough to read, small enough to page in memory.
MAX_SEARCH_RESULTS = 200
#: What a slug can be (``services.claims.slugify`` makes a subset of it); anything else is
#: answered 404 without a query.
SLUG = re.compile(r"[A-Za-z0-9._~-]{1,120}")

#: A public correction: a reopening, or a verdict unlike the one it replaced (stored with
#: the change; the partial index ``ix_status_changes_corrections`` holds only these rows).
CORRECTION: ColumnElement[bool] = StatusChange.replaced_verdict.is_not(None)

PUBLISHED = Claim.published_at.is_not(None)


def published_claim(session: Session, slug: str, *, details: bool = False) -> Claim:
    """The published claim at ``slug``; NotFound alike for unknown and unpublished claims, so
    that readers cannot tell a draft exists. ``details`` loads everything its page shows."""
    if not SLUG.fullmatch(slug):  # also keeps NUL and the like away from the database
        raise NotFound("There is no published claim at this address.")
    stmt = select(Claim).where(Claim.slug == slug, PUBLISHED)
    if details:
        stmt = stmt.options(
            selectinload(Claim.history),
            selectinload(Claim.links)
            .joinedload(ClaimStatement.statement)
            .options(joinedload(Statement.report).joinedload(Report.outlet), joinedload(Statement.relayed_by)),
        )
    claim = session.scalars(stmt).unique().one_or_none()
    if claim is None:
        raise NotFound("There is no published claim at this address.")
    return claim


def claims_page(
    session: Session, *, q: str, status: Status | None, number: int, per_page: int
) -> Page[Claim]:
    """Published claims, newest status first; with ``q``, the best matches first."""
    if q:
        found = search_claims(session, q, limit=MAX_SEARCH_RESULTS, published_only=True)
        if status is not None:
            found = [c for c in found if c.status == status]
        offset = offset_for(number, total=len(found), per_page=per_page)
        return Page(found[offset : offset + per_page], number, per_page, len(found))
    condition = [PUBLISHED] + ([Claim.status == status] if status is not None else [])
    total = session.scalar(select(func.count()).select_from(Claim).where(*condition)) or 0
    offset = offset_for(number, total=total, per_page=per_page)
    items = session.scalars(
        select(Claim)
        .where(*condition)
        .order_by(Claim.status_changed_at.desc(), Claim.id.desc())
        .offset(offset)
        .limit(per_page)
    ).all()
    return Page(items, number, per_page, total)


@dataclass(frozen=True)
class ChangeRow:
    """A public status change with its claim."""

    change: StatusChange
    claim: Claim


def _change_rows(session: Session, *conditions: ColumnElement[bool], offset: int, limit: int) -> list[ChangeRow]:
    rows = session.execute(
        select(StatusChange, Claim)
        .join(Claim, Claim.id == StatusChange.claim_id)
        .where(PUBLISHED, *conditions)
        .order_by(StatusChange.at.desc(), StatusChange.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [ChangeRow(change, claim) for change, claim in rows]


@dataclass(frozen=True)
class LogPage:
    """A page of a log read newest first; ``older`` is where the next page starts."""

    items: list[ChangeRow]
    #: The ``before`` position of the next, older page; None on the last page.
    older: int | None


def corrections_log(session: Session, *, before: int | None, per_page: int) -> LogPage:
    """Public corrections (reopenings and reversals), newest first, ``per_page`` at a time,
    from just before the correction numbered ``before``. Keyset paging on the partial index
    of corrections: the same cost on the last page as on the first, and no count of the
    whole log (which, at a million claims, was the slow part)."""
    conditions = [CORRECTION]
    if before is not None:
        at = session.scalar(select(StatusChange.at).where(StatusChange.id == before, CORRECTION))
        if at is None:
            raise NotFound("There is no correction at that position of the log.")
        conditions.append(or_(StatusChange.at < at, and_(StatusChange.at == at, StatusChange.id < before)))
    rows = _change_rows(session, *conditions, offset=0, limit=per_page + 1)
    older = rows[per_page - 1].change.id if len(rows) > per_page else None
    return LogPage(rows[:per_page], older)


def recent_changes(session: Session, *, limit: int) -> list[ChangeRow]:
    """The newest status changes of published claims (the site-wide feed)."""
    return _change_rows(session, offset=0, limit=limit)
