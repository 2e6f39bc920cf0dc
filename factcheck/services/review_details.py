"""What a verdict's ClaimReview says beyond the claim: who made the claim (the claimant), where
it appeared, and the explanation of the rating — set by an editor on the claim page, so that
the markup is complete without the command line.

Each is optional: left empty, the export derives it as before (the first asserting speaker,
the reports that carried the asserting statements; no explanation). A change is a change to
the claim: it takes the version the editor saw, refuses a stale one (``Conflict``), moves the
claim's version on (so that its readers' caches and anyone editing it meanwhile see it) and
records one audit event on the claim with every field's before and after.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..models import Claim, ReviewDetails, Role, Source, SourceKind, utcnow
from ..errors import ValidationError
from . import audit
from .actor import Actor
from .claims import bump_version, check_version
from .validation import MAX_ID, clean_text, http_url

MAX_EXPLANATION_LENGTH = 5000
FIELDS = ("claimant_id", "appearance_url", "explanation")


def details_of(session: Session, claim_id: int) -> ReviewDetails | None:
    """The claim's review details with their claimant, if an editor set any (one query)."""
    return session.scalar(
        select(ReviewDetails).where(ReviewDetails.claim_id == claim_id).options(joinedload(ReviewDetails.claimant))
    )


def details_by_claim(session: Session, claim_ids: list[int]) -> dict[int, ReviewDetails]:
    """The review details of many claims (the export), with their claimants, in one query per
    thousand claims."""
    out: dict[int, ReviewDetails] = {}
    for start in range(0, len(claim_ids), 1000):
        chunk = claim_ids[start:start + 1000]
        for details in session.scalars(select(ReviewDetails).where(ReviewDetails.claim_id.in_(chunk))
                                       .options(joinedload(ReviewDetails.claimant))):
            out[details.claim_id] = details
    return out


def _values(details: ReviewDetails | None) -> dict[str, Any]:
    if details is None:
        return {"claimant_id": None, "appearance_url": None, "explanation": ""}
    return {"claimant_id": details.claimant_id, "appearance_url": details.appearance_url,
            "explanation": details.explanation}


def set_review_details(
    session: Session, claim: Claim, actor: Actor, *, expected_version: int, claimant_id: int | None,
    appearance_url: object, explanation: object,
) -> ReviewDetails | None:
    """Set the claim's claimant (a source's id, None: derived), appearance URL (http or https,
    empty: derived) and rating explanation (published, empty: none). A save that changes
    nothing writes nothing."""
    actor.require(Role.EDITOR, "set what a verdict's ClaimReview says")
    check_version(claim, expected_version)
    claimant: Source | None = None
    if claimant_id is not None:
        claimant = session.get(Source, claimant_id) if 1 <= claimant_id <= MAX_ID else None
        if claimant is None:
            raise ValidationError("Claimant: no such source; pick one from the list.", {"claimant_id": "unknown source"})
        while claimant.merged_into is not None:  # an old pick of a merged duplicate: its survivor
            claimant = claimant.merged_into
        if claimant.kind == SourceKind.DOCUMENT:
            raise ValidationError(
                f"Claimant: {claimant.name} is a document; ClaimReview names a person or an organisation as "
                "the claimant. Pick who made the claim, or leave it empty.", {"claimant_id": "a document"},
            )
    after = {
        "claimant_id": claimant.id if claimant is not None else None,
        "appearance_url": http_url(appearance_url, "appearance_url", required=False),
        "explanation": clean_text(explanation, "explanation", max_length=MAX_EXPLANATION_LENGTH, required=False),
    }
    details = details_of(session, claim.id)
    before = _values(details)
    if before == after:
        return details
    version = claim.version
    bump_version(session, claim, expected_version, {})
    now = utcnow()
    if details is None:
        details = ReviewDetails(claim_id=claim.id)
        session.add(details)
    details.claimant_id, details.appearance_url, details.explanation = (
        after["claimant_id"], after["appearance_url"], after["explanation"])
    details.claimant = claimant
    details.updated_by_id, details.updated_at = actor.user_id, now
    audit.record(session, "claim.review_details", actor=actor, subject_type="claim", subject_id=claim.id,
                 changes=audit.changes({**before, "version": version}, {**after, "version": claim.version}))
    session.flush()
    return details
