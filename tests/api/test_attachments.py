"""Evidence files through the JSON API: multipart upload with a bearer token, the same refusals
as the desk (as problem details), readers' view of public files only, an editor's public mark."""

from __future__ import annotations

import hashlib
import io

import pytest
from sqlalchemy import select

from factcheck.models import Attachment, AuditEvent
from factcheck.storage import get_store
from tests.test_attachments import EXE, HTML_AS_PDF, PDF, pdf_of, png


@pytest.fixture
def store(app, tmp_path):
    app.config["STORAGE_DIR"] = str(tmp_path / "files")
    app.extensions.pop("factcheck.storage", None)
    return get_store(app)


def post_file(client, claim_id: int, headers, data: bytes | None, name: str = "memo.pdf", **fields):
    form = {k: str(v) for k, v in fields.items()}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return client.post(f"/api/v1/claims/{claim_id}/attachments", data=form, headers=headers,
                       content_type="multipart/form-data")


def test_a_token_uploads_a_file_and_the_desk_lists_it(client, session, make, checker, store) -> None:
    claim = make.claim("The bridge was closed")
    session.flush()
    response = post_file(client, claim.id, checker, png(), "bridge.png", description="Photo of the sign")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    sha = hashlib.sha256(png()).hexdigest()
    assert body["sha256"] == sha and body["content_type"] == "image/png" and body["size"] == len(png())
    assert body["filename"] == "bridge.png" and body["public"] is False and body["added_by"]["name"]
    assert response.headers["Location"] == body["download_url"]
    assert list(store.hashes()) == [sha]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment.add"))
    assert event is not None and event.subject_id == claim.id
    listed = client.get(f"/api/v1/claims/{claim.id}/attachments", headers=checker).get_json()["items"]
    assert [item["id"] for item in listed] == [body["id"]]
    got = client.get(body["download_url"], headers=checker)
    assert got.status_code == 200 and got.data == png() and got.mimetype == "image/png"
    assert got.headers["Content-Disposition"].startswith('attachment; filename="bridge.png"')


@pytest.mark.parametrize("data, status, field", [(HTML_AS_PDF, 422, "file"), (EXE, 422, "file"), (b"", 422, "file"),
                                                 (None, 422, "file")])
def test_bad_files_are_refused_as_problems(client, session, make, checker, store, data, status, field) -> None:
    claim = make.claim("A claim")
    session.flush()
    response = post_file(client, claim.id, checker, data)
    assert response.status_code == status and response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]
    assert session.scalar(select(Attachment)) is None and list(store.hashes()) == []


def test_a_file_over_the_limit_is_a_413_problem(app, client, session, make, checker, store) -> None:
    claim = make.claim("A claim")
    session.flush()
    app.config["ATTACHMENT_MAX_BYTES"] = 32 * 1024
    response = post_file(client, claim.id, checker, pdf_of(40 * 1024))
    assert response.status_code == 413 and response.mimetype == "application/problem+json"
    assert "larger than 32 KB" in response.get_json()["detail"]
    far = post_file(client, claim.id, checker, pdf_of(1024 * 1024 + 80 * 1024))
    assert far.status_code == 413 and "larger than 32 KB" in far.get_json()["detail"]
    assert session.scalar(select(Attachment)) is None and list(store.hashes()) == []


def test_an_upload_needs_a_token_and_a_claim(client, session, make, checker, store) -> None:
    claim = make.claim("A claim")
    session.flush()
    assert post_file(client, claim.id, {}, PDF).status_code == 401
    assert post_file(client, claim.id + 1000, checker, PDF).status_code == 404
    bad = post_file(client, claim.id, checker, PDF, status_change_id="seven")
    assert bad.status_code == 422 and "status_change_id" in bad.get_json()["errors"]
    assert list(store.hashes()) == []


def test_readers_see_public_files_of_published_claims_only(client, session, make, checker, editor, published,
                                                          store) -> None:
    claim = make.claim("A claim with a public memo")
    session.flush()
    first = post_file(client, claim.id, checker, PDF).get_json()
    second = post_file(client, claim.id, checker, png(), "photo.png").get_json()
    assert client.get(f"/api/v1/claims/{claim.id}/attachments").status_code == 404, "unpublished"
    refused = client.post(f"/api/v1/claims/{claim.id}/attachments/{first['id']}/public", headers=checker,
                          json={"public": True})
    assert refused.status_code == 403
    made = client.post(f"/api/v1/claims/{claim.id}/attachments/{first['id']}/public", headers=editor,
                       json={"public": True})
    assert made.status_code == 200 and made.get_json()["public"] is True
    assert client.get(first["download_url"]).status_code == 404, "public, but the claim is not published"
    published(claim)
    items = client.get(f"/api/v1/claims/{claim.id}/attachments").get_json()["items"]
    assert [i["id"] for i in items] == [first["id"]] and "added_by" not in items[0]
    assert client.get(first["download_url"]).data == PDF
    assert client.get(second["download_url"]).status_code == 404
    assert client.post(f"/api/v1/claims/{claim.id}/attachments/{first['id']}/public", headers=editor,
                       json={"public": "maybe"}).status_code == 422
