"""Rate limits on writes: per token (or address), shared by every worker, in the database or Redis."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import select

from factcheck.api.ratelimit import counters_file
from factcheck.db import writer
from factcheck.models import RateLimitCounter
from factcheck.services import Actor
from factcheck.services.tokens import create_token

from .. import factories
from ..conftest import app_on
from .helpers import assert_problem

REDIS_URL = "redis://127.0.0.1:6379/15"


def _write(client, headers=None):
    return client.post("/api/v1/sources", json={"name": f"S {uuid.uuid4().hex[:6]}", "kind": "person"},
                       headers=headers or {})


def test_writes_beyond_the_limit_are_429_with_retry_after(app, client, session, checker, editor) -> None:
    app.config["API_WRITE_RATE_LIMIT"] = "3/hour"
    assert [_write(client, checker).status_code for _ in range(3)] == [201, 201, 201]
    refused = _write(client, checker)
    body = assert_problem(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert "at most 3 per hour" in body["detail"]
    # Reads are not limited, and another token has its own allowance.
    assert client.get("/api/v1/sources", headers=checker).status_code == 200
    assert _write(client, editor).status_code == 201
    counts = session.scalars(select(RateLimitCounter.count)).all()
    assert sorted(counts) == [1, 4]


def test_failed_writes_count_too_and_anonymous_writes_are_counted_by_address(app, client) -> None:
    app.config["API_WRITE_RATE_LIMIT"] = "2/hour"
    assert [_write(client).status_code for _ in range(2)] == [401, 401]
    assert_problem(_write(client), 429)
    assert_problem(_write(client, {"Authorization": "Bearer guessed"}), 429)


def _worker(committed_db, db_url: str, **config: object):
    """Another server process: its own application (and engine) on the same database."""
    return app_on(committed_db, db_url, **config)


def test_the_limit_holds_across_workers(committed_db, db_url) -> None:
    with committed_db.transaction() as session:
        user = factories.Factory(session).user("checker")
        _token, secret = create_token(session, user, Actor.system("test"))
    headers = {"Authorization": f"Bearer {secret}"}
    one = _worker(committed_db, db_url, API_WRITE_RATE_LIMIT="3/hour").test_client()
    two = _worker(committed_db, db_url, API_WRITE_RATE_LIMIT="3/hour").test_client()
    assert _write(one, headers).status_code == 201
    assert _write(two, headers).status_code == 201
    assert _write(one, headers).status_code == 201
    assert_problem(_write(two, headers), 429)
    assert_problem(_write(one, headers), 429)


def test_on_a_sqlite_file_counting_never_waits_for_the_newsrooms_write_lock(committed_db, db_url, dialect) -> None:
    """SQLite has one write lock per file, held by each write of the newsroom for its whole
    transaction: the counters live in a file of their own, so a write is counted (and a
    refusal answered) while another request's transaction holds the database."""
    if dialect != "sqlite":
        pytest.skip("PostgreSQL's writers of other rows never wait for each other")
    with committed_db.transaction() as session:
        user = factories.Factory(session).user("checker")
        _token, secret = create_token(session, user, Actor.system("test"))
    worker = _worker(committed_db, db_url, API_WRITE_RATE_LIMIT="1/hour", SQLITE_BUSY_TIMEOUT=1)
    headers = {"Authorization": f"Bearer {secret}"}
    assert _write(worker.test_client(), headers).status_code == 201
    with writer(committed_db.engine).begin() as holder:  # another request's write transaction
        holder.exec_driver_sql("SELECT 1")  # (BEGIN IMMEDIATE: it holds the write lock now)
        started = time.monotonic()
        refused = _write(worker.test_client(), headers)
        waited = time.monotonic() - started
    assert_problem(refused, 429)  # counted and refused, not 503 "database is locked"
    assert waited < 0.5
    counters = counters_file(db_url)
    assert counters is not None and counters.exists()
    with committed_db.read_sessions() as session:
        assert session.scalars(select(RateLimitCounter)).all() == []  # none in the newsroom's file


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


def test_redis_holds_the_counters_when_configured(committed_db, db_url) -> None:
    redis = _redis_or_skip()
    with committed_db.transaction() as session:
        user = factories.Factory(session).user("checker")
        token, secret = create_token(session, user, Actor.system("test"))
    for key in redis.scan_iter(f"*api-write/token:{token.id}/*"):
        redis.delete(key)
    headers = {"Authorization": f"Bearer {secret}"}
    one = _worker(committed_db, db_url, API_WRITE_RATE_LIMIT="2/hour", REDIS_URL=REDIS_URL).test_client()
    two = _worker(committed_db, db_url, API_WRITE_RATE_LIMIT="2/hour", REDIS_URL=REDIS_URL).test_client()
    try:
        assert _write(one, headers).status_code == 201
        assert _write(two, headers).status_code == 201
        refused = _write(one, headers)
        assert_problem(refused, 429)
        assert 1 <= int(refused.headers["Retry-After"]) <= 3600
        assert list(redis.scan_iter(f"*api-write/token:{token.id}/*"))
        with committed_db.transaction() as session:
            assert session.scalars(select(RateLimitCounter)).all() == []  # nothing held in the database
    finally:
        for key in redis.scan_iter(f"*api-write/token:{token.id}/*"):
            redis.delete(key)


def test_unreachable_store_refuses_writes_with_503(app, client, checker) -> None:
    from factcheck.api.ratelimit import RedisCounter

    app.extensions["factcheck.api.ratelimit"] = RedisCounter("redis://127.0.0.1:1/0?socket_connect_timeout=0.2")
    refused = _write(client, checker)
    assert "rate-limit store is unavailable" in assert_problem(refused, 503)["detail"]
    assert refused.headers["Retry-After"] == "30"
    assert client.get("/api/v1/sources", headers=checker).status_code == 200


# --- costly requests count by their cost (ratelimit.cost) -------------------------------------


def _extract(client, headers, size: int):
    """An extraction request whose body is ``size`` bytes."""
    import json

    body = json.dumps({"text": "x" * (size - len('{"text": ""}'))})
    assert len(body) == size
    return client.post("/api/v1/extract", data=body, headers={**headers, "Content-Type": "application/json"})


def test_an_extraction_counts_one_write_per_10_kb(app, client, session, checker) -> None:
    app.config["API_WRITE_RATE_LIMIT"] = "100/hour"
    assert _extract(client, checker, 300).status_code == 200  # at least one
    assert _extract(client, checker, 10 * 1024).status_code == 200  # one
    assert _extract(client, checker, 10 * 1024 + 1).status_code == 200  # two
    assert _extract(client, checker, 480_000).status_code == 200  # 47
    assert session.scalars(select(RateLimitCounter.count)).all() == [1 + 1 + 2 + 47]
    assert _write(client, checker).status_code == 201  # a plain write still counts one
    refused = _extract(client, checker, 500_000)  # 49 more: over the 100
    body = assert_problem(refused, 429)
    assert "at most 100 per hour" in body["detail"]
    assert "This request counts as 49 writes (one per 10 KB of its body)." in body["detail"]
    assert _write(client, checker).status_code == 429  # the allowance is spent for every write


def test_an_extraction_never_counts_more_than_the_whole_limit(app, client, session, checker, editor) -> None:
    """A text at the size limit is always possible in a fresh window, whatever the limit."""
    app.config["API_WRITE_RATE_LIMIT"] = "10/hour"
    assert _extract(client, checker, 500_000).status_code == 200
    assert session.scalars(select(RateLimitCounter.count)).all() == [10]
    assert_problem(_extract(client, checker, 300), 429)
    assert _extract(client, editor, 300).status_code == 200  # another token, its own allowance


def test_redis_counts_an_extraction_by_its_size(committed_db, db_url) -> None:
    redis = _redis_or_skip()
    with committed_db.transaction() as session:
        user = factories.Factory(session).user("checker")
        token, secret = create_token(session, user, Actor.system("test"))
    headers = {"Authorization": f"Bearer {secret}"}
    client = _worker(committed_db, db_url, API_WRITE_RATE_LIMIT="30/hour", REDIS_URL=REDIS_URL).test_client()
    try:
        assert _extract(client, headers, 200_000).status_code == 200  # 20
        assert_problem(_extract(client, headers, 200_000), 429)  # 40 > 30
    finally:
        for key in redis.scan_iter(f"*api-write/token:{token.id}/*"):
            redis.delete(key)
