""""My work": what one person must look at next, on the page they land on after signing in.

Six parts, each one bounded read whatever the size of the archive or of the person's
history, so that the page costs the same at 10,000 claims and at a million, for someone
watching ten claims or ten thousand:

- the inbox: their unread notifications, newest first (a range of the ``(user_id, read_at,
  id)`` index), paged; and the few they read last;
- the claims assigned to them that are still unresolved (their assigned claims, by the
  assignee index);
- deadlines within a day: unresolved claims due in the next 24 hours or missed in the last
  24, that are assigned to them or that they watch (a 48-hour range of the unresolved
  claims' deadline index — a day's work, not the archive);
- mentions of them, newest first;
- what changed on the claims they watch: the newsroom's claims with activity in the last
  ``RECENT`` days, newest first, kept when the person watches them (a range of the activity
  index, each probed against their watches), unread marks on what moved since they last
  opened it;
- every claim they watch, newest claims first, paged by the ``(user_id, claim_id)`` index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, joinedload, load_only

from ..models import UNRESOLVED, Claim, Note, NoteMention, Notification, User, Watch, utcnow
from . import inbox, watching
from .queue import status_in

#: Rows per part of the page.
INBOX_PAGE = 20
READ_SHOWN = 5
ASSIGNED_SHOWN = 50
DUE_SHOWN = 20
MENTIONS_SHOWN = 10
CHANGED_SHOWN = 20
WATCHING_PAGE = 50
#: "What changed" looks this far back.
RECENT = timedelta(days=14)
#: "Deadlines within a day": due this soon, or missed this recently.
DUE_WITHIN = timedelta(days=1)
#: What the lists show of a claim (its long context and the rest are not read).
LISTED = load_only(Claim.id, Claim.text, Claim.status, Claim.deadline, Claim.priority, Claim.last_activity_at)


@dataclass(frozen=True)
class Watched:
    """A watched claim as listed: why the person watches it, and whether it moved since
    they last opened it."""

    claim: Claim
    reason: str
    unread: bool


@dataclass(frozen=True)
class Mention:
    note: Note
    claim: Claim


@dataclass
class MyWork:
    user: User
    unread_count: int
    inbox: list[Notification]
    inbox_next: int | None
    read_recently: list[Notification]
    assigned: list[Claim]
    assigned_more: bool
    due: list[Claim]
    mentions: list[Mention]
    changed: list[Watched]
    watching: list[Watched]
    watching_next: int | None
    now: datetime = field(default_factory=utcnow)

    @property
    def newest_unread(self) -> int | None:
        """The newest notification shown: "mark all read" reads up to it, no further."""
        return self.inbox[0].id if self.inbox else None


def build(session: Session, user: User, *, inbox_before: int | None = None, watching_before: int | None = None,
          now: datetime | None = None) -> MyWork:
    """Everything "my work" shows for ``user`` (``inbox_before``, ``watching_before``: the
    position of the inbox's and of the watched list's next page). A fixed number of
    queries, each bounded as the module says."""
    now = now or utcnow()
    me = user.id
    notifications = inbox.unread_of(session, me, before=inbox_before, limit=INBOX_PAGE + 1)
    assigned = list(session.scalars(
        select(Claim).where(Claim.assignee_id == me, Claim.status.in_(UNRESOLVED)).options(LISTED)
        .order_by(Claim.deadline.is_(None), Claim.deadline, Claim.priority.desc(), Claim.id)
        .limit(ASSIGNED_SHOWN + 1)
    ))
    watched_here = exists().where(Watch.user_id == me, Watch.claim_id == Claim.id)
    due = list(session.scalars(
        select(Claim).where(status_in(UNRESOLVED), Claim.deadline >= now - DUE_WITHIN,
                            Claim.deadline <= now + DUE_WITHIN, or_(Claim.assignee_id == me, watched_here))
        .options(LISTED).order_by(Claim.deadline, Claim.id).limit(DUE_SHOWN)
    ))
    mentions = [Mention(note, note.claim) for note in session.scalars(
        select(Note).join(NoteMention, NoteMention.note_id == Note.id)
        .where(NoteMention.user_id == me, Note.deleted_at.is_(None))
        .options(joinedload(Note.author), joinedload(Note.claim).load_only(Claim.id, Claim.text))
        .order_by(NoteMention.id.desc()).limit(MENTIONS_SHOWN)
    )]
    changed_claims = list(session.scalars(
        select(Claim).where(Claim.last_activity_at >= now - RECENT, watched_here).options(LISTED)
        .order_by(Claim.last_activity_at.desc(), Claim.id.desc()).limit(CHANGED_SHOWN)
    ))
    stmt = (select(Watch, Claim).join(Claim, Claim.id == Watch.claim_id).where(Watch.user_id == me).options(LISTED)
            .order_by(Watch.claim_id.desc()).limit(WATCHING_PAGE + 1))
    if watching_before is not None:
        stmt = stmt.where(Watch.claim_id < watching_before)
    page = session.execute(stmt).all()
    # The person's watches of the changed claims (by the unique index), for their marks.
    watches = {w.claim_id: w for w in session.scalars(
        select(Watch).where(Watch.user_id == me, Watch.claim_id.in_([c.id for c in changed_claims])))}
    listed = [Watched(claim, w.reason, watching.unread(claim, w)) for w, claim in page[:WATCHING_PAGE]]
    changed = [Watched(c, watches[c.id].reason, watching.unread(c, watches[c.id]))
               for c in changed_claims if c.id in watches]
    return MyWork(
        user=user,
        unread_count=inbox.unread_count(session, me),
        inbox=notifications[:INBOX_PAGE],
        inbox_next=notifications[INBOX_PAGE - 1].id if len(notifications) > INBOX_PAGE else None,
        read_recently=inbox.read_recently(session, me, limit=READ_SHOWN),
        assigned=assigned[:ASSIGNED_SHOWN],
        assigned_more=len(assigned) > ASSIGNED_SHOWN,
        due=due,
        mentions=mentions,
        changed=changed,
        watching=listed,
        watching_next=page[WATCHING_PAGE - 1][0].claim_id if len(page) > WATCHING_PAGE else None,
        now=now,
    )
