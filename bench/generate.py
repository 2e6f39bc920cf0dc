"""Build a realistic data set of a chosen size, fast, on SQLite or PostgreSQL.

Usage (from the repository root)::

    python -m bench.generate --database-url sqlite:///instance/bench.sqlite3 --claims 100000
    python -m bench.generate --database-url postgresql://postgres@127.0.0.1/factcheck_bench \\
        --claims 1000000

The target is emptied and migrated to the newest schema first (``--database-url`` must name a
database kept for benchmarks: everything in it is lost). Then, per claim: about six statements
by speakers drawn from a pool of sources with affiliations (governments and their ministries,
armed groups and their spokespeople, anonymous officials, outlets), carried by one to three
reports; about five status changes along the real status machine, a tenth of claims left
unresolved; the source flags computed by the same function the services use; tags; desk
fields (priority, assignee, deadline); publication, and what readers saw from then on (the
public history, corrections marked by ``services.public_history.corrected_verdict``); the
first revision of every claim, statement, source and link. Rows are the rows the application
would have written, with two differences: the audit log is not reproduced, and ids are
allocated in fixed blocks per claim (claim 7's statements are 70 to 79), so that batches can
be made in parallel.

Publication: a claim that reaches a verdict is published (85 % of them) when it first does,
so that a reopening and a second verdict (a fifth of resolved claims) happen while readers
watch, and are corrections; a published unresolved claim (20 % of them) went public at a
random point of its history, and its later moves are public entries without corrections.

Why it is fast: rows are made in batches and sent with PostgreSQL's ``COPY`` or, on SQLite,
``executemany`` in one transaction per batch with the journal and fsync off for the load;
on PostgreSQL one process per core makes and loads batches at once.
Secondary indexes, constraints (PostgreSQL) and the full-text triggers (SQLite) are dropped
before the load and rebuilt once after it, which costs a fraction of maintaining them row by
row; the FTS5 table is rebuilt in one pass. A load that stops half-way leaves a database
without its indexes: run it again.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
from bisect import bisect_left
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring as _quote  # a str as JSON text (C), as json.dumps writes it
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from sqlalchemy import make_url, text
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import (  # noqa: E402
    REASONS_CONTESTED,
    REASONS_REOPEN,
    REASONS_REVIEW,
    REASONS_VERDICT,
    ClaimWriter,
    SourceSpec,
    sources,
)
from factcheck.db import make_engine  # noqa: E402
from factcheck.migrate import upgrade  # noqa: E402
from factcheck.models import Status  # noqa: E402
from factcheck.services.claims import CLAIM_ENTERED, slugify  # noqa: E402
from factcheck.services.independence import compute_flags, has_independent_assertion  # noqa: E402
from factcheck.services.public_history import corrected_verdict  # noqa: E402
from factcheck.services.revisions import TRACKED  # noqa: E402
from factcheck.services.sources import fingerprint  # noqa: E402
from factcheck.services.users import hash_password  # noqa: E402

#: Every generated account signs in with this password (benchmarks log in as an editor).
BENCH_PASSWORD = "benchmark password"
BENCH_EDITOR = "editor1@bench.example.org"
#: The data set spans these years; ids grow with time, as they do in a real tracker.
START = datetime(2021, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 5 * 365 * 86400

#: Tables filled by the load, with their columns in the order rows are made.
COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("id", "email", "name", "role", "password_hash", "active", "session_nonce", "created_at"),
    "tags": ("id", "name"),
    "sources": ("id", "kind", "name", "description", "anonymous", "anonymity_reason", "sealed_identity",
                "affiliation_id", "url", "version", "created_by_id", "created_at", "updated_at"),
    "reports": ("id", "url", "outlet_id", "title", "published_at", "retrieved_at", "text", "text_sha256",
                "created_by_id", "created_at"),
    "claims": ("id", "slug", "text", "context", "status", "status_changed_at", "priority", "assignee_id",
               "next_review_on", "deadline", "published_at", "version", "created_by_id", "created_at",
               "last_activity_at", "flag_contested", "flag_single_source", "flag_anonymous_only", "public_status"),
    "claim_tags": ("claim_id", "tag_id"),
    "statements": ("id", "speaker_id", "report_id", "relayed_by_id", "relayed_through_id", "text", "kind",
                   "said_on", "fingerprint", "version", "created_by_id", "created_at"),
    "claim_statements": ("id", "claim_id", "statement_id", "stance", "note", "created_by_id", "created_at"),
    "status_changes": ("id", "claim_id", "from_status", "to_status", "reason", "evidence", "note",
                       "independence_override", "override_reason", "override_note", "actor_id", "via", "version",
                       "at"),
    "public_history": ("id", "claim_id", "kind", "at", "status", "previous_status", "text", "previous_text",
                       "replaced_verdict", "correction", "reason", "status_change_id", "statement_id"),
    "revisions": ("id", "subject_type", "subject_id", "number", "values", "reason", "actor_id", "via", "at"),
}
BULK_TABLES = tuple(COLUMNS)


def _columns(table: str) -> str:
    """The column list of ``table``, quoted (``revisions.values`` is a keyword)."""
    return ", ".join(f'"{name}"' for name in COLUMNS[table])


STANCES = ("asserts", "denies", "unconfirmed", "mentions")
STANCE_WEIGHTS = (45, 65, 80, 100)  # cumulative: 45 % asserts, 20 % denies, 15 %, 20 %
VERDICTS = ("confirmed", "false", "misleading", "unproven")
VERDICT_WEIGHTS = (30, 65, 85, 100)  # cumulative
UNRESOLVED_SHARE = 0.10
CONTEXTS = ("a viral video", "a speech", "a press release", "a social media post", "a television interview")


#: "YYYY-MM-DD" of every day the data set spans (and a year beyond, for deadlines).
_DAYS = [(START + timedelta(days=n)).strftime("%Y-%m-%d") for n in range(SPAN_SECONDS // 86400 + 400)]


def stamp(seconds: float) -> str:
    """A time as the application stores it: naive UTC, microseconds always written.

    SQLite compares times as text, so the format must be exactly SQLAlchemy's, or keyset
    pagination would order ``…:00`` before ``…:00.000000``. (Made from a table of days,
    because ``strftime`` per row was a quarter of the generator's time.)
    """
    seconds = max(0.0, seconds)  # nothing before START
    whole = int(seconds)
    day, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{_DAYS[day]} {hours:02d}:{minutes:02d}:{secs:02d}.{int((seconds - whole) * 1e6):06d}"


# Stand-ins with the attributes ``independence.compute_flags`` reads, so that the generator
# judges flags and independence with the services' own rules instead of a copy of them.
class _Speaker(NamedTuple):
    id: int
    name: str
    anonymous: bool
    affiliation: _Speaker | None


class _Statement(NamedTuple):
    speaker: _Speaker


class _Link(NamedTuple):
    id: int
    stance: str
    statement: _Statement
    #: Linked and not retracted: every generated link counts.
    counts: bool = True


class Change(NamedTuple):
    """One status change being made: from, to, its reason, when (seconds from START, and as stored)."""

    frm: str | None
    to: str
    reason: str
    at: float
    stamp: str


#: The statuses as the enum, by value (``corrected_verdict`` takes enums).
STATUS = {status.value: status for status in Status}


#: Ids are allocated in fixed blocks per claim (claim 7's statements are 70…79), so that
#: batches of claims can be made and loaded by several processes at once without agreeing on
#: ids; the blocks are larger than any claim needs.
STATEMENTS_PER_CLAIM_MAX = 10
REPORTS_PER_CLAIM_MAX = 4
#: Status changes, and public history entries (a publication and the changes after it).
CHANGES_PER_CLAIM_MAX = 10
#: The claim's first revision, then its statements' (1 + n), then its links' (11 + n). The
#: sources' revisions come after every claim's block (``DataSet.source_revision_id``).
REVISIONS_PER_CLAIM_MAX = 1 + 2 * STATEMENTS_PER_CLAIM_MAX
#: ``--revisions``: whose first revisions the data set has.
REVISIONS = ("all", "claims", "none")
ROLES = ("admin",) + ("editor",) * 6 + ("checker",) * 24


def _revision_values(kind: str, *values: Any) -> str:
    """The JSON of a first revision: ``values`` in the order of ``revisions.TRACKED[kind]``."""
    fields = TRACKED[kind]
    assert len(fields) == len(values), f"revisions.TRACKED[{kind!r}] is {fields}: update the generator"
    return json.dumps(dict(zip(fields, values)), ensure_ascii=False)


# The revisions of claims, statements and links (13 a claim) are written as JSON text directly:
# ``json.dumps`` of a dict was a fifth of the generator's time. Same text as ``_revision_values``
# (the fields below must be ``revisions.TRACKED``'s, in its order: checked here).
assert TRACKED["claim"] == ("text", "context", "tags")
assert TRACKED["statement"] == ("text", "kind", "said_on", "speaker_id", "report_id", "relayed_by_id",
                                "relayed_through_id")
assert TRACKED["link"] == ("stance", "note")
_LINK_VALUES = {stance: _revision_values("link", stance, "") for stance in STANCES}


def _claim_values(text_: str, context: str, tags: list[str]) -> str:
    return (f'{{"text": {_quote(text_)}, "context": {_quote(context)}, '
            f'"tags": [{", ".join(_quote(tag) for tag in tags)}]}}')


def _statement_values(words: str, kind: str, said_on: str, speaker_id: int, report_id: int,
                      relayed_by_id: int | None) -> str:
    return (f'{{"text": {_quote(words)}, "kind": "{kind}", "said_on": "{said_on}", "speaker_id": {speaker_id}, '
            f'"report_id": {report_id}, "relayed_by_id": {"null" if relayed_by_id is None else relayed_by_id}, '
            '"relayed_through_id": null}')


@dataclass
class Batch:
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in COLUMNS})

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.rows[table].append(row)

    def counts(self) -> Counter[str]:
        return Counter({table: len(rows) for table, rows in self.rows.items()})


class DataSet:
    """Makes every row of a data set of ``claims`` claims, deterministically from ``seed``:
    a batch's rows depend only on the seed and the batch's first claim."""

    def __init__(self, claims: int, seed: int = 1, *, revisions: str = "all") -> None:
        self.claims = claims
        self.seed = seed
        #: Whose first revisions are written: "all" (claims, statements, sources, links, as
        #: migration 0007 leaves a database), "claims", or "none".
        assert revisions in REVISIONS, revisions
        self.all_revisions = revisions == "all"
        self.claim_revisions = revisions != "none"
        self.rng = random.Random(seed)
        self.writer = ClaimWriter(self.rng)
        self.source_specs: list[SourceSpec] = sources(self.writer, min(60_000, max(400, claims // 20)))
        speakers: list[_Speaker] = []
        for index, spec in enumerate(self.source_specs):
            parent = speakers[spec.affiliation] if spec.affiliation is not None else None
            speakers.append(_Speaker(index + 1, spec.name, spec.anonymous, parent))
        self.speakers = speakers
        # Speakers are drawn Zipf-like: a few sources are quoted constantly, most rarely.
        self.speaker_weights = _cumulative([1.0 / (rank ** 0.9) for rank in range(1, len(speakers) + 1)])
        self.speaker_order = list(range(len(speakers)))
        self.rng.shuffle(self.speaker_order)
        self.outlets = [i + 1 for i, s in enumerate(self.source_specs) if s.kind == "media"]
        self.relayers = [i + 1 for i, s in enumerate(self.source_specs) if s.kind in ("media", "person")
                         and not s.anonymous][:500]
        self.tag_names = sorted({slugify(c, 40) for c in self.writer.countries.items}
                                | {"conflict", "health", "economy", "elections", "climate", "crime",
                                   "science", "sport", "disinformation", "viral", "statistics", "quotes"})
        self.user_ids = list(range(1, len(ROLES) + 1))
        self.editor_ids = [uid for uid, role in zip(self.user_ids, ROLES) if role != "checker"]

    def reference_rows(self) -> Batch:
        """Users, tags and the source pool: what claims refer to."""
        batch = Batch()
        password_hash = hash_password(BENCH_PASSWORD)
        counts: Counter[str] = Counter()
        for uid, role in zip(self.user_ids, ROLES):
            counts[role] += 1
            batch.add("users", (uid, f"{role}{counts[role]}@bench.example.org", f"{role.title()} {counts[role]}",
                                role, password_hash, True, 0, stamp(0)))
        for tid, name in enumerate(self.tag_names, start=1):
            batch.add("tags", (tid, name))
        creator = self.user_ids[-1]
        for sid, spec in enumerate(self.source_specs, start=1):
            affiliation = spec.affiliation + 1 if spec.affiliation is not None else None
            batch.add("sources", (sid, spec.kind, spec.name, "", spec.anonymous, spec.anonymity_reason, None,
                                  affiliation, None, 1, creator, stamp(0), stamp(0)))
            values = _revision_values("source", spec.name, spec.kind, "", spec.anonymous, spec.anonymity_reason,
                                      None, affiliation, None)
            if self.all_revisions:
                batch.add("revisions", (self.source_revision_id(sid), "source", sid, 1, values, "", creator, "web",
                                        stamp(0)))
        return batch

    def source_revision_id(self, source_id: int) -> int:
        """Sources' revisions are numbered after the last claim's block."""
        return (self.claims + 1) * REVISIONS_PER_CLAIM_MAX + source_id

    def batch(self, first: int, last: int) -> Batch:
        """The rows of claims ``first`` to ``last`` (inclusive)."""
        self.rng.seed(f"{self.seed}-{first}")
        batch = Batch()
        for claim_id in range(first, last + 1):
            self._claim(claim_id, batch)
        return batch

    def _claim(self, claim_id: int, batch: Batch) -> None:
        """One claim and everything about it, as the desk would have entered it."""
        rng = self.rng
        created = (claim_id / self.claims) * SPAN_SECONDS * 0.98 + rng.uniform(0, 3600)
        checker = rng.choice(self.user_ids)
        text_ = self.writer.claim()
        slug = f"{slugify(text_, 100)}-{claim_id}"

        # Reports carrying the statements, and the statements (links in the order linked).
        reports = []
        created_at = stamp(created)
        for n in range(rng.choice((1, 1, 2, 2, 2, 3))):
            report_id = claim_id * REPORTS_PER_CLAIM_MAX + n
            outlet = rng.choice(self.outlets)
            published = created - rng.uniform(0, 86400 * 3)
            reports.append(report_id)
            batch.add("reports", (report_id, f"https://news{outlet}.example.org/{claim_id}/{n}",
                                  outlet, text_[:120], stamp(published), created_at, None, None,
                                  checker, created_at))
        moment = created
        said_on = (START + timedelta(seconds=created)).date().isoformat()
        links: list[_Link] = []
        revision = claim_id * REVISIONS_PER_CLAIM_MAX
        for n in range(rng.choice((3, 4, 5, 6, 6, 7, 7, 8, 9))):
            statement_id = claim_id * STATEMENTS_PER_CLAIM_MAX + n
            speaker = self.speakers[self.speaker_order[_draw(rng, self.speaker_weights)]]
            stance = rng.choices(STANCES, cum_weights=STANCE_WEIGHTS)[0]
            moment += rng.uniform(60, 7200)
            at = stamp(moment)
            relayed_by = rng.choice(self.relayers) if rng.random() < 0.05 else None
            report = rng.choice(reports)
            words = self.writer.statement(text_, stance)
            kind = rng.choice(("quote", "paraphrase"))
            batch.add("statements", (statement_id, speaker.id, report, relayed_by, None, words, kind, said_on,
                                     fingerprint(words), 1, checker, at))
            # One link per statement: the link takes the statement's id.
            batch.add("claim_statements", (statement_id, claim_id, statement_id, stance, "", checker, at))
            links.append(_Link(statement_id, stance, _Statement(speaker)))
            # First revisions, as the services write them with the statement and the link.
            if self.all_revisions:
                batch.add("revisions", (revision + 1 + n, "statement", statement_id, 1,
                                        _statement_values(words, kind, said_on, speaker.id, report, relayed_by),
                                        "", checker, "web", at))
                batch.add("revisions", (revision + 1 + STATEMENTS_PER_CLAIM_MAX + n, "link", statement_id, 1,
                                        _LINK_VALUES[stance], "", checker, "web", at))
        flags = compute_flags(links)  # type: ignore[arg-type]  (stand-ins, see _Link)

        # The status history, along the status machine. Every link bumped the version.
        changes = [Change(None, "unverified", CLAIM_ENTERED, created, created_at)]
        path = self._path(flags.contested)
        for frm, to in zip(["unverified", *path], path):
            moment += rng.uniform(600, 86400 * 2)
            changes.append(Change(frm, to, _reason(rng, frm, to), moment, stamp(moment)))
        status, status_at = changes[-1].to, changes[-1].at
        unresolved = status not in VERDICTS

        # Publication: after the change ``shown`` (the first verdict, for a resolved claim),
        # before the next one. Publishing bumps the version too.
        shown: int | None = None
        published_at: float | None = None
        if rng.random() < (0.2 if unresolved else 0.85):
            shown = (rng.randrange(len(changes)) if unresolved
                     else next(n for n, change in enumerate(changes) if change.to in VERDICTS))
            after = changes[shown + 1].at if shown + 1 < len(changes) else changes[shown].at + 7200
            published_at = changes[shown].at + rng.uniform(0.05, 0.5) * (after - changes[shown].at)

        version_after_links = 1 + len(links)
        first_change = claim_id * CHANGES_PER_CLAIM_MAX
        for n, (frm, to, reason, _, at) in enumerate(changes):
            override = None
            if to == "confirmed" and not has_independent_assertion(links):  # type: ignore[arg-type]
                override = "The editor confirmed it with the ministry by telephone; see evidence."
            actor = rng.choice(self.editor_ids) if (override or (frm and frm in VERDICTS)) else checker
            evidence = f"https://records.example.org/{claim_id}/{n}" if to in VERDICTS else ""
            version = 1 if n == 0 else version_after_links + n + (shown is not None and n > shown)
            batch.add("status_changes", (first_change + n, claim_id, frm, to, reason, evidence, "",
                                         override is not None, override, "", actor, "web", version, at))
        version = version_after_links + len(changes) - 1 + (shown is not None)
        published_stamp = None
        if shown is not None:
            assert published_at is not None
            published_stamp = stamp(published_at)
            self._public_history(claim_id, text_, changes, shown, published_stamp, batch)

        priority = rng.choices((0, 1, 2, 3), cum_weights=(20, 70, 90, 100))[0]
        assignee = rng.choice(self.user_ids) if unresolved and rng.random() < 0.6 else None
        deadline = stamp(created + rng.uniform(86400, 86400 * 21)) if unresolved and rng.random() < 0.4 else None
        context = "" if rng.random() < 0.7 else f"Raised by readers after {rng.choice(CONTEXTS)}."
        last_activity = max(status_at, moment, published_at or 0.0)
        batch.add("claims", (claim_id, slug, text_, context, status, changes[-1].stamp, priority, assignee, None,
                             deadline, published_stamp, version, checker, created_at, stamp(last_activity),
                             flags.contested, flags.single_source, flags.anonymous_only,
                             # what readers see: the newest public entry's status (every change
                             # after the publication is public; no verdict waits for sign-off here)
                             status if published_stamp else None))
        tags = sorted({rng.randrange(len(self.tag_names)) + 1 for _ in range(rng.choice((0, 1, 1, 2)))})
        for tag in tags:
            batch.add("claim_tags", (claim_id, tag))
        if self.claim_revisions:
            batch.add("revisions", (revision, "claim", claim_id, 1,
                                    _claim_values(text_, context, sorted(self.tag_names[tag - 1] for tag in tags)),
                                    "", checker, "web", created_at))

    def _public_history(self, claim_id: int, text_: str, changes: list[Change], shown: int, published_at: str,
                        batch: Batch) -> None:
        """What readers saw: "published as" the status of change ``shown`` (the newest at the
        publication), then every later change, with ``corrected_verdict`` deciding the
        corrections — the rule the services apply as they write these rows."""
        entry = claim_id * CHANGES_PER_CLAIM_MAX
        first_change = claim_id * CHANGES_PER_CLAIM_MAX
        seen = STATUS[changes[shown].to]
        batch.add("public_history", (entry, claim_id, "published", published_at, seen.value, None, text_,
                                     None, None, False, None, first_change + shown, None))
        last_seen_verdict = seen if seen.resolved else None
        for n in range(shown + 1, len(changes)):
            to = STATUS[changes[n].to]
            replaced = corrected_verdict(seen, last_seen_verdict, to)
            entry += 1
            batch.add("public_history", (entry, claim_id, "status", changes[n].stamp, to.value, seen.value,
                                         None, None, replaced.value if replaced is not None else None,
                                         replaced is not None, None, first_change + n, None))
            seen = to
            if to.resolved:
                last_seen_verdict = to

    def _path(self, contested_by_sources: bool) -> list[str]:
        """Statuses after ``unverified``: a tenth stop unresolved, the rest reach a verdict,
        most through ``contested``, some reopened and judged again (a correction)."""
        rng = self.rng
        if rng.random() < UNRESOLVED_SHARE:
            return rng.choice(([], ["in_review"], ["in_review", "contested"],
                               ["in_review", "contested", "in_review"]))
        path = ["in_review"]
        if contested_by_sources or rng.random() < 0.8:
            path.append("contested")
            if rng.random() < 0.6:
                path += ["in_review", "contested"]
        verdict = rng.choices(VERDICTS, cum_weights=VERDICT_WEIGHTS)[0]
        path.append(verdict)
        if rng.random() < 0.2:
            path += ["in_review", rng.choice([v for v in VERDICTS if v != verdict])]
        return path

    def ranges(self, size: int) -> list[tuple[int, int]]:
        """The batches: (first claim, last claim), ``size`` claims each."""
        return [(first, min(self.claims, first + size - 1)) for first in range(1, self.claims + 1, size)]


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _draw(rng: random.Random, cumulative: Sequence[float]) -> int:
    return min(bisect_left(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def _reason(rng: random.Random, frm: str | None, to: str) -> str:
    if frm in VERDICTS:
        return rng.choice(REASONS_REOPEN)
    if to == "in_review":
        return rng.choice(REASONS_REVIEW)
    if to == "contested":
        return rng.choice(REASONS_CONTESTED)
    return rng.choice(REASONS_VERDICT)


# -- loaders ---------------------------------------------------------------------------------
class Loader(Protocol):
    """Where rows go. ``prepare`` and ``finish`` run once, in the main process; ``write_batch``
    may run in several processes at once (each opens its own loader with ``open_writer``)."""

    def prepare(self) -> None: ...
    def write_batch(self, batch: Batch) -> None: ...
    def finish(self, progress: tqdm) -> None: ...
    def steps(self) -> int: ...
    def close(self) -> None: ...


class PostgresLoader:
    """COPY into tables stripped of indexes and constraints, then rebuild them (as
    pg_restore does): one sort per index instead of millions of index insertions, and one
    join per foreign key instead of a trigger per row."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(_libpq_url(url), autocommit=False)
        self.conn.execute("SET synchronous_commit = off")
        self.rebuild: list[str] = []

    def prepare(self) -> None:
        cur = self.conn.cursor()
        tables = list(BULK_TABLES)
        constraints = cur.execute(
            "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE (c.contype IN ('p', 'u') AND c.conrelid::regclass::text = ANY(%s)) "
            "OR (c.contype = 'f' AND (c.conrelid::regclass::text = ANY(%s) "
            "OR c.confrelid::regclass::text = ANY(%s)))", (tables, tables, tables)
        ).fetchall()
        owned = {name for _, name, _, _ in constraints}
        indexes = [(name, definition) for name, definition in cur.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s)", (tables,)
        ).fetchall() if name not in owned]
        # Rebuilt keys first, then indexes, then the foreign keys (which need the keys).
        order = {"p": 0, "u": 1, "f": 3}
        plan = [(order[kind], f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                for table, name, kind, definition in constraints]
        plan += [(2, definition) for _, definition in indexes]
        self.rebuild = [sql for _, sql in sorted(plan, key=lambda item: item[0])]
        for table, name, _, _ in sorted(constraints, key=lambda c: c[2] != "f"):
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
        for name, _ in indexes:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        self.conn.commit()

    def write_batch(self, batch: Batch) -> None:
        cur = self.conn.cursor()
        for table, rows in batch.rows.items():
            if rows:
                with cur.copy(f"COPY {table} ({_columns(table)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        self.conn.commit()

    def finish(self, progress: tqdm) -> None:
        cur = self.conn.cursor()
        cur.execute("SET maintenance_work_mem = '1GB'")
        for sql in self.rebuild:
            progress.set_postfix_str(sql[:60])
            cur.execute(sql)
            self.conn.commit()
            progress.update()
        for table in BULK_TABLES:
            if "id" in COLUMNS[table]:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM {table}))")
        self.conn.commit()
        self.conn.autocommit = True
        progress.set_postfix_str("VACUUM ANALYZE")
        # Sets the visibility map (index-only scans) and the planner's statistics, as
        # autovacuum would some minutes later.
        for table in BULK_TABLES:
            cur.execute(f"VACUUM (ANALYZE) {table}")
        progress.update()

    def steps(self) -> int:
        return len(self.rebuild) + 1

    def close(self) -> None:
        self.conn.close()


class SqliteLoader:
    """executemany in one transaction per batch, journal and fsync off for the load only;
    indexes and the full-text triggers dropped first and rebuilt once at the end."""

    def __init__(self, url: str) -> None:
        path = make_url(url).database
        assert path, "an SQLite file, not a memory database"
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "foreign_keys = OFF",
                       "cache_size = -1000000", "temp_store = MEMORY"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.rebuild: list[str] = []

    def prepare(self) -> None:
        tables = ", ".join(f"'{t}'" for t in BULK_TABLES)
        objects = self.conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
            f"((type = 'index' AND tbl_name IN ({tables})) OR (type = 'trigger' AND tbl_name = 'claims'))"
        ).fetchall()
        self.rebuild = [sql for kind, _, sql in sorted(objects, key=lambda o: o[0] == "trigger")]
        for kind, name, _ in objects:
            self.conn.execute(f'DROP {kind.upper()} "{name}"')

    def write_batch(self, batch: Batch) -> None:
        self.conn.execute("BEGIN")
        for table, rows in batch.rows.items():
            if rows:
                marks = ", ".join("?" * len(COLUMNS[table]))
                self.conn.executemany(f"INSERT INTO {table} ({_columns(table)}) VALUES ({marks})", rows)
        self.conn.execute("COMMIT")

    def finish(self, progress: tqdm) -> None:
        c = self.conn
        for sql in self.rebuild:
            progress.set_postfix_str(sql[:60])
            c.execute(sql)
            progress.update()
        progress.set_postfix_str("FTS rebuild, ANALYZE")
        c.execute("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')")
        c.execute("ANALYZE")
        problems = c.execute("PRAGMA foreign_key_check").fetchmany(5)
        if problems:
            raise RuntimeError(f"generated rows break foreign keys: {problems}")
        c.execute("PRAGMA journal_mode = WAL")
        progress.update()

    def steps(self) -> int:
        return len(self.rebuild) + 1

    def close(self) -> None:
        self.conn.close()


def open_loader(url: str) -> Loader:
    return PostgresLoader(url) if make_url(url).get_backend_name() == "postgresql" else SqliteLoader(url)


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def prepare_schema(url: str) -> None:
    """An empty database at the newest migration (created first on PostgreSQL if missing)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        import psycopg

        with psycopg.connect(_libpq_url(parsed.set(database="postgres").render_as_string(hide_password=False)),
                             autocommit=True) as admin:
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
    try:
        upgrade(engine)
    finally:
        engine.dispose()


# -- several loading processes (PostgreSQL) ---------------------------------------------------
_worker: tuple[DataSet, Loader] | None = None


def _start_worker(dataset: DataSet, url: str) -> None:
    global _worker
    _worker = (dataset, open_loader(url))


def _load_range(bounds: tuple[int, int]) -> tuple[int, Counter[str]]:
    assert _worker is not None
    dataset, loader = _worker
    batch = dataset.batch(*bounds)
    loader.write_batch(batch)
    return bounds[1] - bounds[0] + 1, batch.counts()


@dataclass(frozen=True)
class Generated:
    database: str
    claims: int
    rows: dict[str, int]
    load_seconds: float
    index_seconds: float

    @property
    def seconds(self) -> float:
        return self.load_seconds + self.index_seconds


def generate(url: str, claims: int, *, seed: int = 1, batch_size: int = 5000, workers: int | None = None,
             quiet: bool = False, revisions: str = "all") -> Generated:
    """Replace the database at ``url`` by a generated data set of ``claims`` claims.

    On PostgreSQL ``workers`` processes (default: one per core) make and COPY batches at
    once; SQLite has one writer, so there it is always one.
    """
    url = sqlalchemy_url(url)
    started = time.perf_counter()
    prepare_schema(url)
    dataset = DataSet(claims, seed, revisions=revisions)
    postgresql = make_url(url).get_backend_name() == "postgresql"
    workers = (workers or os.cpu_count() or 1) if postgresql else 1
    rows: Counter[str] = Counter()
    loader = open_loader(url)
    try:
        loader.prepare()
        reference = dataset.reference_rows()
        loader.write_batch(reference)
        rows.update(reference.counts())
        ranges = dataset.ranges(batch_size)
        with tqdm(total=claims, unit="claim", desc="Generating", disable=quiet, smoothing=0.05) as bar:
            if workers == 1:
                for bounds in ranges:
                    batch = dataset.batch(*bounds)
                    loader.write_batch(batch)
                    rows.update(batch.counts())
                    bar.update(bounds[1] - bounds[0] + 1)
            else:
                context = multiprocessing.get_context("fork")
                with context.Pool(workers, initializer=_start_worker, initargs=(dataset, url)) as pool:
                    for count, counts in pool.imap_unordered(_load_range, ranges):
                        rows.update(counts)
                        bar.update(count)
        loaded = time.perf_counter()
        with tqdm(total=loader.steps(), unit="step", desc="Indexing", disable=quiet) as bar:
            loader.finish(bar)
        finished = time.perf_counter()
    finally:
        loader.close()
    return Generated(make_url(url).get_backend_name(), claims, dict(rows), loaded - started, finished - loaded)


def sqlalchemy_url(url: str) -> str:
    """``url`` as SQLAlchemy names it: ``postgres(ql)://`` mapped to the psycopg 3 driver."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the benchmark database (emptied first)")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=5000, help="claims per transaction")
    parser.add_argument("--workers", type=int, default=None, help="loading processes (PostgreSQL)")
    parser.add_argument("--revisions", choices=REVISIONS, default="all",
                        help="whose first revisions are written (default: claims, statements, sources and links)")
    args = parser.parse_args(argv)
    result = generate(args.database_url, args.claims, seed=args.seed, batch_size=args.batch, workers=args.workers,
                      revisions=args.revisions)
    per_claim = {t: n / max(1, result.claims) for t, n in result.rows.items()}
    print(f"{result.claims} claims on {result.database} in {result.seconds:.1f} s "
          f"(load {result.load_seconds:.1f} s, indexes {result.index_seconds:.1f} s)")
    print(", ".join(f"{table} {n}" for table, n in result.rows.items()))
    print(f"per claim: {per_claim['statements']:.1f} statements, {per_claim['status_changes']:.1f} status changes, "
          f"{per_claim['public_history']:.2f} public history entries, {per_claim['revisions']:.1f} revisions")
    engine = make_engine(sqlalchemy_url(args.database_url))
    try:
        with engine.connect() as conn:
            published, corrections = conn.execute(text(
                "SELECT (SELECT count(*) FROM claims WHERE published_at IS NOT NULL), "
                "(SELECT count(*) FROM public_history WHERE correction)"
            )).one()
    finally:
        engine.dispose()
    print(f"{published} claims published ({published / max(1, result.claims):.0%}), {corrections} corrections "
          "in their public history")
    return 0


if __name__ == "__main__":
    sys.exit(main())
