"""The SVG badge and the embed card: accessible, cacheable, and current within max-age."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import pytest

from factcheck.badges import LOOKS, etag
from factcheck.models import Status

SVG = "{http://www.w3.org/2000/svg}"


def test_badge_is_accessible_svg_with_the_status_in_words(client, readers) -> None:
    claim = readers.claim("The dam will open in May", ["in_review", "misleading"])
    response = client.get(f"/badge/{claim.slug}.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-label") == "factcheck: Misleading"
    assert root.find(f"{SVG}title").text == "factcheck: Misleading — The dam will open in May"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["factcheck", "! Misleading"]  # a symbol and the word: never colour alone
    fills = {r.get("fill") for r in root.iter(f"{SVG}rect")}
    assert LOOKS[Status.MISLEADING].colour in fills
    assert int(root.get("height")) == 20 and root.find(f"{SVG}g").get("font-size") == "11"
    assert b"<script" not in response.data and b"href" not in response.data


def test_each_status_has_its_own_colour_and_symbol(client, readers) -> None:
    paths = {Status.IN_REVIEW: ["in_review"], Status.CONTESTED: ["in_review", "contested"],
             Status.CONFIRMED: ["in_review", "confirmed"], Status.FALSE: ["in_review", "false"],
             Status.UNPROVEN: ["in_review", "unproven"], Status.MISLEADING: ["in_review", "misleading"],
             Status.UNVERIFIED: []}
    seen = set()
    for status, path in paths.items():
        claim = readers.claim(f"Claim that is {status.value}", path)
        svg = client.get(f"/badge/{claim.slug}.svg").get_data(as_text=True)
        assert LOOKS[status].colour in svg and f"{LOOKS[status].symbol} {status.label}" in svg
        seen.add((LOOKS[status].colour, LOOKS[status].symbol))
    assert len(seen) == len(Status)


def test_strong_etag_conditional_get_and_cache_control(client, readers, app) -> None:
    claim = readers.claim("The ferry sank", ["in_review"])
    url = f"/badge/{claim.slug}.svg"
    first = client.get(url)
    tag = first.headers["ETag"]
    assert tag == etag(claim) and not tag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=30"
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == tag and again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": f'"other", W/{tag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"b1-0-0"'}).status_code == 200
    assert client.head(url, headers={"If-None-Match": tag}).status_code == 304

    app.config.update(BADGE_MAX_AGE=120, BADGE_STALE_WHILE_REVALIDATE=15)
    assert client.get(url).headers["Cache-Control"] == "public, max-age=120, stale-while-revalidate=15"


def test_a_status_change_gives_a_new_badge_to_a_revalidating_cache(client, readers) -> None:
    claim = readers.claim("The ferry sank on Tuesday", ["in_review"])
    for url in (f"/badge/{claim.slug}.svg", f"/embed/{claim.slug}"):
        old = client.get(url)
        readers.move(claim, "contested" if claim.status == Status.IN_REVIEW else "false")
        new = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert new.status_code == 200 and new.headers["ETag"] != old.headers["ETag"]
        assert claim.status.label in new.get_data(as_text=True)


def test_embed_card_is_a_small_standalone_page(client, readers) -> None:
    claim = readers.claim("The stadium holds 90,000 people", ["in_review", "false"])
    response = client.get(f"/embed/{claim.slug}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "The stadium holds 90,000 people" in html and "<strong>False</strong>" in html
    assert 'class="card status-false"' in html and "Reason for false." in html
    assert f'href="/claims/{claim.slug}" target="_blank" rel="noopener"' in html
    assert 'href="/static/embed.css"' in html
    assert "Newsroom sign-in" not in html and "<form" not in html  # no site chrome, no session
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("status", list(Status))
def test_embed_css_uses_the_badge_colours(status) -> None:
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "factcheck" / "static" / "embed.css").read_text()
    rule = re.search(rf"\.status-{status.value} \{{ border-left-color: (#[0-9a-f]{{6}}); \}}", css)
    assert rule and rule.group(1) == LOOKS[status].colour
