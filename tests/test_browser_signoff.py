"""Review before a verdict is published, in a real browser (Chromium): an editor sets a verdict
on a published claim; readers keep seeing the previous state on the public claim page while it
waits; the editor who set it cannot sign it off; a second editor finds it under "ready to
publish" and approves it; readers see the verdict. At 1280 and 390 px; nothing scrolls
sideways at 390. Screenshots of each step are kept (``browser_support.SCREENSHOTS``)."""

from __future__ import annotations

import re
from functools import partial

import pytest

from factcheck.db import get_database
from factcheck.services import Actor
from factcheck.services.claims import create_claim, set_published
from factcheck.services.status import change_status
from factcheck.services.users import create_user

from .browser_support import launch_browser, screenshot
from .browser_support import no_sideways_scroll, sign_in as support_sign_in
from .test_browser_newsroom import PASSWORD, newsroom  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


sign_in = partial(support_sign_in, password=PASSWORD)

SYSTEM = Actor.system("test")


def reader_sees(browser, url: str, slug: str, width: int, shot: str) -> str:  # type: ignore[no-untyped-def]
    """What an anonymous reader sees as the claim's status on its public page (a fresh browser
    each time: no cookie, no cache)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/claims/{slug}")
    status = " ".join((page.locator("header.verdict .verdict-badge").text_content() or "").split())
    no_sideways_scroll(page, width)
    screenshot(page, shot)
    context.close()
    return status


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_a_verdict_waits_for_sign_off_while_readers_keep_the_old_state(newsroom, width, height) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    app, url = newsroom
    app.config["SIGNOFF_REQUIRED"] = True  # as configured by default (the tests' configuration turns it off)
    database = get_database(app)
    with database.transaction() as session:
        create_user(session, email="second.editor@example.org", password=PASSWORD, role="editor",
                    name="Omar Second Editor")
        claim = create_claim(session, SYSTEM, text="The Kabul dam was breached by the floods on Friday")
        set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
        change_status(session, claim, "in_review", "Checking with the water ministry.", SYSTEM, claim.version)
        claim_id, slug = claim.id, claim.slug

    with sync_playwright() as p:
        browser = launch_browser(p)
        assert "In review" in reader_sees(browser, url, slug, width, f"signoff-{width}-reader-before.png")

        # Elena sets the verdict on the desk: it waits, and she is told why.
        elena = browser.new_context(viewport={"width": width, "height": height}).new_page()
        sign_in(elena, url, "editor@example.org")
        elena.goto(f"{url}/desk/claims/{claim_id}")
        elena.select_option("#to", "false")
        elena.fill("#reason", "The ministry's satellite images show the dam intact.")
        elena.click("button:has-text('Change status')")
        expect(elena.locator(".flash")).to_contain_text(
            "Readers keep seeing in review until another editor signs the verdict off.")
        waiting = elena.locator("section.signoff")
        expect(waiting).to_contain_text("Waiting for sign-off")
        expect(waiting).to_contain_text("Readers see: In review")
        expect(waiting).to_contain_text("Another editor must sign it off.")
        expect(waiting.locator("button:has-text('Sign off')")).to_have_count(0)  # not hers to approve
        no_sideways_scroll(elena, width)
        screenshot(elena, f"signoff-{width}-desk-waiting.png")

        # Readers still see the previous public state.
        status = reader_sees(browser, url, slug, width, f"signoff-{width}-reader-waiting.png")
        assert "In review" in status and "False" not in status

        # A second editor finds it under "ready to publish" and signs it off.
        omar = browser.new_context(viewport={"width": width, "height": height}).new_page()
        sign_in(omar, url, "second.editor@example.org")
        expect(omar.locator("header .unread-count")).to_have_text(re.compile(r"^1\s*unread$"))
        omar.goto(f"{url}/editor/signoffs")
        row = omar.locator("tr", has_text="The Kabul dam was breached")
        expect(row).to_contain_text("False")
        expect(row).to_contain_text("In review")
        expect(row).to_contain_text("Elena Editor")
        no_sideways_scroll(omar, width)
        screenshot(omar, f"signoff-{width}-ready-to-publish.png")
        row.locator("a").click()
        omar.click("button:has-text('Sign off: show it to readers')")
        expect(omar.locator(".flash")).to_contain_text("Signed off: readers now see false.")
        expect(omar.locator("section.signoff")).to_have_count(0)
        omar.goto(f"{url}/editor/signoffs")
        expect(omar.locator("main")).to_contain_text("Nothing waits for sign-off.")

        # Now readers see the verdict.
        status = reader_sees(browser, url, slug, width, f"signoff-{width}-reader-after.png")
        assert "False" in status
        browser.close()
