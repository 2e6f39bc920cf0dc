"""Evidence files in a real browser: a checker attaches a PDF on a claim page and sees it listed
(name, type, size, SHA-256, who, when), a file that is no evidence is refused with the words
typed kept, the file downloads as a file, an editor on a phone-sized screen makes it public,
and a reader then finds it on the public claim page. Screenshots at 1280 and 390 px wide."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import partial

import pytest
from flask import Flask
from sqlalchemy import select

from config import TestingConfig
from factcheck import create_app
from factcheck.db import get_database
from factcheck.demo import load_demo
from factcheck.migrate import upgrade
from factcheck.models import Claim
from factcheck.services.users import create_user

from .browser_support import SCREENSHOTS, launch_browser, live_server, screenshot
from .browser_support import sign_in as support_sign_in
from .test_attachments import HTML_AS_PDF, PDF

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
sign_in = partial(support_sign_in, password=PASSWORD, lands_on=r".*/desk/.*")  # the desk's first page


@pytest.fixture
def newsroom(tmp_path) -> Iterator[tuple[Flask, str, Claim]]:
    from playwright.sync_api import sync_playwright  # noqa: F401  (skip cleanly if missing)

    app = create_app(TestingConfig(f"sqlite:///{tmp_path / 'browser.sqlite3'}"))
    app.config["STORAGE_DIR"] = str(tmp_path / "files")
    database = get_database(app)
    upgrade(database.engine)
    with database.transaction() as s:
        load_demo(s)
        create_user(s, email="checker@example.org", password=PASSWORD, role="checker", name="Ayesha Checker")
        create_user(s, email="editor@example.org", password=PASSWORD, role="editor", name="Elena Editor")
        claim = s.scalars(select(Claim).where(Claim.published_at.is_not(None)).order_by(Claim.id)).first()
        assert claim is not None, "the demo has a published claim"
        s.expunge(claim)
    with live_server(app) as url:
        yield app, url, claim
    database.engine.dispose()


def section_shot(locator, name: str) -> None:
    """A screenshot of one part of the page (the evidence files), beside the full page's."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(SCREENSHOTS / name))


def attach(page, name: str, data: bytes, mime: str, description: str) -> None:
    page.click("summary:has-text('Attach a file')")
    page.set_input_files("#attachment-file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.fill("#attachment-description", description)
    page.click("#attachments button:has-text('Attach')")


def test_a_file_attached_on_the_claim_page_is_listed_downloaded_and_made_public(newsroom) -> None:
    from playwright.sync_api import expect, sync_playwright

    _app, url, claim = newsroom
    sha = hashlib.sha256(PDF).hexdigest()
    with sync_playwright() as p:
        browser = launch_browser(p)
        desk = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
        sign_in(desk, url, "checker@example.org")
        desk.goto(f"{url}/desk/claims/{claim.id}")

        # A page of HTML named .pdf: refused, the words typed kept, the form open again.
        attach(desk, "ministry-memo.pdf", HTML_AS_PDF, "application/pdf", "The ministry's memo, as sent to us")
        expect(desk.locator("body")).to_contain_text("is not a kind of file kept as evidence")
        expect(desk.locator("#attachment-description")).to_have_value("The ministry's memo, as sent to us")
        expect(desk.locator("#attachments details")).to_have_attribute("open", "")
        screenshot(desk, "attachment-refused-1280.png")
        section_shot(desk.locator("#attachments"), "attachment-refused-1280-section.png")

        # The real PDF: attached, listed with what the desk needs to know.
        desk.set_input_files("#attachment-file", files=[{"name": "ministry-memo.pdf", "mimeType": "application/pdf",
                                                         "buffer": PDF}])
        desk.click("#attachments button:has-text('Attach')")
        expect(desk.locator(".flash")).to_contain_text("Evidence file ministry-memo.pdf attached")
        item = desk.locator("#attachments li").first
        expect(item).to_contain_text("ministry-memo.pdf")
        expect(item).to_contain_text(f"PDF · {len(PDF)} bytes")
        expect(item).to_contain_text(sha)
        expect(item).to_contain_text("Added by Ayesha Checker")
        expect(item).to_contain_text("desk only")
        expect(item).to_contain_text("The ministry's memo, as sent to us")
        item.scroll_into_view_if_needed()
        screenshot(desk, "attachment-listed-1280.png")
        section_shot(desk.locator("#attachments"), "attachment-listed-1280-section.png")

        with desk.expect_download() as caught:
            item.locator("a[download]").click()
        download = caught.value
        assert download.suggested_filename == "ministry-memo.pdf"
        with open(download.path(), "rb") as fh:
            assert fh.read() == PDF

        # An editor, on a phone-sized screen, makes it public.
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        sign_in(phone, url, "editor@example.org")
        phone.goto(f"{url}/desk/claims/{claim.id}")
        phone.click("#attachments button:has-text('Make public')")
        expect(phone.locator(".flash")).to_contain_text("ministry-memo.pdf is public")
        expect(phone.locator("#attachments li").first).to_contain_text("made public by Elena Editor")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the desk page scrolls sideways at 390 px ({width} px wide)"
        phone.locator("#attachments").scroll_into_view_if_needed()
        screenshot(phone, "attachment-public-390.png")
        section_shot(phone.locator("#attachments"), "attachment-public-390-section.png")

        # A reader finds it on the public page.
        reader = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        reader.goto(f"{url}/claims/{claim.slug}")
        files = reader.locator("#evidence-files")
        expect(files).to_contain_text("ministry-memo.pdf")
        expect(files).to_contain_text("The ministry's memo, as sent to us")
        width = reader.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the public page scrolls sideways at 390 px ({width} px wide)"
        screenshot(reader, "attachment-reader-390.png")
        section_shot(files, "attachment-reader-390-section.png")
        browser.close()
