"""Backups that are consistent while the application runs.

SQLite: the online backup API (page by page, under SQLite's own locking), never a file copy,
which can catch a write half-done or miss the WAL. PostgreSQL: ``pg_dump`` in its custom
format and ``pg_restore`` in one transaction. Stored files: see "Stored files" below.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.sql import column as sql_column, table as sql_table
from sqlalchemy.engine import make_url


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The connection for pg_dump and pg_restore: the URL without its password, and the
    password in the environment (``PGPASSWORD``) — never on a command line, which ``ps``
    shows to every user of the machine."""
    url = make_url(engine.url).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return url._replace(password=None).render_as_string(hide_password=False), env  # set() keeps a None password as it was


def private_file(path: Path) -> None:
    """Create ``path`` empty and readable by its owner only (0600), before a byte is written:
    a backup holds sealed identities and password hashes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)  # whatever the umask


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def backup(engine: Engine, path: Path) -> Path:
    """Write a consistent copy of the database to ``path`` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        private_file(path)
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(path)
            try:
                raw.driver_connection.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
    elif engine.dialect.name == "postgresql":
        private_file(path)
        url, env = _libpq(engine)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), url], env)
    else:
        raise BackupError(f"No backup method for {engine.dialect.name}.")
    return path


def restore(engine: Engine, path: Path) -> None:
    """Replace the database's contents with the backup at ``path``."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if engine.dialect.name == "sqlite":
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            source.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a SQLite backup: {error}") from None
        engine.dispose()
        raw = engine.raw_connection()
        try:
            source.backup(raw.driver_connection)
        finally:
            source.close()
            raw.close()
        engine.dispose()
    elif engine.dialect.name == "postgresql":
        engine.dispose()
        url, env = _libpq(engine)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", url, str(path)], env)
    else:
        raise BackupError(f"No restore method for {engine.dialect.name}.")


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:2000]}")


# --- Stored files (factcheck/storage.py) ---------------------------------------------------
#
# The database holds what each stored file is; the file store holds the bytes. With the local
# store (a folder), ``backup`` writes the files beside the database backup: ``PATH.files.tar``
# (mode 0600), its first member a manifest naming the database backup it belongs to (by
# SHA-256) and every file in it. It is written *after* the database backup: stored files are
# never changed or deleted, and a file is stored before any row refers to it, so every file the
# database backup refers to is already in the store when the archive is made. ``restore``
# checks the archive against the database backup before changing anything — another
# backup's archive, or a damaged one, is refused — then restores the database and adds the
# archive's files to the store (files already there are kept: a file's name is its content).
#
# With an S3 bucket the files are not copied into the backup: the bucket is backed up by its
# own means (versioning, replication), and ``flask check-files`` confirms that every file the
# database refers to is in it.

#: The columns that hold a stored file's SHA-256: (table, column). A table that does not exist
#: (yet) is skipped.
STORED_FILE_COLUMNS: tuple[tuple[str, str], ...] = (("attachments", "sha256"), ("snapshots", "sha256"))
MANIFEST = "MANIFEST.json"
ARCHIVE_FORMAT = 1


def files_archive_path(database_backup: Path) -> Path:
    """Where the stored files of the database backup ``database_backup`` are written."""
    return Path(f"{database_backup}.files.tar")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def referenced_hashes(bind: Engine | Connection) -> dict[str, list[str]]:
    """Every stored file the database refers to: hash → where (``attachments``…)."""
    out: dict[str, list[str]] = {}
    names = set(inspect(bind).get_table_names())
    for table_name, column in STORED_FILE_COLUMNS:
        if table_name not in names:
            continue
        col = sql_column(column)
        query = select(col).select_from(sql_table(table_name, col)).where(col.is_not(None)).distinct()
        if isinstance(bind, Engine):
            with bind.connect() as conn:
                rows = conn.execute(query).scalars().all()
        else:
            rows = bind.execute(query).scalars().all()
        for sha in rows:
            out.setdefault(sha, []).append(table_name)
    return out


@dataclass
class FilesReport:
    """What a files backup, restore or check found."""

    path: Path | None = None
    files: int = 0
    size: int = 0
    missing: list[str] = field(default_factory=list)


def backup_files(store: object, database_backup: Path, referenced: Iterable[str] = ()) -> FilesReport:
    """Write every file of the local ``store`` to ``files_archive_path(database_backup)``;
    ``missing`` lists the ``referenced`` hashes the store does not hold."""
    from .storage import LocalStore

    if not isinstance(store, LocalStore):
        raise BackupError("Only a local file store is archived with the database; an S3 bucket is backed up "
                          "by its own versioning or replication.")
    target = files_archive_path(database_backup)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    hashes = sorted(set(store.hashes()))
    report = FilesReport(path=target, missing=sorted(set(referenced) - set(hashes)))
    sizes = {sha: store.size(sha) for sha in hashes}
    manifest = {
        "format": ARCHIVE_FORMAT,
        "database_backup": database_backup.name,
        "database_sha256": file_sha256(database_backup),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": sizes,
    }
    private_file(target)
    try:
        with tarfile.open(target, "w") as archive:
            body = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(body), 0o600
            archive.addfile(info, io.BytesIO(body))
            for sha in hashes:
                info = tarfile.TarInfo(f"files/{sha}")
                info.size, info.mode = sizes[sha], 0o600
                with store.open(sha) as source:
                    archive.addfile(info, source)
                report.files += 1
                report.size += sizes[sha]
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return report


def check_files_archive(archive_path: Path, database_backup: Path) -> dict[str, object]:
    """The archive's manifest, once the archive is shown to belong to ``database_backup`` and
    every file in it to be whole (each hashed); ``BackupError`` saying what is wrong, else."""
    try:
        with tarfile.open(archive_path, "r") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST:
                raise BackupError(f"{archive_path} is not a files archive of factcheck (no {MANIFEST} first).")
            reader = archive.extractfile(first)
            assert reader is not None
            manifest = json.loads(reader.read())
            expected = file_sha256(database_backup)
            if manifest.get("database_sha256") != expected:
                raise BackupError(
                    f"{archive_path} does not belong to {database_backup}: it was written with the database backup "
                    f"{manifest.get('database_backup')!r} of {manifest.get('created_at')}. Restore a database backup "
                    "with its own files archive (the same name, with .files.tar after it); nothing was changed.")
            listed = dict(manifest.get("files") or {})
            for member in archive:
                if member is first:
                    continue
                sha = member.name.removeprefix("files/")
                if not member.isfile() or not member.name.startswith("files/") or sha not in listed:
                    raise BackupError(f"{archive_path} holds {member.name!r}, which its manifest does not list; "
                                      "nothing was changed.")
                source = archive.extractfile(member)
                assert source is not None
                digest = hashlib.sha256()
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    digest.update(chunk)
                if digest.hexdigest() != sha:
                    raise BackupError(f"{archive_path}: the file {sha} is damaged (its content has another hash); "
                                      "nothing was changed.")
                listed.pop(sha)
            if listed:
                raise BackupError(f"{archive_path} lacks {len(listed)} file(s) its manifest lists (cut short?); "
                                  "nothing was changed.")
            return manifest
    except (tarfile.TarError, OSError, ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{archive_path} cannot be read as a files archive: {error}") from None


def restore_files(store: object, archive_path: Path) -> FilesReport:
    """Add every file of a checked archive to ``store`` (files it holds already are kept)."""
    report = FilesReport(path=archive_path)
    with tarfile.open(archive_path, "r") as archive:
        for member in archive:
            if not member.name.startswith("files/"):
                continue
            source = archive.extractfile(member)
            assert source is not None
            stored = store.put(source)  # type: ignore[attr-defined]
            if stored.sha256 != member.name.removeprefix("files/"):
                raise BackupError(f"{archive_path}: {member.name} changed while it was restored.")
            report.files += 1
            report.size += stored.size
    return report


def missing_files(store: object, referenced: Iterable[str]) -> list[str]:
    """The ``referenced`` hashes ``store`` does not hold."""
    return sorted(sha for sha in set(referenced) if not store.exists(sha))  # type: ignore[attr-defined]
