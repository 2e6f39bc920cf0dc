"""Stances: which statements bear on a claim, and how (asserts, denies, unconfirmed, mentions)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..db import get_session
from ..errors import NotFound, ValidationError
from ..models import Statement
from ..services.catalogue import get_link, list_links
from ..services.claims import get_claim, link_statement, set_stance, unlink_statement
from . import auth
from .claims import CLAIM, ETAG_HEADER, visible_claim
from .framework import Blueprint
from .paging import paged
from .preconditions import etag, expected_version
from .schemas import MAX_ID, LinkCreateSchema, LinkPageSchema, LinkSchema, LinkUpdateSchema, PageQuery, UnlinkSchema

blp = Blueprint("api-stances", __name__, description="Stances: how each statement bears on a claim.")

STATEMENT = f"<int(min=1, max={MAX_ID}):statement_id>"


@blp.route(f"/claims/{CLAIM}/statements", methods=["GET"])
@blp.public
@blp.arguments(PageQuery, location="query")
@blp.response(200, LinkPageSchema)
@blp.problems(401, 404)
def list_stances(query: dict[str, Any], claim_id: int) -> Any:
    """List the statements on a claim

    Each with its stance, the statement, its speaker and report, in the order they were
    linked. Readers see published claims only, and only the statements that count for them;
    the desk also sees those taken off the claim or retracted (kept, never deleted).
    """
    claim = visible_claim(claim_id)
    page = list_links(get_session(), claim.id, cursor=query.get("cursor"), limit=query["limit"],
                      counting_only=not auth.is_member())
    return paged(page.items, page.next_cursor)


@blp.route(f"/claims/{CLAIM}/statements/{STATEMENT}", methods=["GET"])
@blp.public
@blp.response(200, LinkSchema)
@blp.problems(401, 404)
def read_stance(claim_id: int, statement_id: int) -> Any:
    """Read how one statement bears on a claim"""
    claim = visible_claim(claim_id)
    link = get_link(get_session(), claim.id, statement_id)
    if not link.counts and not auth.is_member():
        raise NotFound(f"Statement {statement_id} is not linked to claim {claim_id}.")
    return link


@blp.route(f"/claims/{CLAIM}/statements", methods=["POST"])
@blp.token
@blp.arguments(LinkCreateSchema)
@blp.response(201, LinkSchema, headers=ETAG_HEADER)
@blp.problems(400, 401, 403, 404, 409, 413, 429)
def link(data: dict[str, Any], claim_id: int) -> Any:
    """Link a statement to a claim, with its stance

    The claim's source flags (contested, single source, anonymous only) are recomputed and
    its version goes up (the new one is in `ETag`). A statement is linked to a claim once;
    change its stance instead.
    """
    actor = auth.current_actor()
    session = get_session()
    claim = get_claim(session, claim_id)
    statement = session.get(Statement, data.pop("statement_id"))
    if statement is None:
        raise ValidationError("The statement is not known.", {"statement_id": "unknown statement"})
    row = link_statement(session, claim, statement, actor, **data)
    location = url_for(".read_stance", claim_id=claim.id, statement_id=statement.id)
    return row, {"Location": location, "ETag": etag(claim)}


@blp.route(f"/claims/{CLAIM}/statements/{STATEMENT}", methods=["PATCH"])
@blp.token
@blp.arguments(LinkUpdateSchema)
@blp.response(200, LinkSchema, headers=ETAG_HEADER)
@blp.doc(parameters=["IfMatch"])
@blp.problems(400, 401, 403, 404, 409, 412, 413, 428, 429)
def restance(data: dict[str, Any], claim_id: int, statement_id: int) -> Any:
    """Change a statement's stance on a claim

    Say which version of the claim you edited (`If-Match` or `version`): a stance changed by
    someone else meanwhile is refused like a status change. The claim's source flags are
    recomputed and its version goes up (the new one is in `ETag`).
    """
    actor = auth.current_actor()
    session = get_session()
    claim = get_claim(session, claim_id)
    version = expected_version(claim, data.get("version"))
    row = set_stance(session, get_link(session, claim.id, statement_id), actor, stance=data["stance"],
                     expected_version=version)
    return row, {"ETag": etag(claim)}


@blp.route(f"/claims/{CLAIM}/statements/{STATEMENT}/unlink", methods=["POST"])
@blp.token
@blp.arguments(UnlinkSchema)
@blp.response(200, LinkSchema, headers=ETAG_HEADER)
@blp.doc(parameters=["IfMatch"])
@blp.problems(400, 401, 403, 404, 409, 412, 413, 422, 428, 429)
def unlink(data: dict[str, Any], claim_id: int, statement_id: int) -> Any:
    """Take a statement off a claim

    Nothing is deleted: the link is kept with `unlinked_at` and the `reason`, and no longer
    counts for the claim. If readers saw it on the published claim, its public history says
    it was withdrawn. Say which version of the claim you edited (`If-Match` or `version`).
    """
    actor = auth.current_actor()
    session = get_session()
    claim = get_claim(session, claim_id)
    version = expected_version(claim, data.get("version"))
    row = unlink_statement(session, get_link(session, claim.id, statement_id), actor, reason=data["reason"],
                           expected_version=version)
    return row, {"ETag": etag(claim)}
