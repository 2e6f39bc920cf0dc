"""Who watches a claim, and what of it is unread.

A claim is watched by whoever created it, was assigned it, noted on it, was mentioned on it
or clicked "watch"; an assignment tells the person at once; opening the claim catches them up.
"""

from __future__ import annotations

from sqlalchemy import func, select

from factcheck.models import AuditEvent, Notification, OutboxEvent, Watch
from factcheck.services import Actor
from factcheck.services.claims import create_claim, update_claim
from factcheck.services.notes import add_note
from factcheck.services.status import change_status
from factcheck.services.watching import catch_up, set_watching, unread, watch, watch_of

from .conftest import csrf_token

SYSTEM = Actor.system("test")


def _watchers(session, claim) -> dict[int, str]:
    return {w.user_id: w.reason for w in session.scalars(select(Watch).where(Watch.claim_id == claim.id))}


def test_whoever_enters_a_claim_watches_it(session, make) -> None:
    checker = make.user("checker")
    claim = create_claim(session, Actor.of(checker), text="Ten schools reopened in Herat")
    assert _watchers(session, claim) == {checker.id: "created"}
    # The tracker itself (the demo, an import) watches nothing.
    assert _watchers(session, make.claim("Entered by the system")) == {}


def test_an_assignment_is_watched_and_told_at_once(session, make) -> None:
    editor, checker, quiet = make.user("editor"), make.user("checker"), make.user("checker")
    quiet.email_now = False
    claim = make.claim("The governor resigned on Tuesday")
    update_claim(session, claim, Actor.of(editor), expected_version=claim.version, assignee_id=checker.id)
    assert _watchers(session, claim) == {checker.id: "assigned"}
    [told] = session.scalars(select(Notification).where(Notification.user_id == checker.id)).all()
    assert told.kind == "assignment" and told.actor_id == editor.id and "assigned you" in told.text
    assert session.scalar(select(OutboxEvent.channel).where(OutboxEvent.notification_id == told.id)) == "email"
    # Someone who chose the digest is told in the app only.
    update_claim(session, claim, Actor.of(editor), expected_version=claim.version, assignee_id=quiet.id)
    assert session.scalar(select(func.count()).select_from(OutboxEvent)) == 1
    assert _watchers(session, claim) == {checker.id: "assigned", quiet.id: "assigned"}
    # Assigning it to oneself: watched, nobody told; un-assigning: nothing more.
    update_claim(session, claim, Actor.of(editor), expected_version=claim.version, assignee_id=editor.id)
    update_claim(session, claim, Actor.of(editor), expected_version=claim.version, assignee_id=None)
    assert session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == editor.id)) == 0
    assert _watchers(session, claim)[editor.id] == "assigned"
    # Other desk fields tell nobody.
    update_claim(session, claim, Actor.of(editor), expected_version=claim.version, priority=3)
    assert session.scalar(select(func.count()).select_from(Notification)) == 2


def test_watching_twice_keeps_the_first_reason(session, make) -> None:
    checker = make.user("checker")
    claim = create_claim(session, Actor.of(checker), text="The ferry sank near Dhaka")
    watch(session, [checker.id, checker.id], claim.id, "noted")
    add_note(session, claim, Actor.of(checker), body="Called the port.")
    assert _watchers(session, claim) == {checker.id: "created"}


def test_the_watch_button_is_audited(session, make) -> None:
    checker = make.user("checker")
    claim = make.claim("Fuel prices doubled in a week")
    assert set_watching(session, claim, Actor.of(checker), watching=True)
    assert not set_watching(session, claim, Actor.of(checker), watching=True)  # already: nothing written
    assert _watchers(session, claim) == {checker.id: "clicked"}
    assert set_watching(session, claim, Actor.of(checker), watching=False)
    assert _watchers(session, claim) == {}
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == claim.id,
                                                              AuditEvent.action.like("claim.%watch"))).all()
    assert actions == ["claim.watch", "claim.unwatch"]


def test_what_moved_since_the_person_looked_is_unread(session, make) -> None:
    checker, colleague = make.user("checker"), make.user("checker")
    claim = create_claim(session, Actor.of(checker), text="The airport reopened on Friday")
    mine = watch_of(session, checker.id, claim.id)
    assert not unread(claim, mine)  # they entered it: nothing to read yet
    change_status(session, claim, "in_review", "Checking.", Actor.of(colleague), claim.version)
    assert unread(claim, mine)
    add_note(session, claim, Actor.of(colleague), body=f"@[{checker.name}] the airport says no")
    assert catch_up(session, checker.id, claim, Actor.of(checker)) == 1
    assert mine.seen_at == claim.last_activity_at and not unread(claim, mine)
    assert session.scalar(select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))) == 0
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "inbox.read")).all()
    assert event.subject_id == checker.id and event.changes["unread_notifications"] == [1, 0]
    # Caught up already: nothing written, nothing audited.
    assert catch_up(session, checker.id, claim, Actor.of(checker)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "inbox.read")) == 1
    # A note is activity: unread again for the claim's other watchers.
    add_note(session, claim, Actor.of(colleague), body="And the ministry agrees.")
    assert unread(claim, mine)


def test_opening_the_claim_catches_up_and_the_count_drops(client, session, make, login_as) -> None:
    me = login_as("checker", name="Mina Reader")
    colleague = make.user("checker", name="Omar Writer")
    claim = make.claim("A curfew was declared in the capital")
    other = make.claim("Another claim altogether")
    add_note(session, claim, Actor.of(colleague), body="@[Mina Reader] can you call the police?")
    add_note(session, other, Actor.of(colleague), body="@[Mina Reader] and this one")
    session.flush()
    desk = client.get("/desk/").get_data(as_text=True)
    assert 'title="Unread notifications">2<span class="visually-hidden"> unread</span>' in desk
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    # The page that caught up already shows the lower count.
    assert 'title="Unread notifications">1<span class="visually-hidden"> unread</span>' in page
    assert "You watch this claim (you were mentioned)" in page
    assert session.scalar(select(Notification.read_at).where(Notification.claim_id == claim.id)) is not None
    assert session.scalar(select(Notification.read_at).where(Notification.claim_id == other.id)) is None
    assert watch_of(session, me.id, claim.id).seen_at is not None
    # Stop watching, from the page's button; watch again.
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    response = client.post(f"/desk/claims/{claim.id}/watch", data={"csrf_token": token, "watching": "0"})
    assert response.status_code == 302 and watch_of(session, me.id, claim.id) is None
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "Watch this claim</button>" in page
    client.post(f"/desk/claims/{claim.id}/watch", data={"csrf_token": token, "watching": "1"})
    assert watch_of(session, me.id, claim.id).reason == "clicked"
