"""a record a newsroom can trust: revisions, retractions, merges, public history, notes

- ``revisions``: every version of a claim's wording (text, context, tags), a statement's
  words, a source's details and a link's stance, with who, when and why. Existing rows get
  their first revision, as they stand.
- ``public_history``: what readers saw happen to each claim — its publication, then every
  status change while published — in place of deciding it from the desk's history when
  read. A move made while a claim was unpublished was never public and is no correction.
  Existing published claims get "published as …" at their publication time and every later
  status change, with corrections marked by the rule the services now apply.
  ``status_changes.replaced_verdict`` (a correction by the desk's history, public or not) and
  its index go.
- ``status_changes.note`` / ``override_note``: internal words, never published.
- retractions (``statements.retracted_*``) and unlinks (``claim_statements.unlinked_*``):
  nothing is deleted any more.
- ``statements.fingerprint``: the normalised text's hash, to refuse exact duplicates.
- ``statements.version``, ``sources.version``: optimistic locking of their edits.
- ``sources.merged_into_id`` and ``source_aliases``: merged duplicates.
- ``audit_events.changes``: before/after values of each change.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Copied, not imported: migrations never import the application.
STATUSES = ("unverified", "in_review", "contested", "confirmed", "false", "misleading", "unproven")
RESOLVED = frozenset({"confirmed", "false", "misleading", "unproven"})
KINDS = ("published", "unpublished", "status", "wording", "withdrawn")
CHUNK = 2000

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"})


def fingerprint(text: str) -> str:
    """``services.sources.fingerprint`` as of this revision."""
    normal = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    normal = " ".join(normal.split()).strip(" \"'.,;:!?-–—")
    return hashlib.sha256(normal.encode()).hexdigest()


def _status(name: str) -> sa.Enum:
    return sa.Enum(*STATUSES, name=name, native_enum=False, create_constraint=True, length=10)


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name="fk_revisions_actor_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_revisions"),
        sa.UniqueConstraint("subject_type", "subject_id", "number", name="uq_revisions_subject_number"),
    )
    op.create_table(
        "public_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum(*KINDS, name="public_kind", native_enum=False, create_constraint=True, length=11),
                  nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("status", _status("public_status"), nullable=False),
        sa.Column("previous_status", _status("public_previous_status"), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("previous_text", sa.Text(), nullable=True),
        sa.Column("replaced_verdict", _status("public_replaced_verdict"), nullable=True),
        sa.Column("correction", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status_change_id", sa.Integer(), nullable=True),
        sa.Column("statement_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name="fk_public_history_claim_id_claims",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["status_change_id"], ["status_changes.id"],
                                name="fk_public_history_status_change_id_status_changes"),
        sa.ForeignKeyConstraint(["statement_id"], ["statements.id"],
                                name="fk_public_history_statement_id_statements"),
        sa.PrimaryKeyConstraint("id", name="pk_public_history"),
    )
    op.create_index("ix_public_history_claim_id", "public_history", ["claim_id", "id"])
    op.create_index("ix_public_history_at", "public_history", ["at", "id"])
    op.create_index("ix_public_history_corrections", "public_history", ["at", "id"],
                    sqlite_where=sa.text("correction"), postgresql_where=sa.text("correction"))
    op.create_table(
        "source_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("merged_source_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name="fk_source_aliases_source_id_sources"),
        sa.ForeignKeyConstraint(["merged_source_id"], ["sources.id"],
                                name="fk_source_aliases_merged_source_id_sources"),
        sa.PrimaryKeyConstraint("id", name="pk_source_aliases"),
    )
    op.create_index("ix_source_aliases_source_id", "source_aliases", ["source_id"])

    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_sources_merged_into_id_sources", "sources", ["merged_into_id"], ["id"])
        batch.create_check_constraint("not_merged_into_self", "merged_into_id IS NULL OR merged_into_id <> id")
        batch.create_check_constraint("version_positive", "version >= 1")
        batch.create_index("ix_sources_merged_into_id", ["merged_into_id"])

    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("retracted_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("retracted_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("retraction_reason", sa.Text(), nullable=True))
        batch.create_foreign_key("fk_statements_retracted_by_id_users", "users", ["retracted_by_id"], ["id"])
        batch.create_check_constraint("version_positive", "version >= 1")
        batch.create_index("ix_statements_fingerprint", ["speaker_id", "fingerprint"])

    with op.batch_alter_table("claim_statements") as batch:
        batch.add_column(sa.Column("unlinked_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("unlinked_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("unlink_reason", sa.Text(), nullable=True))
        batch.create_foreign_key("fk_claim_statements_unlinked_by_id_users", "users", ["unlinked_by_id"], ["id"])

    op.drop_index("ix_status_changes_corrections", table_name="status_changes")
    with op.batch_alter_table("status_changes") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("override_note", sa.Text(), nullable=False, server_default=""))
        batch.drop_constraint("replaced_verdict", type_="check")
        batch.drop_column("replaced_verdict")

    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("changes", sa.JSON(), nullable=True))
        batch.create_index("ix_audit_events_subject", ["subject_type", "subject_id", "id"])

    # Expression indexes last: SQLite's batch mode cannot reflect them (a table rebuilt later
    # in this migration would reflect ``sources`` through its foreign keys).
    op.create_index("ix_sources_name_lower", "sources", [sa.text("lower(name)")])
    op.create_index("ix_source_aliases_name_lower", "source_aliases", [sa.text("lower(name)")])

    bind = op.get_bind()
    _fill_fingerprints(bind)
    _fill_first_revisions(bind)
    _fill_public_history(bind)


def _chunks(rows: list[Any]) -> Sequence[list[Any]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def _fill_fingerprints(bind: sa.engine.Connection) -> None:
    rows = bind.execute(sa.text("SELECT id, text FROM statements")).all()
    update = sa.text("UPDATE statements SET fingerprint = :f WHERE id = :id")
    for chunk in _chunks(rows):
        bind.execute(update, [{"f": fingerprint(text), "id": id_} for id_, text in chunk])


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def _fill_first_revisions(bind: sa.engine.Connection) -> None:
    """Revision 1 of every claim, statement, source and link, as it stands, by whoever
    created it, when it was created (``services.revisions.TRACKED`` as of this revision)."""
    tags: dict[int, list[str]] = {}
    for claim_id, name in bind.execute(
        sa.text("SELECT claim_tags.claim_id, tags.name FROM claim_tags JOIN tags ON tags.id = claim_tags.tag_id")
    ):
        tags.setdefault(claim_id, []).append(name)
    queries = {
        "claim": ("SELECT id, created_by_id, created_at, text, context FROM claims",
                  lambda r: {"text": r.text, "context": r.context, "tags": sorted(tags.get(r.id, []))}),
        "statement": ("SELECT id, created_by_id, created_at, text, kind, said_on, speaker_id, report_id, "
                      "relayed_by_id, relayed_through_id FROM statements",
                      lambda r: {"text": r.text, "kind": r.kind, "said_on": _iso(r.said_on),
                                 "speaker_id": r.speaker_id, "report_id": r.report_id,
                                 "relayed_by_id": r.relayed_by_id, "relayed_through_id": r.relayed_through_id}),
        "source": ("SELECT id, created_by_id, created_at, name, kind, description, anonymous, anonymity_reason, "
                   "sealed_identity, affiliation_id, url FROM sources",
                   lambda r: {"name": r.name, "kind": r.kind, "description": r.description,
                              "anonymous": bool(r.anonymous), "anonymity_reason": r.anonymity_reason,
                              "sealed_identity": r.sealed_identity, "affiliation_id": r.affiliation_id,
                              "url": r.url}),
        "link": ("SELECT id, created_by_id, created_at, stance, note FROM claim_statements",
                 lambda r: {"stance": r.stance, "note": r.note}),
    }
    insert = sa.text(
        "INSERT INTO revisions (subject_type, subject_id, number, \"values\", reason, actor_id, via, at) "
        "VALUES (:t, :i, 1, :v, '', :a, 'web', :at)"
    )
    for kind, (query, values) in queries.items():
        rows = bind.execute(sa.text(query)).all()
        for chunk in _chunks(rows):
            bind.execute(insert, [
                {"t": kind, "i": r.id, "v": json.dumps(values(r), ensure_ascii=False), "a": r.created_by_id,
                 "at": r.created_at}
                for r in chunk
            ])


def _fill_public_history(bind: sa.engine.Connection) -> None:
    """What readers of each published claim saw: "published as" the status it had at its
    publication, then every status change after it, corrections marked by the rule of
    ``services.public_history`` (a verdict readers saw, left or replaced by another)."""
    published = {
        claim_id: (at, text)
        for claim_id, at, text in bind.execute(
            sa.text("SELECT id, published_at, text FROM claims WHERE published_at IS NOT NULL")
        )
    }
    if not published:
        return
    history: dict[int, list[Any]] = {}
    for row in bind.execute(
        sa.text("SELECT status_changes.id, claim_id, to_status, at FROM status_changes "
                "JOIN claims ON claims.id = status_changes.claim_id "
                "WHERE claims.published_at IS NOT NULL ORDER BY claim_id, status_changes.id")
    ):
        history.setdefault(row.claim_id, []).append(row)
    insert = sa.text(
        "INSERT INTO public_history (claim_id, kind, at, status, previous_status, text, previous_text, "
        "replaced_verdict, correction, reason, status_change_id, statement_id) "
        "VALUES (:claim_id, :kind, :at, :status, :previous_status, :text, NULL, :replaced, :correction, NULL, "
        ":change_id, NULL)"
    )
    entries = []
    for claim_id, (published_at, text) in published.items():
        changes = history.get(claim_id, [])
        if not changes:
            continue
        before = [c for c in changes if _iso(c.at) <= _iso(published_at)] or changes[:1]
        shown = before[-1]
        entries.append({"claim_id": claim_id, "kind": "published", "at": published_at, "status": shown.to_status,
                        "previous_status": None, "text": text, "replaced": None, "correction": False,
                        "change_id": shown.id})
        status = shown.to_status
        last_verdict = status if status in RESOLVED else None
        for change in changes:
            if change.id <= shown.id:
                continue
            replaced = None
            if status in RESOLVED and change.to_status != status:
                replaced = status
            elif change.to_status in RESOLVED and last_verdict is not None and last_verdict != change.to_status:
                replaced = last_verdict
            entries.append({"claim_id": claim_id, "kind": "status", "at": change.at, "status": change.to_status,
                            "previous_status": status, "text": None, "replaced": replaced,
                            "correction": replaced is not None, "change_id": change.id})
            status = change.to_status
            if status in RESOLVED:
                last_verdict = status
    for chunk in _chunks(entries):
        bind.execute(insert, chunk)


#: Migration 0006's rule, to give ``replaced_verdict`` back its values on a downgrade.
REPLACED_VERDICT_BACKFILL = [
    "UPDATE status_changes SET replaced_verdict = from_status "
    "WHERE from_status IN ('confirmed', 'false', 'misleading', 'unproven') "
    "AND to_status IN ('unverified', 'in_review', 'contested')",
    "UPDATE status_changes SET replaced_verdict = ("
    " SELECT earlier.to_status FROM status_changes AS earlier"
    " WHERE earlier.claim_id = status_changes.claim_id AND earlier.id < status_changes.id"
    " AND earlier.to_status IN ('confirmed', 'false', 'misleading', 'unproven') ORDER BY earlier.id DESC LIMIT 1) "
    "WHERE to_status IN ('confirmed', 'false', 'misleading', 'unproven')",
    "UPDATE status_changes SET replaced_verdict = NULL WHERE replaced_verdict = to_status",
]


def downgrade() -> None:
    op.drop_index("ix_sources_name_lower", table_name="sources")
    op.drop_index("ix_source_aliases_name_lower", table_name="source_aliases")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_subject")
        batch.drop_column("changes")
    with op.batch_alter_table("status_changes") as batch:
        batch.add_column(sa.Column("replaced_verdict", _status("replaced_verdict"), nullable=True))
        batch.drop_column("override_note")
        batch.drop_column("note")
    for statement in REPLACED_VERDICT_BACKFILL:
        op.execute(sa.text(statement))
    op.create_index("ix_status_changes_corrections", "status_changes", ["at", "id"],
                    sqlite_where=sa.text("replaced_verdict IS NOT NULL"),
                    postgresql_where=sa.text("replaced_verdict IS NOT NULL"))
    with op.batch_alter_table("claim_statements") as batch:
        batch.drop_constraint("fk_claim_statements_unlinked_by_id_users", type_="foreignkey")
        batch.drop_column("unlink_reason")
        batch.drop_column("unlinked_by_id")
        batch.drop_column("unlinked_at")
    with op.batch_alter_table("statements") as batch:
        batch.drop_index("ix_statements_fingerprint")
        batch.drop_constraint("version_positive", type_="check")
        batch.drop_constraint("fk_statements_retracted_by_id_users", type_="foreignkey")
        batch.drop_column("retraction_reason")
        batch.drop_column("retracted_by_id")
        batch.drop_column("retracted_at")
        batch.drop_column("version")
        batch.drop_column("fingerprint")
    with op.batch_alter_table("sources") as batch:
        batch.drop_index("ix_sources_merged_into_id")
        batch.drop_constraint("version_positive", type_="check")
        batch.drop_constraint("not_merged_into_self", type_="check")
        batch.drop_constraint("fk_sources_merged_into_id_sources", type_="foreignkey")
        batch.drop_column("merged_into_id")
        batch.drop_column("version")
    op.drop_index("ix_source_aliases_source_id", table_name="source_aliases")
    op.drop_table("source_aliases")
    op.drop_index("ix_public_history_corrections", table_name="public_history")
    op.drop_index("ix_public_history_at", table_name="public_history")
    op.drop_index("ix_public_history_claim_id", table_name="public_history")
    op.drop_table("public_history")
    op.drop_table("revisions")
