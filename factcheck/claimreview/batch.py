"""Importing new reviews a batch at a time: ``import_one``'s rows, a few statements a batch.

``import_one`` takes an item through the desk's services, about thirty SQL statements each. A
whole feed of new reviews (100,000 of them is a real need) is written here instead: each item
is decided by the same rules, its rows are built by the services' own row functions
(``claim_row``, ``source_row``, ``report_row``, ``statement_row``, ``link_row``,
``entered_row``, ``history_row``, ``revision_row`` and the audit events), and each table gets
one bulk statement per batch:

1. Per item, without the database: the review URL and the verdict (``review_key``); a refused
   item fails with its reason and touches nothing.
2. One lookup per kind of thing for the whole batch (``IN (…)``, or ``= ANY(…)`` on
   PostgreSQL): the reviews already imported, the claimants (``sources_named``, as
   ``import_one`` finds them, ``claimant_match`` choosing), the reports (by URL), the claim
   slugs, and statements already recorded by those claimants in those reports.
3. Per item, in order, in memory: a review already imported and unchanged is skipped; a new
   one is planned as ``import_one`` writes it — its claim (a slug no claim has yet), its
   claimant and report (reused, or new), its statement (reused when already recorded,
   ``find_duplicate``) and link, the source flags, the status steps of ``steps_to``, each
   judged by ``judge_move`` and ``require_independence``, with their history and audit rows,
   its ImportedReview. A check that fails fails that item alone, with the service's words.
   What an item creates is seen by the items after it (one claimant, one report, ``-2``
   slugs), as item by item.
4. The rows are inserted in bulk, one statement per table: on PostgreSQL ``INSERT … SELECT
   FROM unnest(…)`` of one array per column, on SQLite one ``executemany``; each value is
   converted by its column's SQLAlchemy type, as an ORM insert would. Rows that later rows
   point to (sources, reports, claims, statements, links) get their ids first: from the
   table's sequence on PostgreSQL, the next free ones on SQLite. History rows go in waves
   (every claim's first row, then every second…), so that each claim's rows are in order of
   id. The full-text index follows the claims table by itself.

Left to ``import_one``, in order, after the bulk write: a review imported before and changed
since (it moves an existing claim through ``change_status``), and every later occurrence in
the batch of a review that changed.

The batch runs inside one savepoint. If anything in it fails — the database refusing a row,
say — the savepoint is rolled back and the batch is imported again in halves, down to
``SMALLEST_BULK`` items, which go item by item through ``import_one``: one bad item costs a
few retries and never the other items.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, Table, Text, TypeDecorator, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..models import (
    AuditEvent,
    Claim,
    ClaimStatement,
    ImportedReview,
    Report,
    Revision,
    Source,
    Stance,
    Statement,
    Status,
    StatusChange,
    utcnow,
)
from ..services import archive, independence, revisions
from ..services.claims import claim_row, created_event, entered_row, link_event, link_row, slugify
from ..services.sources import report_event, report_row, source_row, sources_named, statement_row
from ..services.status import audit_row, history_row, judge_move, require_independence
from .ratings import RatingMap, Verdict
from .reading import Appearance, ReviewItem
from .rules import (
    ACTOR,
    MAX_NAME_LENGTH,
    ItemRefused,
    Outcome,
    claimant_description,
    claimant_match,
    failure,
    first_appearance,
    rating_fields,
    raw_json,
    review_event,
    review_key,
    steps_to,
    verdict_note,
)

logger = logging.getLogger(__name__)

#: Values per ``IN (…)`` lookup: within the oldest SQLite limit of 999 bound parameters.
IN_CHUNK = 500
#: A batch that fails is retried in halves down to this size, then item by item.
SMALLEST_BULK = 16

CLAIMS: Table = Claim.__table__  # type: ignore[assignment]
SOURCES: Table = Source.__table__  # type: ignore[assignment]
REPORTS: Table = Report.__table__  # type: ignore[assignment]
STATEMENTS: Table = Statement.__table__  # type: ignore[assignment]
LINKS: Table = ClaimStatement.__table__  # type: ignore[assignment]
HISTORY: Table = StatusChange.__table__  # type: ignore[assignment]
AUDIT: Table = AuditEvent.__table__  # type: ignore[assignment]
REVIEWS: Table = ImportedReview.__table__  # type: ignore[assignment]
REVISIONS: Table = Revision.__table__  # type: ignore[assignment]

#: The fields of an ImportedReview compared to tell an unchanged review (``rating_fields``).
RATING_FIELDS = tuple(rating_fields(ReviewItem(origin="", raw={}, review_url=None, claim_text=None, publisher="")))

#: The item-by-item path (``importer.import_one``): what a batch falls back to.
OneByOne = Callable[..., Outcome]


def import_batch(
    session: Session, items: Sequence[ReviewItem], *, ratings: RatingMap, one_by_one: OneByOne
) -> list[Outcome]:
    """Import ``items`` in order: the rows and outcomes of ``one_by_one`` (``import_one``)
    on each in turn, which is also what any item this path does not plan for goes through."""
    if not items:
        return []
    batch = _Batch(session, ratings)
    try:
        with session.begin_nested():
            outcomes = batch.run(items)
    except Exception as error:  # noqa: BLE001 - any failure: the same items, more carefully
        logger.info("bulk import of %d items failed (%s: %s); retrying %s", len(items),
                    type(error).__name__, str(error).splitlines()[0] if str(error) else "",
                    "item by item" if len(items) <= SMALLEST_BULK else "in halves")
        if len(items) <= SMALLEST_BULK:
            return [one_by_one(session, item, ratings=ratings) for item in items]
        middle = len(items) // 2
        return (import_batch(session, items[:middle], ratings=ratings, one_by_one=one_by_one)
                + import_batch(session, items[middle:], ratings=ratings, one_by_one=one_by_one))
    for index in batch.through_services:
        outcomes[index] = one_by_one(session, items[index], ratings=ratings)
    return outcomes  # type: ignore[return-value]  (every index is filled by now)


@dataclass
class _New:
    """A row this batch creates; ``id`` once inserted."""

    row: dict[str, Any]
    id: int | None = None
    #: Its revision's values, once its ids are known (sources and statements).
    values: dict[str, Any] = field(default_factory=dict)


def _id(ref: int | _New | None) -> int | None:
    if isinstance(ref, _New):
        assert ref.id is not None
        return ref.id
    return ref


@dataclass
class _Plan:
    """The rows of one new review, before ids are known."""

    claim: dict[str, Any]
    speaker: int | _New | None
    report: int | _New | None
    #: The statement of the claimant: new here, or one already recorded (its id or _New).
    statement: int | _New | None
    review: dict[str, Any]
    #: History rows in order (the first is "Claim entered."), each with its audit row or None.
    history: list[tuple[dict[str, Any], dict[str, Any] | None]]
    link: dict[str, Any] | None = None
    new_source: _New | None = None
    new_report: _New | None = None
    new_statement: _New | None = None
    claim_id: int | None = None


class _Slugs:
    """``unique_slug`` for a batch: which candidate slugs the database holds, probed with
    ``IN`` lookups, plus those taken by earlier items of the batch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.known: set[str] = set()
        self.taken: set[str] = set()

    def probe(self, slugs: Iterable[str]) -> None:
        unknown = {slug for slug in slugs if slug not in self.known}
        for condition in _among(self.session, Claim.slug, unknown):
            self.taken.update(self.session.scalars(select(Claim.slug).where(condition)))
        self.known |= unknown

    @staticmethod
    def candidates(base: str) -> list[str]:
        """``unique_slug``'s candidates, in its order."""
        return [base] + [f"{base}-{n}" for n in range(2, 10)]

    def pick(self, base: str) -> str:
        candidates = self.candidates(base)
        for candidate in candidates:
            if candidate not in self.known:
                self.probe(candidates)
            if candidate not in self.taken:
                return candidate
        while True:
            candidate = f"{base}-{secrets.token_hex(3)}"
            self.probe([candidate])
            if candidate not in self.taken:
                return candidate

    def take(self, slug: str) -> None:
        self.known.add(slug)
        self.taken.add(slug)


class _Batch:
    def __init__(self, session: Session, ratings: RatingMap) -> None:
        self.session = session
        self.ratings = ratings
        self.slugs = _Slugs(session)
        #: Claimant name (lower-cased) → the source ``import_one`` would take (id, or new here).
        self.sources: dict[str, int | _New | None] = {}
        #: Report URL → report (id, or new here).
        self.reports: dict[str, int | _New] = {}
        #: (speaker, report, fingerprint) → a statement recorded or planned (``find_duplicate``).
        self.statements: dict[tuple[Any, Any, str], int | _New] = {}
        self.plans: list[_Plan] = []
        #: The claim text of each item that may create a claim (by id), checked, and its slug's base.
        self.texts: dict[int, tuple[str, str]] = {}
        #: ``first_appearance`` of each item (by id), worked out once.
        self.appearances: dict[int, tuple[str, Appearance] | None] = {}
        #: Indexes of the items left to ``import_one``, in order (changed reviews).
        self.through_services: list[int] = []

    # -- the batch, in order ------------------------------------------------------------------

    def run(self, items: Sequence[ReviewItem]) -> list[Outcome | None]:
        outcomes: list[Outcome | None] = [None] * len(items)
        heads: list[tuple[int, ReviewItem, str, Verdict]] = []
        for index, item in enumerate(items):
            try:
                key, verdict = review_key(item, self.ratings)
            except Exception as error:  # noqa: BLE001 - as import_one: the item fails alone
                outcomes[index] = failure(item, error)
                continue
            heads.append((index, item, key, verdict))

        known = self._imported({key for _, _, key, _ in heads})
        self._look_up([item for _, item, key, _ in heads if key not in known])

        left: set[str] = set()  # reviews handed to import_one: their later items follow
        for index, item, key, verdict in heads:
            if key in left:
                self.through_services.append(index)
                continue
            stored = known.get(key)
            if stored is not None:
                fields, slug = stored
                if fields == rating_fields(item):
                    outcomes[index] = Outcome(item.origin, "skipped", "already imported, unchanged", key, slug)
                else:  # changed: import_one moves its claim through the services
                    left.add(key)
                    self.through_services.append(index)
                continue
            try:
                plan = self._plan(item, key, verdict)
            except (ItemRefused, DomainError) as error:
                outcomes[index] = failure(item, error)
                continue
            self._accept(plan)
            known[key] = ({name: plan.review[name] for name in RATING_FIELDS}, plan.claim["slug"])
            outcomes[index] = Outcome(item.origin, "imported", verdict_note(verdict, item), key,
                                      plan.claim["slug"])
        self._write()
        return outcomes

    # -- lookups: one query per kind of thing (per IN_CHUNK values on SQLite) -----------------

    def _imported(self, keys: set[str]) -> dict[str, tuple[dict[str, object], str]]:
        """The reviews already imported among ``keys``: what they say, and their claim's slug."""
        r = ImportedReview
        found: dict[str, tuple[dict[str, object], str]] = {}
        for condition in _among(self.session, r.review_url, keys):
            rows = self.session.execute(
                select(r.review_url, *(getattr(r, name) for name in RATING_FIELDS), Claim.slug)
                .join(Claim, Claim.id == r.claim_id)
                .where(condition)
            )
            for row in rows:
                found[row.review_url] = ({name: getattr(row, name) for name in RATING_FIELDS}, row.slug)
        return found

    def _look_up(self, fresh: list[ReviewItem]) -> None:
        """Slugs, claimants, reports and recorded statements of the items that may create claims."""
        bases: list[str] = []
        names: set[str] = set()
        urls: set[str] = set()
        for item in fresh:
            try:
                text = claim_row(self.session, ACTOR, text=item.claim_text or "", at=utcnow())["text"]
            except DomainError:
                continue  # it fails in _plan, with these words
            self.texts[id(item)] = text, slugify(text)
            bases.append(self.texts[id(item)][1])
            if item.claimant is not None:
                names.add(item.claimant.name[:MAX_NAME_LENGTH])
            appearance = self._appearance(item)
            if appearance is not None:
                urls.add(appearance[0])
        # Every base first; every candidate of the bases that are taken or shared (the rest
        # are probed if an earlier item's slug turns out to be one of them).
        self.slugs.probe(bases)
        self.slugs.probe(
            candidate for base, n in Counter(bases).items() if n > 1 or base in self.slugs.taken
            for candidate in _Slugs.candidates(base)
        )
        for key, found in sources_named(self.session, names).items():
            self.sources[key] = claimant_match(found)
        for condition in _among(self.session, Report.url, urls):
            for report_id, url in self.session.execute(select(Report.id, Report.url).where(condition)):
                self.reports[url] = report_id
        speakers = {source_id for source_id in self.sources.values() if isinstance(source_id, int)}
        for condition in _among(self.session, Statement.speaker_id, speakers):
            rows = self.session.execute(
                select(Statement.id, Statement.speaker_id, Statement.report_id, Statement.fingerprint)
                .where(condition, Statement.retracted_at.is_(None)).order_by(Statement.id)
            )
            for statement_id, speaker_id, report_id, print_ in rows:
                self.statements.setdefault((speaker_id, report_id, print_), statement_id)

    def _appearance(self, item: ReviewItem) -> tuple[str, Appearance] | None:
        key = id(item)
        if key not in self.appearances:
            self.appearances[key] = first_appearance(item)
        return self.appearances[key]

    # -- one new review, as import_one would write it -----------------------------------------

    def _plan(self, item: ReviewItem, key: str, verdict: Verdict) -> _Plan:
        """The rows of ``_import`` for a new review, checked in its order with its words."""
        now = utcnow()
        # create_claim
        claim = claim_row(self.session, ACTOR, text=item.claim_text or "", at=now)
        claim["slug"] = self.slugs.pick(self.texts[id(item)][1] if id(item) in self.texts else slugify(claim["text"]))
        # _claimant: a named source of that name, or a new one (create_source)
        new_source: _New | None = None
        speaker: int | _New | None = None
        if item.claimant is not None:
            name = item.claimant.name[:MAX_NAME_LENGTH]
            speaker = self.sources.get(name.strip().lower())
            if speaker is None:
                speaker = new_source = _New(source_row(
                    self.session, ACTOR, name=name, kind=item.claimant.kind,
                    description=claimant_description(item), at=now,
                ))
        # _report: the first usable appearance, reused by URL or new (create_report)
        new_report: _New | None = None
        report: int | _New | None = None
        found = self._appearance(item)
        if found is not None:
            url, appearance = found
            report = self.reports.get(url)
            if report is None:
                report = new_report = _New(report_row(
                    self.session, ACTOR, url=url, title=appearance.title[:500],
                    published_at=appearance.published, at=now,
                ))
        # find_duplicate or create_statement, then link_statement (a new version: the flags)
        version = 1
        statement: int | _New | None = None
        new_statement: _New | None = None
        link = None
        links: list[Any] = []
        flags = independence.SourceFlags(contested=False, single_source=False, anonymous_only=False)
        if speaker is not None:
            row = statement_row(
                self.session, ACTOR, speaker_id=None, text=item.claim_text or "", kind="paraphrase",
                said_on=item.claim_date.date() if item.claim_date else None, at=now,
            )
            statement = self.statements.get((_ref(speaker), _ref(report), row["fingerprint"]))
            if statement is None:
                statement = new_statement = _New(row)
            link = link_row(None, None, Stance.ASSERTS, "", ACTOR, now)
            links = [_planned_link(speaker)]
            flags = independence.compute_flags(links)
            version += 1
        history: list[tuple[dict[str, Any], dict[str, Any] | None]] = [(entered_row(None, ACTOR, now), None)]
        status = Status.UNVERIFIED
        for step in steps_to(status, verdict, item):
            move = judge_move(status, step.to, step.reason, ACTOR, evidence=step.evidence,
                              override_reason=step.override_reason)
            require_independence(move, links)
            version += 1
            history.append((history_row(None, move, ACTOR, version, now), audit_row(None, move, ACTOR, now, version)))
            status = step.to
        claim.update(status=status, version=version, flag_contested=flags.contested,
                     flag_single_source=flags.single_source, flag_anonymous_only=flags.anonymous_only)
        review = {"review_url": key, **rating_fields(item), "raw": raw_json(item), "imported_at": now,
                  "updated_at": now}
        return _Plan(claim, speaker, report, statement, review, history, link, new_source, new_report,
                     new_statement)

    def _accept(self, plan: _Plan) -> None:
        """What a planned item creates is there for the items after it."""
        self.plans.append(plan)
        self.slugs.take(plan.claim["slug"])
        if plan.new_source is not None:
            key = plan.new_source.row["name"].strip().lower()
            if self.sources.get(key) is None:
                self.sources[key] = plan.new_source
        if plan.new_report is not None:
            self.reports[plan.new_report.row["url"]] = plan.new_report
        if plan.new_statement is not None:
            key = (_ref(plan.speaker), _ref(plan.report), plan.new_statement.row["fingerprint"])
            self.statements.setdefault(key, plan.new_statement)

    # -- the bulk write -----------------------------------------------------------------------

    def _write(self) -> None:
        plans = self.plans
        if not plans:
            return
        created: list[dict[str, Any]] = []  # audit events of the rows created, by kind
        revision_rows: list[dict[str, Any]] = []

        new_sources = [plan.new_source for plan in plans if plan.new_source is not None]
        for new, new_id in zip(new_sources, self._insert(SOURCES, [n.row for n in new_sources]), strict=True):
            new.id = new_id
            values = revisions.snapshot("source", SimpleNamespace(**new.row))
            revision_rows.append(revisions.revision_row("source", new_id, 1, values, ACTOR, new.row["created_at"]))
            created.append(created_event("source", new_id, values, ACTOR, new.row["created_at"]))
        new_reports = [plan.new_report for plan in plans if plan.new_report is not None]
        for new, new_id in zip(new_reports, self._insert(REPORTS, [n.row for n in new_reports]), strict=True):
            new.id = new_id
            created.append(report_event(new_id, new.row, ACTOR, new.row["created_at"]))
        for plan, claim_id in zip(plans, self._insert(CLAIMS, [p.claim for p in plans]), strict=True):
            plan.claim_id = claim_id
            values = revisions.snapshot("claim", SimpleNamespace(**plan.claim, tags=[]))
            revision_rows.append(revisions.revision_row("claim", claim_id, 1, values, ACTOR, plan.claim["created_at"]))
            created.append(created_event("claim", claim_id, values, ACTOR, plan.claim["created_at"]))

        new_statements = [plan for plan in plans if plan.new_statement is not None]
        rows = [{**plan.new_statement.row, "speaker_id": _id(plan.speaker), "report_id": _id(plan.report)}  # type: ignore[union-attr]
                for plan in new_statements]
        for plan, row, new_id in zip(new_statements, rows, self._insert(STATEMENTS, rows), strict=True):
            assert plan.new_statement is not None
            plan.new_statement.id = new_id
            values = revisions.snapshot("statement", SimpleNamespace(**row))
            revision_rows.append(revisions.revision_row("statement", new_id, 1, values, ACTOR, row["created_at"]))
            created.append(created_event("statement", new_id, values, ACTOR, row["created_at"]))

        linked = [plan for plan in plans if plan.link is not None]
        link_rows = [{**plan.link, "claim_id": plan.claim_id, "statement_id": _id(plan.statement)}  # type: ignore[dict-item]
                     for plan in linked]
        for row, new_id in zip(link_rows, self._insert(LINKS, link_rows), strict=True):
            values = revisions.snapshot("link", SimpleNamespace(**row))
            revision_rows.append(revisions.revision_row("link", new_id, 1, values, ACTOR, row["created_at"]))
            created.append(link_event(row["claim_id"], row["statement_id"], values, ACTOR, row["created_at"], (1, 2)))
        self._insert(REVIEWS, [{**plan.review, "claim_id": plan.claim_id} for plan in plans], returning=False)
        created += [review_event("review.import", plan.claim_id, plan.review["review_url"], {},
                                 {name: plan.review[name] for name in RATING_FIELDS}, plan.review["imported_at"])
                    for plan in plans]
        self._insert(REVISIONS, revision_rows, returning=False)
        # In waves (every claim's first row, then every second…): each claim's history is in
        # order of id whatever order the database numbers one statement's rows in.
        for wave in range(max(len(plan.history) for plan in plans)):
            moved = [plan for plan in plans if len(plan.history) > wave]
            self._insert(HISTORY, [{**plan.history[wave][0], "claim_id": plan.claim_id} for plan in moved],
                         returning=False)
            created += [{**row, "subject_id": plan.claim_id} for plan in moved
                        if (row := plan.history[wave][1]) is not None]
        self._insert(AUDIT, created, returning=False)
        self._archive(new_reports, plans)

    def _archive(self, new_reports: list[_New], plans: list[_Plan]) -> None:
        """Archive requests for the new reports and the new status changes whose evidence has
        links (``services.archive``), as ``create_report`` and ``change_status`` write them."""
        cited = sorted({plan.claim_id for plan in plans if any(row["evidence"] for row, _ in plan.history)})
        evidence: list[tuple[int, str]] = []
        for condition in _among(self.session, StatusChange.claim_id, cited):
            evidence += self.session.execute(
                select(StatusChange.id, StatusChange.evidence)
                .where(condition, StatusChange.evidence != "").order_by(StatusChange.id)).all()
        archive.request_many(self.session, reports=[n.id for n in new_reports if n.id is not None], evidence=evidence)

    @staticmethod
    def _values(column: Any, values: list[Any], dialect: Any) -> list[Any]:
        """``values`` converted as SQLAlchemy converts them for ``column`` (JSON as its text on
        PostgreSQL, where the driver would otherwise be handed a dict it cannot put in an array)."""
        if isinstance(column.type, JSON) and dialect.name == "postgresql":
            return [None if value is None else json.dumps(value) for value in values]
        process = column.type.bind_processor(dialect)
        return values if process is None else _convert(values, process)

    def _insert(self, table: Table, rows: list[dict[str, Any]], *, returning: bool = True) -> list[int]:
        """Insert ``rows`` (dicts with the same keys) in one statement; with ``returning``,
        their new ids in the order of ``rows``."""
        if not rows:
            return []
        ids: list[int] = []
        if returning:
            ids = self._new_ids(table, len(rows))
            rows = [{"id": id_, **row} for id_, row in zip(ids, rows, strict=True)]
        connection = self.session.connection()
        dialect = connection.dialect
        names = list(rows[0])
        columns = [table.c[name] for name in names]
        # Each value converted as SQLAlchemy converts it for this column (enums to their
        # values, checked; aware datetimes to naive UTC; JSON to text…), then handed to the
        # driver as is.
        values = [self._values(column, [row[name] for row in rows], dialect)
                  for name, column in zip(names, columns, strict=True)]
        quote = dialect.identifier_preparer.quote
        into = f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)})"
        if dialect.name == "postgresql":
            # One array per column, unnested into rows: one short statement for any number
            # of rows (a multi-row VALUES is a long text the driver re-parses every time).
            arrays = ", ".join(f"%b::{_array_type(column, dialect)}[]" for column in columns)
            connection.exec_driver_sql(f"{into} SELECT * FROM unnest({arrays})", tuple(values))
        else:
            marks = ", ".join("?" for _ in names)
            connection.exec_driver_sql(f"{into} VALUES ({marks})", list(zip(*values, strict=True)))
        return ids

    def _new_ids(self, table: Table, count: int) -> list[int]:
        """``count`` ids for new rows of ``table``, ascending: from its sequence on
        PostgreSQL; on SQLite the next ones after the largest, which SQLite itself would
        choose (this is inside the write transaction, which holds the only write lock)."""
        if self.session.get_bind().dialect.name == "postgresql":
            return sorted(self.session.scalars(
                select(func.nextval(func.pg_get_serial_sequence(table.name, "id")))
                .select_from(func.generate_series(1, count))
            ))
        start = (self.session.scalar(select(func.max(table.c.id))) or 0) + 1
        return list(range(start, start + count))


def _ref(ref: int | _New | None) -> Any:
    """A key for a row that may not have an id yet: its id, or the planned row's identity."""
    return ("new", id(ref)) if isinstance(ref, _New) else ref


def _planned_link(speaker: int | _New) -> Any:
    """The claim's one link as the independence rule and the flags read it: a named source
    asserting it (an imported claimant is never an anonymous source; sides matter only
    between two links, so its affiliation does not enter)."""
    source = SimpleNamespace(id=_ref(speaker), name="the claimant", anonymous=False, affiliation=None)
    return SimpleNamespace(id=0, stance=Stance.ASSERTS, counts=True, statement=SimpleNamespace(speaker=source))


def _convert(values: list[Any], process: Callable[[Any], Any]) -> list[Any]:
    """``process`` applied to each value, once for each run of the same object (an item's rows
    share one clock reading: its datetimes are converted once, not a dozen times)."""
    out = []
    last: Any = _convert
    converted: Any = None
    for value in values:
        if value is not last:
            last, converted = value, process(value)
        out.append(converted)
    return out


def _array_type(column: Any, dialect: Any) -> str:
    """The SQL type of an array of ``column``'s values: strings as unbounded text, so that a
    value too long for the column is refused by the insert, not cut short by a cast."""
    type_ = column.type
    if isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, String):
        return "TEXT"
    return type_.compile(dialect=dialect)


def _among(session: Session, column: Any, values: Iterable[Any]) -> Iterable[ColumnElement[bool]]:
    """Conditions that together select the rows whose ``column`` is one of ``values``: one
    ``= ANY(array)`` on PostgreSQL (one short statement the driver parses once), ``IN (…)``
    of at most IN_CHUNK values each on SQLite. Strings go as unbounded text: a cast to the
    column's length would cut a longer value short, and it could then match."""
    ordered = sorted(set(values))
    if not ordered:
        return
    if session.get_bind().dialect.name == "postgresql":
        element = Text() if isinstance(column.type, String) else column.type
        yield column == any_(bindparam(None, ordered, type_=ARRAY(element)))
        return
    for start in range(0, len(ordered), IN_CHUNK):
        yield column.in_(ordered[start : start + IN_CHUNK])
