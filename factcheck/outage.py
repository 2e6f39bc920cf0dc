"""While the database cannot be reached: 503 with Retry-After, for every route.

A request that meets an unreachable database — PostgreSQL down, restarting or refusing
connections, a network cut, a SQLite file that cannot be opened — answers 503 Service
Unavailable with ``Retry-After``, as an HTML page or, under /api/, an RFC 9457 problem:
never a 500, and nothing written (its transaction is rolled back, as for any error). A
database too busy to answer in time (SQLite's write lock held past the busy timeout,
PostgreSQL out of connections, the pool exhausted) is answered the same way, in its own
words. Every other database error is left to the application's 500 handler, as before.

Nothing is kept from one request to the next that could keep the application down: engines
reconnect by themselves (``pool_pre_ping`` on PostgreSQL; ``factcheck.direct`` replaces its
broken connections), so the first request after the database is back is answered as usual.

``/healthz`` (``factcheck.ops``) asks ``database_health``: a ``SELECT 1``, at most once a
second per process (``HEALTH_CHECK_SECONDS``) and at once after a request met an outage.

``init_app(app)`` registers the handlers; ``diagnose(error)`` says whether an exception is
such an outage, for the few places that catch database errors themselves (the request's
commit in ``factcheck.db``, the API gate's rate-limit store in ``factcheck.api.ratelimit``).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, render_template, request
from markupsafe import escape
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 5
#: How long ``/healthz`` may answer from its last look at the database.
HEALTH_CHECK_SECONDS = 1.0
EXTENSION = "factcheck.outage"

#: PostgreSQL SQLSTATEs of a server that cannot serve: connection exceptions (class 08), shut
#: down or starting up (57P01-57P03), out of connections (53300).
_PG_UNREACHABLE_CLASSES = ("08",)
_PG_UNREACHABLE = frozenset({"57P01", "57P02", "57P03"})
_PG_BUSY = frozenset({"53300"})
#: SQLite result codes of a file that cannot be used now, and of a lock not granted in time.
_SQLITE_UNREACHABLE = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_READONLY_DBMOVED")
_SQLITE_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")


@dataclass(frozen=True)
class Outage:
    """What is down, for the response and for ``/healthz``."""

    #: ``unreachable`` or ``busy``.
    state: str
    #: What a person is told.
    detail: str

    def as_health(self) -> dict[str, str]:
        return {"status": "unavailable", "database": self.state, "detail": self.detail}


UNREACHABLE = Outage(
    "unreachable",
    "The database cannot be reached just now, so this could not be done and nothing was saved. "
    "Please try again in a few seconds.",
)
BUSY = Outage(
    "busy",
    "The database is too busy to answer just now, so this could not be done and nothing was saved. "
    "Please try again in a few seconds.",
)


def _driver_errors() -> tuple[type[BaseException], ...]:
    """The drivers' own connection errors, raised outside SQLAlchemy's wrapping."""
    errors: list[type[BaseException]] = [sqlite3.OperationalError]
    try:
        import psycopg
    except ImportError:  # pragma: no cover  (installed with the project)
        return tuple(errors)
    return (*errors, psycopg.OperationalError, psycopg.InterfaceError)


def _of_driver(error: BaseException) -> Outage | None:
    """An outage told by a driver's exception (psycopg 3 or sqlite3), or None."""
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "") or ""
        if name.startswith(_SQLITE_BUSY) or "database is locked" in str(error):
            return BUSY
        if name.startswith(_SQLITE_UNREACHABLE) or "unable to open database file" in str(error):
            return UNREACHABLE
        return None
    module = type(error).__module__ or ""
    if not module.startswith("psycopg"):
        return None
    import psycopg

    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate in _PG_BUSY:
        return BUSY
    if sqlstate in _PG_UNREACHABLE or (sqlstate or "").startswith(_PG_UNREACHABLE_CLASSES):
        return UNREACHABLE
    if sqlstate is None and isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)):
        return UNREACHABLE  # no answer from a server at all: refused, timed out, closed
    return None


def diagnose(error: BaseException | None) -> Outage | None:
    """Whether ``error`` (or what it wraps or was raised from) says the database is
    unreachable or too busy, and which; None for any other error."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, DBAPIError):
            if error.connection_invalidated:
                return UNREACHABLE
            found = _of_driver(error.orig) if error.orig is not None else None
            if found is not None:
                return found
        elif isinstance(error, PoolTimeout):
            return BUSY
        else:
            found = _of_driver(error)
            if found is not None:
                return found
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def response(outage: Outage) -> Response:
    """The 503 for ``outage``: a problem under /api/, else a page; with Retry-After."""
    from .web import wants_json

    if wants_json():
        from .api.errors import problem

        reply = problem(503, "Service Unavailable", outage.detail)
    else:
        reply = Response(_page(outage), status=503, mimetype="text/html")
    reply.headers["Retry-After"] = str(RETRY_AFTER)
    reply.headers["Cache-Control"] = "no-store"
    return reply


def _page(outage: Outage) -> str:
    """The error page, shown as to a signed-out reader (who is signed in cannot be read now);
    a bare page if even that cannot be drawn."""
    g.user = None
    try:
        return render_template("error.html", status=503, title="Service Unavailable", detail=outage.detail,
                               extra={})
    except Exception:  # noqa: BLE001 - the page must not fail in turn
        logger.exception("could not render the outage page")
        return (f"<!doctype html><html lang=en><meta charset=utf-8><title>Service Unavailable</title>"
                f"<h1>Service Unavailable (503)</h1><p>{escape(outage.detail)}</p></html>")


def _handle(error: Exception) -> Response:
    outage = diagnose(error)
    if outage is None:
        raise error  # not an outage: the application's 500, as before
    logger.warning("database %s: %s %s: %s", outage.state, request.method, request.path,
                   str(error).splitlines()[0] if str(error) else type(error).__name__)
    _remember(current_app, outage)
    return response(outage)


@dataclass
class _Health:
    checked_at: float = float("-inf")
    outage: Outage | None = None


def _health(app: Flask) -> _Health:
    health: _Health | None = app.extensions.get(EXTENSION)
    if health is None:
        health = app.extensions[EXTENSION] = _Health()
    return health


def _remember(app: Flask, outage: Outage | None) -> None:
    health = _health(app)
    health.checked_at, health.outage = time.monotonic(), outage


def database_health() -> Outage | None:
    """None when the database answers a ``SELECT 1``, else what is wrong. Looked at once per
    ``HEALTH_CHECK_SECONDS`` (``HEALTH_CHECK_SECONDS`` in the configuration) per process: a
    load balancer asking many times a second costs the database nothing more; and a request
    that met an outage meanwhile has already said so."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    health = _health(app)
    every = app.config.get("HEALTH_CHECK_SECONDS", HEALTH_CHECK_SECONDS)
    if time.monotonic() - health.checked_at < every:
        return health.outage
    from . import direct

    try:
        direct.fetch_one("SELECT 1", ())
        outage = None
    except Exception as error:  # noqa: BLE001 - anything else is a 500, below
        outage = diagnose(error)
        if outage is None:
            raise
    _remember(app, outage)
    return outage


def init_app(app: Flask) -> None:
    """Answer an unreachable or overloaded database with 503 and Retry-After on every route."""
    _health(app)
    for kind in (DBAPIError, PoolTimeout, *_driver_errors()):
        app.register_error_handler(kind, _handle)


__all__ = ["BUSY", "Outage", "RETRY_AFTER", "UNREACHABLE", "database_health", "diagnose", "init_app", "response"]
