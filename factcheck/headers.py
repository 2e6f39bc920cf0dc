"""Security headers on every response.

One policy for the whole site: no inline script or style, nothing loaded from elsewhere, and
no page may be framed. The exceptions are the few addresses made to be embedded in news
sites: the SVG badge, the embed card and the badge as JSON. Those may be framed by any site
and fetched from any origin. They are matched by path, not by view, because they are a
public contract: once pasted into thousands of articles, those addresses can never change.
"""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, request

#: Addresses other sites may frame and fetch: ``/badge/<slug>.svg``, ``/embed/<slug>``,
#: ``/api/v1/claims/<slug>/badge``.
EMBEDDABLE = re.compile(r"^/(?:badge/[^/]+\.svg|embed/[^/]+|api/v1/claims/[^/]+/badge)$")

_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy(*, embeddable: bool) -> str:
    policy = dict(_POLICY)
    if embeddable:
        policy["frame-ancestors"] = "*"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


#: Computed once: the headers are the same for every response of each kind.
STRICT_CSP = content_security_policy(embeddable=False)
EMBED_CSP = content_security_policy(embeddable=True)
HSTS = "max-age=31536000; includeSubDomains"


def is_embeddable(path: str) -> bool:
    return EMBEDDABLE.match(path) is not None


def security_headers(response: Response) -> Response:
    """Add the headers; a view that set its own Content-Security-Policy keeps it."""
    headers = response.headers
    if is_embeddable(request.path):
        headers.setdefault("Content-Security-Policy", EMBED_CSP)
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    else:
        headers.setdefault("Content-Security-Policy", STRICT_CSP)
        # For browsers that predate frame-ancestors.
        headers.setdefault("X-Frame-Options", "DENY")
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if current_app.config.get("ENV_NAME") not in ("development", "testing"):
        headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(security_headers)
