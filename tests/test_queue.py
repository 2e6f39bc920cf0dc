"""Claim lists: filters, sorts and keyset pagination that never skips or repeats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from werkzeug.datastructures import MultiDict

from factcheck.errors import ValidationError
from factcheck.models import Claim, Role, utcnow
from factcheck.services import Actor
from factcheck.services.claims import update_claim
from factcheck.services.queue import SORTS, ClaimFilter, list_claims
from factcheck.services.status import change_status

EDITOR = Actor.system("test")


@pytest.fixture
def many(session, make):
    claims = []
    now = utcnow()
    for n in range(23):
        claim = make.claim(f"Claim {n:02d} about the raid", tags=["raid"] if n % 3 == 0 else [])
        values = {"priority": n % 4, "last_activity_at": now - timedelta(hours=n)}
        if n % 2 == 0:
            values["deadline"] = now + timedelta(days=n % 5, hours=n)
        session.execute(update(Claim).where(Claim.id == claim.id).values(**values))
        claims.append(claim)
    session.expire_all()
    return claims


def _all_pages(session, sort, filt=ClaimFilter(), limit=5):
    seen, cursor = [], None
    while True:
        page = list_claims(session, filt, sort=sort, cursor=cursor, limit=limit)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.mark.parametrize("sort", SORTS)
def test_pagination_visits_every_claim_once_in_order(session, many, sort) -> None:
    seen = _all_pages(session, sort)
    assert sorted(c.id for c in seen) == sorted(c.id for c in many)
    if sort == "priority":
        keys = [(-c.priority, -c.id) for c in seen]
    elif sort == "age":
        keys = [c.id for c in seen]
    elif sort == "activity":
        keys = [(c.last_activity_at, c.id) for c in seen]
    else:
        keys = [(c.deadline is None, c.deadline or utcnow(), c.id) for c in seen]
    assert keys == sorted(keys)


def test_queue_excludes_resolved_by_default(session, make) -> None:
    done = make.claim("Resolved one")
    change_status(session, done, "in_review", "x", EDITOR, done.version)
    change_status(session, done, "false", "x", EDITOR, done.version)
    open_ = make.claim("Open one")
    ids = [c.id for c in list_claims(session).items]
    assert open_.id in ids and done.id not in ids


def test_filters(session, make) -> None:
    editor = make.user(Role.EDITOR)
    a = make.claim("Assigned and contested")
    make.link(a, make.source(), "asserts")
    make.link(a, make.source(), "denies")
    update_claim(session, a, EDITOR, expected_version=a.version, assignee_id=editor.id)
    anon = make.claim("Anonymous only", tags=["Karachi"])
    make.link(anon, make.source("Official", kind="person", anonymous=True, anonymity_reason="not authorised"), "asserts")
    late = make.claim("Late")
    session.execute(update(Claim).where(Claim.id == late.id).values(deadline=utcnow() - timedelta(days=1),
                                                                    last_activity_at=utcnow() - timedelta(days=30)))

    def ids(**args):
        return {c.id for c in list_claims(session, ClaimFilter.from_args(MultiDict(args))).items}

    assert ids(contested="1") == {a.id}
    assert ids(assignee=str(editor.id)) == {a.id}
    assert a.id not in ids(assignee="none")
    assert ids(anonymous_only="true") == {anon.id}
    assert ids(single_source="1") == {anon.id}
    assert ids(tag="karachi") == {anon.id}
    assert ids(overdue="1") == {late.id}
    assert ids(stale="1") == {late.id}
    assert ids(status="in_review") == set()


@pytest.mark.parametrize("args", [{"status": "bogus"}, {"assignee": "bob"}, {"contested": "maybe"}])
def test_bad_filter_values(args) -> None:
    with pytest.raises(ValidationError):
        ClaimFilter.from_args(MultiDict(args))


@pytest.mark.parametrize("cursor", ["garbage", "e30", "!!!", "eyJzIjoiYWdlIiwiaSI6IngifQ"])
def test_bad_cursor(session, cursor) -> None:
    with pytest.raises(ValidationError, match="cursor"):
        list_claims(session, sort="age", cursor=cursor)


def test_cursor_from_another_sort_is_refused(session, many) -> None:
    cursor = list_claims(session, sort="age", limit=2).next_cursor
    with pytest.raises(ValidationError):
        list_claims(session, sort="priority", cursor=cursor)


def test_unknown_sort(session) -> None:
    with pytest.raises(ValidationError, match="Unknown sort"):
        list_claims(session, sort="random")


def test_a_reassigned_claim_names_its_new_assignee_at_once(session, make) -> None:
    """The version-checked update writes the assignee's column; the claim, loaded with its
    old assignee, names the new one in the same session (a page rendered after the change)."""
    first, second = make.user("checker"), make.user("checker")
    claim = make.claim("A claim to hand over")
    update_claim(session, claim, EDITOR, expected_version=claim.version, assignee_id=first.id)
    assert claim.assignee is first
    update_claim(session, claim, EDITOR, expected_version=claim.version, assignee_id=second.id)
    assert claim.assignee_id == second.id and claim.assignee is second
    update_claim(session, claim, EDITOR, expected_version=claim.version, assignee_id=None)
    assert claim.assignee is None
