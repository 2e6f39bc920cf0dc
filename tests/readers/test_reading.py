"""Finding and reading ClaimReview in files, whatever shape and quirks they come in."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from factcheck.claimreview.reading import ReadError, parse_date, read_file
from factcheck.models import SourceKind

DATA = Path(__file__).resolve().parent / "data"


def test_graph_without_context_on_items() -> None:
    items, problems = read_file(DATA / "graph.json")
    assert problems == [] and len(items) == 2
    tolls, buses = items
    assert tolls.origin == "graph.json #1"
    assert tolls.review_url == "https://checkers.example/checks/bridge-tolls"
    assert tolls.claim_text == "Bridge tolls tripled last year."
    assert tolls.publisher == "Checkers Example"
    assert (tolls.rating_name, tolls.rating_value, tolls.best_rating, tolls.worst_rating) == ("False", "1", "5", "1")
    assert tolls.date_published == datetime(2021, 5, 4, tzinfo=UTC)
    assert tolls.claimant.name == "Councillor Example" and tolls.claimant.kind == SourceKind.PERSON
    assert tolls.claim_date == datetime(2021, 4, 30, tzinfo=UTC)
    assert [a.url for a in tolls.appearances] == ["https://news.example/tolls", "https://video.example/tolls"]
    assert tolls.appearances[0].title == "Tolls row"
    assert tolls.raw["x-internal-id"] == 7731  # extra keys kept in the raw record
    # schema:-prefixed keys and type, claimReviewed as a list, author as a bare name.
    assert buses.review_url == "https://checkers.example/checks/bus-lanes"
    assert buses.claim_text == "Bus lanes doubled commute times."
    assert buses.date_published == datetime(2021, 6, 1, 8, 15, tzinfo=UTC)
    assert buses.rating_name == "Mostly true" and buses.rating_value is None
    assert buses.claimant.name == "City Transport Watch"
    assert [a.url for a in buses.appearances] == ["https://social.example/post/1"]


def test_datafeed_with_wrapped_items() -> None:
    items, problems = read_file(DATA / "feed.jsonld")
    assert problems == [] and len(items) == 10
    es, pt = items[0], items[1]
    assert es.rating_name == "Engañoso" and es.claimant.name == "Cadena de WhatsApp"
    assert es.claimant.kind == SourceKind.ORGANISATION
    assert es.date_published == datetime(2020, 2, 1, 14, 30, tzinfo=UTC)
    assert pt.date_published == datetime(2020, 2, 1, 9, 0, tzinfo=UTC)  # +05:30 → UTC
    assert pt.rating_value == "1" and [a.url for a in pt.appearances] == ["https://video.example/vacina"]
    assert items[3].claimant.kind == SourceKind.GOVERNMENT
    assert items[2].date_published is None and items[2].claimant is None
    assert items[7].review_url is None and items[8].claim_text is None


def test_page_with_json_ld_blocks() -> None:
    items, problems = read_file(DATA / "page.html")
    assert len(items) == 1
    assert len(problems) == 1 and problems[0].startswith("JSON-LD block 3 is not valid JSON")
    review = items[0]
    assert review.review_url == "https://pages.example/mayor-bicycles"
    assert review.publisher == "Pages Example"
    assert review.review_body.startswith("No such ban exists; the council voted on a pilot cycle lane")
    assert review.rating_name == "Pants on Fire!"
    assert [a.url for a in review.appearances] == ["https://forum.example/t/123"]
    assert review.date_published == datetime(2022, 9, 10, 8, 0, tzinfo=UTC)


def test_schemaorg_examples(shared_dir) -> None:
    items, problems = read_file(shared_dir / "data" / "claimreview" / "schemaorg-examples.json")
    assert problems == []
    assert [i.review_url for i in items] == [
        "http://www.politifact.com/texas/statements/2014/jul/23/rick-perry/rick-perry-claim-about-3000-homicides-illegal-immi/",
        "http://danbri.org/2017/TODO",
    ]  # the MediaReview is not a ClaimReview
    perry, cairo = items
    assert perry.publisher == "politifact.com"  # no name: the host of its url
    assert perry.claimant.name == "Rich Perry" and perry.appearances == ()
    assert cairo.rating_name == "" and cairo.rating_value is None
    assert [a.url for a in cairo.appearances] == ["https://www.youtube.com/watch?v=B_889oBKkNU"]


@pytest.mark.parametrize("content, message", [
    ("", "neither JSON nor a page with JSON-LD"),
    ("{not json", "not valid JSON"),
    ('{"@type": "WebPage"}', "no ClaimReview found"),
    ("<html><body>No markup</body></html>", "neither JSON nor a page with JSON-LD"),
])
def test_unreadable_files(tmp_path, content, message) -> None:
    path = tmp_path / "input.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReadError, match=message):
        read_file(path)


def test_binary_and_bom(tmp_path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes("\ufeff".encode() + json.dumps({"@type": "ClaimReview", "url": "https://a.example/x"}).encode())
    assert read_file(path)[0][0].review_url == "https://a.example/x"
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(ReadError):
        read_file(binary)


@pytest.mark.parametrize("value, expected", [
    ("2021-05-04", datetime(2021, 5, 4, tzinfo=UTC)),
    ("2021-05-04 13:45", datetime(2021, 5, 4, 13, 45, tzinfo=UTC)),
    ("2021-05-04T13:45:10+02:00", datetime(2021, 5, 4, 11, 45, 10, tzinfo=UTC)),
    ("2021-05-04T13:45:10Z", datetime(2021, 5, 4, 13, 45, 10, tzinfo=UTC)),
    ("2021-05-04T13:45:10.123-03:00", datetime(2021, 5, 4, 16, 45, 10, 123000, tzinfo=UTC)),
    ({"@value": "2021-05-04"}, datetime(2021, 5, 4, tzinfo=UTC)),
    (None, None), ("", None), ("May 4, 2021", None), ("2021-13-40", None), (20210504, None),
])
def test_dates(value, expected) -> None:
    assert parse_date(value) == expected
