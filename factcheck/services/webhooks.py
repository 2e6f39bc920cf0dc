"""Outgoing webhooks: what an admin registers, the address rule, which events each hook
receives, and the signed JSON body it is sent.

A hook receives JSON events about what readers see (``EVENTS``), each POSTed with
``X-Factcheck-Signature: sha256=<hex HMAC-SHA256 of the body with the hook's secret>``. The
secret is shown once, when the hook is registered; it is kept (the body has to be signed with
it) and never shown again. Each public change is one event (``public_history._add`` writes it
to the outbox); the worker fans it out into one ``webhook`` outbox row per subscribed hook
(``fan_out``), delivered and retried on its own, each attempt a ``WebhookDelivery``.

A hook's address (``check_url``) is checked when the hook is registered and again before each
delivery, to the addresses the host name resolves to *then* — the connection goes to the
address that was checked (``services.delivery``), so a name that later resolves elsewhere
(DNS rebinding) reaches nothing it should not. Which addresses may be reached is the tracker's
one address rule, ``services.addresses`` (the archiver's fetcher obeys the same).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..models import STATUS_LABELS, OutboxEvent, PublicEntry, Role, Status, Webhook, WebhookDelivery, utcnow
from . import addresses, audit, outbox
from .actor import Actor
from .lookup import get_or_not_found
from .validation import clean_text

#: The events a hook may subscribe to, in the order the admin page lists them.
EVENTS: dict[str, str] = {
    "claim.published": "A claim is published (or published again)",
    "claim.status": "The status readers see changes",
    "claim.correction": "A correction: a verdict readers saw reopened or replaced, or a wording they read changed",
    "claim.wording": "The wording of a published claim changes",
    "claim.withdrawn": "A statement readers saw no longer counts for a claim",
    "claim.unpublished": "A claim is taken off the site",
}
#: The public history's kinds (``public.<kind>`` outbox events) as webhook events. Any of them
#: that is a correction also goes to hooks subscribed to ``claim.correction``.
KIND_EVENTS = {
    "published": "claim.published",
    "status": "claim.status",
    "wording": "claim.wording",
    "withdrawn": "claim.withdrawn",
    "unpublished": "claim.unpublished",
}
SIGNATURE_HEADER = "X-Factcheck-Signature"
MAX_URL_LENGTH = 2000
#: Marks the string as one of our secrets (as ``fct_`` marks API tokens).
SECRET_PREFIX = "whsec_"

Resolver = addresses.Resolver


@dataclass(frozen=True)
class Target:
    """A webhook address that passed ``check_url``."""

    url: str
    scheme: str
    host: str
    port: int
    #: Path and query, as sent in the request line.
    path: str
    #: The addresses the host resolved to, each checked; the delivery connects to the first.
    #: Empty where private addresses are allowed and the name is left to the connection.
    addresses: tuple[str, ...] = ()

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def check_url(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> Target:
    """The one check of a webhook's address, at registration and before every delivery.

    An absolute ``http`` or ``https`` URL with a host, no user name or password, no fragment,
    no spaces, at most 2,000 characters. Unless ``allow_private`` (development, tests), the
    host must resolve, and every address it resolves to must be one the address rule
    (``services.addresses``) lets the tracker reach: no loopback, private, link-local,
    multicast, unspecified or reserved address (IPv4-mapped IPv6 included).
    """
    url = clean_text(url, "url", max_length=MAX_URL_LENGTH)

    def refuse(why: str) -> ValidationError:
        return ValidationError(f"Webhook address: {why}", {"url": why})

    if any(c.isspace() for c in url):
        raise refuse("it contains a space; check the address you pasted.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise refuse("it is not a valid web address (check the port and brackets).") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise refuse(f"use an address starting with https:// (or http://), not {parts.scheme or 'no scheme'}.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise refuse("it has no host name (an address like https://hooks.example.org/factcheck).")
    if parts.username is not None or parts.password is not None:
        raise refuse("put no user name or password in the address; the signature authenticates each event.")
    if parts.fragment or url.endswith("#"):
        raise refuse("an address with a #fragment cannot be delivered to; remove it.")
    scheme = parts.scheme.lower()
    port = port or (443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if allow_private:
        return Target(url, scheme, host, port, path)
    found: list[str] = []
    if addresses.literal(host) is None:
        # Resolved here first, to tell a name that does not resolve from one that is refused.
        try:
            found = list((resolver or addresses.resolve)(host, port))
        except (OSError, UnicodeError, ValueError):
            found = []
        if not found:
            raise refuse(f"the host name {host} does not resolve to any address; check it.")
    try:
        checked = addresses.checked_addresses(host, port, resolver=lambda _host, _port: found)
    except addresses.AddressRefused as refused:
        raise refuse(f"{refused}; a webhook must point at a public address.") from None
    return Target(url, scheme, host, port, path, tuple(checked))


def _events(chosen: Iterable[str]) -> list[str]:
    chosen = [str(e).strip() for e in chosen if str(e).strip()]
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        raise ValidationError(f"Events: {', '.join(unknown)[:200]} is not an event we send; choose from the list.",
                              {"events": "unknown event"})
    if not chosen:
        raise ValidationError("Events: choose at least one event to send.", {"events": "choose at least one"})
    return [e for e in EVENTS if e in chosen]


def register(session: Session, actor: Actor, *, url: str, events: Iterable[str], allow_private: bool,
             resolver: Resolver | None = None) -> tuple[Webhook, str]:
    """Register a hook; returns it and its secret, which is shown once and never again."""
    actor.require(Role.ADMIN, "register webhooks")
    target = check_url(url, allow_private=allow_private, resolver=resolver)
    chosen = _events(events)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    hook = Webhook(url=target.url, secret=secret, events=chosen, active=True, created_by_id=actor.user_id,
                   created_at=utcnow())
    session.add(hook)
    session.flush()
    audit.record(session, "webhook.create", actor=actor, subject_type="webhook", subject_id=hook.id,
                 detail=f"{hook.url} ({', '.join(chosen)})",
                 changes={"url": [None, hook.url], "events": [None, chosen], "active": [None, True]})
    return hook, secret


def get_webhook(session: Session, webhook_id: int) -> Webhook:
    return get_or_not_found(session, Webhook, webhook_id, "webhook")


def deactivate(session: Session, hook: Webhook, actor: Actor) -> bool:
    """Stop sending to ``hook`` (its history stays; events not yet sent are dropped when their
    turn comes). False, and nothing written, if it was already inactive."""
    actor.require(Role.ADMIN, "deactivate webhooks")
    if not hook.active:
        return False
    hook.active = False
    session.flush()
    audit.record(session, "webhook.deactivate", actor=actor, subject_type="webhook", subject_id=hook.id,
                 detail=hook.url, changes={"active": [True, False]})
    return True


def send_failed_again(session: Session, hook: Webhook, actor: Actor) -> int:
    """Queue again every event ``hook`` was given up on (after its last retry): the receiver is
    back. Returns how many; refused when there are none or the hook is inactive."""
    actor.require(Role.ADMIN, "send webhook events again")
    if not hook.active:
        raise ValidationError("This webhook is deactivated: register it again to send it events.")
    rows = list(session.scalars(select(OutboxEvent).where(
        OutboxEvent.webhook_id == hook.id, OutboxEvent.failed_at.is_not(None), OutboxEvent.delivered_at.is_(None))))
    if not rows:
        raise ValidationError("No event to this webhook has failed for good: nothing to send again.")
    now = utcnow()
    session.execute(update(OutboxEvent).where(OutboxEvent.id.in_([r.id for r in rows]))
                    .values(failed_at=None, attempts=0, next_attempt_at=now))
    session.flush()
    audit.record(session, "webhook.send_again", actor=actor, subject_type="webhook", subject_id=hook.id,
                 detail=f"{len(rows)} failed event{'s' if len(rows) != 1 else ''} queued again for {hook.url}")
    return len(rows)


def deliveries(session: Session, hook: Webhook, *, before: int | None = None,
               limit: int = 50) -> list[tuple[WebhookDelivery, str]]:
    """The hook's delivery attempts with their events, newest first (``before``: an attempt's
    id, for the next page)."""
    stmt = (select(WebhookDelivery, OutboxEvent.event)
            .outerjoin(OutboxEvent, OutboxEvent.id == WebhookDelivery.outbox_id)
            .where(WebhookDelivery.webhook_id == hook.id))
    if before:
        stmt = stmt.where(WebhookDelivery.id < before)
    return [(attempt, event or "") for attempt, event in session.execute(
        stmt.order_by(WebhookDelivery.id.desc()).limit(limit))]


def waiting(session: Session, hook: Webhook) -> tuple[int, int]:
    """How many of the hook's events are waiting to be sent, and how many were given up on."""
    rows = session.execute(select(OutboxEvent.failed_at).where(
        OutboxEvent.webhook_id == hook.id, OutboxEvent.delivered_at.is_(None))).all()
    failed = sum(1 for (at,) in rows if at is not None)
    return len(rows) - failed, failed


def subscribed(hook: Webhook, event: str, correction: bool) -> bool:
    return event in hook.events or (correction and "claim.correction" in hook.events)


def event_body(row: OutboxEvent, entry: PublicEntry | None, base_url: str) -> dict[str, Any]:
    """The JSON a hook receives for the public change ``row`` (a ``public`` outbox row): what
    readers saw happen, in public words only."""
    payload = row.payload
    kind = payload.get("kind") or row.event.removeprefix("public.")
    status = payload.get("status")
    slug = payload.get("slug")
    claim: dict[str, Any] = {
        "id": payload.get("claim_id"), "slug": slug, "status": status,
        "status_label": STATUS_LABELS.get(Status(status)) if status in Status._value2member_map_ else status,
        "url": f"{base_url}/claims/{slug}", "badge": f"{base_url}/badge/{slug}.svg",
    }
    body: dict[str, Any] = {
        "id": str(row.id), "event": KIND_EVENTS.get(kind, f"claim.{kind}"),
        "occurred_at": (entry.at if entry is not None else row.created_at).isoformat(),
        "correction": bool(payload.get("correction")), "claim": claim,
    }
    if entry is not None:
        if entry.previous_status is not None:
            body["previous_status"] = entry.previous_status.value
        if entry.replaced_verdict is not None:
            body["replaced_verdict"] = entry.replaced_verdict.value
        if entry.text is not None:
            claim["text"] = entry.text
        if entry.previous_text is not None:
            body["previous_text"] = entry.previous_text
        if entry.reason:
            body["reason"] = entry.reason
    return body


def fan_out(session: Session, row: OutboxEvent, base_url: str) -> list[OutboxEvent]:
    """One ``webhook`` outbox row per active hook subscribed to the public change ``row``, its
    body fixed now (every retry sends the same bytes, so receivers can recognise a repeat by
    its ``id``). A hook hears of what happens once it is registered, not of changes made before
    that and still waiting for the worker (a worker that was stopped, the demo's history)."""
    kind = row.event.removeprefix("public.")
    event = KIND_EVENTS.get(kind, f"claim.{kind}")
    correction = bool(row.payload.get("correction"))
    hooks = [h for h in session.scalars(select(Webhook).where(Webhook.active, Webhook.created_at <= row.created_at)
                                        .order_by(Webhook.id))
             if subscribed(h, event, correction)]
    if not hooks:
        return []
    entry_id = row.payload.get("entry_id")
    entry = session.get(PublicEntry, entry_id) if entry_id else None
    body = event_body(row, entry, base_url)
    return [outbox.enqueue(session, "webhook", event, body, claim_id=row.claim_id, webhook_id=hook.id)
            for hook in hooks]


def encode(body: dict[str, Any]) -> bytes:
    """The exact bytes sent (and signed)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the body with the hook's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class HttpRequest:
    """One outgoing request (a webhook event, a front-cache refresh or purge)."""

    method: str
    scheme: str
    #: The host name: the ``Host`` header, and the name the TLS certificate must carry.
    host: str
    port: int
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    #: Connect to this address rather than resolving ``host`` again: the address ``check_url``
    #: checked, or a front cache's own address.
    address: str | None = None
    #: The ``Host`` header, where it is not ``host`` and ``port`` (a front cache is asked for
    #: the public host name, as readers ask for it, on its own port).
    host_header: str | None = None


@dataclass(frozen=True)
class HttpAnswer:
    status: int | None
    error: str
    duration_ms: int


def send(request: HttpRequest, timeout: float) -> HttpAnswer:
    """Send ``request`` once: no redirect followed, no retry (the outbox retries), at most
    ``timeout`` seconds to connect and as long to answer; the answer's body is not kept."""
    import time

    import urllib3

    started = time.monotonic()
    kwargs: dict[str, Any] = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False,
                              "maxsize": 1}
    address = request.address or request.host
    if request.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            address, request.port, server_hostname=request.host, assert_hostname=request.host,
            cert_reqs="CERT_REQUIRED", **kwargs)
    else:
        pool = urllib3.HTTPConnectionPool(address, request.port, **kwargs)
    default = 443 if request.scheme == "https" else 80
    host = f"[{request.host}]" if ":" in request.host else request.host
    headers = {"Host": request.host_header or (host if request.port == default else f"{host}:{request.port}"),
               "User-Agent": "factcheck-delivery", **request.headers}
    try:
        response = pool.urlopen(request.method, request.path, body=request.body, headers=headers,
                                redirect=False, preload_content=False, assert_same_host=False)
        try:
            response.read(64 * 1024, decode_content=False)
        finally:
            response.release_conn()
        status, error = response.status, ""
        if 300 <= status < 400:
            error = f"answered {status}, a redirect to {response.headers.get('Location', '?')[:300]} (not followed)"
        elif status >= 400:
            error = f"answered {status} {response.reason or ''}".rstrip()
    except urllib3.exceptions.HTTPError as failure:
        status, error = None, _reason(failure)
    except OSError as failure:
        status, error = None, str(failure) or type(failure).__name__
    finally:
        pool.close()
    return HttpAnswer(status, error[:2000], int((time.monotonic() - started) * 1000))


def _reason(failure: Exception) -> str:
    """The words of a urllib3 failure, without the pool's own wrapping."""
    reason = getattr(failure, "reason", None) or failure
    text = str(reason)
    if "timed out" in text.lower():
        return "no answer in time (timed out)"
    if "refused" in text.lower():
        return "connection refused (nothing listening)"
    return text or type(failure).__name__
