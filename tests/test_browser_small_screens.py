"""At 390 px wide (a phone), reader pages and the desk are usable with no horizontal scrolling.

Reproduced: at 390 px the header took 300 of 844 px, the methodology table overflowed to
431 px, the desk list was 588 px wide. Also: a skip link, and a visible focus ring on dark
buttons. Screenshots at 390 and 1280 px are kept (FACTCHECK_SCREENSHOTS_DIR) for a person to
look at.
"""

from __future__ import annotations

import pytest

from .browser_support import launch_browser, screenshot
from .test_browser_newsroom import newsroom, sign_in  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

READER_PAGES = ["/", "/claims", "/claims/asim-umar-killed-in-musa-qala-raid", "/corrections", "/methodology",
                "/claims/long-word", "/embed/long-word"]
DESK_PAGES = ["/desk/", "/desk/claims/1", "/desk/claims/new", "/desk/extract", "/desk/sources", "/desk/sources/1",
              "/desk/statements/1", "/editor/queue", "/editor/dashboard"]


LONG_WORD = "https://example.org/" + "a" * 300


def test_no_page_scrolls_sideways_at_390_px(newsroom) -> None:  # noqa: F811
    """Also with a long unbroken string in a published claim (reproduced: it overflowed its card)."""
    from playwright.sync_api import sync_playwright

    from factcheck.db import get_database
    from factcheck.services import Actor
    from factcheck.services.claims import create_claim, link_statement, set_published
    from factcheck.services.sources import create_source, create_statement

    app, url = newsroom
    with get_database(app).transaction() as session:
        actor = Actor.system("test")
        claim = create_claim(session, actor, text=f"A claim with {LONG_WORD} in it", slug="long-word")
        speaker = create_source(session, actor, name="S" * 120, kind="person")
        said = create_statement(session, actor, speaker_id=speaker.id, kind="paraphrase", text=LONG_WORD)
        link_statement(session, claim, said, actor, stance="asserts")
        set_published(session, claim, actor, published=True, expected_version=claim.version)
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        wide = []
        for path in READER_PAGES:
            page.goto(url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append(f"{path}: {width} px")
        page.goto(url + "/")
        header = page.evaluate("document.querySelector('header.site').getBoundingClientRect().height")
        assert header <= 844 / 5, f"the header takes {header} of 844 px"
        sign_in(page, url, "editor@example.org")
        for path in DESK_PAGES:
            page.goto(url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide.append(f"{path}: {width} px")
            screenshot(page, f"390{path.replace('/', '_')}.png")
        assert not wide, "pages wider than the screen: " + ", ".join(wide)
        browser.close()


def test_a_skip_link_and_a_visible_focus_ring(newsroom) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    _, url = newsroom
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, url, "checker@example.org")
        page.goto(url + "/desk/claims/new")
        assert page.evaluate("document.activeElement.id") == "text"  # autofocus on the new claim's words
        page.goto(url + "/desk/claims/1")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        assert page.locator(".skip-link").is_visible()
        button = page.locator("button.primary").first
        button.focus()
        style = page.evaluate("(s => [s.outlineStyle, s.outlineWidth, s.outlineColor])(getComputedStyle(document.activeElement))")
        # Our ring, amber and 3 px wide: seen on the dark blue button (the browser's own thin
        # blue ring disappeared against it).
        assert style == ["solid", "3px", "rgb(242, 169, 0)"], style
        browser.close()
