"""Command line: ``flask --app factcheck …``. Each command is one transaction."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from .db import get_database
from .errors import DomainError
from .models import Role

db_cli = AppGroup("db", help="Database schema.")
user_cli = AppGroup("user", help="User accounts.")


def _fail(error: DomainError) -> None:
    raise click.ClickException(error.detail)


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (the newest by default)."""
    from .migrate import upgrade

    upgrade(get_database().engine, revision)
    click.echo(f"Database at {revision}.")


@user_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default="checker", show_default=True)
@click.option("--name", default="", help="Display name (defaults to the email's local part).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_create(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a user; the password is asked for on a hidden prompt."""
    from .services.users import check_password, create_user, ensure_email_free

    try:  # before asking for a password that could not be used
        with get_database().read_sessions() as session:
            ensure_email_free(session, email)
    except DomainError as error:
        _fail(error)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        def acceptable(value: str) -> str:  # asked again, with the reason, until it is
            try:
                check_password(value, email=email.strip().lower())
            except DomainError as error:
                raise click.UsageError(error.detail) from None
            return value

        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, value_proc=acceptable)
    try:
        with get_database().transaction() as session:
            user = create_user(session, email=email, password=password, role=role, name=name)
            click.echo(f"Created {user.role.value} {user.email}.")
    except DomainError as error:
        _fail(error)


@user_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def user_set_role(email: str, role: str) -> None:
    """Give the user EMAIL the role ROLE (the users page's Set, with the same rules: the last
    active admin keeps the role)."""
    from .services.users import command_line_actor, get_user_by_email, set_role

    try:
        with get_database().transaction() as session:
            user = get_user_by_email(session, email)
            if user is None:
                raise click.ClickException(f"No user {email}. `user create {email} --role {role}` makes one.")
            before = user.role.value
            set_role(session, user, command_line_actor(), role)
            message = (f"{user.email} is now {user.role.value} (was {before}); their sessions have been signed out."
                       if user.role.value != before else f"{user.email} is already {before}; nothing changed.")
    except DomainError as error:
        _fail(error)
        return
    click.echo(message)


@user_cli.command("unlock")
@click.argument("email")
def user_unlock(email: str) -> None:
    """Clear the failed sign-ins counted against the user EMAIL, from every address, so that
    they can sign in at once (the users page's Unlock)."""
    from .services.signin import unlock_account
    from .services.users import command_line_actor, get_user_by_email

    try:
        with get_database().transaction() as session:
            user = get_user_by_email(session, email)
            if user is None:
                raise click.ClickException(f"No user {email}.")
            cleared = unlock_account(session, user, command_line_actor())
            message = (f"Unlocked {user.email}: {cleared} failed sign-in{'s' if cleared != 1 else ''} cleared."
                       if cleared else f"{user.email} has no failed sign-ins counted; nothing to unlock.")
    except DomainError as error:
        _fail(error)
        return
    click.echo(message)


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only when the database holds no claim yet.")
def demo(if_empty: bool) -> None:
    """Load the demo data set (the SAMAA Digital article on Asim Umar). Idempotent."""
    from .demo import database_is_empty, load_demo

    with get_database().transaction() as session:
        if if_empty and not database_is_empty(session):
            click.echo("Database already has claims; demo not loaded.")
            return
        result = load_demo(session)
    if result.changed:
        click.echo("Demo loaded: " + ", ".join(f"{n} {what}" for what, n in result.created.items()) + ".")
    else:
        click.echo("Demo already present; nothing changed.")


@click.command("extract")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON document as POST /api/v1/extract.")
def extract(file: click.utils.LazyFile, as_json: bool) -> None:
    """Propose the attributed statements of the article in FILE (or - for standard input).

    No size limit or time budget here (the desk page and the API have them); a text that is
    not English gives no statements, and says so."""
    import json

    from .extraction import extract as extract_text

    extraction = extract_text(file.read(), max_chars=None, time_budget=None)
    if as_json:
        click.echo(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=2))
        return
    for n, s in enumerate(extraction.statements, start=1):
        flags = ", ".join(
            f for f, on in (("quote", s.direct), ("anonymous", s.anonymous)) if on
        ) or "paraphrase"
        relay = f", relayed by {s.relayed_by}" if s.relayed_by else ""
        click.echo(f"{n:>3}. [{s.stance}] {s.speaker} ({s.cue}; {flags}{relay}) @{s.start}-{s.end}")
        click.echo(f"     {s.text}")
    if extraction.notice:
        click.echo(extraction.notice)
    count = len(extraction.statements)
    click.echo(f"{count} statement{'s' if count != 1 else ''}.")


token_cli = AppGroup("token", help="API tokens (only a hash of each is stored).")


@token_cli.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for (\"CMS\", \"chat bot\"…).")
def token_create(email: str, name: str) -> None:
    """Issue a token for the user EMAIL; the secret is printed once and never again."""
    from .services import Actor
    from .services.tokens import create_token
    from .services.users import get_user_by_email

    try:
        with get_database().transaction() as session:
            user = get_user_by_email(session, email)
            if user is None:
                raise click.ClickException(f"No user {email}.")
            token, secret = create_token(session, user, Actor.system("cli"), name=name)
            label = f" ({token.name})" if token.name else ""
            summary = f"Token {token.id}{label} for {user.email}, who is {user.role.value}."
    except DomainError as error:
        _fail(error)
        return
    click.echo(summary, err=True)
    click.echo("Copy it now: it cannot be shown again.", err=True)
    click.echo(secret)


@token_cli.command("list")
@click.argument("email", required=False)
def token_list(email: str | None) -> None:
    """List tokens (of the user EMAIL, or everyone's), newest first; never their secrets."""
    from .services.tokens import list_tokens
    from .services.users import get_user_by_email

    with get_database().read_sessions() as session:
        owner = None
        if email is not None:
            owner = get_user_by_email(session, email)
            if owner is None:
                raise click.ClickException(f"No user {email}.")
        rows = list_tokens(session, owner=owner)
        if not rows:
            click.echo("No tokens.")
        for token in rows:
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "active"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
            click.echo(
                f"{token.id:>5}  {token.prefix}…  {token.user.email:<30}  {state:<24}  "
                f"created {token.created_at:%Y-%m-%d %H:%M}  last used {used}  {token.name}".rstrip()
            )


@token_cli.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id: int) -> None:
    """Revoke the token TOKEN_ID (see ``token list``); it stops working at once."""
    from .services import Actor
    from .services.tokens import get_token, revoke_token

    try:
        with get_database().transaction() as session:
            token = get_token(session, token_id)
            changed = revoke_token(session, token, Actor.system("cli"))
            message = f"Revoked token {token.id} ({token.prefix}…) of {token.user.email}."
    except DomainError as error:
        _fail(error)
        return
    click.echo(message if changed else f"Token {token_id} was already revoked.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup_command(path: str) -> None:
    """Write a consistent backup of the database to PATH (a new file)."""
    from pathlib import Path

    from .backup import BackupError, backup

    try:
        written = backup(get_database().engine, Path(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes).")


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: str, yes: bool) -> None:
    """Replace the database's contents with the backup at PATH."""
    from pathlib import Path

    from .backup import BackupError, restore

    if not yes:
        click.confirm("This replaces everything in the database with the backup. Continue?", abort=True)
    try:
        restore(get_database().engine, Path(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Database restored from {path}.")


def init_app(app: Flask) -> None:
    from .claimreview.cli import claimreview_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(demo)
    app.cli.add_command(extract)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(claimreview_cli)
    app.cli.add_command(token_cli)
