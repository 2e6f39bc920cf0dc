"""The reader pages: the front page, the claims list, a claim, corrections, methodology."""

from __future__ import annotations

from flask import current_app, render_template, request
from sqlalchemy import select

from ..claimreview.export import BEST_RATING, RATING_SCALE, WORST_RATING, claim_review, has_review
from ..db import get_session
from ..urls import base_url, organisation_url
from ..models import Claim, Status
from ..services.validation import parse_enum
from . import bp
from .pagination import page_number, position
from .presenters import describe, public_claim
from .queries import PUBLISHED, claims_page, corrections_log, published_claim

PER_PAGE = 20
FRONT_PAGE_CLAIMS = 10
#: Longest search text used; the rest of a pasted paragraph is ignored.
MAX_QUERY_LENGTH = 200


@bp.get("/")
def index() -> str:
    claims = get_session().scalars(
        select(Claim).where(PUBLISHED).order_by(Claim.status_changed_at.desc(), Claim.id.desc())
        .limit(FRONT_PAGE_CLAIMS)
    ).all()
    return render_template("public/index.html", claims=claims)


@bp.get("/claims")
def claims() -> str:
    q = " ".join(request.args.get("q", "").split())[:MAX_QUERY_LENGTH]
    status_arg = request.args.get("status", "").strip()
    status = parse_enum(Status, status_arg, "status") if status_arg else None
    page = claims_page(
        get_session(), q=q, status=status, number=page_number(request.args), per_page=PER_PAGE
    )
    return render_template("public/claims.html", page=page, q=q, status=status)


@bp.get("/claims/<slug>")
def claim(slug: str) -> str:
    found = published_claim(get_session(), slug, details=True)
    review = None
    if has_review(found):
        config = current_app.config
        review = claim_review(
            found, base_url=base_url(), org_name=config["ORGANISATION_NAME"], org_url=organisation_url(),
        )
    return render_template("public/claim.html", claim=public_claim(found), review=review)


@bp.get("/corrections")
def corrections() -> str:
    before = position(request.args)
    log = corrections_log(get_session(), before=before, per_page=PER_PAGE)
    entries = [(describe(row.change), row.claim) for row in log.items]
    return render_template("public/corrections.html", log=log, entries=entries, first=before is None)


@bp.get("/methodology")
def methodology() -> str:
    return render_template(
        "public/methodology.html",
        rating_scale=RATING_SCALE, best_rating=BEST_RATING, worst_rating=WORST_RATING,
    )
