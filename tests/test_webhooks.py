"""Outgoing webhooks: registered by an admin (the secret shown once), fed every public change
they subscribed to as signed JSON, retried with backoff, each attempt in the history; an
address that is not http(s), or that points inside the newsroom's network in production, is
refused in words with nothing written — at registration and again before each delivery.

The receiver is an HTTP server each test starts on loopback (pytest-httpserver) and stops.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from werkzeug import Response

from factcheck.db import get_database
from factcheck.errors import ValidationError
from factcheck.jobs import run_deliveries
from factcheck.models import AuditEvent, OutboxEvent, Status, Webhook, WebhookDelivery, utcnow
from factcheck.services import Actor, webhooks
from factcheck.services.claims import set_published
from factcheck.services.delivery import Settings
from factcheck.services.status import change_status


@pytest.fixture
def receiver():
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def deliver(app, now=None) -> int:
    return run_deliveries(get_database(app), Settings.from_config(app.config), now=now)


def admin(make) -> Actor:
    return Actor.of(make.user("admin"))


def published(session, make, text="The ferry resumed crossings in May."):
    claim = make.claim(text)
    set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
    session.flush()
    return claim


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_each_public_change_reaches_the_hooks_subscribed_to_it_signed(app, session, make, receiver) -> None:
    receiver.expect_request("/status", method="POST").respond_with_data("ok")
    receiver.expect_request("/gone", method="POST").respond_with_data("ok")
    actor = admin(make)
    status_hook, secret = webhooks.register(session, actor, url=receiver.url_for("/status"),
                                            events=["claim.status"], allow_private=True)
    webhooks.register(session, actor, url=receiver.url_for("/gone"), events=["claim.unpublished"], allow_private=True)
    claim = published(session, make)
    change_status(session, claim, Status.IN_REVIEW, "Checking the timetable.", Actor.system("test"), claim.version)
    session.flush()

    deliver(app)

    calls = [(request.path, request) for request, _ in receiver.log]
    assert [path for path, _ in calls] == ["/status"], "only the hook subscribed to status changes hears of one"
    request = calls[0][1]
    body = request.get_data()
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert request.headers["X-Factcheck-Signature"] == expected
    assert request.headers["Content-Type"] == "application/json"
    event = json.loads(body)
    assert event["event"] == "claim.status" == request.headers["X-Factcheck-Event"]
    assert event["claim"]["slug"] == claim.slug and event["claim"]["status"] == "in_review"
    assert event["claim"]["url"] == f"https://factcheck.example.org/claims/{claim.slug}"
    assert event["previous_status"] == "unverified" and event["correction"] is False
    assert request.headers["X-Factcheck-Delivery"] == event["id"]
    attempts = session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == status_hook.id)).all()
    assert [(a.attempt, a.status_code, a.error) for a in attempts] == [(1, 200, "")]
    pending = session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.delivered_at.is_(None)))
    assert pending == 0


def test_a_hook_hears_of_what_happens_once_it_is_registered(app, session, make, receiver) -> None:
    """Not of changes made before, still waiting for the worker (a stopped worker, the demo)."""
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    claim = published(session, make)  # the worker has not run yet
    hook, _secret = webhooks.register(session, admin(make), url=receiver.url_for("/hook"),
                                      events=["claim.published", "claim.status"], allow_private=True)
    change_status(session, claim, Status.IN_REVIEW, "Checking the timetable.", Actor.system("test"), claim.version)
    session.flush()
    deliver(app)
    assert [json.loads(request.get_data())["event"] for request, _ in receiver.log] == ["claim.status"]
    assert session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.webhook_id == hook.id)) == 1


def test_a_correction_reaches_hooks_subscribed_to_corrections(app, session, make, receiver) -> None:
    receiver.expect_request("/corrections", method="POST").respond_with_data("ok")
    webhooks.register(session, admin(make), url=receiver.url_for("/corrections"), events=["claim.correction"],
                      allow_private=True)
    claim = published(session, make)
    actor = Actor.system("test")
    change_status(session, claim, Status.IN_REVIEW, "Checking.", actor, claim.version)
    change_status(session, claim, Status.FALSE, "The timetable shows no crossing.", actor, claim.version)
    change_status(session, claim, Status.IN_REVIEW, "A reader sent a ticket.", actor, claim.version)  # reopened
    session.flush()
    deliver(app)
    events = [json.loads(request.get_data()) for request, _ in receiver.log]
    assert [(e["event"], e["correction"], e.get("replaced_verdict")) for e in events] == [
        ("claim.status", True, "false")]


def test_a_receiver_that_fails_is_retried_with_backoff_then_given_up_and_sent_again(
        app, client, session, make, receiver, login_as) -> None:
    app.config.update(OUTBOX_MAX_ATTEMPTS=3, OUTBOX_RETRY_SECONDS=30)
    answers = iter([500, 503, 502, 200])
    receiver.expect_request("/hook", method="POST").respond_with_handler(
        lambda request: Response("no", status=next(answers)))
    hook, _secret = webhooks.register(session, admin(make), url=receiver.url_for("/hook"), events=["claim.published"],
                                      allow_private=True)
    published(session, make)
    session.flush()
    now = utcnow() + timedelta(seconds=1)  # (the clock the worker is given; the rows are due by then)

    deliver(app, now)  # the fan-out, and the first attempt: 500
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.webhook_id == hook.id))
    session.refresh(row)
    assert (row.attempts, row.delivered_at, row.failed_at) == (1, None, None)
    assert row.next_attempt_at == now + timedelta(seconds=30)
    assert deliver(app, now + timedelta(seconds=29)) == 0, "not before its time"
    deliver(app, now + timedelta(seconds=31))  # 503; then twice as long
    session.refresh(row)
    assert row.attempts == 2 and row.next_attempt_at == now + timedelta(seconds=31 + 60)
    deliver(app, now + timedelta(seconds=100))  # 502: the last attempt allowed
    session.refresh(row)
    assert row.failed_at is not None and row.delivered_at is None and "502" in row.last_error
    assert deliver(app, now + timedelta(days=1)) == 0, "given up on: kept, not retried"
    history = session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)
                              .order_by(WebhookDelivery.id)).all()
    assert [(a.attempt, a.status_code) for a in history] == [(1, 500), (2, 503), (3, 502)]

    # The receiver is back: an admin sends the failed event again from the hook's page.
    app.config["WTF_CSRF_ENABLED"] = False
    login_as("admin")
    page = client.get(f"/admin/webhooks/{hook.id}").get_data(as_text=True)
    assert "502" in page and "1 given up on" in page
    response = client.post(f"/admin/webhooks/{hook.id}/send-again")
    assert response.status_code == 302
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "webhook.send_again")) is not None
    deliver(app)
    session.refresh(row)
    assert row.delivered_at is not None and row.failed_at is None
    assert len(receiver.log) == 4


def test_a_receiver_that_is_down_loses_nothing(app, session, make, receiver) -> None:
    port = free_port()  # nothing listens here
    hook, _secret = webhooks.register(session, admin(make), url=f"http://127.0.0.1:{port}/hook",
                                      events=["claim.published"], allow_private=True)
    published(session, make)
    session.flush()
    deliver(app)
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.webhook_id == hook.id))
    session.refresh(row)
    assert row.delivered_at is None and "refused" in row.last_error
    attempt = session.scalar(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
    assert attempt.status_code is None and "refused" in attempt.error


BAD_URLS = [
    ("ftp://hooks.example.org/x", "https://"),
    ("javascript:alert(1)", "https://"),
    ("https://", "no host name"),
    ("https://user:secret@hooks.example.org/x", "no user name or password"),
    ("https://hooks.example.org/x#part", "fragment"),
    ("https://hooks.example.org:99999/x", "not a valid web address"),
    ("https://hooks.example .org/x", "space"),
    ("http://127.0.0.1:8080/x", "loopback"),
    ("http://localhost/x", "loopback"),
    ("http://10.1.2.3/x", "private"),
    ("http://192.168.0.10/x", "private"),
    ("http://169.254.169.254/latest/meta-data", "link-local"),
    ("http://[::1]/x", "loopback"),
    ("http://[::ffff:127.0.0.1]/x", "loopback"),
    ("http://0.0.0.0/x", "unspecified"),
    ("http://100.64.0.1/x", "not public"),
    ("http://240.0.0.1/x", "reserved"),
    ("https://inside.example.org/x", "private"),  # one of its addresses is inside
    ("https://nowhere.example.org/x", "does not resolve"),
]


def fake_dns(host: str, port: int) -> list[str]:
    return {"localhost": ["127.0.0.1", "::1"], "hooks.example.org": ["93.184.215.14"],
            "inside.example.org": ["93.184.215.14", "10.0.0.7"]}.get(host, [])


@pytest.mark.parametrize(("url", "words"), BAD_URLS)
def test_an_address_that_is_not_http_or_not_public_is_refused_in_production(url, words) -> None:
    with pytest.raises(ValidationError) as refused:
        webhooks.check_url(url, allow_private=False, resolver=fake_dns)
    assert words in refused.value.detail
    assert refused.value.detail.startswith("Webhook address: ")


def test_public_addresses_pass_and_private_ones_are_allowed_while_developing() -> None:
    target = webhooks.check_url("https://hooks.example.org/in?x=1", allow_private=False, resolver=fake_dns)
    assert (target.scheme, target.host, target.port, target.path, target.addresses) == (
        "https", "hooks.example.org", 443, "/in?x=1", ("93.184.215.14",))
    assert webhooks.check_url("https://93.184.215.14:8443/", allow_private=False).addresses == ("93.184.215.14",)
    assert webhooks.check_url("http://127.0.0.1:8080/x", allow_private=True).port == 8080
    with pytest.raises(ValidationError):
        webhooks.check_url("ftp://127.0.0.1/x", allow_private=True)


def test_the_address_rule_is_the_trackers_one_rule(monkeypatch) -> None:
    """Webhooks obey services.addresses (the archiver's fetcher obeys it too): no copy of it."""
    from factcheck.services import addresses

    monkeypatch.setattr(addresses, "refused", lambda address: "an address this test forbids"
                        if address == "93.184.215.14" else None)
    with pytest.raises(ValidationError) as refused:
        webhooks.check_url("https://hooks.example.org/x", allow_private=False, resolver=fake_dns)
    assert "hooks.example.org (93.184.215.14) is an address this test forbids" in refused.value.detail
    assert webhooks.check_url("http://10.1.2.3/x", allow_private=False).addresses == ("10.1.2.3",)


def test_the_address_is_checked_again_before_each_delivery(app, session, make, receiver) -> None:
    """A name that resolved to a public address when the hook was registered and resolves to
    a loopback one now (DNS rebinding) gets nothing."""
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    hook, _secret = webhooks.register(session, admin(make), url=f"http://localhost:{receiver.port}/hook",
                                      events=["claim.published"], allow_private=False,
                                      resolver=lambda host, port: ["93.184.215.14"])
    app.config["WEBHOOK_ALLOW_PRIVATE"] = False  # production: localhost now resolves to 127.0.0.1
    published(session, make)
    session.flush()
    deliver(app)
    assert receiver.log == []
    attempt = session.scalar(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
    assert "loopback" in attempt.error and attempt.status_code is None


def test_an_admin_registers_a_hook_and_sees_its_secret_once(app, client, session, login_as) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    login_as("admin")
    response = client.post("/admin/webhooks", data={"url": "https://hooks.example.org/factcheck",
                                                    "events": ["claim.status", "claim.correction"]})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    hook = session.scalar(select(Webhook))
    assert hook.events == ["claim.status", "claim.correction"] and hook.active
    page = response.get_data(as_text=True)
    assert hook.secret in page and "shown this once" in page
    assert hook.secret not in client.get("/admin/webhooks").get_data(as_text=True)
    assert hook.secret not in client.get(f"/admin/webhooks/{hook.id}").get_data(as_text=True)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "webhook.create"))
    assert event.subject_id == hook.id and hook.secret not in json.dumps(event.changes) + event.detail


@pytest.mark.parametrize(("url", "events", "words"), [
    ("http://127.0.0.1:9000/hook", ["claim.status"], "loopback address; a webhook must point at a public address"),
    ("ftp://hooks.example.org/x", ["claim.status"], "use an address starting with https://"),
    ("https://93.184.215.14/hook", [], "choose at least one event"),
    ("https://93.184.215.14/hook", ["claim.deleted"], "not an event we send"),
])
def test_a_refused_hook_is_shown_again_as_typed_with_nothing_written(app, client, session, login_as,
                                                                     url, events, words) -> None:
    app.config.update(WTF_CSRF_ENABLED=False, WEBHOOK_ALLOW_PRIVATE=False)
    login_as("admin")
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post("/admin/webhooks", data={"url": url, "events": events})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert words in page.replace("&#39;", "'")
    assert f'value="{url}"' in page
    for name in set(events) & set(webhooks.EVENTS):
        assert f'value="{name}" checked' in page
    assert session.scalar(select(func.count()).select_from(Webhook)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_a_deactivated_hook_gets_nothing_more(app, client, session, make, receiver, login_as) -> None:
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    hook, _secret = webhooks.register(session, admin(make), url=receiver.url_for("/hook"),
                                      events=["claim.published", "claim.status"], allow_private=True)
    claim = published(session, make)  # queued for it before it was deactivated…
    session.flush()
    app.config["WTF_CSRF_ENABLED"] = False
    login_as("admin")
    assert client.post(f"/admin/webhooks/{hook.id}/deactivate").status_code == 302
    session.refresh(hook)
    assert not hook.active
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "webhook.deactivate")).changes == {
        "active": [True, False]}
    change_status(session, claim, Status.IN_REVIEW, "Checking.", Actor.system("test"), claim.version)
    session.flush()
    deliver(app)
    assert receiver.log == []
    assert session.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.webhook_id == hook.id)) == 0
    refused = client.post(f"/admin/webhooks/{hook.id}/send-again")
    assert refused.status_code == 422 and "deactivated" in refused.get_data(as_text=True)


def test_an_unknown_hook_is_a_404(client, login_as) -> None:
    login_as("admin")
    assert client.get("/admin/webhooks/999999").status_code == 404


# --- Set-ups other tests use (tests/test_audit_coverage.py) ----------------------------------

def registered_hook(session, url: str = "https://hooks.example.org/factcheck") -> Webhook:
    """A hook registered by the system (actor ``test``), as a scenario's own set-up."""
    from factcheck.models import Role

    hook, _secret = webhooks.register(session, Actor(user=None, role=Role.ADMIN, via="test"), url=url,
                                      events=["claim.status"], allow_private=True)
    return hook


def hook_with_a_failed_event(session) -> Webhook:
    """A hook with one event given up on after its last retry."""
    from factcheck.services import outbox

    hook = registered_hook(session)
    row = outbox.enqueue(session, "webhook", "claim.status", {"id": "1"}, webhook_id=hook.id)
    row.attempts, row.failed_at, row.last_error = 30, utcnow(), "answered 503"
    session.flush()
    return hook
