"""Bulk work in the queue: one change to many claims, each as if made alone.

Each claim's change goes through ``update_claim`` with the version the editor saw: one version
and one audit event per claim changed; a claim someone else changed meanwhile is reported and
left alone; an empty or oversized selection, or a refusal on any claim, changes nothing.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.errors import ValidationError
from factcheck.models import AuditEvent, Claim, Role
from factcheck.services import Actor, bulk
from factcheck.services.claims import MAX_TAGS, update_claim

SYSTEM = Actor.system("test")


def _events(session, claim_id):
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == "claim", AuditEvent.subject_id == claim_id, AuditEvent.action == "claim.edit")))


@pytest.fixture
def three(make):
    return [make.claim(f"Bulk claim {n}", tags=["kabul"] if n == 0 else []) for n in range(3)]


def test_each_claim_is_changed_as_if_alone(session, make, three) -> None:
    editor = make.actor(Role.EDITOR)
    assignee = make.user(Role.CHECKER)
    a, b, c = three
    seen = {claim.id: claim.version for claim in three}
    update_claim(session, b, SYSTEM, expected_version=b.version, priority=3)  # someone else, meanwhile
    result = bulk.apply(session, editor, seen, assignee_id=assignee.id)
    assert result.changed == [a.id, c.id]
    assert [(u.claim_id, u.reason, u.selected_version, u.current_version) for u in result.skipped] == [
        (b.id, "changed", seen[b.id], seen[b.id] + 1)]
    session.expire_all()
    for claim in (a, c):
        assert claim.assignee_id == assignee.id and claim.version == seen[claim.id] + 1
        [event] = _events(session, claim.id)
        assert event.actor_id == editor.user_id
        assert event.changes == {"assignee_id": [None, assignee.id],
                                 "version": [seen[claim.id], seen[claim.id] + 1]}
    assert b.assignee_id is None and b.priority == 3  # the other change kept, not overwritten
    assert [e.changes for e in _events(session, b.id)] == [{"priority": [1, 3], "version": [1, 2]}]


def test_a_tag_is_added_not_replaced(session, make, three) -> None:
    a, b, _c = three
    update_claim(session, b, SYSTEM, expected_version=b.version, tags=["helmand"])
    result = bulk.apply(session, make.actor(Role.EDITOR), {a.id: a.version, b.id: b.version}, add_tag=" Kabul ")
    session.expire_all()
    assert [t.name for t in a.tags] == ["kabul"] and result.already == [a.id]  # already had it: nothing written
    assert [t.name for t in b.tags] == ["helmand", "kabul"] and result.changed == [b.id]
    assert _events(session, a.id) == []


def test_priority_and_deadline(session, make, three) -> None:
    from datetime import UTC, datetime

    editor = make.actor(Role.EDITOR)
    seen = {c.id: c.version for c in three}
    bulk.apply(session, editor, seen, priority="2")
    when = datetime(2030, 1, 2, 9, 30, tzinfo=UTC)
    bulk.apply(session, editor, {c.id: c.version for c in three}, deadline=when)
    session.expire_all()
    assert {(c.priority, c.deadline) for c in three} == {(2, when)}
    assert all(len(_events(session, c.id)) == 2 for c in three)


@pytest.mark.parametrize("size, words", [(0, "Select at least one claim"),
                                         (bulk.MAX_CLAIMS + 1, "At most 10,000 claims in one action; 10,001 are selected")])
def test_nothing_or_too_much_is_refused_with_nothing_done(session, make, three, size, words) -> None:
    selection = {n: 1 for n in range(1, size + 1)}
    editor = make.actor(Role.EDITOR)
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(ValidationError, match=words):
        bulk.apply(session, editor, selection, priority="3")
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
    assert session.scalar(select(func.count()).select_from(Claim).where(Claim.priority == 3)) == 0


def test_the_selection_is_read_strictly(session) -> None:
    assert bulk.parse_selection(["3:2", " 5:1 ", "3:4"]) == {5: 1, 3: 4}
    for bad in (["3"], ["a:1"], ["3:0"], ["-3:1"], ["3:2:1"], [f"{2**31}:1"], ["3:1e3"], ["３:1"]):
        with pytest.raises(ValidationError, match="selection could not be read"):
            bulk.parse_selection(bad)
    many = [f"{n}:1" for n in range(1, 20_000)]
    assert len(bulk.parse_selection(many)) == bulk.MAX_CLAIMS + 1 and bulk.count_selected(many) == 19_999


def test_unknown_claims_are_reported(session, make, three) -> None:
    result = bulk.apply(session, make.actor(Role.EDITOR), {three[0].id: three[0].version, 2**31 - 1: 4},
                        priority="0")
    assert [(u.claim_id, u.reason) for u in result.skipped] == [(2**31 - 1, "gone")]


# -- the queue page --------------------------------------------------------------------------


@pytest.fixture
def editor_client(app, client, login_as):
    app.config["WTF_CSRF_ENABLED"] = False
    return login_as("editor")


def _picks(html: str) -> list[str]:
    return re.findall(r'name="pick" value="(\d+:\d+)"', html)


def test_bulk_assign_across_two_pages_with_one_claim_changed_meanwhile(client, session, make, editor_client) -> None:
    """Without JavaScript: tick on page 1, turn the page (the form carries the ticks), tick on
    page 2, someone changes one of the page-1 claims, apply: it is listed, the others assigned."""
    claims = [make.claim(f"Queue claim {n:02d}") for n in range(55)]
    assignee = make.user(Role.CHECKER, name="Zainab Checker")
    first = client.get("/editor/queue?sort=age").get_data(as_text=True)
    picks1 = _picks(first)[:3]
    assert len(_picks(first)) == 50
    next_url = re.search(r'formaction="([^"]+)"[^>]*class="next"', first).group(1).replace("&amp;", "&")
    second = client.post(next_url, data={"pick": picks1, "selected": ""})
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and "3 selected, 3 of them on other pages" in html
    carried = re.search(r'name="selected" value="([^"]*)"', html).group(1).split()
    assert carried == picks1
    picks2 = _picks(html)[:2]
    changed = session.get(Claim, int(picks1[1].split(":")[0]))
    update_claim(session, changed, Actor.of(make.user(Role.EDITOR)), expected_version=changed.version, priority=0)
    done = client.post("/editor/queue/bulk?sort=age", data={
        "pick": picks2, "selected": " ".join(carried), "action": "assign", "assignee": str(assignee.id)})
    page = done.get_data(as_text=True)
    assert done.status_code == 200, page[:2000]
    assert "Assigned 4 claims to Zainab Checker." in page
    assert "Changed by someone else meanwhile — not changed (1)" in page and changed.text in page
    session.expire_all()
    assigned = sorted(c.id for c in claims if c.assignee_id == assignee.id)
    assert assigned == sorted(int(p.split(":")[0]) for p in picks1 + picks2 if p != picks1[1])
    assert changed.assignee_id is None and changed.priority == 0


def test_a_page_turned_back_keeps_the_ticks_and_their_versions(client, session, make, editor_client) -> None:
    claims = [make.claim(f"Kept claim {n:02d}") for n in range(52)]
    one = claims[0]
    html = client.post(f"/editor/queue?sort=age&cursor=", data={"pick": [f"{one.id}:{one.version}"]}).get_data(as_text=True)
    assert f'value="{one.id}:{one.version}" checked' in html
    update_claim(session, one, SYSTEM, expected_version=one.version, priority=3)
    html = client.post("/editor/queue?sort=age", data={"selected": f"{one.id}:{one.version - 1}"}).get_data(as_text=True)
    # Still ticked, with the version selected, and said to have changed since.
    assert f'value="{one.id}:{one.version - 1}" checked' in html and "Changed since you selected it" in html


@pytest.mark.parametrize("count, words", [(0, "Select at least one claim"),
                                          (10_001, "At most 10,000 claims in one action; 10,001 are selected")])
def test_page_refuses_empty_and_oversized_selections_keeping_what_was_typed(
        client, session, make, editor_client, count, words) -> None:
    claim = make.claim("Only claim")
    selected = " ".join(f"{n}:1" for n in range(1, count + 1))
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post("/editor/queue/bulk", data={"selected": selected, "action": "tag", "tag": "kept words"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and words in html
    assert 'value="kept words"' in html and 'value="tag" checked' in html
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == before and claim.tags == []


def test_a_claim_refusing_the_change_is_reported_and_left_whole(client, session, make, editor_client) -> None:
    """The second claim already has the most tags a claim may have: it refuses one more, and
    is listed with its reason, untouched; the claims around it are tagged."""
    first, full, last = make.claim("First of three"), make.claim("Full of tags", tags=[f"t{n}" for n in range(MAX_TAGS)]), make.claim("Last of three")
    response = client.post("/editor/queue/bulk", data={
        "pick": [f"{c.id}:{c.version}" for c in (first, full, last)], "action": "tag", "tag": "new"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Tagged 2 claims “new”." in html
    assert "Refused by the claim itself — not changed (1)" in html and "Tags: at most 50" in html
    session.expire_all()
    assert [t.name for t in first.tags] == [t.name for t in last.tags] == ["new"]
    assert full.version == 1 and len(full.tags) == MAX_TAGS and _events(session, full.id) == []


def test_a_refusal_of_the_change_itself_changes_no_claim(session, make, three) -> None:
    """An assignee who is no longer active: every claim would refuse, the first one does, and
    the claims before it in the selection (changed by someone else meanwhile) stay as they are."""
    gone = make.user(Role.CHECKER)
    a, b, c = three
    seen = {claim.id: claim.version for claim in three}
    update_claim(session, a, SYSTEM, expected_version=a.version, priority=0)
    gone.active = False
    session.flush()
    with pytest.raises(ValidationError, match="No active user to assign to. Nothing was changed."):
        bulk.apply(session, make.actor(Role.EDITOR), seen, assignee_id=gone.id)
    session.expire_all()
    assert [(x.assignee_id, x.version) for x in three] == [(None, 2), (None, 1), (None, 1)]


def test_a_large_action_stops_in_time_and_goes_on_where_it_stopped(session, make) -> None:
    """A clock that moves a second at each look: the action stops at its budget with the rest
    still selected (as seen), and the same action on the rest finishes the work, each claim
    changed once. With a commit (SQLite's batches), it is called between batches."""
    import itertools

    claims = [make.claim(f"Many claim {n}") for n in range(60)]
    editor = make.actor(Role.EDITOR)
    selection = {c.id: c.version for c in claims}
    ticks = itertools.count()
    commits = []
    first = bulk.apply(session, editor, selection, priority="3", time_budget=25, clock=lambda: float(next(ticks)),
                       commit=lambda: commits.append(1), batch_seconds=1.0)
    assert first.changed and first.remaining and not first.skipped
    assert first.changed + list(first.remaining) == [c.id for c in claims]
    assert first.remaining == {i: 1 for i in first.remaining}
    assert commits  # between batches of about a (fake) second's work
    rest = bulk.apply(session, editor, first.remaining, priority="3")
    assert rest.changed == list(first.remaining) and not rest.remaining
    session.expire_all()
    assert all(c.priority == 3 and c.version == 2 and len(_events(session, c.id)) == 1 for c in claims)


@pytest.mark.parametrize("data, words", [
    ({"action": "assign", "assignee": ""}, "Assign to: choose a person, or nobody."),
    ({"action": "assign", "assignee": "99999999"}, "No active user to assign to."),
    ({"action": "priority", "priority": "9"}, "Priority must be 0"),
    ({"action": "deadline", "deadline": ""}, "Deadline: give a date and time"),
    ({"action": "deadline", "deadline": "tomorrow"}, "Deadline: use a date and time like"),
    ({"action": "tag", "tag": "  "}, "Tag: this is required."),
    ({}, "Choose what to do with the selected claims."),
    ({"action": "assign", "assignee": "none", "pick": "not-a-pick"}, "The selection could not be read"),
])
def test_bad_input_is_refused_in_words(client, session, make, editor_client, data, words) -> None:
    claim = make.claim("A claim to change")
    response = client.post("/editor/queue/bulk", data={"pick": f"{claim.id}:{claim.version}", **data})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and words in html, html[:3000]
    session.expire_all()
    assert claim.version == 1


def test_checkers_cannot_work_in_bulk(client, app, make, login_as, session) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    claim = make.claim("Not for checkers")
    login_as("checker")
    response = client.post("/editor/queue/bulk", data={"pick": f"{claim.id}:1", "action": "priority", "priority": "3"})
    assert response.status_code == 403
    session.expire_all()
    assert claim.priority == 1


def test_the_page_goes_on_with_what_the_time_budget_left(app, client, session, make, editor_client) -> None:
    """With no time at all, one claim is changed per press: the others stay selected, with
    the change chosen, and pressing again goes on until every claim is changed."""
    app.config["BULK_TIME_BUDGET"] = 0
    claims = [make.claim(f"Slow claim {n}") for n in range(3)]
    data = {"pick": [f"{c.id}:{c.version}" for c in claims], "action": "priority", "priority": "2"}
    for left in (2, 1):
        html = client.post("/editor/queue/bulk?sort=age", data=data).get_data(as_text=True)
        assert "Set the priority of 1 claim to high." in html and f"{left} selected claim" in html
        assert 'value="priority" checked' in html
        carried = re.search(r'name="selected" value="([^"]*)"', html).group(1).split()
        ticked = [p for p in _picks(html) if f'value="{p}" checked' in html]
        data = {"selected": " ".join(carried), "pick": ticked, "action": "priority", "priority": "2"}
    html = client.post("/editor/queue/bulk?sort=age", data=data).get_data(as_text=True)
    assert "Set the priority of 1 claim to high." in html and "not reached yet" not in html
    session.expire_all()
    assert [(c.priority, c.version) for c in claims] == [(2, 2)] * 3
