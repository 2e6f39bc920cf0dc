"""Backup and restore round-trip a populated database, every table compared."""

from __future__ import annotations

from sqlalchemy import select, text

from factcheck.backup import BackupError, backup, restore
from factcheck.demo import load_demo
from factcheck.models import Base
from factcheck.services import Actor
from factcheck.services.claims import create_claim
from factcheck.services.users import create_user

import pytest


def snapshot(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


def test_round_trip(committed_db, tmp_path) -> None:
    engine = committed_db.engine
    with committed_db.transaction() as s:
        load_demo(s)
        create_user(s, email="desk@example.org", password="a long enough password", role="editor")
    before = snapshot(engine)
    assert sum(len(rows) for rows in before.values()) > 100

    path = backup(engine, tmp_path / "factcheck.backup")
    assert path.stat().st_size > 0 and (path.stat().st_mode & 0o077) == 0

    with committed_db.transaction() as s:  # changes made after the backup…
        create_claim(s, Actor.system("t"), text="Made after the backup")
        s.execute(text("DELETE FROM audit_events"))
    assert snapshot(engine) != before

    restore(engine, path)  # …are gone after the restore
    assert snapshot(engine) == before


def test_backup_refuses_to_overwrite(committed_db, tmp_path) -> None:
    target = tmp_path / "exists"
    target.write_text("x")
    with pytest.raises(BackupError, match="already exists"):
        backup(committed_db.engine, target)


def test_restore_refuses_a_file_that_is_not_a_backup(committed_db, tmp_path) -> None:
    bogus = tmp_path / "bogus"
    bogus.write_text("not a backup at all")
    with pytest.raises(BackupError):
        restore(committed_db.engine, bogus)


def test_cli_backup_and_restore(committed_app, committed_db, tmp_path) -> None:
    app = committed_app
    with committed_db.transaction() as s:
        load_demo(s)
    before = snapshot(committed_db.engine)
    runner = app.test_cli_runner()
    path = tmp_path / "cli.backup"
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0 and "Backup written" in made.output
    again = runner.invoke(args=["backup", str(path)])
    assert again.exit_code != 0 and "already exists" in again.output
    with committed_db.transaction() as s:
        create_claim(s, Actor.system("t"), text="After the backup")
    refused = runner.invoke(args=["restore", str(path)], input="n\n")
    assert refused.exit_code != 0
    done = runner.invoke(args=["restore", str(path), "--yes"])
    assert done.exit_code == 0, done.output
    assert snapshot(committed_db.engine) == before


def test_a_backup_is_private_from_its_first_byte(committed_db, tmp_path, monkeypatch) -> None:
    """Reproduced: a backup file was world-readable (0644) while it was written."""
    import os
    import sqlite3

    import factcheck.backup as backups

    modes = []
    real_connect, real_run = sqlite3.connect, backups._run

    def watch_connect(target, *args, **kwargs):  # SQLite: the file as the backup starts writing it
        modes.append(os.stat(target).st_mode & 0o777)
        return real_connect(target, *args, **kwargs)

    def watch_run(command, env):  # PostgreSQL: the file as pg_dump is handed it
        modes.append(os.stat(command[command.index("--file") + 1]).st_mode & 0o777)
        assert all(":" not in part.split("@")[0].split("//")[-1] for part in command if "://" in part), \
            "a password on the command line"
        return real_run(command, env)

    monkeypatch.setattr(sqlite3, "connect", watch_connect)
    monkeypatch.setattr(backups, "_run", watch_run)
    os.umask(0o022)
    path = backup(committed_db.engine, tmp_path / "private.backup")
    assert modes == [0o600] and path.stat().st_mode & 0o777 == 0o600


def test_the_database_password_is_passed_in_the_environment() -> None:
    """Reproduced: the database password appeared in ``ps`` during ``pg_dump``."""
    from sqlalchemy import create_engine

    from factcheck.backup import _libpq

    url, env = _libpq(create_engine("postgresql+psycopg://user:s3cret@db.example:5432/news"))
    assert "s3cret" not in url and env["PGPASSWORD"] == "s3cret"


def test_the_sqlite_database_is_private_from_its_first_byte(tmp_path) -> None:
    """Reproduced: the SQLite database (and so a restored copy) was 0644."""
    import os

    from sqlalchemy import text as sql

    from factcheck.db import make_engine

    os.umask(0o022)
    path = tmp_path / "newsroom.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    assert path.stat().st_mode & 0o777 == 0o600  # before SQLite wrote a byte
    with engine.begin() as conn:
        conn.execute(sql("CREATE TABLE t (x INTEGER)"))
    assert path.stat().st_mode & 0o777 == 0o600
    engine.dispose()
    os.chmod(path, 0o644)  # a database made by an older version is tightened when opened
    make_engine(f"sqlite:///{path}").dispose()
    assert path.stat().st_mode & 0o777 == 0o600
