"""drop the slug prefix index

Migration 0004 added ``ix_claims_slug_prefix`` (``varchar_pattern_ops`` on PostgreSQL,
``COLLATE NOCASE`` on SQLite) so that ``unique_slug``'s ``slug LIKE 'base%'`` would not read
the whole claims table. ``unique_slug`` has since been rewritten to probe its candidates with
one ``IN`` lookup on the unique index, and nothing else matches slugs by prefix: the index
would only cost every new claim an index insertion. Downgrading puts it back as 0004 made it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: As migration 0004 created it, per dialect (copied: migrations never import each other).
SLUG_PREFIX = {
    "postgresql": "CREATE INDEX ix_claims_slug_prefix ON claims (slug varchar_pattern_ops)",
    "sqlite": "CREATE INDEX ix_claims_slug_prefix ON claims (slug COLLATE NOCASE)",
}


def upgrade() -> None:
    op.execute(sa.text("DROP INDEX IF EXISTS ix_claims_slug_prefix"))


def downgrade() -> None:
    statement = SLUG_PREFIX.get(op.get_bind().dialect.name)
    if statement:
        op.execute(sa.text(statement))
