"""The audit log: who changed what, when, from where — one event per change.

Every service that writes records its event itself, in the caller's transaction (if the
change rolls back, so does its record): a view, the API, the CLI and the import cannot
forget it. ``changes`` holds the before and after values of what changed.
"""

from __future__ import annotations

from datetime import date, datetime
import enum
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, joinedload

from ..models import AuditEvent, User, utcnow
from .actor import Actor

#: Fields whose values the audit log never holds, only that they changed: the sealed identity
#: is for editors' eyes, and the audit log is read by admins.
REDACTED = frozenset({"sealed_identity"})


def record(session: Session, action: str, **fields: Any) -> None:
    """Append one event (``fields``: the keywords of ``event_row`` but its time)."""
    append(session, event_row(action, at=utcnow(), **fields))


def append(session: Session, row: dict[str, Any]) -> None:
    """Write one event built by ``event_row`` (or a service's own ``…_event``), in the
    session's transaction. An event is never read back by the change that writes it: it is
    one INSERT on the table, sent at once, without the unit of work's bookkeeping of an
    object (which, on the status change's path, cost more than the statement itself)."""
    session.execute(insert(_EVENTS), [row])


_EVENTS = AuditEvent.__table__


def events_of(session: Session, subject_type: str, subject_id: int, *, limit: int) -> list[AuditEvent]:
    """The newest events about one thing, newest first (one indexed range)."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id)
            .options(joinedload(AuditEvent.actor))
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )


def event_row(
    action: str,
    *,
    actor: Actor | User | None = None,
    actor_label: str = "",
    subject_type: str = "",
    subject_id: int | None = None,
    detail: str = "",
    changes: dict[str, list[Any]] | None = None,
    address: str = "",
    at: datetime,
) -> dict[str, Any]:
    """The columns of one event, as ``record`` writes it (and the bulk import inserts it)."""
    user = actor.user if isinstance(actor, Actor) else actor
    if not actor_label:
        actor_label = user.email if user is not None else (actor.via if isinstance(actor, Actor) else "")
    return {
        "at": at,
        "actor_id": user.id if user is not None else None,
        "actor_label": actor_label[:254],
        "action": action,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "detail": detail[:10_000],
        "changes": changes,
        "address": address[:64],
    }


def plain(value: Any) -> Any:
    """A value as JSON can hold it: enums by value, dates and times in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for every field whose value differs (a field missing from
    one side is None there); sealed identities only as "set" / "cleared" / "changed"."""
    out: dict[str, list[Any]] = {}
    for name in list(before) + [n for n in after if n not in before]:
        old, new = plain(before.get(name)), plain(after.get(name))
        if old == new:
            continue
        if name in REDACTED:
            old, new = ("(sealed)" if old else None), ("(sealed, changed)" if new else None)
        out[name] = [old, new]
    return out
