"""core schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_tags_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('checker', 'editor', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_nonce', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('unverified', 'in_review', 'contested', 'confirmed', 'false', 'misleading', 'unproven', name='status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(), nullable=False),
    sa.Column('priority', sa.SmallInteger(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('flag_contested', sa.Boolean(), nullable=False),
    sa.Column('flag_single_source', sa.Boolean(), nullable=False),
    sa.Column('flag_anonymous_only', sa.Boolean(), nullable=False),
    sa.CheckConstraint('priority BETWEEN 0 AND 3', name=op.f('ck_claims_priority_range')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_claims_version_positive')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_claims_assignee_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_claims_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('slug', name=op.f('uq_claims_slug'))
    )
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claims_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index('ix_claims_deadline', ['deadline', 'id'], unique=False)
        batch_op.create_index('ix_claims_last_activity_at', ['last_activity_at', 'id'], unique=False)
        batch_op.create_index('ix_claims_published_at', ['published_at', 'id'], unique=False)
        batch_op.create_index('ix_claims_queue_priority', ['status', 'priority', 'id'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('person', 'organisation', 'government', 'armed_group', 'media', 'document', name='source_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('anonymity_reason', sa.Text(), nullable=True),
    sa.Column('sealed_identity', sa.Text(), nullable=True),
    sa.Column('affiliation_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('affiliation_id IS NULL OR affiliation_id <> id', name=op.f('ck_sources_not_self_affiliated')),
    sa.CheckConstraint('anonymous OR sealed_identity IS NULL', name=op.f('ck_sources_sealed_only_if_anonymous')),
    sa.ForeignKeyConstraint(['affiliation_id'], ['sources.id'], name=op.f('fk_sources_affiliation_id_sources'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sources_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources'))
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_affiliation_id'), ['affiliation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sources_name'), ['name'], unique=False)

    op.create_table('claim_tags',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_tags_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_claim_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'tag_id', name=op.f('pk_claim_tags'))
    )
    with op.batch_alter_table('claim_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_tags_tag_id'), ['tag_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('outlet_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('retrieved_at', sa.DateTime(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('text_sha256', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reports_created_by_id_users')),
    sa.ForeignKeyConstraint(['outlet_id'], ['sources.id'], name=op.f('fk_reports_outlet_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('url', name=op.f('uq_reports_url'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_outlet_id'), ['outlet_id'], unique=False)

    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('unverified', 'in_review', 'contested', 'confirmed', 'false', 'misleading', 'unproven', name='from_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('unverified', 'in_review', 'contested', 'confirmed', 'false', 'misleading', 'unproven', name='to_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('independence_override', sa.Boolean(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('via', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('NOT independence_override OR length(override_reason) > 0', name=op.f('ck_status_changes_override_has_reason')),
    sa.CheckConstraint('length(reason) > 0', name=op.f('ck_status_changes_reason_required')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_status_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_status_changes_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index('ix_status_changes_at', ['at', 'id'], unique=False)
        batch_op.create_index('ix_status_changes_claim_id', ['claim_id', 'id'], unique=False)

    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('relayed_by_id', sa.Integer(), nullable=True),
    sa.Column('relayed_through_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('quote', 'paraphrase', name='statement_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('said_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('relayed_through_id IS NULL OR relayed_through_id <> id', name=op.f('ck_statements_not_self_relayed')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_statements_created_by_id_users')),
    sa.ForeignKeyConstraint(['relayed_by_id'], ['sources.id'], name=op.f('fk_statements_relayed_by_id_sources')),
    sa.ForeignKeyConstraint(['relayed_through_id'], ['statements.id'], name=op.f('fk_statements_relayed_through_id_statements')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_statements_report_id_reports')),
    sa.ForeignKeyConstraint(['speaker_id'], ['sources.id'], name=op.f('fk_statements_speaker_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statements_relayed_by_id'), ['relayed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_relayed_through_id'), ['relayed_through_id'], unique=False)
        batch_op.create_index('ix_statements_report_id', ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statements_speaker_id'), ['speaker_id'], unique=False)

    op.create_table('claim_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('stance', sa.Enum('asserts', 'denies', 'unconfirmed', 'mentions', name='stance', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_statements_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_claim_statements_created_by_id_users')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_claim_statements_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_statements')),
    sa.UniqueConstraint('claim_id', 'statement_id', name='uq_claim_statement')
    )
    with op.batch_alter_table('claim_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_statements_statement_id'), ['statement_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('claim_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_statements_statement_id'))

    op.drop_table('claim_statements')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_speaker_id'))
        batch_op.drop_index('ix_statements_report_id')
        batch_op.drop_index(batch_op.f('ix_statements_relayed_through_id'))
        batch_op.drop_index(batch_op.f('ix_statements_relayed_by_id'))

    op.drop_table('statements')
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_status_changes_claim_id')
        batch_op.drop_index('ix_status_changes_at')

    op.drop_table('status_changes')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_outlet_id'))

    op.drop_table('reports')
    with op.batch_alter_table('claim_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_tags_tag_id'))

    op.drop_table('claim_tags')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_name'))
        batch_op.drop_index(batch_op.f('ix_sources_affiliation_id'))

    op.drop_table('sources')
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index('ix_claims_queue_priority')
        batch_op.drop_index('ix_claims_published_at')
        batch_op.drop_index('ix_claims_last_activity_at')
        batch_op.drop_index('ix_claims_deadline')
        batch_op.drop_index(batch_op.f('ix_claims_assignee_id'))

    op.drop_table('claims')
    op.drop_table('users')
    op.drop_table('tags')
