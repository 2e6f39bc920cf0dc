"""POST /api/v1/extract with a claim: each statement carries `claim_stance`, the proposed stance
toward the claim, beside its own cue `stance`; without a claim there is no `claim_stance`."""

from __future__ import annotations

from .helpers import assert_problem

TEXT = ("Officials said six people were killed in the blast. The army denied that anyone had died. "
        "The mayor said the weather had been fine all week.")
CLAIM = "Ten people were killed in the blast."


def test_a_claim_gives_each_statement_its_claim_stance(client, checker) -> None:
    response = client.post("/api/v1/extract", json={"text": TEXT, "claim": CLAIM}, headers=checker)
    assert response.status_code == 200
    document = response.get_json()
    assert document["claim"] == CLAIM
    found = {s["speaker"].lower(): (s["stance"], s["claim_stance"]) for s in document["statements"]}
    assert found["officials"] == ("asserts", "denies")  # a different count of the same deaths
    assert found["army"][1] == "denies"
    assert found["mayor"] == ("asserts", "mentions")  # does not bear on the claim
    for s in document["statements"]:
        assert TEXT[s["start"]:s["end"]] == s["text"]


def test_no_claim_no_claim_stance(client, checker) -> None:
    for body in ({"text": TEXT}, {"text": TEXT, "claim": None}, {"text": TEXT, "claim": "   "}):
        document = client.post("/api/v1/extract", json=body, headers=checker).get_json()
        assert document["statements"] and "claim" not in document
        assert all("claim_stance" not in s for s in document["statements"])


def test_a_bad_claim_is_a_clear_422(client, checker) -> None:
    body = assert_problem(client.post("/api/v1/extract", json={"text": TEXT, "claim": 42}, headers=checker), 422)
    assert "claim" in body["errors"]
    long = assert_problem(client.post("/api/v1/extract", json={"text": TEXT, "claim": "x" * 100_000},
                                      headers=checker), 422)
    assert "claim" in long["errors"]


def test_bad_input_with_a_claim_is_answered_within_the_budget(app, client, checker) -> None:
    """With the default design (the parse where the model is installed) and a claim: empty text,
    another language, one sentence of 100,000 words and 10,000 quotation marks each get a clear
    answer within the time budget, never a 500."""
    import time

    app.config["API_WRITE_RATE_LIMIT"] = "1000/minute"  # these requests count by their size
    app.config["EXTRACTION_TIME_BUDGET"] = 1.0
    empty = client.post("/api/v1/extract", json={"text": "", "claim": CLAIM}, headers=checker)
    assert empty.status_code == 200 and empty.get_json()["statements"] == []
    russian = "Министр заявил, что переговоры продолжатся на следующей неделе в Москве. " * 5
    other = client.post("/api/v1/extract", json={"text": russian, "claim": CLAIM}, headers=checker).get_json()
    assert other["statements"] == [] and other["reason"] == "not_english"
    for text in (" ".join(["he said we would go"] * 20_000) + ".", '"' * 10_000,
                 'He said "' * 10_000):
        started = time.monotonic()
        response = client.post("/api/v1/extract", json={"text": text, "claim": CLAIM}, headers=checker)
        assert time.monotonic() - started < 5
        assert response.status_code == 200
        body = response.get_json()
        assert all(s["end"] <= body["analysed_to"] and "claim_stance" in s for s in body["statements"])
