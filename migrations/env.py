"""Alembic environment.

Imports the models, never ``current_app``: plain ``alembic``, the application's
``flask --app factcheck db upgrade`` and pytest-alembic all run it.  A caller may hand over a
connection in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

import config as app_config
from factcheck.db import make_engine
from factcheck.models import Base
from factcheck.models.base import UTCDateTime, include_in_comparison

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render project column types as plain SQLAlchemy ones: migrations never import models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite's documented ALTER TABLE procedure: rebuilding a table (batch mode) with
        # foreign keys enforced would cascade or fail, so enforcement pauses during the
        # migration and `PRAGMA foreign_key_check` proves the result consistent after it.
        if connection.in_transaction():
            connection.commit()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
        include_object=include_in_comparison,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    if sqlite:
        if connection.in_transaction():
            connection.commit()
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or app_config.database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or app_config.database_url())
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
