"""Several application servers, shown working: two gunicorn servers (the production settings,
deploy/gunicorn.conf.py) on two loopback ports, one database (the test's: PostgreSQL with
TEST_DATABASE_URL, and the SQLite file otherwise), one Redis, one job worker
(``huey_consumer factcheck.jobs.huey``), and one file store (an S3 server on loopback when
moto is installed, else a shared folder).

- a sign-in made on one server is valid on the other (one SECRET_KEY, given to both);
- a form fetched from one server is accepted by the other (its CSRF token, signed alike);
- each job either server enqueues runs once (each webhook event is delivered exactly once);
- the API write rate limit counts across both (the counters are in Redis);
- a file uploaded through one server is downloaded through the other;
- and a production server started without SECRET_KEY refuses to start, saying why.

Redis is started here (skipped, saying so, where ``redis-server`` is not installed).
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

import config
from factcheck.models import Role
from factcheck.services import Actor, webhooks
from factcheck.services.claims import create_claim, set_published
from factcheck.services.tokens import create_token
from factcheck.services.users import create_user
from tests.test_attachments import PDF

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long enough password for two servers"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # noqa: BLE001 — not up yet
            pass
        time.sleep(0.1)
    return False


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- The production configuration refuses a missing SECRET_KEY -----------------------------

@pytest.fixture
def environment(monkeypatch, tmp_path):
    for name in ("SECRET_KEY", "FACTCHECK_SECRET_KEY_FILE", "FLASK_RUN_FROM_CLI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "instance")
    return monkeypatch


def test_production_refuses_to_start_without_a_secret_key(environment, tmp_path) -> None:
    environment.setenv("FACTCHECK_ENV", "production")
    with pytest.raises(config.SecretKeyMissing, match="SECRET_KEY is not set") as refused:
        config.config_from_env()
    assert "same key" in str(refused.value) and "FACTCHECK_SECRET_KEY_FILE" in str(refused.value)
    assert not (tmp_path / "instance" / "secret_key").exists(), "no key of its own is generated"


def test_production_takes_the_key_from_the_environment_or_a_named_file(environment, tmp_path) -> None:
    environment.setenv("FACTCHECK_ENV", "production")
    environment.setenv("SECRET_KEY", "from-the-environment")
    assert config.config_from_env().SECRET_KEY == "from-the-environment"
    environment.delenv("SECRET_KEY")
    key_file = tmp_path / "key"
    environment.setenv("FACTCHECK_SECRET_KEY_FILE", str(key_file))
    with pytest.raises(config.SecretKeyMissing, match="cannot read it"):
        config.config_from_env()
    key_file.write_text("")
    with pytest.raises(config.SecretKeyMissing, match="is empty"):
        config.config_from_env()
    key_file.write_text("from-a-file\n")
    assert config.config_from_env().SECRET_KEY == "from-a-file"


def test_the_command_line_and_development_need_no_key(environment, tmp_path) -> None:
    environment.setenv("FACTCHECK_ENV", "production")
    environment.setenv("FLASK_RUN_FROM_CLI", "true")  # `flask --app factcheck db upgrade`, `user create`…
    one, two = config.config_from_env().SECRET_KEY, config.config_from_env().SECRET_KEY
    assert one and one != two and not (tmp_path / "instance" / "secret_key").exists()
    environment.delenv("FLASK_RUN_FROM_CLI")
    environment.setenv("FACTCHECK_ENV", "development")  # `make run`: one key, kept in instance/
    assert config.config_from_env().SECRET_KEY == config.config_from_env().SECRET_KEY
    assert (tmp_path / "instance" / "secret_key").exists()


# --- Two servers, one database, one Redis, one worker ---------------------------------------

@pytest.fixture
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server): "
                    "the scale-out test needs a Redis both servers share")
    port = free_port()
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        assert wait_for(client.ping, 20), "redis-server did not start"
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=20)


class Receiver(http.server.BaseHTTPRequestHandler):
    """A webhook receiver: records each delivery's id."""

    deliveries: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        type(self).deliveries.append(self.headers.get("X-Factcheck-Delivery", ""))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[str]]]:
    Receiver.deliveries = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", Receiver.deliveries
    finally:
        server.shutdown()


@pytest.fixture
def file_store(tmp_path, unique) -> Iterator[dict[str, str]]:
    """The file store both servers share: a bucket on a loopback S3 server (moto) if installed,
    else one folder (as a network file system would be)."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        yield {"FACTCHECK_STORAGE": "local", "FACTCHECK_STORAGE_DIR": str(tmp_path / "shared-files")}
        return
    import boto3

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    credentials = {"AWS_ACCESS_KEY_ID": "scale-out", "AWS_SECRET_ACCESS_KEY": "scale-out-secret"}
    bucket = f"scale-out-{unique}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="scale-out",
                 aws_secret_access_key="scale-out-secret").create_bucket(Bucket=bucket)
    try:
        yield {"FACTCHECK_STORAGE": "s3", "FACTCHECK_S3_BUCKET": bucket, "FACTCHECK_S3_ENDPOINT_URL": endpoint,
               "FACTCHECK_S3_REGION": "us-east-1", **credentials}
    finally:
        server.stop()


def server_environment(db_url: str, redis_url: str, tmp_path: Path, store: dict[str, str]) -> dict[str, str]:
    drop = {"FLASK_RUN_FROM_CLI", "SECRET_KEY", "FACTCHECK_SECRET_KEY_FILE", "REDIS_URL", "DATABASE_URL",
            "AWS_PROFILE"}
    return {k: v for k, v in os.environ.items() if k not in drop} | {
        "FACTCHECK_ENV": "production", "DATABASE_URL": db_url, "REDIS_URL": redis_url,
        "SECRET_KEY": "one-key-for-every-server-of-this-newsroom", "SESSION_COOKIE_SECURE": "0",
        "FACTCHECK_PUBLIC_BASE_URL": "https://factcheck.example.org/", "FACTCHECK_INSTANCE": str(tmp_path / "instance"),
        "FACTCHECK_API_WRITE_RATE_LIMIT": "4/hour", "FACTCHECK_SIGNOFF_REQUIRED": "0",
        "FACTCHECK_WEBHOOK_ALLOW_PRIVATE": "1", "WEB_CONCURRENCY": "2", "GUNICORN_LOG_LEVEL": "warning",
        **store,
    }


def start_server(environment: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "factcheck:create_app()"],
        cwd=ROOT, env=environment | {"FACTCHECK_BIND": f"127.0.0.1:{port}"}, stdout=log.open("wb"),
        stderr=subprocess.STDOUT)


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token"
    return match.group(1)


def test_two_servers_share_sign_ins_jobs_rate_limits_and_files(committed_db, db_url, redis_url, receiver, file_store,
                                                               tmp_path) -> None:
    hook_url, deliveries = receiver
    with committed_db.transaction() as session:
        admin = create_user(session, email="admin@example.org", password=PASSWORD, role="admin", name="Admin")
        editor = create_user(session, email="editor@example.org", password=PASSWORD, role="editor", name="Ed")
        _hook, _secret = webhooks.register(session, Actor.of(admin), url=hook_url, events=["claim.status"],
                                           allow_private=True)
        claim = create_claim(session, Actor.system("test"), text="Both servers see one newsroom")
        set_published(session, claim, Actor.system("test"), published=True, expected_version=claim.version)
        claim_id = claim.id
        _row, status_token = create_token(session, editor, Actor.system("test"), name="status")
        _row, busy_token = create_token(session, editor, Actor.system("test"), name="busy")
        assert admin.role == Role.ADMIN

    environment = server_environment(db_url, redis_url, tmp_path, file_store)
    ports = [free_port(), free_port()]
    logs = [tmp_path / f"server-{n}.log" for n in (1, 2)]
    servers = [start_server(environment, port, log) for port, log in zip(ports, logs)]
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("huey_consumer")), "factcheck.jobs.huey", "--workers", "2",
         "--no-periodic", "--delay", "0.1", "--max-delay", "0.5", "--quiet"],
        cwd=ROOT, env=environment, stdout=(tmp_path / "worker.log").open("wb"), stderr=subprocess.STDOUT)
    a, b = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        for url, process, log in zip((a, b), servers, logs):
            up = wait_for(lambda: requests.get(f"{url}/healthz", timeout=2).text == "ok", 60)
            assert up, f"server {url} did not start (exit {process.poll()}): {log.read_text()[-3000:]}"

        # A sign-in: the form from A, sent to B; the session then used on A.
        browser = requests.Session()
        token = csrf_of(browser.get(f"{a}/login", timeout=10).text)
        signed_in = browser.post(f"{b}/login", data={"csrf_token": token, "email": "editor@example.org",
                                                     "password": PASSWORD}, allow_redirects=False, timeout=10)
        assert signed_in.status_code == 302, signed_in.text[:500]
        desk = browser.get(f"{a}/desk/claims/{claim_id}", allow_redirects=False, timeout=10)
        assert desk.status_code == 200 and "Both servers see one newsroom" in desk.text

        # Jobs: each server's status change wakes the one worker; each event is delivered once.
        for server, (to, version) in zip((a, b), (("in_review", 2), ("contested", 3))):
            moved = requests.post(f"{server}/api/v1/claims/{claim_id}/status", timeout=10,
                                  headers={"Authorization": f"Bearer {status_token}"},
                                  json={"to": to, "reason": f"Moved through {server}.", "version": version})
            assert moved.status_code == 201, moved.text
        assert wait_for(lambda: len(deliveries) >= 2, 30), f"delivered: {deliveries}"
        time.sleep(1.5)  # anything delivered twice would have arrived by now
        assert len(deliveries) == 2 and len(set(deliveries)) == 2, deliveries

        # The rate limit (4 writes an hour per token here) counts the writes made on both.
        codes = []
        for n in range(6):
            server = (a, b)[n % 2]
            made = requests.post(f"{server}/api/v1/claims", headers={"Authorization": f"Bearer {busy_token}"},
                                 json={"text": f"Claim number {n} entered through a load balancer"}, timeout=10)
            codes.append(made.status_code)
        assert codes == [201, 201, 201, 201, 429, 429], codes

        # A file uploaded through A is downloaded through B.
        uploaded = requests.post(f"{a}/api/v1/claims/{claim_id}/attachments", timeout=20,
                                 headers={"Authorization": f"Bearer {status_token}"},
                                 files={"file": ("memo.pdf", PDF, "application/pdf")})
        assert uploaded.status_code == 201, uploaded.text
        got = browser.get(f"{b}/desk/claims/{claim_id}/attachments/{uploaded.json()['id']}", timeout=10)
        assert got.status_code == 200 and got.content == PDF
    finally:
        for process in (*servers, worker):
            stop(process)


def test_a_production_server_without_a_secret_key_does_not_start(db_url, tmp_path) -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "FLASK_RUN_FROM_CLI")} | {
        "FACTCHECK_ENV": "production", "DATABASE_URL": db_url, "FACTCHECK_INSTANCE": str(tmp_path / "instance"),
        "FACTCHECK_PUBLIC_BASE_URL": "https://factcheck.example.org/", "WEB_CONCURRENCY": "1",
        "FACTCHECK_BIND": f"127.0.0.1:{free_port()}"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "factcheck:create_app()"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stdout + result.stderr
    assert not (tmp_path / "instance" / "secret_key").exists()
