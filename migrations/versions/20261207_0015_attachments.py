"""evidence files: attachments of claims and of status changes

- ``attachments``: one row per file attached to a claim (or to one of its status changes):
  its bytes' SHA-256 (the key in the file store, ``factcheck/storage.py``), size, the type its
  content was found to be, the name it was uploaded under, a description, who added it and
  when, and whether an editor made it public (and who, when).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("status_change_id", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("public_changed_at", sa.DateTime(), nullable=True),
        sa.Column("public_changed_by_id", sa.Integer(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_attachments_size_positive")),
        _fk("attachments", "claim_id", "claims", "CASCADE"),
        _fk("attachments", "status_change_id", "status_changes"),
        _fk("attachments", "public_changed_by_id", "users"),
        _fk("attachments", "added_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
    )
    op.create_index("ix_attachments_claim_id", "attachments", ["claim_id", "id"])
    op.create_index("ix_attachments_status_change_id", "attachments", ["status_change_id"])
    op.create_index("ix_attachments_sha256", "attachments", ["sha256"])


def downgrade() -> None:
    op.drop_table("attachments")
