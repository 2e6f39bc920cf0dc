"""Archiving: pages archived per second per worker, and what archiving costs the request that
adds a report.

Usage (from the repository root)::

    python -m bench.archiving [--pages 1000] [--requests 400]
                              [--database-url postgresql://postgres@127.0.0.1:5432/factcheck_bench_archiving]

Two figures, each on a fresh database (a SQLite file in a temporary folder by default, or the
PostgreSQL database named, which is emptied first):

1. **Pages per second per worker.** A web server on loopback serves 1,000 distinct article
   pages (``--pages``; about 20 kB each, with navigation and a footer around the text). 1,000
   reports are filed at those addresses (archive requests, as the desk writes them), and
   ``archive_jobs.run_due`` — the worker's own work: take what is due, fetch it under the
   fetch policy, extract the readable text, put the bytes in the file store, record the
   snapshot and give the report its text — archives them with one worker, then another
   1,000 with two workers (threads) side by side. Printed: pages/s with one worker, and per
   worker with two (both share the machine's two cores with the database and the server).
2. **The request that adds a report.** Two gunicorn servers of the application on one
   database, one with archiving on (``FACTCHECK_ARCHIVE=1``: the archive request is written
   with the report, its ``archive_requested`` column, and the worker's queue is woken after the response,
   ``FACTCHECK_JOBS_WAKE_WORKER=1``) and one with it off. ``POST /api/v1/reports`` with a
   new URL each time, alternating between the two servers request by request (the first of
   each pair alternating too) so that both see the same machine; p50 and p95 of each, the p95
   ratio of each quarter of the run (how steady it is), the archive requests the "on" server
   wrote (one per report: the proof that it did request archiving) and the wake-up calls it
   queued (at most one per ``ARCHIVE_WAKE_INTERVAL_MS``, a second by default, per worker
   process). The goal: p95 on ÷ p95 off ≤ 1.1. No worker consumes the queue meanwhile: the
   figure is the request's own cost.

The machine is shared and noisy: the ratios are the figures, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GOAL = 1.1
WORDS = ("ministry officials said the raid took place near the district centre on Tuesday while "
         "local elders disputed the account and called for an independent inquiry into the deaths "
         "reported by residents who spoke by telephone from the province after the network returned").split()


def page(path: str) -> bytes:
    """A distinct article for each path: navigation, eight paragraphs, a footer."""
    rng = random.Random(path)
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 110))).capitalize() + ".</p>"
        for _ in range(8))
    nav = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(40))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Article {path}</title>"
            f"<style>body{{font-family:serif}}</style></head><body><header><nav><ul>{nav}</ul></nav></header>"
            f"<main><article><h1>Report {path}</h1>{paragraphs}</article></main>"
            f"<footer>{'Copyright and cookie settings. ' * 20}</footer>"
            "<script>window.tracker = {};</script></body></html>").encode()


@contextmanager
def article_server() -> Iterator[tuple[str, int]]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = page(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def fresh_database(url: str | None, folder: Path) -> str:
    """An empty database at the newest migration: ``url`` (PostgreSQL, created if missing,
    emptied) or a SQLite file in ``folder``. Returned as SQLAlchemy names it (``postgresql://``
    mapped to the psycopg 3 driver), for everything after it."""
    from .generate import sqlalchemy_url, prepare_schema

    url = sqlalchemy_url(url or f"sqlite:///{folder / 'archiving.sqlite3'}")
    prepare_schema(url)
    return url


def pages_per_second(database_url: str, folder: Path, pages: int) -> list[tuple[int, int, float]]:
    """(workers, pages, seconds) with one worker, then two."""
    from config import TestingConfig
    from factcheck import archive_jobs, create_app
    from factcheck.db import get_database
    from factcheck.services import Actor
    from factcheck.services.fetch import Policy
    from factcheck.services.sources import create_report
    from factcheck.storage import get_store

    settings = TestingConfig(database_url)
    settings.STORAGE_DIR = str(folder / "files")
    app = create_app(settings)
    database, store = get_database(app), get_store(app)
    results = []
    with article_server() as (host, port), app.app_context():
        policy = Policy(allow=frozenset({f"{host}:{port}"}))
        for workers in (1, 2):
            with database.transaction() as session:
                for n in range(pages):
                    create_report(session, Actor.system("bench"), url=f"http://{host}:{port}/w{workers}/article-{n}")
            done = [0] * workers

            def work(index: int) -> None:
                while True:
                    handled = archive_jobs.run_due(database, app.config, store, policy=policy, limit=10)
                    if not handled:
                        return
                    done[index] += handled

            started = time.perf_counter()
            threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            results.append((workers, sum(done), time.perf_counter() - started))
    return results


def _token(database_url: str) -> str:
    from factcheck.db import make_engine
    from factcheck.services import Actor
    from factcheck.services.tokens import create_token
    from factcheck.services.users import create_user
    from sqlalchemy.orm import Session

    engine = make_engine(database_url)
    with Session(engine) as session:
        user = create_user(session, email="bench.archiving@example.org", password="benchmark only password",
                           role="editor", name="Bench", actor=Actor.system("bench"))
        session.flush()
        _row, secret = create_token(session, user, Actor.system("bench"))
        session.commit()
    engine.dispose()
    return secret


def _post(base: str, token: str, url: str) -> float:
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps({"url": url, "title": "A report"}).encode()
    started = time.perf_counter()
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("POST", "/api/v1/reports", body=body,
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        if response.status != 201:
            raise RuntimeError(f"POST /api/v1/reports answered {response.status}")
    finally:
        conn.close()
    return (time.perf_counter() - started) * 1000


def request_latency(database_url: str, folder: Path, requests: int, rounds: int = 4
                    ) -> tuple[dict[str, tuple[float, float]], list[float]]:
    """p50 and p95 of ``POST /api/v1/reports`` with archiving on and off (alternating request
    by request, the first of each pair alternating too), and the p95 ratio of each of
    ``rounds`` consecutive slices of the run (how steady the figure is on a shared machine)."""
    from bench.figures import percentiles
    from bench.servers import gunicorn

    token = _token(database_url)
    common = {"FACTCHECK_JOBS_FILE": str(folder / "jobs.sqlite3"), "FACTCHECK_JOBS_WAKE_WORKER": "1",
              "FACTCHECK_STORAGE_DIR": str(folder / "files"), "FACTCHECK_API_WRITE_RATE_LIMIT": "100000/minute",
              "WEB_CONCURRENCY": "2"}
    samples: dict[str, list[float]] = {"on": [], "off": []}
    with gunicorn(database_url, env={**common, "FACTCHECK_ARCHIVE": "1"}) as on, \
            gunicorn(database_url, env={**common, "FACTCHECK_ARCHIVE": "0"}) as off:
        bases = {"on": on, "off": off}
        for n in range(40):  # warm-up
            _post(bases["on" if n % 2 else "off"], token, f"https://news.example/warm-up/{n}")
        for n in range(requests):
            order = ("on", "off") if n % 2 else ("off", "on")
            for which in order:
                samples[which].append(_post(bases[which], token, f"https://news.example/{which}/{n}"))
    size = max(1, requests // rounds)
    ratios = [percentiles(samples["on"][i:i + size])[1] / percentiles(samples["off"][i:i + size])[1]
              for i in range(0, size * rounds, size) if samples["on"][i:i + size]]
    return {which: percentiles(values) for which, values in samples.items()}, ratios


def archive_requests_written(database_url: str) -> int:
    """How many of the "on" server's measured reports got their archive request."""
    from sqlalchemy import func, select

    from factcheck.db import make_engine
    from factcheck.models import Report

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(Report).where(
                Report.archive_requested, Report.url.like("https://news.example/on/%"))) or 0)
    finally:
        engine.dispose()


def queued_wake_ups(folder: Path) -> int:
    """How many wake-up calls the servers left in the job queue (made after the responses, at
    most one per ``ARCHIVE_WAKE_INTERVAL_MS`` per process)."""
    import sqlite3

    path = folder / "jobs.sqlite3"
    if not path.exists():
        return 0
    with sqlite3.connect(path) as conn:
        try:
            return int(conn.execute("SELECT count(*) FROM task").fetchone()[0])
        except sqlite3.Error:
            return 0


@dataclass
class Figures:
    """One run's figures (``measure``): for ``bench.run`` to report, or ``main`` to print."""

    database: str
    pages: int
    #: (workers, pages archived, seconds), with one worker then two.
    throughput: list[tuple[int, int, float]]
    requests: int
    #: (p50, p95) in ms of the request adding a report, archiving on and off.
    on: tuple[float, float]
    off: tuple[float, float]
    #: p95 on ÷ off in each quarter of the run.
    quarters: list[float]
    wake_ups: int
    #: Archive requests the "on" server wrote for its measured reports (one each).
    written: int = 0

    @property
    def ratio(self) -> float:
        """p95 on ÷ p95 off over the whole run: the figure (goal ≤ ``GOAL``)."""
        return self.on[1] / self.off[1]

    @property
    def passed(self) -> bool:
        return self.ratio <= GOAL

    def per_worker(self, workers: int) -> float:
        return next(done / seconds / w for w, done, seconds in self.throughput if w == workers)

    def lines(self) -> list[str]:
        out = [f"Archiving on {self.database}: {self.pages:,} distinct pages on a loopback server"]
        for workers, done, seconds in self.throughput:
            out.append(f"  {workers} worker{'s' if workers > 1 else ''}: {done:,} pages in {seconds:.1f} s = "
                       f"{done / seconds:.1f} pages/s, {done / seconds / workers:.1f} per worker")
        (p50_on, p95_on), (p50_off, p95_off) = self.on, self.off
        out += [f"POST /api/v1/reports, {self.requests} each, alternating (gunicorn, {self.database}):",
                f"  archiving on : p50 {p50_on:.1f} ms, p95 {p95_on:.1f} ms",
                f"  archiving off: p50 {p50_off:.1f} ms, p95 {p95_off:.1f} ms",
                f"  p50 on / off = {p50_on / p50_off:.2f}; p95 on / off in each quarter of the run: "
                + ", ".join(f"{r:.2f}" for r in self.quarters),
                f"  archive requests written by the server with archiving on: {self.written:,} of {self.requests:,}; "
                f"wake-up calls it queued: {self.wake_ups:,}",
                f"  p95 on / off = {self.ratio:.2f} (goal <= {GOAL}): {'PASS' if self.passed else 'FAIL'}"]
        return out


def measure(database_url: str | None = None, pages: int = 1000, requests: int = 400) -> Figures:
    """Both figures on a fresh database (``database_url``: a PostgreSQL database, emptied; by
    default a SQLite file in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-archiving-") as name:
        folder = Path(name)
        os.environ.setdefault("FACTCHECK_JOBS_FILE", str(folder / "jobs.sqlite3"))
        url = fresh_database(database_url, folder)
        throughput = pages_per_second(url, folder, pages)
        latency, quarters = request_latency(url, folder, requests)
        return Figures("PostgreSQL" if url.startswith("postgresql") else "SQLite", pages, throughput, requests,
                       latency["on"], latency["off"], quarters, queued_wake_ups(folder),
                       archive_requests_written(url))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database-url", default=None, help="PostgreSQL to use (emptied); default a SQLite file")
    args = parser.parse_args(argv)
    print("\n".join(measure(args.database_url, args.pages, args.requests).lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
