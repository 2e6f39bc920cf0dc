"""Importing ClaimReview: claims, claimants, appearances and verdicts written through the
services, idempotent on the review URL, each item on its own."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from factcheck.claimreview import importer
from factcheck.claimreview.importer import import_reviews
from factcheck.claimreview.rules import normalise_review_url
from factcheck.claimreview.ratings import RatingMap
from factcheck.claimreview.reading import read_file
from factcheck.db import get_database
from factcheck.models import (
    Base, Claim, ImportedReview, Report, Source, SourceKind, Stance, Statement, Status,
)
from factcheck.services.status import change_status

from .conftest import DESK

DATA = Path(__file__).resolve().parent / "data"


def _items(*names: str):
    return [item for name in names for item in read_file(DATA / name)[0]]


def _claim(session, text: str) -> Claim:
    return session.scalar(select(Claim).where(Claim.text == text))


def _counts(session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_import_creates_claims_sources_reports_statements_and_verdicts(session) -> None:
    summary = import_reviews(session, _items("graph.json", "feed.jsonld", "page.html"), ratings=RatingMap())
    results = {o.origin: (o.result, o.reason) for o in summary.outcomes}
    assert summary.counts() == {"imported": 10, "updated": 0, "skipped": 1, "failed": 2}
    assert results["feed.jsonld #8"] == ("failed", "no review URL (url or @id): it could not be imported idempotently")
    assert results["feed.jsonld #9"] == ("failed", "no claimReviewed: there is no claim to record")
    assert results["feed.jsonld #10"] == ("skipped", "already imported, unchanged")

    tolls = _claim(session, "Bridge tolls tripled last year.")
    assert tolls.status == Status.FALSE and tolls.published_at is None
    assert [(c.from_status, c.to_status, c.via) for c in tolls.history] == [
        (None, Status.UNVERIFIED, "import"), (Status.UNVERIFIED, Status.IN_REVIEW, "import"),
        (Status.IN_REVIEW, Status.FALSE, "import")]
    verdict = tolls.history[-1]
    assert verdict.reason == "Checkers Example rated this claim “False”: https://checkers.example/checks/bridge-tolls"
    assert verdict.evidence.startswith("https://checkers.example/checks/bridge-tolls")
    [link] = tolls.links
    assert link.stance == Stance.ASSERTS
    statement = link.statement
    assert statement.speaker.name == "Councillor Example" and statement.speaker.kind == SourceKind.PERSON
    assert statement.text == tolls.text and statement.said_on == date(2021, 4, 30)
    assert statement.report.url == "https://news.example/tolls" and statement.report.title == "Tolls row"
    record = session.scalar(select(ImportedReview).where(ImportedReview.claim_id == tolls.id))
    assert record.review_url == "https://checkers.example/checks/bridge-tolls"
    assert (record.publisher, record.original_rating, record.rating_value, record.best_rating,
            record.worst_rating) == ("Checkers Example", "False", "1", "5", "1")
    assert json.loads(record.raw)["fc:score"] == {"nested": True}

    expected = {
        "Bus lanes doubled commute times.": Status.CONFIRMED,
        "Beber agua caliente cura la gripe.": Status.MISLEADING,
        "A vacina altera o DNA.": Status.FALSE,
        "Le pont a été vendu à une entreprise étrangère.": Status.FALSE,
        "Der Strompreis hat sich verdoppelt.": Status.MISLEADING,
        "The river is cleaner than ever.": Status.MISLEADING,
        "The factory created 10,000 jobs.": Status.MISLEADING,
        "The moon will be repainted.": Status.UNVERIFIED,
        "The mayor banned bicycles from the city centre.": Status.FALSE,
    }
    assert {text: _claim(session, text).status for text in expected} == expected


def test_confirmation_from_an_external_review_is_an_editor_override(session) -> None:
    import_reviews(session, _items("graph.json"), ratings=RatingMap())
    buses = _claim(session, "Bus lanes doubled commute times.")
    verdict = buses.history[-1]
    assert verdict.to_status == Status.CONFIRMED and verdict.independence_override
    assert "https://checkers.example/checks/bus-lanes" in verdict.override_reason
    assert buses.links[0].statement.speaker.name == "City Transport Watch"


def test_unknown_verdict_stays_unverified_with_the_original_kept(session) -> None:
    import_reviews(session, _items("feed.jsonld"), ratings=RatingMap())
    moon = _claim(session, "The moon will be repainted.")
    assert moon.status == Status.UNVERIFIED and len(moon.history) == 1
    record = session.scalar(select(ImportedReview).where(ImportedReview.claim_id == moon.id))
    assert record.original_rating == "Satire"


def test_numeric_verdict_reason_names_the_scale(session) -> None:
    import_reviews(session, _items("feed.jsonld"), ratings=RatingMap())
    river = _claim(session, "The river is cleaner than ever.")
    assert river.history[-1].reason.startswith(
        "Scale Example rated this claim 4 on a scale from 5 (worst) to 1 (best)")


def test_import_is_idempotent(session) -> None:
    import_reviews(session, _items("graph.json", "feed.jsonld", "page.html"), ratings=RatingMap())
    before = _counts(session)
    again = import_reviews(session, _items("graph.json", "feed.jsonld", "page.html"), ratings=RatingMap())
    assert again.counts() == {"imported": 0, "updated": 0, "skipped": 11, "failed": 2}
    assert _counts(session) == before


@pytest.mark.parametrize("url", [
    "https://checkers.example/checks/bridge-tolls", "http://checkers.example/checks/bridge-tolls/",
    "https://WWW.Checkers.Example/checks/bridge-tolls?utm_source=x&fbclid=y#section",
    "https://checkers.example:443/checks/bridge-tolls",
])
def test_one_review_under_several_urls(url) -> None:
    assert normalise_review_url(url) == "https://checkers.example/checks/bridge-tolls"


def test_different_reviews_stay_different() -> None:
    assert normalise_review_url("https://a.example/check?id=1") != normalise_review_url("https://a.example/check?id=2")
    assert normalise_review_url("https://a.example/x?b=2&a=1") == normalise_review_url("https://a.example/x?a=1&b=2")


def _changed(tmp_path, rating: str) -> list:
    data = json.loads((DATA / "graph.json").read_text(encoding="utf-8"))
    data["@graph"][1]["reviewRating"]["alternateName"] = rating
    path = tmp_path / "graph-updated.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return read_file(path)[0]


def test_a_changed_verdict_updates_the_claim_as_a_correction(session, tmp_path) -> None:
    import_reviews(session, _items("graph.json"), ratings=RatingMap())
    summary = import_reviews(session, _changed(tmp_path, "Mostly false"), ratings=RatingMap())
    assert [o.result for o in summary.outcomes] == ["updated", "skipped"]
    tolls = _claim(session, "Bridge tolls tripled last year.")
    assert tolls.status == Status.MISLEADING
    reopening, verdict = tolls.history[-2:]
    assert reopening.is_reopening and "no longer gives the verdict false" in reopening.reason
    assert verdict.reason.startswith("Checkers Example rated this claim “Mostly false”")
    record = session.scalar(select(ImportedReview).where(ImportedReview.claim_id == tolls.id))
    assert record.original_rating == "Mostly false"
    assert session.scalar(select(func.count()).select_from(Claim)) == 2


def test_an_update_leaves_a_status_the_desk_has_set(session, tmp_path) -> None:
    import_reviews(session, _items("graph.json"), ratings=RatingMap())
    tolls = _claim(session, "Bridge tolls tripled last year.")
    change_status(session, tolls, "in_review", "The desk is checking again.", DESK, tolls.version)
    summary = import_reviews(session, _changed(tmp_path, "Mostly false"), ratings=RatingMap())
    assert summary.outcomes[0].result == "updated"
    assert "status left as the desk set it" in summary.outcomes[0].reason
    assert tolls.status == Status.IN_REVIEW


def test_a_bad_item_is_rolled_back_alone(session, monkeypatch) -> None:
    real = importer.change_status

    def failing(session_, claim, to, reason, *args, **kwargs):
        if claim.text.startswith("Beber agua") and to == Status.MISLEADING:
            raise RuntimeError("disk on fire")
        return real(session_, claim, to, reason, *args, **kwargs)

    monkeypatch.setattr(importer, "change_status", failing)
    # Item by item, through the services (a failure of the batched path: test_import_batches).
    summary = import_reviews(session, _items("feed.jsonld"), ratings=RatingMap(), batch_size=None)
    [failure] = [o for o in summary.outcomes if o.reason.startswith("unexpected")]
    assert failure.origin == "feed.jsonld #1" and failure.reason == "unexpected RuntimeError: disk on fire"
    assert _claim(session, "Beber agua caliente cura la gripe.") is None
    assert session.scalar(select(Source).where(Source.name == "Cadena de WhatsApp")) is None
    assert session.scalar(select(Statement).where(Statement.text.like("Beber agua%"))) is None
    assert session.scalar(select(ImportedReview).where(ImportedReview.review_url.like("%bulo-agua"))) is None
    assert _claim(session, "A vacina altera o DNA.").status == Status.FALSE  # the next one went on


def test_claimants_reuse_named_sources_never_anonymous_ones(session, make) -> None:
    named = make.source("Councillor Example", kind="person")
    import_reviews(session, _items("graph.json"), ratings=RatingMap())
    assert _claim(session, "Bridge tolls tripled last year.").links[0].statement.speaker.id == named.id
    make.source("City Transport Watch", anonymous=True, anonymity_reason="Asked not to be named.")
    session.execute(ImportedReview.__table__.delete())
    import_reviews(session, _items("graph.json")[1:], ratings=RatingMap())
    speakers = session.scalars(select(Source).where(Source.name == "City Transport Watch")).all()
    assert sorted(s.anonymous for s in speakers) == [False, True]


def test_appearance_reuses_an_existing_report(session) -> None:
    from factcheck.services.sources import create_report

    existing = create_report(session, DESK, url="https://news.example/tolls", title="Already here")
    import_reviews(session, _items("graph.json"), ratings=RatingMap())
    assert _claim(session, "Bridge tolls tripled last year.").links[0].statement.report_id == existing.id
    assert session.scalar(select(func.count()).select_from(Report)) == 2


def test_schemaorg_examples(session, shared_dir) -> None:
    items, _ = read_file(shared_dir / "data" / "claimreview" / "schemaorg-examples.json")
    summary = import_reviews(session, items, ratings=RatingMap())
    assert summary.counts()["imported"] == 2
    perry = _claim(session, 'More than 3,000 homicides were committed by "illegal aliens" over the past six years.')
    assert perry.status == Status.CONFIRMED  # its alternateName says "True", whatever its number says
    cairo = session.scalar(select(Claim).where(Claim.text.like("In the middle of the Cold War%")))
    assert cairo.status == Status.UNVERIFIED
    assert cairo.links[0].statement.report.url == "https://www.youtube.com/watch?v=B_889oBKkNU"


def test_over_long_claim_fails_with_the_reason(session, tmp_path) -> None:
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"@type": "ClaimReview", "url": "https://long.example/1",
                                "claimReviewed": "word " * 1000}), encoding="utf-8")
    summary = import_reviews(session, read_file(path)[0], ratings=RatingMap())
    assert summary.outcomes[0].result == "failed" and "too long" in summary.outcomes[0].reason


# --- the command line -----------------------------------------------------------------------


def test_cli_import_reports_every_outcome(cli_app, tmp_path) -> None:
    empty = tmp_path / "nothing.json"
    empty.write_text('{"@type": "WebPage"}', encoding="utf-8")
    runner = cli_app.test_cli_runner()
    args = ["claimreview", "import", str(DATA / "graph.json"), str(DATA / "feed.jsonld"),
            str(DATA / "page.html"), str(empty)]
    first = runner.invoke(args=args)
    assert first.exit_code == 1, first.output
    lines = first.output.splitlines()
    assert lines[0] == "10 imported, 0 updated, 1 skipped, 4 failed."
    assert "  failed   nothing.json: no ClaimReview found" in lines
    assert any(line.startswith("  failed   page.html: JSON-LD block 3 is not valid JSON") for line in lines)
    assert "  failed   feed.jsonld #8: no review URL (url or @id): it could not be imported idempotently" in lines
    assert "  skipped  feed.jsonld #10: already imported, unchanged (claim bridge-tolls-tripled-last-year)" in lines
    assert any(line.startswith("  imported graph.json #1: 'False' → false (claim bridge-tolls") for line in lines)
    with get_database(cli_app).read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportedReview)) == 10
    second = runner.invoke(args=args[:5])
    assert second.output.splitlines()[0] == "0 imported, 0 updated, 11 skipped, 3 failed."


def test_cli_import_with_a_rating_map(cli_app, tmp_path) -> None:
    ratings = tmp_path / "ratings.json"
    ratings.write_text(json.dumps({"Satire": "false"}), encoding="utf-8")
    result = cli_app.test_cli_runner().invoke(
        args=["claimreview", "import", "--ratings", str(ratings), str(DATA / "feed.jsonld")])
    assert "'Satire' → false" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"Satire": "contested"}), encoding="utf-8")
    refused = cli_app.test_cli_runner().invoke(args=["claimreview", "import", "--ratings", str(bad),
                                                     str(DATA / "feed.jsonld")])
    assert refused.exit_code != 0 and "expected one of" in refused.output


def test_cli_progress_bar_on_a_terminal(cli_app, monkeypatch, capsys) -> None:
    """tqdm draws on standard error when it is a terminal, and stays silent otherwise."""
    from factcheck.claimreview import cli as cr_cli

    calls = []
    real = cr_cli.tqdm

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(cr_cli, "tqdm", spy)
    cli_app.test_cli_runner().invoke(args=["claimreview", "import", str(DATA / "graph.json")])
    assert calls and calls[0]["disable"] is None and calls[0]["total"] == 2 and calls[0]["unit"] == "review"
