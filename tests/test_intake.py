"""Statement extraction on the desk: propose, review, save in one transaction; and the CLI."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from factcheck.demo import article_text, load_demo
from factcheck.errors import ValidationError
from factcheck.models import Base, Claim, ClaimStatement, Report, Source, Stance
from factcheck.services import Actor
from factcheck.services.intake import ReportInput, StatementInput, save_statements

from .conftest import csrf_token

ARTICLE = (
    'The ministry said on Monday that the bridge had collapsed. "Nobody was hurt," the ministry said.\n\n'
    "Opposition leader Jane Doe denied that the bridge collapsed, calling the report fabricated."
)


def _counts(session) -> dict[str, int]:
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_save_creates_claim_report_sources_once(session) -> None:
    result = save_statements(
        session, Actor.system("t"),
        report=ReportInput(url="https://news.example/bridge", title="Bridge", outlet="Example News", text=ARTICLE),
        statements=[
            StatementInput(speaker="The ministry", text="the bridge had collapsed", stance="asserts"),
            StatementInput(speaker="the ministry", text="Nobody was hurt", stance="mentions", direct=True),
            StatementInput(speaker="Jane Doe", text="the bridge collapsed", stance="denies"),
        ],
        new_claim_text="The bridge collapsed on Monday",
    )
    assert result.statements == 3 and result.new_sources == 3  # ministry, Jane Doe, outlet
    assert result.claim.flag_contested
    assert result.report.text == ARTICLE and len(result.report.text_sha256) == 64
    speakers = {l.statement.speaker.name for l in result.claim.links}
    assert speakers == {"The ministry", "Jane Doe"}


def test_save_reuses_existing_sources_by_id(session) -> None:
    load_demo(session)
    nds = session.scalar(select(Source).where(Source.name == "National Directorate of Security (NDS)"))
    claim = session.scalar(select(Claim).where(Claim.slug == "asim-umar-killed-in-musa-qala-raid"))
    before = _counts(session)["sources"]
    save_statements(
        session, Actor.system("t"), report=ReportInput(url="https://news.example/nds"),
        statements=[StatementInput(speaker=f"NDS · #{nds.id}", text="He was killed.", stance="asserts")],
        claim_id=claim.id,
    )
    assert _counts(session)["sources"] == before


def test_a_bad_statement_leaves_nothing(session) -> None:
    before = _counts(session)
    with pytest.raises(ValidationError, match="Statement 2"):
        with session.begin_nested():
            save_statements(
                session, Actor.system("t"), report=ReportInput(url="https://news.example/x"),
                statements=[StatementInput(speaker="A", text="ok", stance="asserts"),
                            StatementInput(speaker="B", text="ok", stance="sideways")],
                new_claim_text="Something happened",
            )
    assert _counts(session) == before


def test_desk_page_proposes_and_saves(client, session, login_as) -> None:
    load_demo(session)
    login_as("checker")
    token = csrf_token(client, "/desk/extract")
    page = client.post("/desk/extract", data={"csrf_token": token, "url": "https://news.example/samaa-copy",
                                              "title": "Copy", "outlet": "SAMAA Digital", "article": article_text()})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "We categorically reject this claim" in body
    count = int(body.split('name="count" value="')[1].split('"')[0])
    assert count >= 15
    form = {"csrf_token": token, "url": "https://news.example/samaa-copy", "title": "Copy", "outlet": "SAMAA Digital",
            "article": article_text(), "count": "2", "new_claim": "Asim Umar was killed in Musa Qala (second report)",
            "keep-0": "1", "speaker-0": "Afghan Taliban", "text-0": "We categorically reject this claim", "stance-0": "denies",
            "direct-0": "1",
            "keep-1": "", "speaker-1": "Dropped", "text-1": "not kept", "stance-1": "asserts"}
    saved = client.post("/desk/extract/save", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:1000]
    claim = session.scalar(select(Claim).where(Claim.text.like("%second report%")))
    links = session.scalars(select(ClaimStatement).where(ClaimStatement.claim_id == claim.id)).all()
    assert [(l.statement.speaker.name, l.stance) for l in links] == [("Afghan Taliban", Stance.DENIES)]
    assert session.scalar(select(Report).where(Report.url == "https://news.example/samaa-copy")).outlet.name == "SAMAA Digital"


def test_desk_save_error_keeps_everything_typed(client, session, login_as) -> None:
    login_as("checker")
    token = csrf_token(client, "/desk/extract")
    before = _counts(session)
    response = client.post("/desk/extract/save", data={
        "csrf_token": token, "url": "ftp://bad.example", "article": ARTICLE, "count": "1", "new_claim": "X happened",
        "keep-0": "1", "speaker-0": "Jane Doe", "text-0": "My edited words", "stance-0": "denies"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "My edited words" in body and "http" in body
    assert _counts(session) == before


def test_extract_cli_text_and_json(app, tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    runner = app.test_cli_runner()
    as_json = runner.invoke(args=["extract", str(path), "--json"])
    assert as_json.exit_code == 0, as_json.output
    doc = json.loads(as_json.output)
    first = doc["statements"][0]
    assert set(first) >= {"speaker", "cue", "text", "direct", "anonymous", "stance", "relayed_by", "start", "end"}
    assert ARTICLE[first["start"]:first["end"]] == first["text"]
    plain = runner.invoke(args=["extract", "-"], input=ARTICLE)
    assert plain.exit_code == 0 and "Jane Doe" in plain.output and "[denies]" in plain.output
