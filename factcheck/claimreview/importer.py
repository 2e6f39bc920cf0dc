"""Writing other fact-checkers' reviews into the tracker, through the services.

Each review becomes what the desk would have entered by hand: a claim; its claimant as a
source; the place the claim was made as a report; the claimant's statement, linked as
asserting the claim; and the fact-checker's verdict as the claim's status, with a reason that
names the review. Imported claims are not published: they are someone else's work until an
editor decides otherwise, and our ClaimReview export must never pass them off as ours.

Imports are idempotent on the review's URL, normalised so that one review reachable under two
addresses (``http``/``https``, ``www.``, a trailing slash, tracking parameters) is one review.
A bad item is rolled back alone, with the reason recorded, and never stops the others.

Two paths write the same rows. ``import_one`` takes one item through the services inside its
own savepoint (about thirty SQL statements). ``import_reviews`` by default hands batches to
``batch.import_batch``, which builds the rows of new reviews with the services' own row
functions and writes a whole batch with a few bulk statements; a review imported before and
changed since, and any batch the database refuses, go through ``import_one``.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Claim, ImportedReview, Report, Source, Stance, StatusChange, utcnow
from ..services import audit
from ..services.claims import create_claim, link_statement
from ..services.sources import (
    create_source, create_statement, find_duplicate, find_or_create_report, sources_named,
)
from ..services.status import change_status
from .batch import import_batch
from .ratings import RatingMap, Verdict
from .reading import ReviewItem
from .rules import (
    ACTOR,
    MAX_NAME_LENGTH,
    Outcome,
    claimant_description,
    claimant_match,
    failure,
    first_appearance,
    rating_fields,
    raw_json,
    review_event,
    review_key,
    steps_to,
    verdict_note,
)

@dataclass
class ImportSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter({"imported": 0, "updated": 0, "skipped": 0, "failed": 0})
        counts.update(o.result for o in self.outcomes)
        return counts

    def of(self, result: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.result == result]

    def line(self) -> str:
        c = self.counts()
        return (
            f"{c['imported']} imported, {c['updated']} updated, {c['skipped']} skipped, "
            f"{c['failed']} failed."
        )


#: Items written per bulk batch (see ``batch.import_batch``).
BATCH_SIZE = 1000
#: The smallest batch when batches are sized by time (``batch_seconds``), and the first one.
SMALLEST_TIMED_BATCH = 50


def import_reviews(
    session: Session,
    items: Iterable[ReviewItem],
    *,
    ratings: RatingMap,
    on_item: Callable[[Outcome], None] | None = None,
    batch_size: int | None = BATCH_SIZE,
    commit: Callable[[], None] | None = None,
    batch_seconds: float | None = None,
) -> ImportSummary:
    """Import every item, in order. Flushes; the caller commits.

    In batches of ``batch_size`` (``batch.import_batch``), or with ``batch_size=None`` item
    by item through the services, each in its own savepoint (``import_one``). Both give the
    same rows and the same outcomes.

    With ``commit``, the caller's commit is called after each batch, so that a long import
    holds its transaction (and on SQLite the write lock) one batch at a time and an
    interrupted run keeps what it committed; a re-run imports the rest (the import is
    idempotent on review URLs, and each item is written whole or not at all). Outcomes are
    then reported (``on_item``, the summary) only once their batch is committed: if ``commit``
    raises, the outcomes of that batch are not reported. With ``batch_seconds`` as well, the
    batches are sized so that each takes about that long, from ``SMALLEST_TIMED_BATCH`` items
    up to ``batch_size``.
    """
    if batch_size is not None and batch_size < 1:
        raise ValueError("batch_size must be at least 1 (or None: item by item)")

    summary = ImportSummary()
    iterator = iter(items)
    timed = commit is not None and batch_seconds is not None and batch_size is not None
    size = min(batch_size, SMALLEST_TIMED_BATCH) if timed and batch_size else batch_size or 1
    while batch := list(islice(iterator, size)):
        started = time.monotonic()
        if batch_size is None:
            outcomes = [import_one(session, batch[0], ratings=ratings)]
        else:
            outcomes = import_batch(session, batch, ratings=ratings, one_by_one=import_one)
        if timed:
            assert batch_seconds is not None and batch_size is not None
            elapsed = max(time.monotonic() - started, 1e-3)  # the batch's work, before its commit
            # towards the size that takes batch_seconds, at most doubling at a time
            size = max(SMALLEST_TIMED_BATCH, min(batch_size, 2 * size, int(len(batch) * batch_seconds / elapsed)))
        if commit is not None:
            commit()
        summary.outcomes.extend(outcomes)
        if on_item is not None:
            for outcome in outcomes:
                on_item(outcome)
    return summary


def import_one(session: Session, item: ReviewItem, *, ratings: RatingMap) -> Outcome:
    """Import or update one review; on any failure nothing of it is left written."""
    try:
        with session.begin_nested():
            return _import(session, item, ratings)
    except Exception as error:  # noqa: BLE001 - one odd item must never stop the others
        return failure(item, error)


def _import(session: Session, item: ReviewItem, ratings: RatingMap) -> Outcome:
    key, verdict = review_key(item, ratings)
    existing = session.scalar(select(ImportedReview).where(ImportedReview.review_url == key))
    if existing is not None:
        return _update(session, existing, item, verdict)

    claim = create_claim(session, ACTOR, text=item.claim_text)
    claimant = _claimant(session, item)
    report = _report(session, item)
    if claimant is not None:
        report_id = report.id if report is not None else None
        statement = find_duplicate(
            session, speaker_id=claimant.id, report_id=report_id, text=item.claim_text
        ) or create_statement(
            session, ACTOR, speaker_id=claimant.id, text=item.claim_text, kind="paraphrase",
            report_id=report_id, said_on=item.claim_date.date() if item.claim_date else None,
        )
        link_statement(session, claim, statement, ACTOR, stance=Stance.ASSERTS)
    now = utcnow()
    session.add(_record(ImportedReview(claim_id=claim.id, review_url=key, imported_at=now), item))
    audit.append(session, review_event("review.import", claim.id, key, {}, rating_fields(item), now))
    _move(session, claim, verdict, item)
    session.flush()
    return Outcome(item.origin, "imported", verdict_note(verdict, item), key, claim.slug)


def _update(session: Session, record: ImportedReview, item: ReviewItem, verdict: Verdict) -> Outcome:
    """The same review again: refresh what it says; move the status only if the desk has not
    touched it since the importer set it."""
    if all(getattr(record, name) == value for name, value in rating_fields(item).items()):
        return Outcome(item.origin, "skipped", "already imported, unchanged", record.review_url,
                       record.claim.slug)
    before = {name: getattr(record, name) for name in rating_fields(item)}
    _record(record, item)
    claim = record.claim
    audit.append(session, review_event("review.update", claim.id, record.review_url, before,
                                       rating_fields(item), utcnow()))
    note = verdict_note(verdict, item)
    newest = session.scalar(
        select(StatusChange).where(StatusChange.claim_id == claim.id).order_by(StatusChange.id.desc()).limit(1)
    )
    if newest is not None and newest.via != ACTOR.via:
        note += "; status left as the desk set it"
    else:
        _move(session, claim, verdict, item)
    session.flush()
    return Outcome(item.origin, "updated", note, record.review_url, claim.slug)


def _record(record: ImportedReview, item: ReviewItem) -> ImportedReview:
    for name, value in rating_fields(item).items():
        setattr(record, name, value)
    record.raw = raw_json(item)
    record.updated_at = utcnow()
    return record


def _claimant(session: Session, item: ReviewItem) -> Source | None:
    """The claimant as a source: a named (never an anonymous) source of that name or alias,
    or new."""
    if item.claimant is None:
        return None
    name = item.claimant.name[:MAX_NAME_LENGTH]
    existing = claimant_match(sources_named(session, [name]).get(name.strip().lower(), []))
    if existing is not None:
        return session.get(Source, existing)
    return create_source(
        session, ACTOR, name=name, kind=item.claimant.kind,
        description=claimant_description(item),
    )


def _report(session: Session, item: ReviewItem) -> Report | None:
    """Where the claim appeared: the first appearance with a usable http(s) address."""
    found = first_appearance(item)
    if found is None:
        return None
    url, appearance = found
    return find_or_create_report(session, ACTOR, url=url, title=appearance.title[:500],
                                 published_at=appearance.published)


def _move(session: Session, claim: Claim, verdict: Verdict, item: ReviewItem) -> None:
    """Bring the claim to the verdict through ``change_status``, one step at a time."""
    for step in steps_to(claim.status, verdict, item):
        change_status(session, claim, step.to, step.reason, ACTOR, claim.version,
                      evidence=step.evidence, override_reason=step.override_reason)
