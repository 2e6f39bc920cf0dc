"""Background jobs: the outbox's worker and the daily digest, on Huey.

Run the worker with::

    huey_consumer factcheck.jobs.huey            # what `make run` starts beside the web server

The queue is Redis when ``REDIS_URL`` is set (production: several workers on several machines
share it, and wait on it without polling), and otherwise a SQLite file of its own
(``FACTCHECK_JOBS_FILE``, by default ``instance/jobs.sqlite3``): nothing to install or run
beside the application.

What the worker does (``services.delivery``): every row of the outbox — written in the same
transaction as the change that caused it — is delivered after that transaction commits: an
e-mail, a webhook event, a front-cache refresh. The web process never delivers anything: once a
transaction that wrote outbox rows has committed, and the response has been sent, it enqueues
one ``deliver`` job (a wake-up call carrying no data). The worker also sweeps the outbox every
minute (``sweep``), which picks up retries that have come due and anything whose wake-up call
was lost (Redis down for a moment, a process killed between commit and enqueue): the outbox,
not the queue, is what must not be lost.
"""

from __future__ import annotations

import contextvars
import logging
import os
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, has_request_context
from huey import Huey, RedisHuey, crontab
from huey.storage import SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session

from .db import Database, get_database
from .models import OutboxEvent, utcnow
from .services import delivery, mail, outbox

log = logging.getLogger(__name__)

#: Rows one ``deliver`` job handles at most before it hands the rest to another (so that one
#: job never runs for long, and a stop of the worker loses little).
BATCH = 200


class _SqliteStorage(SqliteStorage):
    """Huey's SQLite storage, its file (and folder) made on first use rather than when this
    module is imported: importing the application writes nothing."""

    def __init__(self, name: str = "huey", **kwargs: Any) -> None:
        self._schema_made = False
        super().__init__(name, create_tables=False, **kwargs)

    def _create_connection(self) -> Any:
        Path(self.filename).parent.mkdir(parents=True, exist_ok=True)
        connection = super()._create_connection()
        if not self._schema_made:
            for sql in self.ddl:
                connection.execute(sql)
            self._schema_made = True
        return connection


def make_huey(environ: Any = os.environ) -> Huey:
    """The queue: Redis at ``REDIS_URL`` if set, else a SQLite file (``FACTCHECK_JOBS_FILE``)."""
    redis_url = (environ.get("REDIS_URL") or "").strip()
    if redis_url:
        from redis import ConnectionPool

        # Bounded waits: a Redis that hangs must not hold a web worker (the wake-up call is
        # made after the response, but in the worker's process). The consumer's blocking
        # read waits 1 s at a time, well within the socket timeout.
        pool = ConnectionPool.from_url(redis_url, socket_connect_timeout=2, socket_timeout=10)
        return RedisHuey("factcheck", connection_pool=pool, results=False)
    from config import INSTANCE

    filename = (environ.get("FACTCHECK_JOBS_FILE") or "").strip() or str(INSTANCE / "jobs.sqlite3")
    return Huey("factcheck", storage_class=_SqliteStorage, filename=filename, results=False)


huey = make_huey()

_app: Flask | None = None
_app_lock = threading.Lock()
#: Set while a job runs: what it commits needs no wake-up call (the job goes on delivering).
_in_job: contextvars.ContextVar[bool] = contextvars.ContextVar("factcheck_in_job", default=False)


def application() -> Flask:
    """The application the worker runs with (built once per process, from the environment)."""
    global _app
    with _app_lock:
        if _app is None:
            from . import create_app

            _app = create_app()
        return _app


def run_deliveries(database: Database, settings: delivery.Settings, *, now: datetime | None = None,
                   limit: int = BATCH) -> int:
    """Deliver every due outbox row, one at a time (``services.delivery``), at most ``limit``;
    returns how many were handled. ``now`` fixes the clock (tests)."""
    handled = 0
    while handled < limit:
        with database.transaction() as session:
            row = delivery.claim_next(session, now)
            if row is None:
                break
            row_id = row.id
        handled += 1
        try:
            with database.transaction() as session:
                row = session.get(OutboxEvent, row_id)
                work = delivery.prepare(session, row, settings, now)
        except Exception as error:  # noqa: BLE001 — kept on the row; the backoff applies
            log.exception("outbox row %s could not be prepared", row_id)
            outcome = delivery.Outcome(False, f"{type(error).__name__}: {error}"[:2000])
        else:
            if work is None:
                continue
            outcome = delivery.perform(work, settings)
        with database.transaction() as session:
            done = delivery.record(session, row_id, outcome, settings, now)
            if outcome.ok:
                log.info("outbox row %s (%s %s) delivered", row_id, done.channel, done.event)
            else:
                log.warning("outbox row %s (%s %s), attempt %s: %s%s", row_id, done.channel, done.event,
                            done.attempts, outcome.error, "; given up" if done.failed_at else "; will retry")
    return handled


def _job(work: Any) -> Any:
    app = application()
    token = _in_job.set(True)
    try:
        with app.app_context():
            return work(get_database(app), delivery.Settings.from_config(app.config))
    finally:
        _in_job.reset(token)


def _deliver_all(database: Database, settings: delivery.Settings) -> int:
    handled = run_deliveries(database, settings)
    if handled >= BATCH:
        deliver()  # more are due: another job takes them, after whatever else is queued
    return handled


@huey.on_startup()
def _build_application() -> None:
    """Each consumer worker builds the application when it starts, not at its first job (which
    would then wait for the imports)."""
    application()


@huey.task()
def deliver() -> int:
    """Deliver what is due (enqueued after each commit that wrote outbox rows)."""
    return _job(_deliver_all)


@huey.periodic_task(crontab(minute="*"))
def sweep() -> int:
    """Every minute: retries come due, and anything whose wake-up call was lost."""
    return _job(_deliver_all)


def queue_and_send_digests(database: Database, settings: delivery.Settings, now: datetime | None = None) -> int:
    """The daily digest: queued for everyone who chose it (``services.mail.queue_digests``),
    then delivered like every other outbox row."""
    if not settings.smtp.configured:
        return 0
    with database.transaction() as session:
        queued = mail.queue_digests(session, now or utcnow())
    run_deliveries(database, settings, now=now)
    return queued


def _digest_hour() -> str:
    from config import Config

    return str(max(0, min(23, int(Config.DIGEST_HOUR))))


@huey.periodic_task(crontab(minute="0", hour=_digest_hour()))
def digest() -> int:
    """Once a day, at ``DIGEST_HOUR`` (UTC)."""
    return _job(queue_and_send_digests)


# --- Waking the worker after a commit ------------------------------------------------------

def wake() -> None:
    """Enqueue a ``deliver`` job. A queue that cannot be reached is logged, never raised: the
    rows are in the outbox, and the minute's sweep finds them."""
    try:
        deliver()
    except Exception:  # noqa: BLE001
        log.warning("could not wake the worker; the outbox is swept every minute", exc_info=True)


def savepoint(session: Session) -> bool:
    """Whether a session's ``after_commit`` or ``after_rollback`` is a savepoint's (released or
    rolled back inside a transaction that may still roll back or commit): the wake-up calls
    wait for the transaction itself."""
    return session.in_nested_transaction()


def _after_commit(session: Session) -> None:
    if savepoint(session):
        return
    if not session.info.pop(outbox.WRITTEN, False) or _in_job.get() or not has_app_context():
        return
    if not current_app.config.get("JOBS_WAKE_WORKER"):
        return
    if has_request_context():
        # The request's own commit: the call is made once the response has been sent.
        g.setdefault("factcheck_outbox", {})["committed"] = True
    else:
        wake()  # the command line, a script with an application


def _after_rollback(session: Session) -> None:
    if not savepoint(session):
        session.info.pop(outbox.WRITTEN, None)


def init_app(app: Flask) -> None:
    """Wake the worker after each commit that wrote outbox rows (``JOBS_WAKE_WORKER``)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)

    @app.after_request
    def _wake_after_response(response: Response) -> Response:
        # This runs before the request's commit (factcheck.db commits last); the commit marks
        # ``state``, and the response's close — after it was sent — makes the call.
        if app.config.get("JOBS_WAKE_WORKER"):
            state = g.setdefault("factcheck_outbox", {})
            response.call_on_close(lambda: state.get("committed") and wake())
        return response

from . import archive_jobs  # noqa: E402,F401  (the archiving tasks: archive_due, archive_sweep)
