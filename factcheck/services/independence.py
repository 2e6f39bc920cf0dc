"""Independence of sources, and the source-derived flags of a claim.

Two sources are *independent* when their affiliation chains end at different roots: the NDS
(→ Afghan government) and the Taliban are independent; the NDS and the Afghan Ministry of
Interior are one side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Claim, ClaimStatement, Source, Stance, Statement

#: Longest affiliation chain followed; a longer one is refused when it is set.
MAX_AFFILIATION_DEPTH = 32


def side_of(source: Source) -> int:
    """The id of the root of ``source``'s affiliation chain."""
    node = source
    for _ in range(MAX_AFFILIATION_DEPTH):
        if node.affiliation is None:
            return node.id
        node = node.affiliation
    return node.id


def bearing(links: Iterable[ClaimStatement]) -> list[ClaimStatement]:
    """Links whose stance bears on the claim (everything but ``mentions``)."""
    return [link for link in links if link.stance != Stance.MENTIONS]


def first_asserting(links: Iterable[ClaimStatement]) -> ClaimStatement | None:
    """The earliest-linked asserting statement: whose side a confirmation must go beyond."""
    asserting = [link for link in links if link.stance == Stance.ASSERTS]
    return min(asserting, key=lambda link: link.id) if asserting else None


def has_independent_assertion(links: list[ClaimStatement]) -> bool:
    """DESIGN rule 2: an asserting statement from outside the first asserter's side."""
    first = first_asserting(links)
    if first is None:
        return False
    first_side = side_of(first.statement.speaker)
    return any(
        side_of(link.statement.speaker) != first_side
        for link in links
        if link.stance == Stance.ASSERTS
    )


@dataclass(frozen=True)
class SourceFlags:
    contested: bool
    single_source: bool
    anonymous_only: bool


def compute_flags(links: list[ClaimStatement]) -> SourceFlags:
    """The flags that depend only on who said what (rules 3 and 4)."""
    sides_asserting = {side_of(l.statement.speaker) for l in links if l.stance == Stance.ASSERTS}
    sides_denying = {side_of(l.statement.speaker) for l in links if l.stance == Stance.DENIES}
    contested = any(a != d for a in sides_asserting for d in sides_denying)
    speakers = {l.statement.speaker.id: l.statement.speaker for l in bearing(links)}
    return SourceFlags(
        contested=contested,
        single_source=len(speakers) == 1,
        anonymous_only=bool(speakers) and all(s.anonymous for s in speakers.values()),
    )



def claims_touching_sources(session: Session, source_ids: set[int]) -> list[Claim]:
    """Claims with a statement by any of ``source_ids`` (to refresh after an affiliation change)."""
    if not source_ids:
        return []
    stmt = (
        select(Claim)
        .join(ClaimStatement, ClaimStatement.claim_id == Claim.id)
        .join(Statement, Statement.id == ClaimStatement.statement_id)
        .where(Statement.speaker_id.in_(source_ids))
        .distinct()
    )
    return list(session.scalars(stmt))
