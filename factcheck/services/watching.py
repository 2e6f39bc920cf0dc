"""Who follows a claim, and what of it they have not seen yet.

A claim is watched by whoever created it, was assigned it, noted on it, was mentioned on it,
or clicked "watch" (``Watch.reason`` keeps the first of these). Every write to a claim moves
its ``last_activity_at`` (a note too, ``services.notes``): what moved after the person last
opened the claim (``Watch.seen_at``; until then, since they began to watch it) is unread on
"my work". Opening the claim catches up: its watch is seen, its notifications are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import Claim, Notification, Watch, utcnow
from . import audit, inbox
from .actor import Actor

#: Why someone watches a claim, in the order the desk gives them.
REASONS = ("created", "assigned", "noted", "mentioned", "clicked")
REASON_LABELS = {
    "created": "you entered it",
    "assigned": "assigned to you",
    "noted": "you wrote a note",
    "mentioned": "you were mentioned",
    "clicked": "you chose to watch it",
}


def watch(session: Session, user_ids: Iterable[int | None], claim_id: int, reason: str) -> None:
    """Each of ``user_ids`` watches ``claim_id`` from now on (those who already do keep their
    watch and its first reason). One statement, safe against a concurrent request doing the
    same (``ON CONFLICT DO NOTHING`` on the unique (user, claim) pair)."""
    assert reason in REASONS, reason
    ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if not ids:
        return
    session.flush()
    now = utcnow()
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    rows = [{"user_id": user_id, "claim_id": claim_id, "reason": reason, "created_at": now, "seen_at": None}
            for user_id in ids]
    session.execute(dialect.insert(Watch).values(rows).on_conflict_do_nothing(index_elements=["user_id", "claim_id"]))


def watch_of(session: Session, user_id: int, claim_id: int) -> Watch | None:
    """The person's watch of the claim, if they watch it (one lookup on the unique index)."""
    return session.scalar(select(Watch).where(Watch.user_id == user_id, Watch.claim_id == claim_id))


def unread(claim: Claim, watch: Watch) -> bool:
    """Whether the claim moved since the person last opened it (or began to watch it)."""
    since = watch.seen_at or watch.created_at
    return claim.last_activity_at > since


def assigned(session: Session, claim: Claim, user_id: int, actor: Actor) -> None:
    """``claim`` was just assigned to ``user_id``: they watch it, and are told at once (an
    urgent notification: by e-mail too, if they chose e-mail now) — unless they assigned it
    to themselves."""
    watch(session, [user_id], claim.id, "assigned")
    who = actor.user.name if actor.user is not None else "The desk"
    inbox.notify(session, [user_id], "assignment", claim, f"{who} assigned you: {claim.text}"[:2000], actor=actor,
                 urgent=True)


def set_watching(session: Session, claim: Claim, actor: Actor, *, watching: bool) -> bool:
    """The "watch" / "stop watching" button: returns whether anything changed. Stopping
    removes the watch whatever its reason (being assigned, noted or mentioned again brings
    it back)."""
    user_id = actor.user_id
    if user_id is None:
        return False
    current = watch_of(session, user_id, claim.id)
    if watching == (current is not None):
        return False
    if watching:
        watch(session, [user_id], claim.id, "clicked")
        reason = "clicked"
    else:
        assert current is not None
        reason = current.reason
        session.delete(current)
        session.flush()
    audit.record(session, "claim.watch" if watching else "claim.unwatch", actor=actor, subject_type="claim",
                 subject_id=claim.id, changes={"watching": [not watching, watching]},
                 detail="" if watching else f"was watching: {reason}")
    return True


def catch_up(session: Session, user_id: int, claim: Claim, actor: Actor, *, seen: datetime | None = None) -> int:
    """The person opened ``claim``, as it stood at ``seen`` (its ``last_activity_at`` as shown,
    by default): their watch is seen up to there, and their unread notifications about it are
    read. Writes (and audits) only what was unread; returns how many notifications it read."""
    seen = seen or claim.last_activity_at
    watch = watch_of(session, user_id, claim.id)
    stale_watch = watch is not None and (watch.seen_at is None or watch.seen_at < seen)
    now = utcnow()
    read = session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None), Notification.claim_id == claim.id)
        .values(read_at=now).execution_options(synchronize_session=False)
    ).rowcount
    if not stale_watch and not read:
        return 0
    changes: dict[str, list[object]] = {}
    if stale_watch:
        assert watch is not None
        changes["seen_at"] = [audit.plain(watch.seen_at), audit.plain(seen)]
        watch.seen_at = seen
    if read:
        changes["unread_notifications"] = [read, 0]
    audit.record(session, "inbox.read", actor=actor, subject_type="user", subject_id=user_id,
                 detail=f"opened claim #{claim.id}", changes=changes)
    return read
