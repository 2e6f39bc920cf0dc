"""Our verdicts as schema.org ClaimReview, for the claim page and the bulk export.

Only a claim that is both published and resolved has a verdict to publish: an unverified,
in-review or contested claim has no rating yet, and an unpublished one is not public at all.

The rating scale (shown to readers on /methodology) runs from 1, the worst, to 5, the best.
It is symmetric around ``unproven``, the verdict that says neither true nor false; 4 would be
"mostly true", which this desk does not use. ``alternateName`` always carries the verdict in
words, which is what search engines display.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import select

from ..services.independence import counting
from ..services.review_details import details_by_claim, details_of
from sqlalchemy.orm import Session, object_session, selectinload

from ..models import (
    RESOLVED, Claim, ClaimStatement, PublicEntry, PublicKind, Report, ReviewDetails, Source, SourceKind, Stance,
    Statement, Status,
)

SCHEMA_CONTEXT = "https://schema.org"

#: Our verdicts on the 1–5 scale of ``reviewRating``.
RATING_SCALE: dict[Status, int] = {
    Status.FALSE: 1,
    Status.MISLEADING: 2,
    Status.UNPROVEN: 3,
    Status.CONFIRMED: 5,
}
WORST_RATING = 1
BEST_RATING = 5

if set(RATING_SCALE) != RESOLVED:  # pragma: no cover - a new verdict must be given a rating
    raise RuntimeError("every resolved status needs a ClaimReview rating")

#: The schema.org type of a speaker. A document is not a valid ``author`` (Person or
#: Organization), so a claim first asserted by a document carries no author.
PARTY_TYPES: dict[SourceKind, str] = {
    SourceKind.PERSON: "Person",
    SourceKind.ORGANISATION: "Organization",
    SourceKind.GOVERNMENT: "GovernmentOrganization",
    SourceKind.ARMED_GROUP: "Organization",
    SourceKind.MEDIA: "NewsMediaOrganization",
}


def claim_url(base_url: str, slug: str) -> str:
    """The public page of a claim, built without a request (the CLI exports too)."""
    return f"{base_url.rstrip('/')}/claims/{quote(slug, safe='')}"


def has_review(claim: Claim) -> bool:
    """Whether the claim has a public verdict: published and resolved."""
    return claim.published and claim.public_status in RESOLVED


def public_verdict(claim: Claim) -> PublicEntry:
    """The public history entry that showed readers the claim's current verdict: the newest
    publication or status change (a wording change or a withdrawal keeps the verdict)."""
    return next(entry for entry in reversed(claim.public_entries)
                if entry.kind in (PublicKind.PUBLISHED, PublicKind.STATUS))


def _iso(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _party(source: Source) -> dict[str, Any] | None:
    """A speaker as a schema.org Person or Organization: by descriptor when anonymous.

    Only the public name (or descriptor) and a public URL are used; nothing an editor keeps
    about a source's real identity is ever read here.
    """
    schema_type = PARTY_TYPES.get(source.kind)
    if schema_type is None:
        return None
    party: dict[str, Any] = {"@type": schema_type, "name": source.name}
    if source.url and not source.anonymous:
        party["url"] = source.url
    return party


def _appearance(report: Report) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": report.url}
    if report.title:
        work["name"] = report.title
    if report.published_at is not None:
        work["datePublished"] = _iso(report.published_at)
    if report.outlet is not None:
        outlet = _party(report.outlet)
        if outlet is not None:
            work["publisher"] = outlet
    return work


def _item_reviewed(claim: Claim, details: ReviewDetails | None = None) -> dict[str, Any]:
    """The claim as made: who made it, where it appeared, and when (statements withdrawn from
    it left out). The claimant and the appearance an editor set (``details``) come first;
    without them, the first asserting speaker and the reports of the asserting statements."""
    asserting = sorted(
        (link for link in counting(claim.links) if link.stance == Stance.ASSERTS), key=lambda link: link.id
    )
    item: dict[str, Any] = {"@type": "Claim"}
    claimant = details.claimant if details is not None else None
    if claimant is None and asserting:
        claimant = asserting[0].statement.speaker
    if claimant is not None:
        author = _party(claimant)
        if author is not None:
            item["author"] = author
    reports: dict[str, Report] = {}
    for link in asserting:
        report = link.statement.report
        if report is not None:
            reports.setdefault(report.url, report)
    if details is not None and details.appearance_url:
        # Where the editor says it appeared; described as fully as a report of ours at that address.
        known = reports.get(details.appearance_url)
        item["appearance"] = [_appearance(known) if known is not None
                              else {"@type": "CreativeWork", "url": details.appearance_url}]
    elif reports:
        item["appearance"] = [_appearance(r) for r in reports.values()]
    dates: list[date] = [link.statement.said_on for link in asserting if link.statement.said_on]
    if not dates:
        dates = [r.published_at.date() for r in reports.values() if r.published_at is not None]
    if dates:
        item["datePublished"] = min(dates).isoformat()
    return item


#: ``claim_review``'s ``details`` when the caller did not load them: read from the claim's session.
LOOK_UP: Any = object()


def claim_review(
    claim: Claim, *, base_url: str, org_name: str, org_url: str, context: bool = True,
    details: ReviewDetails | None = LOOK_UP,
) -> dict[str, Any]:
    """The ClaimReview of a published, resolved claim (ValueError for any other claim).

    ``datePublished`` is when readers first saw the verdict (its public history entry: a
    verdict set before publication became public when the claim was published, one waiting
    for sign-off when it was approved). ``context=False`` leaves out ``@context``, for items
    nested in a feed. ``details``: what an editor set for the markup (the claimant, where the
    claim appeared, the rating's explanation; ``services.review_details``), read from the
    database unless the caller loaded them.
    """
    if not has_review(claim):
        raise ValueError(f"claim {claim.slug!r} is not published and resolved: no ClaimReview")
    if details is LOOK_UP:
        session = object_session(claim)
        details = details_of(session, claim.id) if session is not None else None
    entry = public_verdict(claim)
    assert entry.change is not None
    review: dict[str, Any] = {}
    if context:
        review["@context"] = SCHEMA_CONTEXT
    review.update(
        {
            "@type": "ClaimReview",
            "url": claim_url(base_url, claim.slug),
            "claimReviewed": claim.text,
            "datePublished": _iso(entry.at),
            "author": {"@type": "Organization", "name": org_name, "url": org_url},
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATING_SCALE[claim.public_status],
                "bestRating": BEST_RATING,
                "worstRating": WORST_RATING,
                "alternateName": claim.public_status.label,
            },
            "reviewBody": entry.change.reason,
            "itemReviewed": _item_reviewed(claim, details),
        }
    )
    if details is not None and details.explanation:
        review["reviewRating"]["ratingExplanation"] = details.explanation
    return review


def reviewed_claims(session: Session) -> Iterable[Claim]:
    """Every published, resolved claim, newest verdict first, loaded for export in a few queries."""
    stmt = (
        select(Claim)
        .where(Claim.published_at.is_not(None), Claim.public_status.in_(RESOLVED))
        .order_by(Claim.status_changed_at.desc(), Claim.id.desc())
        .options(
            selectinload(Claim.public_entries).joinedload(PublicEntry.change),
            selectinload(Claim.links)
            .joinedload(ClaimStatement.statement)
            .joinedload(Statement.report)
            .joinedload(Report.outlet),
        )
    )
    return session.scalars(stmt).unique()


def data_feed(session: Session, *, base_url: str, org_name: str, org_url: str) -> dict[str, Any]:
    """All our published verdicts as a schema.org DataFeed of ClaimReview items."""
    claims = list(reviewed_claims(session))
    details = details_by_claim(session, [claim.id for claim in claims])
    elements = [
        claim_review(claim, base_url=base_url, org_name=org_name, org_url=org_url, context=False,
                     details=details.get(claim.id))
        for claim in claims
    ]
    feed: dict[str, Any] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "DataFeed",
        "name": f"{org_name}: fact-checks",
        "publisher": {"@type": "Organization", "name": org_name, "url": org_url},
        "dataFeedElement": elements,
    }
    if elements:
        feed["dateModified"] = max(e["datePublished"] for e in elements)
    return feed
