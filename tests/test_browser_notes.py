"""A mention reaching its target's inbox, and the unread count, in a real browser (Chromium).

Ayesha notes "@[Bilal Second] look at this" on a claim; Bilal signs in and lands on his work
page, sees the unread count in the header, finds the mention in his inbox and among his
mentions, opens the claim (the count drops), and marks a second mention read from the inbox
(the count goes). At 1280 and 390 px wide; nothing scrolls sideways at 390. Screenshots of
each step are kept (``browser_support.SCREENSHOTS``) for a person to look at.
"""

from __future__ import annotations

import re
from functools import partial

import pytest

from .browser_support import launch_browser, screenshot
from .browser_support import no_sideways_scroll, sign_in as support_sign_in
from .test_browser_newsroom import PASSWORD, newsroom  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


sign_in = partial(support_sign_in, password=PASSWORD, lands_on=r".*/desk/my-work$")


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_a_mention_reaches_the_inbox_and_the_count_drops(newsroom, width, height) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    _, url = newsroom
    with sync_playwright() as p:
        browser = launch_browser(p)
        ayesha = browser.new_context(viewport={"width": width, "height": height}).new_page()
        sign_in(ayesha, url, "checker@example.org")
        ayesha.goto(f"{url}/desk/claims/1")
        ayesha.fill("#note-body", "@[Bilal Second] look at this: https://www.samaa.tv/news/ (the Taliban denial)")
        ayesha.click("button:has-text('Add note')")
        expect(ayesha.locator(".flash")).to_contain_text("Note added. 1 person was told.")
        note = ayesha.locator(".notes-thread li").last
        expect(note.locator("strong.mention")).to_have_text("@Bilal Second")
        expect(note.locator("a[rel='noopener noreferrer nofollow']")).to_have_attribute("href", "https://www.samaa.tv/news/")
        no_sideways_scroll(ayesha, width)
        screenshot(ayesha, f"notes-{width}-claim-with-note.png")

        bilal = browser.new_context(viewport={"width": width, "height": height}).new_page()
        sign_in(bilal, url, "second@example.org")  # lands on "my work"
        expect(bilal.locator("header .unread-count")).to_have_text(re.compile(r"^1\s*unread$"))
        inbox = bilal.locator("#inbox")
        expect(inbox).to_contain_text("Mentioned you")
        expect(inbox).to_contain_text("Ayesha Checker mentioned you: @Bilal Second look at this")
        expect(bilal.locator("#mentions")).to_contain_text("look at this")
        no_sideways_scroll(bilal, width)
        screenshot(bilal, f"notes-{width}-my-work-unread.png")

        # Opening the claim reads the mention: the count drops on that very page.
        inbox.locator("a", has_text="Asim Umar").first.click()
        bilal.wait_for_url(re.compile(r".*/desk/claims/1#notes$"))
        expect(bilal.locator("header .unread-count")).to_have_count(0)
        expect(bilal.locator("#notes")).to_contain_text("You watch this claim (you were mentioned)")
        screenshot(bilal, f"notes-{width}-claim-read.png")
        bilal.click("header a.my-work")
        expect(bilal.locator("#inbox")).to_contain_text("Nothing unread.")

        # A second mention, marked read from the inbox itself.
        ayesha.fill("#note-body", "@[Bilal Second] and the NDS statement too")
        ayesha.click("button:has-text('Add note')")
        expect(ayesha.locator(".flash")).to_contain_text("1 person was told")
        bilal.reload()
        expect(bilal.locator("header .unread-count")).to_have_text(re.compile(r"^1\s*unread$"))
        bilal.locator("#inbox button:has-text('Mark read')").click()
        expect(bilal.locator(".flash")).to_contain_text("Marked as read.")
        expect(bilal.locator("header .unread-count")).to_have_count(0)
        no_sideways_scroll(bilal, width)
        screenshot(bilal, f"notes-{width}-my-work-read.png")
        browser.close()
