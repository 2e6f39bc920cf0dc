"""ClaimReview details on the claim page: the panel (``checker.panels``) and the editor's form."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..auth import current_actor
from ..checker import panels
from ..checker.claims import submit
from ..checker.loading import load_claim_page
from ..checker.statements import resolve_source, source_choices
from ..claimreview.export import _item_reviewed
from ..db import get_session
from ..errors import ValidationError
from ..models import Claim, Role, User
from ..services.independence import counting
from ..services.review_details import details_of, set_review_details
from . import bp
from .forms import ReviewDetailsForm


@panels.panel
def review_panel(session: Session, claim: Claim, user: User) -> dict[str, Any]:
    """The ClaimReview details, what the export derives without them, and (for editors) the
    sources to pick the claimant from: the claim's speakers first."""
    editor = user.role.at_least(Role.EDITOR)
    derived = _item_reviewed(claim)  # what the export says when nothing is set (no query: the page loaded it)
    choices = []
    if editor:
        speakers = {link.statement.speaker.id: link.statement.speaker for link in counting(claim.links)}
        choices = list(speakers.values()) + [s for s in source_choices(session) if s.id not in speakers]
    return {
        "review": details_of(session, claim.id),
        "review_derived_claimant": (derived.get("author") or {}).get("name"),
        "review_derived_appearances": [a["url"] for a in derived.get("appearance", [])],
        "review_sources": choices,
    }


@bp.post("/claims/<id:claim_id>/review")
def review_details(claim_id: int) -> Any:
    """Set the claimant, where the claim appeared and the rating's explanation."""

    def write(form: ReviewDetailsForm) -> str:
        session = get_session()
        claim = load_claim_page(session, claim_id)
        claimant = resolve_source(session, form.claimant.data, "claimant_id")
        if claimant is None and form.claimant.data.strip():
            raise ValidationError(
                "Claimant: pick a source from the list (it adds its #id); a new source is entered on the "
                "desk's sources page first.", {"claimant_id": "unknown source"},
            )
        version = claim.version
        set_review_details(session, claim, current_actor(), expected_version=form.version.data,
                           claimant_id=claimant.id if claimant else None,
                           appearance_url=form.appearance_url.data, explanation=form.explanation.data)
        if claim.version == version:
            return "Nothing changed."
        return "ClaimReview details saved." + ("" if claim.published else " Readers see them once the verdict is published.")

    return submit(claim_id, "review", ReviewDetailsForm, write)
