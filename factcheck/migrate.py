"""Alembic, driven from the application (``flask --app factcheck db upgrade``) and tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from . import ROOT


def alembic_config(url: str | None = None) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` (its SQLite settings apply) to ``revision``."""
    cfg = alembic_config()
    cfg.attributes["configure_logger"] = False
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
        connection.commit()


def heads() -> list[str]:
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())
