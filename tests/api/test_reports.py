"""/api/v1/reports."""

from __future__ import annotations

import hashlib

from .helpers import assert_problem

URL = "https://www.samaa.tv/news/2019/10/asim-umar"


def test_file_read_list_edit(client, make, checker) -> None:
    outlet = make.source("SAMAA Digital", kind="media")
    response = client.post("/api/v1/reports", json={"url": URL, "outlet_id": outlet.id, "title": "AQIS chief killed",
                                                    "published_at": "2019-10-08T10:00:00Z", "text": "Body\n"},
                           headers=checker)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["text_sha256"] == hashlib.sha256(b"Body\n").hexdigest() and body["text"] == "Body\n"
    assert body["published_at"].startswith("2019-10-08T10:00:00")
    listed = client.get(f"/api/v1/reports?url={URL}", headers=checker).get_json()["items"]
    assert [r["id"] for r in listed] == [body["id"]] and "text" not in listed[0]
    by_outlet = client.get(f"/api/v1/reports?outlet_id={outlet.id}", headers=checker).get_json()["items"]
    assert len(by_outlet) == 1
    read = client.get(f"/api/v1/reports/{body['id']}", headers=checker).get_json()
    assert read["text"] == "Body\n"
    edited = client.patch(f"/api/v1/reports/{body['id']}", json={"title": "Better title"}, headers=checker)
    assert edited.status_code == 200 and edited.get_json()["title"] == "Better title"


def test_report_refusals(client, checker) -> None:
    first = client.post("/api/v1/reports", json={"url": URL, "text": "Body"}, headers=checker).get_json()
    duplicate = assert_problem(client.post("/api/v1/reports", json={"url": URL}, headers=checker), 409)
    assert duplicate["url"] == URL
    other = client.post("/api/v1/reports", json={"url": URL + "-2"}, headers=checker).get_json()
    taken = assert_problem(client.patch(f"/api/v1/reports/{other['id']}", json={"url": URL}, headers=checker), 409)
    assert taken["url"] == URL
    replaced = assert_problem(client.patch(f"/api/v1/reports/{first['id']}", json={"text": "Edited"},
                                           headers=checker), 422)
    assert replaced["errors"] == {"text": "already stored"}
    stored = client.patch(f"/api/v1/reports/{other['id']}", json={"text": "Now stored"}, headers=checker)
    assert stored.status_code == 200 and stored.get_json()["text_sha256"]
    assert_problem(client.post("/api/v1/reports", json={"url": "ftp://x.example/a"}, headers=checker), 422)
    assert_problem(client.post("/api/v1/reports", json={"url": URL + "-3", "outlet_id": 999999}, headers=checker), 422)
    assert_problem(client.get("/api/v1/reports/999999", headers=checker), 404)
    assert_problem(client.get("/api/v1/reports"), 401)
