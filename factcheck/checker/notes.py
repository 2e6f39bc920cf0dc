"""Notes on a claim's desk page: the thread, writing, changing and deleting a note, watching.

The thread is a panel of the claim page (``panels.panel``), loaded in a fixed number of
queries; its partial is ``templates/checker/_notes.html``. Opening the claim page catches
the person up on it (``services.watching.catch_up``), in a short write transaction of its
own, only when there was something unread.
"""

from __future__ import annotations

import re
from typing import Any

from flask import request
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import current_actor
from ..db import get_database, get_session
from ..models import Claim, Notification, Revision, User, utcnow
from ..services import notes, watching
from ..services.claims import get_claim
from ..webforms import Check, Form, Id, LongText
from . import bp, panels
from .claims import submit


class NoteForm(Form):
    LABELS = {"body": "Note"}
    body = LongText("Note")


class NoteEditForm(Form):
    LABELS = {"body": "Note", "note": "Note"}
    note = Id("Note", required=True)
    body = LongText("Note")


class NoteDeleteForm(Form):
    LABELS = {"note": "Note"}
    note = Id("Note", required=True)


class WatchForm(Form):
    watching = Check("Watch this claim")


#: An http(s) address in a note (up to the first space, quote or angle bracket).
_URL = re.compile(r"https?://[^\s<>\"'\u00a0\u2028\u2029]+", re.IGNORECASE)
#: Punctuation that ends a sentence rather than an address.
_TRAILING = ".,;:!?'\")]}*_"


def _link(url: str) -> tuple[str, str]:
    """The address a match really is, and what followed it (trailing punctuation; a closing
    bracket only when the address holds no opening one)."""
    rest = ""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url, rest = url[:-1], url[-1] + rest
    return url, rest


def _text(text: str) -> Markup:
    """Plain text, escaped, its ``@[…]`` mentions marked and its lines kept."""
    out = Markup("")
    last = 0
    for match in notes.MENTION.finditer(text):
        out += escape(text[last:match.start()])
        out += Markup('<strong class="mention">@<bdi>%s</bdi></strong>') % match.group(1).strip()
        last = match.end()
    out += escape(text[last:])
    return Markup("<br>\n").join(Markup(line) for line in str(out).split("\n"))


def note_html(body: str) -> Markup:
    """A note as the desk shows it: plain text, escaped; http(s) addresses made links that
    open without telling the target where they came from (``noopener noreferrer``) and give it
    no credit (``nofollow``); ``@[Name]`` mentions marked; nothing else is markup. Only
    ``http://`` and ``https://`` ever become links: never ``javascript:`` or ``data:``."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    out = Markup("")
    last = 0
    for match in _URL.finditer(body):
        url, rest = _link(match.group(0))
        if not re.match(r"https?://[^/?#\s]", url, re.IGNORECASE):
            continue
        out += _text(body[last:match.start()])
        out += Markup('<a href="%s" rel="noopener noreferrer nofollow">%s</a>') % (url, url)
        out += _text(rest)
        last = match.end()
    out += _text(body[last:])
    return out


bp.add_app_template_filter(note_html, "note_html")


def _earlier_words(session: Session, thread: list[Any]) -> dict[int, list[Revision]]:
    """Every kept version of the edited notes of a thread, oldest first (one query, even for
    none: the page's statements do not depend on what its notes are)."""
    edited = [n.id for n in thread if n.edited_at is not None and n.deleted_at is None]
    kept: dict[int, list[Revision]] = {}
    for revision in session.scalars(
        select(Revision).where(Revision.subject_type == "note", Revision.subject_id.in_(edited))
        .order_by(Revision.subject_id, Revision.number)
    ):
        kept.setdefault(revision.subject_id, []).append(revision)
    return kept


@panels.panel
def notes_panel(session: Session, claim: Claim, user: User) -> dict[str, Any]:
    """The notes thread, who may be mentioned, whether the person watches the claim; and, on
    a GET, the person caught up on the claim (their watch seen, its notifications read)."""
    thread, older = notes.thread(session, claim.id)
    watch = watching.watch_of(session, user.id, claim.id)
    if request.method == "GET":
        _catch_up(session, user, claim, watch)
    return {
        "notes_thread": thread,
        "notes_older_hidden": older,
        "notes_earlier": _earlier_words(session, thread),
        "notes_mentionable": notes.mentionable(session),
        "notes_now": utcnow(),
        "notes_may_change": notes.may_change,
        "notes_until": notes.editable_until,
        "notes_edit_minutes": notes.EDIT_MINUTES,
        "notes_max_length": notes.MAX_NOTE_LENGTH,
        "my_watch": watch,
        "watch_reasons": watching.REASON_LABELS,
    }


def _catch_up(session: Session, user: User, claim: Claim, watch: Any) -> None:
    """Catch the person up on the claim they are looking at, if anything was unread: in a
    write transaction of its own (a page view's session only reads), after which the page's
    own reads see it (the header's unread count)."""
    unread_watch = watch is not None and watching.unread(claim, watch)
    unread_notice = session.scalar(
        select(Notification.id).where(Notification.user_id == user.id, Notification.read_at.is_(None),
                                      Notification.claim_id == claim.id).limit(1)
    )
    if not unread_watch and unread_notice is None:
        return
    seen = claim.last_activity_at
    with get_database().transaction() as write:
        me = write.get(User, user.id)
        target = write.get(Claim, claim.id)
        assert me is not None and target is not None
        watching.catch_up(write, me.id, target, current_actor(), seen=seen)
    # End the page's read snapshot (it wrote nothing), so that what it reads next — the
    # header's count — sees the catch-up; what it loaded stays loaded.
    session.commit()
    if watch is not None:
        session.refresh(watch)


@bp.post("/claims/<id:claim_id>/notes")
def add_note(claim_id: int) -> Any:
    def write(form: NoteForm) -> str:
        session = get_session()
        note = notes.add_note(session, get_claim(session, claim_id), current_actor(), body=form.body.data)
        told = len(note.mentions)
        return "Note added." + (f" {told} {'person was' if told == 1 else 'people were'} told." if told else "")

    return submit(claim_id, "note", NoteForm, write)


@bp.post("/claims/<id:claim_id>/notes/edit")
def edit_note(claim_id: int) -> Any:
    def write(form: NoteEditForm) -> str:
        session = get_session()
        note = notes.get_note(session, claim_id, form.note.data)
        before = note.body
        notes.edit_note(session, note, current_actor(), body=form.body.data)
        return "Note changed." if note.body != before else "Nothing changed."

    return submit(claim_id, f"note-{request.form.get('note', '')[:12]}", NoteEditForm, write)


@bp.post("/claims/<id:claim_id>/notes/delete")
def delete_note(claim_id: int) -> Any:
    def write(form: NoteDeleteForm) -> str:
        session = get_session()
        notes.delete_note(session, notes.get_note(session, claim_id, form.note.data), current_actor())
        return "Note deleted."

    return submit(claim_id, "note-delete", NoteDeleteForm, write)


@bp.post("/claims/<id:claim_id>/watch")
def watch(claim_id: int) -> Any:
    def write(form: WatchForm) -> str:
        session = get_session()
        claim = get_claim(session, claim_id)
        watching.set_watching(session, claim, current_actor(), watching=bool(form.watching.data))
        return ("You watch this claim: what changes on it is marked on your work page." if form.watching.data
                else "You no longer watch this claim.")

    return submit(claim_id, "watch", WatchForm, write)
