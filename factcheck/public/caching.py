"""HTTP caching for what other sites embed and feed readers poll.

Badges and embed cards carry a strong ETag derived from the claim's version, which changes
with every write to the claim, so a cache can revalidate with one cheap conditional request
and the database answers it from a single row. ``max-age`` bounds how long a status change
takes to reach embedded badges; ``stale-while-revalidate`` lets a cache in front (nginx, a
CDN) keep answering instantly while it fetches the new version.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, request


def not_modified(etag: str) -> bool:
    """Whether the client already holds the representation tagged ``etag`` (If-None-Match
    uses the weak comparison, RFC 9110 13.1.2)."""
    return request.if_none_match.contains_weak(etag.strip('"'))


def embed_cache_control() -> str:
    config = current_app.config
    return (
        f"public, max-age={int(config['BADGE_MAX_AGE'])}, "
        f"stale-while-revalidate={int(config['BADGE_STALE_WHILE_REVALIDATE'])}"
    )


def conditional(etag: str, cache_control: str, render: Callable[[], Response]) -> Response:
    """304 when the client's copy is current, else ``render()``; both tagged and cacheable.

    ``render`` is only called when needed, so a revalidation costs one row read.
    """
    response = Response(status=304) if not_modified(etag) else render()
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = cache_control
    return response
