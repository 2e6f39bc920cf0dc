"""Saving an article's reviewed statements in one step.

The desk page (and any other caller) hands over the report and the statements a checker kept
after reviewing the extractor's proposals; this function creates or reuses the report, each
speaker and relay, every statement, the claim if it is new, and every link — all in the
caller's one transaction, so a refusal anywhere leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import Claim, Report, Source, SourceKind
from .actor import Actor
from .claims import create_claim, get_claim, link_statement
from .sources import create_report, create_source, create_statement, get_report_by_url

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
    stance: str
    direct: bool = False
    anonymous: bool = False
    anonymity_reason: str | None = None
    speaker_kind: str = SourceKind.PERSON
    relayed_by: str | None = None


@dataclass
class IntakeResult:
    claim: Claim
    report: Report
    statements: int
    new_sources: int


class SourceResolver:
    """Turns typed names into sources: "Name · #id" picks one, an exact unique name reuses it,
    anything else is created once per save (two proposals by "Mir" make one new source)."""

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
            source = self.session.get(Source, int(match.group(1)))
            if source is None:
                raise ValidationError(f"No source #{match.group(1)}.", {field: "unknown source"})
            return source
        key = value.lower()
        if key in self.created:
            return self.created[key]
        found = list(self.session.scalars(select(Source).where(func.lower(Source.name) == key).limit(2)))
        if len(found) > 1:
            raise ValidationError(
                f"Several sources are named {value!r}: pick one from the list (it adds its #id).",
                {field: "ambiguous name"},
            )
        return found[0] if found else None

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
    before = len(sources.created)
    carried = get_report_by_url(session, report.url.strip()) if report.url else None
    if carried is None:
        outlet = (
            sources.find_or_create(report.outlet, "outlet", kind=SourceKind.MEDIA) if report.outlet.strip() else None
        )
        carried = create_report(session, actor, url=report.url, title=report.title,
                                outlet_id=outlet.id if outlet else None, text=report.text)
    for n, item in enumerate(statements, start=1):
        try:
            speaker = sources.find_or_create(
                item.speaker, "speaker", kind=item.speaker_kind, anonymous=item.anonymous,
                anonymity_reason=item.anonymity_reason or ("Not named in the report." if item.anonymous else None),
            )
            relay = (
                sources.find_or_create(item.relayed_by, "relayed_by", kind=SourceKind.PERSON)
                if (item.relayed_by or "").strip() else None
            )
            if relay is not None and relay.id == speaker.id:
                relay = None
            statement = create_statement(
                session, actor, speaker_id=speaker.id, text=item.text,
                kind="quote" if item.direct else "paraphrase", report_id=carried.id,
                relayed_by_id=relay.id if relay else None,
            )
            link_statement(session, claim, statement, actor, stance=item.stance)
        except ValidationError as error:
            raise ValidationError(f"Statement {n}: {error.detail}", {f"statement-{n}": error.detail}) from None
    return IntakeResult(claim=claim, report=carried, statements=len(statements),
                        new_sources=len(sources.created) - before)
