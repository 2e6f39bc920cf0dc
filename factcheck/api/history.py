"""A claim's status: its append-only history, and the one way to move it."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..db import get_session
from ..services.catalogue import get_status_change, list_history
from ..services.claims import get_claim
from ..services.status import change_status
from . import auth
from .claims import CLAIM, ETAG_HEADER, visible_claim
from .framework import Blueprint
from .paging import paged
from .preconditions import expected_version, version_tag
from .schemas import MAX_ID, PageQuery, StatusChangePageSchema, StatusChangeRequestSchema, StatusChangeSchema

blp = Blueprint(
    "api-history", __name__, description="Status history: every move of a claim's status, never rewritten."
)


@blp.route(f"/claims/{CLAIM}/history", methods=["GET"])
@blp.public
@blp.arguments(PageQuery, location="query")
@blp.response(200, StatusChangePageSchema)
@blp.problems(401, 404)
def list_changes(query: dict[str, Any], claim_id: int) -> Any:
    """List a claim's status changes

    Oldest first; the first row is the claim's creation. Who made each change is shown to
    the desk only.
    """
    claim = visible_claim(claim_id)
    page = list_history(get_session(), claim.id, cursor=query.get("cursor"), limit=query["limit"])
    return paged(page.items, page.next_cursor)


@blp.route(f"/claims/{CLAIM}/history/<int(min=1, max={MAX_ID}):change_id>", methods=["GET"])
@blp.public
@blp.response(200, StatusChangeSchema)
@blp.problems(401, 404)
def read_change(claim_id: int, change_id: int) -> Any:
    """Read one status change"""
    claim = visible_claim(claim_id)
    return get_status_change(get_session(), claim.id, change_id)


@blp.route(f"/claims/{CLAIM}/status", methods=["POST"])
@blp.token
@blp.doc(parameters=["IfMatch"])
@blp.arguments(StatusChangeRequestSchema)
@blp.response(201, StatusChangeSchema, headers=ETAG_HEADER)
@blp.problems(400, 401, 403, 404, 409, 412, 413, 428, 429)
def change(data: dict[str, Any], claim_id: int) -> Any:
    """Change a claim's status

    `{"to", "reason", "evidence"}`; every change needs a reason. `reason`, `evidence` and
    `override_reason` are published with the change once the claim is public; `note` and
    `override_note` are internal and never published. Only the moves of the status machine are
    allowed; reopening a resolved claim and overriding the independence rule
    (`override_reason`) are editors' acts. Say which version you edited with `If-Match` or
    `version`; the response's `ETag` is the claim's new version.
    """
    actor = auth.current_actor()
    session = get_session()
    claim = get_claim(session, claim_id)
    version = expected_version(claim, data.pop("version", None))
    row = change_status(
        session,
        claim,
        data["to"],
        data["reason"],
        actor,
        version,
        evidence=data.get("evidence", ""),
        override_reason=data.get("override_reason"),
        note=data.get("note", ""),
        override_note=data.get("override_note", ""),
    )
    location = url_for(".read_change", claim_id=claim.id, change_id=row.id)
    return row, {"ETag": version_tag(row.version), "Location": location}
