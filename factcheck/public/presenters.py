"""What of a claim the public may see, as plain values for templates and feeds.

Templates never receive a Source, only a ``PublicSource`` built here, which copies the public
fields and nothing else: an anonymous source's sealed identity cannot reach a page, a feed or
an export by a slip in a template, because it is never handed over. Who made a status change
is not shown either (only that the desk made it), and never an email address.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..models import Claim, ClaimStatement, Report, Source, SourceKind, Stance, Status, StatusChange
from .meanings import STANCE_HEADINGS


@dataclass(frozen=True)
class PublicSource:
    name: str
    kind: SourceKind
    anonymous: bool
    #: Why anonymity was granted (anonymous sources only).
    anonymity_reason: str | None
    #: Description and affiliation are shown for named sources only: for an anonymous one
    #: readers get the descriptor and the reason, as the report gave them.
    description: str
    affiliation: str | None


def public_source(source: Source) -> PublicSource:
    if source.anonymous:
        return PublicSource(source.name, source.kind, True, source.anonymity_reason, "", None)
    affiliation = source.affiliation
    return PublicSource(
        name=source.name,
        kind=source.kind,
        anonymous=False,
        anonymity_reason=None,
        description=source.description,
        affiliation=None if affiliation is None or affiliation.anonymous else affiliation.name,
    )


@dataclass(frozen=True)
class PublicReport:
    url: str
    title: str
    outlet: PublicSource | None
    published_at: datetime | None
    retrieved_at: datetime | None
    text_sha256: str | None

    @property
    def linkable(self) -> bool:
        """Only http(s) addresses become links (the services refuse others; this is a second
        lock on the door)."""
        return self.url.lower().startswith(("http://", "https://"))


def public_report(report: Report) -> PublicReport:
    return PublicReport(
        url=report.url,
        title=report.title,
        outlet=public_source(report.outlet) if report.outlet is not None else None,
        published_at=report.published_at,
        retrieved_at=report.retrieved_at,
        text_sha256=report.text_sha256,
    )


@dataclass(frozen=True)
class PublicStatement:
    text: str
    is_quote: bool
    speaker: PublicSource
    relayed_by: PublicSource | None
    report: PublicReport | None
    said_on: date | None


def public_statement(link: ClaimStatement) -> PublicStatement:
    statement = link.statement
    return PublicStatement(
        text=statement.text,
        is_quote=statement.kind.value == "quote",
        speaker=public_source(statement.speaker),
        relayed_by=public_source(statement.relayed_by) if statement.relayed_by is not None else None,
        report=public_report(statement.report) if statement.report is not None else None,
        said_on=statement.said_on,
    )


@dataclass(frozen=True)
class StanceGroup:
    stance: Stance
    heading: str
    statements: list[PublicStatement]


def stance_groups(links: Iterable[ClaimStatement]) -> list[StanceGroup]:
    """Statements grouped by stance, in the order of STANCE_HEADINGS; empty groups left out."""
    by_stance: dict[Stance, list[PublicStatement]] = {stance: [] for stance in STANCE_HEADINGS}
    for link in sorted(links, key=lambda link: link.id):
        by_stance[link.stance].append(public_statement(link))
    return [StanceGroup(s, STANCE_HEADINGS[s], items) for s, items in by_stance.items() if items]


def public_reports(links: Iterable[ClaimStatement]) -> list[PublicReport]:
    """Every report that carried a statement on the claim, once each, in order of linking."""
    seen: dict[int, Report] = {}
    for link in sorted(links, key=lambda link: link.id):
        report = link.statement.report
        if report is not None:
            seen.setdefault(report.id, report)
    return [public_report(r) for r in seen.values()]


class ChangeKind(enum.StrEnum):
    ENTERED = "entered"
    MOVED = "moved"
    VERDICT = "verdict"
    #: A resolved claim reopened: a public correction.
    REOPENED = "reopened"
    #: A new verdict different from the one the claim had before it was reopened.
    REVERSED = "reversed"

    @property
    def is_correction(self) -> bool:
        return self in (ChangeKind.REOPENED, ChangeKind.REVERSED)


@dataclass(frozen=True)
class PublicChange:
    id: int
    from_status: Status | None
    to_status: Status
    reason: str
    evidence: str
    #: Set when an editor confirmed without an independent source, with their reason.
    override_reason: str | None
    at: datetime
    kind: ChangeKind
    #: For a reversal: the verdict it replaced.
    previous_verdict: Status | None = None

    @property
    def headline(self) -> str:
        """What happened, in a few words: the history list, the corrections log, feed titles."""
        to = self.to_status.label.lower()
        if self.kind == ChangeKind.ENTERED:
            return f"Entered as {to}"
        if self.kind == ChangeKind.REOPENED:
            assert self.from_status is not None
            return f"Correction: reopened, {self.from_status.label.lower()} → {to}"
        if self.kind == ChangeKind.REVERSED:
            assert self.previous_verdict is not None
            return f"Correction: verdict changed from {self.previous_verdict.label.lower()} to {to}"
        if self.kind == ChangeKind.VERDICT:
            return f"Verdict: {to}"
        return f"Now {to}"


def classify(history: Sequence[StatusChange]) -> list[PublicChange]:
    """A claim's history, oldest first, each change marked as what it means to a reader."""
    return [describe(change) for change in sorted(history, key=lambda c: c.id)]


def describe(change: StatusChange) -> PublicChange:
    """One change as readers see it."""
    kind = change_kind(change)
    return PublicChange(
        id=change.id,
        from_status=change.from_status,
        to_status=change.to_status,
        reason=change.reason,
        evidence=change.evidence,
        override_reason=change.override_reason if change.independence_override else None,
        at=change.at,
        kind=kind,
        previous_verdict=change.replaced_verdict if kind == ChangeKind.REVERSED else None,
    )


def change_kind(change: StatusChange) -> ChangeKind:
    """The kind of one change. Corrections are stored as such when the change is written
    (``StatusChange.replaced_verdict``), so the log, the feeds and the claim page agree."""
    if change.from_status is None:
        return ChangeKind.ENTERED
    if change.is_reopening:
        return ChangeKind.REOPENED
    if change.to_status.resolved:
        return ChangeKind.REVERSED if change.is_correction else ChangeKind.VERDICT
    return ChangeKind.MOVED


@dataclass(frozen=True)
class PublicClaim:
    """A published claim as its page shows it."""

    slug: str
    text: str
    status: Status
    status_changed_at: datetime
    published_at: datetime
    version: int
    single_source: bool
    anonymous_only: bool
    current: PublicChange
    history: list[PublicChange]
    groups: list[StanceGroup]
    reports: list[PublicReport]


def public_claim(claim: Claim) -> PublicClaim:
    assert claim.published_at is not None
    history = classify(claim.history)
    return PublicClaim(
        slug=claim.slug,
        text=claim.text,
        status=claim.status,
        status_changed_at=claim.status_changed_at,
        published_at=claim.published_at,
        version=claim.version,
        single_source=claim.flag_single_source,
        anonymous_only=claim.flag_anonymous_only,
        current=history[-1],
        history=history,
        groups=stance_groups(claim.links),
        reports=public_reports(claim.links),
    )
