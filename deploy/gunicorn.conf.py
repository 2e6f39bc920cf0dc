"""gunicorn settings for factcheck in production.

    gunicorn -c deploy/gunicorn.conf.py 'factcheck:create_app()'

behind nginx (deploy/nginx.conf.example), which caches badges and embed cards and serves
static files, beside the job worker that delivers e-mail, webhooks and front-cache refreshes
(deploy/worker.md, deploy/factcheck-worker.service; with the same environment). Environment: FACTCHECK_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY
(workers), GUNICORN_WORKER_CLASS and GUNICORN_THREADS (to try another set-up), plus the
application's own (DATABASE_URL, SECRET_KEY…). FACTCHECK_PROXY_HOPS defaults to 1 here (one
nginx in front), so that the application sees each client's address rather than nginx's
127.0.0.1; nginx.conf.example says why, and when it must be another number.

Worker class and counts were chosen from measurements on a 2-core machine (bench/RESULTS.md,
"Server set-up"): the badge and the constant route loaded side by side with wrk, at 1M claims
on SQLite and PostgreSQL, sync workers (2, 5) against gthread workers (2 × 4, 3 × 4, 4 × 2
threads). Badge requests/s and p99, in two full runs:

    set-up            SQLite                          PostgreSQL
    sync, 2           3,322 (6.5 ms)  3,197 (6.8 ms)  2,408 (10.4 ms)  2,461 (10.3 ms)
    sync, 5           3,146 (7.4 ms)  3,153 (7.3 ms)  2,386 (9.1 ms)   2,382 (9.5 ms)
    gthread, 2 × 4    2,691 (24 ms)   3,033 (27 ms)     990 (22 ms)    2,213 (22 ms)
    gthread, 3 × 4    3,350 (26 ms)   3,151 (26 ms)   2,134 (24 ms)    2,425 (19 ms)
    gthread, 4 × 2    2,851 (18 ms)   3,163 (18 ms)   2,352 (38 ms)    2,491 (17 ms)

Throughput is about the same for every set-up (the machine was shared: numbers move by
10-20 % between runs); tail latency is not: sync's p99 is a third to a half of gthread's.

"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("FACTCHECK_BIND", "127.0.0.1:8000")

#: sync: one request at a time per process: as many badges per second as any gthread set-up
#: and a p99 two to three times lower. The work is CPU-bound Python under one GIL per
#: process, so a thread whose database answer has arrived waits behind threads doing Python
#: work (the 5 ms switch interval); once, 2 × 4 threads served the PostgreSQL badge at 990
#: req/s. sync workers must sit behind a buffering proxy, which nginx is
#: (deploy/nginx.conf.example): a slow client ties up nginx, never a worker.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
#: 2 × cores + 1 (gunicorn's own rule): as fast as 2 workers on the badge, and while one
#: worker waits on PostgreSQL, on a slow page (the dashboard) or on an import, the others
#: keep both cores busy. Each worker holds one extra database connection (the badge's, see
#: factcheck/direct.py, also the API gate's) besides its pool.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
#: Threads per worker, if GUNICORN_WORKER_CLASS=gthread is chosen instead.
threads = int(os.environ.get("GUNICORN_THREADS", 1))

#: For gthread workers: connections from nginx kept open between requests (sync workers
#: close each connection after its response, and nginx opens a new one on the loopback).
keepalive = 30
#: A request that takes longer is a bug or an attack; the worker is replaced. Nothing the
#: application does for one request comes near it: statement extraction stops after a few
#: seconds with what it found (factcheck/extraction/limits.py), a PostgreSQL connection attempt
#: gives up after 5 s and, while the database is unreachable, every route answers 503 with
#: Retry-After at once (factcheck/db.py, factcheck/outage.py; /healthz says so to a load
#: balancer), and a ClaimReview import lets other writers in between batches of under half a
#: second.
timeout = 30
#: A SQLite writer that cannot get the write lock gives up before its worker would be killed,
#: and is answered 503 with Retry-After (factcheck/outage.py), unless the environment says
#: otherwise. Read when the application is built, after this file.
os.environ.setdefault("SQLITE_BUSY_TIMEOUT", str(timeout - 10))
graceful_timeout = 30
#: Workers are recycled now and then, so that slow growth (caches, fragmentation) never
#: accumulates; the jitter keeps them from restarting all at once.
max_requests = 20_000
max_requests_jitter = 2_000
#: Preloaded: the application is built once, in the master, and each worker is a fork of it.
#: Building it costs about a second of CPU (imports, blueprints, the OpenAPI document); built
#: per worker, that second was spent five times at start and again at every recycle
#: (``max_requests``), on a machine serving thousands of badges a second. Nothing connects
#: to the database while the application is built, and a forked child drops its parent's
#: pooled connections (``factcheck.db``), so no connection is shared between processes.
preload_app = True
#: nginx on this machine sets X-Forwarded-For / -Proto; trust it only.
forwarded_allow_ips = "127.0.0.1"
#: …and the application trusts the one address nginx appends (factcheck/proxy.py), unless the
#: environment says otherwise. Read when the application is built, after this file.
os.environ.setdefault("FACTCHECK_PROXY_HOPS", "1")
#: nginx logs every request; a second access log here would cost throughput for nothing.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
