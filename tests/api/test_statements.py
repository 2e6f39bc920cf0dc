"""/api/v1/statements."""

from __future__ import annotations

from .helpers import assert_problem


def test_record_read_list_edit(client, make, checker) -> None:
    mir = make.source("Hamid Mir", kind="person")
    colleagues = make.source("Mir's colleagues", kind="person")
    response = client.post("/api/v1/statements", json={"speaker_id": colleagues.id, "relayed_by_id": mir.id,
                                                       "text": "Umar was from Sambhal.", "kind": "paraphrase",
                                                       "said_on": "2019-10-08"}, headers=checker)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["speaker"]["name"] == "Mir's colleagues" and body["relayed_by_id"] == mir.id
    assert body["said_on"] == "2019-10-08"
    assert client.get(f"/api/v1/statements/{body['id']}", headers=checker).get_json() == body
    by_speaker = client.get(f"/api/v1/statements?speaker_id={colleagues.id}", headers=checker).get_json()["items"]
    assert [s["id"] for s in by_speaker] == [body["id"]]
    edited = client.patch(f"/api/v1/statements/{body['id']}", json={"kind": "quote"}, headers=checker)
    assert edited.status_code == 200 and edited.get_json()["kind"] == "quote"


def test_new_speaker_refreshes_claim_flags(client, make, checker) -> None:
    claim = make.claim("It happened")
    official = make.source("An official", kind="person", anonymous=True, anonymity_reason="Not authorised")
    link = make.link(claim, official, "asserts")
    assert client.get(f"/api/v1/claims/{claim.id}", headers=checker).get_json()["flags"]["anonymous_only"] is True
    named = make.source("The minister", kind="person")
    response = client.patch(f"/api/v1/statements/{link.statement_id}", json={"speaker_id": named.id}, headers=checker)
    assert response.status_code == 200, response.get_json()
    assert client.get(f"/api/v1/claims/{claim.id}", headers=checker).get_json()["flags"]["anonymous_only"] is False


def test_statement_refusals(client, make, checker) -> None:
    speaker = make.source("NDS")
    missing = assert_problem(client.post("/api/v1/statements", json={"text": "x"}, headers=checker), 422)
    assert {"speaker_id", "kind"} <= missing["errors"].keys()
    own = assert_problem(client.post("/api/v1/statements", json={"speaker_id": speaker.id, "relayed_by_id": speaker.id,
                                                                 "text": "x", "kind": "quote"}, headers=checker), 422)
    assert own["errors"] == {"relayed_by_id": "same as speaker"}
    assert_problem(client.post("/api/v1/statements", json={"speaker_id": 999999, "text": "x", "kind": "quote"},
                               headers=checker), 404)
    big = assert_problem(client.post("/api/v1/statements", json={"speaker_id": 2**40, "text": "x", "kind": "quote"},
                                     headers=checker), 422)
    assert "speaker_id" in big["errors"]
    a = make.statement(speaker, "A")
    b = make.statement(speaker, "B", relayed_through_id=a.id)
    loop = assert_problem(client.patch(f"/api/v1/statements/{a.id}", json={"relayed_through_id": b.id},
                                       headers=checker), 422)
    assert loop["errors"] == {"relayed_through_id": "would make a loop"}
    itself = assert_problem(client.patch(f"/api/v1/statements/{a.id}", json={"relayed_through_id": a.id},
                                         headers=checker), 422)
    assert itself["errors"] == {"relayed_through_id": "would make a loop"}
    assert_problem(client.get("/api/v1/statements"), 401)
    assert_problem(client.get("/api/v1/statements/999999", headers=checker), 404)
