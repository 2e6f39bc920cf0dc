"""What any website may fetch without a token: a claim's badge, and our ClaimReview feed."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request

from ..badges import badge_data
from ..badges import etag as badge_etag
from ..claimreview.export import claim_url, data_feed
from ..db import get_session
from ..urls import base_url, organisation_url
from ..public.caching import conditional, embed_cache_control
from ..public.queries import published_claim
from .framework import Blueprint
from .schemas import BadgeSchema, DataFeedSchema

blp = Blueprint("api-public", __name__, description="Public: badges and the ClaimReview feed, for any website.")

#: The feed is fetched by aggregators, not embedded: a few minutes' cache is plenty.
FEED_HEADERS = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}


@blp.route("/claims/<slug:slug>/badge", methods=["GET"])
@blp.public
@blp.response(200, BadgeSchema, headers={"ETag": {"schema": {"type": "string"}}})
@blp.alt_response(304, description="Not modified: If-None-Match names the current badge.")
@blp.problems(401, 404)
def badge(slug: str) -> Any:
    """A published claim's badge, as JSON

    What the reader pages draw: status, label, colour and symbol. Changes the moment the
    status does; revalidate with `If-None-Match`. Cached and fetched cross-origin exactly
    like the SVG badge (same ETag, same Cache-Control), any origin may read it.
    """
    claim = published_claim(get_session(), slug)
    url = claim_url(base_url(), claim.slug)
    response = conditional(badge_etag(claim), embed_cache_control(), lambda: jsonify(badge_data(claim, url=url)))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blp.route("/claimreview", methods=["GET"])
@blp.public
@blp.response(200, DataFeedSchema, content_type="application/ld+json")
@blp.problems(401)
def claimreview() -> Any:
    """Every published verdict, as a schema.org DataFeed of ClaimReview

    One item per published, resolved claim (JSON-LD), for search engines and aggregators.
    """
    cfg = current_app.config
    feed = data_feed(
        get_session(), base_url=base_url(), org_name=cfg["ORGANISATION_NAME"], org_url=organisation_url()
    )
    response = jsonify(feed)
    response.mimetype = "application/ld+json"
    response.headers.update(FEED_HEADERS)
    return response
