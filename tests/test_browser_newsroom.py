"""The newsroom in a real browser: checker enters the killing claim, editor works the queue,
a second checker's stale save meets the conflict page."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from flask import Flask

from factcheck.db import get_database
from factcheck.demo import load_demo
from factcheck.services.users import create_user

from .browser_support import launch_browser, live_server, screenshot
from .browser_support import sign_in as support_sign_in
from .conftest import app_on

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
sign_in = partial(support_sign_in, password=PASSWORD, lands_on=r".*/desk/my-work$")  # everyone lands on their own work


@pytest.fixture
def newsroom(committed_db, db_url) -> Iterator[tuple[Flask, str]]:
    """The demo newsroom and three desk accounts, served on loopback: on SQLite, and on
    PostgreSQL too when the run has one (every table emptied afterwards)."""
    from playwright.sync_api import sync_playwright  # noqa: F401  (skip cleanly if missing)

    app = app_on(committed_db, db_url)
    database = get_database(app)
    with database.transaction() as s:
        load_demo(s)
        create_user(s, email="checker@example.org", password=PASSWORD, role="checker", name="Ayesha Checker")
        create_user(s, email="second@example.org", password=PASSWORD, role="checker", name="Bilal Second")
        create_user(s, email="editor@example.org", password=PASSWORD, role="editor", name="Elena Editor")
    with live_server(app) as url:
        yield app, url


def add_statement(page, speaker: str, kind: str, text: str, stance: str) -> None:
    page.click("text=Add a statement")
    page.fill("#speaker", speaker)
    page.select_option("#speaker_kind", kind)
    page.fill("#text", text)
    page.check(f"input[name=stance][value={stance}]")
    page.fill("#report_url", "https://www.samaa.tv/")
    page.fill("#outlet", "SAMAA Digital")
    page.click("button:has-text('Add statement')")
    page.wait_for_selector(".flash")


def change_status(page, to: str, reason: str) -> None:
    page.select_option("#to", to)
    page.fill("#reason", reason)
    page.click("button:has-text('Change status')")


def test_newsroom_flow(newsroom) -> None:
    from playwright.sync_api import expect, sync_playwright

    _, url = newsroom
    with sync_playwright() as p:
        browser = launch_browser(p)
        checker = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(checker, url, "checker@example.org")

        checker.click("text=New claim")
        checker.fill("#text", "Asim Umar was killed in a joint Afghan-US raid in Musa Qala, Helmand, on 23 September 2019.")
        # While typing, the desk suggests the demo's near-duplicate (progressive JavaScript).
        # (The first search of a freshly started server can take seconds on a loaded machine:
        # what is tested is that the suggestion comes, not how fast.)
        expect(checker.locator("#similar-box")).to_contain_text("Similar claims already exist", timeout=20_000)
        expect(checker.locator("#similar-box")).to_contain_text("leader of Al-Qaeda in the Indian Subcontinent")
        checker.check("input[name=confirm_new]")
        checker.click("button:has-text('Create claim')")
        expect(checker.locator("h1")).to_contain_text("Asim Umar was killed")
        claim_url = checker.url

        add_statement(checker, "National Directorate of Security (NDS)", "government",
                      "Asim Umar has been killed in a joint Afghan-US raid in Helmand.", "asserts")
        add_statement(checker, "Afghan Taliban", "armed_group",
                      "We categorically reject this claim by Kabul officials.", "denies")
        expect(checker.locator(".flags")).to_contain_text("Contested by independent sources")

        change_status(checker, "in_review", "NDS announcement; checking other sources.")
        expect(checker.locator(".flash")).to_contain_text("in review")
        change_status(checker, "contested", "The Taliban categorically reject the NDS account.")
        expect(checker.locator(".claim-head .status")).to_have_text("Contested")

        # A second checker opens the claim now, and will save late.
        second = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(second, url, "second@example.org")
        second.goto(claim_url)

        # The editor sees it in the queue, flagged, and assigns it.
        editor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(editor, url, "editor@example.org")
        editor.goto(f"{url}/editor/queue?contested=1")
        row = editor.locator("tr", has_text="Asim Umar was killed")
        expect(row.locator(".flag-contested")).to_be_visible()
        expect(row.locator(".status")).to_have_text("Contested")
        screenshot(editor, "queue.png")
        row.locator("a").click()
        editor.select_option("#assignee_id", label="Ayesha Checker (checker)")
        editor.select_option("#priority", "3")
        editor.click("button:has-text('Save desk fields')")
        expect(editor.locator(".flash")).to_contain_text("Desk fields saved")
        screenshot(editor, "claim.png")

        # The second checker's save, made against the version they opened, is refused.
        change_status(second, "in_review", "I think we need more checking first.")
        expect(second.locator("#conflict")).to_contain_text("Someone changed this claim")
        expect(second.locator("#reason")).to_have_value("I think we need more checking first.")
        expect(second.locator(".claim-head .status")).to_have_text("Contested")
        # Retrying from the conflict page carries the new version and goes through.
        second.click("button:has-text('Change status')")
        expect(second.locator(".flash")).to_contain_text("in review")

        editor.goto(f"{url}/editor/dashboard")
        expect(editor.locator("svg.chart")).to_have_count(3)
        screenshot(editor, "dashboard.png")
        browser.close()
