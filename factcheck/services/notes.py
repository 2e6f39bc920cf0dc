"""Notes on a claim: the team's conversation about it, never shown to readers.

A note is plain text. A colleague is mentioned as ``@[Their Name]`` — the name as the desk
shows it, in square brackets because names have spaces — or, where two people share a name,
``@[their@email.address]``. A bare ``@word`` is left as text: checkers quote social-media
handles all day, and ``@nytimes`` must not be mistaken for a colleague. A mention must name an
active colleague; anything else refuses the whole note with a message saying which name and
why, and nothing is written.

The person mentioned is told at once (an urgent notification: in the app, and by e-mail if
they chose e-mail now) and watches the claim from then on; so does the author. The author may
change or delete a note for ``EDIT_MINUTES`` minutes after writing it; the change is shown
("edited"), each version is kept as a revision (``services.revisions``, kind ``note``), and a
deleted note stays in the thread as "deleted", its words kept in the revisions and the audit
log. A note moves the claim's ``last_activity_at`` (not its version: nobody's open form is
made stale by a colleague's note), so it counts as activity (never stale) and is unread for
the claim's other watchers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import Forbidden, NotFound, ValidationError
from ..models import Claim, Note, NoteMention, Revision, User, utcnow
from . import audit, inbox, revisions, watching
from .actor import Actor
from .validation import clean_text

MAX_NOTE_LENGTH = 20_000
#: How long after writing it the author may change or delete a note.
EDIT_MINUTES = 15
EDIT_WINDOW = timedelta(minutes=EDIT_MINUTES)
#: Distinct people one note may mention.
MAX_MENTIONS = 50
#: Notes shown on a claim's page: its newest ones (a thread longer than this says so).
THREAD_LIMIT = 500
#: ``@[…]``: what is inside the brackets names a colleague.
MENTION = re.compile(r"@\[([^\[\]\n]{1,254})\]")


@dataclass(frozen=True)
class Mentioned:
    """One ``@[…]`` of a note, and the colleague it names."""

    written: str
    user: User


def _key(text: str) -> str:
    """A name or address as compared: case, accents' composition and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def mention_texts(body: str) -> list[str]:
    """What is written inside each ``@[…]`` of ``body``, in order, once each."""
    seen: list[str] = []
    for match in MENTION.finditer(body):
        written = match.group(1).strip()
        if written and written not in seen:
            seen.append(written)
    return seen


def resolve_mentions(session: Session, body: str) -> list[Mentioned]:
    """The colleagues ``body`` mentions; ValidationError (field ``body``) naming the first
    mention that names nobody, a deactivated account, or two people at once. Read before
    anything is written: a refused note leaves nothing behind."""
    written = mention_texts(body)
    if not written:
        return []
    if len(written) > MAX_MENTIONS:
        raise ValidationError(f"A note may mention at most {MAX_MENTIONS} people; this one mentions {len(written)}.",
                              {"body": f"at most {MAX_MENTIONS} mentions"})
    # A newsroom has tens or hundreds of accounts: compared here, in Python, where case and
    # Unicode are folded the same way on both databases.
    people = session.execute(select(User.id, User.name, User.email, User.active)).all()
    is_active = {person.id: person.active for person in people}
    by_name: dict[str, list[int]] = {}
    by_email: dict[str, int] = {}
    for person in people:
        by_name.setdefault(_key(person.name), []).append(person.id)
        by_email[_key(person.email)] = person.id
    found: dict[int, str] = {}
    for text in written:
        key = _key(text)
        ids = [by_email[key]] if key in by_email else by_name.get(key, [])
        active = [i for i in ids if is_active[i]]
        if not ids:
            raise ValidationError(
                f"Nobody on the desk is called “{text}”: mention a colleague as @[Their Name], as listed under "
                "“People you can mention” (a bare @handle stays text).", {"body": f"unknown person: {text}"})
        if not active:
            raise ValidationError(
                f"“{text}” no longer has an active account, so they would never see this note: remove the "
                "mention, or mention someone else.", {"body": f"deactivated: {text}"})
        if len(active) > 1:
            raise ValidationError(
                f"{len(active)} people are called “{text}”: mention the one you mean by e-mail address, "
                "as @[name@example.org].", {"body": f"ambiguous: {text}"})
        found.setdefault(active[0], text)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(found)))}
    return [Mentioned(text, users[user_id]) for user_id, text in found.items()]


def _body(body: object) -> str:
    return clean_text(body, "body", max_length=MAX_NOTE_LENGTH)


def _touch(session: Session, claim: Claim, at: datetime) -> None:
    """The claim moved (for its watchers and its "stale" flag), without a new version."""
    session.execute(update(Claim).where(Claim.id == claim.id).values(last_activity_at=at)
                    .execution_options(synchronize_session=False))
    set_committed_value(claim, "last_activity_at", at)


def _mention(session: Session, note: Note, claim: Claim, mentioned: list[Mentioned], actor: Actor) -> list[int]:
    """Record the mentions of ``note`` not recorded yet; the people newly mentioned watch the
    claim and are told at once. Returns their ids."""
    already = {m.user_id for m in note.mentions}
    new = [m for m in mentioned if m.user.id not in already]
    for m in new:
        note.mentions.append(NoteMention(user_id=m.user.id))
    session.flush()
    ids = [m.user.id for m in new]
    watching.watch(session, [i for i in ids if i != actor.user_id], claim.id, "mentioned")
    who = actor.user.name if actor.user is not None else "The desk"
    excerpt = " ".join(note.body.split())
    inbox.notify(session, ids, "mention", claim, f"{who} mentioned you: {excerpt}"[:2000], actor=actor, urgent=True)
    return ids


def add_note(session: Session, claim: Claim, actor: Actor, *, body: str) -> Note:
    """Write a note on ``claim``: its mentions checked first (all or nothing), its first
    revision, the author and the people mentioned watching the claim, the people mentioned
    told, one audit event."""
    if actor.user_id is None:
        raise Forbidden("A note needs an author: sign in to write one.")
    body = _body(body)
    mentioned = resolve_mentions(session, body)
    now = utcnow()
    note = Note(claim_id=claim.id, author_id=actor.user_id, body=body, created_at=now)
    session.add(note)
    session.flush()
    session.add(Revision(**revisions.revision_row("note", note.id, 1, revisions.snapshot("note", note), actor, now)))
    watching.watch(session, [actor.user_id], claim.id, "noted")
    told = _mention(session, note, claim, mentioned, actor)
    _touch(session, claim, now)
    audit.record(session, "note.create", actor=actor, subject_type="claim", subject_id=claim.id,
                 detail=f"note #{note.id}",
                 changes=audit.changes({}, {"note": note.id, "body": body, "mentioned": sorted(told) or None}))
    return note


def get_note(session: Session, claim_id: int, note_id: int | None) -> Note:
    """A note of ``claim_id`` by its id; NotFound for another claim's, or none."""
    note = session.get(Note, note_id) if note_id is not None else None
    if note is None or note.claim_id != claim_id:
        raise NotFound("That note is not on this claim.")
    return note


def editable_until(note: Note) -> datetime:
    return note.created_at + EDIT_WINDOW


def may_change(note: Note, user_id: int | None, now: datetime | None = None) -> bool:
    """Whether ``user_id`` may still change or delete ``note`` (the page shows the buttons
    by this; ``_check_change`` refuses by the same rule)."""
    return (note.deleted_at is None and user_id is not None and note.author_id == user_id
            and (now or utcnow()) <= editable_until(note))


def _check_change(note: Note, actor: Actor, what: str, now: datetime) -> None:
    if note.deleted_at is not None:
        raise ValidationError("This note was deleted: there is nothing left to change.", {"note": "deleted"})
    if actor.user_id is None or note.author_id != actor.user_id:
        raise Forbidden(f"Only the author of a note can {what} it.")
    if now > editable_until(note):
        raise ValidationError(
            f"A note can be changed or deleted for {EDIT_MINUTES} minutes after it is written, and this one was "
            f"written at {note.created_at.strftime('%H:%M')} UTC. Add a new note instead.", {"note": "too late"})


def edit_note(session: Session, note: Note, actor: Actor, *, body: str) -> Note:
    """The author changes their note within ``EDIT_MINUTES``: the new words kept as the next
    revision, shown as edited; people newly mentioned are told (and watch); one audit event
    with the words before and after. The same words change nothing."""
    now = utcnow()
    _check_change(note, actor, "change", now)
    body = _body(body)
    mentioned = resolve_mentions(session, body)
    if body == note.body:
        return note
    before = {"body": note.body, "edited_at": note.edited_at}
    note.body, note.edited_at = body, now
    session.flush()
    revisions.record(session, "note", note, actor)
    claim = note.claim
    told = _mention(session, note, claim, mentioned, actor)
    # Mentions no longer in the words are no longer mentions (whoever was told stays told).
    keep = {m.user.id for m in mentioned}
    for gone in [m for m in note.mentions if m.user_id not in keep]:
        note.mentions.remove(gone)
    _touch(session, claim, now)
    after = {"body": body, "edited_at": now, **({"mentioned": sorted(told)} if told else {})}
    audit.record(session, "note.edit", actor=actor, subject_type="claim", subject_id=note.claim_id,
                 detail=f"note #{note.id}", changes=audit.changes(before, after))
    session.flush()
    return note


def delete_note(session: Session, note: Note, actor: Actor) -> Note:
    """The author deletes their note within ``EDIT_MINUTES``: it stays in the thread as
    deleted (its words kept in the revisions and the audit event), no longer shown."""
    now = utcnow()
    _check_change(note, actor, "delete", now)
    note.deleted_at = now
    session.flush()
    _touch(session, note.claim, now)
    audit.record(session, "note.delete", actor=actor, subject_type="claim", subject_id=note.claim_id,
                 detail=f"note #{note.id}", changes={"deleted_at": [None, audit.plain(now)], "body": [note.body, None]})
    return note


def thread(session: Session, claim_id: int, *, limit: int = THREAD_LIMIT) -> tuple[list[Note], bool]:
    """The claim's notes, oldest first — its newest ``limit`` — with their authors (one query
    whatever their number), and whether older ones were left out."""
    newest = list(session.scalars(
        select(Note).where(Note.claim_id == claim_id).options(joinedload(Note.author))
        .order_by(Note.id.desc()).limit(limit + 1)
    ))
    return list(reversed(newest[:limit])), len(newest) > limit


def mentionable(session: Session) -> list[tuple[User, str]]:
    """Everyone a note may mention — the active accounts, by name — each with how to write
    it: ``@[Name]``, or ``@[address]`` where two people share the name."""
    users = list(session.scalars(select(User).where(User.active).order_by(User.name, User.id)))
    names: dict[str, int] = {}
    for user in users:
        names[_key(user.name)] = names.get(_key(user.name), 0) + 1
    return [(user, f"@[{user.name if names[_key(user.name)] == 1 and MENTION.fullmatch(f'@[{user.name}]') else user.email}]")
            for user in users]
