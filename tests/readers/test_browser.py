"""The badge and the card embedded in an article served from another origin, in Chromium;
and a reader page that loads without a single Content-Security-Policy complaint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from config import TestingConfig
from factcheck import create_app
from factcheck.badges import LOOKS
from factcheck.db import get_database
from factcheck.demo import load_demo
from factcheck.migrate import upgrade
from factcheck.models import Status

from ..browser_support import launch_browser, live_server, screenshot

pytestmark = pytest.mark.browser

CONTESTED = "asim-umar-killed-in-musa-qala-raid"
CONFIRMED = "zawahiri-announced-aqis-in-september-2014-video"


@pytest.fixture
def site(tmp_path) -> Iterator[str]:
    """The application with the demo, committed to a temporary SQLite file, on a real port."""
    from playwright.sync_api import sync_playwright  # noqa: F401  (skip cleanly if missing)

    app = create_app(TestingConfig(f"sqlite:///{tmp_path / 'readers.sqlite3'}"))
    database = get_database(app)
    upgrade(database.engine)
    with database.transaction() as session:
        load_demo(session)
    with live_server(app) as url:
        yield url
    database.engine.dispose()


def article_site(factcheck_url: str) -> Flask:
    """A news site on another origin that embeds the badge, the card, and (wrongly) a full page."""
    news = Flask("news")

    @news.get("/article")
    def article() -> str:
        return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title></head>
<body style="font-family: sans-serif; margin: 24px; max-width: 760px">
<h1>Al-Qaeda commander reported killed</h1>
<p>Afghan intelligence says Asim Umar died in a raid. Our fact-check:
  <a href="{factcheck_url}/claims/{CONTESTED}"><img id="badge" src="{factcheck_url}/badge/{CONTESTED}.svg"
     alt="factcheck: Contested"></a></p>
<iframe id="card" name="card" src="{factcheck_url}/embed/{CONTESTED}" width="360" height="200"
        title="factcheck card" style="border:0"></iframe>
<iframe id="page" name="page" src="{factcheck_url}/claims/{CONTESTED}" width="360" height="120"></iframe>
</body></html>"""

    return news


def test_badge_and_card_render_on_another_origin(site) -> None:
    from playwright.sync_api import expect, sync_playwright

    with live_server(article_site(site)) as news_url, sync_playwright() as p:
        assert news_url.rsplit(":", 1)[1] != site.rsplit(":", 1)[1]  # two origins
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 820, "height": 640})
        page.goto(f"{news_url}/article")
        badge = page.locator("#badge")
        expect(badge).to_be_visible()
        page.wait_for_function("document.getElementById('badge').complete")
        assert page.evaluate("document.getElementById('badge').naturalWidth") > 50
        assert page.evaluate("document.getElementById('badge').naturalHeight") == 20

        card = page.frame_locator("#card")
        expect(card.locator(".verdict")).to_contain_text("Contested")
        expect(card.locator(".claim")).to_contain_text("Asim Umar, leader of Al-Qaeda")
        expect(card.locator("a")).to_have_attribute("target", "_blank")
        # embed.css loaded inside the frame (the CSP allows our own stylesheet): status colour.
        colour = card.locator(".card").evaluate("e => getComputedStyle(e).borderLeftColor")
        r, g, b = (int(LOOKS[Status.CONTESTED].colour[i:i + 2], 16) for i in (1, 3, 5))
        assert colour == f"rgb({r}, {g}, {b})"

        # Any other page refuses to be framed (frame-ancestors 'none').
        framed = page.frame(name="page")
        assert framed is not None
        assert "Asim Umar" not in (framed.evaluate("document.body ? document.body.innerText : ''")
                                   if not framed.url.startswith("chrome-error") else "")
        page.evaluate("document.getElementById('page').remove()")  # keep the picture to what works
        screenshot(page, "embed.png")
        browser.close()


def test_claim_page_loads_without_csp_violations(site) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        complaints: list[str] = []
        page.on("console", lambda m: complaints.append(m.text) if "Content Security Policy" in m.text else None)
        for slug in (CONFIRMED, CONTESTED):
            page.goto(f"{site}/claims/{slug}")
            expect(page.locator("h1")).to_be_visible()
            expect(page.locator(".verdict-badge")).to_be_visible()
            # The stylesheet applied: the verdict box has its status colour on top.
            assert page.locator(".verdict").evaluate("e => getComputedStyle(e).borderTopWidth") == "6px"
        assert page.locator("script[type='application/ld+json']").count() == 0  # contested: no verdict
        screenshot(page, "public-claim.png")
        page.goto(f"{site}/claims/{CONFIRMED}")
        assert page.locator("script[type='application/ld+json']").count() == 1
        for path in ("/claims", "/corrections", "/methodology", "/"):
            page.goto(f"{site}{path}")
        assert complaints == []
        browser.close()
