"""Statements: who said what, carried by which report, relayed by whom."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..db import get_session
from ..services import catalogue
from ..services.sources import create_statement, get_statement, retract_statement, update_statement
from . import auth
from .framework import Blueprint
from .paging import paged
from .schemas import (
    MAX_ID,
    StatementCreateSchema,
    StatementPageSchema,
    StatementQuery,
    StatementSchema,
    StatementUpdateSchema,
    RetractSchema,
)

blp = Blueprint("api-statements", __name__, description="Statements: one attribution each.")

STATEMENT = f"<int(min=1, max={MAX_ID}):statement_id>"


@blp.route("/statements", methods=["GET"])
@blp.token
@blp.arguments(StatementQuery, location="query")
@blp.response(200, StatementPageSchema)
@blp.problems(401)
def list_statements(query: dict[str, Any]) -> Any:
    """List statements

    Filter by `speaker_id` or `report_id`.
    """
    page = catalogue.list_statements(get_session(), **query)
    return paged(page.items, page.next_cursor)


@blp.route(f"/statements/{STATEMENT}", methods=["GET"])
@blp.token
@blp.response(200, StatementSchema)
@blp.problems(401, 404)
def read_statement(statement_id: int) -> Any:
    """Read a statement"""
    return get_statement(get_session(), statement_id)


@blp.route("/statements", methods=["POST"])
@blp.token
@blp.arguments(StatementCreateSchema)
@blp.response(201, StatementSchema)
@blp.problems(400, 401, 403, 404, 409, 413, 429)
def create(data: dict[str, Any]) -> Any:
    """Record a statement

    Link it to a claim, with its stance, through `POST /api/v1/claims/{claim_id}/statements`.
    The same words by the same speaker in the same report are refused (409, with the
    `statement_id` recorded): link that one instead.
    """
    statement = create_statement(get_session(), auth.current_actor(), **data)
    return statement, {"Location": url_for(".read_statement", statement_id=statement.id)}


@blp.route(f"/statements/{STATEMENT}", methods=["PATCH"])
@blp.token
@blp.arguments(StatementUpdateSchema)
@blp.response(200, StatementSchema)
@blp.problems(400, 401, 403, 404, 409, 413, 429)
def update(data: dict[str, Any], statement_id: int) -> Any:
    """Edit a statement

    Every edit is kept as a revision. Once a published claim shows the statement, its words
    (text, kind, speaker) are changed by an editor only. Send `version` to have an edit over
    someone else's refused (409). A new speaker recomputes the flags of every claim the
    statement bears on.
    """
    actor = auth.current_actor()
    session = get_session()
    version = data.pop("version", None)
    return update_statement(session, get_statement(session, statement_id), actor, expected_version=version, **data)


@blp.route(f"/statements/{STATEMENT}/retract", methods=["POST"])
@blp.token
@blp.arguments(RetractSchema)
@blp.response(200, StatementSchema)
@blp.problems(400, 401, 403, 404, 409, 413, 422, 429)
def retract(data: dict[str, Any], statement_id: int) -> Any:
    """Retract a statement

    Nothing is deleted: the statement is kept with `retracted_at` and the `reason`, and counts
    for no claim. Readers of a published claim that showed it are told it was withdrawn.
    """
    session = get_session()
    return retract_statement(session, get_statement(session, statement_id), auth.current_actor(),
                             reason=data["reason"], expected_version=data.get("version"))
