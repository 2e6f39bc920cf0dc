"""Importing reviews a batch at a time: the rules of ``import_one``, a few statements a batch.

``import_one`` takes an item through the desk's services, about thirty SQL statements each.
Here a batch of items is planned in memory by the same rules, with the same checks and the
same words, and written with one bulk statement per table:

1. Per item, without the database: the review URL and the verdict (``review_key``); a refused
   item fails with its reason and touches nothing.
2. One lookup per kind of thing for the whole batch (``IN (…)``, or ``= ANY(…)`` on
   PostgreSQL): the reviews already imported, the claimants (named sources), the reports (by
   URL) and the claim slugs.
3. Per item, in order, in memory: a review already imported and unchanged is skipped; a new
   one is planned as ``import_one`` would write it — its claim (a slug no claim has yet), its
   claimant and report (reused, or new), the statement and its link, the source flags, the
   status steps of ``steps_to`` with their history and audit rows, its ImportedReview. A
   changed one as ``_update`` would: what the review says now, and unless the desk moved the
   claim last, the steps from the claim's status to the new verdict (out of the old verdict
   as a correction, ``replaced_verdict`` as ``change_status`` sets it). A check that fails
   fails that item alone, with the service's words. What an item creates is seen by the
   items after it (one claimant, one report, ``-2`` slugs), as item by item.
4. The rows are inserted in bulk, one statement per table: on PostgreSQL ``INSERT … SELECT
   FROM unnest(…)`` of one array per column, on SQLite one ``executemany``; each value is
   converted by its column's SQLAlchemy type, as an ORM insert would. Rows that later rows
   point to (sources, reports, claims, statements) get their ids first: from the table's
   sequence on PostgreSQL, the next free ones on SQLite. History and audit rows go in waves
   (every claim's first row, then every second…), so that each claim's rows are in order of
   id. The full-text index follows the claims table by itself (FTS5 triggers on SQLite, the
   expression index on PostgreSQL).

Left to ``import_one``, after the bulk write and in order: every later occurrence in the
batch of a review that changed (it meets what the first one wrote), a change to a review
first imported in this same batch, a second review moving the same claim, and a move the
status machine would refuse. A claim whose version moved between the lookup and the update
fails the batch (see below).

The batch runs inside one savepoint. If anything in it fails — the database refusing a row,
say — the savepoint is rolled back and the batch is imported again in halves, down to
``SMALLEST_BULK`` items, which go item by item through ``import_one``: one bad item costs a
few retries and never the other items.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, String, Table, Text, TypeDecorator, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..models import (
    AuditEvent,
    Claim,
    ClaimStatement,
    ImportedReview,
    RESOLVED,
    Priority,
    Report,
    Source,
    SourceKind,
    Stance,
    Statement,
    StatementKind,
    Status,
    StatusChange,
    utcnow,
)
from ..services import independence, status_machine
from ..services.claims import MAX_CLAIM_LENGTH, entered_row, slugify
from ..services.sources import MAX_DESCRIPTION_LENGTH, MAX_STATEMENT_LENGTH, MAX_TITLE_LENGTH
from ..services.status import MAX_EVIDENCE_LENGTH, MAX_REASON_LENGTH, Move, audit_row, history_row
from ..services.validation import clean_text, parse_enum
from .rules import (
    ACTOR,
    MAX_NAME_LENGTH,
    ItemRefused,
    Outcome,
    Step,
    claimant_description,
    failure,
    first_appearance,
    rating_fields,
    raw_json,
    review_key,
    steps_to,
    verdict_note,
)
from .ratings import RatingMap, Verdict
from .reading import Appearance, ReviewItem

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



def _flags_of_one_named_assertion() -> independence.SourceFlags:
    """``link_statement``'s flags for a new claim whose one link is a named source asserting
    it (an imported claimant is never an anonymous source). Sides matter only between two
    links, so the speaker's affiliation does not enter."""
    speaker = SimpleNamespace(id=0, anonymous=False, affiliation=None)
    link = SimpleNamespace(stance=Stance.ASSERTS, statement=SimpleNamespace(speaker=speaker))
    return independence.compute_flags([link])  # type: ignore[list-item]


ONE_NAMED_ASSERTION = _flags_of_one_named_assertion()

#: The fields of an ImportedReview compared to tell an unchanged review (``rating_fields``).
RATING_FIELDS = tuple(rating_fields(ReviewItem(origin="", raw={}, review_url=None, claim_text=None, publisher="")))


class NotInBulk(Exception):
    """Something this path does not plan for: the batch goes through ``import_one``."""


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


@dataclass(frozen=True)
class _Known:
    """An imported review as stored (or as planned earlier in this batch)."""

    fields: dict[str, object]
    slug: str
    #: What an update needs, for a review stored before this batch (None for a planned one).
    stored: _Stored | None = None


@dataclass
class _Stored:
    """An ImportedReview row and its claim, as ``_update`` finds them."""

    record_id: int
    claim_id: int
    status: Status
    version: int
    #: ``via`` of the claim's newest status change (who moved it last).
    newest_via: str | None = None
    #: The newest verdict in its history (what ``status.last_verdict`` reads).
    last_verdict: Status | None = None


@dataclass
class _Update:
    """The writes of ``_update`` for one changed review."""

    review: dict[str, Any]
    claim: dict[str, Any] | None
    history: list[tuple[dict[str, Any], dict[str, Any]]]
    claim_id: int


@dataclass
class _New:
    """A source or report this batch creates; ``id`` once inserted."""

    row: dict[str, Any]
    id: int | None = None


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
    statement: dict[str, Any] | None
    review: dict[str, Any]
    #: History rows in order (the first is "Claim entered."), each with its audit row or None.
    history: list[tuple[dict[str, Any], dict[str, Any] | None]]
    new_source: _New | None = None
    new_report: _New | None = None
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
        #: Claimant lookup name → the first named source of that name (id, or new here).
        self.sources: dict[str, int | _New] = {}
        #: Report URL → report (id, or new here).
        self.reports: dict[str, int | _New] = {}
        self.plans: list[_Plan] = []
        #: The claim text of each item that may create a claim (by id), checked, and its slug's base.
        self.texts: dict[int, tuple[str, str]] = {}
        #: ``first_appearance`` of each item (by id), worked out once.
        self.appearances: dict[int, tuple[str, Appearance] | None] = {}
        #: Changed reviews stored before this batch, and the claims they move.
        self.updates: list[_Update] = []
        self.moved_claims: set[int] = set()
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
        self._histories([known[key].stored for _, item, key, _ in heads  # type: ignore[misc]
                         if key in known and known[key].fields != rating_fields(item)])

        left: set[str] = set()  # reviews handed to import_one: their later items follow
        for index, item, key, verdict in heads:
            if key in left:
                self.through_services.append(index)
                continue
            record = known.get(key)
            if record is not None:
                if record.fields == rating_fields(item):
                    outcomes[index] = Outcome(item.origin, "skipped", "already imported, unchanged", key,
                                              record.slug)
                    continue
                # Changed. Its later items in this batch follow it through import_one (they
                # meet what it wrote); so does a review planned in this batch, or one whose
                # claim another review of this batch moves.
                left.add(key)
                stored = record.stored
                if stored is None or stored.claim_id in self.moved_claims:
                    self.through_services.append(index)
                    continue
                try:
                    update = self._plan_update(item, stored, verdict)
                except (ItemRefused, DomainError) as error:
                    outcomes[index] = failure(item, error)
                    continue
                except NotInBulk:
                    self.through_services.append(index)
                    self.moved_claims.add(stored.claim_id)
                    continue
                self.updates.append(update)
                self.moved_claims.add(stored.claim_id)
                note = verdict_note(verdict, item)
                if _desk_moved_it_last(stored):
                    note += "; status left as the desk set it"
                outcomes[index] = Outcome(item.origin, "updated", note, key, record.slug)
                continue
            try:
                plan = self._plan(item, key, verdict)
            except (ItemRefused, DomainError) as error:
                outcomes[index] = failure(item, error)
                continue
            self._accept(plan)
            known[key] = _Known({name: plan.review[name] for name in RATING_FIELDS}, plan.claim["slug"])
            outcomes[index] = Outcome(item.origin, "imported", verdict_note(verdict, item), key,
                                      plan.claim["slug"])
        self._write()
        self._write_updates()
        return outcomes

    # -- lookups: one query per kind of thing (per IN_CHUNK values on SQLite) -----------------

    def _imported(self, keys: set[str]) -> dict[str, _Known]:
        """The reviews already imported among ``keys``: what they say, and their claim's slug."""
        r = ImportedReview
        found: dict[str, _Known] = {}
        for condition in _among(self.session, r.review_url, keys):
            rows = self.session.execute(
                select(r.review_url, *(getattr(r, name) for name in RATING_FIELDS), r.id, r.claim_id,
                       Claim.slug, Claim.status, Claim.version)
                .join(Claim, Claim.id == r.claim_id)
                .where(condition)
            )
            for row in rows:
                found[row.review_url] = _Known({name: getattr(row, name) for name in RATING_FIELDS}, row.slug,
                                               _Stored(row.id, row.claim_id, row.status, row.version))
        return found

    def _histories(self, stored: list[_Stored]) -> None:
        """For the claims of changed reviews: who moved each last, and its newest verdict."""
        claims = {s.claim_id: s for s in stored}
        for resolved_only in (False, True):
            for condition in _among(self.session, StatusChange.claim_id, claims):
                newest = select(StatusChange.claim_id, func.max(StatusChange.id).label("id")).where(condition)
                if resolved_only:
                    newest = newest.where(StatusChange.to_status.in_(RESOLVED))
                newest_ids = newest.group_by(StatusChange.claim_id).subquery()
                rows = self.session.execute(
                    select(StatusChange.claim_id, StatusChange.via, StatusChange.to_status)
                    .join(newest_ids, newest_ids.c.id == StatusChange.id)
                )
                for claim_id, via, to_status in rows:
                    if resolved_only:
                        claims[claim_id].last_verdict = to_status
                    else:
                        claims[claim_id].newest_via = via

    def _look_up(self, fresh: list[ReviewItem]) -> None:
        """Slugs, claimants and reports of the items that may create claims."""
        bases: list[str] = []
        names: set[str] = set()
        urls: set[str] = set()
        for item in fresh:
            try:
                text = clean_text(item.claim_text, "text", max_length=MAX_CLAIM_LENGTH)
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
        for condition in _among(self.session, Source.name, names):
            rows = self.session.execute(
                select(Source.id, Source.name).where(condition, Source.anonymous.is_(False)).order_by(Source.id)
            )
            for source_id, name in rows:  # (each name is in one chunk: the first is the oldest)
                self.sources.setdefault(name, source_id)
        for condition in _among(self.session, Report.url, urls):
            for report_id, url in self.session.execute(select(Report.id, Report.url).where(condition)):
                self.reports[url] = report_id

    def _text(self, item: ReviewItem) -> tuple[str, str]:
        text = clean_text(item.claim_text, "text", max_length=MAX_CLAIM_LENGTH)
        return text, slugify(text)

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
        text, base = self.texts.get(id(item)) or self._text(item)
        slug = self.slugs.pick(base)
        # _claimant: a named source of that name, or a new one (create_source)
        new_source: _New | None = None
        speaker: int | _New | None = None
        if item.claimant is not None:
            name = item.claimant.name[:MAX_NAME_LENGTH]
            speaker = self.sources.get(name)
            if speaker is None:
                speaker = new_source = _New(self._source_row(item, name, now))
        # _report: the first usable appearance, reused by URL or new (create_report)
        new_report: _New | None = None
        report: int | _New | None = None
        found = self._appearance(item)
        if found is not None:
            url, appearance = found
            report = self.reports.get(url)
            if report is None:
                report = new_report = _New(self._report_row(url, appearance, now))
        # create_statement and link_statement (which refreshes the flags: a new version)
        version = 1
        statement = None
        flags = independence.SourceFlags(contested=False, single_source=False, anonymous_only=False)
        if speaker is not None:
            statement = {
                "relayed_by_id": None, "relayed_through_id": None,
                "text": clean_text(item.claim_text, "text", max_length=MAX_STATEMENT_LENGTH),
                "kind": StatementKind.PARAPHRASE,
                "said_on": item.claim_date.date() if item.claim_date else None,
                "created_by_id": ACTOR.user_id, "created_at": now,
            }
            flags = ONE_NAMED_ASSERTION
            version += 1
        history: list[tuple[dict[str, Any], dict[str, Any] | None]] = [
            (entered_row(None, ACTOR, now), None)
        ]
        moves, status, version = _planned_moves(Status.UNVERIFIED, None, verdict, item, version, now)
        history += moves
        claim = {
            "slug": slug, "text": text, "context": "", "status": status, "status_changed_at": now,
            "priority": int(Priority.NORMAL), "assignee_id": None, "next_review_on": None,
            "deadline": None, "published_at": None, "version": version, "created_by_id": ACTOR.user_id,
            "created_at": now, "last_activity_at": now, "flag_contested": flags.contested,
            "flag_single_source": flags.single_source, "flag_anonymous_only": flags.anonymous_only,
        }
        review = {"review_url": key, **rating_fields(item), "raw": raw_json(item), "imported_at": now,
                  "updated_at": now}
        return _Plan(claim, speaker, report, statement, review, history, new_source, new_report)

    def _source_row(self, item: ReviewItem, name: str, now: Any) -> dict[str, Any]:
        """``create_source`` of a named claimant, with its checks in its order."""
        assert item.claimant is not None
        kind = parse_enum(SourceKind, item.claimant.kind, "kind")
        return {
            "kind": kind,
            "name": clean_text(name, "name", max_length=MAX_NAME_LENGTH),
            "description": clean_text(claimant_description(item), "description", max_length=MAX_DESCRIPTION_LENGTH,
                                      required=False),
            "anonymous": False, "anonymity_reason": None, "sealed_identity": None, "affiliation_id": None,
            "url": None, "created_by_id": ACTOR.user_id, "created_at": now, "updated_at": now,
        }

    def _report_row(self, url: str, appearance: Appearance, now: Any) -> dict[str, Any]:
        """``create_report`` of an appearance (no outlet, no stored text)."""
        return {
            "url": url, "outlet_id": None,
            "title": clean_text(appearance.title[:MAX_TITLE_LENGTH], "title", max_length=MAX_TITLE_LENGTH,
                                required=False),
            "published_at": appearance.published, "retrieved_at": None, "text": None, "text_sha256": None,
            "created_by_id": ACTOR.user_id, "created_at": now,
        }

    def _plan_update(self, item: ReviewItem, stored: _Stored, verdict: Verdict) -> _Update:
        """The writes of ``_update`` for a changed review: what it says now, and — unless the
        desk moved the claim last — the claim's steps to the new verdict, checked as
        ``change_status`` checks them (NotInBulk for a move it would refuse: ``import_one``
        gives that refusal)."""
        now = utcnow()
        review = {"id": stored.record_id, **rating_fields(item), "raw": raw_json(item), "updated_at": now}
        history: list[tuple[dict[str, Any], dict[str, Any]]] = []
        claim = None
        if not _desk_moved_it_last(stored):
            history, status, version = _planned_moves(
                stored.status, stored.last_verdict, verdict, item, stored.version, now
            )
            if history:
                claim = {"id": stored.claim_id, "expected": stored.version, "version": version, "status": status,
                         "status_changed_at": now, "last_activity_at": now}
        return _Update(review, claim, history, stored.claim_id)

    def _accept(self, plan: _Plan) -> None:
        """What a planned item creates is there for the items after it."""
        self.plans.append(plan)
        self.slugs.take(plan.claim["slug"])
        if plan.new_source is not None:
            self.sources.setdefault(plan.new_source.row["name"], plan.new_source)
        if plan.new_report is not None:
            self.reports[plan.new_report.row["url"]] = plan.new_report

    # -- the bulk write -----------------------------------------------------------------------

    def _write(self) -> None:
        plans = self.plans
        if not plans:
            return
        new_sources = [plan.new_source for plan in plans if plan.new_source is not None]
        for new, new_id in zip(new_sources, self._insert(SOURCES, [n.row for n in new_sources]), strict=True):
            new.id = new_id
        new_reports = [plan.new_report for plan in plans if plan.new_report is not None]
        for new, new_id in zip(new_reports, self._insert(REPORTS, [n.row for n in new_reports]), strict=True):
            new.id = new_id
        for plan, claim_id in zip(plans, self._insert(CLAIMS, [p.claim for p in plans]), strict=True):
            plan.claim_id = claim_id

        stated = [plan for plan in plans if plan.statement is not None]
        statement_ids = self._insert(STATEMENTS, [
            {**plan.statement, "speaker_id": _id(plan.speaker), "report_id": _id(plan.report)}  # type: ignore[dict-item]
            for plan in stated
        ])
        self._insert(LINKS, [
            {"claim_id": plan.claim_id, "statement_id": statement_id, "stance": Stance.ASSERTS, "note": "",
             "created_by_id": ACTOR.user_id, "created_at": plan.claim["created_at"]}
            for plan, statement_id in zip(stated, statement_ids, strict=True)
        ], returning=False)
        self._insert(REVIEWS, [{**plan.review, "claim_id": plan.claim_id} for plan in plans], returning=False)
        # In waves (every claim's first row, then every second row…): each claim's history
        # is in order of id whatever order the database numbers one statement's rows in.
        for wave in range(max(len(plan.history) for plan in plans)):
            moved = [plan for plan in plans if len(plan.history) > wave]
            self._insert(HISTORY, [{**plan.history[wave][0], "claim_id": plan.claim_id} for plan in moved],
                         returning=False)
            audited = [(plan, plan.history[wave][1]) for plan in moved if plan.history[wave][1] is not None]
            self._insert(AUDIT, [{**row, "subject_id": plan.claim_id} for plan, row in audited],  # type: ignore[dict-item]
                         returning=False)

    def _write_updates(self) -> None:
        """The changed reviews: their ImportedReview rows, their claims (only if still at the
        version read: someone else's write in between fails the batch), their history."""
        updates = self.updates
        if not updates:
            return
        self._update(REVIEWS, [u.review for u in updates])
        moved = [u.claim for u in updates if u.claim is not None]
        if self._update(CLAIMS, moved, expected_version=True) != len(moved):
            raise NotInBulk("a claim changed since it was read")
        for wave in range(max(len(u.history) for u in updates)):
            now_moved = [u for u in updates if len(u.history) > wave]
            self._insert(HISTORY, [{**u.history[wave][0], "claim_id": u.claim_id} for u in now_moved],
                         returning=False)
            self._insert(AUDIT, [{**u.history[wave][1], "subject_id": u.claim_id} for u in now_moved],
                         returning=False)
        # ORM objects of these rows in this session (none, from the command) are now stale.
        changed = {ImportedReview: {u.review["id"] for u in updates}, Claim: {u.claim_id for u in updates}}
        for obj in list(self.session.identity_map.values()):
            if type(obj) in changed and obj.id in changed[type(obj)]:
                self.session.expire(obj)

    def _update(self, table: Table, rows: list[dict[str, Any]], *, expected_version: bool = False) -> int:
        """``UPDATE`` each row of ``table`` by its ``id`` (and, with ``expected_version``, only
        while its version is ``expected``) in one statement; the number of rows updated."""
        if not rows:
            return 0
        connection = self.session.connection()
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        names = [name for name in rows[0] if name not in ("id", "expected")]
        keys = ["id"] + (["expected"] if expected_version else [])
        columns = {name: table.c["version" if name == "expected" else name] for name in keys + names}
        values = {name: self._values(column, [row[name] for row in rows], dialect) for name, column in columns.items()}
        sets = ", ".join(f"{quote(name)} = u.{quote(name)}" for name in names)
        where = "t.id = u.id" + (" AND t.version = u.expected" if expected_version else "")
        if dialect.name == "postgresql":
            arrays = ", ".join(f"%b::{_array_type(column, dialect)}[]" for column in columns.values())
            aliases = ", ".join(quote(name) for name in columns)
            result = connection.exec_driver_sql(
                f"UPDATE {quote(table.name)} AS t SET {sets} FROM unnest({arrays}) AS u({aliases}) WHERE {where}",
                tuple(values.values()),
            )
        else:
            assignments = ", ".join(f"{quote(name)} = ?" for name in names)
            condition = "id = ?" + (" AND version = ?" if expected_version else "")
            ordered = [values[name] for name in names + keys]
            result = connection.exec_driver_sql(
                f"UPDATE {quote(table.name)} SET {assignments} WHERE {condition}", list(zip(*ordered, strict=True))
            )
        return result.rowcount

    @staticmethod
    def _values(column: Any, values: list[Any], dialect: Any) -> list[Any]:
        """``values`` converted as SQLAlchemy converts them for ``column``."""
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
        # values, checked; aware datetimes to naive UTC…), then handed to the driver as is.
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


def _planned_moves(
    status: Status, last_verdict: Status | None, verdict: Verdict, item: ReviewItem, version: int, now: Any
) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], Status, int]:
    """``change_status`` for each step from ``status`` to ``verdict``, planned: each move
    checked as the service checks it, its history row (with the verdict it corrects, given the
    claim's newest verdict so far) and its audit row. Returns the rows, the status reached and
    the claim's version after them."""
    moves: list[tuple[dict[str, Any], dict[str, Any]]] = []
    if status.resolved:
        last_verdict = status
    for step in steps_to(status, verdict, item):
        reason, evidence, override = _checked(step)
        _check_move(status, step.to, override)
        version += 1
        move = Move(status, step.to, reason, evidence, override)
        replaced = status_machine.replaced_verdict(status, step.to, last_verdict if step.to.resolved else None)
        # The claim's id is filled in once the claim is inserted (or known, for an update).
        moves.append((history_row(None, move, ACTOR, version, now, replaced), audit_row(None, move, ACTOR, now)))
        status = step.to
        if status.resolved:
            last_verdict = status
    return moves, status, version


def _desk_moved_it_last(stored: _Stored) -> bool:
    """``_update``'s test: the claim's newest status change was not the importer's."""
    return stored.newest_via is not None and stored.newest_via != ACTOR.via


def _checked(step: Step) -> tuple[str, str, str | None]:
    """The reason, evidence and override of a step as ``change_status`` cleans them (or its
    ValidationError)."""
    reason = clean_text(step.reason, "reason", max_length=MAX_REASON_LENGTH)
    evidence = clean_text(step.evidence, "evidence", max_length=MAX_EVIDENCE_LENGTH, required=False)
    override = (
        clean_text(step.override_reason, "override_reason", max_length=MAX_REASON_LENGTH, required=False)
        or None
    )
    return reason, evidence, override


def _check_move(frm: Status, to: Status, override: str | None) -> None:
    """``change_status``'s rules for a move by the importer: an allowed move (or a reopening,
    which the importer may make), and a confirmation only by override. Anything else is left
    to ``import_one``, which refuses it in the service's words."""
    allowed = status_machine.is_allowed(frm, to) or (
        status_machine.is_reopening(frm, to) and ACTOR.is_editor
    )
    if frm == to or not allowed:
        raise NotInBulk(f"{frm.value} -> {to.value}")
    if override is not None and (to != Status.CONFIRMED or not ACTOR.is_editor):
        raise NotInBulk(f"override on {to.value}")
    if to == Status.CONFIRMED and override is None:
        raise NotInBulk("confirmation without an override needs the independence check")


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
