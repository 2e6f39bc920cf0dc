""""My work" for a person watching 10,000 claims, as the archive grows: p50/p95 per size.

Usage (from the repository root)::

    python -m bench.my_work [--sizes 10000 100000 1000000] [--databases sqlite postgresql]
                            [--postgresql-url postgresql://postgres@127.0.0.1:5432/factcheck_bench_my_work]
                            [--samples 200] [--reuse]

For each database and size a data set is generated (``bench.generate``: claims, statements,
histories, 31 desk accounts) into its own SQLite file (``instance/bench/my-work-<size>.sqlite3``)
or PostgreSQL database (``<name>_<size>``) — never the files or databases ``bench/run.py``
uses — or reused with ``--reuse`` when it is already there. Then the desk's own workspace
is added, in proportion to the archive (``everyone_else``): every claim watched by whoever
entered it, an assignment notification per assigned claim, a note on every tenth claim,
unread notifications spread over everyone. And one person, "Wanda Watcher", gets the same
work at every size (``the_watcher``): 10,000 watched claims spread evenly over the whole
table (at 10,000 claims: every claim), 300 notifications (100 unread), 200 notes mentioning
her, 40 unresolved and 400 resolved claims assigned to her, 30 of her claims due within a
day; and the newsroom's recent activity is a constant week of work — 2,000 claims touched in
the last seven days, 300 of them hers, 200 more claims due within a day that are not hers.
The archive grows; a week's work and one person's work do not. That is the claim under test:
her page costs what her work costs, not what the archive holds.

She signs in to the application under gunicorn (``deploy/gunicorn.conf.py``) over HTTP on
loopback, and "my work" is fetched ``--samples`` times after a warm-up — its first page, and
a page of her watched claims 5,000 deep — then the SQL statements per request are counted
in process for both. The goal: p95 at each size ≤ 1.5 × p95 at 10,000 claims, on both
databases. Nothing here changes the data sets of ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, insert, select, text, update  # noqa: E402

from bench.figures import Browser, percentiles  # noqa: E402
from bench.generate import BENCH_PASSWORD, generate  # noqa: E402
from bench.servers import gunicorn  # noqa: E402
from factcheck.db import counting, make_engine  # noqa: E402
from factcheck.models import (RESOLVED, UNRESOLVED, Claim, Note, NoteMention, Notification, User,  # noqa: E402
                              Watch)
from factcheck.services.users import hash_password  # noqa: E402

OUT = ROOT / "instance" / "bench"
WATCHER = "watcher@bench.example.org"
WATCHER_ID = 100_000
WATCHED = 10_000
GOAL = 1.5


@dataclass
class Figure:
    database: str
    claims: int
    watched: int
    first_page: tuple[float, float]
    deep_page: tuple[float, float]
    statements: tuple[int, int]
    prepared_seconds: float


def _url(database: str, size: int, args: argparse.Namespace) -> str:
    if database == "postgresql":
        url = args.postgresql_url.replace("postgresql://", "postgresql+psycopg://", 1)
        return f"{url}_{size}"
    OUT.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{OUT / f'my-work-{size}.sqlite3'}"


def _ready(engine: Engine, size: int) -> bool:
    """A data set of ``size`` claims with the watcher already in it."""
    try:
        with engine.connect() as conn:
            claims = conn.scalar(select(func.max(Claim.id)))
            watcher = conn.scalar(select(User.id).where(User.email == WATCHER))
    except Exception:  # noqa: BLE001 - no database, no tables: not ready
        return False
    return claims is not None and claims >= size and watcher is not None


def everyone_else(engine: Engine) -> None:
    """The desk's workspace in proportion to the archive (plain SQL, one statement each)."""
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO watches (user_id, claim_id, reason, created_at, seen_at) "
            "SELECT created_by_id, id, 'created', created_at, last_activity_at FROM claims "
            "WHERE created_by_id IS NOT NULL"))
        conn.execute(text(
            "INSERT INTO notifications (user_id, claim_id, kind, text, actor_id, created_at, read_at) "
            "SELECT assignee_id, id, 'assignment', 'You were assigned this claim.', 2, created_at, created_at "
            "FROM claims WHERE assignee_id IS NOT NULL"))
        conn.execute(text(
            "INSERT INTO notifications (user_id, claim_id, kind, text, actor_id, created_at) "
            "SELECT (id % 31) + 1, id, 'mention', 'Someone mentioned you.', 2, last_activity_at "
            "FROM claims WHERE id % 40 = 0"))
        conn.execute(text(
            "INSERT INTO notes (claim_id, author_id, body, created_at) "
            "SELECT id, created_by_id, 'Called the office; waiting to hear back.', last_activity_at "
            "FROM claims WHERE id % 10 = 0 AND created_by_id IS NOT NULL"))
        conn.execute(text(
            "INSERT INTO note_mentions (note_id, user_id) SELECT id, (claim_id % 31) + 1 FROM notes "
            "WHERE claim_id % 20 = 0 AND author_id <> (claim_id % 31) + 1"))


def the_watcher(engine: Engine, size: int, *, seed: int = 7) -> None:
    """One person's work, the same at every size, and a constant week of the newsroom's work."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    step = max(1, size // WATCHED)
    watched = list(range(1, size + 1, step))[:WATCHED]
    watched_set = set(watched)
    with engine.begin() as conn:
        conn.execute(insert(User), [{
            "id": WATCHER_ID, "email": WATCHER, "name": "Wanda Watcher", "role": "checker",
            "password_hash": hash_password(BENCH_PASSWORD), "active": True, "session_nonce": 0, "created_at": now,
            "email_now": True, "email_digest": True}])
        conn.execute(insert(Watch), [{
            "user_id": WATCHER_ID, "claim_id": claim_id, "reason": ("created", "assigned", "noted", "clicked")[i % 4],
            "created_at": now - timedelta(days=400), "seen_at": None if i % 3 == 0 else now - timedelta(days=3)}
            for i, claim_id in enumerate(watched)])
        statuses = dict(conn.execute(select(Claim.id, Claim.status).where(Claim.id.in_(watched))).all())
        unresolved = [c for c in watched if statuses[c] in UNRESOLVED]
        resolved = [c for c in watched if statuses[c] in RESOLVED]
        mine = rng.sample(unresolved, min(40, len(unresolved)))
        for claim_id in mine + rng.sample(resolved, min(400, len(resolved))):
            conn.execute(update(Claim).where(Claim.id == claim_id).values(assignee_id=WATCHER_ID))
        # Her deadlines within a day, and the newsroom's (not hers).
        for claim_id in mine[:30]:
            conn.execute(update(Claim).where(Claim.id == claim_id)
                         .values(deadline=now + timedelta(hours=rng.uniform(-20, 20))))
        others = conn.execute(select(Claim.id).where(Claim.status.in_(UNRESOLVED)).order_by(Claim.id)).scalars().all()
        others = [c for c in others if c not in watched_set]
        for claim_id in rng.sample(others, min(200, len(others))):
            conn.execute(update(Claim).where(Claim.id == claim_id)
                         .values(deadline=now + timedelta(hours=rng.uniform(-20, 20))))
        # A week of the newsroom's work: 2,000 claims touched, 300 of them hers.
        not_hers = [c for c in range(1, size + 1) if c not in watched_set]
        touched = rng.sample(watched, 300) + rng.sample(not_hers or watched, min(1700, len(not_hers or watched)))
        for claim_id in touched:
            conn.execute(update(Claim).where(Claim.id == claim_id)
                         .values(last_activity_at=now - timedelta(seconds=rng.uniform(0, 7 * 86400))))
        # 300 notifications (100 unread) and 200 notes mentioning her, on her claims.
        conn.execute(insert(Notification), [{
            "user_id": WATCHER_ID, "claim_id": rng.choice(watched), "kind": ("mention", "assignment", "signoff")[i % 3],
            "text": f"Notification {i} for Wanda.", "actor_id": 2,
            "created_at": now - timedelta(days=30) + timedelta(minutes=144 * i),
            "read_at": None if i >= 200 else now - timedelta(days=30) + timedelta(minutes=144 * i + 60)}
            for i in range(300)])
        for i in range(200):
            claim_id = rng.choice(watched)
            note_id = conn.execute(insert(Note).values(
                claim_id=claim_id, author_id=2, body=f"@[Wanda Watcher] look at this ({i}).",
                created_at=now - timedelta(days=60) + timedelta(hours=7 * i)).returning(Note.id)).scalar_one()
            conn.execute(insert(NoteMention).values(note_id=note_id, user_id=WATCHER_ID))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def prepare(url: str, size: int, *, reuse: bool, quiet: bool) -> float:
    """The data set of ``size`` claims at ``url`` with the workspace and the watcher (generated
    unless ``reuse`` finds it ready); seconds spent."""
    started = time.perf_counter()
    engine = make_engine(url)
    try:
        if reuse and _ready(engine, size):
            return 0.0
        engine.dispose()
        generate(url, size, quiet=quiet)
        engine = make_engine(url)
        everyone_else(engine)
        the_watcher(engine, size)
    finally:
        engine.dispose()
    return time.perf_counter() - started


def deep_cursor(url: str, depth: int = 5_000) -> int:
    """The position of the page of her watched claims ``depth`` rows down."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(Watch.claim_id).where(Watch.user_id == WATCHER_ID)
                               .order_by(Watch.claim_id.desc()).offset(depth).limit(1)) or 1
    finally:
        engine.dispose()


def statements(url: str, paths: list[str]) -> list[int]:
    """SQL statements per request for each of ``paths``, signed in as her, in process."""
    from config import Config
    from factcheck import create_app
    from factcheck.db import get_database

    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret")
    config = Config()
    config.SQLALCHEMY_DATABASE_URI = url
    config.SESSION_COOKIE_SECURE = False  # type: ignore[misc]  (the test client speaks http)
    config.PUBLIC_BASE_URL = "https://factcheck.example.org/"
    app = create_app(config)
    engine = get_database(app).engine
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert token
    client.post("/login", data={"email": WATCHER, "password": BENCH_PASSWORD, "csrf_token": token.group(1)})
    counts = []
    for path in paths:
        client.get(path)
        with counting(engine) as seen:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code}")
        counts.append(len(seen))
    engine.dispose()
    return counts


def measure(database: str, sizes: list[int], args: argparse.Namespace) -> list[Figure]:
    """Every size of one database, measured in alternation: a gunicorn per data set, all up
    at once, and ``--rounds`` rounds in which each page of each size is timed in turn (the
    order reversed every other round), so that whatever else the machine does falls on every
    size alike; p50/p95 over all of a size's samples."""
    urls, built, deep = {}, {}, {}
    for size in sizes:
        print(f"\n== {database}, {size:,} claims", flush=True)
        urls[size] = _url(database, size, args)
        built[size] = prepare(urls[size], size, reuse=args.reuse, quiet=args.quiet)
        print(f"  data set {'reused' if not built[size] else f'built in {built[size] / 60:.1f} min'}", flush=True)
        deep[size] = f"/desk/my-work?watching={deep_cursor(urls[size])}"
    samples: dict[int, dict[str, list[float]]] = {size: {"first": [], "deep": []} for size in sizes}
    per_round = max(1, args.samples // args.rounds)
    with ExitStack() as servers:
        browsers = {}
        for size in sizes:
            browsers[size] = Browser(servers.enter_context(gunicorn(urls[size])))
            browsers[size].sign_in(WATCHER, BENCH_PASSWORD)
            browsers[size].timed("/desk/my-work", 1)
            browsers[size].timed(deep[size], 1)
        for round_ in range(args.rounds):
            for size in (sizes if round_ % 2 == 0 else list(reversed(sizes))):
                samples[size]["first"] += browsers[size].timed("/desk/my-work", per_round, warm_up=2)
                samples[size]["deep"] += browsers[size].timed(deep[size], per_round, warm_up=2)
    figures = []
    for size in sizes:
        first, deeper = percentiles(samples[size]["first"]), percentiles(samples[size]["deep"])
        print(f"  {size:,} claims: my work p50 {first[0]:.1f} / p95 {first[1]:.1f} ms; 5,000 deep: "
              f"p50 {deeper[0]:.1f} / p95 {deeper[1]:.1f} ms", flush=True)
        figures.append(Figure(database, size, WATCHED, first, deeper, (0, 0), built[size]))
    for figure in figures:
        counted = statements(urls[figure.claims], ["/desk/my-work", deep[figure.claims]])
        figure.statements = (counted[0], counted[1])
        print(f"  {figure.claims:,} claims: SQL statements per request {counted[0]} and {counted[1]}", flush=True)
    return figures


def table(figures: list[Figure]) -> str:
    lines = [f"\n\"my work\" for a person watching {WATCHED:,} claims — {os.cpu_count()} cores, "
             f"load average {os.getloadavg()[0]:.1f}", "",
             "| database | claims | my work p50 / p95 | watched list 5,000 deep p50 / p95 | SQL statements | "
             "p95 ÷ p95 at the smallest | goal |",
             "|---|---|---|---|---|---|---|"]
    for figure in figures:
        base = next(f for f in figures if f.database == figure.database)
        ratio = figure.first_page[1] / base.first_page[1]
        deep_ratio = figure.deep_page[1] / base.deep_page[1]
        verdict = "" if figure is base else ("pass" if ratio <= GOAL and deep_ratio <= GOAL else "miss")
        lines.append(
            f"| {figure.database} | {figure.claims:,} | {figure.first_page[0]:.1f} / {figure.first_page[1]:.1f} ms | "
            f"{figure.deep_page[0]:.1f} / {figure.deep_page[1]:.1f} ms | {figure.statements[0]}, {figure.statements[1]} | "
            f"{ratio:.2f} (deep {deep_ratio:.2f}) | ≤ {GOAL} {verdict} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000],
                        help="claims in each data set, the smallest first (the ratios are to it)")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"])
    parser.add_argument("--postgresql-url", default="postgresql://postgres@127.0.0.1:5432/factcheck_bench_my_work",
                        help="the PostgreSQL database name to which _<size> is added (each emptied first)")
    parser.add_argument("--samples", type=int, default=300, help="requests timed per page and size")
    parser.add_argument("--rounds", type=int, default=10, help="alternations between the sizes")
    parser.add_argument("--reuse", action="store_true", help="keep a data set that is already there")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    figures = [figure for database in args.databases for figure in measure(database, sizes, args)]
    print(table(figures))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "my-work-results.json").write_text(json.dumps([asdict(f) for f in figures], indent=2))
    misses = [f for f in figures if f.claims != sizes[0]
              and f.first_page[1] > GOAL * next(b for b in figures if b.database == f.database).first_page[1]]
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
