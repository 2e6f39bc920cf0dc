"""Small assertions shared by the API tests."""

from __future__ import annotations

from typing import Any

Headers = dict[str, str]


def if_match(version: int) -> Headers:
    return {"If-Match": f'"{version}"'}


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is a problem-details body with this status; returns the body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body
