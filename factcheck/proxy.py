"""Which address a request comes from, behind the deployment's proxies.

Behind nginx every connection comes from 127.0.0.1; the client's own address is the last
entry nginx appended to ``X-Forwarded-For``. That header is trusted exactly as far as the
deployment says: ``PROXY_HOPS`` (``FACTCHECK_PROXY_HOPS``) proxies, each of which appends one
address. With 0, the default, no forwarded header is believed — a client cannot choose the
address it is throttled and audited under. ``request.remote_addr`` (sign-in throttling, the
API's rate limits, the audit log) and the scheme are then the client's.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

#: Where the application's own WSGI callable is kept once wrapped, so that calling
#: ``init_proxy`` again (a test, a second set-up) re-wraps it instead of stacking wrappers.
_INNER = "factcheck.proxy.inner"


def proxy_hops(value: Any) -> int:
    """``PROXY_HOPS`` as a count of proxies, or a clear error at start-up."""
    try:
        hops = int(str(value).strip())
    except ValueError:
        hops = -1
    if hops < 0:
        raise ValueError(
            f"FACTCHECK_PROXY_HOPS must be the number of proxies in front of the application "
            f"(0 without a proxy, 1 behind the documented nginx), not {value!r}."
        )
    return hops


def init_proxy(app: Flask) -> None:
    """Trust ``X-Forwarded-For`` and ``X-Forwarded-Proto`` from ``PROXY_HOPS`` proxies (never
    ``X-Forwarded-Host``: the host is nginx's ``Host`` header, set by the configuration)."""
    hops = proxy_hops(app.config.get("PROXY_HOPS", 0))
    inner = app.extensions.setdefault(_INNER, app.wsgi_app)
    wrapped = ProxyFix(inner, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0) if hops else inner
    app.wsgi_app = wrapped  # type: ignore[method-assign]
