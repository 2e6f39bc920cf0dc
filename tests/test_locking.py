"""Optimistic locking across two real sessions (DESIGN rule 5)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.errors import Conflict
from factcheck.models import Claim, StatusChange
from factcheck.services import Actor
from factcheck.services.claims import create_claim, require_version, update_claim
from factcheck.services.status import change_status


def test_stale_version_is_refused_and_nothing_is_written(committed_db) -> None:
    actor = Actor.system("test")
    with committed_db.transaction() as s:
        claim_id = create_claim(s, actor, text="The bridge collapsed on Monday").id

    # Two people open the claim at version 1 (the version travels in their forms).
    with committed_db.read_sessions() as alice_reads, committed_db.read_sessions() as bob_reads:
        alice_saw = alice_reads.get(Claim, claim_id).version
        bob_saw = bob_reads.get(Claim, claim_id).version
    assert alice_saw == bob_saw == 1

    with committed_db.transaction() as alice:
        change_status(alice, alice.get(Claim, claim_id), "in_review", "Alice starts", actor, alice_saw)

    with pytest.raises(Conflict) as info, committed_db.transaction() as bob:
        change_status(bob, bob.get(Claim, claim_id), "in_review", "Bob starts too", actor, bob_saw)

    assert info.value.current_version == 2
    assert info.value.current_status == "in_review"
    assert "version 2" in info.value.detail
    with committed_db.read_sessions() as s:
        claim = s.get(Claim, claim_id)
        assert claim.version == 2
        reasons = s.scalars(
            select(StatusChange.reason).where(StatusChange.claim_id == claim_id).order_by(StatusChange.id)
        ).all()
        assert reasons == ["Claim entered.", "Alice starts"]


def test_edit_against_old_version_conflicts(session, make) -> None:
    claim = make.claim("Original text")
    update_claim(session, claim, Actor.system("t"), expected_version=1, text="First edit")
    with pytest.raises(Conflict):
        update_claim(session, claim, Actor.system("t"), expected_version=1, text="Second edit")
    assert claim.text == "First edit"
    assert claim.version == 2
    count = session.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.claim_id == claim.id))
    assert count == 1


@pytest.mark.parametrize("raw,expected", [("3", 3), (' "7" ', 7), ('W/"2"', 2), (4, 4)])
def test_require_version_parses_form_and_etag_values(raw, expected) -> None:
    assert require_version(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "abc", "0", "-1", "1.5"])
def test_require_version_refuses_garbage(raw) -> None:
    from factcheck.errors import ValidationError

    with pytest.raises(ValidationError):
        require_version(raw)
