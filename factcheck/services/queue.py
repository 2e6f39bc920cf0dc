"""Listing claims: the editor's queue and every other claim list, with keyset pagination.

One function serves the editor queue, the checker's list, their CSV exports and the JSON API,
so filters, sorts and cursors behave the same everywhere. Pagination is by keyset
(``WHERE (key, id) > …``), not OFFSET, so a page a million rows deep costs what the first page
costs — forwards and backwards: a cursor names a position and a direction (the next page
follows the last row shown, the previous one precedes the first). The cursor is opaque to
clients (URL-safe base64 of a small JSON document) and checked when it comes back.

``count_claims`` says how many claims a filter matches: exactly up to ``EXACT_COUNT_UP_TO``,
beyond that exactly on SQLite and as the planner's estimate on PostgreSQL (``Count.exact``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, bindparam, column, func, or_, select, text, tuple_, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

from ..errors import ValidationError
from ..models import UNRESOLVED, Claim, Priority, Status, Tag, claim_tags
from .flags import overdue_condition, stale_condition
from .search import _fts5, _is_postgresql, _tsquery, terms
from .validation import parse_enum

SORTS = ("priority", "age", "activity", "deadline")
SORT_LABELS = {
    "priority": "Priority (highest first)",
    "age": "Waiting longest",
    "activity": "Least recent activity",
    "deadline": "Deadline (soonest first)",
}
MAX_LIMIT = 200
#: Longest text search kept (the words after it are not searched for).
MAX_QUERY_LENGTH = 500
#: Up to this many matching claims the count is exact everywhere (see ``count_claims``).
EXACT_COUNT_UP_TO = 10_000


@dataclass(frozen=True)
class ClaimFilter:
    """What to list. The defaults are the editor's queue: every unresolved claim."""

    statuses: frozenset[Status] = UNRESOLVED
    assignee_id: int | None = None
    unassigned: bool = False
    contested: bool = False
    single_source: bool = False
    anonymous_only: bool = False
    stale: bool = False
    overdue: bool = False
    tag: str | None = None
    published: bool | None = None
    #: Words the claim's text must hold, every one of them (the full-text index of
    #: ``services.search``; stemmed, so "killing" finds "killed").
    q: str | None = None
    #: "Assigned to me" was asked for (``assignee_id`` is then the person asking).
    mine: bool = False

    @classmethod
    def from_args(
        cls, args: Any, *, default_statuses: Iterable[Status] = UNRESOLVED, me: int | None = None
    ) -> ClaimFilter:
        """Build from query-string arguments (``status`` repeatable, flags as ``1``/``true``,
        ``assignee`` a user id or ``none``). ``mine=1``: assigned to ``me``, the user asking
        (ignored when no ``me`` is given: the API has no such filter)."""
        raw_statuses = [s for s in _getlist(args, "status") if s]
        statuses = (
            frozenset(parse_enum(Status, s, "status") for s in raw_statuses)
            if raw_statuses
            else frozenset(default_statuses)
        )
        assignee = args.get("assignee") or None
        assignee_id: int | None = None
        if assignee not in (None, "none"):
            try:
                assignee_id = int(assignee)
            except (TypeError, ValueError):
                raise ValidationError("assignee must be a user id or 'none'.", {"assignee": "not a user id"}) from None
        published = args.get("published")
        mine = me is not None and _flag(args, "mine")
        return cls(
            statuses=statuses,
            assignee_id=me if mine else assignee_id,
            unassigned=assignee == "none" and not mine,
            contested=_flag(args, "contested"),
            single_source=_flag(args, "single_source"),
            anonymous_only=_flag(args, "anonymous_only"),
            stale=_flag(args, "stale"),
            overdue=_flag(args, "overdue"),
            tag=(args.get("tag") or "").strip().lower() or None,
            published=None if published in (None, "") else _truthy(published, "published"),
            q=" ".join(str(args.get("q") or "").split())[:MAX_QUERY_LENGTH] or None,
            mine=mine,
        )


def _getlist(args: Any, key: str) -> list[str]:
    if hasattr(args, "getlist"):
        return list(args.getlist(key))
    value = args.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _truthy(value: object, name: str) -> bool:
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValidationError(f"{name} must be true or false.", {name: "true or false"})


def _flag(args: Any, name: str) -> bool:
    value = args.get(name)
    return False if value is None else _truthy(value, name)


@dataclass
class Page:
    items: list[Claim]
    next_cursor: str | None
    sort: str
    filters: ClaimFilter = field(default_factory=ClaimFilter)
    #: The cursor of the page before this one; None on the first page.
    prev_cursor: str | None = None


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


#: Ids are ``integer`` columns; a larger number cannot be bound against them (PostgreSQL
#: refuses it as out of range), so a cursor naming one was not made here.
_MAX_ID = 2**31 - 1


def _int_within(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def decode_cursor(cursor: str, sort: str) -> dict[str, Any]:
    """The position a cursor names; any cursor a client altered is refused as invalid.

    Cursors come back from clients, so every part is checked before it reaches SQL: the
    sort it was made for, an id that fits the id column and (for ``priority``) a priority.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(data, dict) or data.get("s") != sort or not _int_within(data.get("i"), 0, _MAX_ID):
            raise ValueError
        if data.get("d") not in (None, BACKWARD):
            raise ValueError
        if data.get("k") is not None and not isinstance(data["k"], (int, str)):
            raise ValueError
        if sort == "priority" and not _int_within(data.get("k"), min(Priority), max(Priority)):
            raise ValueError
        return data
    except (ValueError, binascii.Error, UnicodeError, json.JSONDecodeError, RecursionError):
        raise ValidationError(
            "The page cursor is not valid for this list; start again from the first page.",
            {"cursor": "invalid or from another sort order"},
        ) from None


#: A cursor's direction (``"d"``) when it names the page before a position; absent: the page after.
BACKWARD = "b"


def _cursor(claim_or_key: Claim | tuple[object, int], sort: str, *, backward: bool = False) -> str:
    key, claim_id = (_key(claim_or_key, sort), claim_or_key.id) if isinstance(claim_or_key, Claim) else claim_or_key
    data: dict[str, Any] = {"s": sort, "k": key, "i": claim_id}
    if backward:
        data["d"] = BACKWARD
    return encode_cursor(data)


def status_in(statuses: Iterable[Status]) -> ColumnElement[bool]:
    """``status IN ('a', 'b', …)`` with the statuses written into the SQL, sorted.

    Literals, not bound parameters: a planner uses a partial index only when it can prove the
    query's condition implies the index's, which neither SQLite nor a prepared PostgreSQL
    statement can do through a parameter. With the unresolved statuses this is the predicate
    of the queue's partial indexes (migration 0004), character for character, as SQLite needs.
    The statuses are enum members, never user text, so writing them in is safe.
    """
    return Claim.status.in_(
        bindparam("statuses", sorted(statuses), expanding=True, literal_execute=True, type_=Claim.status.type)
    )


def text_condition(q: str, *, postgresql: bool) -> ColumnElement[bool] | None:
    """Claims whose text holds every word of ``q`` (None if it has no words): the full-text
    index ``services.search`` uses (FTS5 on SQLite, the GIN index on PostgreSQL), the words
    cut into tokens first so that no text can be malformed search syntax."""
    words = terms(q)
    if not words:
        return None
    if postgresql:
        return text("to_tsvector('english'::regconfig, claims.text) @@ to_tsquery('english', :queue_words)").bindparams(
            queue_words=_tsquery(words, " & ")
        )
    matching = text("SELECT rowid FROM claims_fts WHERE claims_fts MATCH :queue_words").bindparams(
        queue_words=_fts5(words, " ")
    ).columns(column("rowid"))
    return Claim.id.in_(matching)


def _filtered(
    filt: ClaimFilter, *, stale_after_days: int, now: datetime | None, postgresql: bool = False
) -> Select[tuple[Claim]]:
    stmt = select(Claim)
    if filt.statuses != frozenset(Status):
        stmt = stmt.where(status_in(filt.statuses))
    if filt.assignee_id is not None:
        stmt = stmt.where(Claim.assignee_id == filt.assignee_id)
    if filt.unassigned:
        stmt = stmt.where(Claim.assignee_id.is_(None))
    if filt.contested:
        stmt = stmt.where(or_(Claim.status == Status.CONTESTED, Claim.flag_contested))
    if filt.single_source:
        stmt = stmt.where(Claim.flag_single_source)
    if filt.anonymous_only:
        stmt = stmt.where(Claim.flag_anonymous_only)
    if filt.stale:
        stmt = stmt.where(stale_condition(stale_after_days=stale_after_days, now=now))
    if filt.overdue:
        stmt = stmt.where(overdue_condition(now=now))
    if filt.tag:
        stmt = stmt.where(
            Claim.id.in_(
                select(claim_tags.c.claim_id).join(Tag, Tag.id == claim_tags.c.tag_id).where(Tag.name == filt.tag)
            )
        )
    if filt.published is True:
        stmt = stmt.where(Claim.published_at.is_not(None))
    elif filt.published is False:
        stmt = stmt.where(Claim.published_at.is_(None))
    if filt.q:
        condition = text_condition(filt.q, postgresql=postgresql)
        if condition is not None:
            stmt = stmt.where(condition)
    return stmt


def _key(claim: Claim, sort: str) -> int | str | None:
    if sort == "priority":
        return claim.priority
    if sort == "activity":
        return claim.last_activity_at.isoformat()
    if sort == "deadline":
        return claim.deadline.isoformat() if claim.deadline else None
    return None


def _parse_time(value: object) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
        if parsed.tzinfo is None:
            raise ValueError
        # In UTC here, where an out-of-range time (year 1 at +14:00) is still a refusal.
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValidationError("The page cursor is not valid.", {"cursor": "invalid"}) from None


def _ids_beyond(
    filtered: Select[tuple[Claim]], column_: InstrumentedAttribute[Any], key: object, claim_id: int, limit: int,
    *, descending: bool,
) -> Subquery:
    """Ids of the ``limit`` claims that come after (``key``, ``claim_id``) in the order of
    (``column_``, id), both descending or both ascending: written as the two index ranges it
    covers — the rest of this key, then the keys beyond it.

    Why not the row value: SQLite seeks an index to a row value's lower bound, but scanning
    backwards from an upper bound it starts at the end of the first column's range and
    filters its way down, so a page deep inside a large priority paid for a scan of it
    (13 ms at a million claims, against 0.3 ms for the two ranges). PostgreSQL does either.
    """
    ids = filtered.with_only_columns(Claim.id)
    if descending:
        same = ids.where(column_ == key, Claim.id < claim_id).order_by(Claim.id.desc())
        beyond = ids.where(column_ < key).order_by(column_.desc(), Claim.id.desc())
    else:
        same = ids.where(column_ == key, Claim.id > claim_id).order_by(Claim.id.asc())
        beyond = ids.where(column_ > key).order_by(column_.asc(), Claim.id.asc())
    return union_all(
        select(same.limit(limit).subquery().c.id), select(beyond.limit(limit).subquery().c.id)
    ).subquery()


def _beyond(base: Select[tuple[Claim]], ids: Subquery) -> Select[tuple[Claim]]:
    return base.join(ids, ids.c.id == Claim.id)


def _following(
    session: Session, filtered: Select[tuple[Claim]], base: Select[tuple[Claim]], sort: str,
    after: dict[str, Any] | None, n: int,
) -> list[Claim]:
    """The first ``n`` claims after the position ``after`` (from the start if None), in order."""
    if sort == "priority":
        stmt = base.order_by(Claim.priority.desc(), Claim.id.desc())
        if after:
            stmt = _beyond(stmt, _ids_beyond(filtered, Claim.priority, int(after["k"]), after["i"], n, descending=True))
        return list(session.scalars(stmt.limit(n)))
    if sort == "age":
        stmt = base.order_by(Claim.id.asc())
        if after:
            stmt = stmt.where(Claim.id > after["i"])
        return list(session.scalars(stmt.limit(n)))
    if sort == "activity":
        stmt = base.order_by(Claim.last_activity_at.asc(), Claim.id.asc())
        if after:
            stmt = stmt.where(tuple_(Claim.last_activity_at, Claim.id) > (_parse_time(after["k"]), after["i"]))
        return list(session.scalars(stmt.limit(n)))
    # deadline: dated claims soonest first, then undated ones by id
    rows: list[Claim] = []
    in_undated = bool(after and after.get("k") is None)
    if not in_undated:
        stmt = base.where(Claim.deadline.is_not(None)).order_by(Claim.deadline.asc(), Claim.id.asc())
        if after:
            stmt = stmt.where(tuple_(Claim.deadline, Claim.id) > (_parse_time(after["k"]), after["i"]))
        rows = list(session.scalars(stmt.limit(n)))
    if len(rows) < n:
        stmt = base.where(Claim.deadline.is_(None)).order_by(Claim.id.asc())
        if in_undated and after:
            stmt = stmt.where(Claim.id > after["i"])
        rows += list(session.scalars(stmt.limit(n - len(rows))))
    return rows


def _preceding(
    session: Session, filtered: Select[tuple[Claim]], base: Select[tuple[Claim]], sort: str,
    before: dict[str, Any], n: int,
) -> list[Claim]:
    """The ``n`` claims just before the position ``before``, nearest first (the list's order
    reversed): the same index ranges as ``_following``, read the other way."""
    if sort == "priority":
        ids = _ids_beyond(filtered, Claim.priority, int(before["k"]), before["i"], n, descending=False)
        return list(session.scalars(_beyond(base, ids).order_by(Claim.priority.asc(), Claim.id.asc()).limit(n)))
    if sort == "age":
        return list(session.scalars(base.where(Claim.id < before["i"]).order_by(Claim.id.desc()).limit(n)))
    if sort == "activity":
        ids = _ids_beyond(filtered, Claim.last_activity_at, _parse_time(before["k"]), before["i"], n, descending=True)
        stmt = _beyond(base, ids).order_by(Claim.last_activity_at.desc(), Claim.id.desc())
        return list(session.scalars(stmt.limit(n)))
    # deadline: back through the undated claims (by id), then the dated ones, latest first
    rows: list[Claim] = []
    dated = base.where(Claim.deadline.is_not(None))
    if before.get("k") is None:
        stmt = base.where(Claim.deadline.is_(None), Claim.id < before["i"]).order_by(Claim.id.desc())
        rows = list(session.scalars(stmt.limit(n)))
        if len(rows) < n:
            stmt = dated.order_by(Claim.deadline.desc(), Claim.id.desc())
            rows += list(session.scalars(stmt.limit(n - len(rows))))
        return rows
    ids = _ids_beyond(filtered.where(Claim.deadline.is_not(None)), Claim.deadline, _parse_time(before["k"]),
                      before["i"], n, descending=True)
    return list(session.scalars(_beyond(dated, ids).order_by(Claim.deadline.desc(), Claim.id.desc()).limit(n)))


def list_claims(
    session: Session,
    filt: ClaimFilter = ClaimFilter(),
    *,
    sort: str = "priority",
    cursor: str | None = None,
    limit: int = 50,
    stale_after_days: int = 7,
    now: datetime | None = None,
) -> Page:
    """One page of claims matching ``filt`` in ``sort`` order, with the cursors of the pages
    after and before it. A cursor going back past the start gives the first page, full."""
    if sort not in SORTS:
        raise ValidationError(f"Unknown sort {sort!r}; expected one of: {', '.join(SORTS)}.", {"sort": "unknown"})
    limit = max(1, min(int(limit), MAX_LIMIT))
    position = decode_cursor(cursor, sort) if cursor else None
    filtered = _filtered(filt, stale_after_days=stale_after_days, now=now, postgresql=_is_postgresql(session))
    base = filtered.options(selectinload(Claim.assignee), selectinload(Claim.tags))

    if position is not None and position.get("d") == BACKWARD:
        rows = _preceding(session, filtered, base, sort, position, limit + 1)
        if len(rows) < limit:  # back at the start: the first page, whole
            return list_claims(session, filt, sort=sort, limit=limit, stale_after_days=stale_after_days, now=now)
        items = rows[:limit][::-1]
        return Page(items=items, next_cursor=_cursor(items[-1], sort), sort=sort, filters=filt,
                    prev_cursor=_cursor(items[0], sort, backward=True) if len(rows) > limit else None)

    rows = _following(session, filtered, base, sort, position, limit + 1)
    items = rows[:limit]
    next_cursor = _cursor(items[-1], sort) if len(rows) > limit and items else None
    prev_cursor = None
    if position is not None:
        prev_cursor = _cursor(items[0] if items else (position.get("k"), position["i"]), sort, backward=True)
    return Page(items=items, next_cursor=next_cursor, sort=sort, filters=filt, prev_cursor=prev_cursor)


@dataclass(frozen=True)
class Count:
    """How many claims a filter matches: ``exact``, or an estimate ("about")."""

    number: int
    exact: bool


class _Explain(Executable, ClauseElement):
    """``EXPLAIN (FORMAT JSON)`` of a statement, its parameters bound as the statement's own."""

    inherit_cache = False

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement


@compiles(_Explain, "postgresql")
def _compile_explain(element: _Explain, compiler: SQLCompiler, **kw: Any) -> str:
    return "EXPLAIN (FORMAT JSON) " + compiler.process(element.statement, **kw)


def count_claims(
    session: Session, filt: ClaimFilter = ClaimFilter(), *, stale_after_days: int = 7, now: datetime | None = None
) -> Count:
    """The number of claims ``filt`` matches. Counted up to EXACT_COUNT_UP_TO + 1 rows (an
    index range, bounded whatever the table holds); past that, PostgreSQL gives the planner's
    estimate for the same query (counting a million rows there takes a second), SQLite
    counts them all (see bench/queue_scale.py for what that costs)."""
    postgresql = _is_postgresql(session)
    ids = _filtered(filt, stale_after_days=stale_after_days, now=now, postgresql=postgresql).with_only_columns(Claim.id)
    capped = session.scalar(select(func.count()).select_from(ids.limit(EXACT_COUNT_UP_TO + 1).subquery())) or 0
    if capped <= EXACT_COUNT_UP_TO:
        return Count(capped, exact=True)
    if postgresql:
        plan = session.execute(_Explain(ids)).scalar_one()
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        return Count(max(estimate, EXACT_COUNT_UP_TO + 1), exact=False)
    return Count(session.scalar(select(func.count()).select_from(ids.subquery())) or 0, exact=True)
