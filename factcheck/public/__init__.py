"""What readers see: published claims only.

``pages`` (claims, corrections, methodology), ``badges_views`` (the SVG badge and the embed
card other sites frame), ``feeds`` (Atom). The modules below only shape data for them:
``queries`` (SQL), ``presenters`` (what of a claim is public), ``pagination``, ``caching``,
``atom``, ``meanings``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint

from ..badges import LOOKS
from ..claimreview.jsonld import jsonld_script
from .meanings import STATUS_MEANINGS

bp = Blueprint("public", __name__)


@bp.app_template_filter("reader_date")
def reader_date(value: date | datetime | None) -> str:
    """``8 October 2019``: unambiguous in every locale (no 10/8 versus 8/10)."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


@bp.app_template_filter("reader_datetime")
def reader_datetime(value: datetime | None) -> str:
    """``8 October 2019, 14:05 UTC``."""
    if value is None:
        return ""
    return f"{reader_date(value)}, {value:%H:%M} UTC"


@bp.context_processor
def _reader_globals() -> dict[str, Any]:
    return {"STATUS_MEANINGS": STATUS_MEANINGS, "LOOKS": LOOKS, "jsonld_script": jsonld_script}


from . import attachments, badges_views, feeds, pages  # noqa: E402,F401  (they register their routes on bp)
