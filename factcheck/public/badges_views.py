"""The SVG badge and the embed card: the two things news sites put in their articles.

Both may be framed by any site and fetched from any origin (see ``factcheck.headers``), and
both are cached: a strong ETag from the claim's version, and ``max-age`` plus
``stale-while-revalidate`` so that a cache in front carries the load of every article page.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Response, render_template

from ..badges import LOOKS, badge_svg, etag, unavailable_svg
from ..db import get_session
from ..errors import NotFound
from ..direct import fetch_one
from ..models import Claim, Status
from . import bp
from .caching import conditional, embed_cache_control
from .presenters import classify, current_change
from .queries import SLUG, published_claim

#: Bumped whenever the card's markup changes, so that caches keyed on the ETag refresh.
EMBED_FORMAT = 1


def embed_etag(claim: Claim) -> str:
    """Like the badge's, but its own: the card and the SVG are different representations."""
    return f'"e{EMBED_FORMAT}-{claim.id}-{claim.version}"'


#: The badge's one query: four columns of one row, found by the unique slug index. Run by
#: ``direct`` on a connection of its own (no session, no ORM): the badge is the busiest
#: address of the site, see ``factcheck/direct.py`` for what that saves.
BADGE_ROW_SQL = "SELECT id, version, public_status, text FROM claims WHERE slug = ? AND published_at IS NOT NULL"


@lru_cache(maxsize=4096)
def _drawn_badge(claim_id: int, version: int, status: str, text: str) -> tuple[str, str]:
    """(ETag, SVG) of a claim as it is at ``version``: drawn once, not once per request.
    Keyed by everything the drawing shows, so a stale entry can never be served."""
    claim = Claim(id=claim_id, version=version, public_status=Status(status), text=text)
    return etag(claim), badge_svg(claim)


#: Unknown and unpublished claims alike (readers cannot tell which): kept briefly by caches, so
#: that a claim published a moment later shows soon.
UNAVAILABLE_CACHE = "public, max-age=60"


@bp.get("/badge/<slug>.svg")
def badge(slug: str) -> Response:
    row = fetch_one(BADGE_ROW_SQL, (slug,)) if SLUG.fullmatch(slug) else None
    if row is None:  # a neutral badge, 404: the partner's page shows words, not a broken image
        return Response(unavailable_svg(), status=404, mimetype="image/svg+xml",
                        headers={"Cache-Control": UNAVAILABLE_CACHE})
    tag, svg = _drawn_badge(*row)
    return conditional(tag, embed_cache_control(), lambda: Response(svg, mimetype="image/svg+xml"))


@bp.get("/embed/<slug>")
def embed(slug: str) -> Response:
    try:
        claim = published_claim(get_session(), slug)
    except NotFound:  # an embed-sized card, not the site's 404 page inside the partner's frame
        return Response(render_template("embed/unavailable.html"), status=404, mimetype="text/html",
                        headers={"Cache-Control": UNAVAILABLE_CACHE})

    def render() -> Response:
        current = current_change(classify(claim.public_entries))
        html = render_template("embed/card.html", claim=claim, status=claim.public_status,
                               look=LOOKS[claim.public_status], current=current)
        return Response(html, mimetype="text/html")

    return conditional(embed_etag(claim), embed_cache_control(), render)
