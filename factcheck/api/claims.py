"""Claims: list with the editor queue's filters, read, create, edit and publish."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from ..db import get_session
from ..errors import NotFound
from ..models import Claim, Status
from ..services import queue
from ..services.claims import create_claim, get_claim, set_published, update_claim
from . import auth
from .framework import Blueprint
from .paging import paged
from .preconditions import etag, expected_version, not_modified
from .schemas import MAX_ID, ClaimCreateSchema, ClaimPageSchema, ClaimQuery, ClaimSchema, ClaimUpdateSchema

blp = Blueprint("api-claims", __name__, description="Claims: one checkable proposition each.")

#: A claim id in a URL; larger numbers are not routes at all (404), never a database error.
CLAIM = f"<int(min=1, max={MAX_ID}):claim_id>"

ETAG_HEADER = {"ETag": {"description": 'The claim\'s version, quoted (e.g. `"3"`).', "schema": {"type": "string"}}}


def visible_claim(claim_id: int) -> Claim:
    """The claim, if the caller may see it: anyone a published one, the desk every one.

    An unpublished claim is "not found" for readers, with the same words as a missing one,
    so that its existence does not leak.
    """
    claim = get_claim(get_session(), claim_id)
    if claim.published or auth.is_member():
        return claim
    raise NotFound(f"No claim with id {claim_id}.")


#: Query parameters about the desk's work (who, when, how urgent): the desk's alone.
DESK_PARAMETERS = ("assignee", "stale", "overdue")
#: Orders that would disclose desk fields (priority, deadline, last activity) to readers.
DESK_SORTS = frozenset({"priority", "activity", "deadline"})


@blp.route("/claims", methods=["GET"])
@blp.public
@blp.arguments(ClaimQuery, location="query")
@blp.response(200, ClaimPageSchema, headers={"Link": {"description": 'rel="next": the next page.', "schema": {"type": "string"}}})
@blp.problems(401)
def list_claims(query: dict[str, Any]) -> Any:
    """List claims

    Every filter of the editor queue (`status` repeatable, `assignee` an id or `none`, the
    flags, `tag`, `published`) and its four sorts, a page at a time; follow `next_cursor`.
    All statuses are listed unless `status` says otherwise. Without a token only published
    claims are listed (whatever `published` says), oldest first (`sort=age`, the default for
    readers), and the desk's parameters — `assignee`, `stale`, `overdue` and the other sorts —
    answer 401.
    """
    member = auth.is_member()
    sort = query.get("sort") or ("priority" if member else "age")
    if not member:
        desk = [name for name in DESK_PARAMETERS if name in query] + (["sort"] if sort in DESK_SORTS else [])
        if desk:
            auth.require_member(f"Listing by {', '.join(desk)}")
        query = {**query, "published": True}
    filt = queue.ClaimFilter.from_args(query, default_statuses=Status)
    page = queue.list_claims(
        get_session(),
        filt,
        sort=sort,
        cursor=query.get("cursor"),
        limit=query["limit"],
        stale_after_days=current_app.config["STALE_AFTER_DAYS"],
    )
    return paged(page.items, page.next_cursor)


@blp.route(f"/claims/{CLAIM}", methods=["GET"])
@blp.public
@blp.response(200, ClaimSchema, headers=ETAG_HEADER)
@blp.alt_response(304, description="Not modified: If-None-Match names the current version.")
@blp.problems(401, 404)
def read_claim(claim_id: int) -> Any:
    """Read a claim

    Sends the claim's version as `ETag`; send it back as `If-Match` to edit the claim.
    """
    claim = visible_claim(claim_id)
    return not_modified(claim) or (claim, {"ETag": etag(claim)})


@blp.route("/claims", methods=["POST"])
@blp.token
@blp.arguments(ClaimCreateSchema)
@blp.response(201, ClaimSchema, headers=ETAG_HEADER)
@blp.problems(400, 401, 403, 409, 413, 429)
def create(data: dict[str, Any]) -> Any:
    """Create a claim

    The claim starts unverified, with the first row of its status history.
    """
    claim = create_claim(get_session(), auth.current_actor(), **data)
    return claim, {"ETag": etag(claim), "Location": url_for(".read_claim", claim_id=claim.id)}


@blp.route(f"/claims/{CLAIM}", methods=["PATCH"])
@blp.token
@blp.doc(parameters=["IfMatch"])
@blp.arguments(ClaimUpdateSchema)
@blp.response(200, ClaimSchema, headers=ETAG_HEADER)
@blp.problems(400, 401, 403, 404, 409, 412, 413, 428, 429)
def update(data: dict[str, Any], claim_id: int) -> Any:
    """Edit a claim

    Text, context and tags (any checker); priority, assignee, deadline, next review and
    `published` (editors). Once a claim is published its `text` is changed by an editor only,
    with a public `reason`: readers see it as a correction. Say which version you edited with
    `If-Match` or `version`. Every change is kept (revisions, audit log).
    """
    actor = auth.current_actor()
    session = get_session()
    claim = get_claim(session, claim_id)
    version = expected_version(claim, data.pop("version", None))
    published = data.pop("published", None)
    if data:
        update_claim(session, claim, actor, expected_version=version, **data)
        version = claim.version
    if published is not None:
        set_published(session, claim, actor, published=published, expected_version=version)
    return claim, {"ETag": etag(claim)}
