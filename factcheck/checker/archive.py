"""Archived copies on the desk: a report's and a claim's snapshots, one snapshot, its text, its
raw bytes and its difference from the copy before; the claim page's panel.

A snapshot is someone else's page, and may hold anything. What the desk shows of it is its
readable text, escaped into the desk's own page. Its bytes are served only on request, and
every response that carries a snapshot's own content (``/text``, ``/raw``) is sandboxed:
``Content-Security-Policy: sandbox; default-src 'none'`` (no script runs, nothing loads, the
document has no origin), ``X-Content-Type-Options: nosniff``, no cookie set, and the raw bytes
as a download unless ``?inline=1`` asks to see them in the (sandboxed) browser tab.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, session as cookie_session, url_for

from ..auth import current_actor
from ..db import get_session
from ..errors import NotFound
from ..models import ArchivedUrl, Claim, Snapshot, User
from ..services import archive
from ..services.claims import get_claim
from ..services.sources import get_report
from ..storage import NotStored, StorageError, get_store
from . import bp, panels

#: The headers of every response carrying a snapshot's own content.
SANDBOX = {
    "Content-Security-Policy": "sandbox; default-src 'none'; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Referrer-Policy": "no-referrer",
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: The file extension a raw download gets, by type (anything else: ``.bin``).
EXTENSIONS = {"text/html": "html", "application/xhtml+xml": "xhtml", "text/plain": "txt", "application/pdf": "pdf",
              "application/json": "json", "text/csv": "csv", "image/png": "png", "image/jpeg": "jpg",
              "image/gif": "gif", "image/webp": "webp"}


@panels.panel
def archive_panel(db: Any, claim: Claim, user: User) -> dict[str, Any]:
    """The claim page's archived sources (``templates/checker/_archive.html``): four queries."""
    return {"archived_sources": archive.cited_by_claim(db, claim.id)}


def _sandboxed(response: Response) -> Response:
    response.headers.update(SANDBOX)
    response.headers.pop("X-Frame-Options", None)
    cookie_session.modified = False  # no cookie set on a response carrying someone else's page
    return response


@bp.get("/reports/<id:report_id>/archive")
def report_archive(report_id: int) -> Any:
    """A report's archived copies, newest first; 404 saying so if it was never archived."""
    db = get_session()
    report = get_report(db, report_id)
    try:
        found = archive.report_archive(db, report)
    except NotFound as missing:
        return render_template("checker/archive_report.html", report=report, archived=None,
                               missing=missing.detail, snapshots=[], reports=[report]), 404
    return render_template("checker/archive_report.html", report=report, archived=found.archived, missing=None,
                           snapshots=found.snapshots, reports=found.reports)


@bp.post("/reports/<id:report_id>/archive/check")
def check_again(report_id: int) -> Any:
    """Fetch the report's page again now (or archive it, if it never was)."""
    db = get_session()
    report = get_report(db, report_id)
    archive.check_again(db, report, current_actor())
    flash("The page will be fetched again in a moment; reload this page to see what was found.", "info")
    return redirect(url_for("checker.report_archive", report_id=report.id))


@bp.get("/claims/<id:claim_id>/archive")
def claim_archive(claim_id: int) -> Any:
    """Every archived source of a claim (its reports and evidence links), with all snapshots."""
    db = get_session()
    claim = get_claim(db, claim_id)
    return render_template("checker/archive_claim.html", claim=claim, cited=archive.cited_by_claim(db, claim.id))


def _snapshot(snapshot_id: int) -> tuple[Snapshot, ArchivedUrl]:
    snapshot = archive.get_snapshot(get_session(), snapshot_id)
    return snapshot, snapshot.archived_url


@bp.get("/snapshots/<id:snapshot_id>")
def snapshot(snapshot_id: int) -> Any:
    """One snapshot: what was fetched, when, from where, and its readable text."""
    db = get_session()
    shot, archived = _snapshot(snapshot_id)
    return render_template("checker/snapshot.html", snapshot=shot, archived=archived,
                           previous=archive.previous_copy(db, shot) if shot.kept else None,
                           reports=archive.reports_of(db, archived))


@bp.get("/snapshots/<id:snapshot_id>/text")
def snapshot_text(snapshot_id: int) -> Any:
    """The readable text alone, as plain text, sandboxed."""
    shot, _archived = _snapshot(snapshot_id)
    if not shot.kept:
        raise NotFound(f"Snapshot #{shot.id} kept no copy ({shot.outcome}: {shot.error or 'nothing was kept'}).")
    if not shot.text:
        raise NotFound(f"Snapshot #{shot.id} has no readable text ({shot.content_type}): download the copy instead.")
    return _sandboxed(Response(shot.text, mimetype="text/plain"))


@bp.get("/snapshots/<id:snapshot_id>/raw")
def snapshot_raw(snapshot_id: int) -> Any:
    """The bytes as received: a download, or (``?inline=1``) shown in a sandboxed response."""
    shot, _archived = _snapshot(snapshot_id)
    if not shot.kept or shot.sha256 is None:
        raise NotFound(f"Snapshot #{shot.id} kept no copy ({shot.outcome}: {shot.error or 'nothing was kept'}).")
    try:
        stream = get_store().open(shot.sha256)
    except NotStored:
        raise NotFound(f"The copy of snapshot #{shot.id} (SHA-256 {shot.sha256}) is missing from the file store: "
                       "restore it from a backup.") from None
    except StorageError as error:
        abort(503, f"The file store could not be read: {error}")
    inline = request.args.get("inline") == "1"
    mimetype = shot.content_type or "application/octet-stream"
    response = Response(_chunks(stream), mimetype=mimetype, direct_passthrough=True)
    if shot.size is not None:
        response.headers["Content-Length"] = str(shot.size)
    if not inline:
        name = _SAFE_NAME.sub("-", f"snapshot-{shot.id}")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{EXTENSIONS.get(mimetype, "bin")}"'
    return _sandboxed(response)


def _chunks(stream: Any) -> Any:
    try:
        while True:
            chunk = stream.read(64 * 1024)
            if not chunk:
                break
            yield chunk
    finally:
        stream.close()


@bp.get("/snapshots/<id:snapshot_id>/diff")
def snapshot_diff(snapshot_id: int) -> Any:
    """A copy's readable text against the copy before it, word by word."""
    db = get_session()
    shot, archived = _snapshot(snapshot_id)
    if not shot.kept:
        raise NotFound(f"Snapshot #{shot.id} kept no copy ({shot.outcome}); there is nothing to compare.")
    previous = archive.previous_copy(db, shot)
    if previous is None:
        raise NotFound(f"Snapshot #{shot.id} is the first copy of {archived.url}: there is nothing before it to compare.")
    runs = archive.word_diff(previous.text or "", shot.text or "", context=40)
    return render_template("checker/snapshot_diff.html", snapshot=shot, previous=previous, archived=archived, runs=runs)
