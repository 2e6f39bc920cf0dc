"""Saving an article's reviewed statements in one step.

The desk page (and any other caller) hands over the report and the statements a checker kept
after reviewing the extractor's proposals; this function creates or reuses the report, each
speaker, its affiliation and relay, every statement, the claim if it is new, and every link —
all in the caller's one transaction, so a refusal anywhere leaves nothing behind.

A proposal whose words are already recorded (same speaker, same report, same words) is not
entered twice: the statement recorded is linked instead, or left alone if the claim already
has it. The stance is the one the checker gave toward the chosen claim; a statement attaches
as ``mentions`` (context only) unless the checker picked another, so that no extractor
proposal can confirm or contest a claim without a person deciding it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import Claim, ClaimStatement, Report, Source, SourceKind, Stance, Statement
from .actor import Actor
from .claims import create_claim, get_claim, link_statement
from .validation import MAX_ID
from .sources import create_source, create_statement, find_duplicate, find_or_create_report, sources_named

_ID_SUFFIX = re.compile(r"#(\d+)\s*$")


@dataclass(frozen=True)
class ReportInput:
    url: str
    title: str = ""
    outlet: str = ""
    text: str | None = None


@dataclass(frozen=True)
class StatementInput:
    speaker: str
    text: str
    #: Toward the chosen claim, as the checker set it; ``mentions`` unless they chose.
    stance: str = Stance.MENTIONS
    direct: bool = False
    anonymous: bool = False
    anonymity_reason: str | None = None
    speaker_kind: str = SourceKind.PERSON
    relayed_by: str | None = None
    #: The body a new speaker belongs to ("Name · #id", a known name, or a new organisation).
    affiliation: str | None = None


@dataclass
class IntakeResult:
    claim: Claim
    report: Report
    statements: int
    new_sources: int
    #: Proposals whose words were already recorded: linked (``reused``), or already on the
    #: claim (``already_linked``).
    reused: int = 0
    already_linked: int = 0


class SourceResolver:
    """Turns typed names into sources: "Name · #id" picks one, a name (or an alias left by a
    merge) that one source has reuses it, anything else is created once per save (two
    proposals by "Mir" make one new source)."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session = session
        self.actor = actor
        self.created: dict[str, Source] = {}

    def find(self, value: str, field: str) -> Source | None:
        value = (value or "").strip()
        if not value:
            return None
        match = _ID_SUFFIX.search(value)
        if match:
            number = int(match.group(1)) if len(match.group(1)) <= 10 else 0
            source = self.session.get(Source, number) if 1 <= number <= MAX_ID else None
            if source is None:
                raise ValidationError(f"No source #{match.group(1)}.", {field: "unknown source"})
            while source.merged_into is not None:  # an old pick still in a form: its survivor
                source = source.merged_into
            return source
        key = value.lower()
        if key in self.created:
            return self.created[key]
        found = sources_named(self.session, [value])[key]
        if len(found) > 1:
            raise ValidationError(
                f"Several sources are named {value!r}: pick one from the list (it adds its #id).",
                {field: "ambiguous name"},
            )
        return self.session.get(Source, found[0].id) if found else None

    def find_or_create(self, value: str, field: str, **details: object) -> Source:
        source = self.find(value, field)
        if source is not None:
            return source
        source = create_source(self.session, self.actor, name=value, **details)  # type: ignore[arg-type]
        self.created[value.strip().lower()] = source
        return source


def save_statements(
    session: Session,
    actor: Actor,
    *,
    report: ReportInput,
    statements: Sequence[StatementInput],
    claim_id: int | None = None,
    new_claim_text: str | None = None,
) -> IntakeResult:
    """Attach ``statements`` (carried by ``report``) to an existing claim or a new one."""
    if not statements:
        raise ValidationError("Keep at least one statement to save.", {"statements": "none kept"})
    if claim_id is None and not (new_claim_text or "").strip():
        raise ValidationError(
            "Choose the claim these statements bear on, or phrase a new one.", {"claim": "required"}
        )
    claim = get_claim(session, claim_id) if claim_id is not None else create_claim(
        session, actor, text=new_claim_text or ""
    )
    sources = SourceResolver(session, actor)
    outlet = sources.find_or_create(report.outlet, "outlet", kind=SourceKind.MEDIA) if report.outlet.strip() else None
    carried = find_or_create_report(session, actor, url=report.url, title=report.title,
                                    outlet_id=outlet.id if outlet else None, text=report.text)
    result = IntakeResult(claim=claim, report=carried, statements=0, new_sources=0)
    for n, item in enumerate(statements, start=1):
        try:
            _save_one(session, actor, sources, claim, carried, item, result)
        except ValidationError as error:
            raise ValidationError(f"Statement {n}: {error.detail}", {f"statement-{n}": error.detail}) from None
    result.new_sources = len(sources.created)
    return result


def _save_one(session: Session, actor: Actor, sources: SourceResolver, claim: Claim, report: Report,
              item: StatementInput, result: IntakeResult) -> None:
    speaker = sources.find(item.speaker, "speaker")
    if speaker is None:
        affiliation = (
            sources.find_or_create(item.affiliation, "affiliation", kind=SourceKind.ORGANISATION)
            if (item.affiliation or "").strip() else None
        )
        speaker = sources.find_or_create(
            item.speaker, "speaker", kind=item.speaker_kind, anonymous=item.anonymous,
            anonymity_reason=item.anonymity_reason or ("Not named in the report." if item.anonymous else None),
            affiliation_id=affiliation.id if affiliation else None,
        )
    relay = (
        sources.find_or_create(item.relayed_by, "relayed_by", kind=SourceKind.PERSON)
        if (item.relayed_by or "").strip() else None
    )
    if relay is not None and relay.id == speaker.id:
        relay = None
    statement = find_duplicate(session, speaker_id=speaker.id, report_id=report.id, text=item.text or "")
    if statement is not None:
        linked = session.scalar(select(ClaimStatement.id).where(
            ClaimStatement.claim_id == claim.id, ClaimStatement.statement_id == statement.id))
        if linked is not None:
            result.already_linked += 1
            return
        result.reused += 1
    else:
        statement = create_statement(
            session, actor, speaker_id=speaker.id, text=item.text,
            kind="quote" if item.direct else "paraphrase", report_id=report.id,
            relayed_by_id=relay.id if relay else None,
        )
    link_statement(session, claim, statement, actor, stance=item.stance or Stance.MENTIONS)
    result.statements += 1


def recorded_statements(session: Session, report_url: str, speakers_and_texts: Sequence[tuple[str, str]]) -> list[Statement | None]:
    """For the review page: which proposals (speaker name, words) are already recorded from
    the report at ``report_url`` — the statement, or None."""
    report = session.scalar(select(Report).where(Report.url == report_url.strip())) if report_url else None
    if report is None:
        return [None] * len(speakers_and_texts)
    named = sources_named(session, [speaker.split(" · #")[0] for speaker, _ in speakers_and_texts])
    out: list[Statement | None] = []
    for speaker, text in speakers_and_texts:
        match = _ID_SUFFIX.search(speaker)
        ids = ([int(match.group(1))] if match and len(match.group(1)) <= 10 and int(match.group(1)) <= MAX_ID
               else [] if match else [s.id for s in named.get(speaker.strip().lower(), [])])
        found = None
        for speaker_id in ids:
            found = find_duplicate(session, speaker_id=speaker_id, report_id=report.id, text=text)
            if found is not None:
                break
        out.append(found)
    return out
