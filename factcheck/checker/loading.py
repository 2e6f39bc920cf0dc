"""Loading a claim with everything its page shows, in a fixed number of queries."""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..errors import NotFound
from ..models import Claim, ClaimStatement, Report, Stance, Statement, StatusChange

STANCE_ORDER = (Stance.ASSERTS, Stance.DENIES, Stance.UNCONFIRMED, Stance.MENTIONS)
STANCE_HEADINGS = {
    Stance.ASSERTS: "Asserts",
    Stance.DENIES: "Denies",
    Stance.UNCONFIRMED: "Cannot confirm",
    Stance.MENTIONS: "Mentions (context)",
}


def load_claim_page(session: Session, claim_id: int) -> Claim:
    claim = session.scalar(
        select(Claim)
        .where(Claim.id == claim_id)
        .options(
            selectinload(Claim.links).joinedload(ClaimStatement.unlinked_by),
            selectinload(Claim.links)
            .joinedload(ClaimStatement.statement)
            .options(
                joinedload(Statement.speaker),
                joinedload(Statement.report).joinedload(Report.outlet),
                joinedload(Statement.relayed_by),
                joinedload(Statement.relayed_through).joinedload(Statement.speaker),
            ),
            selectinload(Claim.history).joinedload(StatusChange.actor),
            selectinload(Claim.tags),
            joinedload(Claim.assignee),
        )
    )
    if claim is None:
        raise NotFound(f"No claim with id {claim_id}.")
    return claim


def group_by_stance(links: list[ClaimStatement]) -> OrderedDict[Stance, list[ClaimStatement]]:
    groups: OrderedDict[Stance, list[ClaimStatement]] = OrderedDict((s, []) for s in STANCE_ORDER)
    for link in links:
        groups[link.stance].append(link)
    return groups
