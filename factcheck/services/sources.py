"""Sources, reports and statements: the who, where and what of attribution."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Duplicate, NotFound, ValidationError
from ..models import Report, Source, SourceKind, Statement, StatementKind, utcnow
from .actor import Actor
from .claims import refresh_source_flags
from .independence import MAX_AFFILIATION_DEPTH, claims_touching_sources
from .validation import clean_text, http_url, optional_text, parse_enum


def get_source(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"No source with id {source_id}.")
    return source


def _check_affiliation(session: Session, source: Source | None, affiliation_id: int | None) -> Source | None:
    """The affiliation's Source, refusing self-affiliation, cycles and over-deep chains."""
    if affiliation_id is None:
        return None
    if source is not None and affiliation_id == source.id:
        raise ValidationError(
            "A source cannot be affiliated with itself.", {"affiliation_id": "cannot be itself"}
        )
    parent = session.get(Source, affiliation_id)
    if parent is None:
        raise ValidationError("The affiliation is not a known source.", {"affiliation_id": "unknown source"})
    node: Source | None = parent
    for _ in range(MAX_AFFILIATION_DEPTH):
        if node is None:
            return parent
        if source is not None and node.id == source.id:
            raise ValidationError(
                f"{parent.name} already belongs to {source.name}: that affiliation would be circular.",
                {"affiliation_id": "would make a cycle"},
            )
        node = node.affiliation
    raise ValidationError("That affiliation chain is too deep.", {"affiliation_id": "too deep"})


def create_source(
    session: Session,
    actor: Actor,
    *,
    name: str,
    kind: SourceKind | str,
    description: str = "",
    anonymous: bool = False,
    anonymity_reason: str | None = None,
    sealed_identity: str | None = None,
    affiliation_id: int | None = None,
    url: str | None = None,
) -> Source:
    """Create a source. An anonymous one needs the public reason for its anonymity."""
    kind = parse_enum(SourceKind, kind, "kind")
    name = clean_text(name, "name", max_length=300)
    anonymity_reason = optional_text(anonymity_reason, "anonymity_reason", max_length=2000)
    sealed_identity = optional_text(sealed_identity, "sealed_identity", max_length=2000)
    if anonymous and not anonymity_reason:
        raise ValidationError(
            "An anonymous source needs the reason for its anonymity (readers see it).",
            {"anonymity_reason": "required for an anonymous source"},
        )
    if not anonymous and sealed_identity:
        raise ValidationError(
            "Only an anonymous source has a sealed identity.",
            {"sealed_identity": "only for anonymous sources"},
        )
    source = Source(
        kind=kind,
        name=name,
        description=clean_text(description, "description", max_length=10_000, required=False),
        anonymous=bool(anonymous),
        anonymity_reason=anonymity_reason if anonymous else None,
        sealed_identity=sealed_identity,
        affiliation=_check_affiliation(session, None, affiliation_id),
        url=http_url(url, "url", required=False),
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(source)
    session.flush()
    return source


def set_affiliation(session: Session, source: Source, actor: Actor, affiliation_id: int | None) -> Source:
    """Change whom a source belongs to, then refresh the flags of every claim it bears on."""
    source.affiliation = _check_affiliation(session, source, affiliation_id)
    session.flush()
    for claim in claims_touching_sources(session, _descendants(session, source)):
        refresh_source_flags(session, claim)
    return source


def _descendants(session: Session, source: Source) -> set[int]:
    """``source`` and every source whose chain passes through it."""
    found = {source.id}
    frontier = {source.id}
    while frontier:
        frontier = set(
            session.scalars(select(Source.id).where(Source.affiliation_id.in_(frontier)))
        ) - found
        found |= frontier
    return found


def get_report_by_url(session: Session, url: str) -> Report | None:
    return session.scalar(select(Report).where(Report.url == url))


def create_report(
    session: Session,
    actor: Actor,
    *,
    url: str,
    outlet_id: int | None = None,
    title: str = "",
    published_at: datetime | None = None,
    retrieved_at: datetime | None = None,
    text: str | None = None,
) -> Report:
    """Create a report; its URL must be new. A stored text is kept with its SHA-256."""
    clean_url = http_url(url, "url")
    assert clean_url is not None
    if get_report_by_url(session, clean_url) is not None:
        raise Duplicate(f"A report with the URL {clean_url} already exists.", url=clean_url)
    if outlet_id is not None and session.get(Source, outlet_id) is None:
        raise ValidationError("The outlet is not a known source.", {"outlet_id": "unknown source"})
    # Kept byte for byte, not stripped: the hash must be that of the text as retrieved.
    body = clean_text(text, "text", max_length=2_000_000, required=False, strip=False) or None
    report = Report(
        url=clean_url,
        outlet_id=outlet_id,
        title=clean_text(title, "title", max_length=500, required=False),
        published_at=published_at,
        retrieved_at=retrieved_at,
        text=body,
        text_sha256=hashlib.sha256(body.encode()).hexdigest() if body else None,
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(report)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a concurrent request stored the same URL first
        raise Duplicate(f"A report with the URL {clean_url} already exists.", url=clean_url) from None
    return report


def create_statement(
    session: Session,
    actor: Actor,
    *,
    speaker_id: int,
    text: str,
    kind: StatementKind | str,
    report_id: int | None = None,
    relayed_by_id: int | None = None,
    relayed_through_id: int | None = None,
    said_on: date | None = None,
) -> Statement:
    """Record what a speaker said, where it was carried and through whom."""
    kind = parse_enum(StatementKind, kind, "kind")
    text = clean_text(text, "text", max_length=50_000)
    get_source(session, speaker_id)
    if report_id is not None and session.get(Report, report_id) is None:
        raise ValidationError("The report is not known.", {"report_id": "unknown report"})
    if relayed_by_id is not None:
        if relayed_by_id == speaker_id:
            raise ValidationError(
                "A speaker cannot relay their own statement.", {"relayed_by_id": "same as speaker"}
            )
        get_source(session, relayed_by_id)
    if relayed_through_id is not None and session.get(Statement, relayed_through_id) is None:
        raise ValidationError(
            "The statement it was relayed through is not known.",
            {"relayed_through_id": "unknown statement"},
        )
    statement = Statement(
        speaker_id=speaker_id,
        report_id=report_id,
        relayed_by_id=relayed_by_id,
        relayed_through_id=relayed_through_id,
        text=text,
        kind=kind,
        said_on=said_on,
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(statement)
    session.flush()
    return statement
