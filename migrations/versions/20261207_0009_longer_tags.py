"""tags of up to 100 characters

Tags are bounded to 50 per claim of at most 100 characters (services.claims.MAX_TAGS,
MAX_TAG_LENGTH), stated in the API's document; the column held 80.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tags") as batch:
        batch.alter_column("name", existing_type=sa.String(length=80), type_=sa.String(length=100),
                           existing_nullable=False)


def downgrade() -> None:
    # A tag longer than 80 characters is cut (the older schema cannot hold it).
    op.execute(sa.text("UPDATE tags SET name = substr(name, 1, 80) WHERE length(name) > 80"))
    with op.batch_alter_table("tags") as batch:
        batch.alter_column("name", existing_type=sa.String(length=100), type_=sa.String(length=80),
                           existing_nullable=False)
