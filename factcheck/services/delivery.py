"""Delivering the outbox: which row is due, what it takes, and what came of it.

The worker (``factcheck.jobs``) repeats, one row at a time, three short steps, each its own
transaction, none of them open while a mail server or a receiver is being talked to:

1. ``claim_next``: the oldest due row is taken — on PostgreSQL with ``FOR UPDATE SKIP
   LOCKED``, so that two workers never take one row; on SQLite the write lock does the same —
   and leased: its next attempt is pushed ``LEASE`` ahead and its attempts counted, so that no
   other worker takes it while this one delivers it, and a worker that dies mid-way leaves it
   to be taken again once the lease runs out. ``prepare`` reads what the delivery needs (or,
   for a ``public`` row, fans it out into its ``webhook`` and ``cache`` rows and is done).
2. ``perform``: the message is sent, the webhook POSTed, the caches refreshed — no
   transaction open.
3. ``record``: delivered; or tried again after a backoff that doubles with each failure
   (``retry_delay``), up to a maximum, and given up on (kept, with its last error) after the
   last attempt. Each attempt at a webhook is a ``WebhookDelivery``, the hook's history.

A row is delivered at least once: a worker stopped between sending and recording sends it
again after the lease. Webhook receivers tell a repeat by the event's ``id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import OutboxEvent, Webhook, WebhookDelivery, utcnow
from . import frontcache, mail, webhooks

#: How long a taken row is left to the worker that took it: longer than any one delivery can
#: take (a connection and an answer, each bounded by its timeout).
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Settings:
    """What delivery needs of the configuration."""

    smtp: mail.Smtp
    front: frontcache.FrontCache
    base_url: str = ""
    allow_private: bool = False
    timeout: float = 10
    retry_seconds: int = 30
    retry_max_seconds: int = 3600
    max_attempts: int = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        return cls(
            mail.Smtp.from_config(config), frontcache.FrontCache.from_config(config),
            (config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/"),
            bool(config.get("WEBHOOK_ALLOW_PRIVATE")), float(config.get("WEBHOOK_TIMEOUT") or 10),
            int(config.get("OUTBOX_RETRY_SECONDS") or 30), int(config.get("OUTBOX_RETRY_MAX_SECONDS") or 3600),
            max(1, int(config.get("OUTBOX_MAX_ATTEMPTS") or 30)),
        )


@dataclass(frozen=True)
class Outcome:
    """What came of one attempt."""

    ok: bool
    error: str = ""
    status_code: int | None = None
    duration_ms: int = 0
    #: Notifications the attempt e-mailed.
    emailed: tuple[int, ...] = ()


@dataclass(frozen=True)
class Work:
    """What one row's delivery takes, read in the claiming transaction."""

    row_id: int
    channel: str
    mail: mail.Mail | None = None
    webhook: webhooks.HttpRequest | None = None
    webhook_url: str = ""
    requests: tuple[webhooks.HttpRequest, ...] = field(default=())


def retry_delay(attempts: int, settings: Settings) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the base, doubled after each further
    failure, at most the maximum."""
    seconds = settings.retry_seconds * 2 ** min(max(attempts - 1, 0), 30)
    return timedelta(seconds=min(seconds, settings.retry_max_seconds))


def claim_next(session: Session, now: datetime | None = None) -> OutboxEvent | None:
    """Take the oldest row due for delivery and lease it to the caller (see the module)."""
    now = now or utcnow()
    stmt = (select(OutboxEvent)
            .where(OutboxEvent.delivered_at.is_(None), OutboxEvent.failed_at.is_(None),
                   OutboxEvent.next_attempt_at <= now)
            .order_by(OutboxEvent.next_attempt_at, OutboxEvent.id).limit(1))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    row = session.scalars(stmt).first()
    if row is None:
        return None
    row.attempts += 1
    row.next_attempt_at = now + LEASE
    session.flush()
    return row


def _done(row: OutboxEvent, now: datetime, note: str = "") -> None:
    row.delivered_at = now
    row.last_error = note


def prepare(session: Session, row: OutboxEvent, settings: Settings, now: datetime | None = None) -> Work | None:
    """What delivering ``row`` takes; None when it is done already (a fan-out, or nothing left
    to send, which is recorded here)."""
    now = now or utcnow()
    if row.channel == "public":
        webhooks.fan_out(session, row, settings.base_url)
        frontcache.queue_refresh(session, row, settings.front)
        _done(row, now)
    elif row.channel == "email":
        if not settings.smtp.configured:
            _done(row, now, "not sent: no SMTP server is configured (FACTCHECK_SMTP_HOST)")
        else:
            rendered = mail.render(session, row, settings.smtp)
            if isinstance(rendered, str):
                _done(row, now, rendered)
            else:
                return Work(row.id, row.channel, mail=rendered)
    elif row.channel == "webhook":
        hook = session.get(Webhook, row.webhook_id) if row.webhook_id else None
        if hook is None or not hook.active:
            _done(row, now, "not sent: the webhook was deactivated")
        else:
            body = webhooks.encode(row.payload)
            headers = {"Content-Type": "application/json", webhooks.SIGNATURE_HEADER: webhooks.signature(hook.secret, body),
                       "X-Factcheck-Event": row.event, "X-Factcheck-Delivery": str(row.payload.get("id", row.id))}
            request = webhooks.HttpRequest("POST", "", "", 0, "", headers, body)
            return Work(row.id, row.channel, webhook=request, webhook_url=hook.url)
    elif row.channel == "cache":
        slug = row.payload.get("slug") or ""
        return Work(row.id, row.channel, requests=tuple(frontcache.requests_for(slug, settings.front)))
    else:
        row.failed_at = now
        row.last_error = f"unknown channel {row.channel!r}"
    session.flush()
    return None


def perform(work: Work, settings: Settings) -> Outcome:
    """Deliver: no database, no transaction; every failure is an ``Outcome``, never raised."""
    if work.mail is not None:
        try:
            mail.send(work.mail, settings.smtp)
        except Exception as error:  # noqa: BLE001 — any failure is retried, and its words kept
            return Outcome(False, f"{type(error).__name__}: {error}"[:2000])
        return Outcome(True, emailed=work.mail.notification_ids)
    if work.webhook is not None:
        try:  # the address rule again, on what the name resolves to now; the connection goes there
            target = webhooks.check_url(work.webhook_url, allow_private=settings.allow_private)
        except Exception as error:  # noqa: BLE001
            return Outcome(False, getattr(error, "detail", str(error)))
        request = webhooks.HttpRequest("POST", target.scheme, target.host, target.port, target.path,
                                       work.webhook.headers, work.webhook.body,
                                       address=target.addresses[0] if target.addresses else None)
        answer = webhooks.send(request, settings.timeout)
        ok = answer.status is not None and 200 <= answer.status < 300
        return Outcome(ok, answer.error, answer.status, answer.duration_ms)
    errors = []
    for request in work.requests:
        answer = webhooks.send(request, settings.timeout)
        # Any answer but a server error means the cache now holds what the application says
        # (a 404 for a claim taken off the site included).
        if answer.status is None or answer.status >= 500:
            errors.append(f"{request.method} {request.scheme}://{request.address or request.host}:{request.port}"
                          f"{request.path}: {answer.error}")
    return Outcome(not errors, "; ".join(errors)[:2000])


def record(session: Session, row_id: int, outcome: Outcome, settings: Settings, now: datetime | None = None) -> OutboxEvent:
    """Write what came of an attempt at row ``row_id``: delivered, or the next attempt after the
    backoff, or given up on after the last one."""
    now = now or utcnow()
    row = session.get(OutboxEvent, row_id)
    assert row is not None, "an outbox row is never deleted"
    if row.channel == "webhook" and row.webhook_id is not None:
        session.add(WebhookDelivery(webhook_id=row.webhook_id, outbox_id=row.id, attempt=row.attempts, at=now,
                                    status_code=outcome.status_code, error=outcome.error,
                                    duration_ms=outcome.duration_ms))
    if outcome.ok:
        _done(row, now)
        if outcome.emailed:
            mail.mark_emailed(session, outcome.emailed, now)
    else:
        row.last_error = outcome.error or "failed"
        if row.attempts >= settings.max_attempts:
            row.failed_at = now
        else:
            row.next_attempt_at = now + retry_delay(row.attempts, settings)
    session.flush()
    return row
