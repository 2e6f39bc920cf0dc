"""What readers see: published claims only."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from ..db import get_session
from ..models import Claim

bp = Blueprint("public", __name__)


@bp.get("/")
def index() -> str:
    session = get_session()
    claims = session.scalars(
        select(Claim)
        .where(Claim.published_at.is_not(None))
        .order_by(Claim.status_changed_at.desc(), Claim.id.desc())
        .limit(50)
    ).all()
    return render_template("public/index.html", claims=claims)
