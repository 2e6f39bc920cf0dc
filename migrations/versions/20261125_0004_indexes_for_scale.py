"""indexes for scale

Measured at a million claims (see bench/RESULTS.md). Without these, the editor queue sorted
all unresolved claims for every page, the reader front page sorted every published claim, and
creating a claim (``unique_slug``'s ``slug LIKE 'base%'``) read the whole table, because
neither dialect can use the plain unique index on slug for a prefix match here:

- partial indexes on the unresolved claims, one per queue sort (priority, age, activity,
  deadline). Unresolved claims are a small, hot part of the table; each index holds only them,
  in the sort's order, so any page of the queue — the first or the ten-thousandth — is a short
  range read. The queue names the statuses as literals (``services/queue.py``), as both
  planners require to match a partial index's predicate;
- (priority, id) over every claim, for the desk's all-statuses list in priority order;
- published claims by status time, for the reader front page and claims list;
- a prefix index on slug: ``varchar_pattern_ops`` on PostgreSQL (its collation here is not
  C, so the unique index does not serve LIKE), ``COLLATE NOCASE`` on SQLite (whose LIKE is
  case-insensitive and uses only such an index). These two are dialect-specific, so they
  are not in the models and are listed in ``UNMANAGED_SCHEMA_OBJECTS``;
- PostgreSQL: the full-text GIN index (0003) without its "fast update" pending list. Every
  status change rewrites the claim's row (its indexed columns change, so the update cannot
  be HOT) and queues the text's words again in that list, which every search then reads in
  full until a vacuum empties it: at a million claims, searches slowed from 10 to 40 ms
  (p95) after a few thousand status changes. Without the list each update writes its words
  into the index at once, and searches read only the index.

Plain ``op.create_index`` (no batch block): adding an index never needs SQLite's
copy-and-move, which would drop the full-text triggers of migration 0003.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The unresolved statuses, written exactly as the models' predicate and the queue's query
#: write them (sorted): SQLite matches a partial index only to the same expression.
UNRESOLVED = "status IN ('contested', 'in_review', 'unverified')"
PUBLISHED = "published_at IS NOT NULL"

PARTIAL_INDEXES = [
    ("ix_claims_unresolved_priority", ["priority", "id"], UNRESOLVED),
    ("ix_claims_unresolved_age", ["id"], UNRESOLVED),
    ("ix_claims_unresolved_activity", ["last_activity_at", "id"], UNRESOLVED),
    ("ix_claims_unresolved_deadline", ["deadline", "id"], UNRESOLVED),
    ("ix_claims_published_recent", ["status_changed_at", "id"], PUBLISHED),
]

DIALECT_UP = {
    "postgresql": [
        "CREATE INDEX ix_claims_slug_prefix ON claims (slug varchar_pattern_ops)",
        "ALTER INDEX ix_claims_search SET (fastupdate = off)",
    ],
    "sqlite": ["CREATE INDEX ix_claims_slug_prefix ON claims (slug COLLATE NOCASE)"],
}
DIALECT_DOWN = {
    "postgresql": ["ALTER INDEX ix_claims_search RESET (fastupdate)", "DROP INDEX IF EXISTS ix_claims_slug_prefix"],
    "sqlite": ["DROP INDEX IF EXISTS ix_claims_slug_prefix"],
}


def upgrade() -> None:
    for name, columns, where in PARTIAL_INDEXES:
        op.create_index(
            name, "claims", columns, unique=False,
            sqlite_where=sa.text(where), postgresql_where=sa.text(where),
        )
    op.create_index("ix_claims_priority", "claims", ["priority", "id"], unique=False)
    for statement in DIALECT_UP.get(op.get_bind().dialect.name, []):
        op.execute(sa.text(statement))


def downgrade() -> None:
    for statement in DIALECT_DOWN.get(op.get_bind().dialect.name, []):
        op.execute(sa.text(statement))
    op.drop_index("ix_claims_priority", table_name="claims")
    for name, _, _ in reversed(PARTIAL_INDEXES):
        op.drop_index(name, table_name="claims")
