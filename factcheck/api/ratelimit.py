"""Rate limits on API writes, shared by every server worker.

Why the ``limits`` library and not Flask-Limiter: Flask-Limiter keeps its own notion of the
caller (a key function over the request) and its own error response, while here the caller is
whatever the bearer token turned out to be (``auth.Identity``) and every error must be a
problem-details body; and it has no storage that lives in our database. ``limits`` (which
Flask-Limiter is built on, and which is maintained alongside it) gives what is actually needed:
the ``120/minute`` notation, and fixed-window counting in Redis.

Two counters, chosen by ``REDIS_URL``:

- ``RedisCounter``: ``limits``' fixed window in Redis — one INCR per write.
- ``DatabaseCounter``: a fixed window in ``rate_limit_counters``, one upsert
  (``INSERT … ON CONFLICT DO UPDATE … RETURNING count``, on SQLite and PostgreSQL alike) on
  the gate's autocommit connection (``framework._gate``, ``factcheck.direct``), committed
  before the view's transaction opens, so that the count is committed — and seen by every
  other worker — whether or not the write it counts succeeds. A refused write still counts:
  retrying immediately does not help.
  A SQLite file has one write lock, which every write of the newsroom holds for its whole
  transaction: there the counters live in a file of their own beside the database
  (``counters_file``; the same table, made on first use), so that counting a write never
  waits for another request's transaction to end. Measured with eight API writers on two
  cores, counting in the database's own file cost about a sixth of the status changes a
  second (281/s against 340/s with the counters out of that file).
  The counters are a minute's bookkeeping: nothing is lost with that file.

If the counter store fails, writes are refused with 503 rather than let through uncounted.

Most writes count one each. A request whose cost grows with its size counts by its size
against the same limit (``cost``, the one place that says which and how much): statement
extraction reads every character sent, so it counts one write per ``EXTRACT_BYTES_PER_WRITE``
bytes of body, at least one and at most the whole limit (a text at the size limit is always
possible in a fresh window: 49 of the default 120 a minute).
"""

from __future__ import annotations

import logging
import math
import random
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine, delete, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.engine import Connection
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from ..db import make_engine, writer
from ..direct import DirectConnections, bound_connection
from ..driver import first_row
from ..models import RateLimitCounter

logger = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Prefix of every counter key, so that pruning never touches another feature's counters.
KEY_PREFIX = "api-write"
#: What a failing counter store raises (Redis through ``limits``, or the database).
STORE_ERRORS = (StorageError, SQLAlchemyError)
#: One write in this many also deletes the expired windows of every key.
PRUNE_ONE_IN = 100
#: Bytes of an extraction request's body that count as one write.
EXTRACT_BYTES_PER_WRITE = 10 * 1024
#: The endpoints whose requests count by their size, and how many bytes make one write.
COST_BY_SIZE: dict[str, int] = {"api-extract.extract": EXTRACT_BYTES_PER_WRITE}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    #: Epoch seconds at which the current window ends.
    resets_at: float
    #: How many writes the request counted as (``cost``).
    cost: int = 1


class Counter(Protocol):
    def hit(self, key: str, limit: RateLimitItem, connection: Connection, cost: int = 1) -> Verdict:
        """Count ``cost`` writes for ``key`` and say whether they are within ``limit``; a
        database counter writes on ``connection`` (the gate's, autocommit)."""


#: Writes counted in one window of one key: the row made, or its count raised, and the
#: count returned. Plain SQL (``driver.first_row``), spelt alike on SQLite and PostgreSQL.
UPSERT_SQL = (
    'INSERT INTO rate_limit_counters ("key", window_start, count) VALUES (?, ?, ?)'
    ' ON CONFLICT ("key", window_start) DO UPDATE SET count = rate_limit_counters.count + excluded.count'
    " RETURNING count"
)


def counters_file(database_url: str) -> Path | None:
    """Where the counters of a SQLite file database live: ``<database file>.rate-limits``
    beside it. None for PostgreSQL (its writers of other rows never wait for each other) and
    for an in-memory SQLite database (which no other worker could share)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).with_name(Path(url.database).name + ".rate-limits")


class DatabaseCounter:
    """A fixed window per key in ``rate_limit_counters``; windows are aligned to the epoch.
    With ``path`` (``counters_file``), the table is in that SQLite file, on a connection per
    thread of its own, not on the gate's connection."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._own: DirectConnections | None = None

    @property
    def engine(self) -> Engine | None:
        """The engine of the counters' own file, once it has been used."""
        return self._own.engine if self._own is not None else None

    def _connection(self, gate: Connection) -> Connection:
        if self.path is None or bound_connection() is not None:
            return gate  # PostgreSQL; or a test's sessions bound to one connection: counted there
        if self._own is None:
            engine = make_engine(f"sqlite:///{self.path}")
            # Made by the first worker to count (the check and the CREATE in one write
            # transaction, so that workers starting together do not race to make it).
            RateLimitCounter.__table__.create(writer(engine), checkfirst=True)
            self._own = DirectConnections(engine)
        return self._own.connection()

    def hit(self, key: str, limit: RateLimitItem, connection: Connection, cost: int = 1) -> Verdict:
        connection = self._connection(connection)
        window = limit.get_expiry()
        start = int(time.time()) // window * window
        full_key = f"{KEY_PREFIX}:{key}:{limit.amount}/{window}"
        row = first_row(connection, UPSERT_SQL, (full_key, start, cost))
        assert row is not None  # RETURNING gives the row inserted or updated
        count = row[0]
        if random.randrange(PRUNE_ONE_IN) == 0:
            table = RateLimitCounter.__table__
            connection.execute(
                delete(table).where(
                    table.c.key.startswith(f"{KEY_PREFIX}:"), table.c.window_start < start - window
                )
            )
        return Verdict(count <= limit.amount, start + window, cost)


class RedisCounter:
    """``limits``' fixed window in Redis; the window starts at a key's first write."""

    def __init__(self, url: str) -> None:
        self.limiter = FixedWindowRateLimiter(storage_from_string(url, wrap_exceptions=True))

    def hit(self, key: str, limit: RateLimitItem, connection: Connection, cost: int = 1) -> Verdict:
        if self.limiter.hit(limit, KEY_PREFIX, key, cost=cost):
            return Verdict(True, 0.0, cost)  # when the window ends only matters to a refusal
        resets_at, _remaining = self.limiter.get_window_stats(limit, KEY_PREFIX, key)
        return Verdict(False, resets_at, cost)


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    counter: Counter = RedisCounter(url) if url else DatabaseCounter(
        counters_file(app.config["SQLALCHEMY_DATABASE_URI"]))
    app.extensions["factcheck.api.ratelimit"] = counter


def cost(limit: RateLimitItem) -> int:
    """How many writes the current request counts as: one, or for an endpoint of
    ``COST_BY_SIZE``, one per so many bytes of its body (at least one, at most the limit)."""
    per_write = COST_BY_SIZE.get(request.endpoint or "")
    if per_write is None:
        return 1
    size = request.content_length
    if size is None:  # a chunked body: read it (within MAX_CONTENT_LENGTH) to know its size
        size = len(request.get_data(cache=True))
    return max(1, min(math.ceil(size / per_write), limit.amount))


def count_write(key: str, connection: Connection) -> Verdict:
    """Count this write for ``key``, by its ``cost`` (on ``connection``, autocommit, when the
    counter lives in the database); then the caller calls ``enforce``."""
    limit = _limit(current_app.config["API_WRITE_RATE_LIMIT"])
    counter: Counter = current_app.extensions["factcheck.api.ratelimit"]
    return counter.hit(key, limit, connection, cost(limit))


def enforce(verdict: Verdict) -> None:
    """429, with Retry-After, for a write beyond the configured limit."""
    if verdict.allowed:
        return
    limit = _limit(current_app.config["API_WRITE_RATE_LIMIT"])
    wait = max(1, math.ceil(verdict.resets_at - time.time()))
    per_write = COST_BY_SIZE.get(request.endpoint or "", 0)
    costly = (f" This request counts as {verdict.cost} writes (one per {per_write // 1024} KB of its body)."
              if verdict.cost > 1 else "")
    raise TooManyRequests(
        f"Too many writes: at most {limit.amount} per {_window_words(limit)} for this token "
        f"(or address).{costly} Retry in {wait} seconds.",
        retry_after=wait,
    )


def unavailable() -> ServiceUnavailable:
    """The 503 for a write whose count could not be kept (called while handling the store's
    error). When the store is the database and the database cannot be reached, it says so,
    as every other route does then (``factcheck.outage``)."""
    from ..outage import RETRY_AFTER, diagnose

    outage = diagnose(sys.exc_info()[1])
    if outage is not None:
        logger.warning("database %s; refusing API writes", outage.state)
        return ServiceUnavailable(outage.detail, retry_after=RETRY_AFTER)
    logger.exception("rate-limit store unavailable; refusing API writes")
    return ServiceUnavailable("Writes are paused: the rate-limit store is unavailable. Retry shortly.", retry_after=30)


@lru_cache(maxsize=8)
def _limit(text: str) -> RateLimitItem:
    return parse(text)


def _window_words(limit: RateLimitItem) -> str:
    multiples = limit.multiples
    name = limit.GRANULARITY.name
    return name if multiples == 1 else f"{multiples} {name}s"
