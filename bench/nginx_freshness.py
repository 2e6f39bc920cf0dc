"""Does a status change reach a badge served from the example nginx cache, within max-age?

The example configuration (deploy/nginx-proxy.conf) keeps cached badges' file descriptors
open (``open_file_cache``), which is what brings the cached badge to the speed of a static
file. This script checks the property that must survive such tuning: after a claim's status
changes, the cached badge is served stale at most until its max-age runs out, then replaced
by the new one in the background, and the old one never comes back.

Usage (from the repository root; needs nginx and takes a little over a minute)::

    python -m bench.nginx_freshness
"""

from __future__ import annotations

import http.client
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from bench.servers import gunicorn, nginx
from factcheck.db import Database, make_engine
from factcheck.demo import load_demo
from factcheck.migrate import upgrade
from factcheck.models import Claim, Status
from factcheck.services import Actor
from factcheck.services.status import change_status

MAX_AGE = 60  # what the application's badge Cache-Control allows


def _get(base: str, path: str) -> tuple[str | None, str | None]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.getheader("X-Cache-Status"), response.getheader("ETag")
    finally:
        connection.close()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="factcheck-fresh-") as folder:
        url = f"sqlite:///{folder}/demo.db"
        database = Database(make_engine(url))
        upgrade(database.engine)
        with database.transaction() as session:
            load_demo(session)
            claim = session.scalars(
                select(Claim).where(Claim.published_at.is_not(None), Claim.status == Status.CONFIRMED)
            ).first()
            assert claim is not None, "the demo has a confirmed, published claim"
            slug = claim.slug
        path = f"/badge/{slug}.svg"
        static = Path(folder, "static")
        static.mkdir()
        with gunicorn(url) as upstream, nginx(upstream, static) as front:
            _get(front, path)
            cached, old = _get(front, path)
            print(f"before: {cached} {old}")
            with database.transaction() as session:
                claim = session.scalars(select(Claim).where(Claim.slug == slug)).one()
                change_status(session, claim, Status.IN_REVIEW, "Reopened to check the cache.",
                              Actor.system("cli"), claim.version)
            changed = time.monotonic()
            seen_new, failures = False, []
            while time.monotonic() - changed < MAX_AGE + 15:
                status, etag = _get(front, path)
                if etag != old:
                    seen_new = True
                elif seen_new:
                    failures.append(f"the old badge came back ({status}) after the new one")
                elif time.monotonic() - changed > MAX_AGE + 5:
                    failures.append(f"still the old badge {time.monotonic() - changed:.0f} s after the change")
                time.sleep(0.5)
            print(f"after: new badge seen: {seen_new}; problems: {failures[:3] or 'none'}")
            return 0 if seen_new and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
