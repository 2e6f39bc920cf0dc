"""Sources: who originates statements. Sealed identities are shown to editors only."""

from __future__ import annotations

from typing import Any

from flask import redirect, url_for

from ..db import get_session
from ..services import catalogue
from ..services.sources import create_source, get_source, merge_sources, update_source
from . import auth
from .framework import Blueprint
from .paging import paged
from .schemas import (
    MAX_ID, SourceCreateSchema, SourceMergeSchema, SourcePageSchema, SourceQuery, SourceSchema, SourceUpdateSchema,
)

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
@blp.alt_response(301, description="Merged into another source: `Location` is the survivor.")
@blp.problems(401, 404)
def read_source(source_id: int) -> Any:
    """Read a source

    A source merged into another redirects there (301).
    """
    source = get_source(get_session(), source_id)
    if source.merged_into_id is not None:
        return redirect(url_for(".read_source", source_id=source.merged_into_id), code=301)
    return source


@blp.route("/sources", methods=["POST"])
@blp.token
@blp.arguments(SourceCreateSchema)
@blp.response(201, SourceSchema)
@blp.problems(400, 401, 403, 413, 429)
def create(data: dict[str, Any]) -> Any:
    """Create a source

    An anonymous source needs `anonymity_reason` (readers see it); only an anonymous source
    has a `sealed_identity`, which anyone on the desk may write and only editors read back.
    """
    source = create_source(get_session(), auth.current_actor(), **data)
    return source, {"Location": url_for(".read_source", source_id=source.id)}


@blp.route(f"/sources/{SOURCE}", methods=["PATCH"])
@blp.token
@blp.arguments(SourceUpdateSchema)
@blp.response(200, SourceSchema)
@blp.problems(400, 401, 403, 404, 409, 413, 429)
def update(data: dict[str, Any], source_id: int) -> Any:
    """Edit a source

    Every edit is kept as a revision; send `version` to have an edit over someone else's
    refused (409). Changing whether it is anonymous, or its affiliation, recomputes the flags
    of every claim it bears on. Anyone on the desk may set a sealed identity; only editors
    clear one.
    """
    actor = auth.current_actor()
    session = get_session()
    version = data.pop("version", None)
    return update_source(session, get_source(session, source_id), actor, expected_version=version, **data)


@blp.route(f"/sources/{SOURCE}/merge", methods=["POST"])
@blp.token
@blp.arguments(SourceMergeSchema)
@blp.response(200, SourceSchema)
@blp.problems(400, 401, 403, 404, 409, 413, 422, 429)
def merge(data: dict[str, Any], source_id: int) -> Any:
    """Merge a duplicate source into another

    Editors only. Its statements, reports and affiliated sources move to `into`, its name
    becomes an alias there, and its address redirects there; the merge is in the audit log.
    Answers with the surviving source.
    """
    session = get_session()
    return merge_sources(session, get_source(session, source_id), get_source(session, data["into"]),
                         auth.current_actor(), reason=data["reason"], expected_version=data.get("version"))
