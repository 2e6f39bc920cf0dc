"""Bad input: a clear domain error, and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.errors import Duplicate, ValidationError
from factcheck.models import Base, Claim, ClaimStatement, Report, Source
from factcheck.services import Actor
from factcheck.services.claims import create_claim, link_statement
from factcheck.services.sources import create_report, create_source, set_affiliation

SYSTEM = Actor.system("test")


def counts(session) -> dict[str, int]:
    return {
        t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
    }


def test_self_affiliation_refused(session, make) -> None:
    source = make.source("NDS")
    before = counts(session)
    with pytest.raises(ValidationError, match="affiliated with itself"):
        set_affiliation(session, source, SYSTEM, source.id)
    assert source.affiliation_id is None
    assert counts(session) == before


def test_circular_affiliation_refused(session, make) -> None:
    a = make.source("A")
    b = make.source("B", affiliation_id=a.id)
    c = make.source("C", affiliation_id=b.id)
    with pytest.raises(ValidationError, match="circular"):
        set_affiliation(session, a, SYSTEM, c.id)
    session.refresh(a)
    assert a.affiliation_id is None


def test_statement_linked_twice_refused(session, make) -> None:
    claim = make.claim()
    statement = make.statement(make.source())
    link_statement(session, claim, statement, SYSTEM, stance="asserts")
    version = claim.version
    with pytest.raises(Duplicate, match="already linked"):
        link_statement(session, claim, statement, SYSTEM, stance="denies")
    links = session.scalar(select(func.count()).select_from(ClaimStatement).where(ClaimStatement.claim_id == claim.id))
    assert links == 1
    assert claim.version == version


def test_duplicate_report_url_refused(session) -> None:
    create_report(session, SYSTEM, url="https://news.example/story")
    with pytest.raises(Duplicate, match="already exists"):
        create_report(session, SYSTEM, url="https://news.example/story")
    assert session.scalar(select(func.count()).select_from(Report)) == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "/relative", "news.example", "http://", "https://a b.example/"])
def test_report_url_must_be_http(session, url) -> None:
    with pytest.raises(ValidationError, match="http"):
        create_report(session, SYSTEM, url=url)
    assert session.scalar(select(func.count()).select_from(Report)) == 0


def test_unknown_stance_refused(session, make) -> None:
    claim = make.claim()
    with pytest.raises(ValidationError, match="Unknown stance"):
        link_statement(session, claim, make.statement(make.source()), SYSTEM, stance="agrees")
    assert session.scalar(select(func.count()).select_from(ClaimStatement)) == 0


def test_anonymous_source_needs_reason(session) -> None:
    with pytest.raises(ValidationError, match="reason for its anonymity"):
        create_source(session, SYSTEM, name="An official", kind="person", anonymous=True)
    assert session.scalar(select(func.count()).select_from(Source)) == 0


def test_sealed_identity_only_for_anonymous(session) -> None:
    with pytest.raises(ValidationError, match="sealed identity"):
        create_source(session, SYSTEM, name="Named", kind="person", sealed_identity="Real Name")


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001, "nul\x00byte"])
def test_claim_text_checked(session, text) -> None:
    with pytest.raises(ValidationError):
        create_claim(session, SYSTEM, text=text)
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_unknown_source_kind(session) -> None:
    with pytest.raises(ValidationError, match="Unknown kind"):
        create_source(session, SYSTEM, name="X", kind="alien")


def test_claim_slugs_are_unique_and_readable(session) -> None:
    a = create_claim(session, SYSTEM, text="Umar was killed in Musa Qala!")
    b = create_claim(session, SYSTEM, text="Umar was killed in Musa Qala?")
    c = create_claim(session, SYSTEM, text="مقتل عاصم عمر")
    assert a.slug == "umar-was-killed-in-musa-qala"
    assert b.slug == "umar-was-killed-in-musa-qala-2"
    assert c.slug == "claim"


def test_slug_suffixes_run_out_gracefully(session) -> None:
    slugs = {create_claim(session, SYSTEM, text="Same words").slug for _ in range(12)}
    assert len(slugs) == 12
    assert {"same-words", "same-words-2", "same-words-9"} <= slugs
    assert all(s.startswith("same-words") for s in slugs)
