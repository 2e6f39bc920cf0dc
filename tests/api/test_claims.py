"""/api/v1/claims: list with the queue's filters, read, create, edit, publish."""

from __future__ import annotations

from sqlalchemy import func, select

from factcheck.models import Claim, Status, StatusChange
from factcheck.services import Actor
from factcheck.services.status import change_status

from .helpers import assert_problem, if_match


def test_readers_list_only_published_claims(client, make, published) -> None:
    shown = published(make.claim("Published one"))
    make.claim("Still on the desk")
    body = client.get("/api/v1/claims").get_json()
    assert [c["slug"] for c in body["items"]] == [shown.slug]
    # Asking for unpublished claims changes nothing for a reader.
    again = client.get("/api/v1/claims?published=false").get_json()
    assert [c["slug"] for c in again["items"]] == [shown.slug]


def test_desk_lists_every_claim_with_desk_fields(client, make, checker, published) -> None:
    published(make.claim("Published one"))
    make.claim("Still on the desk")
    body = client.get("/api/v1/claims", headers=checker).get_json()
    assert len(body["items"]) == 2
    assert {"priority", "assignee", "deadline", "last_activity_at"} <= body["items"][0].keys()


def test_readers_do_not_see_desk_fields(client, make, published) -> None:
    claim = published(make.claim("Published one", context="Came up on the desk's chat"))
    item = client.get(f"/api/v1/claims/{claim.id}").get_json()
    assert item["status"] == "unverified" and item["published"] is True
    assert item["url"].endswith(f"/claims/{claim.slug}")
    for desk in ("context", "priority", "assignee", "deadline", "next_review_on", "last_activity_at"):
        assert desk not in item
    assert set(item["flags"]) == {"contested", "single_source", "anonymous_only"}


def test_readers_may_not_sort_or_filter_by_desk_fields(client, make, published) -> None:
    published(make.claim("Published one"))
    assert client.get("/api/v1/claims?sort=age&tag=x&status=unverified").status_code == 200
    for query in ("sort=priority", "sort=deadline", "assignee=none", "stale=true", "overdue=false"):
        assert "token" in assert_problem(client.get(f"/api/v1/claims?{query}"), 401)["detail"]


def test_filters_of_the_queue(client, session, make, checker) -> None:
    a = make.claim("Alpha", tags=["afghanistan"])
    b = make.claim("Beta")
    change_status(session, b, "in_review", "Looking", Actor.system("test"), b.version)
    session.flush()

    def slugs(query: str) -> list[str]:
        response = client.get(f"/api/v1/claims?{query}", headers=checker)
        assert response.status_code == 200, response.get_json()
        return sorted(c["slug"] for c in response.get_json()["items"])

    assert slugs("status=in_review") == [b.slug]
    assert slugs("status=in_review&status=unverified") == sorted([a.slug, b.slug])
    assert slugs("tag=afghanistan") == [a.slug]
    assert slugs("assignee=none") == sorted([a.slug, b.slug])
    assert slugs("contested=true") == []


def test_keyset_pages_with_an_opaque_cursor(client, make, checker) -> None:
    made = [make.claim(f"Claim about thing {n}") for n in range(5)]
    seen: list[int] = []
    url = "/api/v1/claims?sort=age&limit=2"
    while url:
        response = client.get(url, headers=checker)
        body = response.get_json()
        seen += [c["id"] for c in body["items"]]
        if body["next_cursor"]:
            link = response.headers["Link"]
            assert link.endswith('rel="next"') and "cursor=" in link and "sort=age" in link
            url = link[1 : link.index(">")]
        else:
            assert "Link" not in response.headers
            url = ""
    assert seen == [c.id for c in made]


def test_bad_list_arguments_are_422_field_by_field(client, checker) -> None:
    body = assert_problem(client.get("/api/v1/claims?sort=random&limit=0&status=maybe", headers=checker), 422)
    assert {"sort", "limit", "status.0"} <= body["errors"].keys()
    cursor = assert_problem(client.get("/api/v1/claims?cursor=not-a-cursor", headers=checker), 422)
    assert "cursor" in cursor["errors"]


def test_read_sends_etag_and_honours_if_none_match(client, make, checker) -> None:
    claim = make.claim("Read me")
    response = client.get(f"/api/v1/claims/{claim.id}", headers=checker)
    assert response.status_code == 200
    assert response.headers["ETag"] == f'"{claim.version}"'
    assert response.get_json()["version"] == claim.version
    again = client.get(f"/api/v1/claims/{claim.id}", headers={**checker, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_unpublished_claim_is_not_found_for_readers(client, make, checker) -> None:
    claim = make.claim("Secret for now")
    body = assert_problem(client.get(f"/api/v1/claims/{claim.id}"), 404)
    assert body["detail"] == assert_problem(client.get("/api/v1/claims/999999"), 404)["detail"].replace(
        "999999", str(claim.id)
    )
    assert client.get(f"/api/v1/claims/{claim.id}", headers=checker).status_code == 200


def test_create_claim(client, session, checker) -> None:
    response = client.post("/api/v1/claims", json={"text": "Asim Umar was killed in Musa Qala", "tags": ["AQIS"]},
                           headers=checker)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "unverified" and body["version"] == 1 and body["tags"] == ["aqis"]
    assert response.headers["Location"].endswith(f"/api/v1/claims/{body['id']}")
    assert response.headers["ETag"] == '"1"'
    history = session.scalars(select(StatusChange).where(StatusChange.claim_id == body["id"])).all()
    assert [(h.to_status, h.via) for h in history] == [(Status.UNVERIFIED, "api")]


def test_create_claim_refusals(client, session, make, checker) -> None:
    before = session.scalar(select(func.count()).select_from(Claim))
    missing = assert_problem(client.post("/api/v1/claims", json={}, headers=checker), 422)
    assert "text" in missing["errors"]
    unknown = assert_problem(client.post("/api/v1/claims", json={"text": "x", "colour": "red"}, headers=checker), 422)
    assert unknown["errors"] == {"colour": "Unknown field."}
    blank = assert_problem(client.post("/api/v1/claims", json={"text": "   "}, headers=checker), 422)
    assert blank["errors"] == {"text": "is required"}
    wrong_type = assert_problem(client.post("/api/v1/claims", json={"text": 5}, headers=checker), 422)
    assert "text" in wrong_type["errors"]
    make.claim("Taken", slug="taken")
    assert_problem(client.post("/api/v1/claims", json={"text": "x", "slug": "taken"}, headers=checker), 409)
    assert session.scalar(select(func.count()).select_from(Claim)) == before + 1  # only "taken"


def test_edit_with_if_match(client, make, checker) -> None:
    claim = make.claim("Original words")
    response = client.patch(f"/api/v1/claims/{claim.id}", json={"text": "Better words"},
                            headers={**checker, **if_match(claim.version)})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["text"] == "Better words"
    assert response.headers["ETag"] == f'"{claim.version + 1}"'


def test_edit_with_version_field(client, make, checker) -> None:
    claim = make.claim("Original words")
    response = client.patch(f"/api/v1/claims/{claim.id}", json={"context": "Why", "version": claim.version},
                            headers=checker)
    assert response.status_code == 200
    assert response.get_json()["context"] == "Why"


def test_stale_if_match_is_412_and_stale_version_is_409(client, session, make, checker) -> None:
    claim = make.claim("Original words")
    old = claim.version
    change_status(session, claim, "in_review", "Someone else moved it", Actor.system("test"), old)
    session.flush()
    failed = assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"text": "Mine"},
                                         headers={**checker, **if_match(old)}), 412)
    assert failed["current_version"] == old + 1 and failed["current_status"] == "in_review"
    conflict = assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"text": "Mine", "version": old},
                                           headers=checker), 409)
    assert conflict["current_version"] == old + 1 and conflict["current_status"] == "in_review"
    session.refresh(claim)
    assert claim.text == "Original words"


def test_edit_without_a_version_is_428(client, make, checker) -> None:
    claim = make.claim("Original words")
    assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"text": "Mine"}, headers=checker), 428)
    assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"text": "Mine"},
                                headers={**checker, "If-Match": "*"}), 428)


def test_if_match_that_is_not_an_etag_is_412(client, make, checker) -> None:
    claim = make.claim("Original words")
    for header in ("1", "W/\"1\"", "garbage", '"01"'):
        assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"text": "Mine"},
                                    headers={**checker, "If-Match": header}), 412)


def test_if_match_and_version_must_agree(client, make, checker) -> None:
    claim = make.claim("Original words")
    body = assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"text": "Mine", "version": 7},
                                       headers={**checker, **if_match(claim.version)}), 422)
    assert "version" in body["errors"]


def test_empty_edit_is_422(client, make, checker) -> None:
    claim = make.claim("Original words")
    body = assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"version": claim.version},
                                       headers=checker), 422)
    assert "body" in body["errors"]


def test_desk_fields_and_publishing_are_for_editors(client, make, checker, editor) -> None:
    claim = make.claim("Original words")
    refused = assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"published": True},
                                          headers={**checker, **if_match(claim.version)}), 403)
    assert "editor" in refused["detail"]
    assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"priority": 3},
                                headers={**checker, **if_match(claim.version)}), 403)
    response = client.patch(f"/api/v1/claims/{claim.id}",
                            json={"priority": 3, "deadline": "2030-01-01T12:00:00+05:00", "published": True},
                            headers={**editor, **if_match(claim.version)})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["priority"] == 3 and body["published"] is True
    assert body["deadline"].startswith("2030-01-01T07:00:00")
    assert response.headers["ETag"] == f'"{body["version"]}"'
    # Now readers see it.
    assert client.get(f"/api/v1/claims/{claim.id}").status_code == 200


def test_one_rule_for_dates_and_times(client, make, editor) -> None:
    """A time without an offset is UTC, as in the desk's forms (services.validation.parse_when);
    a time out of range or not a time is refused field by field."""
    claim = make.claim("Original words")
    naive = client.patch(f"/api/v1/claims/{claim.id}", json={"deadline": "2030-01-01T12:00:00"},
                         headers={**editor, **if_match(claim.version)})
    assert naive.status_code == 200 and naive.get_json()["deadline"] == "2030-01-01T12:00:00+00:00"
    for bad in ("2030-13-01T12:00:00", "0001-01-01T00:00:00Z", "tomorrow"):
        body = assert_problem(client.patch(f"/api/v1/claims/{claim.id}", json={"deadline": bad},
                                           headers={**editor, **if_match(claim.version + 1)}), 422)
        assert "deadline" in body["errors"]


def test_unknown_claim_is_404(client, checker) -> None:
    assert_problem(client.patch("/api/v1/claims/424242", json={"text": "x", "version": 1}, headers=checker), 404)
    assert_problem(client.get("/api/v1/claims/424242", headers=checker), 404)


def test_next_link_keeps_odd_query_parameters_as_they_are(client, make, checker) -> None:
    for n in range(3):
        make.claim(f"Claim about thing {n}")
    response = client.get("/api/v1/claims?sort=age&limit=1&endpoint=x&_external=1&status=unverified&status=in_review",
                          headers=checker)
    assert response.status_code == 200
    link = response.headers["Link"]
    assert link.startswith("</api/v1/claims?") and "endpoint=x" in link and "_external=1" in link
    assert "status=unverified&status=in_review" in link
