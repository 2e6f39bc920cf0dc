"""The pages that must not slow down as claims grow: a constant number of SQL statements.

Each page is requested for a small and a large case — a claim with one statement and one
with thirty, a queue of five claims and one of sixty — and must run exactly as many
statements for both. An N+1 (a lazy load per statement, per speaker, per assignee) shows here
as a count that grows with the data, long before it shows as latency at a million claims.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from factcheck.models import Claim, Notification, Status, utcnow
from factcheck.services import Actor
from factcheck.services.claims import link_statement, set_published, update_claim
from factcheck.services.sources import create_report
from factcheck.services.status import change_status

from factcheck.db import counting

DESK = Actor.system("test")


def statements_for(client, connection: Connection, url: str) -> int:
    client.get(url)  # warm-up: anything done once per process is not the page's cost
    with counting(connection) as statements:
        response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return len(statements)


@pytest.fixture
def claim_with(make, session) -> Callable[[int], Claim]:
    """A published, contested claim with ``n`` statements, each by a different affiliated
    speaker, in a different report by a different outlet, every third one relayed; and a
    history of several changes."""

    def build(n: int) -> Claim:
        claim = make.claim(f"A claim with {n} statements", tags=["one", "two"])
        for i in range(n):
            side = make.source(f"Government {n}-{i}", kind="government")
            speaker = make.source(f"Ministry {n}-{i}", kind="government", affiliation_id=side.id)
            outlet = make.source(f"Outlet {n}-{i}", kind="media")
            relay = make.source(f"Relay {n}-{i}", kind="person") if i % 3 == 0 else None
            report = create_report(session, DESK, url=f"https://news.example.org/{n}/{i}", outlet_id=outlet.id,
                                   title=f"Report {i}")
            statement = make.statement(speaker, f"Statement {i}.", report_id=report.id,
                                       relayed_by_id=relay.id if relay else None)
            link_statement(session, claim, statement, DESK, stance=("asserts", "denies")[i % 2])
        for to in ("in_review", "contested", "in_review", "contested"):
            change_status(session, claim, to, f"Moved to {to}.", DESK, claim.version)
        set_published(session, claim, DESK, published=True, expected_version=claim.version)
        session.flush()
        return claim

    return build


def test_public_claim_page_is_constant_in_statements(client, connection, claim_with) -> None:
    one, thirty = claim_with(1), claim_with(30)
    assert statements_for(client, connection, f"/claims/{one.slug}") == statements_for(
        client, connection, f"/claims/{thirty.slug}"
    )


def test_desk_claim_page_is_constant_in_statements(client, connection, claim_with, login_as) -> None:
    one, thirty = claim_with(1), claim_with(30)
    login_as("editor")
    assert statements_for(client, connection, f"/desk/claims/{one.id}") == statements_for(
        client, connection, f"/desk/claims/{thirty.id}"
    )


@pytest.fixture
def queue_of(make, session) -> Callable[[int], None]:
    """``n`` more unresolved claims with assignees, tags, priorities and (half of them)
    deadlines, all different, so that anything loaded per claim would show. Half without a
    deadline: the deadline sort reads dated claims, then undated ones once past them, so
    both the small and the large queue reach its second query."""
    assignees = [make.user("checker") for _ in range(4)]  # (few: each one costs an Argon2 hash)

    def build(n: int) -> None:
        now = utcnow()
        session.flush()
        for i in range(n):
            claim = make.claim(f"Queued claim {n}-{i}", tags=[f"tag-{i}", "queue"])
            update_claim(session, claim, DESK, expected_version=claim.version,
                         assignee_id=assignees[i % len(assignees)].id, priority=i % 4,
                         deadline=now + timedelta(days=i) if i % 2 else None)
            if i % 2:
                change_status(session, claim, Status.IN_REVIEW, "Checking.", DESK, claim.version)
            session.execute(update(Claim).where(Claim.id == claim.id).values(flag_single_source=bool(i % 3)))
        session.flush()

    return build


@pytest.mark.parametrize("sort", ["priority", "age", "activity", "deadline"])
def test_editor_queue_is_constant_in_claims(client, connection, queue_of, login_as, sort) -> None:
    login_as("editor")
    queue_of(5)
    few = statements_for(client, connection, f"/editor/queue?sort={sort}")
    queue_of(55)
    assert statements_for(client, connection, f"/editor/queue?sort={sort}") == few


def test_desk_claim_list_is_constant_in_claims(client, connection, queue_of, login_as) -> None:
    login_as("checker")
    queue_of(5)
    few = statements_for(client, connection, "/desk/")
    queue_of(55)
    assert statements_for(client, connection, "/desk/") == few


@pytest.fixture
def noted_claim(make, session) -> Callable[[int, object], Claim]:
    """A claim with ``n`` notes by three authors, every other one mentioning ``reader``, some
    edited (their earlier words kept) and one deleted."""
    from factcheck.services.notes import add_note, delete_note, edit_note

    authors = [Actor.of(make.user("checker", name=f"Author {i}")) for i in range(3)]

    def build(n: int, reader) -> Claim:  # type: ignore[no-untyped-def]
        claim = make.claim(f"A claim with {n} notes")
        for i in range(n):
            author = authors[i % 3]
            mention = f" @[{reader.name}]" if i % 2 else ""
            note = add_note(session, claim, author, body=f"Note {i} https://news.example/{i}{mention}")
            if i % 4 == 3:
                edit_note(session, note, author, body=f"Note {i}, edited.{mention}")
            if i == 5:
                delete_note(session, note, author)
        session.flush()
        return claim

    return build


def test_desk_claim_page_is_constant_in_notes(client, connection, noted_claim, login_as) -> None:
    reader = login_as("editor", name="Nora Reader")
    one, thirty = noted_claim(1, reader), noted_claim(30, reader)
    assert statements_for(client, connection, f"/desk/claims/{one.id}") == statements_for(
        client, connection, f"/desk/claims/{thirty.id}"
    )


def test_my_work_is_constant_in_what_a_person_has(client, connection, make, session, login_as) -> None:
    """Few and many of everything "my work" lists: watched claims (with changes), unread and
    read notifications, mentions, assigned claims, deadlines within a day."""
    from factcheck.services.inbox import mark_read
    from factcheck.services.notes import add_note
    from factcheck.services.watching import watch

    me = login_as("checker", name="Mina Reader")
    colleague = Actor.of(make.user("editor", name="Omar Writer"))

    def add(n: int) -> None:
        now = utcnow()
        for i in range(n):
            claim = make.claim(f"My claim {n}-{i}")
            watch(session, [me.id], claim.id, "clicked")
            if i % 2:
                update_claim(session, claim, colleague, expected_version=claim.version, assignee_id=me.id,
                             deadline=now + timedelta(hours=i % 30))
            if i % 3 == 0:
                add_note(session, claim, colleague, body=f"@[Mina Reader] see {i}")
        session.flush()
        newest = session.scalar(select(func.max(Notification.id)))
        mark_read(session, Actor.of(me), up_to=newest - n // 4)  # some read, some not

    add(3)
    few = statements_for(client, connection, "/desk/my-work")
    add(70)
    assert statements_for(client, connection, "/desk/my-work") == few



def test_queue_with_search_saved_filters_and_a_selection_is_constant(client, connection, queue_of, login_as,
                                                                     session, app) -> None:
    """The queue as bulk work sees it: a text search with its count, the person's saved
    filters, and a page turned with every claim selected (a POST carrying the selection)."""
    from factcheck.services.saved_filters import save_filter

    app.config["WTF_CSRF_ENABLED"] = False
    editor = login_as("editor")
    for name in ("Mine", "Urgent", "Contested"):
        save_filter(session, Actor.of(editor), name=name, page="editor.queue", query="sort=age")

    def turned_with_all_selected() -> int:
        data = {"selected": " ".join(f"{i}:{v}" for i, v in session.execute(select(Claim.id, Claim.version)))}
        client.post("/editor/queue?sort=age", data=data)
        with counting(connection) as statements:
            response = client.post("/editor/queue?sort=age", data=data)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return len(statements)

    queue_of(5)
    few = (statements_for(client, connection, "/editor/queue?q=queued&sort=age"), turned_with_all_selected())
    queue_of(55)
    assert (statements_for(client, connection, "/editor/queue?q=queued&sort=age"), turned_with_all_selected()) == few


def test_ready_to_publish_is_constant_in_what_waits(client, connection, make, session, login_as, app,
                                                    monkeypatch) -> None:
    """The editor's "ready to publish" view: one verdict waiting, and thirteen, each set by a
    different editor."""
    from factcheck.services import signoff

    app.config["SIGNOFF_REQUIRED"] = True
    monkeypatch.setattr(signoff, "DEFAULT", True)
    login_as("editor")

    def wait(n: int) -> None:
        for i in range(n):
            claim = make.claim(f"A verdict waiting {n}-{i}")
            set_published(session, claim, DESK, published=True, expected_version=claim.version)
            change_status(session, claim, "in_review", "Checking.", DESK, claim.version)
            setter = Actor.of(make.user("editor", name=f"Setter {n}-{i}"))
            change_status(session, claim, "false", "It is not so.", setter, claim.version)
        session.flush()

    wait(1)
    few = statements_for(client, connection, "/editor/signoffs")
    wait(12)
    page = client.get("/editor/signoffs").get_data(as_text=True)
    assert page.count("A verdict waiting") == 13
    assert statements_for(client, connection, "/editor/signoffs") == few
