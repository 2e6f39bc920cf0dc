"""Connection settings and configuration defaults."""

from __future__ import annotations

import os
import stat
import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

import config
from factcheck.db import make_engine, writer
from factcheck.driver import first_row


def test_sqlite_pragmas(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}", busy_timeout=7)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 7000


def test_sqlite_writers_wait_for_each_other(tmp_path) -> None:
    """BEGIN IMMEDIATE: a second writer queues behind the first instead of failing."""
    engine = make_engine(f"sqlite:///{tmp_path / 'w.sqlite3'}", busy_timeout=10)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (0)"))
    errors: list[Exception] = []

    def add(n: int) -> None:
        try:
            with writer(engine).begin() as conn:
                value = conn.execute(text("SELECT n FROM t")).scalar()
                time.sleep(0.01)
                conn.execute(text("UPDATE t SET n = :v"), {"v": value + 1})
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM t")).scalar() == 8  # no lost update


def test_foreign_keys_enforced(session, dialect) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with session.begin_nested():
            session.execute(text(
                "INSERT INTO statements (speaker_id, text, kind, created_at) "
                "VALUES (999999, 'x', 'quote', CURRENT_TIMESTAMP)"
            ))


def test_secret_key_generated_once_and_private(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "instance")
    first = config.load_or_create_secret_key()
    second = config.load_or_create_secret_key()
    assert first == second and len(first) >= 40
    mode = stat.S_IMODE(os.stat(tmp_path / "instance" / "secret_key").st_mode)
    assert mode == 0o600


def test_secret_key_from_environment(monkeypatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert config.load_or_create_secret_key() == "from-env"


def test_database_url_default_and_postgres_mapping(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "inst")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url() == f"sqlite:///{tmp_path / 'inst' / 'factcheck.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    assert config.database_url() == "postgresql+psycopg://u@h/db"


def test_a_forked_child_never_uses_its_parents_pooled_connections(tmp_path) -> None:
    """gunicorn's ``preload_app`` forks workers from a process that built the engine: each
    child must start with an empty pool, and leave the parent's connections open."""
    engine = make_engine(f"sqlite:///{tmp_path / 'fork.db'}")
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    assert engine.pool.checkedin() == 1
    pid = os.fork()
    if pid == 0:  # the child: report through the exit code, never return into pytest
        os._exit(0 if engine.pool.checkedin() == 0 else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert engine.pool.checkedin() == 1  # the parent's own, untouched
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()


def test_first_row_runs_plain_sql_and_raises_sqlalchemy_errors(tmp_path) -> None:
    """``first_row`` skips SQLAlchemy's execution machinery but not its error types: callers
    tell a constraint from a lost connection as for any other statement."""
    engine = make_engine(f"sqlite:///{tmp_path / 'rows.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER PRIMARY KEY, label TEXT NOT NULL)")
        assert first_row(conn, "INSERT INTO t (n, label) VALUES (?, ?) RETURNING n", (7, "seven")) == (7,)
        assert first_row(conn, "SELECT label FROM t WHERE n = ?", (7,)) == ("seven",)
        assert first_row(conn, "SELECT label FROM t WHERE n = ?", (8,)) is None
        with pytest.raises(IntegrityError):
            first_row(conn, "INSERT INTO t (n, label) VALUES (?, ?) RETURNING n", (7, "again"))
    conn = engine.connect()
    conn.connection.dbapi_connection.close()  # as a lost connection
    with pytest.raises(DBAPIError) as lost:
        first_row(conn, "SELECT 1", ())
    assert lost.value.connection_invalidated
    conn.invalidate()
    engine.dispose()
