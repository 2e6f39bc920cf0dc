"""The front cache: readers see a public change at once, not after max-age.

Behind the documented nginx cache a badge may be served for max-age plus
stale-while-revalidate (90 s) after its claim changed. So each public change (a ``public``
outbox row) also queues a ``cache`` row, and the worker then

- asks every configured nginx (``FRONT_CACHE_REFRESH``) for the claim's badge, embed card and
  page with ``X-Factcheck-Refresh: 1`` and the public host name: nginx passes the request to
  the application (``proxy_cache_bypass``, honoured only from the worker's address, see
  deploy/nginx.conf.example) and stores the new answer in place of the old one;
- calls a CDN's purge hook (``FRONT_CACHE_PURGE_URL``, a URL template — ``{url}`` the public
  URL, ``{quoted_url}`` the same percent-encoded for a query string, ``{path}``, ``{slug}`` —
  with its method and one header) for each of those addresses.

A refresh is idempotent: a failed one is simply tried again (the outbox's backoff).

The address rule (``services.addresses``: public addresses only) is for addresses the tracker
reaches on someone's say-so — a webhook an admin typed, a link being archived. These are not:
the fronts and the purge hook are named by whoever runs the server, in its configuration, and
the fronts are its own nginx servers, usually on loopback or the private network, which the
rule would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from sqlalchemy.orm import Session

from ..models import OutboxEvent
from . import outbox
from .webhooks import HttpRequest

#: What a public change alters, per claim: the badge, the embed card, the page.
PATHS = ("/badge/{slug}.svg", "/embed/{slug}", "/claims/{slug}")
REFRESH_HEADER = "X-Factcheck-Refresh"


@dataclass(frozen=True)
class FrontCache:
    """The front-cache settings (``config.Config``: ``FRONT_CACHE_*``, ``PUBLIC_BASE_URL``)."""

    public_base_url: str
    refresh: tuple[str, ...] = ()
    purge_url: str = ""
    purge_method: str = "PURGE"
    purge_header: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> FrontCache:
        fronts = config.get("FRONT_CACHE_REFRESH") or ()
        if isinstance(fronts, str):
            fronts = fronts.split()
        return cls((config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/"), tuple(fronts),
                   (config.get("FRONT_CACHE_PURGE_URL") or "").strip(),
                   (config.get("FRONT_CACHE_PURGE_METHOD") or "PURGE").strip().upper(),
                   (config.get("FRONT_CACHE_PURGE_HEADER") or "").strip())

    @property
    def configured(self) -> bool:
        return bool(self.refresh or self.purge_url)


def queue_refresh(session: Session, row: OutboxEvent, settings: FrontCache) -> OutboxEvent | None:
    """A ``cache`` row for the public change ``row``, when a front cache is configured."""
    slug = row.payload.get("slug")
    if not settings.configured or not slug:
        return None
    return outbox.enqueue(session, "cache", row.event, {"slug": slug, "claim_id": row.claim_id},
                          claim_id=row.claim_id)


def requests_for(slug: str, settings: FrontCache) -> list[HttpRequest]:
    """Every request that refreshes the claim ``slug`` in the front caches: each path through
    each nginx, then the purge hook for each path."""
    public = urlsplit(settings.public_base_url)
    host = public.hostname or "localhost"
    prefix = public.path.rstrip("/")
    paths = [prefix + p.format(slug=quote(slug, safe="")) for p in PATHS]
    out = []
    for front in settings.refresh:
        parts = urlsplit(front if "://" in front else f"http://{front}")
        scheme = parts.scheme.lower()
        port = parts.port or (443 if scheme == "https" else 80)
        for path in paths:
            # The public host name (the cache key nginx files the reader's copy under, and the
            # name on its certificate), sent to this front's own address.
            out.append(HttpRequest("GET", scheme, host, port, path, {REFRESH_HEADER: "1"},
                                   address=parts.hostname or "127.0.0.1", host_header=public.netloc or host))
    if settings.purge_url:
        headers = {}
        if ":" in settings.purge_header:
            name, value = settings.purge_header.split(":", 1)
            headers[name.strip()] = value.strip()
        for path in paths:
            public_url = f"{public.scheme}://{public.netloc}{path}"
            target = urlsplit(settings.purge_url.format(url=public_url, quoted_url=quote(public_url, safe=""),
                                                        path=path, slug=quote(slug, safe="")))
            scheme = target.scheme.lower()
            out.append(HttpRequest(settings.purge_method, scheme, target.hostname or "",
                                   target.port or (443 if scheme == "https" else 80),
                                   (target.path or "/") + (f"?{target.query}" if target.query else ""), headers))
    return out
