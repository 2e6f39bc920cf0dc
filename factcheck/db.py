"""Engine and session plumbing.

One engine per application.  Web requests get one session each (``get_session()``), committed
once at the request boundary and rolled back on any error, so a failure never leaves
half-written rows.  Services flush; they never commit.

SQLite specifics, applied on every connection: foreign keys on, WAL journal, a busy timeout,
and — for sessions that write — ``BEGIN IMMEDIATE``, so that concurrent writers queue for the
write lock instead of failing with "database is locked" when a read transaction tries to
upgrade.  Read-only sessions keep plain deferred transactions so that readers never wait.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

#: Execution option that marks an engine (or connection) as a writer.
WRITE_OPTION = "factcheck_write"


#: Seconds a new PostgreSQL connection may take to open before the attempt fails (libpq's
#: ``connect_timeout``): with the database host gone from the network, a request answers 503
#: after this (``factcheck.outage``) instead of waiting out TCP's own minutes.
CONNECT_TIMEOUT = 5


def make_engine(url: str, *, echo: bool = False, busy_timeout: int = 30) -> Engine:
    """Create an engine with this project's per-dialect settings."""
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        private_sqlite_file(url)
        kwargs["connect_args"] = {"timeout": busy_timeout, "check_same_thread": False}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
    else:
        kwargs["pool_pre_ping"] = True
        if url.startswith("postgresql"):
            kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout)
    _ENGINES.add(engine)
    return engine


def private_sqlite_file(url: str) -> None:
    """The SQLite database file, readable by its owner only (0600) from its first byte: it holds
    sealed identities and password hashes. Created empty here if it does not exist yet (SQLite
    would create it with the umask's 0644), tightened if it does; SQLite gives its journal and
    WAL files the database file's permissions."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.parent.is_dir():
        return  # SQLite says why it cannot open it (factcheck.outage answers 503)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
    except OSError:
        return  # a read-only place: SQLite will say so


#: Every engine made here, so that a forked child can let go of its parent's connections.
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_parent_connections() -> None:
    """In a child after ``fork`` (gunicorn with ``preload_app``): new pools, and the parent's
    pooled connections left to the parent (``close=False``), never used by two processes."""
    for engine in list(_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_parent_connections)


def _configure_sqlite(engine: Engine, busy_timeout: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, emit BEGIN (see the "begin" hook).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout) * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # each statement commits on its own (``factcheck.direct``)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE_OPTION) else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions are write transactions."""
    return engine.execution_options(**{WRITE_OPTION: True})


#: On SQLite, where a write transaction holds the database's one write lock, a long job that
#: writes in batches (the ClaimReview import) sizes each batch to hold it about this long
#: (``Database.batch_seconds``)…
SQLITE_BATCH_SECONDS = 0.3
#: …and once it has committed one, waits this long before it begins the next, so that a
#: writer waiting for the lock gets it (``Database.commit_batch``). SQLite's busy handler
#: retries a waiting writer after 1, 2, 5, 10, 15, 20, 25, 25, 25, 50 and 50 ms, then every
#: 100 ms: a job that took the lock again at once would find it free first nearly every time,
#: and the writer could wait out its whole busy timeout behind a run of short transactions.
#: A pause as long as the longest interval always meets one of the writer's retries: it waits
#: for one batch, its commit and a pause at most, under half a second. Measured on a loaded
#: 2-core machine (20,000 reviews, the desk changing a status every 0.3 s): batches of 0.15 s
#: made the import half as fast again for no shorter wait; of 0.4 s, hardly faster.
SQLITE_LOCK_PAUSE = 0.1


class Database:
    """The application's engine and session factories."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(bind=writer(engine), expire_on_commit=False)

    def batch_seconds(self) -> float | None:
        """How long one batch of a long job may hold its write transaction: on SQLite
        ``SQLITE_BATCH_SECONDS``; on PostgreSQL, where writers of other rows never wait for it,
        no limit (``None``: batches of the job's own size)."""
        return SQLITE_BATCH_SECONDS if self.engine.dialect.name == "sqlite" else None

    def commit_batch(self, session: Session) -> None:
        """Commit one batch of a long job's writes (``session`` is one of ``write_sessions``),
        and on SQLite let other writers in before the next (``SQLITE_LOCK_PAUSE``): every
        writer, the newsroom's included, then waits for one batch (``batch_seconds``) and a
        pause at most, instead of the whole job."""
        session.commit()
        session.expunge_all()  # the next batch starts afresh; nothing kept grows with the job
        if self.engine.dialect.name == "sqlite":
            time.sleep(SQLITE_LOCK_PAUSE)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session committed on success and rolled back on any error (CLI, jobs)."""
        with self.write_sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise


def init_app(app: Flask) -> Database:
    """Attach a Database to the app and the per-request session lifecycle."""
    engine = make_engine(
        app.config["SQLALCHEMY_DATABASE_URI"],
        echo=app.config.get("SQLALCHEMY_ECHO", False),
        busy_timeout=app.config.get("SQLITE_BUSY_TIMEOUT", 30),
    )
    database = Database(engine)
    app.extensions["factcheck.db"] = database

    @app.after_request
    def _commit(response: Any) -> Any:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            try:
                if response.status_code < 400:
                    session.commit()
                else:
                    session.rollback()
            except DBAPIError as error:
                # The database went away between the view and its commit: nothing was saved,
                # and the client is told so (503), not that it was (the view's 2xx).
                from .outage import diagnose, response as outage_response

                outage = diagnose(error)
                if outage is None:
                    raise
                _let_go(session)
                return outage_response(outage)
            finally:
                session.close()
        return response

    @app.teardown_request
    def _cleanup(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            _let_go(session)
            session.close()

    return database


def _let_go(session: Session) -> None:
    """Roll back a request's session; a connection already lost has nothing to roll back."""
    try:
        session.rollback()
    except DBAPIError:
        pass


def get_database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions["factcheck.db"]


def get_session() -> Session:
    """The current request's session; a write session for unsafe HTTP methods."""
    session: Session | None = g.get("db_session")
    if session is None:
        from flask import request

        database = get_database()
        safe = request.method in ("GET", "HEAD", "OPTIONS")
        session = database.read_sessions() if safe else database.write_sessions()
        g.db_session = session
    return session


@contextmanager
def counting(bind: Engine | Connection) -> Iterator[list[str]]:
    """Every SQL statement run on ``bind`` while the block runs (the tests that keep the
    statements per request constant, and the benchmark that reports them)."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(bind, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(bind, "before_cursor_execute", count)
