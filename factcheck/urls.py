"""Absolute URLs for readers, from the configured public base URL — never from the request.

A client chooses the ``Host`` header it sends; absolute URLs built from it (``url_for(...,
_external=True)``, ``request.url_root``) put that choice into JSON-LD, feeds and API answers
that caches keep (``Host: evil.example`` gave links to evil.example for everyone, for the
cache's lifetime). Here every absolute URL is ``PUBLIC_BASE_URL`` plus the route's path.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask, current_app, url_for


class PublicBaseUrlMissing(RuntimeError):
    """Production without FACTCHECK_PUBLIC_BASE_URL: refuse to start."""


def check_base_url(app: Flask) -> None:
    """The public base URL must be an absolute http(s) address; a production server must have
    one (the command line may go without: only ``claimreview export`` builds public URLs, and
    it says so when it has none)."""
    base = (app.config.get("PUBLIC_BASE_URL") or "").strip()
    if not base:
        serving = os.environ.get("FLASK_RUN_FROM_CLI") != "true"
        if app.config.get("ENV_NAME") == "production" and serving:
            raise PublicBaseUrlMissing(
                "Set FACTCHECK_PUBLIC_BASE_URL to the address readers use (e.g. https://factcheck.example.org/): "
                "absolute links in pages, feeds and the API are built from it, never from the request."
            )
        return
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise PublicBaseUrlMissing(f"FACTCHECK_PUBLIC_BASE_URL must be an http(s) address, not {base!r}.")


def base_url() -> str:
    """The public base URL, without a trailing slash."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").strip()
    if not base:
        raise PublicBaseUrlMissing(
            "No public address is configured: set FACTCHECK_PUBLIC_BASE_URL (or give --base-url)."
        )
    return base.rstrip("/")


def organisation_url() -> str:
    return (current_app.config.get("ORGANISATION_URL") or "").strip() or base_url() + "/"


def public_url(endpoint: str, **values: object) -> str:
    """The absolute public URL of ``endpoint``: the base URL and the route's path."""
    return base_url() + url_for(endpoint, **values)
