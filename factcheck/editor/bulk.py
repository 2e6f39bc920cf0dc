"""Bulk work in the queue (``services.bulk``) and the queue's saved filters
(``services.saved_filters``): the routes, each reading its form once."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, request, url_for

from ..auth import current_actor
from ..db import get_database, get_session
from ..errors import DomainError
from ..services import bulk as bulk_work
from ..services import saved_filters
from ..services.exports import PRIORITY_NAMES
from ..models import User
from ..webforms import read, worded
from . import bp
from .forms import BulkForm, DeleteFilterForm, SaveFilterForm
from .queue_page import PAGE, render_queue, selection_from_form, view_args, view_query


@bp.post("/queue/bulk")
def bulk() -> Any:
    """One change to every selected claim, each as if made alone: the queue comes back with
    what was changed and what someone else changed meanwhile (not changed)."""
    session = get_session()
    database = get_database()
    selection: dict[int, int] = {}
    try:
        selection, count = selection_from_form()
        form = read(BulkForm)
        # On SQLite, a batch's commit lets other writers in; on PostgreSQL they never wait.
        batches = database.batch_seconds()
        result = bulk_work.apply(
            session, current_actor(), selection, selected=count, **form.change(),
            time_budget=current_app.config.get("BULK_TIME_BUDGET", bulk_work.TIME_BUDGET_SECONDS),
            commit=(lambda: database.commit_batch(session)) if batches is not None else None, batch_seconds=batches,
        )
    except DomainError as error:
        session.rollback()
        error = worded(error, BulkForm)
        return render_queue(status_code=error.status_code, selection=selection, typed=request.form, error=error)
    # What was not reached in time stays selected, with the change chosen: "apply" again goes on.
    return render_queue(result=result, done=_done(form, result), selection=result.remaining,
                        typed=request.form if result.remaining else None)


def _done(form: BulkForm, result: bulk_work.BulkResult) -> str:
    """What the action did, in words: "Assigned 3 claims to Elena Editor."."""
    n = len(result.changed)
    claims = f"{n:,} claim{'' if n == 1 else 's'}"
    change = form.change()
    if "assignee_id" in change:
        user = get_session().get(User, change["assignee_id"]) if change["assignee_id"] else None
        did = f"Assigned {claims} to {user.name}" if user else f"Unassigned {claims}"
    elif "add_tag" in change:
        did = f"Tagged {claims} “{change['add_tag'].strip().lower()}”"
    elif "priority" in change:
        did = f"Set the priority of {claims} to {PRIORITY_NAMES[int(change['priority'])]}"
    else:
        did = f"Set the deadline of {claims} to {change['deadline'].strftime('%Y-%m-%d %H:%M')} UTC"
    if result.already:
        did += f"; {len(result.already):,} already {'was' if len(result.already) == 1 else 'were'} so"
    return did + "."


@bp.post("/filters")
def save_filter() -> Any:
    """Save the view in the address under a name, for the person saving it."""
    session = get_session()
    try:
        form = read(SaveFilterForm)
        saved = saved_filters.save_filter(session, current_actor(), name=form.name.data, page=PAGE,
                                          query=view_query())
    except DomainError as error:
        session.rollback()
        error = worded(error, SaveFilterForm)
        return render_queue(status_code=error.status_code, typed={"save": request.form}, error=error)
    flash(f"Saved as “{saved.name}”.", "info")
    return redirect(url_for(PAGE, **view_args()))


@bp.post("/filters/delete")
def delete_filter() -> Any:
    """Delete one of the person's saved filters (its id in the form)."""
    session = get_session()
    try:
        form = read(DeleteFilterForm)
        deleted = saved_filters.delete_filter(session, current_actor(), form.filter_id.data)
    except DomainError as error:
        session.rollback()
        return render_queue(status_code=error.status_code, error=worded(error, DeleteFilterForm))
    flash(f"Saved filter “{deleted.name}” deleted.", "info")
    return redirect(url_for(PAGE, **view_args()))
