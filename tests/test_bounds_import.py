"""A large ClaimReview import commits a batch at a time (``import_reviews(commit=…)``,
``Database.commit_batch``): the newsroom's writers wait well under a second meanwhile, each
item is written whole or not at all, and an interrupted run, run again, imports the rest."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from factcheck.claimreview import importer
from factcheck.db import Database
from factcheck.models import Claim, ImportedReview, Statement, StatusChange
from factcheck.services import Actor
from factcheck.services.claims import create_claim
from factcheck.services.status import change_status

DESK = Actor.system("test")


def write_feed(path: Path, count: int, *, start: int = 0) -> Path:
    """A DataFeed of ``count`` ClaimReviews, each its own review URL, claimant and appearance."""
    elements = [{
        "@type": "ClaimReview",
        "url": f"https://checkers.example/checks/{n}",
        "claimReviewed": f"Claim number {n} about the budget was made on the radio.",
        "author": {"@type": "Organization", "name": "Checkers Example"},
        "datePublished": "2024-05-01",
        "reviewRating": {"@type": "Rating", "alternateName": "False" if n % 3 else "Misleading"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": f"Speaker {n % 500}"},
                         "appearance": [{"@type": "CreativeWork", "url": f"https://radio.example/show/{n}"}]},
    } for n in range(start, start + count)]
    path.write_text(json.dumps({"@type": "DataFeed", "dataFeedElement": elements}), encoding="utf-8")
    return path


def _count(database: Database, model) -> int:
    with database.read_sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def desk_claim(committed_db: Database) -> int:
    """A claim in review, which the desk moves back and forth during the import."""
    with committed_db.transaction() as session:
        claim = create_claim(session, DESK, text="The desk keeps working on this claim.")
        change_status(session, claim, "in_review", "Started.", DESK, claim.version)
        return claim.id


def _move(database: Database, claim_id: int) -> float:
    """One status change by the desk, as a request makes it; how long it took."""
    started = time.monotonic()
    with database.transaction() as session:
        claim = session.get(Claim, claim_id)
        target = "contested" if claim.status.value == "in_review" else "in_review"
        change_status(session, claim, target, "The desk moves on.", DESK, claim.version)
    return time.monotonic() - started


def test_a_writer_waits_well_under_a_second_during_a_large_import(
    committed_app: Flask, committed_db: Database, desk_claim: int, dialect: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """8,000 reviews take several seconds to import. In one transaction the desk's status
    change waited for all of them (on SQLite the write lock; 80,000 reviews: 51 s, and the
    change failed after its 30 s busy timeout); a batch at a time, it waits for one batch.
    (SQLite only: on PostgreSQL a writer of other rows never waits for the import.)"""
    if dialect != "sqlite":
        pytest.skip("SQLite's one write lock")
    feed = write_feed(tmp_path / "feed.json", 8000)
    first_batch = threading.Event()
    real = importer.import_batch

    def spied(*args, **kwargs):
        outcomes = real(*args, **kwargs)
        first_batch.set()  # the import is under way and has written: it holds the lock now
        return outcomes

    monkeypatch.setattr(importer, "import_batch", spied)
    result: dict[str, object] = {}

    def run() -> None:
        outcome = committed_app.test_cli_runner().invoke(args=["claimreview", "import", str(feed)])
        result.update(output=outcome.output, exit_code=outcome.exit_code)

    runner = threading.Thread(target=run)
    runner.start()
    try:
        assert first_batch.wait(60)
        waits = []
        while runner.is_alive() and len(waits) < 5:
            waits.append(_move(committed_db, desk_claim))
        during = runner.is_alive()
    finally:
        runner.join(300)
    assert result["exit_code"] == 0, result["output"]
    assert str(result["output"]).splitlines()[0] == "8000 imported, 0 updated, 0 skipped, 0 failed."
    assert during, "the import ended before the desk's changes: nothing was measured"
    assert max(waits) < 2, waits  # at least one batch and the pause after it, under load
    with committed_db.read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(StatusChange)
                              .where(StatusChange.claim_id == desk_claim)) == 2 + len(waits)


def test_an_interrupted_import_keeps_whole_items_and_a_rerun_imports_the_rest(
    committed_app: Flask, committed_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    total = 2500  # three batches or more: 1,000 a batch on PostgreSQL, sized by time on SQLite
    feed = write_feed(tmp_path / "feed.json", total)
    real = importer.import_batch
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(len(args[1]))
        if len(calls) == 3:
            real(*args, **kwargs)  # written, not yet committed, when the operator presses ^C
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "import_batch", interrupted)
    first = committed_app.test_cli_runner().invoke(args=["claimreview", "import", str(feed)])
    assert first.exit_code == 130, first.output
    kept = sum(calls[:2])  # the two committed batches, not the third
    assert 0 < kept < total
    assert first.output.splitlines()[0] == f"{kept} imported, 0 updated, 0 skipped, 0 failed."
    assert f"Stopped after {kept:,} of {total:,} reviews (interrupted). What was imported is kept; run the same " \
           "command again to import the rest." in first.output
    # Each kept item is whole: its review, claim, statement and history; nothing of the others.
    assert _count(committed_db, ImportedReview) == _count(committed_db, Claim) == kept
    assert _count(committed_db, Statement) == kept

    monkeypatch.setattr(importer, "import_batch", real)
    second = committed_app.test_cli_runner().invoke(args=["claimreview", "import", str(feed)])
    assert second.exit_code == 0, second.output
    assert second.output.splitlines()[0] == f"{total - kept} imported, 0 updated, {kept} skipped, 0 failed."
    assert _count(committed_db, ImportedReview) == _count(committed_db, Claim) == total


def test_batches_are_sized_by_time_and_committed_one_by_one(session, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """``import_reviews(commit=…, batch_seconds=…)``: the commit follows every batch, the
    outcomes of a batch are reported only once it is committed, and batches grow from the
    smallest, doubling, up to ``batch_size`` while they take less than ``batch_seconds``."""
    from factcheck.claimreview.ratings import RatingMap
    from factcheck.claimreview.reading import read_file

    items = read_file(write_feed(tmp_path / "feed.json", 400))[0]
    sizes: list[int] = []
    real = importer.import_batch
    monkeypatch.setattr(importer, "import_batch", lambda *a, **k: sizes.append(len(a[1])) or real(*a, **k))
    reported: list[object] = []
    at_commit: list[int] = []

    def commit() -> None:
        session.flush()
        at_commit.append(len(reported))

    summary = importer.import_reviews(session, items, ratings=RatingMap(), on_item=reported.append, commit=commit,
                                      batch_size=200, batch_seconds=60)
    assert summary.counts()["imported"] == len(reported) == 400
    assert sizes == [50, 100, 200, 50]
    assert at_commit == [0, 50, 150, 350]
