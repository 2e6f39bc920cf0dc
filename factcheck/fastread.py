"""One-statement reads for the hottest public address, the badge, without a session.

A badge is fetched once per article view on partner sites, so its cost is the tracker's
capacity. Measured on two cores, the ORM session path (a ``Session``, a pooled connection
checked out with a ping, ``BEGIN``, the ORM loading a whole ``Claim``, ``COMMIT``, the reset
when the connection goes back to the pool) cost several times the framework's own per-request
work: the badge served a third of the requests per second of a constant route. Here each
thread keeps one connection of its own, in autocommit mode, and runs one prepared statement on
it: one round trip on PostgreSQL, a few microseconds on SQLite. A lone ``SELECT`` is its own
consistent snapshot, so it needs no transaction.

When the application's sessions are bound to a connection rather than an engine (the test
suite binds them to a transaction it rolls back afterwards), reads go through the request's
session instead, so that they see what that transaction wrote.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from flask import current_app
from sqlalchemy import Engine

from .db import get_database, get_session

EXTENSION = "factcheck.fastread"


class FastReader:
    """Per-thread autocommit DBAPI connections of one engine, for single-statement reads.

    Connections come from the engine (so its per-connection settings apply: SQLite's WAL and
    busy timeout), detached from its pool: one per thread that reads, kept for the life of the
    thread. A connection made before a fork is never used after it (gunicorn's ``preload``).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgresql = engine.dialect.name == "postgresql"
        self._local = threading.local()
        dbapi = engine.dialect.loaded_dbapi
        #: Errors after which the connection is replaced and the read tried once more.
        self._broken: tuple[type[BaseException], ...] = (dbapi.OperationalError, dbapi.InterfaceError)

    def _connection(self) -> Any:
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        proxied = self.engine.raw_connection()
        connection = proxied.driver_connection
        proxied.detach()
        if self.postgresql:
            connection.autocommit = True
        # (SQLite: the engine's connect hook already put the driver in autocommit mode.)
        self._local.held = (os.getpid(), connection)
        return connection

    def _discard(self) -> None:
        held = getattr(self._local, "held", None)
        self._local.held = None
        if held is not None and held[0] == os.getpid():
            try:
                held[1].close()
            except self._broken:
                pass

    def fetch_one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The first row of ``sql`` (``?`` placeholders), or None."""
        statement = sql.replace("?", "%s") if self.postgresql else sql
        for attempt in (1, 2):
            connection = self._connection()
            try:
                if self.postgresql:
                    # Prepared on the server after first use: no parsing or planning per badge.
                    with connection.cursor() as cursor:
                        cursor.execute(statement, params, prepare=True)
                        return cursor.fetchone()
                return connection.execute(statement, params).fetchone()
            except self._broken:
                self._discard()
                if attempt == 2:
                    raise
        return None  # pragma: no cover  (the loop returns or raises)


def fetch_one(sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """First row of ``sql`` (``?`` placeholders, plain SQL) for the current application."""
    database = get_database()
    if not isinstance(database.read_sessions.kw.get("bind"), Engine):
        connection = get_session().connection()
        style = sql.replace("?", "%s") if connection.dialect.name == "postgresql" else sql
        row = connection.exec_driver_sql(style, params).first()
        return tuple(row) if row is not None else None
    reader: FastReader | None = current_app.extensions.get(EXTENSION)
    if reader is None or reader.engine is not database.engine:
        reader = current_app.extensions[EXTENSION] = FastReader(database.engine)
    return reader.fetch_one(sql, params)
