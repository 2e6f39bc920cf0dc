"""What each person must look at next: notifications, in the app and by e-mail.

A notification is a row per person (the header's unread count, "my work"); one they asked to
hear of at once (mentions, assignments, sign-off requests: ``urgent``) also goes out by e-mail
through the outbox, if they chose e-mail now; the rest waits for the daily digest.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Claim, Notification, User, utcnow
from . import outbox
from .actor import Actor


def notify(
    session: Session, user_ids: Iterable[int], kind: str, claim: Claim | None, text: str, *, actor: Actor,
    urgent: bool = False,
) -> list[Notification]:
    """Tell each of ``user_ids`` (active, and not the actor themselves) ``text`` about ``claim``."""
    ids = sorted({user_id for user_id in user_ids if user_id is not None and user_id != actor.user_id})
    if not ids:
        return []
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids), User.active))}
    now = utcnow()
    made = []
    for user_id in ids:
        user = users.get(user_id)
        if user is None:
            continue
        note = Notification(user_id=user_id, claim_id=claim.id if claim is not None else None, kind=kind,
                            text=text[:2000], actor_id=actor.user_id, created_at=now)
        session.add(note)
        made.append((note, user))
    session.flush()
    for note, user in made:
        if urgent and user.email_now:
            outbox.enqueue(session, "email", kind, {"notification_id": note.id}, claim_id=note.claim_id,
                           notification_id=note.id)
    session.flush()
    return [note for note, _ in made]
