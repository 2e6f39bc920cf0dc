"""archive requests the worker takes: a column of the report, a row for a status change

- ``reports.archive_requested``: the report's URL waits for the archiving worker (set with the
  report, cleared by the worker), with a partial index of the reports waiting. The request
  that adds a report used to write the address's ``archived_urls`` row and its
  ``archive_links`` row itself; the worker writes them now.
- ``evidence_archive_requests``: a status change whose evidence has links, not taken by the
  worker yet (status changes are never updated: their request is a row of its own). No
  foreign key (``factcheck/models/archive.py`` says why).

Requests written before this revision are already ``archived_urls`` rows: nothing to move.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("archive_requested", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_reports_archive_requested", "reports", ["id"], unique=False,
                    sqlite_where=sa.text("archive_requested"), postgresql_where=sa.text("archive_requested"))
    op.create_table(
        "evidence_archive_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status_change_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_evidence_archive_requests"),
    )


def downgrade() -> None:
    op.drop_table("evidence_archive_requests")
    op.drop_index("ix_reports_archive_requested", table_name="reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("archive_requested")
