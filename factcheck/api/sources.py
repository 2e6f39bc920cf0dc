"""Sources: who originates statements. Sealed identities are shown to editors only."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..db import get_session
from ..services import catalogue
from ..services.sources import create_source, get_source, update_source
from . import auth
from .framework import Blueprint
from .paging import paged
from .schemas import MAX_ID, SourceCreateSchema, SourcePageSchema, SourceQuery, SourceSchema, SourceUpdateSchema

blp = Blueprint(
    "api-sources", __name__,
    description="Sources: people, bodies, groups, outlets and documents. Readers meet them through "
    "a published claim's statements; these endpoints are for the desk.",
)

SOURCE = f"<int(min=1, max={MAX_ID}):source_id>"


@blp.route("/sources", methods=["GET"])
@blp.token
@blp.arguments(SourceQuery, location="query")
@blp.response(200, SourcePageSchema)
@blp.problems(401)
def list_sources(query: dict[str, Any]) -> Any:
    """List sources

    Filter by `kind`, `anonymous`, `affiliation_id` or part of the `name`.
    """
    page = catalogue.list_sources(get_session(), **query)
    return paged(page.items, page.next_cursor)


@blp.route(f"/sources/{SOURCE}", methods=["GET"])
@blp.token
@blp.response(200, SourceSchema)
@blp.problems(401, 404)
def read_source(source_id: int) -> Any:
    """Read a source"""
    return get_source(get_session(), source_id)


@blp.route("/sources", methods=["POST"])
@blp.token
@blp.arguments(SourceCreateSchema)
@blp.response(201, SourceSchema)
@blp.problems(400, 401, 403, 413, 429)
def create(data: dict[str, Any]) -> Any:
    """Create a source

    An anonymous source needs `anonymity_reason` (readers see it); only an anonymous source
    has a `sealed_identity`.
    """
    source = create_source(get_session(), auth.current_actor(), **data)
    return source, {"Location": url_for(".read_source", source_id=source.id)}


@blp.route(f"/sources/{SOURCE}", methods=["PATCH"])
@blp.token
@blp.arguments(SourceUpdateSchema)
@blp.response(200, SourceSchema)
@blp.problems(400, 401, 403, 404, 413, 429)
def update(data: dict[str, Any], source_id: int) -> Any:
    """Edit a source

    Changing whether it is anonymous, or its affiliation, recomputes the flags of every claim
    it bears on. Only editors change a sealed identity.
    """
    actor = auth.current_actor()
    session = get_session()
    return update_source(session, get_source(session, source_id), actor, **data)
