"""Figures for the editor's morning dashboard, each one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import RESOLVED, UNRESOLVED, Claim, Status, StatusChange, utcnow

#: Waiting-time buckets for unresolved claims: (label, lower bound in days).
WAIT_BUCKETS = [("< 1 day", 0), ("1–3 days", 1), ("3–7 days", 3), ("1–2 weeks", 7), ("2–4 weeks", 14), ("> 4 weeks", 28)]


@dataclass(frozen=True)
class Dashboard:
    by_status: dict[Status, int]
    waiting: list[tuple[str, int]]
    resolutions_per_week: list[tuple[datetime, int]]
    oldest_contested: list[Claim]


def counts_by_status(session: Session) -> dict[Status, int]:
    rows = dict(session.execute(select(Claim.status, func.count()).group_by(Claim.status)).all())
    return {s: rows.get(s, 0) for s in Status}


def waiting_times(session: Session, now: datetime) -> list[tuple[str, int]]:
    """How long unresolved claims have been waiting since they were entered."""
    whens = [
        (Claim.created_at <= now - timedelta(days=days), label)
        for label, days in reversed(WAIT_BUCKETS[1:])
    ]
    bucket = case(*whens, else_=WAIT_BUCKETS[0][0])
    rows = dict(
        session.execute(
            select(bucket, func.count()).where(Claim.status.in_(sorted(UNRESOLVED))).group_by(bucket)
        ).all()
    )
    return [(label, rows.get(label, 0)) for label, _ in WAIT_BUCKETS]


def resolutions_per_week(session: Session, now: datetime, weeks: int = 12) -> list[tuple[datetime, int]]:
    """Status changes into a verdict, per week (Monday-based), for the last ``weeks`` weeks."""
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    start = monday - timedelta(weeks=weeks - 1)
    times = session.scalars(
        select(StatusChange.at).where(StatusChange.to_status.in_(sorted(RESOLVED)), StatusChange.at >= start)
    )
    counts = [0] * weeks
    for at in times:
        counts[min((at - start).days // 7, weeks - 1)] += 1
    return [(start + timedelta(weeks=i), n) for i, n in enumerate(counts)]


def oldest_contested(session: Session, limit: int = 10) -> list[Claim]:
    return list(
        session.scalars(
            select(Claim)
            .where(Claim.status.in_(sorted(UNRESOLVED)), (Claim.status == Status.CONTESTED) | Claim.flag_contested)
            .order_by(Claim.id.asc())
            .limit(limit)
        )
    )


def build_dashboard(session: Session, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    return Dashboard(
        by_status=counts_by_status(session),
        waiting=waiting_times(session, now),
        resolutions_per_week=resolutions_per_week(session, now),
        oldest_contested=oldest_contested(session),
    )
