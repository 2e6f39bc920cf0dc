"""ClaimReview out: the page markup, the DataFeed, the command line; checked against the
schema.org vocabulary and read back by a real structured-data extractor."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import extruct
import pytest
from sqlalchemy import select

from factcheck.claimreview.export import (
    BEST_RATING, RATING_SCALE, WORST_RATING, claim_review, claim_url, data_feed, has_review,
)
from factcheck.demo import load_demo
from factcheck.models import RESOLVED, Claim, Status
from factcheck.services.claims import link_statement
from factcheck.services.sources import create_report

from .conftest import DESK
from .schemaorg import Vocabulary

ORG = {"org_name": "The Example Desk", "org_url": "https://desk.example/"}
BASE = "https://checks.example/"


@pytest.fixture
def vocabulary(shared_dir) -> Vocabulary:
    return Vocabulary(shared_dir)


@pytest.fixture
def reviewed(readers, session, make) -> Claim:
    """A false claim with a named claimant, an outlet, a dated report and a dated statement."""
    outlet = make.source("Daily Example", kind="media")
    minister = make.source("Minister of Examples", kind="person")
    report = create_report(session, DESK, url="https://daily.example/interview", outlet_id=outlet.id,
                           title="An interview", published_at=datetime(2024, 3, 2, 9, 30, tzinfo=UTC))
    claim = make.claim("Unemployment halved in one year")
    statement = make.statement(minister, "We halved unemployment in a year.", report_id=report.id,
                               said_on=date(2024, 3, 1), kind="quote")
    link_statement(session, claim, statement, DESK, stance="asserts")
    readers.move(claim, "in_review")
    readers.move(claim, "false", reason="Official statistics show a fall of 4%, not half.")
    return readers.publish(claim)


def test_claim_review_has_every_property(reviewed) -> None:
    review = claim_review(reviewed, base_url=BASE, **ORG)
    verdict = reviewed.history[-1]
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checks.example/claims/{reviewed.slug}",
        "claimReviewed": "Unemployment halved in one year",
        "datePublished": max(reviewed.published_at, verdict.at).isoformat(timespec="seconds"),
        "author": {"@type": "Organization", "name": "The Example Desk", "url": "https://desk.example/"},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                         "alternateName": "False"},
        "reviewBody": "Official statistics show a fall of 4%, not half.",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "Minister of Examples"},
            "appearance": [{
                "@type": "CreativeWork", "url": "https://daily.example/interview", "name": "An interview",
                "datePublished": "2024-03-02T09:30:00+00:00",
                "publisher": {"@type": "NewsMediaOrganization", "name": "Daily Example"},
            }],
            "datePublished": "2024-03-01",
        },
    }


def test_rating_scale_covers_the_verdicts_only() -> None:
    assert set(RATING_SCALE) == RESOLVED
    assert (WORST_RATING, BEST_RATING) == (1, 5)
    assert RATING_SCALE[Status.FALSE] < RATING_SCALE[Status.MISLEADING] < RATING_SCALE[Status.UNPROVEN] \
        < RATING_SCALE[Status.CONFIRMED]


def test_only_published_resolved_claims_have_a_review(readers) -> None:
    for path in ([], ["in_review"], ["in_review", "contested"]):
        claim = readers.claim(path=path)
        assert not has_review(claim)
        with pytest.raises(ValueError, match="not published and resolved"):
            claim_review(claim, base_url=BASE, **ORG)
    draft = readers.claim(path=["in_review", "false"], published=False)
    assert not has_review(draft)
    assert has_review(readers.claim(path=["in_review", "false"]))


def test_anonymous_claimant_is_named_by_descriptor_only(readers) -> None:
    claim = readers.claim("An anonymous claim", ["in_review", "unproven"], speaker=readers.sealed_source())
    review = claim_review(claim, base_url=BASE, **ORG)
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Official in the ministry"}
    assert "Sealed" not in json.dumps(review)


def test_data_feed_lists_every_published_verdict(readers, session) -> None:
    false = readers.claim("Feed: false", ["in_review", "false"])
    confirmed = readers.claim("Feed: confirmed", ["in_review", "confirmed"])
    readers.claim("Feed: contested", ["in_review", "contested"])
    readers.claim("Feed: draft", ["in_review", "misleading"], published=False)
    feed = data_feed(session, base_url=BASE, **ORG)
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    items = feed["dataFeedElement"]
    assert [i["claimReviewed"] for i in items] == ["Feed: confirmed", "Feed: false"]
    assert all(i["@type"] == "ClaimReview" and "@context" not in i for i in items)
    assert items[1] == {k: v for k, v in claim_review(false, base_url=BASE, **ORG).items() if k != "@context"}
    assert feed["dateModified"] == max(i["datePublished"] for i in items)
    assert confirmed.slug in items[0]["url"]


def test_empty_data_feed(session) -> None:
    feed = data_feed(session, base_url=BASE, **ORG)
    assert feed["dataFeedElement"] == [] and "dateModified" not in feed


def test_claim_url_matches_the_route(app) -> None:
    with app.test_request_context():
        from flask import url_for

        assert claim_url("http://localhost/", "a-b") == url_for("public.claim", slug="a-b", _external=True)


def test_every_term_fits_the_schemaorg_vocabulary(vocabulary, reviewed, readers, session) -> None:
    readers.claim("Confirmed, no report", ["in_review", "confirmed"])
    readers.claim("Document-sourced", ["in_review", "misleading"], speaker=readers.make.source(kind="document"))
    readers.claim("Government-sourced", ["in_review", "unproven"], speaker=readers.make.source(kind="government"))
    review = claim_review(reviewed, base_url=BASE, **ORG)
    feed = data_feed(session, base_url=BASE, **ORG)
    assert vocabulary.problems(review) == []
    assert vocabulary.problems(feed) == []
    used = vocabulary.terms_used(feed)
    assert {"ClaimReview", "claimReviewed", "reviewRating", "ratingValue", "bestRating", "worstRating",
            "alternateName", "itemReviewed", "Claim", "appearance", "datePublished", "author", "url",
            "Organization", "Person", "GovernmentOrganization", "NewsMediaOrganization", "DataFeed",
            "dataFeedElement", "reviewBody", "publisher"} <= used


def test_the_checker_itself_catches_misfits(vocabulary) -> None:
    """The vocabulary check can fail: wrong domain, unknown term, wrong range."""
    bad = {"@type": "ClaimReview", "ratingValue": 3, "claimReviewd": "typo", "datePublished": "yesterday",
           "reviewRating": {"@type": "Person", "name": "x"}, "itemReviewed": {"@type": "Klaim"}}
    problems = "\n".join(vocabulary.problems(bad))
    assert "ratingValue is not a property of ClaimReview" in problems
    assert "'claimReviewd' is not a schema.org property" in problems
    assert "'yesterday' is not in the range" in problems
    assert "a Person is not in the range" in problems
    assert "'Klaim' is not a schema.org class" in problems


def test_extruct_finds_the_claim_review_on_the_page(client, reviewed) -> None:
    url = f"https://factcheck.example.org/claims/{reviewed.slug}"
    html = client.get(url).get_data(as_text=True)
    data = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)
    reviews = [item for item in data["json-ld"] if item.get("@type") == "ClaimReview"]
    assert len(reviews) == 1
    assert reviews[0] == claim_review(reviewed, base_url="https://factcheck.example.org/",
                                      org_name="factcheck newsroom", org_url="https://factcheck.example.org/")


def test_demo_confirmed_claim_has_a_review_on_its_page(client, session) -> None:
    load_demo(session)
    claim = session.scalar(select(Claim).where(Claim.status == Status.CONFIRMED))
    html = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    data = extruct.extract(html, syntaxes=["json-ld"])
    assert [d["reviewRating"]["alternateName"] for d in data["json-ld"]] == ["Confirmed"]


def test_cli_export_to_a_file_and_to_stdout(cli_app, tmp_path) -> None:
    from factcheck.db import get_database

    with get_database(cli_app).transaction() as session:
        load_demo(session)
    runner = cli_app.test_cli_runner()
    out = tmp_path / "claimreview.json"
    result = runner.invoke(args=["claimreview", "export", "-o", str(out), "--base-url", "https://checks.example"])
    assert result.exit_code == 0, result.output
    assert "Exported 1 ClaimReview" in result.output
    feed = json.loads(out.read_text(encoding="utf-8"))
    assert feed["@type"] == "DataFeed" and len(feed["dataFeedElement"]) == 1
    assert feed["dataFeedElement"][0]["url"].startswith("https://checks.example/claims/zawahiri")
    stdout = runner.invoke(args=["claimreview", "export"])
    assert stdout.exit_code == 0
    assert json.loads(stdout.output)["dataFeedElement"][0]["url"].startswith("https://factcheck.example.org/claims/")
