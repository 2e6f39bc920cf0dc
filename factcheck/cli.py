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
@click.option("--claim", default=None, metavar="TEXT",
              help="Propose each statement's stance toward this claim (claim_stance in the JSON).")
def extract(file: click.utils.LazyFile, as_json: bool, claim: str | None) -> None:
    """Propose the attributed statements of the article in FILE (or - for standard input).

    No size limit or time budget here (the desk page and the API have them); a text that is
    not English gives no statements, and says so. With --claim, each statement also carries
    its proposed stance toward the claim."""
    import json

    from .extraction import extract as extract_text

    extraction = extract_text(file.read(), max_chars=None, time_budget=None, claim=claim)
    if as_json:
        click.echo(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=2))
        return
    for n, s in enumerate(extraction.statements, start=1):
        flags = ", ".join(
            f for f, on in (("quote", s.direct), ("anonymous", s.anonymous)) if on
        ) or "paraphrase"
        relay = f", relayed by {s.relayed_by}" if s.relayed_by else ""
        toward = f" [toward the claim: {s.claim_stance}]" if s.claim_stance else ""
        click.echo(f"{n:>3}. [{s.stance}]{toward} {s.speaker} ({s.cue}; {flags}{relay}) @{s.start}-{s.end}")
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

    from .backup import BackupError, backup, backup_files, files_archive_path, referenced_hashes
    from .storage import LocalStore, get_store

    store = get_store()
    target = Path(path)
    if isinstance(store, LocalStore) and files_archive_path(target).exists():
        raise click.ClickException(f"{files_archive_path(target)} already exists; choose a new file name.")
    engine = get_database().engine
    try:
        written = backup(engine, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes).")
    referenced = referenced_hashes(engine)
    if not isinstance(store, LocalStore):
        click.echo(f"Stored files ({len(referenced)} referenced) are in the {store.description}, not in this backup: "
                   "back the bucket up with its own versioning or replication. `flask --app factcheck check-files` "
                   "confirms that every file the database refers to is in it.")
        return
    try:
        files = backup_files(store, written, referenced)
    except (BackupError, OSError) as error:
        raise click.ClickException(f"The database backup is written, but its stored files are not: {error}") from None
    click.echo(f"Stored files: {files.files} ({files.size} bytes) written to {files.path}; restore them with "
               f"`restore {written}`, which finds them beside it.")
    if files.missing:
        click.echo(f"Warning: {len(files.missing)} file(s) the database refers to are missing from the store "
                   "(`check-files` lists them).", err=True)


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: str, yes: bool) -> None:
    """Replace the database's contents with the backup at PATH."""
    from pathlib import Path

    from .backup import (
        BackupError, check_files_archive, files_archive_path, missing_files, referenced_hashes, restore, restore_files,
    )
    from .storage import LocalStore, StorageError, get_store

    source = Path(path)
    archive = files_archive_path(source)
    store = get_store()
    if archive.exists() and not isinstance(store, LocalStore):
        raise click.ClickException(f"{archive} holds stored files, but this server keeps its files in the "
                                   f"{store.description}: nothing was changed.")
    try:  # before anything changes: another backup's files, or a damaged archive, is refused
        manifest = check_files_archive(archive, source) if archive.exists() else None
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    if not yes:
        click.confirm("This replaces everything in the database with the backup. Continue?", abort=True)
    engine = get_database().engine
    try:
        restore(engine, source)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Database restored from {path}.")
    if manifest is not None:
        try:
            files = restore_files(store, archive)
        except (BackupError, StorageError, OSError) as error:
            raise click.ClickException(f"The database is restored, but its stored files are not: {error}. "
                                       f"Run the same restore again.") from None
        click.echo(f"Stored files: {files.files} restored from {archive} into the {store.description}.")
    missing = missing_files(store, referenced_hashes(engine))
    if missing:
        where = ("restore them from the bucket's earlier versions" if not isinstance(store, LocalStore)
                 else f"no {archive.name} was found beside the backup")
        click.echo(f"Warning: {len(missing)} file(s) the restored database refers to are not in the "
                   f"{store.description} ({where}); `check-files` lists them.", err=True)


@click.command("check-files")
@with_appcontext
def check_files_command() -> None:
    """Confirm that every stored file the database refers to (evidence files, archived
    copies) is in the file store; list those that are not (exit status 1 if any)."""
    from .backup import referenced_hashes
    from .storage import StorageError, get_store

    store = get_store()
    referenced = referenced_hashes(get_database().engine)
    try:
        missing = sorted(sha for sha in referenced if not store.exists(sha))
        stored = sum(1 for _ in store.hashes())
    except StorageError as error:
        raise click.ClickException(str(error)) from None
    if missing:
        for sha in missing:
            click.echo(f"missing  {sha}  (referred to by {', '.join(sorted(set(referenced[sha])))})")
        raise click.ClickException(f"{len(missing)} of the {len(referenced)} files the database refers to are not in "
                                   f"the {store.description}.")
    unreferenced = max(0, stored - len(referenced))
    click.echo(f"All {len(referenced)} files the database refers to are in the {store.description}"
               + (f" ({unreferenced} more stored files are referred to by nothing; they are kept)." if unreferenced
                  else "."))


def init_app(app: Flask) -> None:
    from .archive_jobs import archive_cli
    from .claimreview.cli import claimreview_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(user_cli)
    app.cli.add_command(demo)
    app.cli.add_command(extract)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(check_files_command)
    app.cli.add_command(claimreview_cli)
    app.cli.add_command(token_cli)
    app.cli.add_command(archive_cli)
