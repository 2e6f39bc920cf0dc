"""The demo data set: the seed article, entered faithfully, loaded idempotently."""

from __future__ import annotations

from sqlalchemy import func, select

from factcheck.demo import CLAIMS, SOURCES, STATEMENTS, article_text, load_demo
from factcheck.models import Base, Claim, Report, Source, Stance, Status
from factcheck.services.independence import side_of


def _stances(claim: Claim) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for link in claim.links:
        out.setdefault(link.stance.value, set()).add(link.statement.speaker.name)
    return out


def _counts(session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_demo_loads_the_article(session) -> None:
    result = load_demo(session)
    assert result.created == {"sources": len(SOURCES), "reports": 1, "statements": len(STATEMENTS), "claims": len(CLAIMS)}
    names = set(session.scalars(select(Source.name)))
    for needle in ["National Directorate of Security (NDS)", "Afghan Taliban", "Counter-terrorism official in Karachi",
                   "Source in Islamabad with links to militant circles", "Asfandyar Mir", "Hamid Mir",
                   "US Department of the Treasury", "Ayman al-Zawahiri", "Al-Qaeda in the Indian Subcontinent (AQIS)",
                   "SAMAA Digital"]:
        assert needle in names
    report = session.scalar(select(Report))
    assert report.outlet.name == "SAMAA Digital"
    assert report.text == article_text()
    assert len(report.text_sha256) == 64


def test_every_statement_quotes_the_article(session) -> None:
    """Quotes are verbatim; paraphrases keep the article's key words."""
    text = article_text()
    for spec in STATEMENTS:
        if spec.kind == "quote":
            assert spec.text in text, spec.key


def test_killing_claim_is_contested_with_the_right_stances(session) -> None:
    load_demo(session)
    claim = session.scalar(select(Claim).where(Claim.slug == "asim-umar-killed-in-musa-qala-raid"))
    stances = _stances(claim)
    assert stances["asserts"] == {"National Directorate of Security (NDS)"}
    assert stances["denies"] == {"Afghan Taliban"}
    assert stances["unconfirmed"] == {"Counter-terrorism official in Karachi",
                                      "Source in Islamabad with links to militant circles"}
    assert claim.status == Status.CONTESTED
    assert claim.flag_contested
    assert claim.published
    assert [c.to_status.value for c in claim.history] == ["unverified", "in_review", "contested"]


def test_origin_claims_contradict_each_other(session) -> None:
    load_demo(session)
    ahmedabad = session.scalar(select(Claim).where(Claim.slug == "asim-umar-was-from-ahmedabad-gujarat"))
    up = session.scalar(select(Claim).where(Claim.slug == "asim-umar-was-from-uttar-pradesh"))
    assert _stances(ahmedabad) == {"asserts": {"Hamid Mir"}, "denies": {"US Department of the Treasury"}}
    assert _stances(up) == {"asserts": {"US Department of the Treasury"}, "denies": {"Hamid Mir"}}


def test_ansarul_shariah_rests_on_one_anonymous_source(session) -> None:
    load_demo(session)
    claim = session.scalar(select(Claim).where(Claim.slug == "asim-umar-formed-ansarul-shariah-in-2017"))
    assert claim.flag_single_source and claim.flag_anonymous_only
    assert [l.stance for l in claim.links] == [Stance.ASSERTS]
    assert claim.links[0].statement.speaker.anonymous


def test_aqis_founding_confirmed_independently(session) -> None:
    load_demo(session)
    claim = session.scalar(select(Claim).where(Claim.slug == "zawahiri-announced-aqis-in-september-2014-video"))
    assert claim.status == Status.CONFIRMED
    assert not claim.history[-1].independence_override
    sides = {side_of(l.statement.speaker) for l in claim.links if l.stance == Stance.ASSERTS}
    assert len(sides) >= 2


def test_nested_relay_is_recorded(session) -> None:
    load_demo(session)
    colleagues = session.scalar(select(Source).where(Source.name == "Colleagues of Asim Umar"))
    from factcheck.models import Statement

    statement = session.scalar(select(Statement).where(Statement.speaker_id == colleagues.id))
    assert statement.relayed_by.name == "Hamid Mir"
    assert statement.relayed_through.speaker.name == "Hamid Mir"


def test_all_demo_claims_published(session) -> None:
    load_demo(session)
    assert all(c.published for c in session.scalars(select(Claim)))


def test_demo_is_idempotent(session) -> None:
    load_demo(session)
    before = _counts(session)
    again = load_demo(session)
    assert not again.changed
    assert _counts(session) == before
