"""POST /claims/<id>/status and the status history."""

from __future__ import annotations

from sqlalchemy import select

from factcheck.models import AuditEvent, StatusChange

from .helpers import assert_problem, if_match


def _move(client, claim_id: int, version: int, headers: dict[str, str], **body: object):
    return client.post(f"/api/v1/claims/{claim_id}/status", json=body, headers={**headers, **if_match(version)})


def test_change_status(client, session, make, checker) -> None:
    claim = make.claim("It happened")
    response = _move(client, claim.id, claim.version, checker, to="in_review", reason="Checking", evidence="Notes")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["from_status"], body["to_status"], body["reason"], body["evidence"]) == (
        "unverified", "in_review", "Checking", "Notes")
    assert body["via"] == "api" and body["version"] == claim.version + 1
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert response.headers["Location"].endswith(f"/api/v1/claims/{claim.id}/history/{body['id']}")
    assert body["actor"]["email"].endswith("@example.org")
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "claim.status"))
    assert audit is not None and audit.subject_id == claim.id


def test_status_with_version_in_the_body(client, make, checker) -> None:
    claim = make.claim("It happened")
    response = client.post(f"/api/v1/claims/{claim.id}/status",
                           json={"to": "in_review", "reason": "Checking", "version": claim.version}, headers=checker)
    assert response.status_code == 201


def test_status_refusals(client, session, make, checker) -> None:
    claim = make.claim("It happened")
    missing = assert_problem(_move(client, claim.id, claim.version, checker, to="in_review"), 422)
    assert "reason" in missing["errors"]
    blank = assert_problem(_move(client, claim.id, claim.version, checker, to="in_review", reason="  "), 422)
    assert blank["errors"] == {"reason": "is required"}
    unknown = assert_problem(_move(client, claim.id, claim.version, checker, to="true", reason="x"), 422)
    assert "to" in unknown["errors"]
    jump = assert_problem(_move(client, claim.id, claim.version, checker, to="confirmed", reason="x"), 422)
    assert jump["title"] == "Status change not allowed" and "in_review" in jump["detail"]
    assert_problem(client.post(f"/api/v1/claims/{claim.id}/status", json={"to": "in_review", "reason": "x"},
                               headers=checker), 428)
    stale = assert_problem(_move(client, claim.id, claim.version + 5, checker, to="in_review", reason="x"), 412)
    assert stale["current_version"] == claim.version and stale["current_status"] == "unverified"
    rows = session.scalars(select(StatusChange).where(StatusChange.claim_id == claim.id)).all()
    assert len(rows) == 1  # only the creation


def test_confirming_needs_independent_sources_unless_an_editor_overrides(client, make, checker, editor) -> None:
    claim = make.claim("It happened")
    make.link(claim, make.source("NDS"), "asserts")
    version = _move(client, claim.id, claim.version, checker, to="in_review", reason="x").get_json()["version"]
    refused = assert_problem(_move(client, claim.id, version, checker, to="confirmed", reason="Sure"), 422)
    assert refused["title"] == "Independent confirmation required"
    forbidden = assert_problem(_move(client, claim.id, version, checker, to="confirmed", reason="Sure",
                                     override_reason="We saw the body"), 403)
    assert "editor" in forbidden["detail"]
    done = _move(client, claim.id, version, editor, to="confirmed", reason="Sure", override_reason="We saw it")
    assert done.status_code == 201
    assert done.get_json()["independence_override"] is True


def test_only_editors_reopen(client, make, checker, editor) -> None:
    claim = make.claim("It happened")
    make.link(claim, make.source("A"), "asserts")
    make.link(claim, make.source("B"), "asserts")
    v = _move(client, claim.id, claim.version, checker, to="in_review", reason="x").get_json()["version"]
    v = _move(client, claim.id, v, checker, to="confirmed", reason="Two sides").get_json()["version"]
    assert_problem(_move(client, claim.id, v, checker, to="in_review", reason="New evidence"), 403)
    reopened = _move(client, claim.id, v, editor, to="in_review", reason="New evidence")
    assert reopened.status_code == 201 and reopened.get_json()["reopening"] is True


def test_history_list_and_item(client, make, checker) -> None:
    claim = make.claim("It happened")
    _move(client, claim.id, claim.version, checker, to="in_review", reason="Checking")
    body = client.get(f"/api/v1/claims/{claim.id}/history", headers=checker).get_json()
    assert [(h["from_status"], h["to_status"]) for h in body["items"]] == [(None, "unverified"), ("unverified", "in_review")]
    assert body["next_cursor"] is None
    first = body["items"][0]
    item = client.get(f"/api/v1/claims/{claim.id}/history/{first['id']}", headers=checker)
    assert item.status_code == 200 and item.get_json() == first
    paged = client.get(f"/api/v1/claims/{claim.id}/history?limit=1", headers=checker).get_json()
    assert len(paged["items"]) == 1 and paged["next_cursor"]
    rest = client.get(f"/api/v1/claims/{claim.id}/history?limit=1&cursor={paged['next_cursor']}",
                      headers=checker).get_json()
    assert rest["items"][0]["to_status"] == "in_review"


def test_history_of_another_claim_is_404(client, make, checker) -> None:
    a, b = make.claim("A one"), make.claim("B two")
    first_of_b = client.get(f"/api/v1/claims/{b.id}/history", headers=checker).get_json()["items"][0]["id"]
    assert_problem(client.get(f"/api/v1/claims/{a.id}/history/{first_of_b}", headers=checker), 404)


def test_readers_see_history_of_published_claims_without_who(client, make, published, checker) -> None:
    hidden = make.claim("Not yet")
    assert_problem(client.get(f"/api/v1/claims/{hidden.id}/history"), 404)
    claim = published(make.claim("Out there"))
    _move(client, claim.id, claim.version, checker, to="in_review", reason="Checking")
    items = client.get(f"/api/v1/claims/{claim.id}/history").get_json()["items"]
    assert [h["to_status"] for h in items] == ["unverified", "in_review"]
    assert all("actor" not in h for h in items)
    assert "actor" in client.get(f"/api/v1/claims/{claim.id}/history", headers=checker).get_json()["items"][1]
