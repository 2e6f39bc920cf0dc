"""sign-in throttle: failed attempts per address and per (account, address)

``signin_throttle`` holds, per address (``email`` empty) and per account from an address, how
many password attempts failed and when the last one did. Sign-in and the password page lock
the rows they decide on, so that parallel guesses cannot all pass on the same count; the
delays grow with the count instead of locking an account. ``login_attempts`` stays as the
record of every attempt whose password was checked.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signin_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_signin_throttle"),
        sa.UniqueConstraint("address", "email", name="uq_signin_throttle_address_email"),
    )
    with op.batch_alter_table("signin_throttle", schema=None) as batch_op:
        batch_op.create_index("ix_signin_throttle_email", ["email"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("signin_throttle", schema=None) as batch_op:
        batch_op.drop_index("ix_signin_throttle_email")
    op.drop_table("signin_throttle")
