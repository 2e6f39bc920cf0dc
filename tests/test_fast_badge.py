"""The badge's fast path (``factcheck.direct``) against a database whose writes commit.

Elsewhere the application's sessions are bound to a transaction the test rolls back, and the
badge then reads through that session; here the application runs on its own engine, as in
production, so the badge is read on the fast path's own autocommit connection. What must hold
there: the badge changes the moment the claim does (DESIGN rule 6), drafts stay hidden, and a
broken connection is replaced rather than failing every later badge of the worker.
"""

from __future__ import annotations

import pytest
from flask import Flask

from factcheck.db import Database
from factcheck.direct import EXTENSION
from factcheck.models import Claim
from factcheck.services import Actor
from factcheck.services.claims import create_claim, set_published
from factcheck.services.status import change_status

DESK = Actor.system("test")


def _published_claim(database: Database) -> tuple[int, str]:
    with database.transaction() as session:
        claim = create_claim(session, DESK, text="The bridge at Musa Qala was rebuilt in 2020")
        change_status(session, claim, "in_review", "Checking.", DESK, claim.version)
        set_published(session, claim, DESK, published=True, expected_version=claim.version)
        return claim.id, claim.slug


def test_badge_follows_every_committed_change(committed_app: Flask, committed_db: Database) -> None:
    claim_id, slug = _published_claim(committed_db)
    client = committed_app.test_client()
    first = client.get(f"/badge/{slug}.svg")
    assert first.status_code == 200 and "In review" in first.get_data(as_text=True)
    assert EXTENSION in committed_app.extensions  # read on the fast path, not through a session
    assert client.get(f"/badge/{slug}.svg", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    with committed_db.transaction() as session:
        claim = session.get(Claim, claim_id)
        change_status(session, claim, "contested", "Sources disagree.", DESK, claim.version)
    again = client.get(f"/badge/{slug}.svg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]
    assert "Contested" in again.get_data(as_text=True)

    with committed_db.transaction() as session:
        claim = session.get(Claim, claim_id)
        set_published(session, claim, DESK, published=False, expected_version=claim.version)
    assert client.get(f"/badge/{slug}.svg").status_code == 404


def test_a_broken_connection_is_replaced(committed_app: Flask, committed_db: Database, dialect: str) -> None:
    if dialect != "postgresql":
        pytest.skip("a local SQLite file has no connection to lose")
    _, slug = _published_claim(committed_db)
    client = committed_app.test_client()
    assert client.get(f"/badge/{slug}.svg").status_code == 200
    reader = committed_app.extensions[EXTENSION]
    reader._local.held[1].connection.dbapi_connection.close()  # as a server restart or an idle timeout would
    assert client.get(f"/badge/{slug}.svg").status_code == 200
