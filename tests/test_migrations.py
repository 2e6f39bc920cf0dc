"""The migration history: one head, every step up and down, models equal to the schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text

from factcheck.db import make_engine
from factcheck.migrate import alembic_config
from factcheck.models import Base
from factcheck.models.base import include_in_comparison


@pytest.fixture
def fresh_engine(db_url: str, tmp_path) -> Iterator[Engine]:
    """An empty database of the run's kind: a new SQLite file, or a new PostgreSQL schema."""
    if db_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield engine
        engine.dispose()
        return
    schema = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(db_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(db_url, connect_args={"options": f"-csearch_path={schema}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _run(engine: Engine, fn, *args) -> None:
    cfg = alembic_config()
    cfg.attributes["configure_logger"] = False
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        fn(cfg, *args)
        connection.commit()


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}; merge them"


def test_every_revision_upgrades_and_downgrades(fresh_engine: Engine) -> None:
    revisions = _revisions()
    assert revisions, "no migrations found"
    for rev in revisions:
        _run(fresh_engine, command.upgrade, rev)
    tables = set(inspect(fresh_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    for rev in reversed(revisions):
        _run(fresh_engine, command.downgrade, "-1")
    assert set(inspect(fresh_engine).get_table_names()) <= {"alembic_version"}
    # And back up again: downgrades leave nothing behind that blocks a new upgrade.
    _run(fresh_engine, command.upgrade, "head")


def test_models_match_migrated_schema(fresh_engine: Engine) -> None:
    _run(fresh_engine, command.upgrade, "head")
    with fresh_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_in_comparison})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
