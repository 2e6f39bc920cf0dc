""""My work": where each person lands after signing in, and what it shows them.

Claims assigned to them, claims they watch (unread marks on what moved since they looked),
mentions of them, deadlines within a day, the inbox (read one, read all shown), the desk
list's "assigned to me" filter, and their e-mail choices.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from factcheck.models import AuditEvent, Claim, Notification, Watch, utcnow
from factcheck.services import Actor
from factcheck.services.claims import update_claim
from factcheck.services.mywork import WATCHING_PAGE, build
from factcheck.services.notes import add_note
from factcheck.services.status import change_status
from factcheck.services.watching import watch

from .conftest import csrf_token
from .factories import PASSWORD

SYSTEM = Actor.system("test")


def _section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start:page.index("</section>", start)]


def _is_new(html: str, claim: Claim) -> bool:
    """Whether ``claim`` is marked "new" in a list of "my work"."""
    return re.search(r'<span class="flag flag-overdue">new</span> (<span class="status[^"]*">[^<]*</span> )?'
                     rf'<a href="/desk/claims/{claim.id}"', html) is not None


def test_signing_in_lands_on_my_work(client, make) -> None:
    user = make.user("checker")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": csrf_token(client, "/login")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/desk/my-work")
    page = client.get("/desk/my-work").get_data(as_text=True)
    assert "<h1>My work</h1>" in page and 'class="my-work">My work' in page
    # Signed in already: the sign-in page sends them there too; a "next" still wins.
    assert client.get("/login").headers["Location"].endswith("/desk/my-work")
    assert client.get("/login?next=/desk/sources").headers["Location"].endswith("/desk/sources")


def test_my_work_shows_each_part(client, session, make, login_as) -> None:
    me = login_as("checker", name="Mina Reader")
    editor = make.user("editor", name="Elena Editor")
    now = utcnow()
    assigned = make.claim("Assigned and due tomorrow morning")
    update_claim(session, assigned, Actor.of(editor), expected_version=assigned.version, assignee_id=me.id,
                 deadline=now + timedelta(hours=20))
    resolved = make.claim("Assigned but already resolved")
    update_claim(session, resolved, Actor.of(editor), expected_version=resolved.version, assignee_id=me.id)
    change_status(session, resolved, "in_review", "Checking.", SYSTEM, resolved.version)
    change_status(session, resolved, "false", "Nobody was there.", SYSTEM, resolved.version)
    watched_due = make.claim("Watched and missed an hour ago")
    update_claim(session, watched_due, SYSTEM, expected_version=watched_due.version,
                 deadline=now - timedelta(hours=1))
    far = make.claim("Watched but due next week")
    update_claim(session, far, SYSTEM, expected_version=far.version, deadline=now + timedelta(days=7))
    not_mine = make.claim("Due soon but nothing to do with me")
    update_claim(session, not_mine, SYSTEM, expected_version=not_mine.version, deadline=now + timedelta(hours=2))
    watch(session, [me.id], watched_due.id, "clicked")
    watch(session, [me.id], far.id, "clicked")
    add_note(session, far, Actor.of(editor), body="@[Mina Reader] the ministry called back")
    session.flush()

    page = client.get("/desk/my-work").get_data(as_text=True)
    mine = _section(page, "assigned")
    assert "Assigned and due tomorrow morning" in mine and "Assigned but already resolved" not in mine
    due = _section(page, "due")
    assert "Assigned and due tomorrow morning" in due and "Watched and missed an hour ago" in due
    assert "Missed</span>" in due and "Watched but due next week" not in due and "nothing to do with me" not in due
    assert "the ministry called back" in _section(page, "mentions")
    inbox = _section(page, "inbox")
    assert "Assigned to you" in inbox and "Mentioned you" in inbox and "Elena Editor assigned you" in inbox
    changed = _section(page, "changed")
    # The note moved "far", and the verdict "resolved", after I began watching them: new.
    # Nothing moved the claim assigned to me since.
    assert _is_new(changed, far) and _is_new(changed, resolved) and not _is_new(changed, assigned)
    watching = _section(page, "watching")
    for claim in (assigned, resolved, watched_due, far):
        assert f"/desk/claims/{claim.id}\"" in watching
    assert f"/desk/claims/{not_mine.id}\"" not in watching
    assert "<strong>3</strong> unread" in page  # two assignments and a mention

    # Opened: no longer new, and its mention read.
    client.get(f"/desk/claims/{far.id}")
    page = client.get("/desk/my-work").get_data(as_text=True)
    assert not _is_new(_section(page, "changed"), far) and _is_new(_section(page, "changed"), resolved)
    assert "<strong>2</strong> unread" in page and "Read lately" in page


def test_reading_the_inbox(client, session, make, login_as) -> None:
    me = login_as("checker", name="Mina Reader")
    colleague = make.user("checker", name="Omar Writer")
    claim = make.claim("Three bridges were closed")
    for n in range(3):
        add_note(session, claim, Actor.of(colleague), body=f"@[Mina Reader] number {n}")
    session.flush()
    token = csrf_token(client, "/desk/my-work")
    first, second, third = session.scalars(select(Notification.id).where(Notification.user_id == me.id)
                                           .order_by(Notification.id)).all()
    response = client.post("/desk/my-work/read", data={"csrf_token": token, "notification": second})
    assert response.status_code == 302
    assert session.scalar(select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))) == 2
    # "Mark all read" reads what the page showed, up to its newest: one arriving meanwhile stays unread.
    page = client.get("/desk/my-work").get_data(as_text=True)
    assert f'name="up_to" value="{third}"' in page
    add_note(session, claim, Actor.of(colleague), body="@[Mina Reader] arrived while reading")
    session.flush()
    client.post("/desk/my-work/read", data={"csrf_token": token, "up_to": third})
    unread = session.scalars(select(Notification.text).where(Notification.read_at.is_(None))).all()
    assert len(unread) == 1 and "arrived while reading" in unread[0]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "inbox.read")).all()
    assert [e.changes["unread_notifications"] for e in events] == [[1, 0], [2, 0]]
    # Someone else's notification is not in my inbox; an id that is no id is refused in words.
    theirs = session.scalar(select(Notification.id).where(Notification.user_id == colleague.id))
    if theirs is None:
        add_note(session, claim, Actor.of(me), body="@[Omar Writer] thanks")
        session.flush()
        theirs = session.scalar(select(Notification.id).where(Notification.user_id == colleague.id))
    response = client.post("/desk/my-work/read", data={"csrf_token": token, "notification": theirs})
    assert response.status_code == 404 and "no such notification in your inbox" in response.get_data(as_text=True)
    assert session.scalar(select(Notification.read_at).where(Notification.id == theirs)) is None
    response = client.post("/desk/my-work/read", data={"csrf_token": token, "notification": "ten"})
    assert response.status_code == 422 and "Notification: not one of ours" in response.get_data(as_text=True)
    response = client.post("/desk/my-work/read", data={"csrf_token": token})
    assert response.status_code == 422 and "Say which notifications you read" in response.get_data(as_text=True)
    assert first


def test_the_inbox_and_the_watched_claims_are_paged(client, session, make, login_as) -> None:
    me = login_as("checker", name="Mina Reader")
    colleague = make.user("checker", name="Omar Writer")
    claims = [make.claim(f"Watched claim number {n}") for n in range(WATCHING_PAGE + 3)]
    session.flush()
    watch(session, [me.id], claims[0].id, "clicked")
    for claim in claims[1:]:
        watch(session, [me.id], claim.id, "clicked")
    for n in range(23):
        add_note(session, claims[0], Actor.of(colleague), body=f"@[Mina Reader] unread {n:02d}")
    session.flush()
    page = client.get("/desk/my-work").get_data(as_text=True)
    inbox = _section(page, "inbox")
    assert "unread 22" in inbox and "unread 02" not in inbox and "Older unread" in inbox
    older = re.search(r'href="(/desk/my-work\?before=\d+)#inbox"', inbox).group(1)
    inbox = _section(client.get(older).get_data(as_text=True), "inbox")
    assert "unread 02" in inbox and "unread 03" not in inbox and "unread 22" not in inbox
    watching = _section(page, "watching")
    assert f"/desk/claims/{claims[-1].id}\"" in watching and f"/desk/claims/{claims[2].id}\"" not in watching
    more = re.search(r'href="(/desk/my-work\?watching=\d+)#watching"', watching).group(1)
    watching = _section(client.get(more).get_data(as_text=True), "watching")
    assert all(f"/desk/claims/{c.id}\"" in watching for c in claims[:3])
    assert "More claims you watch" not in watching
    # Positions that are no position are the first page, never an error.
    for query in ("before=abc", "watching=-1", "before=99999999999", "watching=%D9%A1"):
        assert client.get(f"/desk/my-work?{query}").status_code == 200


def test_changes_long_ago_are_not_listed_as_recent(session, make) -> None:
    me = make.user("checker")
    recent, old = make.claim("Moved today"), make.claim("Moved last month")
    watch(session, [me.id], recent.id, "clicked")
    watch(session, [me.id], old.id, "clicked")
    session.execute(update(Claim).where(Claim.id == old.id).values(last_activity_at=utcnow() - timedelta(days=30)))
    session.expire_all()
    work = build(session, me)
    assert [w.claim.id for w in work.changed] == [recent.id]
    assert {w.claim.id for w in work.watching} == {recent.id, old.id}


def test_the_desk_list_filters_assigned_to_me(client, session, make, login_as) -> None:
    me = login_as("checker")
    editor = make.user("editor")
    mine = make.claim("A claim assigned to me")
    theirs = make.claim("A claim assigned to someone else")
    update_claim(session, mine, Actor.of(editor), expected_version=mine.version, assignee_id=me.id)
    update_claim(session, theirs, Actor.of(editor), expected_version=theirs.version, assignee_id=editor.id)
    session.flush()
    page = client.get("/desk/").get_data(as_text=True)
    assert 'name="mine" value="1" >' in page and "Assigned to me</label>" in page
    assert "A claim assigned to me" in page and "A claim assigned to someone else" in page
    page = client.get("/desk/?mine=1").get_data(as_text=True)
    assert 'name="mine" value="1" checked>' in page
    assert "A claim assigned to me" in page and "A claim assigned to someone else" not in page


def test_each_person_chooses_how_they_hear(client, session, login_as) -> None:
    me = login_as("checker")
    page = client.get("/desk/preferences").get_data(as_text=True)
    assert 'name="email_now" value="1" checked' in page and 'name="email_digest" value="1" checked' in page
    token = csrf_token(client, "/desk/preferences")
    response = client.post("/desk/preferences", data={"csrf_token": token, "email_digest": "1"})
    assert response.status_code == 302
    session.refresh(me)
    assert me.email_now is False and me.email_digest is True
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.email_choices")).all()
    assert event.changes == {"email_now": [True, False]} and event.actor_id == me.id
    client.post("/desk/preferences", data={"csrf_token": token, "email_digest": "1"})
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "user.email_choices")) == 1  # nothing changed
    page = client.get("/desk/preferences").get_data(as_text=True)
    assert 'name="email_now" value="1" >' in page and 'name="email_digest" value="1" checked' in page


def test_the_header_count_is_capped(client, session, make, login_as) -> None:
    me = login_as("checker", name="Mina Reader")
    colleague = make.user("checker")
    claim = make.claim("A busy claim")
    session.flush()
    session.execute(Notification.__table__.insert(), [
        {"user_id": me.id, "claim_id": claim.id, "kind": "mention", "text": f"n{n}", "actor_id": colleague.id,
         "created_at": utcnow()} for n in range(120)])
    page = client.get("/desk/sources").get_data(as_text=True)
    assert 'title="Unread notifications">100+<span class="visually-hidden"> unread</span>' in page
    assert session.scalar(select(func.count()).select_from(Watch)) == 0
