"""gunicorn settings for factcheck in production.

    gunicorn -c deploy/gunicorn.conf.py 'factcheck:create_app()'

behind nginx (deploy/nginx.conf.example), which caches badges and embed cards and serves
static files. Environment: FACTCHECK_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY
(workers), GUNICORN_THREADS (threads per worker), plus the application's own (DATABASE_URL,
SECRET_KEY…).

Worker class and counts were chosen from measurements on a 2-core machine (bench/RESULTS.md,
"Server set-up"), badge and constant route side by side, SQLite and PostgreSQL:

@MEASURED@
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("FACTCHECK_BIND", "127.0.0.1:8000")

#: @WHY_CLASS@
worker_class = "gthread"
#: @WHY_COUNT@
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

#: Kept open between requests from nginx (its upstream ``keepalive``): no TCP handshake per
#: request on the loopback.
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
