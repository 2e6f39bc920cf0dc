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
    assert response.status_code == 200 and response.get_json() == {"statements": []}
