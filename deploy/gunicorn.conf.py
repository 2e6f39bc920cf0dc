"""gunicorn settings for factcheck in production.

    gunicorn -c deploy/gunicorn.conf.py 'factcheck:create_app()'

behind nginx (deploy/nginx.conf.example), which caches badges and embed cards and serves
static files. Environment: FACTCHECK_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY
(workers), GUNICORN_WORKER_CLASS and GUNICORN_THREADS (to try another set-up), plus the
application's own (DATABASE_URL, SECRET_KEY…).

Worker class and counts were chosen from measurements on a 2-core machine (bench/RESULTS.md,
"Server set-up"): the badge and the constant route, loaded side by side with wrk, on SQLite
(100k claims) and PostgreSQL (1M claims), for sync workers (2 and 5) and gthread workers
(2 × 4, 3 × 4 and 4 × 2 threads). Badge requests/s (p99):

    set-up             SQLite           PostgreSQL
    sync, 2            3,258 (6.2 ms)   2,448 (10.2 ms)
    sync, 5            3,173 (7.0 ms)   2,385 (8.9 ms)
    gthread, 2 × 4     3,042 (29 ms)      986 (22 ms)
    gthread, 3 × 4     1,367 (23 ms)    2,274 (29 ms)
    gthread, 4 × 2     2,997 (17 ms)    2,445 (16 ms)

(The machine was shared with other work: absolute numbers move by tens of percent between
runs, gthread's far more than sync's; the ordering held in every run.)

"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("FACTCHECK_BIND", "127.0.0.1:8000")

#: sync: one request at a time per process. On this application it gave the most badge
#: requests/s and by far the lowest and steadiest tail latency. The work is CPU-bound Python
#: under one GIL per process, so threads within a process mostly wait for each other (gthread's
#: p99 was 2-4 times sync's). sync workers must sit behind a buffering proxy, which nginx is
#: (deploy/nginx.conf.example): a slow client ties up nginx, never a worker.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
#: 2 × cores + 1 (gunicorn's own rule): as fast as 2 workers on the badge, and while one
#: worker waits on PostgreSQL, on a slow page (the dashboard) or on an import, the others
#: keep both cores busy. Each worker holds one extra database connection (the badge's, see
#: factcheck/fastread.py) besides its pool.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
#: Threads per worker, if GUNICORN_WORKER_CLASS=gthread is chosen instead.
threads = int(os.environ.get("GUNICORN_THREADS", 1))

#: For gthread workers: connections from nginx kept open between requests (sync workers
#: close each connection after its response, and nginx opens a new one on the loopback).
keepalive = 30
#: A request that takes longer is a bug or an attack; the worker is replaced.
timeout = 30
graceful_timeout = 30
#: Workers are recycled now and then, so that slow growth (caches, fragmentation) never
#: accumulates; the jitter keeps them from restarting all at once.
max_requests = 20_000
max_requests_jitter = 2_000
#: Not preloaded: every worker builds its own application and database engine after the
#: fork, so no connection or pool is ever shared between processes.
preload_app = False
#: nginx on this machine sets X-Forwarded-For / -Proto; trust it only.
forwarded_allow_ips = "127.0.0.1"
#: nginx logs every request; a second access log here would cost throughput for nothing.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
