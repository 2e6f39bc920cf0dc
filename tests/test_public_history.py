"""The public history is what readers could have seen, and nothing else.

A reader sees a claim only while it is published: its status and its wording at that moment.
So the public history must be the sequence of states a reader could have seen — "published
as …", every change while published, "taken off the site" — and a correction must be a
change to something readers had seen: a verdict they saw, left or replaced by another, or a
wording they read, changed. Hypothesis replays random sequences of moves, rewordings,
publications and unpublications against the services; a model that knows only what a reader
saw predicts the history, and the corrections log and claim page must agree with it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from factcheck.models import RESOLVED, PublicEntry, Status
from factcheck.public.presenters import classify
from factcheck.public.queries import corrections_log
from factcheck.services import Actor
from factcheck.services.claims import create_claim, set_published, update_claim
from factcheck.services.status import change_status
from factcheck.services.status_machine import next_statuses

EDITOR = Actor.system("test")

#: One step of a newsroom's day: ("move", choice), ("reword", n), ("publish",), ("unpublish",).
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("move"), st.integers(min_value=0, max_value=5)),
        st.tuples(st.just("reword"), st.integers(min_value=0, max_value=3)),
        st.tuples(st.just("publish")),
        st.tuples(st.just("unpublish")),
    ),
    max_size=25,
)


class Reader:
    """What a reader saw, and which of it was a correction — knowing nothing of the desk."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, Status, str | None, bool]] = []  # (kind, status, wording shown, correction)
        self.status: Status | None = None
        self.verdict: Status | None = None  # the newest verdict a reader saw
        self.text: str | None = None  # the wording a reader last read
        self.visible = False

    def _corrects(self, status: Status) -> bool:
        left = self.status is not None and self.status in RESOLVED and status != self.status
        replaced = status in RESOLVED and self.verdict is not None and self.verdict != status
        return left or replaced

    def show(self, kind: str, status: Status, text: str, *, wording_shown: bool) -> None:
        if kind == "published":
            correction = self.status is not None and (self._corrects(status) or text != self.text)
        elif kind == "wording":
            correction = True
        elif kind == "status":
            correction = self._corrects(status)
        else:
            correction = False
        self.seen.append((kind, status, text if wording_shown else None, correction))
        self.status = status
        if status in RESOLVED:
            self.verdict = status
        self.text = text


def replay(session, steps) -> tuple[object, Reader]:
    claim = create_claim(session, EDITOR, text="Wording 0")
    reader = Reader()
    for step in steps:
        if step[0] == "publish" and not claim.published:
            set_published(session, claim, EDITOR, published=True, expected_version=claim.version)
            reader.show("published", claim.status, claim.text, wording_shown=True)
        elif step[0] == "unpublish" and claim.published:
            set_published(session, claim, EDITOR, published=False, expected_version=claim.version)
            reader.show("unpublished", claim.status, claim.text, wording_shown=False)
        elif step[0] == "move":
            allowed = next_statuses(claim.status, editor=True)
            to = allowed[step[1] % len(allowed)]
            change_status(session, claim, to, f"to {to.value}", EDITOR, claim.version,
                          override_reason="Editor's call." if to == Status.CONFIRMED else None)
            if claim.published:
                reader.show("status", to, claim.text, wording_shown=False)
        elif step[0] == "reword":
            text = f"Wording {step[1]}"
            if text == claim.text:
                continue
            update_claim(session, claim, EDITOR, expected_version=claim.version, text=text,
                         reason="Sharper wording." if claim.published else None)
            if claim.published:
                reader.show("wording", claim.status, text, wording_shown=True)
    return claim, reader


@given(steps=STEPS)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_public_history_is_what_readers_saw(session, steps) -> None:
    savepoint = session.begin_nested()
    try:
        claim, reader = replay(session, steps)
        entries = session.scalars(select(PublicEntry).where(PublicEntry.claim_id == claim.id)
                                  .order_by(PublicEntry.id)).all()
        assert [(e.kind.value, e.status, e.text, e.correction) for e in entries] == reader.seen
        # The claim page and the corrections log tell the same story.
        session.expire(claim, ["public_entries"])
        page = classify(claim.public_entries)
        assert [c.correction for c in page] == [seen[3] for seen in reader.seen]
        logged = {row.change.id for row in corrections_log(session, before=None, per_page=1000).items
                  if row.claim.id == claim.id}
        expected = {e.id for e in entries if e.correction} if claim.published else set()
        assert logged == expected
    finally:
        savepoint.rollback()
        session.expunge_all()


def test_a_verdict_set_and_reopened_before_publication_is_no_correction(client, session) -> None:
    """Reproduced: a verdict readers never saw showed on the page and in /corrections."""
    claim = create_claim(session, EDITOR, text="The dam burst on Tuesday")
    for to in ("in_review", "false", "in_review"):
        change_status(session, claim, to, f"Desk: {to}", EDITOR, claim.version)
    set_published(session, claim, EDITOR, published=True, expected_version=claim.version)
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    assert "Published as in review" in page
    assert "Correction:" not in page and "Desk: false" not in page
    assert claim.slug not in client.get("/corrections").get_data(as_text=True)
    # From now on readers see every change, and leaving a verdict they saw is a correction.
    change_status(session, claim, "false", "Public: false", EDITOR, claim.version)
    change_status(session, claim, "in_review", "Public: reopened", EDITOR, claim.version)
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    assert "Correction: reopened, false → in review" in page
    assert claim.slug in client.get("/corrections").get_data(as_text=True)


@pytest.mark.parametrize("republish_as", ["false", "confirmed"])
def test_published_again_with_another_verdict_corrects_the_one_readers_saw(client, session, republish_as) -> None:
    claim = create_claim(session, EDITOR, text="The ferry sank")
    set_published(session, claim, EDITOR, published=True, expected_version=claim.version)
    for to in ("in_review", "false"):
        change_status(session, claim, to, f"Public: {to}", EDITOR, claim.version)
    set_published(session, claim, EDITOR, published=False, expected_version=claim.version)
    change_status(session, claim, "in_review", "Desk: reopened quietly", EDITOR, claim.version)
    change_status(session, claim, republish_as, "Desk: settled", EDITOR, claim.version,
                  override_reason="Editor's call." if republish_as == "confirmed" else None)
    set_published(session, claim, EDITOR, published=True, expected_version=claim.version)
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    assert "Desk: reopened quietly" not in page
    if republish_as == "false":
        assert "Published again as false" in page and "Correction: published again" not in page
    else:
        assert "Correction: published again as confirmed, no longer false" in page
        assert claim.slug in client.get("/corrections").get_data(as_text=True)
