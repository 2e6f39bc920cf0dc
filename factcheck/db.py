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
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

#: Execution option that marks an engine (or connection) as a writer.
WRITE_OPTION = "factcheck_write"


def make_engine(url: str, *, echo: bool = False, busy_timeout: int = 30) -> Engine:
    """Create an engine with this project's per-dialect settings."""
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": busy_timeout, "check_same_thread": False}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout)
    _ENGINES.add(engine)
    return engine


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


class Database:
    """The application's engine and session factories."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.read_sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(bind=writer(engine), expire_on_commit=False)

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
            finally:
                session.close()
        return response

    @app.teardown_request
    def _cleanup(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()
            session.close()

    return database


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
