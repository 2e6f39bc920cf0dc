"""claim full-text search

SQLite: an FTS5 external-content table over claims.text, kept in step by triggers.
PostgreSQL: a GIN index on to_tsvector('english', text).

Neither object is in the ORM models (they are dialect-specific); ``UNMANAGED_SCHEMA_OBJECTS``
in ``factcheck/models/base.py`` tells Alembic's comparison to leave them alone.

Note for later migrations: a batch (copy-and-move) migration of ``claims`` on SQLite drops
these triggers with the old table; such a migration must call ``create_sqlite_triggers``'s
statements again (copy them) after the batch block.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE claims_fts USING fts5(text, content='claims', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN "
    "INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claims_fts_au AFTER UPDATE OF text ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS claims_fts_au",
    "DROP TRIGGER IF EXISTS claims_fts_ad",
    "DROP TRIGGER IF EXISTS claims_fts_ai",
    "DROP TABLE IF EXISTS claims_fts",
]
POSTGRESQL_UP = [
    "CREATE INDEX ix_claims_search ON claims USING gin (to_tsvector('english'::regconfig, text))",
]
POSTGRESQL_DOWN = ["DROP INDEX IF EXISTS ix_claims_search"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(sa.text(statement))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRESQL_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRESQL_DOWN)
