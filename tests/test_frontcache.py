"""Readers see a change at once: each public change queues, through the outbox, a refresh of
the claim's badge, embed card and page in the front cache — a request through each nginx with
the refresh header, and a CDN's purge hook — and the example nginx configuration honours the
header from the worker's address only, replacing its cached copy.

The "nginx" of the first tests and the upstream of the last are HTTP servers the tests start on
loopback (pytest-httpserver); the last test runs the real nginx with deploy/nginx.bench.conf
(the example's cache and locations) when nginx is installed.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import time
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Response

from factcheck.db import get_database
from factcheck.jobs import run_deliveries
from factcheck.models import OutboxEvent, Status, utcnow
from factcheck.services import Actor
from factcheck.services.claims import set_published, update_claim
from factcheck.services.delivery import Settings
from factcheck.services.sources import retract_statement
from factcheck.services.status import change_status


@pytest.fixture
def front():
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def deliver(app, now=None) -> int:
    return run_deliveries(get_database(app), Settings.from_config(app.config), now=now)


def published(session, make):
    claim = make.claim("The harbour bridge reopened in May.")
    set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
    session.flush()
    return claim


def test_each_public_change_refreshes_the_badge_card_and_page_through_each_front(app, session, make, front) -> None:
    front.expect_request(re.compile("/.*"), method="GET").respond_with_data("")
    app.config["FRONT_CACHE_REFRESH"] = [f"http://127.0.0.1:{front.port}"]
    claim = make.claim("The harbour bridge reopened in May.")
    link = make.link(claim, make.source("Port authority"), "asserts")
    set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
    session.flush()
    deliver(app)
    paths = [request.path for request, _ in front.log]
    assert paths == [f"/badge/{claim.slug}.svg", f"/embed/{claim.slug}", f"/claims/{claim.slug}"]
    for request, _ in front.log:
        assert request.headers["X-Factcheck-Refresh"] == "1"
        assert request.headers["Host"] == "factcheck.example.org", "the cache key readers' copies are filed under"

    front.clear_log()
    actor = Actor.system("test")
    change_status(session, claim, Status.IN_REVIEW, "Checking.", actor, claim.version)  # status
    update_claim(session, claim, actor, text="The harbour bridge reopened on 3 May.", reason="The date.",
                 expected_version=claim.version)  # wording
    retract_statement(session, link.statement, actor, reason="The port authority withdrew it.")  # retraction
    set_published(session, claim, actor, published=False, expected_version=claim.version)  # taken off the site
    session.flush()
    deliver(app)
    assert len(front.log) == 4 * 3
    assert {request.path for request, _ in front.log} == set(paths)


def test_a_cdn_purge_hook_by_configuration(app, session, make, front) -> None:
    front.expect_request("/purge", method="POST").respond_with_data("purged")
    app.config.update(FRONT_CACHE_PURGE_URL=f"http://127.0.0.1:{front.port}/purge?url={{quoted_url}}",
                      FRONT_CACHE_PURGE_METHOD="POST", FRONT_CACHE_PURGE_HEADER="X-Api-Key: cdn-key")
    claim = published(session, make)
    deliver(app)
    urls = [parse_qs(request.query_string.decode())["url"][0] for request, _ in front.log]
    base = "https://factcheck.example.org"
    assert urls == [f"{base}/badge/{claim.slug}.svg", f"{base}/embed/{claim.slug}", f"{base}/claims/{claim.slug}"]
    assert all(request.headers["X-Api-Key"] == "cdn-key" for request, _ in front.log)


def test_a_front_that_is_failing_is_refreshed_when_it_is_back(app, session, make, front) -> None:
    answers = iter([502] + [200] * 10)
    front.expect_request(re.compile("/.*")).respond_with_handler(lambda request: Response("", status=next(answers)))
    app.config.update(FRONT_CACHE_REFRESH=[f"http://127.0.0.1:{front.port}"], OUTBOX_RETRY_SECONDS=30)
    published(session, make)
    now = utcnow() + timedelta(seconds=1)
    deliver(app, now)
    row = session.scalar(select(OutboxEvent).where(OutboxEvent.channel == "cache"))
    session.refresh(row)
    assert row.delivered_at is None and "502" in row.last_error
    deliver(app, now + timedelta(seconds=31))
    session.refresh(row)
    assert row.delivered_at is not None and row.attempts == 2


def test_no_front_cache_configured_queues_no_refresh(app, session, make) -> None:
    app.config.update(FRONT_CACHE_REFRESH=[], FRONT_CACHE_PURGE_URL="")
    published(session, make)
    deliver(app)
    assert session.scalar(select(OutboxEvent).where(OutboxEvent.channel == "cache")) is None


# --- The example nginx configuration --------------------------------------------------------

def _get(port: int, path: str, *, refresh: bool = False, source: str = "127.0.0.1") -> tuple[str, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    try:
        headers = {"Host": "factcheck.example.org", **({"X-Factcheck-Refresh": "1"} if refresh else {})}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.read().decode(), response.getheader("X-Cache-Status")
    finally:
        connection.close()


def _eventually(get, expected, seconds: float = 2):  # type: ignore[no-untyped-def]
    """``get()`` again until it gives ``expected`` or ``seconds`` have passed; its last answer."""
    deadline = time.monotonic() + seconds
    answer = get()
    while answer != expected and time.monotonic() < deadline:
        time.sleep(0.01)
        answer = get()
    return answer


def _loopback_alias_works() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 9), timeout=1, source_address=("127.0.0.2", 0)):
            pass
    except ConnectionRefusedError:
        return True
    except OSError:
        return False
    return True


@pytest.mark.skipif(shutil.which("nginx") is None and not shutil.os.path.exists("/usr/sbin/nginx"),
                    reason="nginx is not installed")
def test_the_example_nginx_replaces_its_copy_on_the_workers_refresh_only(tmp_path) -> None:
    from bench.servers import nginx

    upstream = HTTPServer(host="127.0.0.1", port=0)
    upstream.start()
    version = {"badge": "old badge"}
    upstream.expect_request("/healthz").respond_with_data("ok")
    upstream.expect_request("/badge/bridge.svg").respond_with_handler(lambda r: Response(
        version["badge"], mimetype="image/svg+xml",
        headers={"Cache-Control": "public, max-age=60, stale-while-revalidate=30", "ETag": f'"{len(r.url)}"'}))
    try:
        with nginx(upstream.url_for("/").rstrip("/"), tmp_path) as base:
            port = int(base.rsplit(":", 1)[1])
            path = "/badge/bridge.svg"
            assert _get(port, path) == ("old badge", "MISS")
            # nginx files its copy once the answer is sent: a request in that instant misses too.
            assert _eventually(lambda: _get(port, path), ("old badge", "HIT")) == ("old badge", "HIT")
            version["badge"] = "new badge"  # the claim changed; the copy is fresh for another minute
            assert _get(port, path) == ("old badge", "HIT")
            if _loopback_alias_works():  # the header from any other address is ignored
                assert _get(port, path, refresh=True, source="127.0.0.2") == ("old badge", "HIT")
            assert _get(port, path, refresh=True) == ("new badge", "BYPASS")  # the worker's refresh
            # nginx answers the refresh while it moves the new copy into place (well under a
            # millisecond; a reader asking in that instant still gets the old one): from then
            # on every reader gets the new copy from the cache, and never the old one again.
            deadline = time.monotonic() + 2
            while _get(port, path)[0] == "old badge" and time.monotonic() < deadline:
                time.sleep(0.01)
            for _ in range(20):
                assert _get(port, path) == ("new badge", "HIT")
    finally:
        upstream.clear()
        upstream.stop()
