"""Sources, reports and statements: the who, where and what of attribution.

Every write here leaves the new state, a revision of what was written (sources and
statements) and one audit event, whichever interface asked for it. The rows of a new source,
report or statement are built by ``source_row``, ``report_row`` and ``statement_row``, which
the bulk import uses too; finding a source by a typed name (``sources_named``) and a report by
its address (``find_or_create_report``) happen here and nowhere else.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict, Duplicate, ValidationError
from ..models import (
    Claim,
    ClaimStatement,
    Report,
    Revision,
    Role,
    Source,
    SourceAlias,
    SourceKind,
    Statement,
    StatementKind,
    utcnow,
)
from . import archive, audit, public_history, revisions
from .actor import Actor
from .claims import created_event, refresh_source_flags
from .independence import MAX_AFFILIATION_DEPTH, claims_touching_sources
from .lookup import get_or_not_found
from .validation import clean_text, http_url, optional_text, parse_enum, unquoted
from .validation import said_on as checked_said_on

#: Field limits of sources, reports and statements (also applied by the bulk import).
MAX_NAME_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 10_000
MAX_TITLE_LENGTH = 500
MAX_STATEMENT_LENGTH = 50_000
MAX_REASON_LENGTH = 10_000


# -- sources ----------------------------------------------------------------------------------


def get_source(session: Session, source_id: int) -> Source:
    return get_or_not_found(session, Source, source_id, "source")


def live_source(session: Session, source_id: int) -> Source:
    """The source ``source_id``, or the one it was merged into (followed to the end)."""
    source = get_source(session, source_id)
    for _ in range(MAX_AFFILIATION_DEPTH):
        if source.merged_into_id is None:
            return source
        source = get_source(session, source.merged_into_id)
    return source


@dataclass(frozen=True)
class NamedSource:
    """A source found by a typed name: its own, or an alias left by a merge."""

    id: int
    name: str
    anonymous: bool


def sources_named(session: Session, names: Iterable[str]) -> dict[str, list[NamedSource]]:
    """The sources each name (any case) may mean, oldest first, keyed by the lower-cased name:
    sources of that name that were not merged away, and sources that carry it as an alias. The
    one way a typed or imported name becomes a source (the desk's forms, the extraction page,
    the ClaimReview import alike)."""
    keys = sorted({name.strip().lower() for name in names if name and name.strip()})
    found: dict[str, dict[int, NamedSource]] = {key: {} for key in keys}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = session.execute(
            select(func.lower(Source.name), Source.id, Source.name, Source.anonymous)
            .where(func.lower(Source.name).in_(chunk), Source.merged_into_id.is_(None))
        ).all()
        rows += session.execute(
            select(func.lower(SourceAlias.name), Source.id, Source.name, Source.anonymous)
            .join(Source, Source.id == SourceAlias.source_id)
            .where(func.lower(SourceAlias.name).in_(chunk), Source.merged_into_id.is_(None))
        ).all()
        for key, source_id, name, anonymous in rows:
            found[key][source_id] = NamedSource(source_id, name, anonymous)
    return {key: sorted(by_id.values(), key=lambda s: s.id) for key, by_id in found.items()}


def _check_affiliation(session: Session, source: Source | None, affiliation_id: int | None) -> Source | None:
    """The affiliation's Source, refusing self-affiliation, merged sources, cycles and
    over-deep chains."""
    if affiliation_id is None:
        return None
    if source is not None and affiliation_id == source.id:
        raise ValidationError(
            "A source cannot be affiliated with itself.", {"affiliation_id": "cannot be itself"}
        )
    parent = session.get(Source, affiliation_id)
    if parent is None:
        raise ValidationError("The affiliation is not a known source.", {"affiliation_id": "unknown source"})
    if parent.merged_into_id is not None:
        raise ValidationError(
            f"{parent.name} was merged into source #{parent.merged_into_id}: choose that one.",
            {"affiliation_id": "merged into another source"},
        )
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


def source_row(
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
    at: datetime,
) -> dict[str, Any]:
    """The columns of a new source, checked in this order: kind, name, anonymity, description,
    affiliation, URL (``create_source`` inserts it; the bulk import inserts it in bulk).

    Anyone on the desk may write a sealed identity (a checker is often the one who knows it);
    only editors ever read one back."""
    kind = parse_enum(SourceKind, kind, "kind")
    name = clean_text(name, "name", max_length=MAX_NAME_LENGTH)
    anonymity_reason = optional_text(anonymity_reason, "anonymity_reason", max_length=2000)
    sealed_identity = optional_text(sealed_identity, "sealed_identity", max_length=2000)
    _check_anonymity(bool(anonymous), anonymity_reason, sealed_identity)
    return {
        "kind": kind, "name": name,
        "description": clean_text(description, "description", max_length=MAX_DESCRIPTION_LENGTH, required=False),
        "anonymous": bool(anonymous), "anonymity_reason": anonymity_reason if anonymous else None,
        "sealed_identity": sealed_identity,
        "affiliation_id": affiliation.id if (affiliation := _check_affiliation(session, None, affiliation_id)) else None,
        "url": http_url(url, "url", required=False), "version": 1, "merged_into_id": None,
        "created_by_id": actor.user_id, "created_at": at, "updated_at": at,
    }


def create_source(session: Session, actor: Actor, **fields: Any) -> Source:
    """Create a source (``source_row``'s fields). An anonymous one needs the public reason for
    its anonymity."""
    now = utcnow()
    source = Source(**source_row(session, actor, at=now, **fields))
    session.add(source)
    session.flush()
    values = revisions.snapshot("source", source)
    session.add(Revision(**revisions.revision_row("source", source.id, 1, values, actor, now)))
    audit.append(session, created_event("source", source.id, values, actor, now))
    session.flush()
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


def _refresh_claims_of(session: Session, source_ids: set[int]) -> None:
    for claim in claims_touching_sources(session, source_ids):
        refresh_source_flags(session, claim)


def _check_source_version(source: Source, expected_version: int | None) -> None:
    if expected_version is not None and source.version != expected_version:
        raise Conflict(
            f"This source was changed by someone else since you opened it: it is now at version "
            f"{source.version}, and you edited version {expected_version}. Nothing was saved; review "
            "the changes and retry.",
            current_version=source.version, current_status="",
        )


def _bump_source(session: Session, source: Source, expected_version: int | None) -> None:
    """Increment the source's version, refusing (Conflict) if another write got there first."""
    session.flush()
    stmt = update(Source).where(Source.id == source.id)
    if expected_version is not None:
        stmt = stmt.where(Source.version == expected_version)
    result = session.execute(stmt.values(version=Source.version + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.refresh(source, ["version"])
        _check_source_version(source, expected_version)
    session.refresh(source, ["version"])


def update_source(
    session: Session, source: Source, actor: Actor, *, expected_version: int | None = None, reason: str = "",
    **fields: Any,
) -> Source:
    """Edit a source; the anonymity rules of ``create_source`` hold afterwards. Kept as a
    revision; changing whether it is anonymous, or its affiliation, refreshes the flags of the
    claims it bears on.

    Anyone on the desk may set a sealed identity, never read one: only an editor clears one,
    or makes public a source that has one (clearing it in the same edit, so that nothing is
    silently discarded). ``expected_version`` (the source's version as read) refuses an edit
    made over someone else's.
    """
    if source.merged_into_id is not None:
        raise ValidationError(f"{source.name} was merged into source #{source.merged_into_id}: edit that one.")
    _check_source_version(source, expected_version)
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
        sealed = optional_text(fields.pop("sealed_identity"), "sealed_identity", max_length=2000)
        if sealed is None and source.sealed_identity is not None:
            actor.require(Role.EDITOR, "clear a sealed identity")
        values["sealed_identity"] = sealed
    anonymous = bool(fields.pop("anonymous", source.anonymous))
    reason_for_anonymity = (
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
    _check_anonymity(anonymous, reason_for_anonymity, sealed)
    affiliation_given = "affiliation_id" in fields
    affiliation_id = fields.pop("affiliation_id", None)
    _unknown_fields(fields)
    values["anonymous"] = anonymous
    values["anonymity_reason"] = reason_for_anonymity if anonymous else None
    if affiliation_given and affiliation_id != source.affiliation_id:
        parent = _check_affiliation(session, source, affiliation_id)
        values["affiliation_id"] = parent.id if parent is not None else None
    values = {name: value for name, value in values.items() if getattr(source, name) != value}
    if not values:
        return source
    before = revisions.snapshot("source", source)
    for name, value in values.items():
        setattr(source, name, value)
    if "affiliation_id" in values:
        session.flush()
        session.expire(source, ["affiliation"])
    _bump_source(session, source, expected_version)
    revisions.record(session, "source", source, actor, number=source.version,
                     reason=clean_text(reason, "reason", max_length=MAX_REASON_LENGTH, required=False))
    audit.record(session, "source.edit", actor=actor, subject_type="source", subject_id=source.id,
                 changes=audit.changes(before, revisions.snapshot("source", source)))
    if "affiliation_id" in values:
        _refresh_claims_of(session, _descendants(session, source))
    elif "anonymous" in values:
        _refresh_claims_of(session, {source.id})
    session.flush()
    return source


def set_affiliation(session: Session, source: Source, actor: Actor, affiliation_id: int | None) -> Source:
    """Change whom a source belongs to (``update_source`` of the affiliation alone)."""
    return update_source(session, source, actor, affiliation_id=affiliation_id)


def merge_sources(
    session: Session, merged: Source, survivor: Source | None, actor: Actor, *, reason: str,
    expected_version: int | None = None,
) -> Source:
    """``merged`` and ``survivor`` are one source: an editor's act, with a reason.

    Everything that named ``merged`` names ``survivor`` instead — the statements it said or
    relayed, the reports it published, the sources affiliated with it, its aliases — and its
    name becomes an alias of ``survivor``. The row of ``merged`` stays, marked as merged (its
    address redirects to ``survivor``). The audit event lists every row moved, so the merge
    can be traced. Refused: a source into itself, a source already merged, and a merge that
    would make an affiliation cycle (``survivor`` belonging to ``merged``).
    """
    actor.require(Role.EDITOR, "merge sources")
    if survivor is None:
        raise ValidationError("Pick the source this one is a duplicate of (it ends with its #id).",
                              {"survivor": "unknown source"})
    reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH)
    if merged.id == survivor.id:
        raise ValidationError("A source cannot be merged into itself.", {"survivor": "the same source"})
    for source in (merged, survivor):
        if source.merged_into_id is not None:
            raise ValidationError(f"{source.name} was already merged into source #{source.merged_into_id}.",
                                  {"survivor": "already merged"})
    _check_source_version(merged, expected_version)
    node: Source | None = survivor
    for _ in range(MAX_AFFILIATION_DEPTH):
        if node is None:
            break
        if node.id == merged.id:
            raise ValidationError(
                f"{survivor.name} belongs to {merged.name}: merging them would make {survivor.name} "
                "belong to itself. Change the affiliation first.", {"survivor": "would make a cycle"},
            )
        node = node.affiliation
    moved = {
        "spoke": list(session.scalars(select(Statement.id).where(Statement.speaker_id == merged.id))),
        "relayed": list(session.scalars(select(Statement.id).where(Statement.relayed_by_id == merged.id))),
        "published": list(session.scalars(select(Report.id).where(Report.outlet_id == merged.id))),
        "affiliated": list(session.scalars(select(Source.id).where(Source.affiliation_id == merged.id))),
        "aliases": list(session.scalars(select(SourceAlias.id).where(SourceAlias.source_id == merged.id))),
    }
    session.flush()
    session.execute(update(Statement).where(Statement.speaker_id == merged.id).values(speaker_id=survivor.id)
                    .execution_options(synchronize_session=False))
    session.execute(update(Statement).where(Statement.relayed_by_id == merged.id)
                    .values(relayed_by_id=survivor.id).execution_options(synchronize_session=False))
    session.execute(update(Report).where(Report.outlet_id == merged.id).values(outlet_id=survivor.id)
                    .execution_options(synchronize_session=False))
    session.execute(update(Source).where(Source.affiliation_id == merged.id)
                    .values(affiliation_id=survivor.id).execution_options(synchronize_session=False))
    session.execute(update(SourceAlias).where(SourceAlias.source_id == merged.id)
                    .values(source_id=survivor.id).execution_options(synchronize_session=False))
    now = utcnow()
    if merged.name.strip().lower() != survivor.name.strip().lower():
        session.add(SourceAlias(source_id=survivor.id, name=merged.name, merged_source_id=merged.id, created_at=now))
    merged.merged_into_id = survivor.id
    _bump_source(session, merged, expected_version)
    session.expire_all()
    audit.record(
        session, "source.merge", actor=actor, subject_type="source", subject_id=survivor.id,
        detail=f"#{merged.id} {merged.name} merged into #{survivor.id} {survivor.name}: {reason}",
        changes={"merged_into_id": [None, survivor.id], "merged_source_id": [merged.id, None],
                 **{f"moved_{what}": [ids, []] for what, ids in moved.items() if ids}},
    )
    _refresh_claims_of(session, _descendants(session, survivor))
    session.flush()
    return survivor


# -- reports ----------------------------------------------------------------------------------


def get_report(session: Session, report_id: int) -> Report:
    return get_or_not_found(session, Report, report_id, "report")


def get_report_by_url(session: Session, url: str) -> Report | None:
    return session.scalar(select(Report).where(Report.url == url))


def _check_outlet(session: Session, outlet_id: int | None) -> None:
    if outlet_id is None:
        return
    outlet = session.get(Source, outlet_id)
    if outlet is None:
        raise ValidationError("The outlet is not a known source.", {"outlet_id": "unknown source"})
    if outlet.merged_into_id is not None:
        raise ValidationError(f"{outlet.name} was merged into source #{outlet.merged_into_id}: choose that one.",
                              {"outlet_id": "merged into another source"})


def _stored_text(text: object) -> str | None:
    # Kept byte for byte, not stripped: the hash must be that of the text as retrieved.
    return clean_text(text, "text", max_length=2_000_000, required=False, strip=False) or None


def report_row(
    session: Session,
    actor: Actor,
    *,
    url: str,
    outlet_id: int | None = None,
    title: str = "",
    published_at: datetime | None = None,
    retrieved_at: datetime | None = None,
    text: str | None = None,
    at: datetime,
) -> dict[str, Any]:
    """The columns of a new report, checked (``create_report`` and the bulk import). The URL's
    uniqueness is the caller's to check: ``create_report`` against the table, the import
    against its batch too."""
    clean_url = http_url(url, "url")
    _check_outlet(session, outlet_id)
    body = _stored_text(text)
    return {
        "url": clean_url, "outlet_id": outlet_id,
        "title": clean_text(title, "title", max_length=MAX_TITLE_LENGTH, required=False),
        "published_at": published_at, "retrieved_at": retrieved_at, "text": body,
        "text_sha256": hashlib.sha256(body.encode()).hexdigest() if body else None,
        "created_by_id": actor.user_id, "created_at": at,
    }


#: What the audit log records of a report (not its stored text: its hash stands for it).
REPORT_AUDITED = ("url", "outlet_id", "title", "published_at", "retrieved_at", "text_sha256")


def _report_values(report: Report | dict[str, Any]) -> dict[str, Any]:
    get = report.get if isinstance(report, dict) else lambda name: getattr(report, name)
    return {name: get(name) for name in REPORT_AUDITED}


def report_event(report_id: int, report: Report | dict[str, Any], actor: Actor, at: datetime) -> dict[str, Any]:
    """The audit event of a new report (``create_report`` and the bulk import)."""
    return created_event("report", report_id, audit.plain(_report_values(report)), actor, at)


def create_report(session: Session, actor: Actor, **fields: Any) -> Report:
    """Create a report (``report_row``'s fields); its URL must be new. A stored text is kept
    with its SHA-256."""
    now = utcnow()
    row = report_row(session, actor, at=now, **fields)
    if get_report_by_url(session, row["url"]) is not None:
        raise Duplicate(f"A report with the URL {row['url']} already exists.", url=row["url"])
    report = Report(**row)
    archive.request_report(session, report)  # written with it; fetched by the worker after the commit
    session.add(report)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a concurrent request stored the same URL first
        raise Duplicate(f"A report with the URL {row['url']} already exists.", url=row["url"]) from None
    audit.append(session, report_event(report.id, report, actor, now))
    session.flush()
    return report


def find_or_create_report(session: Session, actor: Actor, *, url: str, **details: Any) -> Report:
    """The report at ``url`` (as cleaned by ``report_row``), or a new one with ``details``."""
    clean_url = http_url(url, "url")
    assert clean_url is not None
    return get_report_by_url(session, clean_url) or create_report(session, actor, url=clean_url, **details)


def update_report(session: Session, report: Report, actor: Actor, **fields: Any) -> Report:
    """Edit a report's URL, outlet, title or times; store its text if none is stored yet.

    A stored text is evidence of what the report said when it was retrieved, kept with its
    SHA-256: it is never replaced (file a new report for a changed article).
    """
    before = _report_values(report)
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
    changed = audit.changes(before, _report_values(report))
    if not changed:
        return report
    if "url" in changed:
        archive.request_report(session, report)  # the new address, written with the edit
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a concurrent request took the URL first
        raise Duplicate(f"A report with the URL {report.url} already exists.", url=report.url) from None
    audit.record(session, "report.edit", actor=actor, subject_type="report", subject_id=report.id,
                 changes=changed)
    return report


# -- statements -------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"})


def fingerprint(text: str) -> str:
    """What makes two entries of a statement's words the same: the SHA-256 of the text with
    case, spacing, the kind of quotation marks and surrounding quotes and punctuation aside."""
    normal = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    normal = " ".join(normal.split()).strip(" \"'.,;:!?-–—")
    return hashlib.sha256(normal.encode()).hexdigest()


def get_statement(session: Session, statement_id: int) -> Statement:
    return get_or_not_found(session, Statement, statement_id, "statement")


def find_duplicate(session: Session, *, speaker_id: int, report_id: int | None, text: str) -> Statement | None:
    """A statement already recorded with the same speaker, report and (normalised) words,
    not retracted: entering it again would count it twice."""
    return session.scalar(
        select(Statement).where(
            Statement.speaker_id == speaker_id,
            Statement.fingerprint == fingerprint(text),
            Statement.report_id.is_(None) if report_id is None else Statement.report_id == report_id,
            Statement.retracted_at.is_(None),
        ).order_by(Statement.id).limit(1)
    )


def statement_row(
    session: Session,
    actor: Actor,
    *,
    speaker_id: int | None,
    text: str,
    kind: StatementKind | str,
    report_id: int | None = None,
    relayed_by_id: int | None = None,
    relayed_through_id: int | None = None,
    said_on: date | None = None,
    at: datetime,
) -> dict[str, Any]:
    """The columns of a new statement, its words checked (``create_statement`` checks what it
    points to; the bulk import points only to rows it has just found or made)."""
    kind = parse_enum(StatementKind, kind, "kind")
    text = clean_text(text, "text", max_length=MAX_STATEMENT_LENGTH)
    if kind == StatementKind.QUOTE:
        text = unquoted(text)
    return {
        "speaker_id": speaker_id, "report_id": report_id, "relayed_by_id": relayed_by_id,
        "relayed_through_id": relayed_through_id, "text": text, "kind": kind, "said_on": checked_said_on(said_on),
        "fingerprint": fingerprint(text), "version": 1, "retracted_at": None, "retracted_by_id": None,
        "retraction_reason": None, "created_by_id": actor.user_id, "created_at": at,
    }


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
    """Record what a speaker said, where it was carried and through whom. The same words by
    the same speaker in the same report are refused (Duplicate, naming the statement
    recorded): link that one instead."""
    now = utcnow()
    row = statement_row(
        session, actor, speaker_id=speaker_id, text=text, kind=kind, report_id=report_id,
        relayed_by_id=relayed_by_id, relayed_through_id=relayed_through_id, said_on=said_on, at=now,
    )
    _check_statement_refs(
        session, None, speaker_id=speaker_id, report_id=report_id,
        relayed_by_id=relayed_by_id, relayed_through_id=relayed_through_id,
    )
    existing = find_duplicate(session, speaker_id=speaker_id, report_id=report_id, text=row["text"])
    if existing is not None:
        raise Duplicate(
            f"This statement is already recorded (#{existing.id}, by {existing.speaker.name}): "
            "use the existing one instead of entering it twice.",
            statement_id=existing.id,
        )
    statement = Statement(**row)
    session.add(statement)
    session.flush()
    values = revisions.snapshot("statement", statement)
    session.add(Revision(**revisions.revision_row("statement", statement.id, 1, values, actor, now)))
    audit.append(session, created_event("statement", statement.id, values, actor, now))
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
    """The sources, report and relaying statement named exist (and were not merged away), and
    relaying makes no loop."""
    speaker = get_source(session, speaker_id)
    if speaker.merged_into_id is not None:
        raise ValidationError(f"{speaker.name} was merged into source #{speaker.merged_into_id}: choose that one.",
                              {"speaker_id": "merged into another source"})
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


def claims_citing(session: Session, statement_ids: set[int], *, published_only: bool = False) -> list[Claim]:
    """Claims on which any of ``statement_ids`` counts (linked, not taken off)."""
    stmt = (
        select(Claim)
        .join(ClaimStatement, ClaimStatement.claim_id == Claim.id)
        .where(ClaimStatement.statement_id.in_(statement_ids), ClaimStatement.unlinked_at.is_(None))
        .distinct()
    )
    if published_only:
        stmt = stmt.where(Claim.published_at.is_not(None))
    return list(session.scalars(stmt))


#: A statement's words: what only an editor changes once a published claim shows them.
WORDS = frozenset({"text", "kind", "speaker_id"})


def _check_statement_version(statement: Statement, expected_version: int | None) -> None:
    if expected_version is not None and statement.version != expected_version:
        raise Conflict(
            f"This statement was changed by someone else since you opened it: it is now at version "
            f"{statement.version}, and you edited version {expected_version}. Nothing was saved; review "
            "the changes and retry.",
            current_version=statement.version, current_status="",
        )


def _bump_statement(session: Session, statement: Statement, expected_version: int | None) -> None:
    session.flush()
    stmt = update(Statement).where(Statement.id == statement.id)
    if expected_version is not None:
        stmt = stmt.where(Statement.version == expected_version)
    result = session.execute(stmt.values(version=Statement.version + 1).execution_options(synchronize_session=False))
    session.refresh(statement, ["version"])
    if result.rowcount != 1:  # type: ignore[attr-defined]
        _check_statement_version(statement, expected_version)


def update_statement(
    session: Session, statement: Statement, actor: Actor, *, expected_version: int | None = None,
    reason: str = "", **fields: Any,
) -> Statement:
    """Edit what was said, by whom, where and through whom; kept as a revision.

    Once a published claim shows the statement, its words (text, quote or paraphrase,
    speaker) are changed by an editor only. A new speaker refreshes the flags of every claim
    the statement bears on. ``expected_version`` (the statement's version as read) refuses an
    edit made over someone else's.
    """
    _check_statement_version(statement, expected_version)
    if statement.retracted_at is not None:
        raise ValidationError(f"Statement #{statement.id} was retracted; it is kept as it was.")
    values: dict[str, Any] = {}
    if "text" in fields:
        values["text"] = clean_text(fields.pop("text"), "text", max_length=MAX_STATEMENT_LENGTH)
    if "kind" in fields:
        values["kind"] = parse_enum(StatementKind, fields.pop("kind"), "kind")
    if values.get("kind", statement.kind) == StatementKind.QUOTE and "text" in values:
        values["text"] = unquoted(values["text"])
    if "said_on" in fields:
        values["said_on"] = checked_said_on(fields.pop("said_on"))
    refs = {
        name: fields.pop(name) if name in fields else getattr(statement, name)
        for name in ("speaker_id", "report_id", "relayed_by_id", "relayed_through_id")
    }
    _unknown_fields(fields)
    _check_statement_refs(session, statement, **refs)
    values.update(refs)
    values = {name: value for name, value in values.items() if getattr(statement, name) != value}
    if not values:
        return statement
    if WORDS & values.keys() and claims_citing(session, {statement.id}, published_only=True):
        actor.require(
            Role.EDITOR,
            "change the words of a statement that a published claim shows to readers; ask an editor",
        )
    before = revisions.snapshot("statement", statement)
    for name, value in values.items():
        setattr(statement, name, value)
    if "text" in values:
        statement.fingerprint = fingerprint(statement.text)
    _bump_statement(session, statement, expected_version)
    revisions.record(session, "statement", statement, actor, number=statement.version,
                     reason=clean_text(reason, "reason", max_length=MAX_REASON_LENGTH, required=False))
    audit.record(session, "statement.edit", actor=actor, subject_type="statement", subject_id=statement.id,
                 changes=audit.changes(before, revisions.snapshot("statement", statement)))
    if "speaker_id" in values:
        session.expire(statement, ["speaker"])
        for claim in claims_citing(session, {statement.id}):
            refresh_source_flags(session, claim)
    session.flush()
    return statement


def retract_statement(
    session: Session, statement: Statement, actor: Actor, *, reason: str, expected_version: int | None = None
) -> Statement:
    """Withdraw a statement (entered in error, or retracted by its outlet): it stays, struck
    through on the desk, and counts for no claim; readers of a published claim that showed it
    are told it was withdrawn, with ``reason``."""
    _check_statement_version(statement, expected_version)
    reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH)
    if statement.retracted_at is not None:
        raise ValidationError(f"Statement #{statement.id} was already retracted ({statement.retraction_reason}).",
                              {"reason": "already retracted"})
    now = utcnow()
    statement.retracted_at, statement.retracted_by_id, statement.retraction_reason = now, actor.user_id, reason
    _bump_statement(session, statement, expected_version)
    for claim in claims_citing(session, {statement.id}):
        refresh_source_flags(session, claim)
        public_history.withdrawn(session, claim, statement, reason, now)
    audit.record(session, "statement.retract", actor=actor, subject_type="statement", subject_id=statement.id,
                 detail=reason, changes=audit.changes({"retracted_at": None}, {"retracted_at": now}))
    session.flush()
    return statement
