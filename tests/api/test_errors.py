"""Every error a client can cause is a problem-details body, never a 500."""

from __future__ import annotations

import base64

import pytest

from .helpers import assert_problem


def test_unknown_route_is_404_problem(client) -> None:
    body = assert_problem(client.get("/api/v1/nothing-here"), 404)
    assert "/api/v1/docs" in body["detail"]
    # Ids outside the column's range are not routes at all.
    assert_problem(client.get(f"/api/v1/claims/{2**31}"), 404)
    assert_problem(client.get("/api/v1/claims/0"), 404)
    assert_problem(client.get("/api/v1/claims/99999999999999999999999"), 404)


def test_wrong_method_is_405_with_allow(client) -> None:
    response = client.delete("/api/v1/claims")
    body = assert_problem(response, 405)
    assert {"GET", "POST"} <= set(response.headers["Allow"].replace(" ", "").split(","))
    assert "DELETE" in body["detail"]


def test_malformed_json_is_400(client, checker) -> None:
    body = assert_problem(client.post("/api/v1/claims", data='{"text": "x",', content_type="application/json",
                                      headers=checker), 400)
    assert body["detail"].startswith("The body is not valid JSON")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe{}", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"text": 1' + b"0" * 5000 + b"}", "not valid JSON"),
        (b'{"text": "\\ud800"}', "unpaired surrogate"),
    ],
)
def test_json_that_no_database_could_store_is_400(client, checker, data, words) -> None:
    body = assert_problem(client.post("/api/v1/claims", data=data, content_type="application/json",
                                      headers=checker), 400)
    assert words in body["detail"]


def test_wrong_content_type_is_400(client, checker) -> None:
    body = assert_problem(client.post("/api/v1/claims", data={"text": "a form"}, headers=checker), 400)
    assert "Content-Type: application/json" in body["detail"]


def test_non_object_json_is_422(client, checker) -> None:
    for payload in ("[]", "null", '"text"', "3"):
        assert_problem(client.post("/api/v1/claims", data=payload, content_type="application/json",
                                   headers=checker), 422)


def test_body_too_large_is_413(app, client, checker) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    body = assert_problem(client.post("/api/v1/claims", json={"text": "x" * 2000}, headers=checker), 413)
    assert "1000 bytes" in body["detail"]


def test_validation_is_field_by_field(client, checker) -> None:
    body = assert_problem(client.post("/api/v1/sources", json={"kind": "alien", "anonymous": "maybe",
                                                               "affiliation_id": -1}, headers=checker), 422)
    assert set(body["errors"]) == {"name", "kind", "anonymous", "affiliation_id"}
    # Field errors found by the schema and by the services look alike.
    service = assert_problem(client.post("/api/v1/sources", json={"name": " ", "kind": "person"}, headers=checker), 422)
    assert body["title"] == service["title"] == "Invalid input"
    assert all(isinstance(message, str) and message for message in body["errors"].values())


def test_nul_bytes_are_refused_not_500(client, make, checker) -> None:
    """In a body, field by field (422); in a query string, before any view (400)."""
    assert_problem(client.post("/api/v1/claims", json={"text": "a\x00b"}, headers=checker), 422)
    assert "NUL byte" in assert_problem(client.get("/api/v1/claims?tag=a%00b", headers=checker), 400)["detail"]
    assert_problem(client.get("/api/v1/sources?name=a%00b", headers=checker), 400)


@pytest.mark.parametrize("sort", ["priority", "age", "activity", "deadline"])
def test_tampered_cursors_are_422(client, checker, sort) -> None:
    from factcheck.services.queue import encode_cursor

    for payload in ({"s": sort, "k": "x", "i": 1}, {"s": sort, "k": 1, "i": 2**70}, {"s": sort, "k": None, "i": 1.5},
                    {"s": sort, "k": "0001-01-01T00:00:00+14:00", "i": 1}, {"s": sort, "k": 2**80, "i": 1},
                    {"s": sort, "k": 1, "i": 2**40}, {"s": sort, "k": 40_000, "i": 1}):
        response = client.get(f"/api/v1/claims?sort={sort}&cursor={encode_cursor(payload)}", headers=checker)
        # Some of these are valid for some sorts; none may be a server error.
        assert response.status_code in (200, 422), (payload, response.get_data(as_text=True))
    nested = base64.urlsafe_b64encode(b"[" * 50_000).decode()
    assert_problem(client.get(f"/api/v1/claims?sort={sort}&cursor={nested}", headers=checker), 422)


def test_ids_beyond_the_id_column_are_422(client, checker) -> None:
    body = assert_problem(client.get(f"/api/v1/claims?assignee={2**31}", headers=checker), 422)
    assert "assignee" in body["errors"]
    assert_problem(client.get("/api/v1/claims?assignee=%D9%A3", headers=checker), 422)  # an Arabic-Indic digit
    assert_problem(client.get(f"/api/v1/sources?affiliation_id={2**31}", headers=checker), 422)


def test_out_of_range_times_are_422(client, make, editor) -> None:
    claim = make.claim("x")
    body = assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"deadline": "9999-12-31T23:00:00-14:00"},
                                       headers={**editor, "If-Match": f'"{claim.version}"'}), 422)
    assert "deadline" in body["errors"]


def test_problem_bodies_on_html_paths_stay_html(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
