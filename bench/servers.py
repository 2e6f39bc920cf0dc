"""The servers a benchmark runs (gunicorn, nginx) and the load generator (wrk), on loopback.

Every process started here is stopped by its own process id when its ``with`` block ends,
and every request goes to 127.0.0.1: benchmarks never send traffic anywhere else.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, *, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers 200, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up within {timeout:.0f} s")
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes], *, sig: int = signal.SIGTERM) -> None:
    """Stop a server or worker this harness (or a test) started: ``sig`` (SIGTERM by default; a
    job worker's graceful signal is SIGINT), then killed if it has not ended within 20 s."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class ServerSetup:
    """How gunicorn runs: the production configuration, or a variant of it to compare."""

    worker_class: str = ""  # "" = as deploy/gunicorn.conf.py says
    workers: int = 0
    threads: int = 0

    @property
    def label(self) -> str:
        if not self.worker_class:
            return "deploy/gunicorn.conf.py"
        threads = f" × {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"{self.worker_class}, {self.workers} workers{threads}"


@contextmanager
def gunicorn(database_url: str, setup: ServerSetup = ServerSetup(), *, env: Mapping[str, str] = {}) -> Iterator[str]:
    """The application under gunicorn with ``deploy/gunicorn.conf.py`` on a loopback port;
    yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"),
               "--bind", f"{LOOPBACK}:{port}", "--log-level", "warning"]
    if setup.worker_class:
        command += ["--worker-class", setup.worker_class, "--workers", str(setup.workers),
                    "--threads", str(max(1, setup.threads))]
    command.append("factcheck:create_app()")
    environment = {**os.environ, "DATABASE_URL": database_url, "FACTCHECK_ENV": "production",
                   "SECRET_KEY": "benchmark-only-secret", "SESSION_COOKIE_SECURE": "0",
                   "FACTCHECK_PUBLIC_BASE_URL": "https://factcheck.example.org/", **env}
    process = subprocess.Popen(command, cwd=ROOT, env=environment)
    try:
        url = f"http://{LOOPBACK}:{port}"
        wait_until_up(f"{url}/healthz")
        yield url
    finally:
        stop(process)


@contextmanager
def nginx(upstream: str, static_root: Path) -> Iterator[str]:
    """nginx with ``deploy/nginx.bench.conf`` (the example's cache, loopback ports) in front of
    ``upstream``; yields its base URL. Its cache and logs live in a temporary directory."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="factcheck-nginx-") as prefix:
        # nginx's workers may run as another user (when started as root): let them in.
        os.chmod(prefix, 0o755)
        template = (DEPLOY / "nginx.bench.conf").read_text()
        conf = Path(prefix) / "nginx.conf"
        conf.write_text(
            template.replace("@PREFIX@", prefix)
            .replace("@PORT@", str(port))
            .replace("@UPSTREAM@", upstream.removeprefix("http://"))
            .replace("@STATIC@", str(static_root))
            .replace("@ROOT@", str(ROOT))
        )
        process = subprocess.Popen([binary, "-p", prefix, "-c", str(conf), "-g", "daemon off;"])
        try:
            url = f"http://{LOOPBACK}:{port}"
            wait_until_up(f"{url}/healthz")
            yield url
        finally:
            stop(process, sig=signal.SIGQUIT)  # graceful shutdown


@dataclass(frozen=True)
class Load:
    """What wrk measured."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}

#: Cycles through the addresses written in ``paths`` (one per line), one per request.
_CYCLE = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _latency_ms(text: str, percentile: str) -> float:
    match = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def wrk_paths(base: str, paths: Sequence[str], *, seconds: float = 5, connections: int = 16,
              threads: int = 1) -> Load:
    """Load ``base`` with wrk (``threads`` threads, one by default), each request the next of
    ``paths`` in turn. Answers other than 2xx/3xx and socket errors count as errors."""
    if not base.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("benchmarks only load loopback addresses")
    with tempfile.TemporaryDirectory(prefix="factcheck-wrk-") as folder:
        listing = Path(folder) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(folder) / "cycle.lua"
        script.write_text(_CYCLE % listing)
        output = subprocess.run(
            ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "-s", str(script),
             base],
            check=True, capture_output=True, text=True,
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non2xx.group(1)) if non2xx else 0
    return Load(rps, _latency_ms(output, "50"), _latency_ms(output, "99"), requests, errors)


#: One status-changing client per wrk thread (one connection each): it posts a change with the
#: version it last heard of — from its own accepted change, or from the 409 that refused it,
#: which carries the current version and status — and counts what each answer was.
_WRITERS = """
local writers = {}
local next_writer = 1
local plan = {}
for line in io.lines("%s") do
  local claim, secret, version, status = line:match("^(%%d+) (%%S+) (%%d+) (%%S+)$")
  plan[#plan + 1] = {claim = claim, secret = secret, version = version, status = status}
end

setup = function(thread)
  local p = plan[next_writer]
  next_writer = next_writer + 1
  thread:set("claim", p.claim)
  thread:set("secret", p.secret)
  thread:set("version", p.version)
  thread:set("status", p.status)
  writers[#writers + 1] = thread
end

init = function(args)
  accepted, conflicts, errors, first_error = 0, 0, 0, ""
  path = "/api/v1/claims/" .. claim .. "/status"
  headers = {["Authorization"] = "Bearer " .. secret, ["Content-Type"] = "application/json"}
end

request = function()
  local target = (status == "in_review") and "contested" or "in_review"
  local body = '{"to": "' .. target .. '", "reason": "Benchmark: concurrent desk.", "version": ' .. version .. '}'
  return wrk.format("POST", path, headers, body)
end

response = function(code, response_headers, body)
  if code == 201 then
    accepted = accepted + 1
    version = body:match('"version":%%s*(%%d+)')
    status = body:match('"to_status":%%s*"([%%w_]+)"')
  elseif code == 409 and body:match('"current_version"') then
    conflicts = conflicts + 1
    version = body:match('"current_version":%%s*(%%d+)')
    status = body:match('"current_status":%%s*"([%%w_]+)"')
  else
    errors = errors + 1
    if first_error == "" then first_error = ("HTTP " .. code .. ": " .. body:sub(1, 160)):gsub("%%s+", " ") end
  end
end

done = function(summary, latency, requests)
  for _, thread in ipairs(writers) do
    io.write(string.format("writer %%d %%d %%d %%s\\n", thread:get("accepted"), thread:get("conflicts"),
                           thread:get("errors"), thread:get("first_error")))
  end
end
"""


@dataclass(frozen=True)
class WriterLoad:
    """What the wrk writers counted: answers 201, 409 with the current version, anything else."""

    seconds: float
    accepted: int
    conflicts: int
    errors: int
    #: wrk's own socket errors (connect, read, write, timeout).
    socket_errors: int
    first_errors: tuple[str, ...]
    #: Of the socket errors, requests unanswered within wrk's timeout (2 s): the answer came
    #: too late for the client, whatever the server did.
    timeouts: int = 0


def wrk_status_writers(base: str, writers: Sequence[tuple[int, str, int, str]], *, seconds: float) -> WriterLoad:
    """One wrk thread and connection per writer ``(claim id, token secret, version, status)``,
    each moving its claim between in_review and contested for ``seconds``."""
    if not base.startswith(f"http://{LOOPBACK}:"):
        raise ValueError("benchmarks only load loopback addresses")
    with tempfile.TemporaryDirectory(prefix="factcheck-wrk-") as folder:
        listing = Path(folder) / "writers.txt"
        listing.write_text("".join(f"{c} {secret} {v} {st}\n" for c, secret, v, st in writers))
        script = Path(folder) / "writers.lua"
        script.write_text(_WRITERS % listing)
        started = time.monotonic()
        output = subprocess.run(
            ["wrk", f"-t{len(writers)}", f"-c{len(writers)}", f"-d{max(1, round(seconds))}s", "-s", str(script), base],
            check=True, capture_output=True, text=True,
        ).stdout
        elapsed = time.monotonic() - started
    measured = re.search(r"requests in ([\d.]+)(ms|s|m)", output)
    if measured:
        elapsed = float(measured.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[measured.group(2)]
    rows = [line.split(" ", 4) for line in output.splitlines() if line.startswith("writer ")]
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    timeouts = re.search(r"timeout (\d+)", output)
    return WriterLoad(
        elapsed,
        sum(int(row[1]) for row in rows),
        sum(int(row[2]) for row in rows),
        sum(int(row[3]) for row in rows),
        socket_errors,
        tuple(row[4] for row in rows if len(row) > 4 and row[4]),
        int(timeouts.group(1)) if timeouts else 0,
    )


@dataclass(frozen=True)
class Pair:
    """Two sets of addresses loaded in alternation, a round each at a time, so that whatever
    else the machine is doing weighs on both alike. The ratio is the median of the rounds'
    ratios; requests/s and latencies are medians too."""

    subject: Load
    baseline: Load
    ratio: float
    ratios: tuple[float, ...]

    @classmethod
    def of(cls, subjects: list[Load], baselines: list[Load]) -> Pair:
        ratios = tuple(s.requests_per_second / b.requests_per_second for s, b in zip(subjects, baselines))
        return cls(median_load(subjects), median_load(baselines), median(list(ratios)), ratios)


def side_by_side(base: str, subject: Sequence[str], baseline: Sequence[str], *, rounds: int = 5,
                 seconds: float = 4, connections: int = 16) -> Pair:
    """``subject`` and ``baseline`` paths of ``base`` loaded in alternation, after a warm-up."""
    wrk_paths(base, subject, seconds=1, connections=connections)
    wrk_paths(base, baseline, seconds=1, connections=connections)
    subjects: list[Load] = []
    baselines: list[Load] = []
    for _ in range(rounds):
        subjects.append(wrk_paths(base, subject, seconds=seconds, connections=connections))
        baselines.append(wrk_paths(base, baseline, seconds=seconds, connections=connections))
    return Pair.of(subjects, baselines)


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def median_load(loads: list[Load]) -> Load:
    return Load(
        median([x.requests_per_second for x in loads]),
        median([x.p50_ms for x in loads]),
        median([x.p99_ms for x in loads]),
        sum(x.requests for x in loads),
        sum(x.errors for x in loads),
    )
