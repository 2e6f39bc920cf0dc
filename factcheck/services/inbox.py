"""What each person must look at next: notifications, in the app and by e-mail.

A notification is a row per person (the header's unread count, "my work"); one they asked to
hear of at once (mentions, assignments, sign-off requests: ``urgent``) also goes out by e-mail
through the outbox, if they chose e-mail now; the rest waits for the daily digest.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from ..errors import Forbidden, NotFound, ValidationError
from ..models import Claim, Notification, Role, User, utcnow
from . import audit, outbox
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


#: The header counts unread notifications up to this many ("99+" beyond): the count reads at
#: most this many index entries, however many a person leaves unread.
COUNT_CAP = 100


def unread_count(session: Session, user_id: int) -> int:
    """How many notifications ``user_id`` has not read, up to ``COUNT_CAP`` (one range of the
    ``(user_id, read_at, id)`` index, cut at the cap)."""
    unread = (select(Notification.id).where(Notification.user_id == user_id, Notification.read_at.is_(None))
              .limit(COUNT_CAP).subquery())
    return session.scalar(select(func.count()).select_from(unread)) or 0


def unread_of(session: Session, user_id: int, *, before: int | None = None, limit: int = 20) -> list[Notification]:
    """The person's unread notifications, newest first, ``limit`` of them (older than the
    notification ``before``, for the next page): one range of the index, in its order."""
    stmt = (select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .options(joinedload(Notification.claim).load_only(Claim.id, Claim.text), joinedload(Notification.actor))
            .order_by(Notification.id.desc()).limit(limit))
    if before is not None:
        stmt = stmt.where(Notification.id < before)
    return list(session.scalars(stmt))


def read_recently(session: Session, user_id: int, *, limit: int = 10) -> list[Notification]:
    """The notifications the person read last, last read first (the index's range of read
    ones, in ``read_at`` order)."""
    return list(session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_not(None))
        .options(joinedload(Notification.claim).load_only(Claim.id, Claim.text), joinedload(Notification.actor))
        .order_by(Notification.read_at.desc(), Notification.id.desc()).limit(limit)
    ))


def mark_read(session: Session, actor: Actor, *, notification_id: int | None = None, up_to: int | None = None) -> int:
    """The person read one of their notifications (``notification_id``), or all of them up to
    the newest they were shown (``up_to``: what arrived since stays unread). Someone else's
    notification is no one of theirs (NotFound); one already read changes nothing. Returns
    how many were marked read."""
    user_id = actor.user_id
    if user_id is None:
        raise Forbidden("Only a signed-in person has an inbox.")
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        mine = session.scalar(select(Notification.id).where(Notification.id == notification_id,
                                                            Notification.user_id == user_id))
        if mine is None:
            raise NotFound("There is no such notification in your inbox.")
        stmt = stmt.where(Notification.id == notification_id)
    elif up_to is not None:
        stmt = stmt.where(Notification.id <= up_to)
    else:
        raise ValidationError("Say which notifications you read.", {"notification": "choose one"})
    read = session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if read:
        audit.record(session, "inbox.read", actor=actor, subject_type="user", subject_id=user_id,
                     detail=f"notification #{notification_id}" if notification_id else f"all up to #{up_to}",
                     changes={"unread_notifications": [read, 0]})
    return read


def set_email_choices(session: Session, user: User, actor: Actor, *, email_now: bool, email_digest: bool) -> bool:
    """How ``user`` hears of their notifications by e-mail: at once for mentions, assignments
    and sign-off requests (``email_now``), and a daily digest of the rest (``email_digest``).
    A person sets their own; an admin may set anyone's. Returns whether anything changed."""
    if actor.user_id != user.id:
        actor.require(Role.ADMIN, "change someone else's e-mail choices")
    before = {"email_now": user.email_now, "email_digest": user.email_digest}
    after = {"email_now": bool(email_now), "email_digest": bool(email_digest)}
    if before == after:
        return False
    user.email_now, user.email_digest = after["email_now"], after["email_digest"]
    session.flush()
    audit.record(session, "user.email_choices", actor=actor, subject_type="user", subject_id=user.id,
                 changes=audit.changes(before, after))
    return True
