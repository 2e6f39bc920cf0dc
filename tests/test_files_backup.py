"""Backups carry the stored files (local store): ``backup`` writes them beside the database
backup, ``restore`` brings them back and refuses another backup's files or a damaged archive
before changing anything; ``check-files`` finds what the database refers to and the store
lacks. With an S3 bucket, ``backup`` says how the files are backed up instead."""

from __future__ import annotations

import io
import tarfile

import pytest
from sqlalchemy import func, select

from factcheck.models import Attachment, Claim
from factcheck.services import Actor
from factcheck.services.attachments import add_attachment
from factcheck.services.claims import create_claim
from factcheck.storage import S3Store, get_store
from tests.test_attachments import PDF, png
from tests.test_storage import aws_credentials, new_bucket, s3_endpoint  # noqa: F401  (fixtures)


@pytest.fixture
def files_app(committed_app, tmp_path):
    committed_app.config["STORAGE_DIR"] = str(tmp_path / "files")
    committed_app.extensions.pop("factcheck.storage", None)
    return committed_app


def attach(app, database, data: bytes, name: str, text: str = "A claim with evidence") -> str:
    store = get_store(app)
    with app.app_context(), database.transaction() as session:
        claim = create_claim(session, Actor.system("test"), text=text)
        row = add_attachment(session, claim, Actor.system("test"), stream=io.BytesIO(data), filename=name,
                             store=store, limit=10**7)
        return row.sha256


def count(database, model) -> int:
    with database.read_sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_backup_and_restore_carry_the_stored_files(files_app, committed_db, tmp_path) -> None:
    sha = attach(files_app, committed_db, PDF, "memo.pdf")
    runner = files_app.test_cli_runner()
    backup = tmp_path / "nightly.backup"
    made = runner.invoke(args=["backup", str(backup)])
    assert made.exit_code == 0, made.output
    archive = tmp_path / "nightly.backup.files.tar"
    assert f"Stored files: 1 ({len(PDF)} bytes) written to {archive}" in made.output
    assert archive.stat().st_mode & 0o777 == 0o600
    assert runner.invoke(args=["backup", str(backup)]).exit_code != 0, "never overwrites"

    # Disaster: the file is lost, and the database moved on.
    store = get_store(files_app)
    store.path(sha).unlink()
    attach(files_app, committed_db, png(), "later.png", "Entered after the backup")
    check = runner.invoke(args=["check-files"])
    assert check.exit_code != 0 and f"missing  {sha}  (referred to by attachments)" in check.output
    assert "1 of the 2 files the database refers to are not in the local folder" in check.output

    done = runner.invoke(args=["restore", str(backup), "--yes"])
    assert done.exit_code == 0, done.output
    assert f"Stored files: 1 restored from {archive}" in done.output and "Warning" not in done.output
    assert store.path(sha).read_bytes() == PDF
    assert count(committed_db, Attachment) == 1 and count(committed_db, Claim) == 1
    fine = runner.invoke(args=["check-files"])
    assert fine.exit_code == 0 and "All 1 files the database refers to are in the local folder" in fine.output
    assert "1 more stored files are referred to by nothing" in fine.output  # the later PNG: kept, not deleted


def test_restore_refuses_another_backups_files_before_changing_anything(files_app, committed_db, tmp_path) -> None:
    attach(files_app, committed_db, PDF, "memo.pdf")
    runner = files_app.test_cli_runner()
    first, second = tmp_path / "monday.backup", tmp_path / "tuesday.backup"
    assert runner.invoke(args=["backup", str(first)]).exit_code == 0
    attach(files_app, committed_db, png(), "photo.png", "Entered on Tuesday")
    assert runner.invoke(args=["backup", str(second)]).exit_code == 0
    (tmp_path / "tuesday.backup.files.tar").unlink()
    (tmp_path / "monday.backup.files.tar").rename(tmp_path / "tuesday.backup.files.tar")
    attach(files_app, committed_db, b"%PDF-1.7 Wednesday", "wednesday.pdf", "Entered on Wednesday")

    refused = runner.invoke(args=["restore", str(second), "--yes"])
    assert refused.exit_code != 0
    assert "does not belong to" in refused.output and "monday.backup" in refused.output
    assert "nothing was changed" in refused.output
    assert count(committed_db, Claim) == 3, "the database was left as it was"


def test_restore_refuses_a_damaged_archive(files_app, committed_db, tmp_path) -> None:
    attach(files_app, committed_db, PDF, "memo.pdf")
    runner = files_app.test_cli_runner()
    backup = tmp_path / "b.backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    archive = tmp_path / "b.backup.files.tar"
    raw = bytearray(archive.read_bytes())
    at = bytes(raw).index(b"%PDF-1.4")
    raw[at + 2] ^= 0xFF  # one byte of the file, changed
    archive.write_bytes(bytes(raw))
    attach(files_app, committed_db, png(), "after.png", "After the backup")
    refused = runner.invoke(args=["restore", str(backup), "--yes"])
    assert refused.exit_code != 0 and "is damaged" in refused.output and count(committed_db, Claim) == 2
    archive.write_bytes(b"not a tar file at all")
    refused = runner.invoke(args=["restore", str(backup), "--yes"])
    assert refused.exit_code != 0 and "cannot be read as a files archive" in refused.output


def test_a_restore_without_its_files_says_what_is_missing(files_app, committed_db, tmp_path) -> None:
    sha = attach(files_app, committed_db, PDF, "memo.pdf")
    runner = files_app.test_cli_runner()
    backup = tmp_path / "b.backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    (tmp_path / "b.backup.files.tar").unlink()
    get_store(files_app).path(sha).unlink()
    done = runner.invoke(args=["restore", str(backup), "--yes"])
    assert done.exit_code == 0
    assert "Warning: 1 file(s) the restored database refers to are not in the local folder" in done.output


def test_the_archive_holds_a_manifest_and_every_file(files_app, committed_db, tmp_path) -> None:
    shas = {attach(files_app, committed_db, PDF, "memo.pdf"), attach(files_app, committed_db, png(), "p.png", "Two")}
    runner = files_app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "b.backup")]).exit_code == 0
    with tarfile.open(tmp_path / "b.backup.files.tar") as archive:
        names = archive.getnames()
    assert names[0] == "MANIFEST.json" and sorted(names[1:]) == sorted(f"files/{s}" for s in shas)


def test_with_a_bucket_backup_says_how_the_files_are_kept(committed_app, committed_db, tmp_path, s3_endpoint,
                                                          aws_credentials, unique) -> None:
    bucket = f"backup-{unique}"
    new_bucket(s3_endpoint, bucket)
    committed_app.extensions["factcheck.storage"] = S3Store(bucket, endpoint_url=s3_endpoint, region="us-east-1")
    sha = attach(committed_app, committed_db, PDF, "memo.pdf")
    runner = committed_app.test_cli_runner()
    made = runner.invoke(args=["backup", str(tmp_path / "b.backup")])
    assert made.exit_code == 0, made.output
    assert f"Stored files (1 referenced) are in the S3 bucket {bucket}" in made.output
    assert "versioning or replication" in made.output and "check-files" in made.output
    assert not (tmp_path / "b.backup.files.tar").exists()
    assert runner.invoke(args=["check-files"]).exit_code == 0
    import boto3

    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    s3.delete_object(Bucket=bucket, Key=f"{sha[:2]}/{sha[2:4]}/{sha}")
    missing = runner.invoke(args=["check-files"])
    assert missing.exit_code != 0 and sha in missing.output
