"""Sources, reports and statements: the who, where and what of attribution."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Duplicate, ValidationError
from ..models import Claim, ClaimStatement, Report, Role, Source, SourceKind, Statement, StatementKind, utcnow
from . import audit
from .actor import Actor
from .lookup import get_or_not_found
from .claims import refresh_source_flags
from .independence import MAX_AFFILIATION_DEPTH, claims_touching_sources
from .validation import clean_text, http_url, optional_text, parse_enum

#: Field limits of sources, reports and statements (also applied by the bulk import).
MAX_NAME_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 10_000
MAX_TITLE_LENGTH = 500
MAX_STATEMENT_LENGTH = 50_000


def get_source(session: Session, source_id: int) -> Source:
    return get_or_not_found(session, Source, source_id, "source")


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
    name = clean_text(name, "name", max_length=MAX_NAME_LENGTH)
    anonymity_reason = optional_text(anonymity_reason, "anonymity_reason", max_length=2000)
    sealed_identity = optional_text(sealed_identity, "sealed_identity", max_length=2000)
    _check_anonymity(bool(anonymous), anonymity_reason, sealed_identity)
    source = Source(
        kind=kind,
        name=name,
        description=clean_text(description, "description", max_length=MAX_DESCRIPTION_LENGTH, required=False),
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


def _check_anonymity(anonymous: bool, anonymity_reason: str | None, sealed_identity: str | None) -> None:
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
    _check_outlet(session, outlet_id)
    body = _stored_text(text)
    report = Report(
        url=clean_url,
        outlet_id=outlet_id,
        title=clean_text(title, "title", max_length=MAX_TITLE_LENGTH, required=False),
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


def _check_outlet(session: Session, outlet_id: int | None) -> None:
    if outlet_id is not None and session.get(Source, outlet_id) is None:
        raise ValidationError("The outlet is not a known source.", {"outlet_id": "unknown source"})


def _stored_text(text: object) -> str | None:
    # Kept byte for byte, not stripped: the hash must be that of the text as retrieved.
    return clean_text(text, "text", max_length=2_000_000, required=False, strip=False) or None


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
    text = clean_text(text, "text", max_length=MAX_STATEMENT_LENGTH)
    _check_statement_refs(
        session, None, speaker_id=speaker_id, report_id=report_id,
        relayed_by_id=relayed_by_id, relayed_through_id=relayed_through_id,
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


def _check_statement_refs(
    session: Session,
    statement: Statement | None,
    *,
    speaker_id: int,
    report_id: int | None,
    relayed_by_id: int | None,
    relayed_through_id: int | None,
) -> None:
    """The sources, report and relaying statement named exist, and relaying makes no loop."""
    get_source(session, speaker_id)
    if report_id is not None and session.get(Report, report_id) is None:
        raise ValidationError("The report is not known.", {"report_id": "unknown report"})
    if relayed_by_id is not None:
        if relayed_by_id == speaker_id:
            raise ValidationError(
                "A speaker cannot relay their own statement.", {"relayed_by_id": "same as speaker"}
            )
        get_source(session, relayed_by_id)
    if relayed_through_id is None:
        return
    through = session.get(Statement, relayed_through_id)
    if through is None:
        raise ValidationError(
            "The statement it was relayed through is not known.",
            {"relayed_through_id": "unknown statement"},
        )
    if statement is None:  # a new statement cannot be inside a chain yet
        return
    node: Statement | None = through
    for _ in range(MAX_AFFILIATION_DEPTH):
        if node is None:
            return
        if node.id == statement.id:
            raise ValidationError(
                "A statement cannot be relayed through itself, directly or through others.",
                {"relayed_through_id": "would make a loop"},
            )
        node = node.relayed_through
    raise ValidationError("That relaying chain is too deep.", {"relayed_through_id": "too deep"})


def _unknown_fields(fields: dict[str, Any]) -> None:
    if fields:
        raise ValidationError(
            f"Unknown fields: {', '.join(sorted(fields))}.", {name: "unknown field" for name in fields}
        )


def _claims_citing(session: Session, statement_ids: set[int]) -> list[Claim]:
    return list(
        session.scalars(
            select(Claim)
            .join(ClaimStatement, ClaimStatement.claim_id == Claim.id)
            .where(ClaimStatement.statement_id.in_(statement_ids))
            .distinct()
        )
    )


def update_source(session: Session, source: Source, actor: Actor, **fields: Any) -> Source:
    """Edit a source. The anonymity rules of ``create_source`` hold afterwards.

    The sealed identity is read by editors only, so only an editor may change it: a checker
    would be overwriting what they cannot see. For the same reason making a source that has a
    sealed identity public again is an editor's act, and the identity has to be cleared in
    the same edit (``sealed_identity: null``): nothing is silently discarded. Changing whether
    a source is anonymous, or its affiliation, refreshes the flags of the claims it bears on.
    """
    values: dict[str, Any] = {}
    if "name" in fields:
        values["name"] = clean_text(fields.pop("name"), "name", max_length=MAX_NAME_LENGTH)
    if "kind" in fields:
        values["kind"] = parse_enum(SourceKind, fields.pop("kind"), "kind")
    if "description" in fields:
        values["description"] = clean_text(
            fields.pop("description"), "description", max_length=MAX_DESCRIPTION_LENGTH, required=False
        )
    if "url" in fields:
        values["url"] = http_url(fields.pop("url"), "url", required=False)
    sealed_changed = "sealed_identity" in fields
    if sealed_changed:
        actor.require(Role.EDITOR, "see or change a sealed identity")
        values["sealed_identity"] = optional_text(
            fields.pop("sealed_identity"), "sealed_identity", max_length=2000
        )
    anonymous = bool(fields.pop("anonymous", source.anonymous))
    reason = (
        optional_text(fields.pop("anonymity_reason"), "anonymity_reason", max_length=2000)
        if "anonymity_reason" in fields
        else source.anonymity_reason
    )
    sealed = values.get("sealed_identity", source.sealed_identity)
    if not anonymous and sealed and not sealed_changed:
        raise ValidationError(
            "This source has a sealed identity: an editor must clear it (sealed_identity: null) "
            "in the same edit that makes the source public.",
            {"anonymous": "clear the sealed identity first"},
        )
    _check_anonymity(anonymous, reason, sealed)
    affiliation_given = "affiliation_id" in fields
    affiliation_id = fields.pop("affiliation_id", None)
    _unknown_fields(fields)

    anonymity_changed = anonymous != source.anonymous
    values["anonymous"] = anonymous
    values["anonymity_reason"] = reason if anonymous else None
    for name, value in values.items():
        setattr(source, name, value)
    session.flush()
    if sealed_changed:
        audit.record(
            session, "source.sealed_identity", actor=actor, subject_type="source", subject_id=source.id,
            detail="set" if source.sealed_identity else "cleared",
        )
    if affiliation_given and affiliation_id != source.affiliation_id:
        set_affiliation(session, source, actor, affiliation_id)  # refreshes flags itself
    elif anonymity_changed:
        for claim in claims_touching_sources(session, {source.id}):
            refresh_source_flags(session, claim)
    return source


def get_report(session: Session, report_id: int) -> Report:
    return get_or_not_found(session, Report, report_id, "report")


def update_report(session: Session, report: Report, actor: Actor, **fields: Any) -> Report:
    """Edit a report's URL, outlet, title or times; store its text if none is stored yet.

    A stored text is evidence of what the report said when it was retrieved, kept with its
    SHA-256: it is never replaced (file a new report for a changed article).
    """
    if "url" in fields:
        url = http_url(fields.pop("url"), "url")
        assert url is not None
        if url != report.url:
            existing = get_report_by_url(session, url)
            if existing is not None:
                raise Duplicate(f"A report with the URL {url} already exists.", url=url)
            report.url = url
    if "outlet_id" in fields:
        outlet_id = fields.pop("outlet_id")
        _check_outlet(session, outlet_id)
        report.outlet_id = outlet_id
    if "title" in fields:
        report.title = clean_text(fields.pop("title"), "title", max_length=MAX_TITLE_LENGTH, required=False)
    for name in ("published_at", "retrieved_at"):
        if name in fields:
            value = fields.pop(name)
            if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
                raise ValidationError(f"{name} must be a date and time with a time zone.", {name: "not a date"})
            setattr(report, name, value)
    if "text" in fields:
        body = _stored_text(fields.pop("text"))
        if body != report.text:
            if report.text is not None:
                raise ValidationError(
                    "This report's stored text is kept as retrieved and cannot be replaced; "
                    "file the changed article as a new report.",
                    {"text": "already stored"},
                )
            report.text = body
            report.text_sha256 = hashlib.sha256(body.encode()).hexdigest() if body else None
    _unknown_fields(fields)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a concurrent request took the URL first
        raise Duplicate(f"A report with the URL {report.url} already exists.", url=report.url) from None
    return report


def get_statement(session: Session, statement_id: int) -> Statement:
    return get_or_not_found(session, Statement, statement_id, "statement")


def update_statement(session: Session, statement: Statement, actor: Actor, **fields: Any) -> Statement:
    """Edit what was said, by whom, where and through whom; a new speaker refreshes the flags
    of every claim the statement bears on."""
    if "text" in fields:
        statement.text = clean_text(fields.pop("text"), "text", max_length=MAX_STATEMENT_LENGTH)
    if "kind" in fields:
        statement.kind = parse_enum(StatementKind, fields.pop("kind"), "kind")
    if "said_on" in fields:
        said_on = fields.pop("said_on")
        if said_on is not None and not isinstance(said_on, date):
            raise ValidationError("said_on must be a date.", {"said_on": "not a date"})
        statement.said_on = said_on
    refs = {
        name: fields.pop(name) if name in fields else getattr(statement, name)
        for name in ("speaker_id", "report_id", "relayed_by_id", "relayed_through_id")
    }
    _unknown_fields(fields)
    _check_statement_refs(session, statement, **refs)
    speaker_changed = refs["speaker_id"] != statement.speaker_id
    for name, value in refs.items():
        setattr(statement, name, value)
    session.flush()
    if speaker_changed:
        session.expire(statement, ["speaker"])
        for claim in _claims_citing(session, {statement.id}):
            refresh_source_flags(session, claim)
    return statement
