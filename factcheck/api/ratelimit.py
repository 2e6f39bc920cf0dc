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
  (``INSERT … ON CONFLICT DO UPDATE … RETURNING count``, on SQLite and PostgreSQL alike) in its
  own short transaction, so that the count is committed — and seen by every other worker —
  whether or not the write it counts succeeds. A refused write still counts: retrying
  immediately does not help.

If the counter store fails, writes are refused with 503 rather than let through uncounted.
"""

from __future__ import annotations

import logging
import math
import random
import time
from dataclasses import dataclass
from typing import Protocol

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests

from ..db import get_database
from ..models import RateLimitCounter

logger = logging.getLogger(__name__)

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Prefix of every counter key, so that pruning never touches another feature's counters.
KEY_PREFIX = "api-write"
#: One write in this many also deletes the expired windows of every key.
PRUNE_ONE_IN = 100


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    #: Epoch seconds at which the current window ends.
    resets_at: float


class Counter(Protocol):
    def hit(self, key: str, limit: RateLimitItem) -> Verdict:
        """Count one write for ``key`` and say whether it is within ``limit``."""


class DatabaseCounter:
    """A fixed window per key in ``rate_limit_counters``; windows are aligned to the epoch."""

    def hit(self, key: str, limit: RateLimitItem) -> Verdict:
        window = limit.get_expiry()
        start = int(time.time()) // window * window
        table = RateLimitCounter.__table__
        full_key = f"{KEY_PREFIX}:{key}:{limit.amount}/{window}"
        with get_database().transaction() as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            insert = dialect.insert(table).values(key=full_key, window_start=start, count=1)
            upsert = insert.on_conflict_do_update(
                index_elements=[table.c.key, table.c.window_start],
                set_={"count": table.c.count + 1},
            ).returning(table.c.count)
            count = session.execute(upsert).scalar_one()
            if random.randrange(PRUNE_ONE_IN) == 0:
                session.execute(
                    delete(table).where(
                        table.c.key.startswith(f"{KEY_PREFIX}:"), table.c.window_start < start - window
                    )
                )
        return Verdict(count <= limit.amount, start + window)


class RedisCounter:
    """``limits``' fixed window in Redis; the window starts at a key's first write."""

    def __init__(self, url: str) -> None:
        self.limiter = FixedWindowRateLimiter(storage_from_string(url, wrap_exceptions=True))

    def hit(self, key: str, limit: RateLimitItem) -> Verdict:
        allowed = self.limiter.hit(limit, KEY_PREFIX, key)
        resets_at, _remaining = self.limiter.get_window_stats(limit, KEY_PREFIX, key)
        return Verdict(allowed, resets_at)


def init_app(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    counter: Counter = RedisCounter(url) if url else DatabaseCounter()
    app.extensions["factcheck.api.ratelimit"] = counter


def count_write(key: str) -> None:
    """Count this request if it writes; 429 (with Retry-After) beyond the configured limit."""
    if request.method not in UNSAFE_METHODS:
        return
    limit = parse(current_app.config["API_WRITE_RATE_LIMIT"])
    counter: Counter = current_app.extensions["factcheck.api.ratelimit"]
    try:
        verdict = counter.hit(key, limit)
    except (StorageError, SQLAlchemyError):
        logger.exception("rate-limit store unavailable; refusing API writes")
        raise ServiceUnavailable(
            "Writes are paused: the rate-limit store is unavailable. Retry shortly.", retry_after=30
        ) from None
    if not verdict.allowed:
        wait = max(1, math.ceil(verdict.resets_at - time.time()))
        raise TooManyRequests(
            f"Too many writes: at most {limit.amount} per {_window_words(limit)} for this token "
            f"(or address). Retry in {wait} seconds.",
            retry_after=wait,
        )


def _window_words(limit: RateLimitItem) -> str:
    multiples = limit.multiples
    name = limit.GRANULARITY.name
    return name if multiples == 1 else f"{multiples} {name}s"
