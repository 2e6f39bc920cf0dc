"""The command line: users and the demo, each one transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.db import get_database
from factcheck.models import Claim, User


@pytest.fixture
def cli_app(committed_app):
    return committed_app


def test_user_create_from_stdin(cli_app) -> None:
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["user", "create", "Desk@Example.org", "--role", "editor", "--password-stdin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    assert "Created editor desk@example.org" in result.output
    with get_database(cli_app).read_sessions() as s:
        user = s.scalar(select(User).where(User.email == "desk@example.org"))
        assert user.role.value == "editor"
        assert user.password_hash.startswith("$argon2id$")


def test_user_create_refuses_short_password_and_duplicates(cli_app) -> None:
    runner = cli_app.test_cli_runner()
    short = runner.invoke(args=["user", "create", "a@example.org", "--password-stdin"], input="short\n")
    assert short.exit_code != 0
    assert "12 to 256 characters" in short.output
    breached = runner.invoke(args=["user", "create", "a@example.org", "--password-stdin"], input="x" * 20 + "\n")
    assert breached.exit_code != 0
    assert "leaked in data breaches" in breached.output
    ok = runner.invoke(args=["user", "create", "a@example.org", "--password-stdin"], input="a long enough password\n")
    assert ok.exit_code == 0
    dup = runner.invoke(args=["user", "create", "A@example.org", "--password-stdin"], input="a long enough password\n")
    assert dup.exit_code != 0
    assert "already exists" in dup.output


def test_user_create_refuses_unknown_role(cli_app) -> None:
    result = cli_app.test_cli_runner().invoke(args=["user", "create", "b@example.org", "--role", "boss"])
    assert result.exit_code != 0
    assert "boss" in result.output


def test_demo_command_is_idempotent(cli_app) -> None:
    runner = cli_app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "Demo loaded" in first.output
    second = runner.invoke(args=["demo"])
    assert "nothing changed" in second.output
    third = runner.invoke(args=["demo", "--if-empty"])
    assert "not loaded" in third.output
    with get_database(cli_app).read_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Claim)) == 5
