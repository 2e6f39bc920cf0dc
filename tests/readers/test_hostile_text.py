"""A claim full of markup, quotes, right-to-left text and emoji is rendered safely, and
unchanged, everywhere: HTML, SVG, JSON-LD, Atom and JSON."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

import extruct
import feedparser
import pytest

from factcheck.claimreview.export import data_feed

from .test_jsonld import Scripts

HOSTILE = ("</script><script>alert('x')</script> <b onmouseover=\"alert(1)\">bold</b> & &amp; "
           "\"double\" 'single' ]]> <![CDATA[ x ]]> — الحكومة قالت إنه قُتل ‏שלום‎ 🧨👍🏽🇵🇰")
#: The claim text after the services' strip (it has no surrounding space, so it is unchanged).
assert HOSTILE == HOSTILE.strip()


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def _hostile(readers):
    return readers.claim(HOSTILE, ["in_review", "misleading"], speaker=readers.make.source(HOSTILE[:300]))


def test_html_pages(client, readers) -> None:
    claim = _hostile(readers)
    for url in (f"/claims/{claim.slug}", "/claims", "/", f"/embed/{claim.slug}", "/claims?q=double"):
        page = client.get(url).get_data(as_text=True)
        parser = Elements()
        parser.feed(page)
        scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
        assert all(a.get("type") == "application/ld+json" for a in scripts), url
        assert not any(tag == "b" for tag, _ in parser.tags), url
        assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs), url
        assert html.escape(HOSTILE, quote=False) in page.replace("&#34;", '"').replace("&#39;", "'"), url


def test_svg_badge(client, readers) -> None:
    claim = _hostile(readers)
    svg = client.get(f"/badge/{claim.slug}.svg").data
    root = ET.fromstring(svg)  # well-formed XML
    title = root.find("{http://www.w3.org/2000/svg}title").text
    assert title == f"factcheck: Misleading — {HOSTILE}"
    assert not [e for e in root.iter() if e.tag.endswith("script")]


def test_json_ld_on_the_page(client, readers) -> None:
    claim = _hostile(readers)
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    parser = Scripts()
    parser.feed(page)
    assert len(parser.scripts) == 1
    review = json.loads(parser.scripts[0])
    assert review["claimReviewed"] == HOSTILE
    assert review["itemReviewed"]["author"]["name"] == HOSTILE[:300]
    assert "</" not in parser.scripts[0]
    found = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert found[0]["claimReviewed"] == HOSTILE


def test_atom_feeds(client, readers) -> None:
    claim = _hostile(readers)
    for url in ("/feeds/changes.atom", f"/claims/{claim.slug}/feed.atom"):
        body = client.get(url).data
        ET.fromstring(body)
        feed = feedparser.parse(body)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        titles = [e.title for e in feed.entries]
        assert f"Verdict: misleading — {HOSTILE}" in titles
        assert b"<script>" not in body and b"<b " not in body


def test_json_export(readers, session) -> None:
    _hostile(readers)
    feed = data_feed(session, base_url="https://x.example/", org_name="O", org_url="https://o.example/")
    again = json.loads(json.dumps(feed, ensure_ascii=False))
    assert again["dataFeedElement"][0]["claimReviewed"] == HOSTILE


def test_json_api_if_present(client, readers, app) -> None:
    """The API engineer's reader endpoints, once they exist, carry the text unchanged."""
    claim = _hostile(readers)
    rules = {r.rule for r in app.url_map.iter_rules()}
    checked = 0
    if "/api/v1/claims/<slug>/badge" in rules:
        response = client.get(f"/api/v1/claims/{claim.slug}/badge")
        assert response.status_code == 200 and response.is_json
        assert response.get_json()["claim"] == HOSTILE
        checked += 1
    if "/api/v1/claimreview" in rules:
        response = client.get("/api/v1/claimreview")
        assert response.status_code == 200
        assert response.get_json()["dataFeedElement"][0]["claimReviewed"] == HOSTILE
        checked += 1
    if not checked:
        pytest.skip("the JSON API's reader endpoints are not registered yet")


def test_control_characters_never_break_xml(client, readers) -> None:
    """A pasted vertical tab or form feed must not make the feed unreadable."""
    claim = readers.claim("Bell\x07 and form\x0cfeed \x0b inside", ["in_review"])
    body = client.get(f"/claims/{claim.slug}/feed.atom").data
    feed = feedparser.parse(body)
    assert not feed.bozo
    assert any(re.search(r"Bell and formfeed\s+inside", e.title) for e in feed.entries)
