"""The token service and the ``token`` command group."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from factcheck.db import get_database
from factcheck.errors import Forbidden, ValidationError
from factcheck.models import ApiToken, AuditEvent, utcnow
from factcheck.services import Actor
from factcheck.services.tokens import authenticate, create_token, list_tokens, record_use, revoke_token
from factcheck.services.users import set_active

from .. import factories


def test_only_the_hash_is_stored(session, make) -> None:
    user = make.user("checker")
    token, secret = create_token(session, user, Actor.system("test"), name="CMS")
    row = session.scalar(select(ApiToken).where(ApiToken.id == token.id))
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(row.prefix) and len(row.prefix) < len(secret) // 3
    stored = {str(value) for value in (row.name, row.prefix, row.token_hash)}
    assert secret not in stored
    assert authenticate(session, secret).id == token.id
    assert authenticate(session, secret + "x") is None
    assert authenticate(session, "") is None


def test_revoked_or_deactivated_is_not_authenticated(session, make) -> None:
    user = make.user("checker")
    token, secret = create_token(session, user, Actor.system("test"))
    assert revoke_token(session, token, Actor.system("test")) is True
    assert revoke_token(session, token, Actor.system("test")) is False
    assert authenticate(session, secret) is None
    other, other_secret = create_token(session, user, Actor.system("test"))
    set_active(session, user, Actor.of(make.user("admin")), False)
    assert authenticate(session, other_secret) is None
    with pytest.raises(ValidationError, match="deactivated"):
        create_token(session, user, Actor.system("test"))


def test_who_may_manage_tokens(session, make) -> None:
    alice, bob, admin = make.user("editor"), make.user("checker"), make.user("admin")
    own, _ = create_token(session, bob, Actor.of(bob))
    with pytest.raises(Forbidden):
        create_token(session, bob, Actor.of(alice))
    with pytest.raises(Forbidden):
        revoke_token(session, own, Actor.of(alice))
    assert revoke_token(session, own, Actor.of(admin)) is True


def test_creation_and_revocation_are_audited(session, make) -> None:
    user = make.user("checker")
    token, secret = create_token(session, user, Actor.system("cli"), name="bot")
    revoke_token(session, token, Actor.system("cli"))
    events = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "api_token")).all()
    assert [e.action for e in events] == ["token.create", "token.revoke"]
    assert all(secret not in e.detail for e in events)


def test_record_use_at_most_once_a_minute(session, make) -> None:
    token, _ = create_token(session, make.user("checker"), Actor.system("test"))
    now = utcnow()
    assert record_use(session, token.id, now=now) is True
    assert record_use(session, token.id, now=now + timedelta(seconds=30)) is False
    assert record_use(session, token.id, now=now + timedelta(seconds=61)) is True


def test_list_tokens(session, make) -> None:
    a, b = make.user("checker"), make.user("checker")
    create_token(session, a, Actor.system("test"))
    create_token(session, b, Actor.system("test"))
    assert len(list_tokens(session)) == 2
    assert [t.user_id for t in list_tokens(session, owner=a)] == [a.id]


@pytest.fixture
def cli_app(committed_app):
    app = committed_app
    with get_database(app).transaction() as session:
        factories.Factory(session).user("editor", email="desk@example.org")
    return app


def test_cli_create_list_revoke(cli_app) -> None:
    runner = cli_app.test_cli_runner()
    created = runner.invoke(args=["token", "create", "Desk@Example.org", "--name", "CMS"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("fct_") and "cannot be shown again" in created.output
    with get_database(cli_app).read_sessions() as session:
        live = authenticate(session, secret)
        assert live is not None
        token = session.get(ApiToken, live.id)
        assert token.name == "CMS" and live.user_email == "desk@example.org"
    listed = runner.invoke(args=["token", "list"])
    assert listed.exit_code == 0 and token.prefix in listed.stdout and secret not in listed.stdout
    assert "desk@example.org" in listed.stdout and "active" in listed.stdout
    revoked = runner.invoke(args=["token", "revoke", str(token.id)])
    assert revoked.exit_code == 0 and "Revoked token" in revoked.stdout
    again = runner.invoke(args=["token", "revoke", str(token.id)])
    assert "already revoked" in again.stdout
    assert "revoked" in runner.invoke(args=["token", "list", "desk@example.org"]).stdout
    with get_database(cli_app).read_sessions() as session:
        assert authenticate(session, secret) is None


def test_cli_refusals(cli_app) -> None:
    runner = cli_app.test_cli_runner()
    assert "No user" in runner.invoke(args=["token", "create", "nobody@example.org"]).output
    assert runner.invoke(args=["token", "revoke", "999"]).exit_code != 0
    assert "No user" in runner.invoke(args=["token", "list", "nobody@example.org"]).output

