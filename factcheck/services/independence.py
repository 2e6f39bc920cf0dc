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
    return root_of(source).id


def root_of(source: Source) -> Source:
    """The root of ``source``'s affiliation chain: the body whose side it is on."""
    node = source
    for _ in range(MAX_AFFILIATION_DEPTH):
        if node.affiliation is None:
            return node
        node = node.affiliation
    return node


def counting(links: Iterable[ClaimStatement]) -> list[ClaimStatement]:
    """The links that count for the claim: not taken off it, their statement not retracted."""
    return [link for link in links if link.counts]


def bearing(links: Iterable[ClaimStatement]) -> list[ClaimStatement]:
    """Counting links whose stance bears on the claim (everything but ``mentions``)."""
    return [link for link in counting(links) if link.stance != Stance.MENTIONS]


def first_asserting(links: Iterable[ClaimStatement]) -> ClaimStatement | None:
    """The earliest-linked counting asserting statement: whose side a confirmation must go beyond."""
    asserting = [link for link in counting(links) if link.stance == Stance.ASSERTS]
    return min(asserting, key=lambda link: link.id) if asserting else None


@dataclass(frozen=True)
class Confirmation:
    """Whether the independence rule lets the claim be confirmed, and why (DESIGN rule 2)."""

    satisfied: bool
    #: The first asserting statement, and the root of its side.
    first: ClaimStatement | None
    first_root: Source | None
    #: An asserting statement from another side, and that side's root.
    independent: ClaimStatement | None
    independent_root: Source | None
    #: Why not, in the desk's words (None when satisfied).
    why_not: str | None


def explain(links: Iterable[ClaimStatement]) -> Confirmation:
    """DESIGN rule 2 with its reasons: an asserting statement from outside the side of the
    first asserter — which two statements satisfy it and the roots they belong to, or why none
    does. The one implementation of the rule: the status change and the claim page both ask it."""
    links = counting(links)
    first = first_asserting(links)
    if first is None:
        return Confirmation(False, None, None, None, None, "No statement asserts the claim yet.")
    first_root = root_of(first.statement.speaker)
    for link in links:
        if link.stance == Stance.ASSERTS:
            root = root_of(link.statement.speaker)
            if root.id != first_root.id:
                return Confirmation(True, first, first_root, link, root, None)
    speakers = sorted({link.statement.speaker.name for link in links if link.stance == Stance.ASSERTS})
    return Confirmation(
        False, first, first_root, None, None,
        f"Every asserting statement ({', '.join(speakers)}) comes from the side of {first_root.name}: "
        f"an independent source outside {first_root.name} must assert it too.",
    )


def has_independent_assertion(links: Iterable[ClaimStatement]) -> bool:
    """DESIGN rule 2: an asserting statement from outside the first asserter's side."""
    return explain(links).satisfied


@dataclass(frozen=True)
class SourceFlags:
    contested: bool
    single_source: bool
    anonymous_only: bool


def compute_flags(links: Iterable[ClaimStatement]) -> SourceFlags:
    """The flags that depend only on who said what (rules 3 and 4)."""
    links = counting(links)
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
