"""Atom feeds of public status changes: valid Atom, stable entry ids, published claims only."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import feedparser

from factcheck.demo import load_demo

ATOM = "{http://www.w3.org/2005/Atom}"


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return response, feed


def test_site_feed_is_valid_atom_with_every_public_change(client, session) -> None:
    load_demo(session)
    _, feed = _parse(client, "/feeds/changes.atom")
    assert feed.feed.title == "factcheck newsroom: status changes"
    assert feed.feed.id.startswith("urn:uuid:")
    assert any(link.rel == "self" and link.href == "https://factcheck.example.org/feeds/changes.atom" for link in feed.feed.links)
    # 5 demo claims: entered + their moves (2, 2, 2, 1, 2).
    assert len(feed.entries) == 5 + 9
    entry = feed.entries[0]
    for field in ("id", "title", "updated", "link", "content", "tags"):
        assert field in entry, field
    assert entry.link.startswith("https://factcheck.example.org/claims/") and "#change-" in entry.link
    assert entry.content[0].type == "text/plain"
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_entry_ids_are_stable_and_shared_between_feeds(client, readers) -> None:
    claim = readers.claim("The port reopened", ["in_review"])
    _, before = _parse(client, "/feeds/changes.atom")
    ids_before = [e.id for e in before.entries]
    readers.move(claim, "false", reason="Ships are still turned away.")
    _, after = _parse(client, "/feeds/changes.atom")
    assert [e.id for e in after.entries][1:] == ids_before
    assert after.entries[0].title == "Verdict: false — The port reopened"
    assert after.entries[0].content[0].value.startswith("Ships are still turned away.")
    _, own = _parse(client, f"/claims/{claim.slug}/feed.atom")
    assert [e.id for e in own.entries] == [e.id for e in after.entries if claim.slug in e.link]
    assert len(set(e.id for e in after.entries)) == len(after.entries)


def test_claim_feed_shows_corrections(client, readers) -> None:
    claim = readers.claim("The count was final", ["in_review", "confirmed", "in_review"])
    _, feed = _parse(client, f"/claims/{claim.slug}/feed.atom")
    assert feed.feed.title == "factcheck newsroom: The count was final"
    assert [e.title.split(" — ")[0] for e in feed.entries] == [
        "Correction: reopened, confirmed → in review", "Verdict: confirmed", "Now in review",
        "Published as unverified",
    ]
    assert {t.term for t in feed.entries[0].tags} == {"in_review", "correction"}
    assert "Confirmed without an independent source: Editor's reason to confirm." in feed.entries[1].content[0].value
    assert "Evidence: Evidence for confirmed." in feed.entries[1].content[0].value


def test_feeds_leave_out_unpublished_claims(client, readers) -> None:
    readers.claim("Public one", ["in_review"])
    readers.claim("Hidden one", ["in_review"], published=False)
    _, feed = _parse(client, "/feeds/changes.atom")
    assert {e.title.split(" — ")[1] for e in feed.entries} == {"Public one"}


def test_empty_site_feed_is_still_valid(client) -> None:
    response, feed = _parse(client, "/feeds/changes.atom")
    assert feed.entries == []
    assert ET.fromstring(response.data).find(f"{ATOM}updated").text


def test_feeds_are_cacheable_and_revalidate(client, readers, app) -> None:
    claim = readers.claim("Cache me", ["in_review"])
    for url in ("/feeds/changes.atom", f"/claims/{claim.slug}/feed.atom"):
        first = client.get(url)
        assert first.headers["Cache-Control"] == "public, max-age=300"
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    before = client.get("/feeds/changes.atom").headers["ETag"]
    readers.move(claim, "contested")
    assert client.get("/feeds/changes.atom", headers={"If-None-Match": before}).status_code == 200


def test_pages_advertise_their_feeds(client, readers) -> None:
    claim = readers.claim("Advertised", ["in_review"])
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    feed_link = f'title="Status changes of this claim" href="/claims/{claim.slug}/feed.atom"'
    assert f'type="application/atom+xml" {feed_link}' in page
    assert 'href="/feeds/changes.atom"' in client.get("/").get_data(as_text=True)
