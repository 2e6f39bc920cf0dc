"""Delivery never slows or breaks the request that caused it, and nothing is lost while a
receiver or the mail server is down: the event is written with the change, the request returns
once it has committed, and the worker delivers it afterwards — when the receiver answers.

The receiver (pytest-httpserver) and the SMTP server (aiosmtpd) are started here on loopback.
A receiver that hangs is one that answers only when the test lets it: a request that waited
for it would come back only after that, with the receiver already called — which these tests
refuse.
"""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from huey.storage import MemoryStorage
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Response

from factcheck import jobs
from factcheck.models import OutboxEvent, Status, utcnow
from factcheck.services import Actor, webhooks
from factcheck.services.claims import set_published
from factcheck.services.status import change_status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def worker(app, monkeypatch):
    """A real Huey queue with no consumer running: the test runs the consumer's step itself."""
    monkeypatch.setattr(jobs.huey, "storage", MemoryStorage("factcheck-test"))
    monkeypatch.setattr(jobs, "_app", app)
    app.config.update(JOBS_WAKE_WORKER=True, WTF_CSRF_ENABLED=False)

    def run_queued() -> int:
        ran = 0
        while (task := jobs.huey.dequeue()) is not None:
            jobs.huey.execute(task)
            ran += 1
        return ran

    return run_queued


def _published(session, make, text: str):
    claim = make.claim(text)
    set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
    session.flush()
    return claim


def test_a_status_change_returns_while_the_webhook_receiver_hangs(app, client, session, make, login_as,
                                                                 worker) -> None:
    answer = threading.Event()
    receiver = HTTPServer(host="127.0.0.1", port=0)
    receiver.expect_request("/hook", method="POST").respond_with_handler(
        lambda request: (answer.wait(30), Response("ok"))[1])
    receiver.start()
    try:
        webhooks.register(session, Actor.of(make.user("admin")), url=receiver.url_for("/hook"),
                          events=["claim.status"], allow_private=True)
        claim = _published(session, make, "The bridge collapsed at dawn.")
        login_as("checker")

        response = client.post(f"/desk/claims/{claim.id}/status", data={
            "to": "in_review", "reason": "Checking the footage.", "version": claim.version})
        response.close()

        assert response.status_code == 302
        assert receiver.log == [], "the request did not wait for the receiver"
        session.expire_all()
        assert session.scalar(select(OutboxEvent).where(OutboxEvent.event == "public.status")).delivered_at is None
        # The worker was woken; it sends while the receiver still hangs, and the receiver answers.
        threading.Timer(0.5, answer.set).start()
        assert worker() == 1
        [(request, _)] = receiver.log
        assert request.headers["X-Factcheck-Event"] == "claim.status"
        session.expire_all()
        row = session.scalar(select(OutboxEvent).where(OutboxEvent.channel == "webhook"))
        assert row.delivered_at is not None and row.attempts == 1
    finally:
        answer.set()
        receiver.clear()
        receiver.stop()


class _Mailbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"


def test_a_sign_off_request_is_saved_while_the_mail_server_is_down_and_mailed_when_it_is_back(
        app, client, session, make, login_as, worker) -> None:
    port = free_port()  # the mail server is down: nothing listens here
    app.config.update(SIGNOFF_REQUIRED=True, SMTP_HOST="127.0.0.1", SMTP_PORT=port, OUTBOX_RETRY_SECONDS=30)
    other_editor = make.user("editor", email="second.editor@example.org")
    claim = _published(session, make, "The minister resigned on Friday.")
    change_status(session, claim, Status.IN_REVIEW, "Checking.", Actor.system("test"), claim.version)
    session.flush()
    login_as("editor")

    response = client.post(f"/desk/claims/{claim.id}/status", data={
        "to": "false", "reason": "The minister spoke in parliament on Saturday.", "version": claim.version})
    response.close()

    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    session.expire_all()
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.channel == "email"))
    assert row is not None and row.delivered_at is None, "saved with the change, not yet sent"
    worker()  # the mail server is still down
    session.expire_all()
    row = session.get(OutboxEvent, row.id)
    assert row.delivered_at is None and row.attempts == 1 and "refused" in row.last_error.lower()

    mailbox = _Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()  # the mail server is back
    try:
        jobs.run_deliveries(jobs.get_database(app), jobs.delivery.Settings.from_config(app.config),
                            now=utcnow() + timedelta(seconds=31))
    finally:
        controller.stop()
    [message] = mailbox.messages
    assert message["To"] == other_editor.email and "sign-off" in message["Subject"]
    session.expire_all()
    assert session.get(OutboxEvent, row.id).delivered_at is not None
