"""How each figure of the performance issue is measured. ``bench/run.py`` calls these and
prints the table; each function says what it measures and how, because a figure is only as
honest as its method.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bench.corpus import ClaimWriter
from bench.generate import BENCH_EDITOR, BENCH_PASSWORD
from bench.servers import (ROOT, Load, Pair, ServerSetup, gunicorn, median, median_load, nginx, side_by_side,
                           wrk_paths, wrk_status_writers)
from factcheck.db import Database, counting, make_engine
from factcheck.errors import Conflict
from factcheck.models import UNRESOLVED, Claim, ClaimStatement, Status, StatusChange, User
from factcheck.services import Actor
from factcheck.services.queue import encode_cursor, status_in
from factcheck.services.search import search_claims, similar_claims, terms
from factcheck.services.status import change_status
from factcheck.services.tokens import create_token


def percentiles(samples_ms: Sequence[float]) -> tuple[float, float]:
    """(p50, p95) of ``samples_ms``, nearest-rank."""
    ordered = sorted(samples_ms)
    rank = lambda p: ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))]  # noqa: E731
    return rank(0.50), rank(0.95)


# -- public path: badge ÷ constant route; nginx cache ÷ static file ------------------------------
def published_slugs(database_url: str, count: int) -> list[str]:
    """``count`` published claims spread over the whole table (not one hot row)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(Claim).where(Claim.published_at.is_not(None))) or 0
            step = max(1, total // count)
            rows = conn.execute(
                select(Claim.slug).where(Claim.published_at.is_not(None)).order_by(Claim.id)
                .offset(step // 2).limit(count * step)
            ).scalars().all()
        return list(rows[::step][:count])
    finally:
        engine.dispose()


def badge_versus_ok(database_url: str, slugs: Sequence[str], setup: ServerSetup = ServerSetup(), *,
                    rounds: int = 5, seconds: float = 4) -> Pair:
    """Badge SVG requests/s ÷ ``/healthz`` requests/s, the same gunicorn set-up, loaded in
    alternation by wrk. Badge requests cycle through ``slugs`` (claims all over the table);
    the constant route gets as many distinct addresses (an ignored query string), so that
    wrk does the same work for both."""
    with gunicorn(database_url, setup) as base:
        return side_by_side(base, [f"/badge/{s}.svg" for s in slugs],
                             [f"/healthz?n={n}" for n in range(len(slugs))], rounds=rounds, seconds=seconds)


def nginx_versus_static(database_url: str, slugs: Sequence[str], *, rounds: int = 5, seconds: float = 4) -> Pair:
    """Badges through the example nginx cache ÷ the same bytes as static files served by the
    same nginx. Both cycle through the same slugs; the cache is warmed first (every badge
    fetched once), so the figure is the cache's steady state."""
    with gunicorn(database_url) as upstream, tempfile.TemporaryDirectory(prefix="factcheck-static-") as static:
        os.chmod(static, 0o755)  # readable by nginx's workers, whatever user they run as
        for slug in slugs:  # the static files: the very bytes the application draws
            Path(static, f"{slug}.svg").write_bytes(_get(f"{upstream}/badge/{slug}.svg"))
        with nginx(upstream, Path(static)) as front:
            for slug in slugs:
                _get(f"{front}/badge/{slug}.svg")
            return side_by_side(front, [f"/badge/{s}.svg" for s in slugs],
                                 [f"/bench-static/{s}.svg" for s in slugs], rounds=rounds, seconds=seconds)


def _get(url: str) -> bytes:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {url}: {response.status}")
        return body
    finally:
        connection.close()


# -- status changes with 8 concurrent writers -------------------------------------------------
@dataclass(frozen=True)
class Writers:
    writers: int
    seconds: float
    accepted: int
    conflicts: int
    errors: int
    #: Accepted changes missing from the history, plus history rows beyond what was accepted
    #: and the unanswered requests below: anything but 0 is a lost (or phantom) update.
    lost: int
    #: Claims whose status or version disagrees with their newest history row.
    inconsistent: int
    first_errors: tuple[str, ...]
    #: Changes written whose answer the client never read: when the run's time is up, wrk
    #: stops with each writer's last request in flight (at most one per writer).
    unanswered: int = 0

    @property
    def per_second(self) -> float:
        return self.accepted / self.seconds

    @property
    def attempts_per_second(self) -> float:
        return (self.accepted + self.conflicts) / self.seconds


WRITER = Actor.system("bench")


def _writer(database_url: str, claim_id: int, seconds: float, queue: Any) -> None:
    """One client of the desk, working as an API integration does: it sends each change with
    the version it last heard of (from its previous change, or from the conflict that refused
    it, which says the current version and status), until the time is up."""
    engine = make_engine(database_url)
    database = Database(engine)
    outcomes: Counter[str] = Counter()
    errors: list[str] = []
    with database.read_sessions() as reader:
        claim = reader.get(Claim, claim_id)
        assert claim is not None
        version, status = claim.version, claim.status
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        target = Status.CONTESTED if status == Status.IN_REVIEW else Status.IN_REVIEW
        try:
            with database.transaction() as session:
                current = session.get(Claim, claim_id)
                assert current is not None
                change = change_status(session, current, target, "Benchmark: concurrent desk.", WRITER, version)
                version, status = change.version, change.to_status
            outcomes["accepted"] += 1
        except Conflict as conflict:  # refused as it must be: another writer moved it first
            outcomes["conflicts"] += 1
            version, status = conflict.current_version, Status(conflict.current_status)
        except Exception as error:  # noqa: BLE001 - counted and reported, never hidden
            outcomes["errors"] += 1
            if len(errors) < 3:
                errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:160]}")
            with database.read_sessions() as reader:
                claim = reader.get(Claim, claim_id)
                assert claim is not None
                version, status = claim.version, claim.status
    engine.dispose()
    queue.put((dict(outcomes), errors))


def _writer_claims(conn: Any, *, one_claim: bool, writers: int) -> list[int]:
    return list(conn.scalars(
        select(Claim.id).where(Claim.status.in_([Status.IN_REVIEW, Status.CONTESTED]))
        .order_by(Claim.id).limit(1 if one_claim else writers)
    ))


def _checked(engine: Any, ids: Sequence[int], before: dict[int, int], outcomes: Counter[str],
             errors: list[str], writers: int, seconds: float, *, in_flight: int = 0) -> Writers:
    """The outcome of a writers' run, checked against the history: every accepted change must
    be in it, and nothing else but at most ``in_flight`` changes whose answer was not read."""
    with engine.connect() as conn:
        written = sum(_history(conn, ids).values()) - sum(before.values())
        inconsistent = _inconsistent(conn, ids)
    accepted = outcomes["accepted"]
    missing = max(0, accepted - written)
    unanswered = min(max(0, written - accepted), in_flight)
    phantom = max(0, written - accepted - unanswered)
    return Writers(writers, seconds, accepted, outcomes["conflicts"], outcomes["errors"],
                   missing + phantom, inconsistent, tuple(errors[:3]), unanswered)


def status_writers(database_url: str, *, one_claim: bool, writers: int = 8, seconds: float = 10) -> Writers:
    """``writers`` processes changing statuses directly through the service, at once, on one
    claim or on a claim each, for ``seconds``; then the history is checked against what was
    accepted. (No web server: what the database and the service sustain.)"""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            ids = _writer_claims(conn, one_claim=one_claim, writers=writers)
            before = _history(conn, ids)
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        processes = [context.Process(target=_writer, args=(database_url, ids[n % len(ids)], seconds, queue))
                     for n in range(writers)]
        started = time.monotonic()
        for process in processes:
            process.start()
        results = [queue.get(timeout=seconds + 120) for _ in processes]
        for process in processes:
            process.join(timeout=30)
        elapsed = min(time.monotonic() - started, seconds + 1)
        outcomes: Counter[str] = Counter()
        errors: list[str] = []
        for counts, first in results:
            outcomes.update(counts)
            errors += first
        return _checked(engine, ids, before, outcomes, errors, writers, elapsed)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class ApiWriters:
    """API status changes and the constant ``ok`` route (``/healthz``), loaded in alternation
    on the same gunicorn by the same shape of client (8 wrk threads, a keep-alive connection
    each): the issue's figure is the first's accepted changes/s ÷ the second's requests/s."""

    #: Every round's outcomes together, checked against the history once at the end.
    writers: Writers
    #: The ``ok`` route: medians of the rounds (requests/s, latencies), errors summed.
    ok: Load
    #: Each round's accepted changes/s, and its ratio to the ``ok`` route's round before it.
    rates: tuple[float, ...]
    ratios: tuple[float, ...]
    #: Of ``writers.errors``: wrk's socket errors, and among them its timeouts (no answer in 2 s).
    socket_errors: int = 0
    timeouts: int = 0

    @property
    def per_second(self) -> float:
        return median(list(self.rates))

    @property
    def ratio(self) -> float:
        return median(list(self.ratios))


def api_status_writers(database_url: str, *, one_claim: bool, writers: int = 8, seconds: float = 10,
                       rounds: int = 1) -> ApiWriters:
    """``writers`` API clients at once — wrk, a thread and a keep-alive connection each — posting
    status changes (``POST /api/v1/claims/<id>/status`` with a bearer token each and the version
    last heard of) to gunicorn as deployed, on one claim or on a claim each, for ``seconds``;
    before each of the ``rounds``, the ``ok`` route loaded for as long by the same number of
    wrk threads and connections. The API now writes through the one ORM service
    (``services.status.change_status``), as every other interface does. After the last round
    the history is checked against the 201s of all rounds. The write rate limit is raised out
    of the way, but still counted (in the database, the default without Redis)."""
    engine = make_engine(database_url)
    try:
        database = Database(engine)
        with database.transaction() as session:
            owner = session.scalars(select(User).where(User.email == BENCH_EDITOR)).one()
            secrets = [create_token(session, owner, WRITER, name=f"bench writer {n}")[1] for n in range(writers)]
            ids = _writer_claims(session, one_claim=one_claim, writers=writers)
        with engine.connect() as conn:
            before = _history(conn, ids)
        outcomes: Counter[str] = Counter()
        first_errors: list[str] = []
        oks: list[Load] = []
        rates: list[float] = []
        ratios: list[float] = []
        elapsed = 0.0
        socket_errors = timeouts = 0
        with gunicorn(database_url, env={"FACTCHECK_API_WRITE_RATE_LIMIT": "100000000/minute"}) as base:
            wrk_paths(base, ["/healthz"], seconds=1, connections=writers, threads=writers)  # warm-up
            for _ in range(rounds):
                with engine.connect() as conn:  # each round starts from the claims as they stand
                    start = {row.id: (row.version, row.status) for row in
                             conn.execute(select(Claim.id, Claim.version, Claim.status).where(Claim.id.in_(ids)))}
                plan = [(ids[n % len(ids)], secrets[n], *start[ids[n % len(ids)]]) for n in range(writers)]
                ok = wrk_paths(base, ["/healthz"], seconds=seconds, connections=writers, threads=writers)
                load = wrk_status_writers(base, [(c, s, v, Status(st).value) for c, s, v, st in plan],
                                          seconds=seconds)
                oks.append(ok)
                rates.append(load.accepted / load.seconds)
                ratios.append(rates[-1] / ok.requests_per_second)
                outcomes.update(accepted=load.accepted, conflicts=load.conflicts,
                                errors=load.errors + load.socket_errors)
                first_errors += load.first_errors
                socket_errors += load.socket_errors
                timeouts += load.timeouts
                elapsed += load.seconds
        checked = _checked(engine, ids, before, outcomes, first_errors, writers, elapsed,
                           in_flight=writers * rounds)
        return ApiWriters(checked, median_load(oks), tuple(rates), tuple(ratios), socket_errors, timeouts)
    finally:
        engine.dispose()


def _history(conn: Any, ids: Sequence[int]) -> dict[int, int]:
    rows = conn.execute(
        select(StatusChange.claim_id, func.count()).where(StatusChange.claim_id.in_(ids)).group_by(StatusChange.claim_id)
    ).all()
    return {claim_id: count for claim_id, count in rows}


def _inconsistent(conn: Any, ids: Sequence[int]) -> int:
    """Claims whose current status and version are not those of their newest history row,
    or whose history does not chain (each change starting where the previous one ended)."""
    bad = 0
    for claim_id in ids:
        claim = conn.execute(select(Claim.status, Claim.version).where(Claim.id == claim_id)).one()
        rows = conn.execute(
            select(StatusChange.from_status, StatusChange.to_status, StatusChange.version)
            .where(StatusChange.claim_id == claim_id).order_by(StatusChange.id)
        ).all()
        chained = all(b.from_status == a.to_status for a, b in zip(rows, rows[1:]))
        if not rows or rows[-1].to_status != claim.status or rows[-1].version != claim.version or not chained:
            bad += 1
    return bad


# -- the editor queue, over HTTP --------------------------------------------------------------
class Browser:
    """A signed-in desk user on one keep-alive connection: cookies kept, pages timed."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        content = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def sign_in(self, email: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token, "no CSRF token on /login"
        status, _ = self.request("POST", "/login", {"email": email, "password": password, "csrf_token": token.group(1)})
        if status != 302:
            raise RuntimeError(f"could not sign in as {email}: {status}")

    def timed(self, path: str, count: int, *, warm_up: int = 20) -> list[float]:
        """``count`` timings of GET ``path``, after ``warm_up`` untimed requests (each of
        gunicorn's workers answers its first request slowly: templates, connections)."""
        for _ in range(warm_up):
            self.request("GET", path)
        samples = []
        for _ in range(count):
            started = time.perf_counter()
            status, _ = self.request("GET", path)
            samples.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"GET {path}: {status}")
        return samples


def deepest_cursors(database_url: str, limit: int = 50) -> dict[str, tuple[str, int]]:
    """A cursor for the last page of the editor queue (unresolved, priority order) and of
    the desk's all-claims list, and how many rows deep each is."""
    engine = make_engine(database_url)
    cursors: dict[str, tuple[str, int]] = {}
    try:
        with engine.connect() as conn:
            for label, condition in (("queue", status_in(UNRESOLVED)), ("all", None)):
                stmt = select(func.count()).select_from(Claim)
                total = conn.scalar(stmt.where(condition) if condition is not None else stmt) or 0
                keys = select(Claim.priority, Claim.id).order_by(Claim.priority.desc(), Claim.id.desc())
                if condition is not None:
                    keys = keys.where(condition)
                depth = max(0, total - limit - 1)
                row = conn.execute(keys.offset(depth).limit(1)).one()
                cursors[label] = (encode_cursor({"s": "priority", "k": row.priority, "i": row.id}), depth)
    finally:
        engine.dispose()
    return cursors


def queue_latency(database_url: str, *, samples: int = 100) -> dict[str, tuple[float, float, int]]:
    """p50/p95 (ms) of the editor queue's first page and last page, of the desk list of
    every claim at its last page, and of the public corrections log, each fetched ``samples`` times by a signed-in editor
    over HTTP (gunicorn as deployed): (p50, p95, rows deep)."""
    cursors = deepest_cursors(database_url)
    pages = {
        "editor queue, first page": ("/editor/queue", 0),
        "editor queue, last page": ("/editor/queue?" + urlencode({"cursor": cursors["queue"][0]}), cursors["queue"][1]),
        "all claims (desk list), last page": ("/desk/?" + urlencode({"cursor": cursors["all"][0]}), cursors["all"][1]),
        # Readers' side: the public corrections log reads only corrections (a partial index).
        "public corrections log, first page": ("/corrections", 0),
    }
    with gunicorn(database_url) as base:
        browser = Browser(base)
        browser.sign_in(BENCH_EDITOR, BENCH_PASSWORD)
        found = {}
        for label, (path, depth) in pages.items():
            p50, p95 = percentiles(browser.timed(path, samples))
            found[label] = (p50, p95, depth)
        return found


# -- search and similar claims, at the service --------------------------------------------------
@dataclass(frozen=True)
class SearchFigures:
    search: tuple[float, float]
    similar: tuple[float, float]
    #: Share of "similar" queries (a reworded existing claim) whose first suggestion is it.
    similar_top1: float
    queries: int


def search_latency(database_url: str, *, queries: int = 200, seed: int = 7) -> SearchFigures:
    """``search_claims`` and ``similar_claims`` called as the desk calls them, on the live
    database, in-process (the functions behind /desk/?q= and /desk/claims/similar): p50/p95
    in ms over ``queries`` each. Searches are two words of a random claim; "similar" texts
    are random claims reworded (a word changed, one dropped), as a checker retyping a claim
    already in the tracker would write them."""
    rng = random.Random(seed)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            top = session.scalar(select(func.max(Claim.id))) or 1
            claims = [session.execute(select(Claim.id, Claim.text).where(Claim.id >= rng.randint(1, top))
                                      .order_by(Claim.id).limit(1)).one() for _ in range(queries)]
            search_ms, similar_ms, hits = [], [], 0
            for claim_id, claim_text in claims:
                words = terms(claim_text, drop_stop_words=True)
                query = " ".join(rng.sample(words, min(2, len(words))))
                started = time.perf_counter()
                search_claims(session, query, limit=50)
                search_ms.append((time.perf_counter() - started) * 1000)
                reworded = _reword(claim_text, rng)
                started = time.perf_counter()
                found = similar_claims(session, reworded, limit=5)
                similar_ms.append((time.perf_counter() - started) * 1000)
                hits += bool(found and found[0].claim.id == claim_id)
                session.rollback()
        return SearchFigures(percentiles(search_ms), percentiles(similar_ms), hits / len(claims), len(claims))
    finally:
        engine.dispose()


def _reword(sentence: str, rng: random.Random) -> str:
    words = sentence.split()
    if len(words) > 4:
        del words[rng.randrange(1, len(words))]
    swaps = {"was": "had been", "in": "at", "the": "a", "has": "had", "died": "were killed", "said": "claimed"}
    return " ".join(swaps.get(w, w) if rng.random() < 0.5 else w for w in words)


# -- SQL statements per request ---------------------------------------------------------------
def statements_per_request(database_url: str) -> dict[str, tuple[int, int, str]]:
    """SQL statements per request on the live data set, for the smallest and the largest
    case each page meets there: the public claim page and the desk claim page for the claims
    with the fewest and the most statements, the queue's first and last page. In-process
    (Flask's test client), counting every statement the engine runs."""
    from config import Config
    from factcheck import create_app
    from factcheck.db import get_database

    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")
    config = Config()
    config.SQLALCHEMY_DATABASE_URI = database_url
    config.SESSION_COOKIE_SECURE = False  # type: ignore[misc]  (the test client speaks http)
    app = create_app(config)
    engine = get_database(app).engine
    with engine.connect() as conn:
        counts = (
            select(ClaimStatement.claim_id, func.count().label("n")).join(Claim, Claim.id == ClaimStatement.claim_id)
            .where(Claim.published_at.is_not(None)).group_by(ClaimStatement.claim_id)
        ).subquery()
        fewest = conn.execute(select(counts.c.claim_id, counts.c.n).order_by(counts.c.n, counts.c.claim_id).limit(1)).one()
        most = conn.execute(select(counts.c.claim_id, counts.c.n).order_by(counts.c.n.desc(), counts.c.claim_id).limit(1)).one()
        slugs = {row.id: row.slug for row in conn.execute(select(Claim.id, Claim.slug).where(Claim.id.in_([fewest[0], most[0]])))}
    cursor, depth = deepest_cursors(database_url)["queue"]
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.post("/login", data={"email": BENCH_EDITOR, "password": BENCH_PASSWORD, "csrf_token": token.group(1)})

    def measure(url: str) -> int:
        client.get(url)
        with counting(engine) as seen:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code}")
        return len(seen)

    result = {
        "public claim page": (measure(f"/claims/{slugs[fewest[0]]}"), measure(f"/claims/{slugs[most[0]]}"),
                              f"{fewest[1]} vs {most[1]} statements"),
        "desk claim page": (measure(f"/desk/claims/{fewest[0]}"), measure(f"/desk/claims/{most[0]}"),
                            f"{fewest[1]} vs {most[1]} statements"),
        "editor queue page": (measure("/editor/queue"), measure("/editor/queue?" + urlencode({"cursor": cursor})),
                              f"first page vs {depth:,} rows deep"),
    }
    engine.dispose()
    return result


# -- ClaimReview import -------------------------------------------------------------------------
RATINGS = (("False", "1"), ("Mostly false", "2"), ("Misleading", "2"), ("Half true", "3"), ("True", "5"),
           ("Falso", "1"), ("Unproven", None), ("Pants on Fire!", "0"), ("Missing context", "3"), ("Faux", "1"))
PUBLISHERS = ("Africa Check", "Full Fact", "PolitiFact", "Maldita.es", "AFP Factuel", "Correctiv", "BOOM",
              "Chequeado", "Aos Fatos", "Teyit", "Pesa Check", "Fatabyyano", "Rappler", "Factly")


#: Reviews per feed file: the importer reads files of up to 50 MB, and 100,000 reviews are ~57 MB.
ITEMS_PER_FILE = 20_000


def claimreview_elements(items: int, *, seed: int = 11) -> list[dict[str, Any]]:
    """``items`` ClaimReview, varied the way real feeds vary (ratings in several languages,
    words or numbers; claimants people or organisations, often the same ones; dates with and
    without time), each with its own review URL and its own appearance."""
    rng = random.Random(seed)
    writer = ClaimWriter(rng, people=5000, places=2000)
    elements = []
    for n in range(items):
        publisher = rng.choice(PUBLISHERS)
        rating, value = rng.choice(RATINGS)
        claimant: dict[str, Any] = (
            {"@type": "Person", "name": writer.person_name()} if rng.random() < 0.7
            else {"@type": "Organization", "name": f"{writer.slot('country')} {writer.slot('agency')}"}
        )
        review_rating: dict[str, Any] = {"@type": "Rating", "alternateName": rating}
        if value is not None:
            review_rating.update(ratingValue=value, bestRating="5", worstRating="0")
        elements.append({
            "@type": "ClaimReview",
            "url": f"https://{publisher.lower().replace(' ', '').replace('.', '')}.example.org/fact-check/{n}",
            "claimReviewed": writer.claim(),
            "author": {"@type": "Organization", "name": publisher},
            "datePublished": f"20{rng.randint(18, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "reviewRating": review_rating,
            "itemReviewed": {
                "@type": "Claim", "author": claimant,
                "appearance": [{"@type": "CreativeWork", "url": f"https://social.example.org/post/{seed}-{n}"}],
            },
        })
    return elements


def claimreview_feed(path: Path, items: int, *, seed: int = 11) -> None:
    """A schema.org DataFeed of ``items`` ClaimReview (``claimreview_elements``) in one file."""
    write_feed(path, claimreview_elements(items, seed=seed))


def write_feed(path: Path, elements: Sequence[dict[str, Any]]) -> None:
    path.write_text(json.dumps({"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": list(elements)}))


def write_feeds(folder: Path, name: str, elements: Sequence[dict[str, Any]]) -> list[Path]:
    """The elements as feed files of at most ITEMS_PER_FILE reviews each, in order."""
    paths = []
    for start in range(0, len(elements), ITEMS_PER_FILE):
        path = folder / f"{name}-{start // ITEMS_PER_FILE + 1}.json"
        write_feed(path, elements[start : start + ITEMS_PER_FILE])
        paths.append(path)
    return paths


def changed_verdicts(elements: Sequence[dict[str, Any]], share: float, *, seed: int = 12) -> list[dict[str, Any]]:
    """The same reviews, a ``share`` of them (chosen at random) now with a verdict that maps
    to another status: a re-published feed in which fact-checkers revised some ratings."""
    from factcheck.claimreview.ratings import RatingMap

    ratings = RatingMap()

    def status(rating: str, value: str | None) -> Status:
        return ratings.verdict(name=rating, value=value, best="5", worst="0").status

    rng = random.Random(seed)
    changed = list(elements)
    for n in rng.sample(range(len(elements)), round(share * len(elements))):
        element = json.loads(json.dumps(elements[n]))
        before = status(element["reviewRating"]["alternateName"], element["reviewRating"].get("ratingValue"))
        rating, value = rng.choice([r for r in RATINGS if status(*r) != before])
        element["reviewRating"] = {"@type": "Rating", "alternateName": rating}
        if value is not None:
            element["reviewRating"].update(ratingValue=value, bestRating="5", worstRating="0")
        changed[n] = element
    return changed


@dataclass(frozen=True)
class Imported:
    items: int
    seconds: float
    summary: str

    @property
    def per_second(self) -> float:
        return self.items / self.seconds


#: The share of reviews whose verdict changes in the re-import with changed verdicts.
CHANGED_SHARE = 0.1


def claimreview_import(database_url: str, items: int) -> dict[str, Imported]:
    """``flask claimreview import feed-1.json feed-2.json …`` as an editor would run it, into
    the data set, timed end to end (starting the command, reading, mapping, writing, the one
    commit, printing every outcome): ``new``, ``items`` reviews not seen before; then
    ``unchanged``, the same files again (every review skipped); then ``changed``, the same
    reviews with CHANGED_SHARE of the verdicts revised (updates, with corrections)."""
    elements = claimreview_elements(items)
    results: dict[str, Imported] = {}
    with tempfile.TemporaryDirectory(prefix="factcheck-claimreview-") as folder:
        feeds = write_feeds(Path(folder), "feed", elements)
        results["new"] = _import(database_url, feeds, items)
        results["unchanged"] = _import(database_url, feeds, items)
        revised = write_feeds(Path(folder), "revised", changed_verdicts(elements, CHANGED_SHARE))
        results["changed"] = _import(database_url, revised, items)
    return results


def _import(database_url: str, feeds: list[Path], items: int) -> Imported:
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only-secret", "PATH": "/usr/bin:/bin"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "factcheck", "claimreview", "import",
                           *map(str, feeds)], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    summary = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip().splitlines()[-1]
    return Imported(items, seconds, summary)
