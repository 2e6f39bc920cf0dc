"""The queue's pages both ways, its text search and its count of matching claims."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from factcheck.errors import ValidationError
from factcheck.models import Claim, utcnow
from factcheck.services import queue
from factcheck.services.queue import SORTS, ClaimFilter, count_claims, decode_cursor, encode_cursor, list_claims


@pytest.fixture
def many(session, make):
    """23 claims with every sort key repeated (priorities, equal activity times, some without
    a deadline), so that ties are broken by id on every page boundary."""
    claims = []
    now = utcnow()
    for n in range(23):
        claim = make.claim(f"Claim {n:02d} about the {'raid' if n % 2 else 'flood'} in Helmand")
        values = {"priority": n % 4, "last_activity_at": now - timedelta(hours=n % 5)}
        if n % 3:
            values["deadline"] = now + timedelta(days=n % 4)
        session.execute(update(Claim).where(Claim.id == claim.id).values(**values))
        claims.append(claim)
    session.expire_all()
    return claims


def _forward(session, sort, filt=ClaimFilter(), limit=5):
    pages, cursor = [], None
    while True:
        page = list_claims(session, filt, sort=sort, cursor=cursor, limit=limit)
        pages.append(page)
        cursor = page.next_cursor
        if cursor is None:
            return pages


@pytest.mark.parametrize("sort", SORTS)
def test_previous_page_is_the_page_before(session, many, sort) -> None:
    pages = _forward(session, sort)
    assert len(pages) == 5 and pages[0].prev_cursor is None
    ids = [[c.id for c in p.items] for p in pages]
    # From the last page back to the first, each "previous" is exactly the page shown before.
    page = pages[-1]
    for expected in reversed(ids[:-1]):
        assert page.prev_cursor is not None
        page = list_claims(session, ClaimFilter(), sort=sort, cursor=page.prev_cursor, limit=5)
        assert [c.id for c in page.items] == expected
    assert page.prev_cursor is None  # the first page again
    # And forward again from a page reached backwards.
    assert [c.id for c in list_claims(session, ClaimFilter(), sort=sort, cursor=page.next_cursor, limit=5).items] == ids[1]


@pytest.mark.parametrize("sort", SORTS)
def test_back_past_the_start_gives_a_whole_first_page(session, many, sort) -> None:
    """A claim moved to the top meanwhile: going back from page 2 there are fewer than a page
    of claims before it, and the first page is shown whole, not cut short."""
    pages = _forward(session, sort, limit=5)
    first_of_second = pages[1].items[0]
    backward = decode_cursor(pages[1].prev_cursor, sort)
    assert backward["i"] == first_of_second.id and backward["d"] == "b"
    # Two claims of the first page are resolved meanwhile (they leave the queue).
    for claim in pages[0].items[:2]:
        session.execute(update(Claim).where(Claim.id == claim.id).values(status="false"))
    page = list_claims(session, ClaimFilter(), sort=sort, cursor=pages[1].prev_cursor, limit=5)
    assert len(page.items) == 5 and page.prev_cursor is None
    assert [c.id for c in page.items] == [c.id for c in _forward(session, sort)[0].items]


def test_a_cursor_with_another_direction_is_refused(session, many) -> None:
    for bad in ({"s": "age", "k": None, "i": 3, "d": "x"}, {"s": "age", "k": None, "i": 3, "d": 1}):
        with pytest.raises(ValidationError):
            list_claims(session, ClaimFilter(), sort="age", cursor=encode_cursor(bad))


def test_text_search_inside_the_queue_with_filters_and_pages(session, many) -> None:
    raids = sorted(c.id for c in many if "raid" in c.text)
    found, cursor = [], None
    filt = ClaimFilter(q="raids")  # stemmed: "raids" finds "raid"
    while True:
        page = list_claims(session, filt, sort="age", cursor=cursor, limit=4)
        found += [c.id for c in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert found == raids
    urgent = ClaimFilter.from_args({"q": "  RAID   Helmand ", "tag": ""})
    assert urgent.q == "RAID Helmand"
    assert {c.id for c in list_claims(session, urgent, limit=50).items} == set(raids)
    assert list_claims(session, ClaimFilter(q="raid flood"), limit=50).items == []
    # Search syntax typed in is only words: no error, no injection.
    assert list_claims(session, ClaimFilter(q='raid" OR "flood * NEAR('), limit=50).items == []
    assert len(list_claims(session, ClaimFilter(q="!!! ..."), limit=50).items) == 23  # no words: no search


def test_assigned_to_me(session, make, many) -> None:
    from factcheck.services import Actor
    from factcheck.services.claims import update_claim

    me = make.user("editor")
    mine = many[4]
    update_claim(session, mine, Actor.system("test"), expected_version=mine.version, assignee_id=me.id)
    filt = ClaimFilter.from_args({"mine": "1", "assignee": "none"}, me=me.id)
    assert [c.id for c in list_claims(session, filt).items] == [mine.id]
    assert ClaimFilter.from_args({"mine": "1"}) == ClaimFilter()  # nobody asking (the API): no such filter


def test_count_is_exact_up_to_the_limit(session, many, monkeypatch) -> None:
    assert count_claims(session) == queue.Count(23, exact=True)
    assert count_claims(session, ClaimFilter(q="raid")) == queue.Count(11, exact=True)
    assert count_claims(session, ClaimFilter(q="nothing-like-it")) == queue.Count(0, exact=True)


def test_count_past_the_limit(session, many, monkeypatch, dialect) -> None:
    """Past the limit (10,000; 10 here) PostgreSQL says "about" with the planner's estimate,
    never fewer than the limit it counted past; SQLite counts exactly."""
    monkeypatch.setattr(queue, "EXACT_COUNT_UP_TO", 10)
    count = count_claims(session)
    if dialect == "postgresql":
        assert count.exact is False and count.number >= 11
    else:
        assert count == queue.Count(23, exact=True)
    raids = count_claims(session, ClaimFilter(q="raid"))
    assert raids == queue.Count(11, exact=True) if dialect == "sqlite" else (not raids.exact and raids.number >= 11)
    monkeypatch.setattr(queue, "EXACT_COUNT_UP_TO", 11)
    assert count_claims(session, ClaimFilter(q="raid")) == queue.Count(11, exact=True)
