"""The status change as a few Core statements: the JSON API's path.

A status change through the ORM (``status.change_status``) loads the whole claim, refreshes
it from its ``UPDATE … RETURNING``, and flushes two new objects through the unit of work: on
two cores that was the larger part of an API write's cost. Here the same judgement
(``status.judge_move``) is applied to the claim's status and version alone, and the same rows
(``status.history_row``, ``status.audit_row``) are written with prebuilt statements, in the
session's transaction or in one the caller gives (``writing``: the API's is
``factcheck.direct.transaction``, outside the request's session):

1. ``SELECT id, version, status`` of the claim (``claim_state``, before the precondition
   check, which needs the version; the API reads it before its transaction opens);
2. for a move to a verdict only, the claim's newest verdict (``status.last_verdict``);
3. ``UPDATE claims … WHERE id = :id AND version = :expected`` — the optimistic lock; no row
   means someone else wrote first (409, nothing written);
4. ``INSERT`` the history row, ``RETURNING id``; 5. ``INSERT`` the audit event. On PostgreSQL
   3–5 are one statement (data-modifying CTEs): one round trip instead of three.

A confirmation without an override needs the claim's statements (the independence rule), so
it is written by the ORM path (``status.apply_move``). ``tests/test_status_paths.py`` checks that both paths
write the same claim, history and audit rows for the same moves, and refuse the same moves
in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from sqlalchemy import Insert, Select, Table, bindparam, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..driver import first_row
from ..errors import NotFound
from ..models import AuditEvent, Claim, Status, StatusChange, utcnow
from .actor import Actor
from .claims import check_version, not_written
from .status import apply_move, audit_row, history_row, judge_move, replaced_verdict

_CLAIMS = Claim.__table__
# Built once, with bound parameters: executing a prebuilt statement costs SQLAlchemy a cache
# lookup, building one per call costs it the construction and the cache key as well.
_BUMP = (
    update(_CLAIMS)
    .where(_CLAIMS.c.id == bindparam("claim_id"), _CLAIMS.c.version == bindparam("expected"))
    .values(
        status=bindparam("to", type_=_CLAIMS.c.status.type),
        status_changed_at=bindparam("at", type_=_CLAIMS.c.status_changed_at.type),
        last_activity_at=bindparam("at", type_=_CLAIMS.c.last_activity_at.type),
        version=_CLAIMS.c.version + 1,
    )
    .returning(_CLAIMS.c.version)
)
_HISTORY = insert(StatusChange.__table__).returning(StatusChange.__table__.c.id)
_AUDIT = insert(AuditEvent.__table__)


def _in_one_statement() -> Select[tuple[int]]:
    """PostgreSQL: the UPDATE and both INSERTs as one statement (data-modifying CTEs), one
    round trip instead of three. The rows are inserted only if the UPDATE found the expected
    version (``FROM bumped``); no row back means it did not. Parameters: those of ``_BUMP``,
    and each history and audit column prefixed ``h_`` and ``a_``."""
    bumped = _BUMP.cte("bumped")

    def inserted(table: Table, prefix: str) -> Insert:
        columns = [column for column in table.c if column.name != "id"]
        values = select(*(bindparam(prefix + column.name, type_=column.type) for column in columns))
        return insert(table).from_select([column.name for column in columns], values.select_from(bumped))

    history_table = StatusChange.__table__
    history = inserted(history_table, "h_").returning(history_table.c.id).cte("history")
    audit = inserted(AuditEvent.__table__, "a_").cte("audit")
    return select(history.c.id).add_cte(audit)


_ONE_STATEMENT = _in_one_statement()


#: Read before every status change through the API: plain SQL, run on the driver (``driver.first_row``).
STATE_SQL = "SELECT id, version, status FROM claims WHERE id = ?"


@dataclass(frozen=True)
class ClaimState:
    """What a status change needs of a claim: which, at what version, in what status."""

    id: int
    version: int
    status: Status


def claim_state(db: Session | Connection, claim_id: int) -> ClaimState:
    """The claim's id, version and status (one indexed row), or NotFound.

    It need not be read in the transaction that writes the change: the version it reads is
    what the conditional UPDATE checks, so a change in between is refused (409). The API reads
    it before its transaction opens — on SQLite, before taking the write lock."""
    row = first_row(db.connection() if isinstance(db, Session) else db, STATE_SQL, (claim_id,))
    if row is None:
        raise NotFound(f"No claim with id {claim_id}.")
    return ClaimState(row[0], row[1], Status(row[2]))


def change_status_direct(
    session: Session,
    claim: ClaimState,
    to: Status | str,
    reason: str,
    actor: Actor,
    expected_version: int,
    *,
    evidence: str = "",
    override_reason: str | None = None,
    writing: Callable[[], AbstractContextManager[Connection]] | None = None,
) -> StatusChange:
    """``change_status`` for a claim known by its state: the same rules, refusals and rows.

    ``writing`` opens the transaction the rows are written in (on PostgreSQL it may hold a
    single write statement, which this writes); by default the session's. A confirmation
    that needs the independence rule is written in the session whatever ``writing`` says.

    Returns the history row as written, as a transient ``StatusChange`` (not in the session:
    the row is already in the database), with its ``actor`` set for the response.
    """
    check_version(claim, expected_version)
    move = judge_move(claim.status, to, reason, actor, evidence=evidence, override_reason=override_reason)
    if move.needs_independence:
        # Read afresh: an object of this claim already in the session may predate a Core write.
        loaded = session.get(Claim, claim.id, populate_existing=True)
        if loaded is None:
            raise NotFound(f"Claim {claim.id} no longer exists.")
        return apply_move(session, loaded, move, actor, expected_version)
    opened = writing() if writing is not None else nullcontext(session.connection())
    with opened as connection:
        replaced = replaced_verdict(connection, claim, move)
        now = utcnow()
        version = expected_version + 1
        row = history_row(claim.id, move, actor, version, now, replaced)
        audit = audit_row(claim.id, move, actor, now)
        bump = {"claim_id": claim.id, "expected": expected_version, "to": move.to, "at": now}
        if connection.dialect.name == "postgresql":
            change_id = connection.execute(
                _ONE_STATEMENT,
                {**bump, **{f"h_{k}": v for k, v in row.items()}, **{f"a_{k}": v for k, v in audit.items()}},
            ).scalar_one_or_none()
        else:
            written = connection.execute(_BUMP, bump).scalar_one_or_none()
            change_id = None
            if written is not None:
                change_id = connection.execute(_HISTORY, row).scalar_one()
                connection.execute(_AUDIT, audit)
        if change_id is None:
            raise not_written(connection, claim.id, expected_version)
    return StatusChange(id=change_id, actor=actor.user, **row)
