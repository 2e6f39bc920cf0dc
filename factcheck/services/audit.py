"""The audit log: who did what security-relevant thing, when, from where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..models import AuditEvent, User, utcnow
from .actor import Actor


def record(session: Session, action: str, **fields: Any) -> AuditEvent:
    """Append one event (``fields``: the keywords of ``event_row`` but its time). Part of the
    caller's transaction: if the act rolls back, so does its record."""
    event = AuditEvent(**event_row(action, at=utcnow(), **fields))
    session.add(event)
    return event


def event_row(
    action: str,
    *,
    actor: Actor | User | None = None,
    actor_label: str = "",
    subject_type: str = "",
    subject_id: int | None = None,
    detail: str = "",
    address: str = "",
    at: datetime,
) -> dict[str, Any]:
    """The columns of one event, as ``record`` writes it (and the bulk and Core paths that
    insert rows without the ORM)."""
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
        "address": address[:64],
    }
