"""DESIGN rule 2: no confirmation on one side's word alone, unless an editor overrides."""

from __future__ import annotations

import pytest

from factcheck.errors import Forbidden, IndependenceRequired, InvalidTransition
from factcheck.models import Role, Status
from factcheck.services.status import change_status


@pytest.fixture
def sides(make):
    gov = make.source("Government", kind="government")
    agency = make.source("Intelligence agency", kind="government", affiliation_id=gov.id)
    ministry = make.source("Ministry", kind="government", affiliation_id=gov.id)
    desk = make.source("Desk of the ministry", kind="government", affiliation_id=ministry.id)
    rebels = make.source("Rebels", kind="armed_group")
    return {"gov": gov, "agency": agency, "ministry": ministry, "desk": desk, "rebels": rebels}


def _in_review(session, make, claim):
    change_status(session, claim, "in_review", "checking", make.actor(), claim.version)


def test_same_side_assertions_cannot_confirm(session, make, sides) -> None:
    claim = make.claim()
    make.link(claim, sides["agency"], "asserts")
    make.link(claim, sides["desk"], "asserts")  # same root: the government
    make.link(claim, sides["rebels"], "mentions")
    _in_review(session, make, claim)
    with pytest.raises(IndependenceRequired):
        change_status(session, claim, "confirmed", "Two officials say so", make.actor(), claim.version)
    assert claim.status == Status.IN_REVIEW


def test_independent_assertion_confirms(session, make, sides) -> None:
    claim = make.claim()
    make.link(claim, sides["agency"], "asserts")
    make.link(claim, sides["rebels"], "asserts")
    _in_review(session, make, claim)
    change = change_status(session, claim, "confirmed", "Both sides agree", make.actor(), claim.version)
    assert change.to_status == Status.CONFIRMED
    assert not change.independence_override


def test_denial_from_other_side_is_not_confirmation(session, make, sides) -> None:
    claim = make.claim()
    make.link(claim, sides["agency"], "asserts")
    make.link(claim, sides["rebels"], "denies")
    _in_review(session, make, claim)
    with pytest.raises(IndependenceRequired):
        change_status(session, claim, "confirmed", "x", make.actor(Role.CHECKER), claim.version)


def test_no_assertion_at_all_cannot_confirm(session, make) -> None:
    claim = make.claim()
    _in_review(session, make, claim)
    with pytest.raises(IndependenceRequired):
        change_status(session, claim, "confirmed", "x", make.actor(), claim.version)


def test_editor_override_is_recorded(session, make, sides) -> None:
    claim = make.claim()
    make.link(claim, sides["agency"], "asserts")
    _in_review(session, make, claim)
    change = change_status(
        session, claim, "confirmed", "Documents seen by our reporter", make.actor(Role.EDITOR),
        claim.version, override_reason="We hold the autopsy report; only the agency speaks on record.",
    )
    assert change.independence_override
    assert change.override_reason.startswith("We hold the autopsy report")
    assert claim.status == Status.CONFIRMED


def test_checker_cannot_override(session, make, sides) -> None:
    claim = make.claim()
    make.link(claim, sides["agency"], "asserts")
    _in_review(session, make, claim)
    with pytest.raises(Forbidden, match="editors can override"):
        change_status(session, claim, "confirmed", "x", make.actor(Role.CHECKER), claim.version,
                      override_reason="trust me")
    assert claim.status == Status.IN_REVIEW


def test_override_only_when_confirming(session, make, sides) -> None:
    claim = make.claim()
    _in_review(session, make, claim)
    with pytest.raises(InvalidTransition, match="only applies when confirming"):
        change_status(session, claim, "false", "x", make.actor(Role.EDITOR), claim.version,
                      override_reason="because")


def test_first_asserting_source_defines_the_side(session, make, sides) -> None:
    """The rebels assert first; the agency's later assertion is then the independent one."""
    claim = make.claim()
    make.link(claim, sides["rebels"], "asserts")
    make.link(claim, sides["agency"], "asserts")
    _in_review(session, make, claim)
    change_status(session, claim, "confirmed", "ok", make.actor(), claim.version)
    assert claim.status == Status.CONFIRMED
