"""POST /api/v1/extract: the same document as the CLI's --json, token required."""

from __future__ import annotations

from factcheck.demo import article_text
from factcheck.extraction import extract_statements


def test_extract_returns_the_cli_document(client, checker) -> None:
    text = article_text()
    response = client.post("/api/v1/extract", json={"text": text}, headers=checker)
    assert response.status_code == 200
    statements = response.get_json()["statements"]
    assert statements == [s.to_dict() for s in extract_statements(text)]
    taliban = [s for s in statements if s["speaker"] == "Taliban" and s["direct"]]
    assert taliban and taliban[0]["stance"] == "denies"
    for s in statements:
        assert text[s["start"]:s["end"]] == s["text"]


def test_extract_needs_a_token(client) -> None:
    response = client.post("/api/v1/extract", json={"text": "He said it."})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_extract_validates_the_body(client, checker) -> None:
    missing = client.post("/api/v1/extract", json={}, headers=checker)
    assert missing.status_code == 422 and "text" in missing.get_json()["errors"]
    wrong = client.post("/api/v1/extract", json={"text": 42}, headers=checker)
    assert wrong.status_code == 422
    malformed = client.post("/api/v1/extract", data="{not json", headers={**checker, "Content-Type": "application/json"})
    assert malformed.status_code == 400


def test_extract_of_text_without_statements(client, checker) -> None:
    response = client.post("/api/v1/extract", json={"text": "Rain fell. No one spoke."}, headers=checker)
    assert response.status_code == 200 and response.get_json() == {
        "statements": [], "truncated": False, "analysed_to": 24, "length": 24, "reason": None, "notice": None}


# --- the bounds of one request (factcheck.extraction.limits) ---------------------------------


def test_extract_refuses_a_text_over_the_limit_in_words(app, client, checker) -> None:
    from .helpers import assert_problem

    app.config["API_WRITE_RATE_LIMIT"] = "1000/minute"  # these requests count by their size
    # 2 MB of text fits the server's body limit (2 MiB) but not the extractor's.
    body = assert_problem(client.post("/api/v1/extract", json={"text": "He said it. " * 170_000}, headers=checker), 422)
    assert body["errors"]["text"] == ("The text is 2,040,000 characters long; the extractor reads at most 500,000 "
                                      "characters at a time. Send it in parts.")
    # A body over the server's limit is refused before it is read.
    too_large = assert_problem(client.post("/api/v1/extract", json={"text": "x" * 2_200_000}, headers=checker), 413)
    assert "bytes this API accepts" in too_large["detail"]
    assert client.post("/api/v1/extract", json={"text": "x" * 500_000}, headers=checker).status_code == 200


def test_extract_answers_pathological_text_within_its_budget(app, client, checker) -> None:
    """480 KB of "according to officials," took about 10 s: now the answer comes within the
    time budget (one second here), with what was found and where the reading stopped."""
    import time

    app.config["EXTRACTION_TIME_BUDGET"] = 1.0
    text = ("according to officials, " * 20_000)[:480_000]
    started = time.monotonic()
    response = client.post("/api/v1/extract", json={"text": text}, headers=checker)
    assert time.monotonic() - started < 5
    body = response.get_json()
    assert response.status_code == 200 and body["truncated"] is True and body["reason"] == "time_budget"
    assert 0 < body["analysed_to"] < body["length"] == len(text)
    assert body["statements"] and all(s["end"] <= body["analysed_to"] for s in body["statements"])
    assert body["notice"].startswith(f"The text was read up to character {body['analysed_to']:,} of 480,000")


def test_extract_says_it_reads_english(client, checker) -> None:
    text = ("Министр заявил в понедельник, что переговоры возобновятся на следующей неделе, говорится в "
            "заявлении правительства. «Мы не уступим», — сказал представитель профсоюза журналистам.")
    response = client.post("/api/v1/extract", json={"text": text}, headers=checker)
    body = response.get_json()
    assert response.status_code == 200 and body["statements"] == [] and body["reason"] == "not_english"
    assert body["truncated"] is False and "mostly in Cyrillic script" in body["notice"]


def test_the_openapi_document_states_the_limits(client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/extract"]["post"]
    words = " ".join(operation["description"].split())
    assert "at most 500,000 characters (422 beyond" in words and "2 MB by default, is refused with 413" in words
    assert "at most 3 seconds" in words and "one write per 10 KB of body" in words and "not_english" in words
    assert {"413", "422", "429"} <= set(operation["responses"])
    assert document["components"]["schemas"]["ExtractRequest"]["properties"]["text"]["maxLength"] == 500_000
