"""While the database cannot be reached, every route answers 503 with Retry-After (a page,
or a problem under /api/), never a 500; ``/healthz`` says the database is down; and the same
application answers as usual once the database is back (``factcheck.outage``).

The outages are real: a PostgreSQL reached through a TCP proxy that the test stops and
starts again, a closed port, and a SQLite file in a directory that does not exist (yet)."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import IntegrityError, OperationalError

from config import TestingConfig
from factcheck import create_app, outage
from factcheck.db import get_database, make_engine
from factcheck.migrate import upgrade
from factcheck.outage import BUSY, UNREACHABLE, diagnose

SIGNED_IN = {"uid": 1, "nonce": "n", "sid": "s", "login_at": 2_000_000_000, "seen_at": 2_000_000_000}


_MADE: list[Flask] = []


def outage_app(url: str) -> Flask:
    """A server process's application on ``url``, its outage handling on, its health looked at
    on every request (no one-second memory), and errors answered as in production."""
    app = create_app(TestingConfig(url))
    app.config.update(PROPAGATE_EXCEPTIONS=False, HEALTH_CHECK_SECONDS=0, WTF_CSRF_ENABLED=False)
    outage.init_app(app)
    _MADE.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    """Each application's connections closed after its test (the pool's, and the thread's own
    of ``factcheck.direct``)."""
    yield
    while _MADE:
        app = _MADE.pop()
        held = app.extensions.get("factcheck.direct")
        if held is not None:
            held.discard()
        get_database(app).engine.dispose()


def _sample_url(rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__  # noqa: SLF001 - to pick a sample value
        values[name] = 1 if "Integer" in converter or "Id" in converter else (
            "app.css" if name == "filename" else "a-claim")
    return rule.build(values, append_unknown=False)[1]


def sweep(app: Flask) -> dict[str, int]:
    """Every route, every method it has, anonymous and signed in (a session cookie, a bearer
    token): the status of each; a 5xx other than 503, or a 503 without Retry-After, fails."""
    anonymous, signed_in = app.test_client(), app.test_client()
    with signed_in.session_transaction() as session:
        session.update(SIGNED_IN)
    token = {"Authorization": "Bearer not-checked-before-the-database-answers"}
    seen: dict[str, int] = {}
    failures = []
    for rule in app.url_map.iter_rules():
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who, client, headers in (("anonymous", anonymous, {}), ("signed in", signed_in, token)):
                json = {"text": "A claim."} if method != "GET" and url.startswith("/api/") else None
                response = client.open(url, method=method, headers=headers, json=json)
                response.close()  # a static file's, for one
                seen[f"{method} {url} {who}"] = response.status_code
                if response.status_code >= 500 and response.status_code != 503:
                    failures.append(f"{method} {url} ({who}): {response.status_code}")
                elif response.status_code == 503 and response.headers.get("Retry-After") != "5":
                    failures.append(f"{method} {url} ({who}): 503 without Retry-After")
    assert not failures, "\n".join(failures)
    return seen


def assert_unavailable(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/claims")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5" and page.mimetype == "text/html"
    assert "The database cannot be reached just now" in page.get_data(as_text=True)
    problem = client.get("/api/v1/claims", headers={"Authorization": "Bearer whatever"})
    assert problem.status_code == 503 and problem.mimetype == "application/problem+json"
    assert problem.get_json()["detail"].startswith("The database cannot be reached just now")
    write = client.post("/api/v1/claims", json={"text": "A claim."}, headers={"Authorization": "Bearer x"})
    assert write.status_code == 503 and write.headers["Retry-After"] == "5"
    assert write.get_json()["detail"].startswith("The database cannot be reached just now")
    health = client.get("/healthz")
    assert health.status_code == 503 and health.headers["Retry-After"] == "5"
    assert health.get_json()["database"] == "unreachable" and health.get_json()["status"] == "unavailable"


def assert_available(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/claims").status_code == 200
    assert client.get("/api/v1/claims", headers={"Authorization": "Bearer whatever"}).status_code == 401
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_data(as_text=True) == "ok"


# --- PostgreSQL ----------------------------------------------------------------------------------


class Proxy:
    """A TCP proxy on 127.0.0.1 to ``upstream``: ``stop`` closes it and every connection through
    it, as a database host gone from the network would; ``start`` opens it again, same port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread, frees the port
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


@pytest.fixture
def postgresql_url(engine: Engine, db_url: str) -> str:
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL outage (TEST_DATABASE_URL)")
    return db_url


@pytest.fixture
def proxy(postgresql_url: str) -> Iterator[Proxy]:
    url = make_url(postgresql_url)
    running = Proxy((url.host or "127.0.0.1", url.port or 5432))
    running.start()
    yield running
    running.stop()


def test_postgresql_outage_is_503_everywhere_and_the_app_recovers(postgresql_url, proxy) -> None:
    url = make_url(postgresql_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    app = outage_app(url)
    assert_available(app)  # connections are open and pooled now

    proxy.stop()
    started = time.monotonic()
    assert_unavailable(app)
    statuses = sweep(app)
    assert time.monotonic() - started < 60  # a refused connection is answered at once, not timed out
    assert sum(code == 503 for code in statuses.values()) > 40, statuses

    proxy.start()  # the database is back: the same application, nothing restarted
    assert_available(app)


def test_a_closed_port_is_503_from_the_first_request(postgresql_url) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = outage_app(make_url(postgresql_url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False))
    assert_unavailable(app)
    sweep(app)


# --- SQLite ------------------------------------------------------------------------------------


@pytest.fixture
def sqlite_only(dialect: str) -> None:
    if dialect != "sqlite":
        pytest.skip("a SQLite file (runs once, with the SQLite parameter)")


def test_sqlite_file_that_cannot_be_opened_is_503_and_the_app_recovers(sqlite_only, tmp_path: Path) -> None:
    path = tmp_path / "not-yet" / "factcheck.sqlite3"  # its directory does not exist
    app = outage_app(f"sqlite:///{path}")
    assert_unavailable(app)
    statuses = sweep(app)
    assert sum(code == 503 for code in statuses.values()) > 40, statuses

    path.parent.mkdir()  # the volume is mounted again
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    assert_available(app)


# --- a commit that fails because the database went away -----------------------------------------


def test_a_commit_that_meets_an_outage_is_503_not_the_views_200(sqlite_only, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "factcheck.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    app = outage_app(f"sqlite:///{path}")

    @app.post("/test-only/write")
    def _write() -> str:
        from factcheck.db import get_session

        get_session().execute(text("UPDATE users SET name = name WHERE 0"))
        return "written"

    def lost(_self: object) -> None:
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error"), connection_invalidated=True)

    monkeypatch.setattr("sqlalchemy.orm.Session.commit", lost)
    response = app.test_client().post("/test-only/write")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "nothing was saved" in response.get_data(as_text=True)


# --- what counts as an outage -----------------------------------------------------------------


def test_diagnose_tells_outages_from_other_database_errors() -> None:
    def wrapped(error: Exception, cls=OperationalError, invalidated: bool = False) -> Exception:
        return cls("SELECT 1", {}, error, connection_invalidated=invalidated)

    assert diagnose(wrapped(sqlite3.OperationalError("unable to open database file"))) is UNREACHABLE
    assert diagnose(wrapped(sqlite3.OperationalError("database is locked"))) is BUSY
    assert diagnose(wrapped(sqlite3.OperationalError("no such table: x"))) is None
    assert diagnose(wrapped(sqlite3.IntegrityError("UNIQUE constraint failed"), IntegrityError)) is None
    assert diagnose(wrapped(sqlite3.OperationalError("anything"), invalidated=True)) is UNREACHABLE
    assert diagnose(ValueError("not a database error")) is None
    psycopg = pytest.importorskip("psycopg")
    assert diagnose(wrapped(psycopg.OperationalError("connection failed: Connection refused"))) is UNREACHABLE
    assert diagnose(psycopg.OperationalError("server closed the connection unexpectedly")) is UNREACHABLE

    assert diagnose(wrapped(psycopg.errors.AdminShutdown("terminating connection"))) is UNREACHABLE
    assert diagnose(wrapped(psycopg.errors.TooManyConnections("too many clients"))) is BUSY
    assert diagnose(wrapped(psycopg.errors.SerializationFailure("could not serialize"))) is None
    assert diagnose(wrapped(psycopg.errors.UniqueViolation("duplicate key"), IntegrityError)) is None


def test_other_database_errors_stay_500(sqlite_only, tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()  # a database without the schema: "no such table"
    app = outage_app(f"sqlite:///{path}")
    response = app.test_client().get("/claims")
    assert response.status_code == 500
    assert get_database(app).engine.dialect.name == "sqlite"


def test_healthz_asks_the_database_at_most_once_a_second(sqlite_only, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A load balancer polling many times a second costs one ``SELECT 1`` a second; a request
    that met an outage meanwhile has told ``/healthz`` already."""
    from factcheck import direct

    path = tmp_path / "volume" / "factcheck.sqlite3"
    path.parent.mkdir()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    app = outage_app(f"sqlite:///{path}")
    app.config["HEALTH_CHECK_SECONDS"] = 3600  # "a second" that cannot pass during the test
    asked = []
    real = direct.fetch_one
    monkeypatch.setattr(direct, "fetch_one", lambda *args: asked.append(args) or real(*args))
    client = app.test_client()
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
    assert len(asked) == 1

    path.parent.rename(tmp_path / "unmounted")  # the volume is gone
    get_database(app).engine.dispose()
    assert client.get("/claims").status_code == 503  # a request meets the outage…
    health = client.get("/healthz")  # …and /healthz says so at once, without asking again
    assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
    assert len(asked) == 1
