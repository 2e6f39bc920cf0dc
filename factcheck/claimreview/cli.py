"""``flask --app factcheck claimreview export|import``."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from ..db import get_database
from .export import data_feed
from .importer import ImportSummary, Outcome, import_reviews
from ..urls import PublicBaseUrlMissing
from ..urls import base_url as default_base_url
from .ratings import RatingMap
from .reading import ReadError, ReviewItem, read_file

claimreview_cli = AppGroup("claimreview", help="Export our verdicts, import others' (schema.org ClaimReview).")


@claimreview_cli.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE instead of standard output.")
@click.option("--base-url", default=None,
              help="Public address of this site, for claim URLs (default: PUBLIC_BASE_URL).")
def export(output: Path | None, base_url: str | None) -> None:
    """Every published, resolved claim as a schema.org DataFeed of ClaimReview (JSON-LD)."""
    config = current_app.config
    try:
        base = base_url or default_base_url()
    except PublicBaseUrlMissing as error:
        raise click.ClickException(str(error)) from None
    with get_database().transaction() as session:
        feed = data_feed(
            session,
            base_url=base,
            org_name=config["ORGANISATION_NAME"],
            org_url=(config.get("ORGANISATION_URL") or "").strip() or base.rstrip("/") + "/",
        )
    text = json.dumps(feed, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Exported {len(feed['dataFeedElement'])} ClaimReview to {output}.", err=True)


def _ratings(path: Path | None) -> RatingMap:
    path = path or current_app.config.get("CLAIMREVIEW_RATINGS_FILE")
    if not path:
        return RatingMap()
    try:
        return RatingMap.from_file(path)
    except (OSError, ValueError) as error:
        raise click.ClickException(f"Rating map {path}: {error}") from None


@contextmanager
def _kept_objects() -> Iterator[None]:
    """What is built inside is kept until the command ends (the items read): built without
    the cycle collector, then set aside (``gc.freeze``) until the end, so that the collections
    the import sets off do not walk the millions of objects of a large feed again and again
    for nothing (they stay alive)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


@claimreview_cli.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--ratings", "ratings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSON file {"verdict": "status", …} over the default verdict mapping.')
def import_(files: tuple[Path, ...], ratings_file: Path | None) -> None:
    """Import ClaimReview from JSON, JSON-LD or HTML FILES. Idempotent on the review URL.

    Imported claims are left unpublished for an editor to review. A file that cannot be read
    fails on its own, and so does each item that cannot be imported; the others are imported
    all the same, and the command exits with status 1. Reviews are committed a batch at a
    time, so that the newsroom's own saves wait well under a second meanwhile; a run that is
    interrupted keeps what it committed, and the same command run again imports the rest.
    """
    ratings = _ratings(ratings_file)
    summary = ImportSummary()
    items: list[ReviewItem] = []
    try:
        with _kept_objects():
            for path in files:
                found, failures = _read(path)
                items.extend(found)
                summary.outcomes.extend(failures)
        _import_and_report(items, ratings, summary)
    finally:
        gc.unfreeze()


def _read(path: Path) -> tuple[list[ReviewItem], list[Outcome]]:
    """The items of one file, and a "failed" outcome for each part that could not be read (for
    the whole file, if nothing could): whatever is wrong with one file never stops the others."""
    try:
        found, problems = read_file(path)
    except ReadError as error:
        return [], [Outcome(path.name, "failed", str(error))]
    except Exception as error:  # noqa: BLE001 - one odd file must never stop the others
        return [], [Outcome(path.name, "failed", f"could not be read ({type(error).__name__}: {error})")]
    return found, [Outcome(path.name, "failed", problem) for problem in problems]


def _import_and_report(items: list[ReviewItem], ratings: RatingMap, summary: ImportSummary) -> None:
    database = get_database()
    done: list[Outcome] = []  # the outcomes of committed batches
    stopped: BaseException | None = None
    # The bar goes to standard error and only on a terminal (tqdm's disable=None).
    with tqdm(total=len(items), unit="review", desc="Importing", disable=None, file=sys.stderr) as bar:
        with database.write_sessions() as session:

            def committed(outcome: Outcome) -> None:
                done.append(outcome)
                bar.update()

            try:
                import_reviews(session, items, ratings=ratings, on_item=committed,
                               commit=lambda: database.commit_batch(session),
                               batch_seconds=database.batch_seconds())
            except (Exception, KeyboardInterrupt) as error:  # noqa: BLE001 - reported below
                stopped = error
                try:
                    session.rollback()
                except Exception:  # noqa: BLE001 - a lost connection has nothing to roll back
                    pass
    summary.outcomes.extend(done)

    click.echo(summary.line())
    for result in ("failed", "skipped", "imported", "updated"):
        for outcome in summary.of(result):
            claim = f" (claim {outcome.claim_slug})" if outcome.claim_slug else ""
            click.echo(f"  {result:<8} {outcome.origin}: {outcome.reason}{claim}")
    if stopped is not None:
        why = "interrupted" if isinstance(stopped, KeyboardInterrupt) else (
            f"{type(stopped).__name__}: {str(stopped).splitlines()[0] if str(stopped) else 'no message'}")
        click.echo(f"Stopped after {len(done):,} of {len(items):,} reviews ({why}). What was imported is kept; "
                   "run the same command again to import the rest.", err=True)
        sys.exit(130 if isinstance(stopped, KeyboardInterrupt) else 1)
    if summary.of("failed"):
        sys.exit(1)
