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
``batch.import_batch``, which applies the same rules in memory and writes a whole batch with a
few bulk statements, falling back to ``import_one`` for any batch the database refuses.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..errors import DomainError, ValidationError
from ..models import Claim, ImportedReview, Report, Source, Stance, Status, StatusChange, utcnow
from ..services import Actor
from ..services.claims import create_claim, link_statement
from ..services.sources import create_report, create_source, create_statement, get_report_by_url
from ..services.status import MAX_EVIDENCE_LENGTH, change_status
from ..services.validation import http_url
from .ratings import RatingMap, Verdict
from .reading import Appearance, ReviewItem

ACTOR = Actor.system("import")

#: Query parameters that only track the reader; dropped when comparing review URLs.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src"})

MAX_NAME_LENGTH = 300


class ItemRefused(Exception):
    """This item cannot be imported; the message says why."""


def normalise_review_url(url: str) -> str:
    """One key per review: https, host without ``www.``, no fragment, trailing slash or
    tracking parameters, remaining parameters sorted."""
    clean = http_url(url, "url")
    assert clean is not None
    parts = urlsplit(clean)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMETERS
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, urlencode(query), ""))


@dataclass(frozen=True)
class Outcome:
    origin: str
    #: ``imported``, ``updated``, ``skipped`` or ``failed``.
    result: str
    reason: str = ""
    review_url: str | None = None
    claim_slug: str | None = None


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


def import_reviews(
    session: Session,
    items: Iterable[ReviewItem],
    *,
    ratings: RatingMap,
    on_item: Callable[[Outcome], None] | None = None,
    batch_size: int | None = BATCH_SIZE,
) -> ImportSummary:
    """Import every item, in order. Flushes; the caller commits.

    In batches of ``batch_size`` (``batch.import_batch``), or with ``batch_size=None`` item
    by item through the services, each in its own savepoint (``import_one``). Both give the
    same rows and the same outcomes.
    """
    if batch_size is not None and batch_size < 1:
        raise ValueError("batch_size must be at least 1 (or None: item by item)")
    from .batch import import_batch  # (batch builds on this module)

    summary = ImportSummary()
    iterator = iter(items)
    for batch in iter(lambda: list(islice(iterator, batch_size or 1)), []):
        if batch_size is None:
            outcomes = [import_one(session, batch[0], ratings=ratings)]
        else:
            outcomes = import_batch(session, batch, ratings=ratings)
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


def failure(item: ReviewItem, error: Exception) -> Outcome:
    """The outcome of an item that could not be imported, with the reason in words."""
    if isinstance(error, ItemRefused):
        return Outcome(item.origin, "failed", str(error), item.review_url)
    if isinstance(error, DomainError):
        return Outcome(item.origin, "failed", error.detail, item.review_url)
    if isinstance(error, SQLAlchemyError):
        reason = f"database refused it ({type(error).__name__}: {str(error).splitlines()[0]})"
        return Outcome(item.origin, "failed", reason, item.review_url)
    return Outcome(item.origin, "failed", f"unexpected {type(error).__name__}: {error}", item.review_url)


def review_key(item: ReviewItem, ratings: RatingMap) -> tuple[str, Verdict]:
    """The checks that need no database: the normalised review URL and the verdict, or
    ItemRefused."""
    if not item.review_url:
        raise ItemRefused("no review URL (url or @id): it could not be imported idempotently")
    try:
        key = normalise_review_url(item.review_url)
    except ValidationError:
        raise ItemRefused(f"review URL {item.review_url!r} is not an http(s) address") from None
    if not item.claim_text:
        raise ItemRefused("no claimReviewed: there is no claim to record")
    verdict = ratings.verdict(
        name=item.rating_name, value=item.rating_value, best=item.best_rating, worst=item.worst_rating
    )
    return key, verdict


def _import(session: Session, item: ReviewItem, ratings: RatingMap) -> Outcome:
    key, verdict = review_key(item, ratings)
    existing = session.scalar(select(ImportedReview).where(ImportedReview.review_url == key))
    if existing is not None:
        return _update(session, existing, item, verdict)

    claim = create_claim(session, ACTOR, text=item.claim_text)
    claimant = _claimant(session, item)
    report = _report(session, item)
    if claimant is not None:
        statement = create_statement(
            session, ACTOR, speaker_id=claimant.id, text=item.claim_text, kind="paraphrase",
            report_id=report.id if report is not None else None,
            said_on=item.claim_date.date() if item.claim_date else None,
        )
        link_statement(session, claim, statement, ACTOR, stance=Stance.ASSERTS)
    session.add(_record(ImportedReview(claim_id=claim.id, review_url=key, imported_at=utcnow()), item))
    _move(session, claim, verdict, item)
    session.flush()
    return Outcome(item.origin, "imported", verdict_note(verdict, item), key, claim.slug)


def _update(session: Session, record: ImportedReview, item: ReviewItem, verdict: Verdict) -> Outcome:
    """The same review again: refresh what it says; move the status only if the desk has not
    touched it since the importer set it."""
    if all(getattr(record, name) == value for name, value in rating_fields(item).items()):
        return Outcome(item.origin, "skipped", "already imported, unchanged", record.review_url,
                       record.claim.slug)
    _record(record, item)
    claim = record.claim
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


def rating_fields(item: ReviewItem) -> dict[str, object]:
    """What an ImportedReview keeps of a review, besides the raw item."""
    return {
        "publisher": item.publisher[:MAX_NAME_LENGTH],
        "original_rating": item.rating_name,
        "rating_value": _cut(item.rating_value),
        "best_rating": _cut(item.best_rating),
        "worst_rating": _cut(item.worst_rating),
        "date_published": item.date_published,
    }


def _record(record: ImportedReview, item: ReviewItem) -> ImportedReview:
    for name, value in rating_fields(item).items():
        setattr(record, name, value)
    record.raw = raw_json(item)
    record.updated_at = utcnow()
    return record


def raw_json(item: ReviewItem) -> str:
    """The review as imported, kept for audit and re-mapping."""
    return json.dumps(item.raw, ensure_ascii=False, sort_keys=True)


def _cut(value: str | None, length: int = 40) -> str | None:
    return value[:length] if value is not None else None


def _claimant(session: Session, item: ReviewItem) -> Source | None:
    """The claimant as a source: a named (never an anonymous) source of that name, or new."""
    if item.claimant is None:
        return None
    name = item.claimant.name[:MAX_NAME_LENGTH]
    existing = session.scalar(
        select(Source).where(Source.name == name, Source.anonymous.is_(False)).order_by(Source.id).limit(1)
    )
    if existing is not None:
        return existing
    return create_source(
        session, ACTOR, name=name, kind=item.claimant.kind,
        description=claimant_description(item),
    )


def claimant_description(item: ReviewItem) -> str:
    return f"Claimant named in a fact-check by {item.publisher}."


def _report(session: Session, item: ReviewItem) -> Report | None:
    """Where the claim appeared: the first appearance with a usable http(s) address."""
    found = first_appearance(item)
    if found is None:
        return None
    url, appearance = found
    return get_report_by_url(session, url) or create_report(
        session, ACTOR, url=url, title=appearance.title[:500], published_at=appearance.published
    )


def first_appearance(item: ReviewItem) -> tuple[str, Appearance] | None:
    """The first appearance with a usable http(s) address, and that address."""
    for appearance in item.appearances:
        try:
            url = http_url(appearance.url, "appearance")
        except ValidationError:
            continue
        assert url is not None
        return url, appearance
    return None


def verdict_note(verdict: Verdict, item: ReviewItem) -> str:
    shown = item.rating_name or item.rating_value or "no rating"
    if not verdict.known:
        return f"verdict {shown!r} not recognised: left unverified"
    return f"{shown!r} → {verdict.status.value}"


@dataclass(frozen=True)
class Step:
    """One move of the claim's status, as ``change_status`` is asked to make it."""

    to: Status
    reason: str
    evidence: str
    override_reason: str | None = None


def steps_to(current: Status, verdict: Verdict, item: ReviewItem) -> list[Step]:
    """The reasoned steps from ``current`` to the verdict through the status machine: into
    review, out of an earlier verdict if the review changed (a correction), then to the
    verdict. An unknown verdict leaves a new claim unverified."""
    target = verdict.status
    if current == target:
        return []
    source = f"{item.publisher}'s fact-check ({item.review_url})"
    evidence = "\n\n".join(part for part in (item.review_url or "", item.review_body) if part)
    evidence = evidence[:MAX_EVIDENCE_LENGTH]
    steps: list[Step] = []
    if current.resolved:
        steps.append(Step(Status.IN_REVIEW,
                          f"{source} no longer gives the verdict {current.label.lower()}.", evidence))
        current = Status.IN_REVIEW
    if target == Status.UNVERIFIED:
        return steps
    if current == Status.UNVERIFIED:
        steps.append(Step(Status.IN_REVIEW, f"Imported from {source}.", evidence))
    if verdict.basis == "words":
        said = f"rated this claim “{item.rating_name or item.rating_value}”"
    else:
        said = f"rated this claim {verdict.matched}"
    override = (
        f"The verdict of an external fact-check, {source}, not of this desk's own sources."
        if target == Status.CONFIRMED
        else None
    )
    steps.append(Step(target, f"{item.publisher} {said}: {item.review_url}", evidence, override))
    return steps


def _move(session: Session, claim: Claim, verdict: Verdict, item: ReviewItem) -> None:
    """Bring the claim to the verdict through ``change_status``, one step at a time."""
    for step in steps_to(claim.status, verdict, item):
        change_status(session, claim, step.to, step.reason, ACTOR, claim.version,
                      evidence=step.evidence, override_reason=step.override_reason)
