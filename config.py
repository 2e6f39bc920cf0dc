"""Configuration, read from the environment.

`create_app()` takes one of these classes (or an instance of one).  Every value has a
safe default for a laptop: SQLite under ``instance/`` and a secret key generated once and
kept in ``instance/secret_key`` — never a secret written into the code.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("FACTCHECK_INSTANCE", ROOT / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def default_database_url() -> str:
    """The embedded default: one SQLite file under instance/."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE / 'factcheck.sqlite3'}"


def database_url() -> str:
    """DATABASE_URL if set (``postgresql://`` is mapped to the psycopg 3 driver)."""
    url = os.environ.get("DATABASE_URL") or default_database_url()
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_or_create_secret_key() -> str:
    """SECRET_KEY from the environment, else one generated and kept in instance/.

    Kept on disk (mode 0600) so that sessions survive a restart and every worker of one
    deployment signs with the same key.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class Config:
    """Production-ready defaults; development and tests override a few."""

    ENV_NAME = "production"
    DEBUG = False
    TESTING = False

    SQLALCHEMY_ECHO = _bool("SQLALCHEMY_ECHO", False)
    #: Seconds a SQLite writer waits for the write lock before giving up.
    SQLITE_BUSY_TIMEOUT = _int("SQLITE_BUSY_TIMEOUT", 30)

    #: Unresolved claims with no activity for this many days are flagged stale.
    STALE_AFTER_DAYS = _int("FACTCHECK_STALE_AFTER_DAYS", 7)

    #: Where readers reach this site (``https://factcheck.example.org/``): every absolute URL
    #: the site hands out — JSON-LD, Atom feeds, the ClaimReview feed, the API, the embed
    #: snippets — is built from it, never from the request's Host header (which a client
    #: chooses, and a cache would keep). Required in production (``factcheck.urls``).
    PUBLIC_BASE_URL = os.environ.get("FACTCHECK_PUBLIC_BASE_URL", "").strip()
    #: The organisation named as author of exported ClaimReview and of the feeds (its site;
    #: the public base URL when not set).
    ORGANISATION_NAME = os.environ.get("FACTCHECK_ORGANISATION_NAME", "factcheck newsroom")
    ORGANISATION_URL = os.environ.get("FACTCHECK_ORGANISATION_URL", "").strip()
    #: Seconds a browser or cache may serve a badge or embed card without asking again: a
    #: status change shows on embedded badges within this. A cache may then serve the old copy
    #: for STALE_WHILE_REVALIDATE more seconds while it fetches the new one in the background.
    BADGE_MAX_AGE = _int("FACTCHECK_BADGE_MAX_AGE", 60)
    BADGE_STALE_WHILE_REVALIDATE = _int("FACTCHECK_BADGE_STALE_WHILE_REVALIDATE", 30)
    #: Seconds a feed reader or cache may keep an Atom feed.
    FEED_MAX_AGE = _int("FACTCHECK_FEED_MAX_AGE", 300)
    #: ClaimReview import: a JSON file of {"verdict as published": "status"}, over the defaults.
    CLAIMREVIEW_RATINGS_FILE = os.environ.get("FACTCHECK_CLAIMREVIEW_RATINGS") or None

    MAX_CONTENT_LENGTH = _int("FACTCHECK_MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    #: A verdict reaches readers only once an editor other than the one who set it signs it
    #: off (services/signoff.py). A newsroom that works alone turns it off.
    SIGNOFF_REQUIRED = _bool("FACTCHECK_SIGNOFF_REQUIRED", True)
    #: Seconds of CPU an extraction may take for one request (desk page or API): past it, what
    #: was found so far is returned with a notice that the text was cut, never a stalled worker.
    EXTRACTION_TIME_BUDGET = float(os.environ.get("FACTCHECK_EXTRACTION_TIME_BUDGET", "3"))

    #: Writes allowed per API token (or per address, without a valid token), in the notation
    #: of the ``limits`` library: ``120/minute``, ``1000/hour``…
    API_WRITE_RATE_LIMIT = os.environ.get("FACTCHECK_API_WRITE_RATE_LIMIT", "120/minute")
    #: ``redis://host:port/db`` to hold rate-limit counters in Redis; without it they are held
    #: in the database (table ``rate_limit_counters``). Either way all workers share them.
    REDIS_URL = os.environ.get("REDIS_URL") or None

    #: A signed-in session ends after this long without a request, and after this long at all.
    SESSION_IDLE_TIMEOUT = _int("FACTCHECK_SESSION_IDLE_MINUTES", 60) * 60
    SESSION_ABSOLUTE_TIMEOUT = _int("FACTCHECK_SESSION_MAX_HOURS", 12) * 3600
    #: Sign-in throttling: failures allowed, free of any delay, per account from one address
    #: (…_PER_ACCOUNT) and per address at any accounts (…_PER_ADDRESS); a count is forgotten
    #: after LOGIN_THROTTLE_WINDOW without a new failure.
    LOGIN_MAX_FAILURES_PER_ACCOUNT = _int("FACTCHECK_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    LOGIN_MAX_FAILURES_PER_ADDRESS = _int("FACTCHECK_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    LOGIN_THROTTLE_WINDOW = _int("FACTCHECK_LOGIN_THROTTLE_MINUTES", 15) * 60
    #: Past those free failures, each further attempt from that address (at that account, or
    #: at any account) waits LOGIN_DELAY_SECONDS, then twice as long after each new failure,
    #: up to LOGIN_MAX_DELAY: growing delays, never a lock that the right password cannot pass
    #: from another address. The same counts hold for "current password" on the password page.
    LOGIN_DELAY_SECONDS = _int("FACTCHECK_LOGIN_DELAY_SECONDS", 1)
    LOGIN_MAX_DELAY = _int("FACTCHECK_LOGIN_MAX_DELAY_MINUTES", 15) * 60
    #: How many proxies in front of the application set X-Forwarded-For / -Proto (werkzeug's
    #: ProxyFix). 0 (the default) trusts no such header: every address is the socket's.
    #: The documented deployment (deploy/nginx.conf.example) is one nginx: set 1. More than
    #: the real number lets any client choose the address it is throttled and audited under.
    #: (Read as text: ``factcheck.proxy`` checks it and says what is wrong at start-up.)
    PROXY_HOPS = os.environ.get("FACTCHECK_PROXY_HOPS", "").strip() or "0"
    #: CSRF is checked by the app for every unsafe non-API request (the API uses bearer tokens).
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)

    def __init__(self) -> None:
        # Read at instantiation, not import, so that tests and the CLI can set the
        # environment first.
        self.SQLALCHEMY_DATABASE_URI = database_url()
        self.SECRET_KEY = load_or_create_secret_key()


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = True
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    #: ``make run`` serves here.
    PUBLIC_BASE_URL = Config.PUBLIC_BASE_URL or "http://127.0.0.1:5000/"


class TestingConfig(Config):
    __test__ = False  # not a pytest test class
    ENV_NAME = "testing"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True
    PUBLIC_BASE_URL = "https://factcheck.example.org/"
    #: Off for the suite's other tests (each publishes and moves claims as one person);
    #: tests/test_signoff.py turns it on, and tests it both ways.
    SIGNOFF_REQUIRED = False

    def __init__(self, database_url: str | None = None) -> None:
        self.SQLALCHEMY_DATABASE_URI = database_url or "sqlite://"
        self.SECRET_KEY = secrets.token_urlsafe(32)


def config_from_env() -> Config:
    """The configuration named by FACTCHECK_ENV (production unless told otherwise)."""
    name = os.environ.get("FACTCHECK_ENV", "production").lower()
    return {"development": DevelopmentConfig, "production": Config}.get(name, Config)()
