"""The queue page: its filters and text search, pages both ways, the count of matching claims,
the selection for bulk work, saved filters, and the CSV of the view.

The selection without JavaScript: the page is one form. Each claim's checkbox carries
``id:version`` (the version the editor saw), and the claims selected on other pages ride along
in one hidden field, ``selected``. The pager's buttons post the form back to the queue (with
the view's filters and the page's cursor in the address), so turning a page keeps what was
ticked; the bulk action posts the same form to ``editor.bulk``. Changing the filters starts a
new selection.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, g, render_template, request, stream_with_context, url_for
from sqlalchemy import select

from ..auth import current_user
from ..db import get_database, get_session
from ..errors import DomainError, ValidationError
from ..models import Status, User
from ..services import bulk, saved_filters
from ..services.exports import export_csv, view_claims
from ..services.flags import FLAG_LABELS
from ..services.queue import SORT_LABELS, SORTS, ClaimFilter, count_claims, list_claims

QUEUE_FLAGS = ("contested", "single_source", "anonymous_only", "stale", "overdue")
QUEUE_STATUSES = [Status.UNVERIFIED, Status.IN_REVIEW, Status.CONTESTED]
PAGE = "editor.queue"


def view_args() -> dict[str, list[str]]:
    """The view's filters and sort from the address (no cursor, no output format, nothing
    else: these go back into links and forms)."""
    return {k: request.args.getlist(k) for k in saved_filters.KEPT if k in request.args}


def view_query() -> str:
    return urlencode([(k, v) for k, values in view_args().items() for v in values])


def _filter() -> tuple[ClaimFilter, str]:
    user = current_user()
    filt = ClaimFilter.from_args(request.args, me=user.id if user else None)
    sort = request.args.get("sort") or "priority"
    if sort not in SORTS:
        raise ValidationError(f"Sort: choose one of {', '.join(SORT_LABELS.values())}.", {"sort": "unknown"})
    return filt, sort


def selection_from_form() -> tuple[dict[int, int], int]:
    """The selection a posted queue page carries: the claims ticked on it and those selected
    on other pages, ``{id: version}``; and how many claims that is (counted even past what
    ``bulk.parse_selection`` reads)."""
    values = request.form.getlist("pick") + (request.form.get("selected") or "").split()
    return bulk.parse_selection(values), bulk.count_selected(values)


def render_queue(*, status_code: int = 200, selection: dict[int, int] | None = None,
                 typed: dict[str, Any] | None = None, error: DomainError | None = None,
                 result: bulk.BulkResult | None = None, done: str = "") -> Any:
    """The queue page for the view in the address, with ``selection`` ticked, a refused form's
    ``typed`` values and its ``error``, or a bulk action's ``result``."""
    session = get_session()
    user = current_user()
    assert user is not None
    selection = selection or {}
    try:
        filt, sort = _filter()
        page = list_claims(session, filt, sort=sort, cursor=request.args.get("cursor") or None,
                           stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    except ValidationError as refused:  # a filter or cursor typed or altered in the address
        if error is None:
            error, status_code = refused, refused.status_code
        filt, sort = ClaimFilter(), "priority"
        page = list_claims(session, filt, sort=sort, stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    count = count_claims(session, filt, stale_after_days=current_app.config["STALE_AFTER_DAYS"])
    shown = {c.id for c in page.items}
    users = session.scalars(select(User).where(User.active).order_by(User.name)).all()
    args = view_args()
    return render_template(
        "editor/queue.html", page=page, filt=filt, sort=sort, sorts=SORT_LABELS, users=users,
        flags=QUEUE_FLAGS, flag_labels=FLAG_LABELS, statuses=QUEUE_STATUSES, args=args, count=count,
        selection=selection, elsewhere=" ".join(f"{i}:{v}" for i, v in selection.items() if i not in shown),
        saved=saved_filters.filters_of(session, user.id, PAGE), typed=typed or {}, error=error, result=result,
        done=done, max_bulk=bulk.MAX_CLAIMS, today=date.today().isoformat(),
    ), status_code


def show() -> Any:
    """GET: the view in the address (as CSV with ``format=csv``). POST: the same view, a page
    turned with the selection kept."""
    if request.method == "POST":
        # Turning a page reads and writes nothing: a read session, never SQLite's write lock.
        g.db_session = get_database().read_sessions()
        try:
            selection, _count = selection_from_form()
        except ValidationError as error:
            return render_queue(status_code=error.status_code, error=error)
        return render_queue(selection=selection)
    if request.args.get("format") == "csv":
        return csv_response()
    return render_queue()


def csv_response() -> Any:
    """The view as CSV, streamed a page of rows at a time (``services.exports``)."""
    try:
        filt, sort = _filter()
    except ValidationError as error:
        return render_queue(status_code=error.status_code, error=error)
    stale_after_days = current_app.config["STALE_AFTER_DAYS"]
    return csv_download("queue", filt, sort, stale_after_days)


def _desk_link() -> Any:
    """The address of a claim's desk page, from the configured public base (never the
    request's ``Host``; a path alone when none is configured)."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    prefix = base + url_for("checker.claim", claim_id=1).removesuffix("1")
    return lambda claim_id: f"{prefix}{claim_id}"


def _attachment(body: Any, name: str) -> Response:
    filename = f"{name}-{date.today().isoformat()}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
    })


def csv_download(name: str, filt: ClaimFilter, sort: str, stale_after_days: int) -> Response:
    """A streamed CSV attachment of a claim view (the queue's, the desk's): every claim of it
    from the first, in its own session (the request's is committed and closed before the
    first row is sent)."""
    if sort not in SORTS:  # refused before the first row, not half-way through the file
        raise ValidationError(f"Sort: choose one of {', '.join(SORT_LABELS.values())}.", {"sort": "unknown"})
    database = get_database()
    link = _desk_link()

    @stream_with_context
    def lines() -> Iterator[str]:
        with database.read_sessions() as session:
            yield from export_csv(view_claims(session, filt, sort=sort, stale_after_days=stale_after_days), link)

    return _attachment(lines(), name)


def csv_of(name: str, claims: list[Any]) -> Response:
    """A CSV attachment of claims already loaded (the desk's search results, at most a page)."""
    return _attachment("".join(export_csv(claims, _desk_link())), name)
