"""Notes on a claim: mentions, the 15-minute edit window, kept words, bad input, escaping.

Each rule is checked through the service (as every interface calls it) and, where a person
meets it, through the desk's form: a refusal comes back with everything typed and the reason
in words, and nothing of it is written.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from factcheck.errors import Forbidden, ValidationError
from factcheck.models import (AuditEvent, Note, NoteMention, Notification, OutboxEvent, Revision, Watch,
                              utcnow)
from factcheck.services import Actor
from factcheck.services.notes import MAX_NOTE_LENGTH, add_note, delete_note, edit_note
from factcheck.services.users import set_active

from .conftest import csrf_token

SYSTEM = Actor.system("test")


def _counts(session) -> dict[str, int]:
    return {model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Note, NoteMention, Notification, OutboxEvent, Watch, AuditEvent, Revision)}


@pytest.fixture
def desk(make, session):
    """A claim, its author (a checker) and two colleagues."""
    ayesha = make.user("checker", name="Ayesha Khan")
    bilal = make.user("checker", name="Bilal Second")
    elena = make.user("editor", name="Elena Editor")
    claim = make.claim("The bridge at Kunduz was destroyed on Monday")
    session.flush()
    return claim, ayesha, bilal, elena


def test_a_mention_tells_the_person_and_both_watch(session, desk) -> None:
    claim, ayesha, bilal, _ = desk
    version, before = claim.version, claim.last_activity_at
    note = add_note(session, claim, Actor.of(ayesha), body="@[Bilal Second] look at this: https://news.example/k")
    assert [m.user_id for m in note.mentions] == [bilal.id]
    watches = {w.user_id: w.reason for w in session.scalars(select(Watch).where(Watch.claim_id == claim.id))}
    assert watches == {ayesha.id: "noted", bilal.id: "mentioned"}
    [told] = session.scalars(select(Notification).where(Notification.user_id == bilal.id)).all()
    assert told.kind == "mention" and told.claim_id == claim.id and told.actor_id == ayesha.id
    assert "Ayesha Khan mentioned you" in told.text and told.read_at is None
    # Urgent, and Bilal chose e-mail now (the default): an e-mail waits in the outbox.
    assert session.scalar(select(OutboxEvent).where(OutboxEvent.notification_id == told.id)).channel == "email"
    # The author is not told of their own note.
    assert session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == ayesha.id)) == 0
    # The claim moved (its watchers see it), but no one's open form is made stale.
    assert claim.version == version and claim.last_activity_at > before
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "note.create")).all()
    assert event.actor_id == ayesha.id and event.subject_id == claim.id
    assert event.changes["body"][1].startswith("@[Bilal Second]") and event.changes["mentioned"] == [None, [bilal.id]]
    [first] = session.scalars(select(Revision).where(Revision.subject_type == "note", Revision.subject_id == note.id))
    assert first.number == 1 and first.values == {"body": note.body}


def test_no_email_for_someone_who_chose_the_digest(session, desk) -> None:
    claim, ayesha, bilal, _ = desk
    bilal.email_now = False
    session.flush()
    add_note(session, claim, Actor.of(ayesha), body="@[bilal second] for the digest")  # any case, any spacing
    assert session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == bilal.id)) == 1
    assert session.scalar(select(func.count()).select_from(OutboxEvent)) == 0


@pytest.mark.parametrize("body,expected", [
    ("@[Nobody Here] please check", "Nobody on the desk is called “Nobody Here”"),
    ("@[Bilal Second] and @[Dan Gone], please", "“Dan Gone” no longer has an active account"),
    ("@[Sam Same] please", "2 people are called “Sam Same”: mention the one you mean by e-mail address"),
    ("x" * (MAX_NOTE_LENGTH + 1), f"body is too long ({MAX_NOTE_LENGTH + 1} characters; at most {MAX_NOTE_LENGTH})"),
    ("   \n  ", "body is required"),
])
def test_bad_notes_are_refused_whole(session, make, desk, body, expected) -> None:
    claim, ayesha, _, _ = desk
    gone = make.user("checker", name="Dan Gone")
    set_active(session, gone, Actor.of(make.user("admin")), False)
    make.user("checker", name="Sam Same")
    make.user("checker", name="Sam Same")
    session.flush()
    before = _counts(session)
    with pytest.raises(ValidationError) as refused:
        with session.begin_nested():
            add_note(session, claim, Actor.of(ayesha), body=body)
    assert expected in refused.value.detail
    assert _counts(session) == before


def test_people_who_share_a_name_are_mentioned_by_address(session, make, desk) -> None:
    claim, ayesha, _, _ = desk
    first = make.user("checker", name="Sam Same", email="sam.one@example.org")
    make.user("checker", name="Sam Same", email="sam.two@example.org")
    note = add_note(session, claim, Actor.of(ayesha), body="@[Sam.One@example.org] your call")
    assert [m.user_id for m in note.mentions] == [first.id]


def test_a_bare_handle_is_text(session, desk) -> None:
    claim, ayesha, _, _ = desk
    note = add_note(session, claim, Actor.of(ayesha), body="@nytimes and @Bilal said so; mail me@example.org")
    assert note.mentions == []
    assert session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_note_of_exactly_the_limit_is_kept(session, desk) -> None:
    claim, ayesha, _, _ = desk
    assert len(add_note(session, claim, Actor.of(ayesha), body="y" * MAX_NOTE_LENGTH).body) == MAX_NOTE_LENGTH


def test_the_author_edits_within_fifteen_minutes_and_the_words_are_kept(session, desk) -> None:
    claim, ayesha, bilal, elena = desk
    note = add_note(session, claim, Actor.of(ayesha), body="First words.")
    edit_note(session, note, Actor.of(ayesha), body="Second words, @[Elena Editor].")
    assert note.body == "Second words, @[Elena Editor]." and note.edited_at is not None
    kept = session.scalars(select(Revision).where(Revision.subject_type == "note", Revision.subject_id == note.id)
                           .order_by(Revision.number)).all()
    assert [r.values["body"] for r in kept] == ["First words.", "Second words, @[Elena Editor]."]
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "note.edit")).all()
    assert event.changes["body"] == ["First words.", "Second words, @[Elena Editor]."]
    # Someone mentioned by the change is told, once.
    assert [n.kind for n in session.scalars(select(Notification).where(Notification.user_id == elena.id))] == ["mention"]
    edit_note(session, note, Actor.of(ayesha), body="Second words, @[Elena Editor]!")
    assert session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == elena.id)) == 1
    # Only its author may change it.
    with pytest.raises(Forbidden):
        edit_note(session, note, Actor.of(bilal), body="Mine now.")
    with pytest.raises(Forbidden):
        delete_note(session, note, Actor.of(elena))


def test_after_fifteen_minutes_a_note_stays_as_written(session, desk) -> None:
    claim, ayesha, _, _ = desk
    note = add_note(session, claim, Actor.of(ayesha), body="Written long ago.")
    note.created_at = utcnow() - timedelta(minutes=15, seconds=1)
    session.flush()
    before = _counts(session)
    for change in (lambda: edit_note(session, note, Actor.of(ayesha), body="Changed."),
                   lambda: delete_note(session, note, Actor.of(ayesha))):
        with pytest.raises(ValidationError) as refused:
            change()
        assert "for 15 minutes after it is written" in refused.value.detail
    assert note.body == "Written long ago." and note.deleted_at is None and _counts(session) == before


def test_a_deleted_note_stays_in_the_thread_as_deleted(session, client, login_as, desk) -> None:
    claim, ayesha, _, _ = desk
    note = add_note(session, claim, Actor.of(ayesha), body="A slip of the keyboard WORDS-GONE")
    delete_note(session, note, Actor.of(ayesha))
    assert note.deleted_at is not None
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "note.delete")).all()
    assert event.changes["body"] == ["A slip of the keyboard WORDS-GONE", None]
    with pytest.raises(ValidationError):
        edit_note(session, note, Actor.of(ayesha), body="Back again.")
    login_as("checker")
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    thread = page[page.index('id="notes"'):page.index("</section>", page.index('id="notes"'))]
    # Gone from the thread; its words are still in the claim's record ("Every change").
    assert "Deleted by its author" in thread and "WORDS-GONE" not in thread


# -- through the desk's forms --------------------------------------------------------------------
def test_notes_through_the_form(client, session, login_as, desk) -> None:
    claim, _, bilal, _ = desk
    me = login_as("checker", name="Chidi Checker")
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "@[Bilal Second]" in page and "People you can mention" in page
    response = client.post(f"/desk/claims/{claim.id}/notes", data={
        "csrf_token": token, "body": "@[Bilal Second] look at this\nsecond line", "anchor": "notes"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/desk/claims/{claim.id}#notes")
    note = session.scalar(select(Note).where(Note.claim_id == claim.id))
    assert note.author_id == me.id and [m.user_id for m in note.mentions] == [bilal.id]
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert '<strong class="mention">@<bdi>Bilal Second</bdi></strong> look at this<br>' in page
    assert "Change or delete (until" in page  # the author's own note, within the window
    assert "You watch this claim (you wrote a note)" in page

    # Changed within the window, through the page's own edit form.
    response = client.post(f"/desk/claims/{claim.id}/notes/edit", data={
        "csrf_token": token, "note": note.id, "body": "Look at this, @[Bilal Second]."})
    assert response.status_code == 302
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "<strong>edited</strong>" in page and "Earlier words (1)" in page

    # Refused: the page comes back with what was typed and the reason, nothing written.
    before = _counts(session)
    typed = "Ask @[Someone Unknown] about the bridge & the <b>photos</b>"
    response = client.post(f"/desk/claims/{claim.id}/notes", data={"csrf_token": token, "body": typed})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nobody on the desk is called “Someone Unknown”" in body
    assert "Ask @[Someone Unknown] about the bridge &amp; the &lt;b&gt;photos&lt;/b&gt;</textarea>" in body
    assert _counts(session) == before
    too_long = "z" * (MAX_NOTE_LENGTH + 5)
    response = client.post(f"/desk/claims/{claim.id}/notes", data={"csrf_token": token, "body": too_long})
    assert response.status_code == 422
    assert f"Note: is too long ({MAX_NOTE_LENGTH + 5} characters; at most {MAX_NOTE_LENGTH})" in response.get_data(as_text=True)
    assert too_long + "</textarea>" in response.get_data(as_text=True)
    # Someone else's note, or a note of another claim: refused in words.
    other = add_note(session, claim, Actor.of(bilal), body="Bilal's own.")
    response = client.post(f"/desk/claims/{claim.id}/notes/edit", data={"csrf_token": token, "note": other.id,
                                                                        "body": "Hijacked."})
    assert response.status_code == 403 and "Only the author of a note can change it" in response.get_data(as_text=True)
    response = client.post(f"/desk/claims/{claim.id}/notes/delete", data={"csrf_token": token, "note": "999999"})
    assert response.status_code == 404 and "That note is not on this claim" in response.get_data(as_text=True)
    response = client.post(f"/desk/claims/{claim.id}/notes/delete", data={"csrf_token": token, "note": "x"})
    assert response.status_code == 422 and "Note: not one of ours" in response.get_data(as_text=True)
    assert _counts(session) == {**before, "Note": before["Note"] + 1, "Revision": before["Revision"] + 1,
                                "AuditEvent": before["AuditEvent"] + 1, "Watch": before["Watch"]}


@pytest.mark.parametrize("role", ["checker", "editor", "admin"])
def test_every_signed_in_role_sees_the_notes(client, session, login_as, desk, role) -> None:
    claim, ayesha, _, _ = desk
    add_note(session, claim, Actor.of(ayesha), body="For every colleague MARK-ROLES")
    login_as(role)
    assert "MARK-ROLES" in client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)


# -- how a note is shown ---------------------------------------------------------------------------
@pytest.mark.parametrize("body,shown", [
    ("see https://news.example/a?b=1&c=2.", 'see <a href="https://news.example/a?b=1&amp;c=2" '
                                             'rel="noopener noreferrer nofollow">https://news.example/a?b=1&amp;c=2</a>.'),
    ("(https://en.wikipedia.org/wiki/Kunduz_(city))", '(<a href="https://en.wikipedia.org/wiki/Kunduz_(city)" '
                                                       'rel="noopener noreferrer nofollow">https://en.wikipedia.org/wiki/Kunduz_(city)</a>)'),
    ("javascript:alert(1) and data:text/html,x", "javascript:alert(1) and data:text/html,x"),
    ("javascript:https://x.example/", 'javascript:<a href="https://x.example/" rel="noopener noreferrer nofollow">'
                                      'https://x.example/</a>'),
    ('https://x.example/"><script>alert(1)</script>', '<a href="https://x.example/" rel="noopener noreferrer nofollow">'
                                                      'https://x.example/</a>&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'),
    ("http:// nothing", "http:// nothing"),
    ("two\r\nlines", "two<br>\nlines"),
    ("@[<b>Bold</b>]", '<strong class="mention">@<bdi>&lt;b&gt;Bold&lt;/b&gt;</bdi></strong>'),
])
def test_notes_are_plain_text_with_links(app, body, shown) -> None:
    from factcheck.checker.notes import note_html

    assert str(note_html(body)) == shown


def test_the_limit_is_twenty_thousand_characters(session, desk) -> None:
    claim, ayesha, _, _ = desk
    assert len(add_note(session, claim, Actor.of(ayesha), body="n" * 20_000).body) == 20_000
    with pytest.raises(ValidationError):
        with session.begin_nested():
            add_note(session, claim, Actor.of(ayesha), body="n" * 20_001)
