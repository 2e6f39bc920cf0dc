"""What of a claim the public may see, as plain values for templates and feeds.

Templates never receive a Source, only a ``PublicSource`` built here, which copies the public
fields and nothing else: an anonymous source's sealed identity cannot reach a page, a feed or
an export by a slip in a template, because it is never handed over. Who made a status change
is not shown either (only that the desk made it), and never an email address. The history is
the claim's public history (``services.public_history``), with public words only: no internal
note is ever read here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..models import Claim, ClaimStatement, PublicEntry, PublicKind, Report, Source, SourceKind, Stance, Status
from ..services.independence import counting
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
    """The statements that count for the claim grouped by stance, in the order of
    STANCE_HEADINGS; empty groups left out. Withdrawn statements are not counted (the public
    history says they were withdrawn)."""
    by_stance: dict[Stance, list[PublicStatement]] = {stance: [] for stance in STANCE_HEADINGS}
    for link in sorted(counting(links), key=lambda link: link.id):
        by_stance[link.stance].append(public_statement(link))
    return [StanceGroup(s, STANCE_HEADINGS[s], items) for s, items in by_stance.items() if items]


def public_reports(links: Iterable[ClaimStatement]) -> list[PublicReport]:
    """Every report that carried a statement counting for the claim, once each, in order of
    linking."""
    seen: dict[int, Report] = {}
    for link in sorted(counting(links), key=lambda link: link.id):
        report = link.statement.report
        if report is not None:
            seen.setdefault(report.id, report)
    return [public_report(r) for r in seen.values()]


class ChangeKind(enum.StrEnum):
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    MOVED = "moved"
    VERDICT = "verdict"
    #: A verdict readers saw, reopened: a public correction.
    REOPENED = "reopened"
    #: A verdict different from the one readers saw before: a public correction.
    REVERSED = "reversed"
    #: The wording readers saw, changed: a public correction.
    REWORDED = "reworded"
    #: A statement readers saw no longer counts for the claim.
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class PublicChange:
    """One entry of a claim's public history, as readers see it."""

    id: int
    kind: ChangeKind
    at: datetime
    #: The status readers see from then on, and the one they saw before (None at first).
    to_status: Status
    from_status: Status | None
    correction: bool
    reason: str
    evidence: str
    #: Set when an editor confirmed without an independent source, with their reason.
    override_reason: str | None
    #: The verdict readers had seen that this corrects.
    replaced_verdict: Status | None = None
    #: A changed wording: what readers read before and after.
    previous_text: str | None = None
    text: str | None = None
    #: A withdrawn statement: who had said what.
    withdrawn: str | None = None
    #: Permanent part of the Atom entry id (status changes keep the id they always had).
    feed_key: str = ""

    @property
    def headline(self) -> str:
        """What happened, in a few words: the history list, the corrections log, feed titles."""
        to = self.to_status.label.lower()
        if self.kind == ChangeKind.PUBLISHED:
            if self.from_status is None:
                return f"Published as {to}"
            if self.replaced_verdict is not None:
                return f"Correction: published again as {to}, no longer {self.replaced_verdict.label.lower()}"
            if self.previous_text is not None:
                return f"Correction: published again as {to}, with a changed wording"
            return f"Published again as {to}"
        if self.kind == ChangeKind.UNPUBLISHED:
            return "Taken off the site"
        if self.kind == ChangeKind.REOPENED:
            assert self.replaced_verdict is not None
            return f"Correction: reopened, {self.replaced_verdict.label.lower()} → {to}"
        if self.kind == ChangeKind.REVERSED:
            assert self.replaced_verdict is not None
            return f"Correction: verdict changed from {self.replaced_verdict.label.lower()} to {to}"
        if self.kind == ChangeKind.REWORDED:
            return "Correction: wording changed"
        if self.kind == ChangeKind.WITHDRAWN:
            return "A statement was withdrawn"
        if self.kind == ChangeKind.VERDICT:
            return f"Verdict: {to}"
        return f"Now {to}"


def change_kind(entry: PublicEntry) -> ChangeKind:
    """The kind of one entry. Corrections are stored as such when the entry is written
    (``PublicEntry.correction``), so the log, the feeds and the claim page agree."""
    if entry.kind == PublicKind.PUBLISHED:
        return ChangeKind.PUBLISHED
    if entry.kind == PublicKind.UNPUBLISHED:
        return ChangeKind.UNPUBLISHED
    if entry.kind == PublicKind.WORDING:
        return ChangeKind.REWORDED
    if entry.kind == PublicKind.WITHDRAWN:
        return ChangeKind.WITHDRAWN
    if entry.replaced_verdict is not None:
        return ChangeKind.REVERSED if entry.status.resolved else ChangeKind.REOPENED
    return ChangeKind.VERDICT if entry.status.resolved else ChangeKind.MOVED


def describe(entry: PublicEntry) -> PublicChange:
    """One entry as readers see it: only public words (a status change's reason, evidence and
    override reason; a correction's reason), never a note."""
    change = entry.change
    reason = entry.reason if entry.reason is not None else (change.reason if change is not None else "")
    withdrawn = None
    if entry.statement is not None:
        withdrawn = f"{public_source(entry.statement.speaker).name}: “{entry.statement.text}”"
    return PublicChange(
        id=entry.id,
        kind=change_kind(entry),
        at=entry.at,
        to_status=entry.status,
        from_status=entry.previous_status,
        correction=entry.correction,
        reason=reason,
        evidence=change.evidence if change is not None and entry.kind in (PublicKind.STATUS, PublicKind.PUBLISHED) else "",
        override_reason=(
            change.override_reason
            if change is not None and change.independence_override
            and entry.kind in (PublicKind.STATUS, PublicKind.PUBLISHED) else None
        ),
        replaced_verdict=entry.replaced_verdict,
        previous_text=entry.previous_text,
        text=entry.text if entry.previous_text is not None else None,
        withdrawn=withdrawn,
        feed_key=f"status-changes/{change.id}" if entry.kind == PublicKind.STATUS and change is not None
        else f"public-history/{entry.id}",
    )


def classify(entries: Sequence[PublicEntry]) -> list[PublicChange]:
    """A claim's public history, oldest first."""
    return [describe(entry) for entry in sorted(entries, key=lambda e: e.id)]


def current_change(history: Sequence[PublicChange]) -> PublicChange:
    """The entry that explains the status readers see now: the newest publication or status
    change (a wording change or a withdrawal keeps the reason of the status)."""
    for change in reversed(history):
        if change.kind not in (ChangeKind.REWORDED, ChangeKind.WITHDRAWN, ChangeKind.UNPUBLISHED):
            return change
    return history[-1]


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
    history = classify(claim.public_entries)
    current = current_change(history)
    assert claim.public_status is not None
    return PublicClaim(
        slug=claim.slug,
        text=claim.text,
        status=claim.public_status,
        status_changed_at=current.at,
        published_at=claim.published_at,
        version=claim.version,
        single_source=claim.flag_single_source,
        anonymous_only=claim.flag_anonymous_only,
        current=current,
        history=history,
        groups=stance_groups(claim.links),
        reports=public_reports(claim.links),
    )
