"""Evidence files on the desk and for readers: uploaded through the claim page's form (CSRF,
multipart), typed by their content, stored by hash, listed on the claim and beside their
status change, downloaded safely, shown to readers only when an editor marks them public on a
published claim — and every bad file refused with a clear message, the form kept, nothing
half stored."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import time
import zlib

import pytest
from sqlalchemy import func, select

from factcheck.models import Attachment, AuditEvent
from factcheck.services import Actor, attachments
from factcheck.services.claims import set_published
from factcheck.services.status import change_status
from factcheck.storage import LocalStore, get_store

from .conftest import csrf_token

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def pdf_of(size: int) -> bytes:
    """A PDF-signed file of ``size`` bytes."""
    return (PDF + b"%" * size)[:size]


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing in is not what is tested here: hash the test users' passwords cheaply."""
    from argon2 import PasswordHasher

    from factcheck.services import users

    monkeypatch.setattr(users, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def store(app, tmp_path) -> LocalStore:
    """The application's file store, in a folder of this test's."""
    app.config["STORAGE_DIR"] = str(tmp_path / "files")
    app.extensions.pop("factcheck.storage", None)
    return get_store(app)  # type: ignore[return-value]


@pytest.fixture
def desk(client, make, login_as, store):
    """A signed-in checker and a claim; ``upload(...)`` posts the claim page's form."""
    user = login_as("checker")
    claim = make.claim("The dam was opened on Tuesday")
    make.session.flush()

    def upload(data: bytes | None, name: str = "memo.pdf", *, description: str = "The ministry's memo",
               status_change_id: int | str = "", token: bool = True, **extra):
        token_value = csrf_token(client, f"/desk/claims/{claim.id}") if token else ""
        form = {"csrf_token": token_value, "description": description, "status_change_id": str(status_change_id),
                "anchor": "attachments", **extra}
        if data is not None:
            form["file"] = (io.BytesIO(data), name)
        return client.post(f"/desk/claims/{claim.id}/attachments", data=form, content_type="multipart/form-data")

    return user, claim, upload


def rows(session) -> list[Attachment]:
    session.expire_all()
    return list(session.scalars(select(Attachment).order_by(Attachment.id)))


def stored_files(store: LocalStore) -> list[str]:
    return list(store.hashes())


def test_a_pdf_is_attached_stored_by_hash_listed_and_audited(client, session, desk, store) -> None:
    user, claim, upload = desk
    response = upload(PDF, "Ministry memo.PDF")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/desk/claims/{claim.id}#attachments")
    [row] = rows(session)
    sha = hashlib.sha256(PDF).hexdigest()
    assert (row.sha256, row.size, row.content_type, row.filename) == (sha, len(PDF), "application/pdf", "Ministry memo.PDF")
    assert row.added_by_id == user.id and row.public is False and row.description == "The ministry's memo"
    assert stored_files(store) == [sha] and store.path(sha).read_bytes() == PDF
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment.add"))
    assert event.actor_id == user.id and event.subject_id == claim.id and event.changes["sha256"] == [None, sha]
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    section = page[page.index('id="attachments"'):]
    section = section[:section.index("</section>")]
    item = section[section.index(f'<li id="attachment-{row.id}">'):section.index("</li>")]
    assert "Ministry memo.PDF" in item and "PDF ·" in item and f"{len(PDF)} bytes" in item
    assert sha in item and user.name in item and row.added_at.strftime("%Y-%m-%d %H:%M") in item
    assert "desk only" in item


def test_the_same_file_twice_is_stored_once(session, desk, store) -> None:
    _user, _claim, upload = desk
    assert upload(png(), "a.png").status_code == 302
    assert upload(png(), "b.png").status_code == 302
    assert [r.filename for r in rows(session)] == ["a.png", "b.png"]
    assert len(stored_files(store)) == 1 and rows(session)[0].content_type == "image/png"


def test_a_file_for_a_status_change_is_listed_beside_it(client, session, desk) -> None:
    _user, claim, upload = desk
    change = change_status(session, claim, "in_review", "Checking the memo.", Actor.system("test"), claim.version)
    session.flush()
    assert upload(PDF, "memo.pdf", status_change_id=change.id).status_code == 302
    assert rows(session)[0].status_change_id == change.id
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    history = page[page.index('id="history-h"'):]
    item = history[:history.index("</li>")]  # the newest change, listed first
    assert "Checking the memo." in item and "memo.pdf" in item


def test_a_status_change_of_another_claim_is_refused(session, desk, make) -> None:
    _user, _claim, upload = desk
    other = make.claim("Another claim entirely")
    session.flush()
    response = upload(PDF, status_change_id=other.history[0].id)
    assert response.status_code == 422 and "not one of this claim" in response.get_data(as_text=True)
    assert rows(session) == []


@pytest.mark.parametrize("data, name, words", [
    (HTML_AS_PDF, "report.pdf", "its content is: HTML"),
    (EXE, "photo.jpg", "photo.jpg is not a kind of file kept as evidence (its content is: Windows Executable)"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "chart.png", "not a kind of file"),
    (b"just some words\n" * 10, "notes.pdf", "not a kind of file"),
    (b"", "empty.pdf", "is empty"),
])
def test_a_file_that_is_not_evidence_is_refused_and_nothing_is_stored(session, desk, store, data, name, words) -> None:
    _user, claim, upload = desk
    response = upload(data, name, description="Kept when refused")
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:500]
    assert words in page and "Nothing was attached" in page
    assert ">Kept when refused</textarea>" in page, "the description typed is kept"
    assert re.search(r"<details class=\"small\" open>\s*<summary>Attach a file", page), "the form is open again"
    assert rows(session) == [] and stored_files(store) == []


def test_no_file_chosen_is_refused(session, desk) -> None:
    _user, _claim, upload = desk
    response = upload(None)
    assert response.status_code == 422 and "choose a file to attach" in response.get_data(as_text=True)
    assert rows(session) == []


def test_the_upload_route_alone_takes_more_than_the_global_limit(app, session, client, desk, store) -> None:
    """MAX_CONTENT_LENGTH (2 MB) holds everywhere but the upload routes."""
    _user, claim, upload = desk
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    app.config["ATTACHMENT_MAX_BYTES"] = 5 * 1024 * 1024
    big = pdf_of(3 * 1024 * 1024)
    response = upload(big, "scan.pdf")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert rows(session)[0].size == len(big)
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    elsewhere = client.post(f"/desk/claims/{claim.id}/notes", data={"csrf_token": token, "body": "x" * (3 * 1024 * 1024)})
    assert elsewhere.status_code == 413


def test_a_file_over_the_limit_gets_a_clear_message_and_keeps_the_form(app, session, desk, store) -> None:
    _user, claim, upload = desk
    change = change_status(session, claim, "in_review", "Checking the scan.", Actor.system("test"), claim.version)
    session.flush()
    app.config["ATTACHMENT_MAX_BYTES"] = 64 * 1024
    response = upload(pdf_of(100 * 1024), "scan.pdf", description="Scanned at the office", status_change_id=change.id)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The file is larger than 64 KB, the most one evidence file may be. Nothing was attached." in page
    assert ">Scanned at the office</textarea>" in page and "Attach a file" in page
    assert f'<option value="{change.id}" selected>' in page, "the status change chosen is kept"
    assert rows(session) == [] and stored_files(store) == []
    assert upload(pdf_of(64 * 1024), "exactly.pdf").status_code == 302, "the limit itself is allowed"


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(app, session, client, desk, store) -> None:
    _user, claim, upload = desk
    app.config["ATTACHMENT_MAX_BYTES"] = 16 * 1024
    response = upload(pdf_of(3 * 1024 * 1024), "huge.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "The file is larger than 16 KB" in page and "Request Entity Too Large" not in page
    assert rows(session) == [] and stored_files(store) == []


def test_an_upload_without_the_csrf_token_stores_nothing(session, desk, store) -> None:
    _user, _claim, upload = desk
    response = upload(PDF, token=False)
    # The page that keeps a refused form (factcheck.resubmit): its words, never the file.
    assert "nothing was saved" in response.get_data(as_text=True)
    assert rows(session) == [] and stored_files(store) == []


def test_a_store_that_fails_attaches_nothing(session, desk, store, monkeypatch) -> None:
    from factcheck.storage import StorageError

    _user, _claim, upload = desk

    def broken(*_a, **_k):
        raise StorageError("the disk is full")

    monkeypatch.setattr(store, "put", broken)
    response = upload(PDF)
    assert response.status_code == 503 and "could not be stored" in response.get_data(as_text=True)
    assert rows(session) == []


def _set_cookie(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_a_download_is_an_attachment_with_a_safe_type_and_no_cookie(client, session, desk) -> None:
    _user, claim, upload = desk
    assert upload(PDF, "evil.html").status_code == 302
    [row] = rows(session)
    with client.session_transaction() as cookie:  # the idle clock is due a refresh…
        cookie["seen_at"] = int(time.time()) - 3600 + 600
    response = client.get(f"/desk/claims/{claim.id}/attachments/{row.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="evil.html.pdf"')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("sandbox;")
    assert response.headers["Content-Length"] == str(len(PDF)) and response.headers["ETag"] == f'"{row.sha256}"'
    assert _set_cookie(response) == [], "…but a download sets no cookie"
    again = client.get(f"/desk/claims/{claim.id}/attachments/{row.id}", headers={"If-None-Match": f'"{row.sha256}"'})
    assert again.status_code == 304 and again.data == b""
    assert client.get(f"/desk/claims/{claim.id}/attachments/{row.id + 1}").status_code == 404


def test_a_download_name_is_made_safe() -> None:
    row = Attachment(filename=attachments.safe_filename("../../etc/\u202epasswd\x00\r\n.PNG"), content_type="image/png")
    assert row.filename == "passwd.PNG" and attachments.download_name(row) == "passwd.png"
    from factcheck.uploads import content_disposition

    assert content_disposition("Dossier «été».pdf") == \
        "attachment; filename=\"Dossier ete.pdf\"; filename*=UTF-8''Dossier%20%C2%AB%C3%A9t%C3%A9%C2%BB.pdf"
    assert content_disposition('a"b\\c;d.pdf').startswith('attachment; filename="a_b_c_d.pdf";')


def test_readers_see_a_file_only_once_an_editor_makes_it_public_on_a_published_claim(
        app, client, session, make, desk, login_as) -> None:
    _user, claim, upload = desk
    assert upload(PDF, "memo.pdf", description="The memo, in full").status_code == 302
    [row] = rows(session)
    public_url = f"/claims/{claim.slug}/files/{row.id}"
    # A checker may not make it public.
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    refused = client.post(f"/desk/claims/{claim.id}/attachments/{row.id}/public", data={"csrf_token": token, "public": "1"})
    assert refused.status_code == 403 and rows(session)[0].public is False
    set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
    session.flush()
    reader = app.test_client()
    assert reader.get(public_url).status_code == 404, "private, though the claim is published"
    assert "memo.pdf" not in reader.get(f"/claims/{claim.slug}").get_data(as_text=True)

    client.post("/logout", data={"csrf_token": csrf_token(client, f"/desk/claims/{claim.id}")})
    editor = login_as("editor")
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    made = client.post(f"/desk/claims/{claim.id}/attachments/{row.id}/public", data={"csrf_token": token, "public": "1"})
    assert made.status_code == 302
    assert rows(session)[0].public is True and rows(session)[0].public_changed_by_id == editor.id
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "attachment.publish"))
    assert event.actor_id == editor.id and event.changes == {"public": [False, True]}
    page = reader.get(f"/claims/{claim.slug}").get_data(as_text=True)
    assert "memo.pdf" in page and "The memo, in full" in page and row.sha256[:12] in page
    got = reader.get(public_url)
    assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment;") and _set_cookie(got) == []
    assert got.headers["Content-Security-Policy"].startswith("sandbox;")
    assert reader.get(f"/claims/another-claim/files/{row.id}").status_code == 404

    # Unpublished claim: gone for readers, though still marked public.
    set_published(session, claim, Actor.system("test"), published=False, expected_version=claim.version)
    session.flush()
    assert reader.get(public_url).status_code == 404
    set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
    session.flush()
    assert reader.get(public_url).status_code == 200

    token = csrf_token(client, f"/desk/claims/{claim.id}")
    hidden = client.post(f"/desk/claims/{claim.id}/attachments/{row.id}/public", data={"csrf_token": token, "public": "0"})
    assert hidden.status_code == 302 and rows(session)[0].public is False
    assert session.scalar(select(func.count()).where(AuditEvent.action == "attachment.unpublish")) == 1
    assert reader.get(public_url).status_code == 404
    assert "memo.pdf" not in reader.get(f"/claims/{claim.slug}").get_data(as_text=True)


def test_only_editors_may_mark_a_file_public_whatever_the_interface(session, make) -> None:
    from factcheck.errors import Forbidden

    claim = make.claim("A claim with evidence")
    row = Attachment(claim_id=claim.id, sha256="a" * 64, size=1, content_type="application/pdf", filename="x.pdf",
                     description="", public=False, via="web", added_at=claim.created_at)
    session.add(row)
    session.flush()
    with pytest.raises(Forbidden):
        attachments.set_public(session, row, make.actor("checker"), public=True)
    assert attachments.set_public(session, row, make.actor("editor"), public=True) is True
    assert attachments.set_public(session, row, make.actor("editor"), public=True) is False, "no change, no event"


@pytest.mark.parametrize("head, expected", [
    (PDF, "application/pdf"),
    (png(), "image/png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 20, "image/jpeg"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 30, "image/webp"),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00" + b"\x00" * 40, "audio/mpeg"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 30, "audio/wav"),
    (b"fLaC\x00\x00\x00\x22" + b"\x00" * 40, "audio/flac"),
    (b"OggS\x00\x02" + b"\x00" * 40, "audio/ogg"),
    (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 40, "video/mp4"),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 40, "video/quicktime"),
    (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
     + b"\x42\x87\x81\x04" + b"\x00" * 40, "video/webm"),
    (HTML_AS_PDF, None),
    (EXE, None),
    (b"PK\x03\x04" + b"\x00" * 40, None),
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", None),
])
def test_types_are_read_from_the_content(head, expected) -> None:
    kept, _what = attachments.sniff(head)
    assert (kept.content_type if kept else None) == expected


def _configuration(tmp_path, **environment: str) -> dict:
    """The production configuration's file settings, read by a fresh interpreter (they are read
    when ``config`` is imported) with only ``environment`` set among the application's own."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FACTCHECK_", "AWS_"))}
    clean |= {"FACTCHECK_INSTANCE": str(tmp_path / "instance"), "SECRET_KEY": "k", **environment}
    program = ("import json, config; from factcheck.storage import store_from_config; c = config.Config(); "
               "s = store_from_config({k: getattr(c, k) for k in dir(c) if k.isupper()}); "
               "print(json.dumps({'limit': c.ATTACHMENT_MAX_BYTES, 'backend': c.STORAGE_BACKEND, "
               "'store': type(s).__name__, 'root': str(getattr(s, 'root', ''))}))")
    out = subprocess.run([sys.executable, "-c", program], cwd=root, env=clean, capture_output=True, text=True,
                         timeout=60, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_by_default_files_are_kept_in_a_folder_under_instance_at_most_25_mb_each(tmp_path) -> None:
    settings = _configuration(tmp_path)
    assert settings == {"limit": 25 * 1024 * 1024, "backend": "local", "store": "LocalStore",
                        "root": str(tmp_path / "instance" / "files")}


def test_the_limit_and_the_store_are_configurable(tmp_path) -> None:
    settings = _configuration(tmp_path, FACTCHECK_ATTACHMENT_MAX_MB="100", FACTCHECK_STORAGE_DIR=str(tmp_path / "nas"))
    assert settings["limit"] == 100 * 1024 * 1024 and settings["root"] == str(tmp_path / "nas")
    settings = _configuration(tmp_path, FACTCHECK_ATTACHMENT_MAX_MB="0.5", FACTCHECK_STORAGE="s3",
                              FACTCHECK_S3_BUCKET="newsroom-files", FACTCHECK_S3_REGION="eu-west-1")
    assert settings["limit"] == 512 * 1024 and (settings["backend"], settings["store"]) == ("s3", "S3Store")
