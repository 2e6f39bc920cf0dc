"""Derived flags: contested, single-source, anonymous-only, stale, overdue."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from factcheck.models import Claim, Role, utcnow
from factcheck.services import Actor
from factcheck.services.claims import set_stance
from factcheck.services.flags import flags_for, overdue_condition, stale_condition
from factcheck.services.sources import set_affiliation
from factcheck.services.status import change_status


def flags(claim, **kw):
    return flags_for(claim, stale_after_days=7, **kw)


def test_new_claim_has_no_flags(make) -> None:
    assert flags(make.claim()).active() == []


def test_contested_needs_independent_assert_and_deny(session, make) -> None:
    gov = make.source("Gov", kind="government")
    agency = make.source("Agency", kind="government", affiliation_id=gov.id)
    rebels = make.source("Rebels", kind="armed_group")
    claim = make.claim()
    make.link(claim, agency, "asserts")
    make.link(claim, gov, "denies")  # same side disagreeing: not the contested flag
    assert not flags(claim).contested
    make.link(claim, rebels, "denies")
    assert flags(claim).contested


def test_contested_is_raised_before_any_status_change(session, make) -> None:
    claim = make.claim()
    make.link(claim, make.source(), "asserts")
    make.link(claim, make.source(), "denies")
    assert claim.status.value == "unverified"
    queued = session.scalars(select(Claim.id).where(Claim.flag_contested)).all()
    assert claim.id in queued


def test_unconfirmed_is_not_a_denial(make) -> None:
    claim = make.claim()
    make.link(claim, make.source(), "asserts")
    make.link(claim, make.source(), "unconfirmed")
    assert not flags(claim).contested


def test_single_source_counts_distinct_bearing_speakers(make) -> None:
    speaker = make.source()
    claim = make.claim()
    make.link(claim, speaker, "asserts", "first")
    make.link(claim, speaker, "asserts", "second")
    make.link(claim, make.source(), "mentions")
    assert flags(claim).single_source
    make.link(claim, make.source(), "unconfirmed")
    assert not flags(claim).single_source


def test_anonymous_only(make) -> None:
    anon1 = make.source("Official", kind="person", anonymous=True, anonymity_reason="not authorised")
    anon2 = make.source("Source", kind="person", anonymous=True, anonymity_reason="safety")
    claim = make.claim()
    make.link(claim, anon1, "asserts")
    make.link(claim, anon2, "unconfirmed")
    make.link(claim, make.source("Named but only mentioning"), "mentions")
    assert flags(claim).anonymous_only
    make.link(claim, make.source("Named"), "asserts")
    assert not flags(claim).anonymous_only


def test_stance_change_refreshes_flags(session, make) -> None:
    claim = make.claim()
    make.link(claim, make.source(), "asserts")
    link = make.link(claim, make.source(), "mentions")
    assert not claim.flag_contested
    version = claim.version
    set_stance(session, link, Actor.system("test"), stance="denies", expected_version=version)
    assert claim.flag_contested
    assert claim.version == version + 1


def test_affiliation_change_refreshes_contested(session, make) -> None:
    gov = make.source("Gov")
    agency = make.source("Agency")
    claim = make.claim()
    make.link(claim, agency, "asserts")
    make.link(claim, gov, "denies")
    assert claim.flag_contested
    set_affiliation(session, agency, Actor.system("test"), gov.id)
    session.refresh(claim)
    assert not claim.flag_contested


def test_stale_after_configured_days(session, make) -> None:
    claim = make.claim()
    now = utcnow()
    session.execute(update(Claim).where(Claim.id == claim.id).values(last_activity_at=now - timedelta(days=8)))
    session.refresh(claim)
    assert flags(claim).stale
    assert not flags_for(claim, stale_after_days=10).stale
    ids = session.scalars(select(Claim.id).where(stale_condition(stale_after_days=7))).all()
    assert claim.id in ids


def test_resolved_claims_are_never_stale_or_overdue(session, make) -> None:
    claim = make.claim()
    editor = make.actor(Role.EDITOR)
    change_status(session, claim, "in_review", "x", editor, claim.version)
    change_status(session, claim, "false", "x", editor, claim.version)
    past = utcnow() - timedelta(days=30)
    session.execute(update(Claim).where(Claim.id == claim.id).values(last_activity_at=past, deadline=past))
    session.refresh(claim)
    assert flags(claim).active() == []
    ids = session.scalars(select(Claim.id).where(overdue_condition())).all()
    assert claim.id not in ids


def test_overdue_past_deadline(session, make) -> None:
    claim = make.claim()
    session.execute(update(Claim).where(Claim.id == claim.id).values(deadline=utcnow() - timedelta(hours=1)))
    session.refresh(claim)
    assert flags(claim).overdue
    ids = session.scalars(select(Claim.id).where(overdue_condition())).all()
    assert claim.id in ids
