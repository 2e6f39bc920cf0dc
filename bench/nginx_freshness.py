"""How soon do readers behind the example nginx cache see a status change — and is the old
badge ever served again?

Behind the cache alone a badge may be served for max-age + stale-while-revalidate (90 s) after
its claim changed. With the outbox's front-cache refresh (factcheck/services/frontcache.py)
the worker asks nginx for the claim's badge, card and page with ``X-Factcheck-Refresh: 1``
(honoured from the worker's address only, deploy/nginx.conf.example) as soon as the change has
committed, and nginx stores the new copy.

This runs the whole production path on loopback: gunicorn with deploy/gunicorn.conf.py, nginx
with the example's cache and locations (deploy/nginx.bench.conf), and the job worker
(``huey_consumer factcheck.jobs.huey``, its queue a SQLite file, or Redis with ``--redis``).
A reader polls the badge through nginx every 50 ms; an editor changes the claim's status
through the API, several times; the script reports how long after each change's response the
new badge was first served, then keeps reading for max-age + stale-while-revalidate + 10 s and
checks that no older badge is ever served again.

Usage (from the repository root; needs nginx; takes about two minutes)::

    python -m bench.nginx_freshness [--changes 5] [--redis redis://127.0.0.1:6379/9] [--no-refresh]

``--no-refresh`` leaves the worker's refresh off: the old behaviour, for comparison (a change
then shows after up to 90 s).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from bench.servers import LOOPBACK, ROOT, gunicorn, nginx, stop
from factcheck.db import Database, make_engine
from factcheck.demo import load_demo
from factcheck.migrate import upgrade
from factcheck.models import Claim, User
from factcheck.services import Actor
from factcheck.services.tokens import create_token
from factcheck.services.users import create_user

PUBLIC_HOST = "factcheck.example.org"
#: Changes made before the timed ones (shown, not counted).
WARM_UP = 2
#: max-age + stale-while-revalidate of the application's badge (config.Config), and a margin.
WATCH_AFTER = 60 + 30 + 10


def _request(base: str, method: str, path: str, *, body: dict | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str | None, str, bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=payload, headers={"Host": PUBLIC_HOST, **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        return response.status, response.getheader("ETag"), response.getheader("X-Cache-Status") or "", data
    finally:
        connection.close()


def _worker(environment: dict[str, str]) -> subprocess.Popen[bytes]:
    consumer = Path(sys.executable).with_name("huey_consumer")
    return subprocess.Popen([str(consumer), "factcheck.jobs.huey", "--workers", "2", "--max-delay", "0.2",
                             "--quiet"], cwd=ROOT, env=environment)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=5, help="status changes to time (default 5)")
    parser.add_argument("--redis", help="a Redis URL for the job queue (emptied database number advised)")
    parser.add_argument("--no-refresh", action="store_true", help="no front-cache refresh (for comparison)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="factcheck-fresh-") as folder:
        url = f"sqlite:///{folder}/demo.db"
        database = Database(make_engine(url))
        upgrade(database.engine)
        with database.transaction() as session:
            load_demo(session)
            editor = create_user(session, email="bench.editor@example.org", password="bench editor password",
                                 role="editor", name="Bench Editor")
            _token, secret = create_token(session, editor, Actor.system("cli"))
            claim = session.scalars(select(Claim).where(Claim.published_at.is_not(None)).order_by(Claim.id)).first()
            assert claim is not None, "the demo has a published claim"
            slug, claim_id, version, status = claim.slug, claim.id, claim.version, claim.status.value
        queue = {"REDIS_URL": options.redis} if options.redis else {"FACTCHECK_JOBS_FILE": f"{folder}/jobs.sqlite3"}
        common = {"FACTCHECK_PUBLIC_BASE_URL": f"https://{PUBLIC_HOST}/", "FACTCHECK_SIGNOFF_REQUIRED": "0", **queue}
        static = Path(folder, "static")
        static.mkdir()
        path = f"/badge/{slug}.svg"
        api = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        with gunicorn(url, env=common) as upstream, nginx(upstream, static) as front:
            environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | common | {
                "DATABASE_URL": url, "FACTCHECK_ENV": "production", "SECRET_KEY": "benchmark-only-secret"}
            if not options.no_refresh:
                environment["FACTCHECK_FRONT_CACHE_REFRESH"] = front
            worker = _worker(environment)
            try:
                # Every gunicorn worker serves each page once before the clock runs (its first
                # request compiles templates and fills caches: a cold start, not the steady state).
                for _ in range(8):
                    for page in (path, f"/embed/{slug}", f"/claims/{slug}"):
                        _request(upstream, "GET", page)
                return _measure(front, path, claim_id, version, status, api, options.changes)
            finally:
                stop(worker, sig=signal.SIGINT)


def _measure(front: str, path: str, claim_id: int, version: int, status: str, api: dict[str, str],
             changes: int) -> int:
    _request(front, "GET", path)
    _code, old_tag, cache, _ = _request(front, "GET", path)
    print(f"nginx at {front}, badge {path}: {old_tag} ({cache})")
    seen: list[str] = [old_tag or ""]  # every ETag served, in the order the changes made them
    delays: list[float] = []
    failures: list[str] = []
    served = 0
    # The first changes warm up what starts cold (the worker's first job builds its application:
    # imports, a second or more): they are shown, not counted.
    for n in range(-WARM_UP, changes):
        target = "contested" if status == "in_review" else "in_review"
        sent = time.monotonic()
        code, _tag, _cache, body = _request(front, "POST", f"/api/v1/claims/{claim_id}/status", headers=api,
                                            body={"to": target, "reason": "Benchmark: a reader must see this at once.",
                                                  "version": version})
        answered = time.monotonic()
        if code != 201:
            print(f"change {n + 1}: HTTP {code}: {body[:300]!r}")
            return 1
        version, status = json.loads(body)["version"], target
        while True:
            _code, tag, cache, _ = _request(front, "GET", path)
            served += 1
            now = time.monotonic()
            if tag and tag not in seen:
                seen.append(tag)
                if n >= 0:
                    delays.append(now - answered)
                print(f"{'warm-up' if n < 0 else f'change {n + 1}'} -> {target}: the API answered in "
                      f"{answered - sent:.3f} s; the new badge was served {now - answered:.3f} s after that ({cache})")
                break
            if tag != seen[-1]:
                failures.append(f"an older badge {tag} was served after {seen[-1]}")
            if now - answered > WATCH_AFTER:
                failures.append(f"change {n + 1}: still the old badge {now - answered:.0f} s later")  # noqa
                break
            time.sleep(0.05)
        time.sleep(1)
    print(f"watching for {WATCH_AFTER} s (max-age + stale-while-revalidate + 10 s)…")
    watched = time.monotonic()
    while time.monotonic() - watched < WATCH_AFTER:
        _code, tag, cache, _ = _request(front, "GET", path)
        served += 1
        if tag != seen[-1]:
            failures.append(f"{time.monotonic() - watched:.1f} s into the watch: {tag} ({cache}) instead of {seen[-1]}")
        time.sleep(0.05)
    delays.sort()
    if delays:
        print(f"new badge served after each change: median {delays[len(delays) // 2]:.3f} s, "
              f"max {delays[-1]:.3f} s, over {len(delays)} changes")
    print(f"badges read through nginx: {served}; an older badge served again: "
          f"{'never' if not failures else failures[:3]}")
    ok = not failures and len(delays) == changes and delays[-1] <= 2.0
    print("PASS: every change served within 2 s, the old badge never again" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
