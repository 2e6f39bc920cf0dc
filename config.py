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

    #: The organisation named as author of exported ClaimReview.
    ORGANISATION_NAME = os.environ.get("FACTCHECK_ORGANISATION_NAME", "factcheck newsroom")
    ORGANISATION_URL = os.environ.get("FACTCHECK_ORGANISATION_URL", "http://127.0.0.1:5000/")

    MAX_CONTENT_LENGTH = _int("FACTCHECK_MAX_CONTENT_LENGTH", 2 * 1024 * 1024)

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


class TestingConfig(Config):
    __test__ = False  # not a pytest test class
    ENV_NAME = "testing"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = True

    def __init__(self, database_url: str | None = None) -> None:
        self.SQLALCHEMY_DATABASE_URI = database_url or "sqlite://"
        self.SECRET_KEY = secrets.token_urlsafe(32)


def config_from_env() -> Config:
    """The configuration named by FACTCHECK_ENV (production unless told otherwise)."""
    name = os.environ.get("FACTCHECK_ENV", "production").lower()
    return {"development": DevelopmentConfig, "production": Config}.get(name, Config)()
