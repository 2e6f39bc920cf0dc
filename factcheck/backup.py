"""Backups that are consistent while the application runs.

SQLite: the online backup API (page by page, under SQLite's own locking), never a file copy,
which can catch a write half-done or miss the WAL. PostgreSQL: ``pg_dump`` in its custom
format and ``pg_restore`` in one transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import Engine
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
