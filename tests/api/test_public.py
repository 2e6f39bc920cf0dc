"""What any website may fetch: badges as JSON and the ClaimReview feed."""

from __future__ import annotations

from factcheck import badges
from factcheck.services import Actor
from factcheck.services.status import change_status

from .helpers import assert_problem


def test_badge_of_a_published_claim(client, make, published) -> None:
    claim = published(make.claim("Asim Umar was killed in Musa Qala"))
    response = client.get(f"/api/v1/claims/{claim.slug}/badge")
    assert response.status_code == 200
    body = response.get_json()
    assert body == badges.badge_data(claim, url=f"https://factcheck.example.org/claims/{claim.slug}")
    assert response.headers["ETag"] == badges.etag(claim)
    # Cached and shared exactly like the SVG badge of the reader pages.
    svg = client.get(f"/badge/{claim.slug}.svg")
    assert response.headers["Cache-Control"] == svg.headers["Cache-Control"]
    assert response.headers["Cache-Control"].startswith("public, max-age=")
    assert "stale-while-revalidate=" in response.headers["Cache-Control"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get(f"/api/v1/claims/{claim.slug}/badge", headers={"If-None-Match": badges.etag(claim)})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == badges.etag(claim)
    assert again.headers["Cache-Control"].startswith("public")


def test_badge_changes_with_the_status(client, session, make, published) -> None:
    claim = published(make.claim("It happened"))
    before = client.get(f"/api/v1/claims/{claim.slug}/badge")
    change_status(session, claim, "in_review", "Checking", Actor.system("test"), claim.version)
    session.flush()
    after = client.get(f"/api/v1/claims/{claim.slug}/badge", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["status"] == "in_review"


def test_badge_of_an_unpublished_or_unknown_claim_is_404(client, make, checker) -> None:
    claim = make.claim("Not yet")
    assert_problem(client.get(f"/api/v1/claims/{claim.slug}/badge"), 404)
    assert_problem(client.get(f"/api/v1/claims/{claim.slug}/badge", headers=checker), 404)
    assert_problem(client.get("/api/v1/claims/no-such-claim/badge"), 404)
    assert_problem(client.get("/api/v1/claims/Not%20A%20Slug/badge"), 404)


def test_claimreview_feed(client, session, make, published) -> None:
    claim = make.claim("Asim Umar was killed in Musa Qala")
    make.link(claim, make.source("NDS", kind="government"), "asserts")
    make.link(claim, make.source("Taliban", kind="armed_group"), "denies")
    change_status(session, claim, "in_review", "Checking", Actor.system("test"), claim.version)
    change_status(session, claim, "false", "Denied and never shown", Actor.system("test"), claim.version)
    published(claim)
    published(make.claim("Unresolved, so no review yet"))
    response = client.get("/api/v1/claimreview")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    feed = response.get_json()
    assert feed["@type"] == "DataFeed"
    urls = [item["url"] for item in feed["dataFeedElement"]]
    assert urls == [f"https://factcheck.example.org/claims/{claim.slug}"]
