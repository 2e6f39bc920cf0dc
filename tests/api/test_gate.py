"""The API gate on a database whose writes commit, as in production: the token's lookup, its
last-use mark and the write counter run on the autocommit connection of ``factcheck.direct``,
outside the request's transaction; the status change runs through the service inside it.

Elsewhere the application's sessions are bound to a transaction the test rolls back, and the
gate then runs on that transaction's connection; here it runs on its own connection, so what
must hold is seen from another connection: the count of a refused write is committed and the
refused write left nothing; an accepted write left exactly its rows; a broken connection is
replaced without failing the write.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from factcheck.db import Database
from factcheck.direct import EXTENSION
from factcheck.models import ApiToken, AuditEvent, Claim, RateLimitCounter, StatusChange
from factcheck.services import Actor
from factcheck.services.tokens import create_token

from .. import factories


def _desk(database: Database) -> tuple[dict[str, str], int, int]:
    with database.transaction() as session:
        make = factories.Factory(session)
        token, secret = create_token(session, make.user("editor"), Actor.system("test"))
        claim = make.claim()
        return {"Authorization": f"Bearer {secret}"}, token.id, claim.id


def _counted(app: Flask, database: Database) -> int:
    """Writes counted so far, wherever the counters are kept (on a SQLite file, a file of
    their own: ``ratelimit.counters_file``)."""
    engine = app.extensions["factcheck.api.ratelimit"].engine or database.engine
    with engine.connect() as connection:
        return connection.scalar(select(func.coalesce(func.sum(RateLimitCounter.count), 0)))


def _rows(database: Database, claim_id: int) -> tuple[int, int, int]:
    with database.read_sessions() as session:
        history = session.scalar(select(func.count()).where(StatusChange.claim_id == claim_id))
        audit = session.scalar(select(func.count()).where(AuditEvent.subject_id == claim_id,
                                                          AuditEvent.action == "claim.status"))
        version = session.scalar(select(Claim.version).where(Claim.id == claim_id))
    return history, audit, version


def test_counts_and_marks_commit_on_their_own(committed_app: Flask, committed_db: Database) -> None:
    headers, token_id, claim_id = _desk(committed_db)
    client = committed_app.test_client()
    before = _rows(committed_db, claim_id)

    stale = client.post(f"/api/v1/claims/{claim_id}/status", headers=headers,
                        json={"to": "in_review", "reason": "Checking.", "version": before[2] + 5})
    assert stale.status_code == 409 and stale.get_json()["current_version"] == before[2]
    assert _rows(committed_db, claim_id) == before  # refused: nothing of it written
    assert _counted(committed_app, committed_db) == 1  # but counted, and committed
    assert EXTENSION in committed_app.extensions  # on the gate's own connection, not a session
    with committed_db.read_sessions() as session:
        assert session.get(ApiToken, token_id).last_used_at is not None

    moved = client.post(f"/api/v1/claims/{claim_id}/status", headers=headers,
                        json={"to": "in_review", "reason": "Checking.", "version": before[2]})
    assert moved.status_code == 201, moved.get_json()
    assert moved.headers["ETag"] == f'"{before[2] + 1}"' and moved.get_json()["actor"]["email"]
    assert _rows(committed_db, claim_id) == (before[0] + 1, before[1] + 1, before[2] + 1)
    assert _counted(committed_app, committed_db) == 2


def test_a_broken_gate_connection_is_replaced(committed_app: Flask, committed_db: Database, dialect: str) -> None:
    if dialect != "postgresql":
        pytest.skip("a local SQLite file has no connection to lose")
    headers, _token_id, claim_id = _desk(committed_db)
    client = committed_app.test_client()
    assert client.get("/api/v1/claims", headers=headers).status_code == 200
    gate = committed_app.extensions[EXTENSION]
    gate._local.held[1].connection.dbapi_connection.close()  # as a server restart would
    version = _rows(committed_db, claim_id)[2]
    moved = client.post(f"/api/v1/claims/{claim_id}/status", headers=headers,
                        json={"to": "in_review", "reason": "Checking.", "version": version})
    assert moved.status_code == 201, moved.get_json()
