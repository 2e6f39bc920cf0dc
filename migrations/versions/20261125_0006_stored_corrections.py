"""store which status changes are corrections

The corrections log used to decide, for every status change of every published claim, whether
it was a correction by looking up the verdict the claim had before it: a correlated subquery
over the whole history (about five rows per claim), which took seconds at a million claims.
A change is a correction once and for ever, so the verdict it corrected is now written with
the row (``replaced_verdict``: the verdict a reopening left, or the earlier verdict a new,
different verdict replaced) and a partial index holds only the corrections.

Existing rows are filled in from their history, by the same rule.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Copied, not imported: migrations never import the models.
STATUSES = ("unverified", "in_review", "contested", "confirmed", "false", "misleading", "unproven")
RESOLVED = "('confirmed', 'false', 'misleading', 'unproven')"
UNRESOLVED = "('unverified', 'in_review', 'contested')"
PREDICATE = "replaced_verdict IS NOT NULL"

BACKFILL = [
    # A reopening corrects the verdict it leaves.
    f"UPDATE status_changes SET replaced_verdict = from_status "
    f"WHERE from_status IN {RESOLVED} AND to_status IN {UNRESOLVED}",
    # A verdict replaces the claim's newest earlier verdict ...
    f"UPDATE status_changes SET replaced_verdict = ("
    f" SELECT earlier.to_status FROM status_changes AS earlier"
    f" WHERE earlier.claim_id = status_changes.claim_id AND earlier.id < status_changes.id"
    f" AND earlier.to_status IN {RESOLVED} ORDER BY earlier.id DESC LIMIT 1) "
    f"WHERE to_status IN {RESOLVED}",
    # ... and corrects it only when it differs.
    "UPDATE status_changes SET replaced_verdict = NULL WHERE replaced_verdict = to_status",
]


def upgrade() -> None:
    with op.batch_alter_table("status_changes") as batch:
        batch.add_column(
            sa.Column(
                "replaced_verdict",
                sa.Enum(*STATUSES, name="replaced_verdict", native_enum=False, create_constraint=True),
                nullable=True,
            )
        )
    for statement in BACKFILL:
        op.execute(sa.text(statement))
    op.create_index(
        "ix_status_changes_corrections", "status_changes", ["at", "id"], unique=False,
        sqlite_where=sa.text(PREDICATE), postgresql_where=sa.text(PREDICATE),
    )


def downgrade() -> None:
    op.drop_index("ix_status_changes_corrections", table_name="status_changes")
    with op.batch_alter_table("status_changes") as batch:
        batch.drop_constraint("replaced_verdict", type_="check")
        batch.drop_column("replaced_verdict")
