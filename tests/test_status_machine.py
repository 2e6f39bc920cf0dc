"""The status machine: every allowed and forbidden move, reasons, and who may reopen."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from factcheck.errors import Forbidden, InvalidTransition, ValidationError
from factcheck.models import RESOLVED, UNRESOLVED, Role, Status, StatusChange
from factcheck.services import Actor
from factcheck.services.status import change_status
from factcheck.services.status_machine import is_allowed, is_reopening, next_statuses

#: The design's table, written out by hand so that a change to the code must be deliberate.
EXPECTED_CHECKER_MOVES = {
    ("unverified", "in_review"),
    *(("in_review", to) for to in ("contested", "confirmed", "false", "misleading", "unproven")),
    *(("contested", to) for to in ("in_review", "confirmed", "false", "misleading", "unproven")),
}
EXPECTED_REOPENINGS = {(r, to) for r in ("confirmed", "false", "misleading", "unproven") for to in ("in_review", "contested")}


@pytest.mark.parametrize("frm,to", list(itertools.product(Status, Status)))
def test_transition_table(frm: Status, to: Status) -> None:
    assert is_allowed(frm, to) == ((frm.value, to.value) in EXPECTED_CHECKER_MOVES)
    assert is_reopening(frm, to) == ((frm.value, to.value) in EXPECTED_REOPENINGS)


def test_unresolved_and_resolved_partition_the_statuses() -> None:
    assert UNRESOLVED | RESOLVED == set(Status)
    assert not UNRESOLVED & RESOLVED
    assert {s.value for s in UNRESOLVED} == {"unverified", "in_review", "contested"}


def test_next_statuses_for_editor_include_reopening() -> None:
    assert next_statuses(Status.FALSE, editor=False) == []
    assert next_statuses(Status.FALSE, editor=True) == [Status.IN_REVIEW, Status.CONTESTED]


def _walk_to(session, claim, target: Status, actor: Actor) -> None:
    """Drive a claim to ``target`` through allowed moves (with an independent assertion)."""
    paths = {
        Status.UNVERIFIED: [],
        Status.IN_REVIEW: [Status.IN_REVIEW],
        Status.CONTESTED: [Status.IN_REVIEW, Status.CONTESTED],
    }
    for status in paths.get(target, [Status.IN_REVIEW, target]):
        change_status(session, claim, status, "step", actor, claim.version)


@pytest.mark.parametrize("frm,to", list(itertools.product(Status, Status)))
def test_services_enforce_table_for_checkers(session, make, frm: Status, to: Status) -> None:
    checker = make.actor(Role.CHECKER)
    editor = make.actor(Role.EDITOR)
    claim = make.claim()
    make.link(claim, make.source(), "asserts")
    make.link(claim, make.source(), "asserts")
    _walk_to(session, claim, frm, editor)
    assert claim.status == frm
    before = session.scalar(select(func.count()).select_from(StatusChange))
    if (frm.value, to.value) in EXPECTED_CHECKER_MOVES:
        change = change_status(session, claim, to, "because", checker, claim.version)
        assert (change.from_status, change.to_status) == (frm, to)
        assert claim.status == to
    else:
        expected = Forbidden if (frm.value, to.value) in EXPECTED_REOPENINGS else InvalidTransition
        with pytest.raises(expected):
            change_status(session, claim, to, "because", checker, claim.version)
        assert claim.status == frm
        assert session.scalar(select(func.count()).select_from(StatusChange)) == before


@pytest.mark.parametrize("resolved", sorted(RESOLVED))
def test_editor_reopens_resolved_claim_as_correction(session, make, resolved: Status) -> None:
    editor = make.actor(Role.EDITOR)
    claim = make.claim()
    make.link(claim, make.source(), "asserts")
    make.link(claim, make.source(), "asserts")
    _walk_to(session, claim, resolved, editor)
    change = change_status(session, claim, "in_review", "New evidence came in.", editor, claim.version)
    assert change.is_reopening
    assert claim.status == Status.IN_REVIEW


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reason_is_required(session, make, reason) -> None:
    claim = make.claim()
    with pytest.raises(ValidationError, match="reason is required"):
        change_status(session, claim, "in_review", reason, make.actor(), claim.version)
    assert claim.status == Status.UNVERIFIED
    assert claim.version == 1


@pytest.mark.parametrize("bad", ["done", "CONFIRMED", "", "in review"])
def test_unknown_status_is_refused(session, make, bad: str) -> None:
    claim = make.claim()
    with pytest.raises(ValidationError, match="Unknown status"):
        change_status(session, claim, bad, "because", make.actor(), claim.version)
    assert len(claim.history) == 1


def test_history_is_append_only_and_current_status_is_newest(session, make) -> None:
    editor = make.actor(Role.EDITOR)
    claim = make.claim()
    make.link(claim, make.source(), "asserts")
    make.link(claim, make.source(), "denies")
    for to in ["in_review", "contested", "false", "in_review", "unproven"]:
        change_status(session, claim, to, f"to {to}", editor, claim.version)
    session.expire_all()
    rows = session.scalars(
        select(StatusChange).where(StatusChange.claim_id == claim.id).order_by(StatusChange.id)
    ).all()
    assert [r.to_status.value for r in rows] == [
        "unverified", "in_review", "contested", "false", "in_review", "unproven"
    ]
    assert [r.from_status for r in rows[1:]] == [r.to_status for r in rows[:-1]]
    assert claim.status == rows[-1].to_status
    versions = [r.version for r in rows]
    assert versions == sorted(set(versions))
    assert rows[-1].version == claim.version
