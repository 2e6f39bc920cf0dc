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
    from .services.users import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with get_database().transaction() as session:
            user = create_user(session, email=email, password=password, role=role, name=name)
            click.echo(f"Created {user.role.value} {user.email}.")
    except DomainError as error:
        _fail(error)


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


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(demo)
