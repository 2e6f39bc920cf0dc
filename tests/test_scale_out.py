"""Several application servers, shown working: two gunicorn servers (the production settings,
deploy/gunicorn.conf.py) on two loopback ports, one database (the test's: PostgreSQL with
TEST_DATABASE_URL, and the SQLite file otherwise), one Redis, one job worker
(``huey_consumer factcheck.jobs.huey``), and one file store (an S3 server on loopback when
moto is installed, else a shared folder). The checks are deploy/scale_out_demo.py's, which
anyone can run against a PostgreSQL database and a Redis of their own:

- a sign-in made on one server is valid on the other (one SECRET_KEY, given to both; the
  sign-in form fetched from one server is accepted by the other);
- each job either server enqueues runs once (each webhook event is delivered exactly once);
- the API write rate limit counts across both (the counters are in Redis);
- a file uploaded through one server is downloaded through the other;
- and a production server started without SECRET_KEY refuses to start, saying why.

Redis is started here (skipped, saying so, where ``redis-server`` is not installed).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parent.parent


def _demo():
    """deploy/scale_out_demo.py, imported (deploy/ is not a package)."""
    spec = importlib.util.spec_from_file_location("scale_out_demo", ROOT / "deploy" / "scale_out_demo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


demo = _demo()


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
    """A Redis of this test's own, on a free loopback port."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server): "
                    "the scale-out test needs a Redis both servers share")
    port = demo.free_port()
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        assert demo.wait_for(client.ping, 20), "redis-server did not start"
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=20)


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


@pytest.fixture
def servers(committed_db, db_url, redis_url, file_store, tmp_path):
    """The newsroom, a webhook receiver, two servers with one key and one worker, running."""
    environment = demo.server_environment(db_url, redis_url, tmp_path, file_store,
                                          "one-key-for-every-server-of-this-newsroom")
    with demo.receiver() as (hook_url, deliveries):
        newsroom = demo.seed(committed_db, hook_url)
        with demo.cluster(environment, tmp_path) as running:
            yield running, newsroom, deliveries


def test_two_servers_share_sign_ins_jobs_rate_limits_and_files(servers, db_url, tmp_path) -> None:
    running, newsroom, deliveries = servers
    seen: list[str] = []
    demo.run_checks(running, newsroom, deliveries, db_url, tmp_path, report=seen.append)
    assert [line.split(":")[0] for line in seen] == ["1. sign-in", "2. jobs", "3. rate limit", "4. files",
                                                    "5. secret key"], seen
    assert len(deliveries) == 2 and len(set(deliveries)) == 2
    assert "201 201 201 201 429 429" in seen[2]


def test_a_production_server_without_a_secret_key_does_not_start(db_url, tmp_path) -> None:
    """The same check as the fifth above, where no Redis is installed too."""
    assert "refuses to start" in demo.check_secret_key_refused(db_url, tmp_path)
    assert not (tmp_path / "keyless" / "secret_key").exists()
