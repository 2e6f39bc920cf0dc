"""The desk's extraction page with a claim chosen: each statement's stance toward that claim is
proposed (the select starts on it, the proposal is shown beside it), the checker accepts or
changes it, and what is saved is what the checker left; `mentions` when unsure or no claim."""

from __future__ import annotations

import re

from sqlalchemy import select

from factcheck.models import Claim, ClaimStatement, Stance

from .conftest import csrf_token

ARTICLE = ("Officials said six people were killed in the blast. The army denied that anyone had died. "
           "The mayor said the weather had been fine all week.")
CLAIM = "Ten people were killed in the blast."


def _rows(body: str) -> dict[str, tuple[str, str]]:
    """speaker -> (the selected stance, the proposed stance shown) for each proposal row."""
    rows = {}
    count = int(body.split('name="count" value="')[1].split('"')[0])
    for i in range(count):
        speaker = re.search(rf'name="speaker-{i}"[^>]*value="([^"]*)"', body).group(1)
        select_html = re.search(rf'<select id="stance-{i}" name="stance-{i}">(.*?)</select>', body, re.S).group(1)
        selected = re.search(r'<option value="(\w+)" selected', select_html).group(1)
        proposed = re.search(rf'name="proposed_stance-{i}" value="(\w*)"', body).group(1)
        rows[speaker.lower()] = (selected, proposed)
    return rows


def test_the_stance_toward_a_new_claim_is_proposed(client, session, login_as) -> None:
    login_as("checker")
    token = csrf_token(client, "/desk/extract")
    page = client.post("/desk/extract", data={"csrf_token": token, "url": "https://news.example/blast",
                                              "article": ARTICLE, "new_claim": CLAIM})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    rows = _rows(body)
    assert rows["officials"] == ("denies", "denies")
    assert rows["army"] == ("denies", "denies")
    assert rows["mayor"] == ("mentions", "mentions")
    assert "proposed: denies" in body and CLAIM in body  # the claim typed is kept in the form


def test_the_stance_toward_an_existing_claim_is_proposed_and_can_be_changed(client, session, login_as,
                                                                           make) -> None:
    claim = make.claim(text=CLAIM)
    session.flush()
    login_as("checker")
    token = csrf_token(client, "/desk/extract")
    picked = f"{CLAIM} · #{claim.id}"
    body = client.post("/desk/extract", data={"csrf_token": token, "url": "https://news.example/blast",
                                              "article": ARTICLE, "claim": picked}).get_data(as_text=True)
    rows = _rows(body)
    assert rows["officials"] == ("denies", "denies")
    # the checker keeps the officials' proposal and changes the army's
    form = {"csrf_token": token, "url": "https://news.example/blast", "article": ARTICLE, "claim": picked,
            "count": "2",
            "keep-0": "1", "speaker-0": "Officials", "text-0": "six people were killed in the blast",
            "stance-0": "denies", "proposed_stance-0": "denies", "cue_stance-0": "asserts",
            "keep-1": "1", "speaker-1": "The army", "text-1": "anyone had died",
            "stance-1": "unconfirmed", "proposed_stance-1": "denies", "cue_stance-1": "denies"}
    saved = client.post("/desk/extract/save", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    links = session.scalars(select(ClaimStatement).where(ClaimStatement.claim_id == claim.id)).all()
    assert sorted((link.statement.speaker.name, link.stance) for link in links) == [
        ("Officials", Stance.DENIES), ("The army", Stance.UNCONFIRMED)]


def test_without_a_claim_every_stance_starts_as_mentions(client, session, login_as) -> None:
    login_as("checker")
    token = csrf_token(client, "/desk/extract")
    body = client.post("/desk/extract", data={"csrf_token": token, "url": "https://news.example/blast",
                                              "article": ARTICLE}).get_data(as_text=True)
    rows = _rows(body)
    assert rows and all(row == ("mentions", "") for row in rows.values())
    assert "proposed:" not in body
    assert session.scalar(select(Claim).where(Claim.text == CLAIM)) is None


def test_bad_input_on_the_desk_gets_a_clear_answer(app, client, session, login_as) -> None:
    """Empty text, text over the limit, another language, one sentence of 100,000 words and
    10,000 quotation marks, each with a claim chosen: a page that says what happened, never a 500,
    and what was typed is kept."""
    import time

    app.config["EXTRACTION_TIME_BUDGET"] = 1.0
    login_as("checker")
    token = csrf_token(client, "/desk/extract")

    def post(article: str):
        return client.post("/desk/extract", data={"csrf_token": token, "url": "https://news.example/x",
                                                  "article": article, "new_claim": CLAIM})

    empty = post("")
    assert empty.status_code == 422 and CLAIM in empty.get_data(as_text=True)
    too_long = post("He said it. " * 50_000)
    body = too_long.get_data(as_text=True)
    assert too_long.status_code == 422 and "characters" in body and CLAIM in body
    russian = post("Министр заявил, что переговоры продолжатся на следующей неделе в Москве. " * 5)
    assert russian.status_code == 200 and "English" in russian.get_data(as_text=True)
    for article in (" ".join(["he said we would go"] * 20_000) + ".", '"' * 10_000):
        started = time.monotonic()
        response = post(article)
        assert time.monotonic() - started < 10
        assert response.status_code == 200
