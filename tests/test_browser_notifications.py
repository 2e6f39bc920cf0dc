"""Notifications end to end in a real browser (Chromium), delivered by the real job worker.

The application is served as under ``make run``: the web server and, beside it, the job worker
(``huey_consumer factcheck.jobs.huey``, its queue a SQLite file) woken after each commit that
wrote outbox rows. The tests start an SMTP server (aiosmtpd) and a webhook receiver
(pytest-httpserver) on loopback, and stop them.

- A mention reaches its target's inbox (the unread count in the header, the inbox) and their
  e-mail; a person who chose the daily digest gets no message at once, and finds the mention
  in the digest the worker sends; an assignment is e-mailed too, its link opens the claim.
- The unread count goes down as things are read: one marked read from the inbox, one read by
  opening its claim, the rest with "Mark all read".
- An admin registers a webhook in the browser, a status change reaches it signed with the
  secret shown once, and the delivery history shows it.

Screenshots at 1280 and 390 px wide are kept (``browser_support.SCREENSHOTS``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from functools import partial
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message

import pytest
from flask import Flask
from sqlalchemy import select

from config import TestingConfig
from factcheck import create_app, jobs
from factcheck.db import Database, get_database
from factcheck.demo import load_demo
from factcheck.migrate import upgrade
from factcheck.models import OutboxEvent
from factcheck.services.users import create_user

from .browser_support import launch_browser, live_server, screenshot
from .browser_support import no_sideways_scroll, sign_in as support_sign_in
from .worker_support import consumer_environment, running_consumer

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
sign_in = partial(support_sign_in, password=PASSWORD, lands_on=r".*/desk/my-work$")
WIDE, NARROW = (1280, 900), (390, 844)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """What the test's SMTP server accepted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


def wait_for(predicate, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s: {what}")
        time.sleep(0.1)


def text_of(message: Message) -> str:
    return message.get_payload(decode=True).decode()


@dataclass
class Desk:
    app: Flask
    url: str
    database: Database
    mailbox: Mailbox
    worker: subprocess.Popen


@pytest.fixture
def desk(tmp_path, monkeypatch) -> Iterator[Desk]:
    from aiosmtpd.controller import Controller
    from playwright.sync_api import sync_playwright  # noqa: F401  (skip cleanly if missing)

    db_url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    app = create_app(TestingConfig(db_url))
    app.config.update(JOBS_WAKE_WORKER=True)  # as under `make run`
    database = get_database(app)
    upgrade(database.engine)
    with database.transaction() as s:
        load_demo(s)
        create_user(s, email="checker@example.org", password=PASSWORD, role="checker", name="Ayesha Checker")
        create_user(s, email="bilal@example.org", password=PASSWORD, role="checker", name="Bilal Second")
        create_user(s, email="editor@example.org", password=PASSWORD, role="editor", name="Elena Editor")
        create_user(s, email="admin@example.org", password=PASSWORD, role="admin", name="Adam Admin")

    mailbox = Mailbox()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    # The web server's wake-up calls go to the worker's queue (a SQLite file of this test's own).
    queue = {"FACTCHECK_JOBS_FILE": str(tmp_path / "jobs.sqlite3")}
    monkeypatch.setattr(jobs.huey, "storage", jobs.make_huey(queue).storage)
    try:
        with live_server(app) as url:
            environment = consumer_environment(
                db_url, tmp_path, queue, FACTCHECK_ENV="development", FACTCHECK_PUBLIC_BASE_URL=url + "/",
                FACTCHECK_SMTP_HOST="127.0.0.1", FACTCHECK_SMTP_PORT=str(smtp_port), FACTCHECK_SMTP_TLS="none",
                FACTCHECK_MAIL_FROM="desk@example.org")
            # No periodic tasks: only the wake-up call after a commit (and the digest this test
            # enqueues) make the worker deliver.
            with running_consumer(environment, max_delay=0.3) as worker:
                yield Desk(app, url, database, mailbox, worker)
    finally:
        controller.stop()
        database.engine.dispose()


def new_page(browser, size=WIDE):
    return browser.new_context(viewport={"width": size[0], "height": size[1]}).new_page()


def at_both_widths(page, name: str) -> None:
    """Screenshots of the page at 1280 and 390 px wide; nothing scrolls sideways at either."""
    for size in (WIDE, NARROW):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        no_sideways_scroll(page)
        screenshot(page, f"notifications-{size[0]}-{name}.png")
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})


def email_rows(desk: Desk) -> list[OutboxEvent]:
    with desk.database.read_sessions() as s:  # a new read each time: the worker writes meanwhile
        return list(s.scalars(select(OutboxEvent).where(OutboxEvent.channel == "email").order_by(OutboxEvent.id)))


def webhook_delivered(desk: Desk) -> bool:
    with desk.database.read_sessions() as s:
        return s.scalar(select(OutboxEvent.delivered_at).where(OutboxEvent.channel == "webhook")) is not None


def unread_badge(page):
    return page.locator("header .unread-count")


def test_a_mention_reaches_the_inbox_and_the_mail_and_the_count_goes_down_as_it_is_read(desk) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, mailbox = desk.url, desk.mailbox
    with sync_playwright() as p:
        browser = launch_browser(p)

        # Elena keeps the daily digest but wants no e-mail at once.
        elena = new_page(browser)
        sign_in(elena, url, "editor@example.org")
        elena.goto(f"{url}/desk/preferences")
        elena.uncheck("input[name=email_now]")
        elena.click("button:has-text('Save')")
        expect(elena.locator(".flash")).to_contain_text("Your e-mail choices are saved.")

        # Ayesha mentions Bilal and Elena in a note on claim 1.
        ayesha = new_page(browser)
        sign_in(ayesha, url, "checker@example.org")
        ayesha.goto(f"{url}/desk/claims/1")
        ayesha.fill("#note-body", "@[Bilal Second] @[Elena Editor] can you call the NDS press office?")
        started = time.monotonic()
        ayesha.click("button:has-text('Add note')")
        expect(ayesha.locator(".flash")).to_contain_text("2 people were told")
        answered = time.monotonic() - started

        # The worker e-mails Bilal at once; Elena gets nothing now.
        wait_for(lambda: mailbox.to("bilal@example.org"), "the mention's e-mail to Bilal")
        [mention] = mailbox.to("bilal@example.org")
        assert mention["From"] == "desk@example.org"
        assert mention["Subject"].startswith("[factcheck] Ayesha Checker mentioned you: ")
        body = text_of(mention)
        assert "can you call the NDS press office?" in body
        assert f"{url}/desk/claims/1" in body and f"{url}/desk/preferences" in body
        assert answered < 5, "the note was saved without waiting for the mail server"
        wait_for(lambda: all(row.delivered_at for row in email_rows(desk)), "the e-mail recorded as sent", 10)
        rows = email_rows(desk)
        assert [row.notification_id is not None for row in rows] == [True], \
            "one message at once, Bilal's: Elena chose the digest"

        # Elena assigns Bilal claim 2: an urgent notification, e-mailed at once.
        elena.goto(f"{url}/desk/claims/2")
        elena.select_option("#assignee_id", label="Bilal Second (checker)")
        elena.click("button:has-text('Save desk fields')")
        expect(elena.locator(".flash")).to_contain_text("Desk fields saved")
        wait_for(lambda: len(mailbox.to("bilal@example.org")) == 2, "the assignment's e-mail to Bilal")
        assignment = mailbox.to("bilal@example.org")[1]
        assert assignment["Subject"].startswith("[factcheck] Elena Editor assigned you: ")
        assignment_link = re.search(r"http://\S+/desk/claims/\d+", text_of(assignment)).group(0)
        assert assignment_link == f"{url}/desk/claims/2"

        # Bilal signs in: two unread, in the header and in his inbox.
        bilal = new_page(browser)
        sign_in(bilal, url, "bilal@example.org")
        expect(unread_badge(bilal)).to_have_text(re.compile(r"^2\s*unread$"))
        inbox = bilal.locator("#inbox")
        expect(inbox.locator("li.unread")).to_have_count(2)
        expect(inbox).to_contain_text("Ayesha Checker mentioned you: @Bilal Second @Elena Editor can you call")
        expect(inbox).to_contain_text("Elena Editor assigned you")
        at_both_widths(bilal, "inbox-two-unread")

        # One read from the inbox: the count goes down by one.
        inbox.locator("li", has_text="Mentioned you").locator("button:has-text('Mark read')").click()
        expect(bilal.locator(".flash")).to_contain_text("Marked as read.")
        expect(unread_badge(bilal)).to_have_text(re.compile(r"^1\s*unread$"))
        expect(bilal.locator("#inbox li.unread")).to_have_count(1)

        # The assignment's e-mail link opens the claim, which reads it: nothing unread.
        bilal.goto(assignment_link)
        expect(bilal.locator("h1")).to_contain_text("Asim Umar was from Ahmedabad")
        expect(unread_badge(bilal)).to_have_count(0)
        bilal.click("header a.my-work")
        expect(bilal.locator("#inbox")).to_contain_text("Nothing unread.")
        at_both_widths(bilal, "inbox-all-read")

        # Two more mentions; "Mark all read" takes the count away.
        for words in ("the Taliban statement too", "and the SAMAA piece"):
            ayesha.fill("#note-body", f"@[Bilal Second] {words}")
            ayesha.click("button:has-text('Add note')")
            expect(ayesha.locator(".flash")).to_contain_text("1 person was told")
        bilal.reload()
        expect(unread_badge(bilal)).to_have_text(re.compile(r"^2\s*unread$"))
        bilal.click("#inbox button:has-text('Mark all read')")
        expect(bilal.locator(".flash")).to_contain_text("Everything shown is marked as read.")
        expect(unread_badge(bilal)).to_have_count(0)

        # Elena's mention waits for her daily digest, which the worker sends.
        elena.goto(f"{url}/desk/my-work")
        expect(unread_badge(elena)).to_have_text(re.compile(r"^1\s*unread$"))
        assert mailbox.to("editor@example.org") == []
        jobs.digest()  # what the worker's schedule enqueues once a day
        wait_for(lambda: mailbox.to("editor@example.org"), "Elena's digest")
        [digest] = mailbox.to("editor@example.org")
        assert digest["Subject"] == "[factcheck] Your daily digest: 1 unread"
        assert "Ayesha Checker mentioned you: " in text_of(digest)
        assert "can you call the NDS press office?" in text_of(digest)
        wait_for(lambda: len(mailbox.to("bilal@example.org")) == 4, "the two later mentions' e-mails to Bilal")
        browser.close()


def test_an_admin_registers_a_webhook_and_its_history_shows_a_signed_delivery(desk) -> None:
    from playwright.sync_api import expect, sync_playwright
    from pytest_httpserver import HTTPServer

    receiver = HTTPServer(host="127.0.0.1", port=0)  # allowed while developing (`make run`)
    receiver.expect_request("/factcheck", method="POST").respond_with_data("thanks")
    receiver.start()
    try:
        with sync_playwright() as p:
            browser = launch_browser(p)
            adam = new_page(browser)
            sign_in(adam, desk.url, "admin@example.org")
            adam.goto(f"{desk.url}/admin/webhooks")
            expect(adam.locator("main")).to_contain_text("No webhook yet.")
            adam.fill("#hook-url", receiver.url_for("/factcheck"))
            for event in ("claim.published", "claim.correction"):
                adam.uncheck(f"input[name=events][value='{event}']")
            adam.click("button:has-text('Register')")
            secret = adam.locator("code.secret").inner_text().strip()
            assert secret.startswith("whsec_")
            expect(adam.locator("main")).to_contain_text("shown this once")
            at_both_widths(adam, "webhook-registered")

            elena = new_page(browser)
            sign_in(elena, desk.url, "editor@example.org")
            elena.goto(f"{desk.url}/desk/claims/4")
            elena.select_option("#to", "contested")
            elena.fill("#reason", "The group's founding date is disputed by a second source.")
            elena.click("button:has-text('Change status')")
            expect(elena.locator(".flash")).to_contain_text("contested")

            wait_for(lambda: len(receiver.log) == 1, "the status change at the receiver")
            [(request, _)] = receiver.log
            body = request.get_data()
            assert request.headers["X-Factcheck-Signature"] == (
                "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest())
            event = json.loads(body)
            assert (event["event"], event["claim"]["status"], event["previous_status"]) == (
                "claim.status", "contested", "in_review")

            wait_for(lambda: webhook_delivered(desk), "the delivery recorded", 10)
            adam.goto(f"{desk.url}/admin/webhooks")
            assert secret not in adam.content()
            adam.click(f"a:has-text('{receiver.url_for('/factcheck')}')")
            history = adam.locator("table.claims-table tbody tr")
            expect(history).to_have_count(1)
            expect(history).to_contain_text("claim.status")
            expect(history.locator("td").nth(3)).to_have_text("200")
            expect(adam.locator("main")).to_contain_text("0 events waiting")
            at_both_widths(adam, "webhook-history")
            browser.close()
    finally:
        receiver.clear()
        receiver.stop()
