"""The real job worker for the tests that need one: ``huey_consumer factcheck.jobs.huey`` as
deployed, in a process of its own, on a queue and services the test chose; stopped after."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from bench import servers

ROOT = Path(__file__).resolve().parent.parent


def consumer_environment(db_url: str, tmp_path: Path, queue: Mapping[str, str], **settings: str) -> dict[str, str]:
    """The worker's environment: this process's (without its REDIS_URL), the chosen ``queue``,
    the database, production settings with an instance folder of the test's own, and
    ``settings`` over them."""
    return {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | dict(queue) | {
        "DATABASE_URL": db_url, "FACTCHECK_ENV": "production", "SECRET_KEY": "worker-test-only",
        "FACTCHECK_PUBLIC_BASE_URL": "https://factcheck.example.org/", "FACTCHECK_INSTANCE": str(tmp_path / "instance"),
    } | settings


@contextmanager
def running_consumer(environment: Mapping[str, str], *, max_delay: float = 0.5) -> Iterator[subprocess.Popen]:
    """One worker with no periodic tasks: only a wake-up call after a commit (or a job the test
    enqueues) makes it work. Stopped as a deployment stops it (SIGINT), killed if it hangs."""
    consumer = Path(sys.executable).with_name("huey_consumer")
    process = subprocess.Popen([str(consumer), "factcheck.jobs.huey", "--workers", "1", "--no-periodic",
                                "--delay", "0.1", "--max-delay", str(max_delay), "--quiet"],
                               cwd=ROOT, env=dict(environment))
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop a job worker as a deployment does (SIGINT: it finishes the job in hand)."""
    servers.stop(process, sig=signal.SIGINT)
