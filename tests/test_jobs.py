"""The job worker (Huey): a SQLite queue of its own without Redis, Redis with it; woken after
each commit that wrote outbox rows and only then; a minute's sweep and the daily digest on
Huey's schedule; the real ``huey_consumer`` delivering what a commit wrote, on either queue;
and two workers never taking one outbox row.

Every server these tests need (an SMTP server, Redis) is started here on loopback and stopped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from datetime import datetime
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from huey import RedisHuey
from huey.storage import MemoryStorage, RedisStorage
from sqlalchemy import select

from factcheck import jobs
from factcheck.db import get_database
from factcheck.models import OutboxEvent, Status
from factcheck.services import Actor, delivery, inbox, outbox
from factcheck.services.claims import set_published
from factcheck.services.status import change_status
from tests.conftest import app_on
from tests.worker_support import consumer_environment, running_consumer



def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_queue_is_redis_with_redis_url_and_a_sqlite_file_without(tmp_path) -> None:
    on_redis = jobs.make_huey({"REDIS_URL": "redis://127.0.0.1:6390/3"})
    assert isinstance(on_redis, RedisHuey) and isinstance(on_redis.storage, RedisStorage)
    assert on_redis.storage.pool.connection_kwargs["socket_timeout"] == 10
    path = tmp_path / "queue" / "jobs.sqlite3"
    embedded = jobs.make_huey({"FACTCHECK_JOBS_FILE": str(path)})
    assert embedded.storage.filename == str(path)
    assert not path.exists(), "nothing is written until the queue is used"
    assert embedded.pending_count() == 0
    assert path.exists()


@pytest.fixture
def queue(app, monkeypatch):
    """A real Huey queue (in memory, no worker running), the application's wake-up calls on."""
    monkeypatch.setattr(jobs.huey, "storage", MemoryStorage("factcheck-test"))
    monkeypatch.setattr(jobs, "_app", app)  # the jobs run with the test's application
    app.config.update(JOBS_WAKE_WORKER=True, WTF_CSRF_ENABLED=False)
    return jobs.huey


def _published(session, make):
    claim = make.claim("The dam was breached on Tuesday.")
    set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
    session.flush()
    return claim


def test_the_worker_is_woken_once_a_request_that_wrote_outbox_rows_has_committed(
        queue, client, session, make, login_as) -> None:
    claim = _published(session, make)
    login_as("checker")
    client.get("/desk/").close()
    assert queue.pending_count() == 0, "a read wrote nothing"

    response = client.post(f"/desk/claims/{claim.id}/status", data={
        "to": "in_review", "reason": "Checking the footage.", "version": claim.version})
    assert response.status_code == 302
    assert queue.pending_count() == 0, "not before the response is sent"
    response.close()  # what the server does once it has sent the response
    assert queue.pending_count() == 1
    assert queue.dequeue().name == "deliver"


def test_a_transaction_that_rolled_back_wakes_nobody(queue, app) -> None:
    database = get_database(app)
    with app.app_context():  # as a command runs
        with pytest.raises(RuntimeError), database.transaction() as session:
            outbox.enqueue(session, "cache", "public.status", {"slug": "x"})
            session.flush()
            raise RuntimeError("refused halfway")
        with database.transaction() as session:
            pass  # a later commit of the same kind of session, with nothing in the outbox
        assert queue.pending_count() == 0
        with database.transaction() as session:
            outbox.enqueue(session, "cache", "public.status", {"slug": "x"})
        assert queue.pending_count() == 1


def test_a_savepoint_inside_a_command_is_not_its_commit(queue, app) -> None:
    """A command's transaction that releases a savepoint after writing outbox rows (as
    ``create_report`` does) wakes the worker at its commit, not at the savepoint, and not at
    all if it rolls back after it."""
    database = get_database(app)
    with app.app_context():
        with pytest.raises(RuntimeError), database.transaction() as session:
            outbox.enqueue(session, "cache", "public.status", {"slug": "x"})
            with session.begin_nested():
                session.flush()
            assert queue.pending_count() == 0, "not at the savepoint"
            raise RuntimeError("refused after the savepoint")
        assert queue.pending_count() == 0
        with database.transaction() as session:
            outbox.enqueue(session, "cache", "public.status", {"slug": "x"})
            with session.begin_nested():
                session.flush()
            assert queue.pending_count() == 0, "not at the savepoint"
        assert queue.pending_count() == 1


def test_a_queued_wake_up_call_delivers_the_outbox(queue, app, session, make) -> None:
    claim = _published(session, make)
    change_status(session, claim, Status.IN_REVIEW, "Checking.", Actor.system("test"), claim.version)
    session.flush()
    jobs.deliver()  # enqueued (as after a commit)
    queue.execute(queue.dequeue())  # what the consumer does with it
    undelivered = session.scalars(select(OutboxEvent).where(OutboxEvent.delivered_at.is_(None))).all()
    assert undelivered == []


def test_the_sweep_runs_every_minute_and_the_digest_once_a_day() -> None:
    from config import Config

    minutes = [datetime(2026, 12, 7, h, m) for h in range(24) for m in range(60)]
    due = {t: {task.name for task in jobs.huey.read_periodic(t)} for t in minutes}
    assert all("sweep" in names for names in due.values())
    assert [t for t, names in due.items() if "digest" in names] == [datetime(2026, 12, 7, Config.DIGEST_HOUR, 0)]


def test_two_workers_never_take_the_same_row(committed_db, dialect) -> None:
    with committed_db.transaction() as session:
        for n in range(3):
            outbox.enqueue(session, "cache", "public.status", {"slug": f"claim-{n}"})
    if dialect == "postgresql":
        # Both take a row at the same moment, neither committed yet: SKIP LOCKED.
        first, second = committed_db.write_sessions(), committed_db.write_sessions()
        try:
            a = delivery.claim_next(first)
            b = delivery.claim_next(second)
            assert a is not None and b is not None and a.id != b.id
            first.commit()
            second.commit()
        finally:
            first.close()
            second.close()
        taken = {a.id, b.id}
    else:
        taken = set()
    # One after the other (SQLite's writers queue for its one write lock): the lease keeps a
    # taken row from the next worker.
    while True:
        with committed_db.transaction() as session:
            row = delivery.claim_next(session)
            if row is None:
                break
            assert row.id not in taken
            taken.add(row.id)
    assert len(taken) == 3


# --- The real consumer ---------------------------------------------------------------------

class _Mailbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"


def _wait_for(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        assert _wait_for(lambda: _pings(client), 20), "redis-server did not start"
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=20)


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.parametrize("queue_kind", ["sqlite", "redis"])
def test_the_real_consumer_delivers_what_a_commit_wrote(queue_kind, committed_db, db_url, tmp_path, monkeypatch,
                                                         request) -> None:
    mailbox = _Mailbox()
    smtp_port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    queue_env = ({"REDIS_URL": request.getfixturevalue("redis_server")} if queue_kind == "redis"
                 else {"FACTCHECK_JOBS_FILE": str(tmp_path / "jobs.sqlite3")})
    environment = consumer_environment(db_url, tmp_path, queue_env, FACTCHECK_SMTP_HOST="127.0.0.1",
                                       FACTCHECK_SMTP_PORT=str(smtp_port), FACTCHECK_SMTP_TLS="none",
                                       FACTCHECK_MAIL_FROM="desk@example.org")
    # No periodic sweep here: only the wake-up call after the commit can make it deliver.
    try:
        with running_consumer(environment):
            app = app_on(committed_db, db_url, JOBS_WAKE_WORKER=True)
            monkeypatch.setattr(jobs.huey, "storage", jobs.make_huey(queue_env).storage)  # the consumer's queue
            with app.app_context(), committed_db.transaction() as session:  # as a command would
                from factcheck.services.users import create_user

                person = create_user(session, email="rana@example.org", password="a long enough password",
                                     role="editor", name="Rana", actor=Actor.system("test"))
                claim = _claim(session)
                inbox.notify(session, [person.id], "mention", claim, "Amal mentioned you on a claim.",
                             actor=Actor.system("test"), urgent=True)
            assert _wait_for(lambda: len(mailbox.messages) == 1), "the consumer sent nothing"
            [message] = mailbox.messages
            assert message["To"] == "rana@example.org" and "Amal mentioned you" in message["Subject"]
            assert _wait_for(lambda: _delivered(committed_db), 20), "sent, but not recorded as delivered"
    finally:
        controller.stop()


def _claim(session):
    from factcheck.services.claims import create_claim

    return create_claim(session, Actor.system("test"), text="The airport reopened on Monday.")


def _delivered(database) -> bool:
    with database.read_sessions() as session:
        return session.scalar(select(OutboxEvent.delivered_at).where(OutboxEvent.channel == "email")) is not None
