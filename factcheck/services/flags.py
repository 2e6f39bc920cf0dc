"""The derived flags of a claim, for display (one claim) and for filtering (SQL).

``contested``, ``single_source`` and ``anonymous_only`` depend on who said what and are kept on
the claim by the services (see ``independence.compute_flags``); ``stale`` and ``overdue``
depend on the clock and are evaluated when asked. Only unresolved claims are stale or overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_

from ..models import UNRESOLVED, Claim, utcnow

FLAG_LABELS = {
    "contested": "Contested by independent sources",
    "single_source": "Single source",
    "anonymous_only": "Anonymous sources only",
    "stale": "Stale",
    "overdue": "Overdue",
}


@dataclass(frozen=True)
class ClaimFlags:
    contested: bool
    single_source: bool
    anonymous_only: bool
    stale: bool
    overdue: bool

    def active(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name)]


def flags_for(claim: Claim, *, stale_after_days: int, now: datetime | None = None) -> ClaimFlags:
    now = now or utcnow()
    unresolved = claim.status in UNRESOLVED
    return ClaimFlags(
        contested=claim.flag_contested,
        single_source=claim.flag_single_source,
        anonymous_only=claim.flag_anonymous_only,
        stale=unresolved and claim.last_activity_at < now - timedelta(days=stale_after_days),
        overdue=unresolved and claim.deadline is not None and claim.deadline < now,
    )


def stale_condition(*, stale_after_days: int, now: datetime | None = None) -> ColumnElement[bool]:
    now = now or utcnow()
    return and_(
        Claim.status.in_(UNRESOLVED), Claim.last_activity_at < now - timedelta(days=stale_after_days)
    )


def overdue_condition(*, now: datetime | None = None) -> ColumnElement[bool]:
    return and_(Claim.status.in_(UNRESOLVED), Claim.deadline < (now or utcnow()))
