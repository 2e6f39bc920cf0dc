"""Archived copies in a real browser (Chromium driven by Playwright).

- A claim whose source changed after it was archived: the claim page shows the note "the
  source changed after we archived it" and the word-level difference (removed words struck
  through, added ones underlined), and the difference page shows it whole.
- A snapshot of a page that carries a script, an image and a style sheet calling back to the
  site they came from: the snapshot page shows the readable text; the raw copy, opened in the
  browser, is a sandboxed document in which the script does not run (no dialog, the page as
  archived, no cookie readable) and nothing loads.

The pages are archived from a loopback site (tests/archive_site.py) reached only through the
exact address the tests allow. Screenshots at 1280 and 390 px; at 390 nothing scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from config import TestingConfig
from factcheck import archive_jobs, create_app
from factcheck.db import get_database
from factcheck.migrate import upgrade
from factcheck.models import ArchivedUrl, Snapshot, utcnow
from factcheck.services import Actor
from factcheck.services.claims import create_claim, link_statement
from factcheck.services.fetch import Policy
from factcheck.services.sources import create_report, create_source, create_statement
from factcheck.services.users import create_user
from factcheck.storage import get_store

from .archive_site import Site, running_site
from .browser_support import SCREENSHOTS, launch_browser, live_server, screenshot
from .browser_support import no_sideways_scroll, sign_in as support_sign_in

pytestmark = pytest.mark.browser


def sign_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    support_sign_in(page, url, "checker@example.org", PASSWORD)
PASSWORD = "correct horse battery staple"
WIDE, NARROW = (1280, 900), (390, 844)
DESK = Actor.system("test")


@dataclass
class Archived:
    app: Flask
    url: str
    site: Site
    claim_id: int
    changed_id: int
    scripted_id: int


def _archive(app: Flask, site: Site) -> None:
    with app.app_context():
        archive_jobs.run_due(get_database(app), app.config, get_store(app), policy=Policy(allow=site.allow))


@pytest.fixture
def archived(tmp_path) -> Iterator[Archived]:
    from playwright.sync_api import sync_playwright  # noqa: F401  (skip cleanly if missing)

    settings = TestingConfig(f"sqlite:///{tmp_path / 'browser.sqlite3'}")
    settings.STORAGE_DIR = str(tmp_path / "files")
    app = create_app(settings)
    database = get_database(app)
    upgrade(database.engine)
    with running_site() as site:
        site.version = 1
        with app.app_context(), database.transaction() as s:
            create_user(s, email="checker@example.org", password=PASSWORD, role="checker", name="Ayesha Checker",
                        actor=DESK)
            claim = create_claim(s, DESK, text="Asim Umar, leader of al-Qaeda in the Indian Subcontinent, was killed "
                                               "in a joint raid in Musa Qala")
            speaker = create_source(s, DESK, name="Afghan intelligence (NDS)", kind="government")
            for path, words in (("/changing", "Umar was killed in a joint raid."),
                                ("/scripted", "The bridge opens in May.")):
                report = create_report(s, DESK, url=site.url(path), title=f"Report at {path}")
                statement = create_statement(s, DESK, speaker_id=speaker.id, text=words, kind="paraphrase",
                                             report_id=report.id)
                link_statement(s, claim, statement, DESK, stance="asserts")
            claim_id = claim.id
        _archive(app, site)
        site.version = 2  # the source is edited after we archived it
        with database.transaction() as s:
            s.execute(update(ArchivedUrl).values(next_check_at=utcnow() - timedelta(seconds=1)))
        _archive(app, site)
        with database.transaction() as s:
            shots = {url: (outcome, shot_id) for url, outcome, shot_id in s.execute(
                select(ArchivedUrl.url, Snapshot.outcome, Snapshot.id).join(Snapshot).order_by(Snapshot.id))}
        assert shots[site.url("/changing")][0] == "changed", shots
        with live_server(app) as url:
            yield Archived(app, url, site, claim_id, shots[site.url("/changing")][1],
                           shots[site.url("/scripted")][1])
    database.engine.dispose()


def test_the_claim_page_shows_that_the_source_changed_with_the_difference(archived: Archived) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        for width, height in (WIDE, NARROW):
            page = browser.new_context(viewport={"width": width, "height": height}).new_page()
            sign_in(page, archived.url)
            page.goto(f"{archived.url}/desk/claims/{archived.claim_id}")
            note = page.locator(".archived-sources .source-changed")
            expect(note).to_be_visible()
            expect(note).to_contain_text("The source changed after we archived it")
            removed, added = note.locator("del", has_text="joint raid"), note.locator("ins", has_text="may have been")
            expect(removed).to_be_visible()
            expect(added).to_be_visible()
            # Struck through and underlined: told apart by more than colour.
            assert "line-through" in removed.evaluate("e => getComputedStyle(e).textDecorationLine")
            assert "underline" in added.evaluate("e => getComputedStyle(e).textDecorationLine")
            note.scroll_into_view_if_needed()
            screenshot(page, f"archive-claim-changed-{width}.png")
            page.locator(".archived-sources").screenshot(path=str(SCREENSHOTS / f"archive-claim-panel-{width}.png"))
            if width == NARROW[0]:
                no_sideways_scroll(page)
            page.click("text=See the whole difference")
            expect(page.locator("h1")).to_have_text("What changed")
            expect(page.locator(".word-diff del", has_text="joint raid")).to_be_visible()
            screenshot(page, f"archive-diff-{width}.png")
            if width == NARROW[0]:
                no_sideways_scroll(page)
            # Every snapshot of the claim's sources, and one report's.
            page.goto(f"{archived.url}/desk/claims/{archived.claim_id}/archive")
            expect(page.locator("table.snapshots")).to_have_count(2)
            expect(page.locator("table.snapshots").first).to_contain_text("first copy")
            screenshot(page, f"archive-claim-snapshots-{width}.png")
            page.click("text=report #1")
            expect(page.locator("h1")).to_have_text("Archived copies of report #1")
            expect(page.locator("table.snapshots tbody tr")).to_have_count(2)
            screenshot(page, f"archive-report-{width}.png")
            if width == NARROW[0]:
                no_sideways_scroll(page)
            page.context.close()
        browser.close()


def test_a_snapshot_is_shown_as_text_and_its_raw_copy_runs_nothing(archived: Archived) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        for width, height in (WIDE, NARROW):
            page = browser.new_context(viewport={"width": width, "height": height}).new_page()
            sign_in(page, archived.url)
            page.goto(f"{archived.url}/desk/snapshots/{archived.scripted_id}")
            expect(page.locator(".snapshot-text")).to_contain_text("would open in May")
            screenshot(page, f"archive-snapshot-{width}.png")
            if width == NARROW[0]:
                no_sideways_scroll(page)
            page.context.close()

        page = browser.new_context(viewport={"width": WIDE[0], "height": WIDE[1]}).new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        sign_in(page, archived.url)
        asked_before = list(archived.site.requests)
        response = page.goto(f"{archived.url}/desk/snapshots/{archived.scripted_id}/raw?inline=1")
        assert response is not None and response.status == 200
        assert response.headers["content-security-policy"].startswith("sandbox; default-src 'none'")
        page.wait_for_timeout(1000)  # (time for a script, an image or a style sheet, were any allowed)
        expect(page.locator("#words")).to_have_text(
            "The minister said the bridge would open in May, according to the transcript published on Tuesday.")
        assert dialogs == []
        assert page.locator("body").get_attribute("data-ran") is None
        # The document has no origin: it cannot read the desk's cookies, nor anything else.
        assert page.evaluate("() => { try { return document.cookie } catch (e) { return 'refused: ' + e.name } }") \
            == "refused: SecurityError"
        # Nothing it names was loaded: no beacon, no image, no style sheet.
        assert archived.site.requests[len(asked_before):] == []
        screenshot(page, "archive-raw-sandboxed-1280.png")
        browser.close()
