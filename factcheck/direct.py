"""Statements on a connection of their own, outside any session: the two hottest paths.

- **The badge's read.** A badge is fetched once per article view on partner sites, so its
  cost is the tracker's capacity. Measured on two cores, the ORM session path (a ``Session``,
  a pooled connection checked out with a ping, ``BEGIN``, the ORM loading a whole ``Claim``,
  ``COMMIT``, the reset when the connection goes back to the pool) cost several times the
  framework's own per-request work: the badge served a third of the requests per second of a
  constant route. It runs one prepared statement in plain SQL on the driver's connection; a
  lone ``SELECT`` is its own consistent snapshot, so it needs no transaction.
- **The API gate's bookkeeping** (``factcheck.api.framework._gate``): the bearer token's lookup, its
  last-use mark and the write counter of the rate limit. The counter must be committed
  whether or not the write it counts succeeds, and on SQLite a request must never wait on its
  own lock, so these statements cannot share the request's transaction. Each commits on its
  own (autocommit), instead of in a short session and transaction of its own, which cost a
  worker about as much CPU as the status change it guarded.

Every write here is durable (PostgreSQL's ``synchronous_commit`` is left on); on the machine
measured, a WAL flush took about a tenth of a millisecond.

Writes of the newsroom's data never run here: they go through the services, in the request's
session, whatever interface they come from.

Each thread keeps one connection, made by the engine (so its per-connection settings apply:
SQLite's WAL and busy timeout) and detached from its pool, for the life of the thread; one
made before a fork is never used after it (gunicorn's ``preload``). A connection that breaks
(a restarted database) is replaced, and a read tried once more.

When the application's sessions are bound to a connection rather than an engine (the test
suite binds them to a transaction it rolls back afterwards), everything runs on that
connection instead, so that it sees what the test wrote and is rolled back with it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from .db import get_database, get_session
from .driver import first_row

EXTENSION = "factcheck.direct"


class DirectConnections:
    """One autocommit connection per thread, of one engine (see the module docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgresql = engine.dialect.name == "postgresql"
        self._local = threading.local()
        dbapi = engine.dialect.loaded_dbapi
        #: Driver errors after which the connection is replaced.
        self.broken: tuple[type[BaseException], ...] = (dbapi.OperationalError, dbapi.InterfaceError)

    def connection(self) -> Connection:
        held = getattr(self._local, "held", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        connection.detach()
        self._local.held = (os.getpid(), connection)
        return connection

    def discard(self) -> None:
        """Close this thread's connection (it broke); the next use makes a new one."""
        held = getattr(self._local, "held", None)
        self._local.held = None
        if held is not None and held[0] == os.getpid():
            try:
                held[1].close()
            except (DBAPIError, *self.broken):
                pass

    def fetch_one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The first row of a read in plain SQL (``driver.first_row``), tried once more on a new
        connection if this one is found broken."""
        for attempt in (1, 2):
            try:
                return first_row(self.connection(), sql, params)
            except DBAPIError as error:
                if attempt == 2 or not self.lost(error):
                    raise
                self.discard()
        return None  # pragma: no cover  (the loop returns or raises)

    def lost(self, error: DBAPIError) -> bool:
        """Whether ``error`` says the connection is gone (to be replaced)."""
        return error.connection_invalidated or isinstance(error.orig, self.broken)


def _direct() -> DirectConnections:
    database = get_database()
    direct: DirectConnections | None = current_app.extensions.get(EXTENSION)
    if direct is None or direct.engine is not database.engine:
        direct = current_app.extensions[EXTENSION] = DirectConnections(database.engine)
    return direct


def bound_connection() -> Connection | None:
    """The connection the application's sessions are bound to, if not an engine (tests)."""
    bind = get_database().read_sessions.kw.get("bind")
    return None if isinstance(bind, Engine) else bind


def fetch_one(sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """First row of a read (``?`` placeholders, plain SQL) for the current application.

    Under a bound session (tests) it reads through the request's session, so that it sees
    what the request itself wrote."""
    if bound_connection() is None:
        return _direct().fetch_one(sql, params)
    return first_row(get_session().connection(), sql, params)


@contextmanager
def autocommit() -> Iterator[Connection]:
    """This thread's autocommit connection, for bookkeeping statements (Core or plain SQL),
    each committed as it runs. Broken during the block, it is replaced before the next use;
    the error goes to the caller, who decides whether a retry could count twice."""
    bound = bound_connection()
    if bound is not None:
        yield bound
        return
    with _held() as (_direct_connections, connection):
        yield connection


@contextmanager
def _held() -> Iterator[tuple[DirectConnections, Connection]]:
    """This thread's connection, replaced before the next use if it is found broken."""
    direct = _direct()
    try:
        yield direct, direct.connection()
    except DBAPIError as error:
        if direct.lost(error):
            direct.discard()
        raise
