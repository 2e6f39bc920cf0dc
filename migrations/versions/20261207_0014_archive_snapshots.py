"""archived copies of reports and evidence links, and change detection

- ``archived_urls``: every address the tracker keeps copies of, its state and when it is next
  fetched (its archive request, then its schedule of re-checks).
- ``archive_links``: which reports and status changes (of which claims) cite each address.
- ``snapshots``: each fetch that found something new — a kept copy (bytes in the file store
  by SHA-256, final URL, HTTP status, content type, readable text), the page gone, or a fetch
  refused or failed, with why.

Every report already recorded, and every http(s) link in an existing status change's
evidence, is left unarchived here: ``flask archive backfill`` requests them (a fetch of each
would otherwise start, all at once, the moment the worker starts after the upgrade).

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "archived_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_check_at", sa.DateTime(), nullable=True),
        sa.Column("last_checked_at", sa.DateTime(), nullable=True),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=True),
        sa.Column("gone_since", sa.DateTime(), nullable=True),
        sa.Column("wayback_url", sa.String(length=2000), nullable=True),
        sa.Column("wayback_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_archived_urls"),
        sa.UniqueConstraint("url", name="uq_archived_urls_url"),
    )
    op.create_index("ix_archived_urls_next_check_at", "archived_urls", ["next_check_at"])
    op.create_table(
        "archive_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archived_url_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("status_change_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("report_id IS NOT NULL OR claim_id IS NOT NULL", name=op.f("ck_archive_links_cites_something")),
        _fk("archive_links", "archived_url_id", "archived_urls", "CASCADE"),
        _fk("archive_links", "report_id", "reports", "CASCADE"),
        _fk("archive_links", "claim_id", "claims", "CASCADE"),
        _fk("archive_links", "status_change_id", "status_changes", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_archive_links"),
    )
    op.create_index("ix_archive_links_report_id", "archive_links", ["report_id"])
    op.create_index("ix_archive_links_claim_id", "archive_links", ["claim_id"])
    op.create_index("ix_archive_links_archived_url_id", "archive_links", ["archived_url_id"])
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("archived_url_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=False),
        sa.Column("repeats", sa.Integer(), nullable=False),
        sa.Column("requested_url", sa.String(length=2000), nullable=False),
        sa.Column("final_url", sa.String(length=2000), nullable=True),
        sa.Column("redirects", sa.JSON(), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("diff", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        _fk("snapshots", "archived_url_id", "archived_urls", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
    )
    op.create_index("ix_snapshots_archived_url_id", "snapshots", ["archived_url_id", "id"])


def downgrade() -> None:
    for table in ("snapshots", "archive_links", "archived_urls"):
        op.drop_table(table)
