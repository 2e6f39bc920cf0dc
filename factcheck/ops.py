"""Operations endpoints: what load balancers and benchmarks poll.

``/healthz`` answers a constant ``ok`` without touching the database. A load balancer asks it
many times a second, so it must cost no more than the framework itself; for the same reason
it is the baseline the benchmarks divide by ("badge requests/s ÷ ``ok`` requests/s"): it goes
through exactly the same application, hooks and server set-up as every other route.
"""

from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and serving requests."""
    return Response("ok", mimetype="text/plain")
