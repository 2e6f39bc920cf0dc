"""What both import paths share: the review's key, its verdict and the words written for it.

``importer.import_one`` takes one review through the desk's services; ``batch.import_batch``
plans a whole batch in memory and writes it in bulk. Both decide with these functions — which
review an item is (its normalised URL), what it is refused for, which claimant and appearance
it names, the steps from a claim's status to the verdict and the reason of each — so that the
two paths write the same rows in the same words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy.exc import SQLAlchemyError

from ..errors import DomainError, ValidationError
from ..models import Status
from ..services import Actor, audit
from ..services.sources import MAX_NAME_LENGTH
from ..services.status import MAX_EVIDENCE_LENGTH
from ..services.validation import http_url
from .ratings import RatingMap, Verdict
from .reading import Appearance, ReviewItem

ACTOR = Actor.system("import")

#: Query parameters that only track the reader; dropped when comparing review URLs.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src"})


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


def review_event(action: str, claim_id: int | None, key: str, before: dict[str, object], after: dict[str, object],
                 at: datetime) -> dict[str, object]:
    """The audit event of a review imported (``review.import``) or updated (``review.update``),
    on the claim it made (``claim_id`` None where the bulk import fills it in)."""
    return audit.event_row(action, actor=ACTOR, subject_type="claim", subject_id=claim_id, detail=key,
                           changes=audit.changes(before, after), at=at)


def raw_json(item: ReviewItem) -> str:
    """The review as imported, kept for audit and re-mapping."""
    return json.dumps(item.raw, ensure_ascii=False, sort_keys=True)


def _cut(value: str | None, length: int = 40) -> str | None:
    return value[:length] if value is not None else None


def claimant_match(found: list[Any]) -> int | None:
    """Which of the sources a claimant's name may mean (``sources_named``) the import takes:
    the oldest named one — never an anonymous source."""
    return next((source.id for source in found if not source.anonymous), None)


def claimant_description(item: ReviewItem) -> str:
    return f"Claimant named in a fact-check by {item.publisher}."


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
