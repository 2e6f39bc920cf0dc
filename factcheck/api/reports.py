"""Reports: where statements were carried."""

from __future__ import annotations

from typing import Any

from flask import url_for

from ..db import get_session
from ..services import catalogue
from ..services.sources import create_report, get_report, update_report
from . import auth
from .framework import Blueprint
from .paging import paged
from .schemas import (
    MAX_ID,
    ReportCreateSchema,
    ReportDetailSchema,
    ReportPageSchema,
    ReportQuery,
    ReportUpdateSchema,
)

blp = Blueprint("api-reports", __name__, description="Reports: articles, broadcasts and documents at a URL.")

REPORT = f"<int(min=1, max={MAX_ID}):report_id>"


@blp.route("/reports", methods=["GET"])
@blp.token
@blp.arguments(ReportQuery, location="query")
@blp.response(200, ReportPageSchema)
@blp.problems(401)
def list_reports(query: dict[str, Any]) -> Any:
    """List reports

    Filter by `outlet_id`, or find the report at one exact `url`. Stored texts are not
    listed; read a report to get its text.
    """
    page = catalogue.list_reports(get_session(), **query)
    return paged(page.items, page.next_cursor)


@blp.route(f"/reports/{REPORT}", methods=["GET"])
@blp.token
@blp.response(200, ReportDetailSchema)
@blp.problems(401, 404)
def read_report(report_id: int) -> Any:
    """Read a report, with its stored text"""
    return get_report(get_session(), report_id)


@blp.route("/reports", methods=["POST"])
@blp.token
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportDetailSchema)
@blp.problems(400, 401, 403, 409, 413, 429)
def create(data: dict[str, Any]) -> Any:
    """File a report

    Its URL must be new (409 names the existing one). A stored `text` is kept byte for byte
    with its SHA-256.
    """
    report = create_report(get_session(), auth.current_actor(), **data)
    return report, {"Location": url_for(".read_report", report_id=report.id)}


@blp.route(f"/reports/{REPORT}", methods=["PATCH"])
@blp.token
@blp.arguments(ReportUpdateSchema)
@blp.response(200, ReportDetailSchema)
@blp.problems(400, 401, 403, 404, 409, 413, 429)
def update(data: dict[str, Any], report_id: int) -> Any:
    """Edit a report

    A stored text is never replaced: it is the evidence of what the report said.
    """
    actor = auth.current_actor()
    session = get_session()
    return update_report(session, get_report(session, report_id), actor, **data)
