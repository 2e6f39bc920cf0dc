"""The reader-side queries: published claims only, paginated, in as few round trips as
the page needs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..errors import NotFound
from ..models import Claim, ClaimStatement, PublicEntry, Report, Statement, Status
from ..services.search import search_claims
from .pagination import Page, offset_for

#: Most results a search lists (best first); enough to read, small enough to page in memory.
MAX_SEARCH_RESULTS = 200
#: What a slug can be (``services.claims.slugify`` makes a subset of it); anything else is
#: answered 404 without a query.
SLUG = re.compile(r"[A-Za-z0-9._~-]{1,120}")

#: A public correction (``services.public_history``; the partial index
#: ``ix_public_history_corrections`` holds only these rows).
CORRECTION: ColumnElement[bool] = PublicEntry.correction.is_(True)

PUBLISHED = Claim.published_at.is_not(None)


def published_claim(session: Session, slug: str, *, details: bool = False) -> Claim:
    """The published claim at ``slug``; NotFound alike for unknown and unpublished claims, so
    that readers cannot tell a draft exists. ``details`` loads everything its page shows."""
    if not SLUG.fullmatch(slug):  # also keeps NUL and the like away from the database
        raise NotFound("There is no published claim at this address.")
    stmt = select(Claim).where(Claim.slug == slug, PUBLISHED)
    if details:
        stmt = stmt.options(
            selectinload(Claim.public_entries).options(
                joinedload(PublicEntry.change), joinedload(PublicEntry.statement).joinedload(Statement.speaker),
            ),
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
            found = [c for c in found if c.public_status == status]
        offset = offset_for(number, total=len(found), per_page=per_page)
        return Page(found[offset : offset + per_page], number, per_page, len(found))
    condition = [PUBLISHED] + ([Claim.public_status == status] if status is not None else [])
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
    """A public history entry with its claim."""

    change: PublicEntry
    claim: Claim


def _change_rows(session: Session, *conditions: ColumnElement[bool], limit: int) -> list[ChangeRow]:
    rows = session.execute(
        select(PublicEntry, Claim)
        .join(Claim, Claim.id == PublicEntry.claim_id)
        .where(PUBLISHED, *conditions)
        .options(joinedload(PublicEntry.statement).joinedload(Statement.speaker))
        .order_by(PublicEntry.at.desc(), PublicEntry.id.desc())
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
    """Public corrections (a verdict readers saw, reopened or replaced; a wording they read,
    changed), newest first, ``per_page`` at a time, from just before the correction numbered
    ``before``. Keyset paging on the partial index of corrections: the same cost on the last
    page as on the first, and no count of the whole log."""
    conditions = [CORRECTION]
    if before is not None:
        # Only a correction readers can see marks a position: any other number answers alike,
        # so the log tells nothing of corrections to unpublished claims.
        at = session.scalar(select(PublicEntry.at).join(Claim, Claim.id == PublicEntry.claim_id)
                            .where(PublicEntry.id == before, CORRECTION, PUBLISHED))
        if at is None:
            raise NotFound("There is no correction at that position of the log.")
        conditions.append(or_(PublicEntry.at < at, and_(PublicEntry.at == at, PublicEntry.id < before)))
    rows = _change_rows(session, *conditions, limit=per_page + 1)
    older = rows[per_page - 1].change.id if len(rows) > per_page else None
    return LogPage(rows[:per_page], older)


def recent_changes(session: Session, *, limit: int) -> list[ChangeRow]:
    """The newest public history entries of published claims (the site-wide feed)."""
    return _change_rows(session, limit=limit)
