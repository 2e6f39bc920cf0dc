"""Archived evidence: copies of every report and evidence link, and what became of them.

**What is archived.** A report's URL, and every http(s) link in a status change's evidence
(``evidence_links`` says precisely which). Adding either — on the desk, the extraction page,
the API, the CLI or an import — writes the *archive request* in the same transaction, so that
a committed report has its archiving asked for: for a report, its own ``archive_requested``
column (no statement of its own); for a status change whose evidence has links, one
``EvidenceArchiveRequest`` row. Nothing is fetched by the request that adds it: after the
commit the job worker is woken (``factcheck.archive_jobs``); it takes the requests
(``take_requests``), writes each address's ``ArchivedUrl`` row (one per address, however many
reports and claims cite it), due at once, and an ``ArchiveLink`` saying who cites it
(``cite``), then fetches what is due; its sweep every minute picks up anything whose wake-up
was lost.

**A fetch** (``services.fetch``: the address rule, redirects, size, time and type limits)
that brings a page keeps a ``Snapshot``: the bytes in the file store (``factcheck.storage``,
by SHA-256: stored once however often they recur), final URL, HTTP status, content type, time
and the readable text. The first copy's text becomes the text of each report at that address
that has none (``sources.update_report``: a stored text is never replaced). A fetch that
fails or is refused keeps no bytes and changes no report; its row says why.

**Change detection.** Every archived address is fetched again on a schedule (``Schedule``):
daily while any claim citing it is unresolved or moved in the last 30 days, weekly otherwise.
A changed readable text is a new snapshot (``changed``) with a word-level difference from the
copy before; a page answering 404 or 410 is ``gone``. Either is shown on the claim's desk page
and told to the claim's watchers (``inbox.notify``, kind ``source_changed`` / ``source_gone``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from ..errors import DomainError, NotFound, ValidationError
from ..models import (
    UNRESOLVED,
    ArchivedUrl,
    ArchiveLink,
    Claim,
    ClaimStatement,
    EvidenceArchiveRequest,
    Report,
    Snapshot,
    Statement,
    StatusChange,
    Watch,
    utcnow,
)
from ..models.base import UTCDateTime
from . import audit, inbox
from .actor import Actor
from .fetch import Fetched
from .validation import http_url

#: ``session.info`` key set when an archive request is written: once the session commits, the
#: worker is woken (``factcheck.archive_jobs``).
REQUESTED = "factcheck.archive_requested"
#: The worker's own actor: what it writes (a report's text from its first copy, notifications)
#: is the tracker's doing, not a person's.
ARCHIVER = Actor.system("archive")
#: Links taken from one status change's evidence, at most.
MAX_EVIDENCE_LINKS = 20
#: How long a worker holds an address it took before another may take it (it died, say).
LEASE = timedelta(minutes=10)
#: The first retries of an address never fetched yet: 5 minutes, then twice as long each time,
#: never longer than its schedule.
RETRY = timedelta(minutes=5)

#: An http(s) link in free text: up to a space, a quotation mark or an angle bracket.
_LINK = re.compile(r"""https?://[^\s<>"'`{}|\\^“”‘’«»‹›]+""", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def enabled(config: Mapping[str, Any] | None) -> bool:
    """Whether requests are written at all (``ARCHIVE_ENABLED``; on without an application)."""
    return True if config is None else bool(config.get("ARCHIVE_ENABLED", True))


def _config() -> Mapping[str, Any] | None:
    from flask import current_app, has_app_context

    return current_app.config if has_app_context() else None


# --- Which addresses ------------------------------------------------------------------------


def archive_key(url: str) -> str:
    """The address kept for ``url``: without its ``#fragment`` (one page, whatever part of it
    a link points at)."""
    return url.split("#", 1)[0]


def evidence_links(text: str | None) -> list[str]:
    """The links of a status change's evidence that are archived, in order, each once, at most
    ``MAX_EVIDENCE_LINKS``: every ``http://`` or ``https://`` address in the text (any case),
    running up to a space, a quotation mark (straight, curly or angled), an angle bracket or a
    backtick, less any
    punctuation that ends the sentence around it (``.,;:!?``) and a closing bracket that
    opens nowhere in the link (``(see https://x.org/a)``; ``https://x.org/A_(b)`` keeps its
    own). What is left must pass the report URL rule (``validation.http_url``: a host, no
    spaces, at most 2,000 characters); other schemes (``ftp:``, ``mailto:``) and bare
    domains are not links here. The ``#fragment`` is dropped (``archive_key``)."""
    if not text:
        return []
    found: list[str] = []
    for match in _LINK.finditer(text):
        link = match.group(0)
        while link:
            last = link[-1]
            if last in _TRAILING:
                link = link[:-1]
            elif last in _PAIRS and link.count(_PAIRS[last]) < link.count(last):
                link = link[:-1]
            else:
                break
        try:
            clean = http_url(link, "evidence")
        except ValidationError:
            continue
        if clean is None:
            continue
        key = archive_key(clean)
        if "://" not in key or not key.split("://", 1)[1].split("/", 1)[0]:
            continue
        if key not in found:
            found.append(key)
        if len(found) >= MAX_EVIDENCE_LINKS:
            break
    return found


# --- Requests (in the transaction of what has the addresses) ---------------------------------


#: Rows per statement when many are written or read at once (the batch import, the backfill).
CHUNK = 500

_QUEUE = EvidenceArchiveRequest.__table__.insert()
_TAKE_EVIDENCE = (select(EvidenceArchiveRequest.id, EvidenceArchiveRequest.status_change_id)
                  .order_by(EvidenceArchiveRequest.id).limit(bindparam("limit")).with_for_update(skip_locked=True))
_REPORTS = Report.__table__
_TAKE_REPORTS = (
    _REPORTS.update()
    .where(_REPORTS.c.archive_requested, _REPORTS.c.id.in_(
        select(_REPORTS.c.id).where(_REPORTS.c.archive_requested).order_by(_REPORTS.c.id)
        .limit(bindparam("limit")).with_for_update(skip_locked=True)))
    .values(archive_requested=False)
    .returning(_REPORTS.c.id, _REPORTS.c.url)
)


def _requested(session: Session) -> bool:
    """Whether requests are written (``ARCHIVE_ENABLED``); if so, the worker is woken after the
    commit."""
    if not enabled(_config()):
        return False
    session.info[REQUESTED] = True
    return True


def request_report(session: Session, report: Report) -> bool:
    """Ask for ``report``'s URL to be archived (``sources.create_report`` and ``update_report``
    call it, before the report is written): its ``archive_requested`` column, written with the
    report — no statement of its own."""
    if not _requested(session):
        return False
    report.archive_requested = True
    flag_modified(report, "archive_requested")  # written even if this session last saw it set
    return True


def request_evidence(session: Session, change: StatusChange) -> bool:
    """Ask for the links of ``change``'s evidence to be archived (``status.apply_move`` calls
    it): one row if the evidence has any, none otherwise."""
    if not evidence_links(change.evidence) or not _requested(session):
        return False
    if change.id is None:
        session.flush()
    session.execute(_QUEUE, {"status_change_id": change.id})
    return True


def request_many(session: Session, *, reports: Iterable[int] = (), evidence: Iterable[tuple[int, str]] = ()) -> int:
    """Archive requests in bulk (the batch import, after it inserted its rows): ``reports`` as
    report ids, ``evidence`` as (status change id, evidence text) — a request for each change
    whose evidence has links. Returns how many."""
    report_ids = sorted(set(reports))
    changes = [{"status_change_id": change_id} for change_id, text in evidence if evidence_links(text)]
    if not (report_ids or changes) or not _requested(session):
        return 0
    for start in range(0, len(report_ids), CHUNK):
        session.execute(_REPORTS.update().where(_REPORTS.c.id.in_(report_ids[start:start + CHUNK]))
                        .values(archive_requested=True))
    for start in range(0, len(changes), CHUNK):
        session.execute(_QUEUE, changes[start:start + CHUNK])
    return len(report_ids) + len(changes)


def take_requests(session: Session, now: datetime | None = None, *, limit: int = CHUNK) -> int:
    """The worker's first step: take up to ``limit`` reports waiting to be archived and up to
    ``limit`` status changes' evidence requests, oldest first, and write the addresses they
    name (``cite``); returns how many were taken. A report is taken by clearing its
    ``archive_requested``, an evidence request by deleting it. On PostgreSQL the rows are
    locked as they are read, and those another worker holds are skipped (``FOR UPDATE SKIP
    LOCKED``), so no request is taken twice; on SQLite the worker's transaction is the one
    writer. A request whose status change is gone is dropped."""
    citations: list[tuple[str, dict[str, int | None]]] = [
        (archive_key(url), {"report_id": report_id})
        for report_id, url in session.execute(_TAKE_REPORTS, {"limit": limit})]
    taken = len(citations)
    rows = session.execute(_TAKE_EVIDENCE, {"limit": limit}).all()
    if rows:
        session.execute(delete(EvidenceArchiveRequest).where(EvidenceArchiveRequest.id.in_([row.id for row in rows])))
        for claim_id, change_id, text in session.execute(
                select(StatusChange.claim_id, StatusChange.id, StatusChange.evidence)
                .where(StatusChange.id.in_(sorted({row.status_change_id for row in rows})))):
            citations += [(link, {"claim_id": claim_id, "status_change_id": change_id})
                          for link in evidence_links(text)]
    cite(session, citations, now or utcnow())
    return taken + len(rows)


# --- Citations: the addresses and who cites them ------------------------------------------------


def _upsert_statement(dialect_name: str) -> Any:
    """``INSERT`` an address due at ``:now``, or find the known one, ``RETURNING`` its id, when
    it was created and when it is next due. Executed with a list of addresses: one statement
    per few hundred (SQLAlchemy's "insertmanyvalues"), safe against a concurrent request
    inserting the same address (``ON CONFLICT``). Built once per dialect (its compiled form is
    cached)."""
    table = ArchivedUrl.__table__
    now = bindparam("now", type_=UTCDateTime)
    insert = (sqlite if dialect_name == "sqlite" else postgresql).insert(table).values(
        url=bindparam("url", type_=table.c.url.type), state="pending", created_at=now, next_check_at=now,
        checks=0, failures=0, wayback_error="")
    return insert.on_conflict_do_update(index_elements=["url"], set_={"url": insert.excluded.url}).returning(
        table.c.url, table.c.id, table.c.created_at, table.c.next_check_at)


_UPSERT = {name: _upsert_statement(name) for name in ("sqlite", "postgresql")}
_KNOWN_LINKS = select(ArchiveLink.archived_url_id, ArchiveLink.report_id, ArchiveLink.claim_id,
                      ArchiveLink.status_change_id).where(ArchiveLink.archived_url_id.in_(bindparam("ids", expanding=True)))


def cite(session: Session, citations: list[tuple[str, dict[str, int | None]]], now: datetime) -> int:
    """The addresses of ``citations`` (address, who cites it): their rows, due now if new, and
    a link for each citation not recorded yet; an address known already is brought forward to
    now (never back) when a new citation of it is recorded, so it is checked again at once.
    Returns how many citations were new. Written by the worker from the requests it takes, by
    "check again" and by the backfill — never by the request that adds a report.

    One implementation for one citation and for a hundred thousand: the addresses are written
    in their sorted order (two transactions citing the same addresses lock them in the same
    order), a few hundred a statement. A new address costs two statements (the address, the
    link); the links of a known address are read first."""
    if not citations or not enabled(_config()):
        return 0
    dialect = "sqlite" if session.get_bind().dialect.name == "sqlite" else "postgresql"
    wanted = list(dict.fromkeys(
        (url, (who.get("report_id"), who.get("claim_id"), who.get("status_change_id"))) for url, who in citations))
    urls = sorted({url for url, _ in wanted})
    found: dict[str, tuple[int, datetime, datetime | None]] = {}
    for start in range(0, len(urls), CHUNK):
        rows = session.execute(_UPSERT[dialect], [{"url": url, "now": now} for url in urls[start:start + CHUNK]])
        found.update((url, (url_id, created, due)) for url, url_id, created, due in rows)
    # An address this transaction has just created has no links yet: only the others are read.
    older = sorted({url_id for url_id, created, _ in found.values() if created != now})
    known: set[tuple[int, int | None, int | None, int | None]] = set()
    for start in range(0, len(older), CHUNK):
        known.update(tuple(row) for row in session.execute(_KNOWN_LINKS, {"ids": older[start:start + CHUNK]}))
    links = []
    for url, (report_id, claim_id, change_id) in wanted:
        if (found[url][0], report_id, claim_id, change_id) in known:
            continue
        links.append({"archived_url_id": found[url][0], "report_id": report_id, "claim_id": claim_id,
                      "status_change_id": change_id, "created_at": now})
    if not links:
        return 0
    session.execute(ArchiveLink.__table__.insert(), links)
    later = sorted({link["archived_url_id"] for link in links} & {
        url_id for url_id, _, due in found.values() if due is None or due > now})
    for start in range(0, len(later), CHUNK):
        session.execute(
            update(ArchivedUrl)
            .where(ArchivedUrl.id.in_(later[start:start + CHUNK]),
                   or_(ArchivedUrl.next_check_at.is_(None), ArchivedUrl.next_check_at > now))
            .values(next_check_at=now).execution_options(synchronize_session=False))
    session.info[REQUESTED] = True
    return len(links)


def check_again(session: Session, report: Report, actor: Actor) -> ArchivedUrl:
    """Fetch ``report``'s URL again as soon as the worker can (the desk's "check now"); a
    report never archived (filed before archiving existed) is requested now."""
    if not enabled(_config()):
        raise ValidationError("Archiving is switched off on this server (FACTCHECK_ARCHIVE=0): nothing is fetched.")
    key = archive_key(report.url)
    cite(session, [(key, {"report_id": report.id})], utcnow())
    archived = session.scalar(select(ArchivedUrl).where(ArchivedUrl.url == key))
    assert archived is not None
    before = archived.next_check_at
    now = utcnow()
    if before is None or before > now:
        archived.next_check_at = now
        session.info[REQUESTED] = True
    session.flush()
    audit.record(session, "report.archive", actor=actor, subject_type="report", subject_id=report.id,
                 detail=f"checked again on request: {key}",
                 changes={"next_check_at": [audit.plain(before), audit.plain(archived.next_check_at)]}
                 if before != archived.next_check_at else {"check_requested": [False, True]})
    return archived


def backfill(session: Session, actor: Actor) -> int:
    """The addresses of every report and evidence link recorded before archiving existed
    (``flask archive backfill``), written at once (``cite``); returns how many citations were
    new."""
    citations: list[tuple[str, dict[str, int | None]]] = [
        (archive_key(url), {"report_id": report_id}) for report_id, url in session.execute(select(Report.id, Report.url))]
    for claim_id, change_id, text in session.execute(
            select(StatusChange.claim_id, StatusChange.id, StatusChange.evidence).where(StatusChange.evidence != "")):
        citations += [(link, {"claim_id": claim_id, "status_change_id": change_id}) for link in evidence_links(text)]
    count = cite(session, citations, utcnow())
    if count:
        audit.record(session, "archive.backfill", actor=actor, subject_type="archive",
                     detail=f"{count} citation{'s' if count != 1 else ''} of reports and evidence links to archive",
                     changes={"requested": [0, count]})
    return count


# --- The worker's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """When an address is fetched again (``from_config``)."""

    #: While any claim citing it is unresolved or moved within ``active_days``.
    active: timedelta = timedelta(hours=24)
    #: Otherwise (and for a report no claim cites).
    quiet: timedelta = timedelta(days=7)
    active_days: int = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Schedule:
        return cls(active=timedelta(hours=float(config.get("ARCHIVE_RECHECK_ACTIVE_HOURS", 24))),
                   quiet=timedelta(hours=float(config.get("ARCHIVE_RECHECK_QUIET_HOURS", 168))),
                   active_days=int(config.get("ARCHIVE_ACTIVE_DAYS", 30)))


@dataclass(frozen=True)
class Due:
    """An address a worker took to fetch."""

    id: int
    url: str


def take_due(session: Session, now: datetime | None = None, *, limit: int = 20) -> list[Due]:
    """Up to ``limit`` addresses due now, oldest due first, each taken for ``LEASE`` (a
    conditional update: two workers never take the same one)."""
    now = now or utcnow()
    rows = session.execute(
        select(ArchivedUrl.id, ArchivedUrl.url, ArchivedUrl.next_check_at)
        .where(ArchivedUrl.next_check_at <= now).order_by(ArchivedUrl.next_check_at, ArchivedUrl.id).limit(limit)
    ).all()
    taken = []
    for row in rows:
        done = session.execute(
            update(ArchivedUrl).where(ArchivedUrl.id == row.id, ArchivedUrl.next_check_at == row.next_check_at)
            .values(next_check_at=now + LEASE).execution_options(synchronize_session=False))
        if done.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(Due(row.id, row.url))
    return taken


def latest_fingerprint(session: Session, url_id: int) -> str | None:
    """The fingerprint of the newest kept copy of an address (None before the first)."""
    return session.scalar(
        select(Snapshot.fingerprint).where(Snapshot.archived_url_id == url_id, Snapshot.sha256.is_not(None))
        .order_by(Snapshot.id.desc()).limit(1))


@dataclass
class Recorded:
    """What recording a fetch did."""

    snapshot: Snapshot | None
    #: ``archived``, ``changed``, ``unchanged``, ``gone``, ``still gone``, ``failed``, ``refused``.
    outcome: str
    notified: list[int] = field(default_factory=list)
    reports_filled: list[int] = field(default_factory=list)


def claims_citing(session: Session, url_id: int) -> list[int]:
    """Claims that cite an address: through a status change's evidence, or through a
    statement (still on the claim) carried by a report at the address."""
    by_evidence = select(ArchiveLink.claim_id).where(ArchiveLink.archived_url_id == url_id,
                                                     ArchiveLink.claim_id.is_not(None))
    by_report = (
        select(ClaimStatement.claim_id)
        .join(Statement, Statement.id == ClaimStatement.statement_id)
        .join(ArchiveLink, ArchiveLink.report_id == Statement.report_id)
        .where(ArchiveLink.archived_url_id == url_id, ClaimStatement.unlinked_at.is_(None))
    )
    ids = set(session.scalars(by_evidence)) | set(session.scalars(by_report))
    return sorted(i for i in ids if i is not None)


def next_check(session: Session, archived: ArchivedUrl, schedule: Schedule, now: datetime, *,
               retrying: bool) -> datetime:
    """When ``archived`` is fetched next: daily (``schedule.active``) while a claim citing it
    is unresolved or moved in the last ``active_days``, else weekly (``schedule.quiet``); an
    address never fetched yet is retried sooner after a failure (``RETRY``, doubling)."""
    claim_ids = claims_citing(session, archived.id)
    active = bool(claim_ids) and session.scalar(
        select(Claim.id).where(Claim.id.in_(claim_ids), or_(
            Claim.status.in_(sorted(UNRESOLVED, key=lambda s: s.value)),
            Claim.last_activity_at >= now - timedelta(days=schedule.active_days))).limit(1)) is not None
    interval = schedule.active if active else schedule.quiet
    if retrying:
        interval = min(interval, RETRY * (2 ** min(max(archived.failures - 1, 0), 16)))
    return now + interval


def record(session: Session, url_id: int, fetched: Fetched, *, stored_sha256: str | None, text: str | None,
           title: str | None, fingerprint: str | None, schedule: Schedule, now: datetime | None = None) -> Recorded:
    """Record one fetch of the address ``url_id`` (taken by ``take_due``): a new snapshot if
    it found something new, the address's state and next check, the reports' text from a
    first copy, and the watchers told of a change or a page gone. ``stored_sha256``: the body
    as put in the store (only for a copy the caller found new: ``latest_fingerprint``)."""
    now = now or utcnow()
    archived = session.get(ArchivedUrl, url_id)
    if archived is None:
        raise NotFound(f"No archived address with id {url_id}.")
    latest_kept = session.scalar(select(Snapshot).where(
        Snapshot.archived_url_id == url_id, Snapshot.sha256.is_not(None)).order_by(Snapshot.id.desc()).limit(1))
    newest = session.scalar(select(Snapshot).where(Snapshot.archived_url_id == url_id)
                            .order_by(Snapshot.id.desc()).limit(1))
    archived.checks += 1
    archived.last_checked_at = now
    result = Recorded(None, fetched.outcome)

    def new_row(outcome: str, **values: Any) -> Snapshot:
        row = Snapshot(archived_url_id=url_id, outcome=outcome, fetched_at=now, last_at=now, repeats=1,
                       requested_url=archived.url, final_url=fetched.final_url, redirects=list(fetched.redirects),
                       http_status=fetched.status, content_type=(fetched.content_type or None) and fetched.content_type[:200],
                       error=fetched.error[:2000], duration_ms=fetched.duration_ms, **values)
        session.add(row)
        return row

    if fetched.ok:
        archived.failures = 0
        archived.gone_since = None
        if latest_kept is not None and fingerprint == latest_kept.fingerprint:
            result.outcome = "unchanged"
        else:
            if stored_sha256 is None:
                raise ValueError("a new copy must be in the store before it is recorded")
            outcome = "archived" if latest_kept is None else "changed"
            diff = word_diff(latest_kept.text or "", text or "") if latest_kept is not None else None
            result.snapshot = new_row(outcome, sha256=stored_sha256, size=fetched.size, text=text,
                                      title=(title or None) and title[:500], fingerprint=fingerprint, diff=diff)
            result.outcome = outcome
            if outcome == "changed":
                archived.changed_at = now
        archived.state = "changed" if archived.changed_at is not None else "archived"
        if text:
            result.reports_filled = _fill_report_texts(session, archived, text, fetched.content_type)
    elif fetched.outcome == "gone":
        was_gone = archived.gone_since is not None
        if newest is not None and newest.outcome == "gone" and newest.http_status == fetched.status:
            newest.repeats += 1
            newest.last_at = now
        else:
            result.snapshot = new_row("gone")
        archived.gone_since = archived.gone_since or now
        archived.failures = 0
        archived.state = "gone"
        result.outcome = "still gone" if was_gone else "gone"
    else:
        if newest is not None and newest.outcome == fetched.outcome and newest.error == fetched.error[:2000]:
            newest.repeats += 1
            newest.last_at = now
        else:
            result.snapshot = new_row(fetched.outcome)
        archived.failures += 1
        if latest_kept is None or archived.state in ("failed", "refused", "pending"):
            archived.state = fetched.outcome
    session.flush()
    never_kept = latest_kept is None and not (fetched.ok and result.snapshot is not None)
    archived.next_check_at = next_check(session, archived, schedule, now,
                                        retrying=fetched.outcome == "failed" and never_kept)
    if result.outcome == "changed":
        result.notified = _tell_watchers(
            session, archived, "source_changed",
            f"The source changed after we archived it: {archived.url}")
    elif result.outcome == "gone":
        result.notified = _tell_watchers(
            session, archived, "source_gone",
            f"The source is gone (it answers {fetched.status}): {archived.url}")
    session.flush()
    return result


def _fill_report_texts(session: Session, archived: ArchivedUrl, text: str, content_type: str | None) -> list[int]:
    """Give the archived text to each report at this address that has none stored (an HTML
    page's readable text, or a plain-text body): through ``sources.update_report``, the one
    rule (a stored text is never replaced)."""
    from .fetch import HTML_TYPES
    from .sources import update_report

    if content_type not in HTML_TYPES and content_type != "text/plain":
        return []
    reports = session.scalars(
        select(Report).join(ArchiveLink, ArchiveLink.report_id == Report.id)
        .where(ArchiveLink.archived_url_id == archived.id, Report.text.is_(None)).order_by(Report.id)
    ).unique().all()
    filled = []
    for report in reports:
        if archive_key(report.url) != archived.url:
            continue  # the report moved to another address since
        try:
            with session.begin_nested():
                update_report(session, report, ARCHIVER, text=text)
        except DomainError:
            continue  # (a text longer than a report keeps: the snapshot has it all)
        filled.append(report.id)
    return filled


def _tell_watchers(session: Session, archived: ArchivedUrl, kind: str, text: str) -> list[int]:
    """Each claim citing the address: its watchers notified. Returns the claims."""
    claim_ids = claims_citing(session, archived.id)
    if not claim_ids:
        return []
    watchers: dict[int, list[int]] = {}
    for claim_id, user_id in session.execute(select(Watch.claim_id, Watch.user_id).where(Watch.claim_id.in_(claim_ids))):
        watchers.setdefault(claim_id, []).append(user_id)
    claims = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(claim_ids)))}
    for claim_id in claim_ids:
        if watchers.get(claim_id):
            inbox.notify(session, watchers[claim_id], kind, claims[claim_id], text, actor=ARCHIVER)
    return claim_ids


# --- Word-level differences -----------------------------------------------------------------

#: Words compared at most, per copy (a difference of longer texts covers their beginning).
MAX_DIFF_WORDS = 50_000
#: Runs of a difference kept at most.
MAX_DIFF_RUNS = 400


def word_diff(old: str, new: str, *, context: int | None = 8) -> list[list[str]]:
    """The difference of two texts word by word, as runs ``[op, words]``: ``=`` unchanged,
    ``-`` removed, ``+`` added, ``…`` unchanged words left out (more than ``2 * context`` of
    them; ``context=None`` keeps every word)."""
    a, b = old.split()[:MAX_DIFF_WORDS], new.split()[:MAX_DIFF_WORDS]
    runs: list[list[str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    codes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag == "equal":
            words = a[i1:i2]
            if context is not None and len(words) > 2 * context:
                head = words[:context] if index > 0 else []
                tail = words[-context:] if index < len(codes) - 1 else []
                if head:
                    runs.append(["=", " ".join(head)])
                runs.append(["…", f"{len(words) - len(head) - len(tail)} words"])
                if tail:
                    runs.append(["=", " ".join(tail)])
            else:
                runs.append(["=", " ".join(words)])
            continue
        if tag in ("delete", "replace"):
            runs.append(["-", " ".join(a[i1:i2])])
        if tag in ("insert", "replace"):
            runs.append(["+", " ".join(b[j1:j2])])
        if len(runs) >= MAX_DIFF_RUNS:
            runs.append(["…", "the rest of the difference is on the snapshot's page"])
            break
    return runs


# --- Reading, for the pages and the API ------------------------------------------------------


def get_snapshot(session: Session, snapshot_id: int) -> Snapshot:
    snapshot = session.get(Snapshot, snapshot_id)
    if snapshot is None:
        raise NotFound(f"No snapshot with id {snapshot_id}: it may be a mistyped address.")
    return snapshot


@dataclass
class ReportArchive:
    """A report's archived address as its page and the API show it."""

    #: Not in the database (no id) while the report's request waits for the worker: ``pending``.
    archived: ArchivedUrl
    #: Newest first.
    snapshots: list[Snapshot]
    #: Every report at the address (the report itself first while its request waits).
    reports: list[Report]


def report_archive(session: Session, report: Report) -> ReportArchive:
    """The archived address of ``report`` with its snapshots and the reports at it; a report
    whose request the worker has not taken yet is ``pending`` with none; NotFound, saying so,
    if it was never archived (filed while archiving was off)."""
    key = archive_key(report.url)
    archived = session.scalar(select(ArchivedUrl).where(ArchivedUrl.url == key))
    if archived is not None:
        return ReportArchive(archived, snapshots_of(session, [archived.id])[archived.id], reports_of(session, archived))
    if report.archive_requested:
        now = utcnow()
        waiting = ArchivedUrl(url=key, state="pending", created_at=now, next_check_at=now, checks=0, failures=0)
        return ReportArchive(waiting, [], [report])
    raise NotFound(f"Report #{report.id} ({report.url}) has not been archived yet.")


def snapshots_of(session: Session, url_ids: Iterable[int]) -> dict[int, list[Snapshot]]:
    """Every snapshot of each address, newest first (without their texts and differences)."""
    from sqlalchemy.orm import defer

    ids = sorted(set(url_ids))
    out: dict[int, list[Snapshot]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = session.scalars(select(Snapshot).where(Snapshot.archived_url_id.in_(ids))
                           .options(defer(Snapshot.text), defer(Snapshot.diff))
                           .order_by(Snapshot.id.desc()))
    for row in rows:
        out[row.archived_url_id].append(row)
    return out


def previous_copy(session: Session, snapshot: Snapshot) -> Snapshot | None:
    """The kept copy of the same address before ``snapshot``."""
    return session.scalar(select(Snapshot).where(
        Snapshot.archived_url_id == snapshot.archived_url_id, Snapshot.sha256.is_not(None), Snapshot.id < snapshot.id
    ).order_by(Snapshot.id.desc()).limit(1))


@dataclass
class Cited:
    """An archived address as a claim's page shows it."""

    archived: ArchivedUrl
    #: ``report`` (with the reports), ``evidence``, or both.
    via: list[str]
    reports: list[Report]
    snapshots: list[Snapshot]
    #: The newest ``changed`` snapshot's difference, for the note.
    change: Snapshot | None = None

    @property
    def latest_copy(self) -> Snapshot | None:
        return next((s for s in self.snapshots if s.sha256 is not None), None)

    @property
    def last_attempt(self) -> Snapshot | None:
        return self.snapshots[0] if self.snapshots else None


def cited_by_claim(session: Session, claim_id: int) -> list[Cited]:
    """Every archived address a claim cites (its statements' reports and its evidence links),
    with their snapshots: four queries, whatever the number of statements or addresses."""
    by_report = session.execute(
        select(ArchivedUrl, Report)
        .join(ArchiveLink, ArchiveLink.archived_url_id == ArchivedUrl.id)
        .join(Report, Report.id == ArchiveLink.report_id)
        .join(Statement, Statement.report_id == Report.id)
        .join(ClaimStatement, and_(ClaimStatement.statement_id == Statement.id, ClaimStatement.claim_id == claim_id))
        .order_by(ArchivedUrl.id, Report.id)
    ).all()
    by_evidence = session.scalars(
        select(ArchivedUrl).join(ArchiveLink, ArchiveLink.archived_url_id == ArchivedUrl.id)
        .where(ArchiveLink.claim_id == claim_id).order_by(ArchivedUrl.id)
    ).unique().all()
    cited: dict[int, Cited] = {}
    for archived, report in by_report:
        entry = cited.setdefault(archived.id, Cited(archived, ["report"], [], []))
        if report not in entry.reports:
            entry.reports.append(report)
    for archived in by_evidence:
        entry = cited.setdefault(archived.id, Cited(archived, [], [], []))
        if "evidence" not in entry.via:
            entry.via.append("evidence")
    snapshots = snapshots_of(session, cited)
    changed_ids = []
    for url_id, entry in cited.items():
        entry.snapshots = snapshots[url_id]
        newest_change = next((s for s in entry.snapshots if s.outcome == "changed"), None)
        if newest_change is not None:
            changed_ids.append(newest_change.id)
    if changed_ids:
        for snapshot_id, url_id, diff in session.execute(
                select(Snapshot.id, Snapshot.archived_url_id, Snapshot.diff).where(Snapshot.id.in_(changed_ids))):
            entry = cited[url_id]
            entry.change = next(s for s in entry.snapshots if s.id == snapshot_id)
            set_committed_value(entry.change, "diff", diff)  # (loaded here, not by a query per snapshot)
    return sorted(cited.values(), key=lambda c: c.archived.url)


def reports_of(session: Session, archived: ArchivedUrl) -> list[Report]:
    return list(session.scalars(select(Report).join(ArchiveLink, ArchiveLink.report_id == Report.id)
                                .where(ArchiveLink.archived_url_id == archived.id).order_by(Report.id)).unique())
