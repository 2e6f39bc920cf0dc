"""The archiving worker: fetch what is due, keep what is new, notice what changed.

Tasks on the job queue of ``factcheck.jobs`` (the same Huey, the same ``huey_consumer``):

- ``archive_due``: enqueued after each commit that wrote an archive request (a wake-up call
  carrying no data: the request is the database row), and by itself while more is due.
- ``archive_sweep``: every minute, whatever is due — requests whose wake-up was lost, and
  the scheduled re-checks (``services.archive.Schedule``).

Each address is taken for a while (``archive.take_due``: a conditional update, so that
workers never fetch the same one twice at once), fetched with no transaction open
(``services.fetch``), its bytes put in the file store only when they are a new copy, and the
outcome recorded in one short transaction (``archive.record``). The web request that adds a
report or a status change never fetches anything.

``run_due`` is the work itself, called by the tasks, the tests and the benchmark.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

import click
from flask import Flask, Response, current_app, g, has_app_context, has_request_context, request_finished
from flask.cli import AppGroup, with_appcontext
from huey import crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from .db import Database, get_database
from .jobs import _in_job, application, huey, savepoint
from .models import ArchivedUrl
from .services import archive
from .services.fetch import Fetched, Policy, fetch, fingerprint, readable
from .storage import StorageError, Store, get_store

log = logging.getLogger(__name__)

#: Addresses one ``archive_due`` job fetches at most before it hands the rest to another job
#: (so that the delivery jobs sharing the queue are never long behind).
BATCH = 10
#: The Internet Archive's "save page now" endpoint (``ARCHIVE_WAYBACK``; off by default).
WAYBACK_SAVE = "https://web.archive.org/save/"

Fetcher = Callable[[str, Policy], Fetched]


def archive_one(database: Database, store: Store, due: archive.Due, policy: Policy, schedule: archive.Schedule,
                *, now: datetime | None = None, fetcher: Fetcher = fetch, wayback: bool = False) -> archive.Recorded:
    """Fetch one address a worker took, and record what came of it."""
    fetched = fetcher(due.url, policy)
    try:
        text = title = print_ = stored = None
        if fetched.ok:
            text, title = readable(fetched.read_body(), fetched.content_type, fetched.charset)
            print_ = fingerprint(text, fetched.sha256)
            with database.read_sessions() as session:
                latest = archive.latest_fingerprint(session, due.id)
            if print_ != latest:
                try:
                    assert fetched.body is not None
                    fetched.body.seek(0)
                    stored = store.put(fetched.body, limit=policy.max_bytes).sha256
                except StorageError as error:
                    log.error("archived copy of %s could not be stored: %s", due.url, error)
                    fetched.close()
                    fetched.outcome, fetched.error = "failed", f"the copy could not be stored: {error}"
                    text = title = print_ = None
        with database.transaction() as session:
            result = archive.record(session, due.id, fetched, stored_sha256=stored, text=text, title=title,
                                    fingerprint=print_, schedule=schedule, now=now)
    finally:
        fetched.close()
    if wayback and result.outcome == "archived":
        submit_to_wayback(database, due, policy, fetcher=fetcher)
    return result


def submit_to_wayback(database: Database, due: archive.Due, policy: Policy, *, fetcher: Fetcher = fetch) -> None:
    """Ask the Internet Archive to keep a copy too (``ARCHIVE_WAYBACK``): its answer's final
    address is the copy's; a failure is kept on the address, never retried."""
    answer = fetcher(WAYBACK_SAVE + due.url, replace(policy, content_types=policy.content_types | {"text/html"}))
    answer.close()
    with database.transaction() as session:
        archived = session.get(ArchivedUrl, due.id)
        if archived is None:
            return
        if answer.ok and answer.final_url and "/web/" in answer.final_url:
            archived.wayback_url, archived.wayback_error = answer.final_url[:2000], ""
        else:
            archived.wayback_error = (answer.error or f"answered {answer.status}")[:2000]


def run_due(database: Database, config: Any, store: Store, *, now: datetime | None = None, limit: int = BATCH,
            policy: Policy | None = None, fetcher: Fetcher = fetch) -> int:
    """Take the archive requests waiting (``archive.take_requests``), then fetch and record up
    to ``limit`` addresses that are due; returns how many were fetched (none while archiving is
    switched off: ``FACTCHECK_ARCHIVE=0`` stops every fetch, re-checks included)."""
    if not archive.enabled(config):
        return 0
    policy = policy or Policy.from_config(config)
    schedule = archive.Schedule.from_config(config)
    wayback = bool(config.get("ARCHIVE_WAYBACK"))
    while True:  # the requests written since the last run first: their addresses become due
        with database.transaction() as session:
            if archive.take_requests(session, now) < archive.CHUNK:
                break
    handled = 0
    while handled < limit:
        with database.transaction() as session:
            taken = archive.take_due(session, now, limit=min(5, limit - handled))
        if not taken:
            break
        for due in taken:
            try:
                archive_one(database, store, due, policy, schedule, now=now, fetcher=fetcher, wayback=wayback)
            except Exception:  # noqa: BLE001 — logged; the address is taken again once its lease ends
                log.exception("archiving %s failed", due.url)
            handled += 1
    return handled


def _run() -> int:
    app = application()
    token = _in_job.set(True)
    try:
        with app.app_context():
            handled = run_due(get_database(app), app.config, get_store(app))
    finally:
        _in_job.reset(token)
    if handled >= BATCH:
        wake()  # more may be due: another job takes them, after whatever else is queued
    return handled


@huey.task()
def archive_due() -> int:
    """Fetch what is due (enqueued after each commit that wrote an archive request)."""
    return _run()


@huey.periodic_task(crontab(minute="*"))
def archive_sweep() -> int:
    """Every minute: scheduled re-checks, and requests whose wake-up call was lost."""
    return _run()


# --- Waking the worker after a commit ------------------------------------------------------

def wake() -> None:
    """Enqueue an ``archive_due`` job; a queue that cannot be reached is logged, never raised
    (the requests are rows, and the minute's sweep finds them)."""
    try:
        archive_due()
    except Exception:  # noqa: BLE001
        log.warning("could not wake the archiving worker; it sweeps every minute", exc_info=True)


def _after_commit(session: Session) -> None:
    if savepoint(session):
        return
    if not session.info.pop(archive.REQUESTED, False) or _in_job.get() or not has_app_context():
        return
    if not current_app.config.get("JOBS_WAKE_WORKER") or not current_app.config.get("ARCHIVE_ENABLED", True):
        return
    if has_request_context():
        g.factcheck_archive_wake = True  # called once the response has been sent (_after_response)
    else:
        wake()  # the command line, an import, a script with an application


def _after_rollback(session: Session) -> None:
    if not savepoint(session):
        session.info.pop(archive.REQUESTED, None)


#: When this process last made a wake-up call (``time.monotonic``).
_last_wake = [float("-inf")]


def _after_response(sender: Flask, response: Response, **_extra: Any) -> None:
    # Sent after the request's commit (factcheck.db commits in an after_request function);
    # the call is made when the response is closed, after it was sent, and at most once per
    # ARCHIVE_WAKE_INTERVAL_MS per process: the job of the call made a moment ago archives
    # this request's address too, unless it had already read what was due (then the minute's
    # sweep does).
    if g.pop("factcheck_archive_wake", False):
        now = time.monotonic()
        if (now - _last_wake[0]) * 1000 < sender.config.get("ARCHIVE_WAKE_INTERVAL_MS", 0):
            return
        _last_wake[0] = now
        response.call_on_close(wake)


if not event.contains(Session, "after_commit", _after_commit):
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    request_finished.connect(_after_response)


# --- The command line ------------------------------------------------------------------------

archive_cli = AppGroup("archive", help="Archived copies of reports and evidence links.")


@archive_cli.command("backfill")
@with_appcontext
def backfill_command() -> None:
    """Archive every report and evidence link recorded before archiving existed."""
    from .services.actor import Actor

    with get_database().transaction() as session:
        count = archive.backfill(session, Actor.system("cli"))
    click.echo(f"{count} citation{'s' if count != 1 else ''} of reports and evidence links to archive "
               "(the worker fetches them).")
