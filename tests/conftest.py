"""Fixtures: every database test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.

The schema is built by the Alembic migrations (never ``create_all``), once per database per
run. Each test runs inside an outer transaction that is rolled back afterwards; the
application's own commits become savepoints (``join_transaction_mode="create_savepoint"``).
Tests that need real commits across connections use ``committed_db`` instead.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from config import TestingConfig, database_url
from factcheck import create_app
from factcheck.api.ratelimit import counters_file
from factcheck.db import Database, get_database, make_engine, writer
from factcheck.migrate import upgrade
from factcheck.models import Base

from . import factories

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def postgresql_url() -> str:
    os.environ.setdefault("DATABASE_URL", "")
    saved = os.environ["DATABASE_URL"]
    os.environ["DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
    try:
        return database_url()
    finally:
        os.environ["DATABASE_URL"] = saved


def reset_postgresql(engine: Engine, schema: str = "public") -> None:
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))


@pytest.fixture(scope="session", autouse=True)
def test_files_folder() -> Iterator[Path]:
    """Every test application's file store (TestingConfig's STORAGE_DIR) goes under one folder,
    removed when the run ends: a run leaves nothing behind in the temporary directory."""
    folder = Path(tempfile.mkdtemp(prefix="factcheck-test-run-"))
    saved = os.environ.get("FACTCHECK_TEST_FILES_ROOT")
    os.environ["FACTCHECK_TEST_FILES_ROOT"] = str(folder)
    try:
        yield folder
    finally:
        if saved is None:
            os.environ.pop("FACTCHECK_TEST_FILES_ROOT", None)
        else:
            os.environ["FACTCHECK_TEST_FILES_ROOT"] = saved
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def one_person_newsroom(monkeypatch: pytest.MonkeyPatch) -> None:
    """Verdicts do not wait for a second editor's sign-off in tests that call the services
    without an application (TestingConfig says the same for the application):
    tests/test_signoff.py turns it on."""
    from factcheck.services import signoff

    monkeypatch.setattr(signoff, "DEFAULT", False)


@pytest.fixture(scope="session", params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    return postgresql_url()


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    if engine.dialect.name == "postgresql":
        reset_postgresql(engine)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def dialect(engine: Engine) -> str:
    return engine.dialect.name


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with writer(engine).connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
        yield s


@pytest.fixture
def app(db_url: str, connection: Connection) -> Flask:
    """The application, its sessions bound to the test's rolled-back connection."""
    app = create_app(TestingConfig(db_url))
    database = get_database(app)
    bound = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    database.read_sessions = bound
    database.write_sessions = bound
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def app_on(database: Database, db_url: str, **config: object) -> Flask:
    """An application on ``database``'s engine, its transactions really committing, as a server
    process of its own would be (``config`` overrides TestingConfig's settings)."""
    settings = TestingConfig(db_url)
    for name, value in config.items():
        setattr(settings, name, value)
    app = create_app(settings)
    get_database(app).engine.dispose()
    get_database(app).__init__(database.engine)  # type: ignore[misc]
    return app


@pytest.fixture
def committed_app(committed_db: Database, db_url: str) -> Flask:
    """The application on the committed database (no test transaction around it), as in
    production: what it writes is seen from every other connection."""
    return app_on(committed_db, db_url)


@pytest.fixture
def committed_db(engine: Engine, db_url: str) -> Iterator[Database]:
    """A Database whose transactions really commit; every table is emptied afterwards."""
    database = Database(engine)
    yield database
    empty_all_tables(engine)


def empty_all_tables(engine: Engine) -> None:
    """Delete every row (self-referencing tables included) and reset the id sequences."""
    tables = [t.name for t in Base.metadata.sorted_tables]
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        return
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            raw.execute("BEGIN IMMEDIATE")
            for name in tables:
                raw.execute(f"DELETE FROM {name}")
            raw.execute("COMMIT")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
    counters = counters_file(str(engine.url))  # a SQLite file keeps its rate limits beside it
    if counters is not None and counters.exists():
        with closing(sqlite3.connect(counters)) as raw, raw:
            raw.execute("DELETE FROM rate_limit_counters")


@pytest.fixture
def make(session: Session) -> factories.Factory:
    return factories.Factory(session)


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project: third-party test data unavailable")
    return SHARED


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture
def login_as(client: FlaskClient, make: factories.Factory):
    """Sign a new user of ``role`` in through the real form; returns the user."""

    def _login(role: str = "checker", **kw: object):
        user = make.user(role, **kw)
        make.session.flush()
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return _login


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token a page's form carries (fetched like a browser would)."""
    import re

    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)
