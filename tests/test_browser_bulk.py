"""Bulk work and ClaimReview editing in a real browser, with JavaScript turned off: an editor
ticks claims on two pages of the queue, someone changes one of them meanwhile, the editor
assigns them all in one action; then sets a verdict's ClaimReview details on the claim page.
Screenshots at 1280 and 390 px; at 390 px nothing scrolls sideways."""

from __future__ import annotations

import re
from functools import partial

import pytest
from sqlalchemy import select

from factcheck.db import get_database
from factcheck.models import AuditEvent, Claim, ReviewDetails, User
from factcheck.services import Actor
from factcheck.services.claims import create_claim, update_claim

from .browser_support import launch_browser, screenshot
from .browser_support import no_sideways_scroll, sign_in as support_sign_in
from .test_browser_newsroom import PASSWORD, newsroom  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


sign_in = partial(support_sign_in, password=PASSWORD)
_no_sideways_scroll = partial(no_sideways_scroll, width=390)


def test_bulk_assign_across_two_pages_with_one_claim_changed_meanwhile(newsroom) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    app, url = newsroom
    database = get_database(app)
    with database.transaction() as session:
        actor = Actor.system("test")
        for n in range(60):
            create_claim(session, actor, text=f"Bulk claim {n:02d}: a strike was reported in district {n}",
                         tags=["strikes"])
    with sync_playwright() as p:
        browser = launch_browser(p)
        editor = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False).new_page()
        sign_in(editor, url, "editor@example.org")
        editor.goto(f"{url}/editor/queue?q=strike&sort=age")
        expect(editor.locator(".queue-count")).to_have_text("60 claims match this view.")
        boxes = editor.locator("input[name=pick]")
        expect(boxes).to_have_count(50)
        first_page = [boxes.nth(i).get_attribute("value") for i in (0, 1, 2)]
        for i in (0, 1, 2):
            boxes.nth(i).check()
        editor.click("button.next")
        expect(editor.locator("#selected-count")).to_contain_text("3 selected, 3 of them on other pages")
        boxes = editor.locator("input[name=pick]")
        expect(boxes).to_have_count(10)
        second_page = [boxes.nth(i).get_attribute("value") for i in (0, 1)]
        for i in (0, 1):
            boxes.nth(i).check()
        # Back to the first page: its ticks are still there, and forward again.
        editor.click("button.prev")
        expect(editor.locator("#selected-count")).to_contain_text("5 selected, 2 of them on other pages")
        for value in first_page:
            expect(editor.locator(f"input[name=pick][value='{value}']")).to_be_checked()
        editor.click("button.next")

        # Meanwhile another editor raises the priority of one of the ticked claims.
        changed_id = int(first_page[1].split(":")[0])
        with database.transaction() as session:
            claim = session.get(Claim, changed_id)
            changed_text = claim.text
            update_claim(session, claim, Actor.system("api"), expected_version=claim.version, priority=3)

        editor.check("input[name=action][value=assign]")
        editor.select_option("#bulk-assignee", label="Ayesha Checker")
        editor.click("button:has-text('Apply to the selected claims')")
        result = editor.locator(".bulk-result")
        expect(result).to_contain_text("Assigned 4 claims to Ayesha Checker.")
        expect(result).to_contain_text("Changed by someone else meanwhile — not changed (1)")
        expect(result.locator("ul.meanwhile a")).to_have_text(changed_text)
        screenshot(editor, "queue-bulk-1280.png")

        with database.transaction() as session:
            checker = session.scalar(select(User).where(User.email == "checker@example.org"))
            picked = [int(v.split(":")[0]) for v in first_page + second_page]
            claims = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(picked)))}
            assert sorted(i for i, c in claims.items() if c.assignee_id == checker.id) == sorted(
                i for i in picked if i != changed_id)
            assert claims[changed_id].assignee_id is None and claims[changed_id].priority == 3
            events = session.scalars(select(AuditEvent).where(
                AuditEvent.action == "claim.edit", AuditEvent.subject_id.in_(picked))).all()
            # One event each: the bulk action's, and for the changed claim only the other change.
            assert sorted(e.subject_id for e in events) == sorted(picked)
            assert [e.changes for e in events if e.subject_id == changed_id] == [
                {"priority": [1, 3], "version": [1, 2]}]

        # The same page at 390 px: the table becomes stacked rows, nothing scrolls sideways.
        small = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False).new_page()
        sign_in(small, url, "editor@example.org")
        small.goto(f"{url}/editor/queue?q=strike&sort=age")
        small.locator("input[name=pick]").nth(0).check()
        small.click("button.next")
        expect(small.locator("#selected-count")).to_contain_text("1 selected")
        _no_sideways_scroll(small)
        screenshot(small, "queue-bulk-390.png")
        browser.close()


def test_claimreview_details_on_the_claim_page(newsroom) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    app, url = newsroom
    database = get_database(app)
    with database.transaction() as session:
        claim = session.scalar(select(Claim).where(Claim.slug == "asim-umar-killed-in-musa-qala-raid"))
        claim_id = claim.id
    with sync_playwright() as p:
        browser = launch_browser(p)
        for width in (1280, 390):
            page = browser.new_context(viewport={"width": width, "height": 900},
                                       java_script_enabled=False).new_page()
            sign_in(page, url, "editor@example.org")
            page.goto(f"{url}/desk/claims/{claim_id}")
            page.click("summary:has-text('ClaimReview details')")
            option = page.locator("#claimant-list option").first.get_attribute("value")
            assert re.fullmatch(r".+ · #\d+", option)
            page.fill("#review-claimant", option)
            page.fill("#review-appearance", "ftp://samaa.tv/asim-umar")  # not http(s): refused
            page.fill("#review-explanation", f"Explanation typed at {width} px.")
            page.click("button:has-text('Save ClaimReview details')")
            expect(page.locator(".flash-error")).to_contain_text("Where the claim appeared: must be an absolute")
            expect(page.locator("#review-explanation")).to_have_value(f"Explanation typed at {width} px.")
            expect(page.locator("#review-claimant")).to_have_value(option)
            if width == 390:
                _no_sideways_scroll(page)
                screenshot(page, "claimreview-refused-390.png")
            page.fill("#review-appearance", "https://www.samaa.tv/asim-umar")
            page.click("button:has-text('Save ClaimReview details')")
            expect(page.locator(".flash")).to_contain_text("ClaimReview details saved")
            page.click("summary:has-text('ClaimReview details')")
            expect(page.locator("#review-appearance")).to_have_value("https://www.samaa.tv/asim-umar")
            screenshot(page, f"claimreview-{width}.png")
        with database.transaction() as session:
            details = session.get(ReviewDetails, claim_id)
            assert details.explanation == "Explanation typed at 390 px."
            assert f"{details.claimant.name} · #{details.claimant.id}" == option
        browser.close()
