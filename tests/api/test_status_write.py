"""A status change through the API, on a database whose writes commit, as in production: it
goes through the one service (``services.status.change_status``) in the request's transaction.

What must hold is seen from another connection: an accepted change is committed whole (the
claim, its history row, its audit event), a change that fails halfway leaves nothing and no
lock behind, and a refused one leaves nothing and says why.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from factcheck.db import Database
from factcheck.models import AuditEvent, Claim, StatusChange
from factcheck.services import Actor, status
from factcheck.services.tokens import create_token

from .. import factories


def _desk(database: Database) -> tuple[dict[str, str], int]:
    with database.transaction() as session:
        make = factories.Factory(session)
        _token, secret = create_token(session, make.user("editor"), Actor.system("test"))
        return {"Authorization": f"Bearer {secret}"}, make.claim().id


def _rows(database: Database, claim_id: int) -> tuple[int, int, int, str]:
    with database.read_sessions() as session:
        history = session.scalar(select(func.count()).where(StatusChange.claim_id == claim_id))
        audit = session.scalar(select(func.count()).where(AuditEvent.subject_id == claim_id,
                                                          AuditEvent.action == "claim.status"))
        claim = session.get(Claim, claim_id)
        return history, audit, claim.version, claim.status.value


def _move(client: Any, headers: dict[str, str], claim_id: int, version: int, to: str = "in_review") -> Any:
    return client.post(f"/api/v1/claims/{claim_id}/status", headers=headers,
                       json={"to": to, "reason": "Checking.", "version": version})


def test_an_accepted_change_is_committed_whole(committed_app: Flask, committed_db: Database) -> None:
    headers, claim_id = _desk(committed_db)
    client = committed_app.test_client()
    before = _rows(committed_db, claim_id)
    moved = _move(client, headers, claim_id, before[2])
    assert moved.status_code == 201, moved.get_json()
    assert moved.headers["ETag"] == f'"{before[2] + 1}"'
    assert _rows(committed_db, claim_id) == (before[0] + 1, before[1] + 1, before[2] + 1, "in_review")


def test_a_change_that_fails_halfway_leaves_nothing(
    committed_app: Flask, committed_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers, claim_id = _desk(committed_db)
    committed_app.config["PROPAGATE_EXCEPTIONS"] = False  # answered as in production: a 500
    client = committed_app.test_client()
    before = _rows(committed_db, claim_id)
    real = status.audit_row
    # The audit row is written last: a NOT NULL column left empty makes it fail after the
    # claim's UPDATE and the history INSERT.
    monkeypatch.setattr(status, "audit_row", lambda *a, **k: {**real(*a, **k), "action": None})
    failed = _move(client, headers, claim_id, before[2])
    assert failed.status_code == 500
    assert _rows(committed_db, claim_id) == before

    # Nothing left open: another connection writes, and the next change goes through.
    with committed_db.transaction() as session:
        session.get(Claim, claim_id).priority = 3
    monkeypatch.setattr(status, "audit_row", real)
    moved = _move(client, headers, claim_id, before[2])
    assert moved.status_code == 201, moved.get_json()
    assert _rows(committed_db, claim_id) == (before[0] + 1, before[1] + 1, before[2] + 1, "in_review")


def test_a_refused_change_leaves_nothing_and_says_why(committed_app: Flask, committed_db: Database) -> None:
    headers, claim_id = _desk(committed_db)
    client = committed_app.test_client()
    before = _rows(committed_db, claim_id)
    assert _move(client, headers, claim_id, before[2]).status_code == 201
    stale = _move(client, headers, claim_id, before[2], to="contested")
    assert stale.status_code == 409
    assert (stale.get_json()["current_version"], stale.get_json()["current_status"]) == (before[2] + 1, "in_review")
    assert _rows(committed_db, claim_id) == (before[0] + 1, before[1] + 1, before[2] + 1, "in_review")
