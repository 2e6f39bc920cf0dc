"""The migration history: one head, every step up and down, models equal to the schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text

from factcheck.db import make_engine
from factcheck.migrate import alembic_config
from factcheck.models import Base
from factcheck.models.base import include_in_comparison


@pytest.fixture
def fresh_engine(db_url: str, tmp_path) -> Iterator[Engine]:
    """An empty database of the run's kind: a new SQLite file, or a new PostgreSQL schema."""
    if db_url.startswith("sqlite"):
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
        yield engine
        engine.dispose()
        return
    schema = f"mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(db_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(db_url, connect_args={"options": f"-csearch_path={schema}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _run(engine: Engine, fn, *args) -> None:
    cfg = alembic_config()
    cfg.attributes["configure_logger"] = False
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        fn(cfg, *args)
        connection.commit()


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_single_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}; merge them"


def test_every_revision_upgrades_and_downgrades(fresh_engine: Engine) -> None:
    revisions = _revisions()
    assert revisions, "no migrations found"
    for rev in revisions:
        _run(fresh_engine, command.upgrade, rev)
    tables = set(inspect(fresh_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    for rev in reversed(revisions):
        _run(fresh_engine, command.downgrade, "-1")
    assert set(inspect(fresh_engine).get_table_names()) <= {"alembic_version"}
    # And back up again: downgrades leave nothing behind that blocks a new upgrade.
    _run(fresh_engine, command.upgrade, "head")


def test_models_match_migrated_schema(fresh_engine: Engine) -> None:
    _run(fresh_engine, command.upgrade, "head")
    with fresh_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_in_comparison})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


SEED_AT_FIRST_REVISION = [
    "INSERT INTO users (id, email, name, role, password_hash, active, session_nonce, created_at) "
    "VALUES (1, 'desk@example.org', 'Desk', 'editor', 'x', TRUE, 0, '2019-10-08 10:00:00')",
    "INSERT INTO sources (id, kind, name, description, anonymous, affiliation_id, created_at, updated_at) "
    "VALUES (1, 'government', 'Government of Afghanistan', '', FALSE, NULL, '2019-10-08 10:00:00', '2019-10-08 10:00:00')",
    "INSERT INTO sources (id, kind, name, description, anonymous, affiliation_id, created_at, updated_at) "
    "VALUES (2, 'government', 'NDS', '', FALSE, 1, '2019-10-08 10:00:00', '2019-10-08 10:00:00')",
    "INSERT INTO sources (id, kind, name, description, anonymous, anonymity_reason, sealed_identity, created_at, updated_at) "
    "VALUES (3, 'person', 'Official in Karachi', '', TRUE, 'Requested anonymity', 'Known to the editor', "
    "'2019-10-08 10:00:00', '2019-10-08 10:00:00')",
    "INSERT INTO reports (id, url, outlet_id, title, created_at) "
    "VALUES (1, 'https://www.samaa.tv/', NULL, 'AQIS leader killed', '2019-10-08 10:00:00')",
    "INSERT INTO statements (id, speaker_id, report_id, text, kind, created_at) "
    "VALUES (1, 2, 1, 'Umar was killed in Musa Qala.', 'paraphrase', '2019-10-08 10:00:00')",
    "INSERT INTO claims (id, slug, text, context, status, status_changed_at, priority, version, created_at, "
    "last_activity_at, flag_contested, flag_single_source, flag_anonymous_only) VALUES (1, 'umar-killed', "
    "'Asim Umar was killed in Musa Qala', '', 'in_review', '2019-10-08 11:00:00', 2, 3, '2019-10-08 10:00:00', "
    "'2019-10-08 11:00:00', FALSE, TRUE, FALSE)",
    "INSERT INTO claim_statements (id, claim_id, statement_id, stance, note, created_at) "
    "VALUES (1, 1, 1, 'asserts', '', '2019-10-08 10:30:00')",
    "INSERT INTO status_changes (id, claim_id, from_status, to_status, reason, evidence, independence_override, via, "
    "version, at) VALUES (1, 1, NULL, 'unverified', 'Claim entered.', '', FALSE, 'web', 1, '2019-10-08 10:00:00')",
    "INSERT INTO status_changes (id, claim_id, from_status, to_status, reason, evidence, independence_override, via, "
    "version, at) VALUES (2, 1, 'unverified', 'in_review', 'Checking', '', FALSE, 'web', 3, '2019-10-08 11:00:00')",
    "INSERT INTO tags (id, name) VALUES (1, 'afghanistan')",
    "INSERT INTO claim_tags (claim_id, tag_id) VALUES (1, 1)",
]


TABLES = ("users", "sources", "reports", "statements", "claims", "claim_statements", "status_changes", "tags",
          "claim_tags")


def _columns(engine: Engine) -> dict[str, list[str]]:
    inspector = inspect(engine)
    return {name: [c["name"] for c in inspector.get_columns(name)] for name in TABLES}


def _rows(engine: Engine, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of every table, in the columns given (those of an earlier revision)."""
    with engine.connect() as conn:
        return {
            name: [tuple(r) for r in conn.execute(text(f"SELECT {', '.join(cols)} FROM {name} ORDER BY 1"))]
            for name, cols in columns.items()
        }


def test_upgrading_a_populated_database_loses_nothing(fresh_engine: Engine) -> None:
    first = _revisions()[0]
    _run(fresh_engine, command.upgrade, first)
    with fresh_engine.begin() as conn:
        for statement in SEED_AT_FIRST_REVISION:
            conn.execute(text(statement))
    columns = _columns(fresh_engine)
    before = _rows(fresh_engine, columns)
    _run(fresh_engine, command.upgrade, "head")
    assert _rows(fresh_engine, columns) == before
    if fresh_engine.dialect.name == "sqlite":  # foreign keys were on throughout and still hold
        with fresh_engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    from sqlalchemy.orm import Session

    from factcheck.services.search import search_claims

    with Session(fresh_engine) as session:  # rows from before the search migration are indexed
        assert [c.slug for c in search_claims(session, "Musa Qala")] == ["umar-killed"]


def test_stored_corrections_are_filled_in_from_history(fresh_engine: Engine) -> None:
    """Migration 0006 marks existing corrections by the rule ``change_status`` now applies."""
    _run(fresh_engine, command.upgrade, "0005")
    history = [  # (from, to, the verdict it corrects)
        (None, "unverified", None),
        ("unverified", "in_review", None),
        ("in_review", "false", None),  # a first verdict corrects nothing
        ("false", "in_review", "false"),  # reopened
        ("in_review", "contested", None),
        ("contested", "false", None),  # the same verdict again
        ("false", "contested", "false"),
        ("contested", "confirmed", "false"),  # reversed
    ]
    with fresh_engine.begin() as conn:
        for statement in SEED_AT_FIRST_REVISION[:5] + [SEED_AT_FIRST_REVISION[6]]:
            conn.execute(text(statement))
        for number, (frm, to, _) in enumerate(history, start=1):
            conn.execute(
                text(
                    "INSERT INTO status_changes (id, claim_id, from_status, to_status, reason, evidence, "
                    "independence_override, via, version, at) VALUES (:id, 1, :frm, :to, 'Because', '', FALSE, "
                    "'web', :id, '2019-10-08 10:00:00')"
                ),
                {"id": number, "frm": frm, "to": to},
            )
    _run(fresh_engine, command.upgrade, "0006")
    with fresh_engine.connect() as conn:
        stored = conn.execute(text("SELECT replaced_verdict FROM status_changes ORDER BY id")).scalars().all()
    assert stored == [expected for _, _, expected in history]


def test_0007_moves_existing_data_forward(fresh_engine: Engine) -> None:
    """Migration 0007 on a populated database: every claim, statement, source and link gets its
    first revision as it stands; a published claim gets the public history its readers saw
    (published as the status it had then, every change after it, corrections marked); nothing
    is retracted or unlinked, so every statement still counts; fingerprints are filled in."""
    _run(fresh_engine, command.upgrade, "0006")
    published = [  # (from, to, at): entered, reviewed and found false before publication at 12:00,
        (None, "unverified", "10:00"), ("unverified", "in_review", "10:30"), ("in_review", "false", "11:00"),
        ("false", "in_review", "11:30"),  # reopened unpublished: no correction readers saw
        ("in_review", "false", "13:00"),  # readers' first verdict
        ("false", "in_review", "14:00"),  # a correction: reopened
        ("in_review", "confirmed", "15:00"),  # a correction: the verdict readers saw replaced
    ]
    with fresh_engine.begin() as conn:
        for statement in SEED_AT_FIRST_REVISION[:6]:
            conn.execute(text(statement))
        conn.execute(text(
            "INSERT INTO claims (id, slug, text, context, status, status_changed_at, priority, version, created_at, "
            "last_activity_at, flag_contested, flag_single_source, flag_anonymous_only, published_at) VALUES "
            "(1, 'umar-killed', 'Asim Umar was killed', 'Desk context', 'confirmed', '2019-10-08 15:00:00', 1, 8, "
            "'2019-10-08 10:00:00', '2019-10-08 15:00:00', FALSE, TRUE, FALSE, '2019-10-08 12:00:00')"))
        conn.execute(text(SEED_AT_FIRST_REVISION[7]))
        for statement in SEED_AT_FIRST_REVISION[-2:]:
            conn.execute(text(statement))
        for number, (frm, to, at) in enumerate(published, start=1):
            conn.execute(text(
                "INSERT INTO status_changes (id, claim_id, from_status, to_status, reason, evidence, "
                "independence_override, override_reason, via, version, at) VALUES (:id, 1, :frm, :to, 'Because', '', "
                ":over, :why, 'web', :id, :at)"),
                {"id": number, "frm": frm, "to": to, "at": f"2019-10-08 {at}:00", "over": to == "confirmed",
                 "why": "Editor's call" if to == "confirmed" else None})
    _run(fresh_engine, command.upgrade, "0007")
    with fresh_engine.connect() as conn:
        revisions = conn.execute(text("SELECT subject_type, subject_id, number FROM revisions ORDER BY 1, 2")).all()
        assert revisions == [("claim", 1, 1), ("link", 1, 1), ("source", 1, 1), ("source", 2, 1), ("source", 3, 1),
                             ("statement", 1, 1)]
        claim_values = conn.execute(text("SELECT \"values\" FROM revisions WHERE subject_type = 'claim'")).scalar()
        if isinstance(claim_values, str):
            import json

            claim_values = json.loads(claim_values)
        assert claim_values == {"text": "Asim Umar was killed", "context": "Desk context", "tags": ["afghanistan"]}
        entries = conn.execute(text(
            "SELECT kind, status, previous_status, replaced_verdict, correction, status_change_id "
            "FROM public_history ORDER BY id")).all()
        assert [tuple(e) for e in entries] == [
            ("published", "in_review", None, None, False, 4),
            ("status", "false", "in_review", None, False, 5),
            ("status", "in_review", "false", "false", True, 6),
            ("status", "confirmed", "in_review", "false", True, 7),
        ]
        assert conn.execute(text("SELECT fingerprint IS NOT NULL, version, retracted_at FROM statements")).one() == (
            True, 1, None)
        assert conn.execute(text("SELECT unlinked_at FROM claim_statements")).scalar() is None
        assert conn.execute(text("SELECT note, override_note FROM status_changes WHERE id = 7")).one() == ("", "")
