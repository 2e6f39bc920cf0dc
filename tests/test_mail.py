"""E-mail: the immediate message for what is urgent and the daily digest for the rest, as each
person chose; sent through the SMTP server the configuration names — here one each test
starts on loopback (aiosmtpd) and stops — after the change committed, and never lost while
that server is down.
"""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from factcheck.db import get_database
from factcheck.jobs import queue_and_send_digests, run_deliveries
from factcheck.models import Notification, OutboxEvent, utcnow
from factcheck.services import Actor, inbox, mail
from factcheck.services.delivery import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What the test SMTP server accepted."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"


class SmtpServer:
    def __init__(self, port: int, **options: object) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port, **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[Message]:
        return self.inbox.messages


@pytest.fixture
def smtp(app):
    port = free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TLS="none")
    with SmtpServer(port) as server:
        yield server


def deliver(app, now=None) -> int:
    return run_deliveries(get_database(app), Settings.from_config(app.config), now=now)


def body(message: Message) -> str:
    return message.get_payload(decode=True).decode()


def test_an_urgent_notification_is_emailed_once_it_is_committed(app, session, make, smtp) -> None:
    person = make.user("editor", email="rana@example.org")
    claim = make.claim("The dam was breached on Tuesday.")
    [note] = inbox.notify(session, [person.id], "mention", claim, "Amal mentioned you: can you call the ministry?",
                          actor=Actor.system("test"), urgent=True)
    session.flush()
    assert smtp.messages == [], "nothing is sent by the change itself"

    deliver(app)

    [message] = smtp.messages
    assert message["To"] == "rana@example.org" and message["From"] == "factcheck@example.org"
    assert message["Subject"] == "[factcheck] Amal mentioned you: can you call the ministry?"
    assert message["Auto-Submitted"] == "auto-generated"
    text = body(message)
    assert "The dam was breached on Tuesday." in text
    assert f"https://factcheck.example.org/desk/claims/{claim.id}" in text
    assert "change it at https://factcheck.example.org/desk/preferences" in text
    session.refresh(note)
    assert note.emailed_at is not None
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.notification_id == note.id))
    session.refresh(row)
    assert row.delivered_at is not None and row.last_error == ""
    assert deliver(app) == 0 and len(smtp.messages) == 1, "sent once"


def test_while_the_mail_server_is_down_nothing_is_lost(app, session, make) -> None:
    port = free_port()  # nothing listens here yet
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TLS="none", OUTBOX_RETRY_SECONDS=30)
    person = make.user("editor")
    [note] = inbox.notify(session, [person.id], "signoff", make.claim(), "A verdict waits for your sign-off.",
                          actor=Actor.system("test"), urgent=True)
    session.flush()
    now = utcnow() + timedelta(seconds=1)
    deliver(app, now)
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.notification_id == note.id))
    session.refresh(row)
    assert row.delivered_at is None and row.failed_at is None and row.attempts == 1
    assert "refused" in row.last_error.lower()
    assert row.next_attempt_at == now + timedelta(seconds=30)

    with SmtpServer(port) as server:  # the server is back
        deliver(app, now + timedelta(seconds=31))
        [message] = server.messages
    assert message["Subject"] == "[factcheck] A verdict waits for your sign-off."
    session.refresh(row)
    assert row.delivered_at is not None and row.attempts == 2


def test_each_person_chooses(app, session, make, smtp) -> None:
    quiet = make.user("editor")
    quiet.email_now = False
    session.flush()
    inbox.notify(session, [quiet.id], "assignment", make.claim(), "You were assigned a claim.",
                 actor=Actor.system("test"), urgent=True)
    session.flush()
    assert session.scalar(select(OutboxEvent).where(OutboxEvent.channel == "email")) is None
    deliver(app)
    assert smtp.messages == []

    # A choice changed after the row was written is honoured when it is sent.
    loud = make.user("editor")
    inbox.notify(session, [loud.id], "assignment", make.claim(), "You were assigned another claim.",
                 actor=Actor.system("test"), urgent=True)
    loud.email_now = False
    session.flush()
    deliver(app)
    assert smtp.messages == []
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.channel == "email"))
    session.refresh(row)
    assert row.delivered_at is not None and "no longer want e-mail at once" in row.last_error


def test_the_daily_digest_lists_what_is_neither_read_nor_emailed(app, session, make, smtp) -> None:
    person = make.user("checker", email="digest@example.org")
    other = make.user("checker")
    other.email_digest = False
    actor = Actor.system("test")
    claim = make.claim("The airport reopened.")
    first, second, read = (inbox.notify(session, [person.id], "change", claim, f"Change {n} on a claim you watch.",
                                        actor=actor)[0] for n in (1, 2, 3))
    read.read_at = utcnow()
    inbox.notify(session, [other.id], "change", claim, "Not for the digest.", actor=actor)
    session.flush()
    database, settings = get_database(app), Settings.from_config(app.config)

    assert queue_and_send_digests(database, settings) == 1
    [message] = smtp.messages
    assert message["To"] == "digest@example.org"
    assert message["Subject"] == "[factcheck] Your daily digest: 2 unread"
    text = body(message)
    assert "Change 1 on a claim you watch." in text and "Change 2 on a claim you watch." in text
    assert "Change 3" not in text
    for note in (first, second):
        session.refresh(note)
        assert note.emailed_at is not None
    assert queue_and_send_digests(database, settings) == 0, "nothing new: no second digest"
    assert len(smtp.messages) == 1


def test_the_digest_leaves_out_what_goes_out_at_once(app, session, make, smtp) -> None:
    person = make.user("editor")
    actor = Actor.system("test")
    inbox.notify(session, [person.id], "mention", make.claim(), "Urgent: you were mentioned.", actor=actor, urgent=True)
    inbox.notify(session, [person.id], "change", make.claim(), "Something changed.", actor=actor)
    session.flush()
    with get_database(app).transaction() as s:
        assert mail.queue_digests(s) == 1
    digest = session.scalar(select(OutboxEvent).where(OutboxEvent.event == "digest"))
    urgent = session.scalar(select(Notification).where(Notification.kind == "mention"))
    assert urgent.id not in digest.payload["notification_ids"] and len(digest.payload["notification_ids"]) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_smtp_login_from_the_configuration_is_used(app, session, make) -> None:
    port = free_port()
    logins = []

    def authenticator(server, session_, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"relay-password", handled=False)

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TLS="none", SMTP_USER="factcheck",
                      SMTP_PASSWORD="wrong")
    person = make.user("editor")
    inbox.notify(session, [person.id], "mention", make.claim(), "You were mentioned.", actor=Actor.system("test"),
                 urgent=True)
    session.flush()
    with SmtpServer(port, authenticator=authenticator, auth_require_tls=False, auth_required=True) as server:
        deliver(app)
        assert server.messages == []
        row = session.scalar(select(OutboxEvent).where(OutboxEvent.channel == "email"))
        session.refresh(row)
        assert "Authentication" in row.last_error and row.delivered_at is None
        app.config["SMTP_PASSWORD"] = "relay-password"
        deliver(app, utcnow() + timedelta(hours=1))
        assert len(server.messages) == 1
    assert set(logins) == {(b"factcheck", b"wrong"), (b"factcheck", b"relay-password")}


def test_without_an_smtp_server_nothing_is_sent_and_it_says_why(app, session, make) -> None:
    app.config["SMTP_HOST"] = ""
    person = make.user("editor")
    inbox.notify(session, [person.id], "mention", make.claim(), "You were mentioned.", actor=Actor.system("test"),
                 urgent=True)
    session.flush()
    deliver(app)
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.channel == "email"))
    session.refresh(row)
    assert row.delivered_at is not None and "no SMTP server is configured" in row.last_error
