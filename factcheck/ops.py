"""Operations endpoints: what load balancers and benchmarks poll.

``/healthz`` answers ``ok`` (200, text) while the application can serve, and 503 with
``Retry-After`` and a JSON body naming what is down (``{"status": "unavailable", "database":
"unreachable", "detail": …}``) while the database cannot be reached or is too busy to answer
(``factcheck.outage``): a load balancer takes the process out of rotation, and back once the
database answers again. The database is asked with a ``SELECT 1`` on the process's own
connection (``factcheck.direct``) at most once a second, and a request that met an outage
meanwhile has already told it: a load balancer asking many times a second costs no more than
the framework itself, which is why the benchmarks still use it as their baseline ("badge
requests/s ÷ ``ok`` requests/s") — it goes through exactly the same application, hooks and
server set-up as every other route.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from .outage import RETRY_AFTER, database_health

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and serving requests, and its database answers."""
    outage = database_health()
    if outage is None:
        return Response("ok", mimetype="text/plain")
    reply = jsonify(outage.as_health())
    reply.status_code = 503
    reply.headers["Retry-After"] = str(RETRY_AFTER)
    reply.headers["Cache-Control"] = "no-store"
    return reply
