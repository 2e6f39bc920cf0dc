"""/claims/<id>/statements: linking statements to claims, and their stances."""

from __future__ import annotations

from .helpers import assert_problem


def test_link_and_restance(client, session, make, checker) -> None:
    claim = make.claim("It happened")
    version = claim.version
    nds = make.statement(make.source("NDS"), "We killed him.")
    taliban = make.statement(make.source("Taliban"), "Baseless.")
    first = client.post(f"/api/v1/claims/{claim.id}/statements", json={"statement_id": nds.id, "stance": "asserts"},
                        headers=checker)
    assert first.status_code == 201, first.get_json()
    assert first.headers["Location"].endswith(f"/api/v1/claims/{claim.id}/statements/{nds.id}")
    body = first.get_json()
    assert body["stance"] == "asserts" and body["statement"]["speaker"]["name"] == "NDS"
    second = client.post(f"/api/v1/claims/{claim.id}/statements",
                         json={"statement_id": taliban.id, "stance": "asserts", "note": "oops"}, headers=checker)
    assert second.status_code == 201
    unsaid = client.patch(f"/api/v1/claims/{claim.id}/statements/{taliban.id}", json={"stance": "denies"},
                          headers=checker)
    assert unsaid.status_code == 428  # which version was edited must be said, as for a status change
    changed = client.patch(f"/api/v1/claims/{claim.id}/statements/{taliban.id}", json={"stance": "denies"},
                           headers={**checker, "If-Match": second.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["stance"] == "denies"
    stale = client.patch(f"/api/v1/claims/{claim.id}/statements/{taliban.id}", json={"stance": "unconfirmed"},
                         headers={**checker, "If-Match": second.headers["ETag"]})
    assert stale.status_code == 412
    read = client.get(f"/api/v1/claims/{claim.id}", headers=checker)
    assert read.get_json()["flags"]["contested"] is True
    assert read.get_json()["version"] > version
    assert changed.headers["ETag"] == read.headers["ETag"] != first.headers["ETag"]
    listed = client.get(f"/api/v1/claims/{claim.id}/statements", headers=checker).get_json()
    assert [(i["statement_id"], i["stance"]) for i in listed["items"]] == [(nds.id, "asserts"), (taliban.id, "denies")]
    one = client.get(f"/api/v1/claims/{claim.id}/statements/{nds.id}", headers=checker)
    assert one.status_code == 200 and one.get_json()["note"] == ""


def test_link_refusals(client, make, checker) -> None:
    claim = make.claim("It happened")
    statement = make.statement(make.source("NDS"))
    url = f"/api/v1/claims/{claim.id}/statements"
    assert client.post(url, json={"statement_id": statement.id, "stance": "asserts"}, headers=checker).status_code == 201
    twice = assert_problem(client.post(url, json={"statement_id": statement.id, "stance": "denies"}, headers=checker), 409)
    assert "already linked" in twice["detail"]
    unknown = assert_problem(client.post(url, json={"statement_id": 999999, "stance": "denies"}, headers=checker), 422)
    assert unknown["errors"] == {"statement_id": "unknown statement"}
    stance = assert_problem(client.post(url, json={"statement_id": statement.id, "stance": "agrees"}, headers=checker), 422)
    assert "stance" in stance["errors"]
    assert_problem(client.post("/api/v1/claims/999999/statements", json={"statement_id": statement.id,
                                                                          "stance": "asserts"}, headers=checker), 404)
    other = make.statement(make.source("Other"))
    assert_problem(client.patch(f"{url}/{other.id}", json={"stance": "denies", "version": claim.version},
                                headers=checker), 404)
    assert_problem(client.get(f"{url}/{other.id}", headers=checker), 404)


def test_readers_see_statements_of_published_claims_only(client, make, published) -> None:
    hidden = make.claim("Not yet")
    make.link(hidden, make.source("NDS"), "asserts")
    assert_problem(client.get(f"/api/v1/claims/{hidden.id}/statements"), 404)
    claim = published(make.claim("Out there"))
    make.link(claim, make.source("NDS"), "asserts")
    items = client.get(f"/api/v1/claims/{claim.id}/statements").get_json()["items"]
    assert items[0]["statement"]["speaker"]["name"] == "NDS"


def test_writes_need_a_token(client, make) -> None:
    claim = make.claim("It happened")
    statement = make.statement(make.source("NDS"))
    assert_problem(client.post(f"/api/v1/claims/{claim.id}/statements",
                               json={"statement_id": statement.id, "stance": "asserts"}), 401)
