"""Archived copies of a report, read-only (``services.archive``)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from ..db import get_session
from ..services import archive
from ..services.sources import get_report
from .framework import Blueprint
from .reports import REPORT
from .schemas import Representation

blp = Blueprint("api-snapshots", __name__,
                description="Archived copies of reports: what each report's page said when it was fetched.")


class SnapshotSchema(Representation):
    id = fields.Integer()
    outcome = fields.String(metadata={"description": "archived (the first copy), changed (its readable text "
                                      "differs from the copy before), gone (404/410), failed or refused (no copy)."})
    fetched_at = fields.DateTime()
    last_at = fields.DateTime(metadata={"description": "The last time the same outcome was seen again."})
    repeats = fields.Integer()
    requested_url = fields.String()
    final_url = fields.String(allow_none=True)
    redirects = fields.List(fields.String())
    http_status = fields.Integer(allow_none=True)
    content_type = fields.String(allow_none=True)
    sha256 = fields.String(allow_none=True, metadata={"description": "SHA-256 of the bytes as received."})
    size = fields.Integer(allow_none=True)
    title = fields.String(allow_none=True)
    error = fields.String(metadata={"description": "Why nothing was kept (failed or refused)."})


class ArchiveSchema(Representation):
    report_id = fields.Integer()
    url = fields.String()
    state = fields.String(metadata={"description": "pending, archived, changed, gone, failed or refused."})
    last_checked_at = fields.DateTime(allow_none=True)
    next_check_at = fields.DateTime(allow_none=True)
    changed_at = fields.DateTime(allow_none=True)
    gone_since = fields.DateTime(allow_none=True)
    snapshots = fields.List(fields.Nested(SnapshotSchema), metadata={"description": "Newest first."})


@blp.route(f"/reports/{REPORT}/snapshots", methods=["GET"])
@blp.token
@blp.response(200, ArchiveSchema)
@blp.problems(401, 404)
def list_snapshots(report_id: int) -> Any:
    """List a report's archived copies

    Every fetch that found something new — a first copy, a changed copy, the page gone, a
    fetch refused or failed with why — newest first. 404 if the report was never archived.
    """
    session = get_session()
    report = get_report(session, report_id)
    found = archive.report_archive(session, report)
    archived = found.archived
    return {"report_id": report.id, "url": archived.url, "state": archived.state,
            "last_checked_at": archived.last_checked_at, "next_check_at": archived.next_check_at,
            "changed_at": archived.changed_at, "gone_since": archived.gone_since, "snapshots": found.snapshots}
