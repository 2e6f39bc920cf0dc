"""the desk as a team's workspace: notes, watching, inbox, sign-off, outbox, webhooks

- ``claims.public_status``: what readers see (the newest public entry's status), filled in
  for published claims; a verdict waiting for sign-off leaves it as it was.
- ``notes``, ``note_mentions``, ``watches``, ``notifications``: the team's conversation, who
  follows a claim, what each person must look at.
- ``signoffs``: verdicts waiting for a second editor.
- ``outbox``, ``webhooks``, ``webhook_deliveries``: events delivered after the change.
- ``saved_filters``, ``review_details``; users' e-mail choices and "my work" read mark.

Columns are added to ``claims`` without SQLite's batch mode (a rebuilt table would lose the
full-text triggers of 0003).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("unverified", "in_review", "contested", "confirmed", "false", "misleading", "unproven")


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.add_column("claims", sa.Column(
        "public_status", sa.Enum(*STATUSES, name="public_status", native_enum=False, create_constraint=False,
                                 length=10), nullable=True))
    op.execute(sa.text(
        "UPDATE claims SET public_status = (SELECT p.status FROM public_history p WHERE p.claim_id = claims.id "
        "ORDER BY p.id DESC LIMIT 1) WHERE published_at IS NOT NULL"))
    # Published claims with no entry (none after 0007, but say so rather than leave a hole).
    op.execute(sa.text("UPDATE claims SET public_status = status WHERE published_at IS NOT NULL AND public_status IS NULL"))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email_now", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("email_digest", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("my_work_seen_at", sa.DateTime(), nullable=True))

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        _fk("notes", "claim_id", "claims", "CASCADE"), _fk("notes", "author_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
    )
    op.create_index("ix_notes_claim_id", "notes", ["claim_id", "id"])
    op.create_index("ix_notes_author_id", "notes", ["author_id"])
    op.create_table(
        "note_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _fk("note_mentions", "note_id", "notes", "CASCADE"), _fk("note_mentions", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_note_mentions"),
        sa.UniqueConstraint("note_id", "user_id", name="uq_note_mentions_note_user"),
    )
    op.create_index("ix_note_mentions_user_id", "note_mentions", ["user_id"])
    op.create_table(
        "watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=True),
        _fk("watches", "user_id", "users", "CASCADE"), _fk("watches", "claim_id", "claims", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_watches"),
        sa.UniqueConstraint("user_id", "claim_id", name="uq_watches_user_claim"),
    )
    op.create_index("ix_watches_claim_id", "watches", ["claim_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        _fk("notifications", "user_id", "users", "CASCADE"), _fk("notifications", "claim_id", "claims", "CASCADE"),
        _fk("notifications", "actor_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
    )
    op.create_index("ix_notifications_user_unread", "notifications", ["user_id", "read_at", "id"])
    op.create_table(
        "signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("verdict", "publish", name="signoff_kind", native_enum=False, create_constraint=True,
                                  length=7), nullable=False),
        sa.Column("state", sa.Enum("pending", "approved", "returned", "withdrawn", name="signoff_state",
                                   native_enum=False, create_constraint=True, length=9), nullable=False),
        sa.Column("status_change_id", sa.Integer(), nullable=False),
        sa.Column("verdict_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _fk("signoffs", "claim_id", "claims", "CASCADE"), _fk("signoffs", "status_change_id", "status_changes"),
        _fk("signoffs", "verdict_by_id", "users"), _fk("signoffs", "requested_by_id", "users"),
        _fk("signoffs", "decided_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_signoffs"),
    )
    op.create_index("ix_signoffs_pending", "signoffs", ["state", "requested_at", "id"])
    op.create_index("ix_signoffs_claim_id", "signoffs", ["claim_id", "id"])
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("webhooks", "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name="pk_webhooks"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("notification_id", sa.Integer(), nullable=True),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        _fk("outbox", "claim_id", "claims", "SET NULL"), _fk("outbox", "notification_id", "notifications", "SET NULL"),
        _fk("outbox", "webhook_id", "webhooks", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_undelivered", "outbox", ["next_attempt_at", "id"],
                    sqlite_where=sa.text("delivered_at IS NULL"), postgresql_where=sa.text("delivered_at IS NULL"))
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        _fk("webhook_deliveries", "webhook_id", "webhooks", "CASCADE"),
        _fk("webhook_deliveries", "outbox_id", "outbox", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
    )
    op.create_index("ix_webhook_deliveries_webhook_id", "webhook_deliveries", ["webhook_id", "id"])
    op.create_table(
        "saved_filters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("page", sa.String(length=40), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("saved_filters", "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_saved_filters"),
        sa.UniqueConstraint("user_id", "name", name="uq_saved_filters_user_name"),
    )
    op.create_table(
        "review_details",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("claimant_id", sa.Integer(), nullable=True),
        sa.Column("appearance_url", sa.String(length=2000), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("review_details", "claim_id", "claims", "CASCADE"), _fk("review_details", "claimant_id", "sources"),
        _fk("review_details", "updated_by_id", "users"),
        sa.PrimaryKeyConstraint("claim_id", name="pk_review_details"),
    )


def downgrade() -> None:
    for table in ("review_details", "saved_filters", "webhook_deliveries", "outbox", "webhooks", "signoffs",
                  "notifications", "watches", "note_mentions", "notes"):
        op.drop_table(table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("my_work_seen_at")
        batch.drop_column("email_digest")
        batch.drop_column("email_now")
    op.drop_column("claims", "public_status")
