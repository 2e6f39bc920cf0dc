"""Security headers: a strict policy everywhere, framing and cross-origin reads only for the
badge, the embed card and the badge JSON."""

from __future__ import annotations

import pytest

from config import TestingConfig
from factcheck import create_app
from factcheck.headers import EMBED_CSP, STRICT_CSP, is_embeddable

STRICT = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def test_the_policy_is_the_one_promised() -> None:
    assert STRICT_CSP == STRICT
    assert EMBED_CSP == STRICT.replace("frame-ancestors 'none'", "frame-ancestors *")
    assert "unsafe-inline" not in STRICT_CSP + EMBED_CSP


@pytest.mark.parametrize("path, embeddable", [
    ("/badge/a-claim.svg", True), ("/embed/a-claim", True), ("/api/v1/claims/a-claim/badge", True),
    ("/badge/a-claim.png", False), ("/badge/a/b.svg", False), ("/embed/a/b", False), ("/embed/", False),
    ("/claims/a-claim", False), ("/api/v1/claims/a-claim", False), ("/api/v1/claims/a/badge/x", False),
    ("/", False), ("/static/app.css", False),
])
def test_which_paths_are_embeddable(path, embeddable) -> None:
    assert is_embeddable(path) is embeddable


def _assert_common(response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_every_page_refuses_framing(client, readers) -> None:
    claim = readers.claim("A claim with headers", ["in_review"])
    for url in ("/", "/claims", f"/claims/{claim.slug}", "/corrections", "/methodology",
                "/feeds/changes.atom", f"/claims/{claim.slug}/feed.atom", "/static/app.css",
                "/claims/missing", "/claims?page=abc", "/login"):
        response = client.get(url)
        assert response.headers["Content-Security-Policy"] == STRICT, url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert "Access-Control-Allow-Origin" not in response.headers, url
        _assert_common(response)


def test_badge_and_embed_may_be_framed_and_fetched_cross_origin(client, readers) -> None:
    claim = readers.claim("An embeddable claim", ["in_review"])
    for url in (f"/badge/{claim.slug}.svg", f"/embed/{claim.slug}"):
        first = client.get(url, headers={"Origin": "https://news.example"})
        revalidated = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert (first.status_code, revalidated.status_code) == (200, 304)
        for response in (first, revalidated):
            assert response.headers["Content-Security-Policy"] == EMBED_CSP, url
            assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
            assert response.headers["Access-Control-Allow-Origin"] == "*"
            assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
            assert "X-Frame-Options" not in response.headers
            _assert_common(response)


def test_hsts_only_outside_development_and_testing(client, db_url) -> None:
    assert "Strict-Transport-Security" not in client.get("/methodology").headers
    config = TestingConfig(db_url)
    config.ENV_NAME = "production"
    production = create_app(config).test_client()
    response = production.get("/static/app.css")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
