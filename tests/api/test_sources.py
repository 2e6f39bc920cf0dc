"""/api/v1/sources, and the rule that sealed identities reach editors only."""

from __future__ import annotations

import json

from factcheck.models import AuditEvent, Source

from .helpers import assert_problem

SEALED = "Major X of the CTD, Karachi"


def _anonymous_source(make) -> Source:
    return make.source("Counter-terrorism official in Karachi", kind="person", anonymous=True,
                       anonymity_reason="Not authorised to speak", sealed_identity=SEALED)


def test_create_read_list(client, checker) -> None:
    response = client.post("/api/v1/sources", json={"name": "NDS", "kind": "government"}, headers=checker)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/sources/{body['id']}")
    child = client.post("/api/v1/sources", json={"name": "NDS Helmand", "kind": "government",
                                                  "affiliation_id": body["id"]}, headers=checker).get_json()
    assert child["affiliation_id"] == body["id"]
    assert client.get(f"/api/v1/sources/{body['id']}", headers=checker).get_json()["name"] == "NDS"
    names = [s["name"] for s in client.get("/api/v1/sources?name=helm", headers=checker).get_json()["items"]]
    assert names == ["NDS Helmand"]
    under = client.get(f"/api/v1/sources?affiliation_id={body['id']}", headers=checker).get_json()["items"]
    assert [s["id"] for s in under] == [child["id"]]
    wildcard = client.get("/api/v1/sources?name=%25", headers=checker).get_json()["items"]
    assert wildcard == []  # LIKE wildcards are searched for literally


def test_create_refusals(client, checker) -> None:
    reason = assert_problem(client.post("/api/v1/sources", json={"name": "An official", "kind": "person",
                                                                  "anonymous": True}, headers=checker), 422)
    assert reason["errors"] == {"anonymity_reason": "required for an anonymous source"}
    kind = assert_problem(client.post("/api/v1/sources", json={"name": "X", "kind": "alien"}, headers=checker), 422)
    assert "kind" in kind["errors"]
    affiliation = assert_problem(client.post("/api/v1/sources", json={"name": "X", "kind": "person",
                                                                       "affiliation_id": 999999}, headers=checker), 422)
    assert affiliation["errors"] == {"affiliation_id": "unknown source"}
    url = assert_problem(client.post("/api/v1/sources", json={"name": "X", "kind": "person",
                                                               "url": "javascript:alert(1)"}, headers=checker), 422)
    assert "url" in url["errors"]


def test_sealed_identity_is_for_editors_only(client, make, checker, editor, published) -> None:
    source = _anonymous_source(make)
    claim = published(make.claim("Umar's death unconfirmed"))
    make.link(claim, source, "unconfirmed")
    assert client.get(f"/api/v1/sources/{source.id}", headers=editor).get_json()["sealed_identity"] == SEALED
    as_checker = client.get(f"/api/v1/sources/{source.id}", headers=checker).get_json()
    assert "sealed_identity" not in as_checker and as_checker["anonymous"] is True
    # Nowhere else either: lists, nested speakers, the public view of the claim.
    for url, headers in (
        ("/api/v1/sources", checker),
        (f"/api/v1/claims/{claim.id}/statements", checker),
        (f"/api/v1/claims/{claim.id}/statements", {}),
        ("/api/v1/statements", checker),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert SEALED not in response.get_data(as_text=True), url
    assert SEALED in json.dumps(client.get(f"/api/v1/claims/{claim.id}/statements", headers=editor).get_json())


def test_sources_are_not_public(client, make) -> None:
    source = make.source("NDS")
    assert_problem(client.get("/api/v1/sources"), 401)
    assert_problem(client.get(f"/api/v1/sources/{source.id}"), 401)


def test_edit_source(client, session, make, checker, editor) -> None:
    claim = make.claim("It happened")
    source = make.source("Ministry")
    make.link(claim, source, "asserts")
    response = client.patch(f"/api/v1/sources/{source.id}",
                            json={"anonymous": True, "anonymity_reason": "Protect them", "name": "An official"},
                            headers=checker)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["anonymous"] is True
    flags = client.get(f"/api/v1/claims/{claim.id}", headers=checker).get_json()["flags"]
    assert flags["anonymous_only"] is True
    # A checker may write a sealed identity (they often know it), never read one back.
    written = client.patch(f"/api/v1/sources/{source.id}", json={"sealed_identity": "Mr Y"}, headers=checker)
    assert written.status_code == 200, written.get_json()
    assert "sealed_identity" not in written.get_json() and "Mr Y" not in written.get_data(as_text=True)
    assert client.get(f"/api/v1/sources/{source.id}", headers=editor).get_json()["sealed_identity"] == "Mr Y"
    [event] = session.query(AuditEvent).filter_by(action="source.edit", subject_id=source.id).all()[-1:]
    assert event.changes["sealed_identity"] == [None, "(sealed, changed)"]  # the audit log never holds it
    refused = assert_problem(client.patch(f"/api/v1/sources/{source.id}", json={"sealed_identity": None},
                                          headers=checker), 403)
    assert "editor" in refused["detail"]
    # Making it public again must clear the identity, in an editor's edit.
    assert_problem(client.patch(f"/api/v1/sources/{source.id}", json={"anonymous": False}, headers=editor), 422)
    cleared = client.patch(f"/api/v1/sources/{source.id}", json={"anonymous": False, "sealed_identity": None},
                           headers=editor)
    assert cleared.status_code == 200
    assert cleared.get_json()["sealed_identity"] is None and cleared.get_json()["anonymity_reason"] is None


def test_edit_affiliation_refusals(client, make, checker) -> None:
    a = make.source("A")
    b = make.source("B", affiliation_id=a.id)
    loop = assert_problem(client.patch(f"/api/v1/sources/{a.id}", json={"affiliation_id": b.id}, headers=checker), 422)
    assert loop["errors"] == {"affiliation_id": "would make a cycle"}
    itself = assert_problem(client.patch(f"/api/v1/sources/{a.id}", json={"affiliation_id": a.id}, headers=checker), 422)
    assert itself["errors"] == {"affiliation_id": "cannot be itself"}
    assert_problem(client.patch("/api/v1/sources/999999", json={"name": "X"}, headers=checker), 404)
    assert_problem(client.patch(f"/api/v1/sources/{a.id}", json={}, headers=checker), 422)


def test_readers_see_of_an_anonymous_source_what_the_reader_pages_show(client, make, published) -> None:
    ministry = make.source("Ministry of Defence", kind="government")
    official = make.source("An official", kind="person", anonymous=True, anonymity_reason="Not authorised",
                           description="Serves in the Helmand operations room", affiliation_id=ministry.id)
    claim = published(make.claim("It happened"))
    make.link(claim, official, "unconfirmed")
    make.link(claim, make.source("Spokesman", kind="person", description="Speaks for the ministry",
                                 affiliation_id=ministry.id), "asserts")
    items = client.get(f"/api/v1/claims/{claim.id}/statements").get_json()["items"]
    anonymous, named = (item["statement"]["speaker"] for item in items)
    assert anonymous["name"] == "An official" and anonymous["anonymity_reason"] == "Not authorised"
    assert anonymous["description"] == "" and "affiliation_id" not in anonymous and "url" not in anonymous
    assert named["description"] == "Speaks for the ministry" and named["affiliation_id"] == ministry.id
