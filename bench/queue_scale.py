"""The queue's count of matching claims, its text search and a bulk action, at scale.

Usage (from the repository root)::

    python -m bench.queue_scale --database-url sqlite:///instance/bench/queue-scale.sqlite3 --claims 1000000
    python -m bench.queue_scale --database-url postgresql://postgres@127.0.0.1:5432/fc_queue_scale \\
        --claims 1000000

The database named is emptied and migrated first (it must be one kept for benchmarks), then
filled with ``--claims`` bare claims — no statements, one tenth unresolved as in
bench/generate.py, tags on none, a few words each from a small vocabulary so that text searches
match many claims — by SQL inside the database (seconds, not minutes). Then, each the best
of ``--repeat`` runs after a warm-up:

- ``count_claims`` for the queue (the unresolved claims), for the desk (every claim), with a
  flag, and with a text search of a common word and of a rare one; exact or "about";
- the first page of each, for comparison;
- ``bulk.apply`` assigning 10,000 unresolved claims (the most one action may change), and adding
  a tag to them, each in a transaction rolled back afterwards.

CPU time of this process is printed beside wall-clock time: on a shared machine the CPU time
says what the work costs; the wall-clock time also holds the database server's share (on
PostgreSQL) and waiting.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import make_url, select, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from factcheck.db import make_engine, writer  # noqa: E402
from factcheck.migrate import upgrade  # noqa: E402
from factcheck.models import Claim, Status  # noqa: E402
from factcheck.services import Actor, bulk  # noqa: E402
from factcheck.services.queue import UNRESOLVED, ClaimFilter, count_claims, list_claims  # noqa: E402
from factcheck.services.users import create_user  # noqa: E402

WORDS = ("strike", "ministry", "killed", "district", "convoy", "spokesman", "denied", "hospital", "bridge",
         "election", "border", "militants", "village", "airport", "council")


def prepare(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        import psycopg

        admin_url = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone():
                admin.execute(f'CREATE DATABASE "{parsed.database}"')
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        path = Path(parsed.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def fill(url: str, claims: int) -> None:
    """``claims`` bare claims, made by one INSERT … SELECT over a series of numbers."""
    engine = make_engine(url)
    postgresql = engine.dialect.name == "postgresql"
    words = "ARRAY[" + ", ".join(f"'{w}'" for w in WORDS) + "]" if postgresql else None
    if postgresql:
        series = f"generate_series(1, {claims}) AS s(n)"
        word = lambda k: f"({words})[1 + (n * {k}) % {len(WORDS)}]"  # noqa: E731
        when = lambda expr: f"TIMESTAMP '2021-01-01 00:00:00' + ({expr}) * INTERVAL '1 second'"  # noqa: E731
        concat = lambda *parts: " || ".join(parts)  # noqa: E731
        flag = lambda cond: f"({cond})"  # noqa: E731
    else:
        series = f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {claims}) SELECT n FROM s)"
        case = "CASE {} " + " ".join(f"WHEN {i} THEN '{w}'" for i, w in enumerate(WORDS)) + " END"
        word = lambda k: case.format(f"(n * {k}) % {len(WORDS)}")  # noqa: E731
        # As SQLAlchemy writes times on SQLite (microseconds always), which keyset pages compare as text.
        when = lambda expr: f"(strftime('%Y-%m-%d %H:%M:%S', 1609459200 + ({expr}), 'unixepoch') || '.000000')"  # noqa: E731
        concat = lambda *parts: " || ".join(parts)  # noqa: E731
        flag = lambda cond: f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"  # noqa: E731
    statuses = ("unverified", "in_review", "contested")
    status = (f"CASE WHEN n % 10 = 0 THEN (CASE n % 3 WHEN 0 THEN '{statuses[0]}' WHEN 1 THEN '{statuses[1]}' "
              f"ELSE '{statuses[2]}' END) ELSE (CASE n % 4 WHEN 0 THEN 'confirmed' WHEN 1 THEN 'false' "
              f"WHEN 2 THEN 'misleading' ELSE 'unproven' END) END")
    rare = concat("'case'", "CAST(n AS TEXT)") if not postgresql else "'case' || n"
    words_of = concat(word(1), "' '", word(7), "' '", word(13), "' in '", rare)
    sql = (
        "INSERT INTO claims (id, slug, text, context, status, status_changed_at, priority, assignee_id, "
        "next_review_on, deadline, published_at, version, created_by_id, created_at, last_activity_at, "
        "flag_contested, flag_single_source, flag_anonymous_only, public_status) "
        f"SELECT n, 'c-' || n, {words_of}, '', {status}, "
        f"{when('n * 150')}, n % 4, NULL, NULL, CASE WHEN n % 3 = 0 THEN {when('n * 150 + 864000')} END, NULL, "
        f"1, NULL, {when('n * 150')}, {when('n * 150 + (n % 97) * 3600')}, {flag('n % 7 = 0')}, "
        f"{flag('n % 5 = 0')}, {flag('n % 11 = 0')}, NULL FROM {series}"
    )
    with writer(engine).begin() as conn:
        if not postgresql:
            conn.exec_driver_sql("DROP TRIGGER claims_fts_ai")
        conn.exec_driver_sql(sql.replace("%", "%%") if postgresql else sql)  # (psycopg's placeholders)
        if postgresql:
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('claims', 'id'), {claims})")
        else:
            conn.exec_driver_sql("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')")
            conn.exec_driver_sql("CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN "
                                 "INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END")
    with writer(engine).begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(wall ms, CPU ms, result) of the best of ``repeat`` runs after one warm-up."""
    result = fn()
    runs = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        runs.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    wall_ms, cpu_ms = min(runs)
    return wall_ms, cpu_ms, result


def measure(url: str, repeat: int) -> None:
    engine = make_engine(url)
    views = {
        "queue (unresolved)": ClaimFilter(),
        "desk (every claim)": ClaimFilter(statuses=frozenset(Status)),
        "queue, contested flag": ClaimFilter(contested=True),
        "queue, search 'strike'": ClaimFilter(q="strike"),
        "desk, search 'strike'": ClaimFilter(statuses=frozenset(Status), q="strike"),
        "queue, search 'case500'": ClaimFilter(q="case500"),
    }
    print(f"{engine.dialect.name}, {url.rsplit('/', 1)[-1]}")
    print(f"{'view':28} {'count':>22} {'count ms':>9} {'cpu ms':>7} {'page 1 ms':>10}")
    with Session(engine) as session:
        for name, filt in views.items():
            wall, cpu, count = best(lambda: count_claims(session, filt), repeat)
            page_wall, _cpu, _page = best(lambda: list_claims(session, filt, limit=50), repeat)
            label = f"{count.number:,}" + ("" if count.exact else " (about)")
            print(f"{name:28} {label:>22} {wall:9.1f} {cpu:7.1f} {page_wall:10.1f}")
    with Session(writer(engine)) as session:
        user = create_user(session, email="bulk@bench.example.org", password="benchmark password for bulk",
                           role="editor", name="Bulk Editor", actor=Actor.system("bench"))
        session.flush()
        actor = Actor.of(user)
        ids = session.execute(select(Claim.id, Claim.version).where(Claim.status.in_(UNRESOLVED))
                              .order_by(Claim.id).limit(bulk.MAX_CLAIMS)).all()
        selection = {row.id: row.version for row in ids}
        for name, change in (("assign", {"assignee_id": user.id}), ("add a tag", {"add_tag": "bulk"})):
            nested = session.begin_nested()
            wall, cpu = time.perf_counter(), time.process_time()
            result = bulk.apply(session, actor, selection, **change)
            session.flush()
            wall_ms, cpu_ms = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
            nested.rollback()
            print(f"bulk {name} on {len(selection):,} claims: {wall_ms / 1000:.1f} s wall, {cpu_ms / 1000:.1f} s CPU "
                  f"({wall_ms / len(selection):.2f} ms a claim; {len(result.changed):,} changed)")
        session.rollback()
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a database kept for benchmarks: it is emptied")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is (filled before)")
    args = parser.parse_args(argv)
    if not args.reuse:
        started = time.perf_counter()
        prepare(args.database_url)
        fill(args.database_url, args.claims)
        print(f"filled {args.claims:,} claims in {time.perf_counter() - started:.0f} s")
    measure(args.database_url, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
