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

    Imported claims are left unpublished for an editor to review. Exits with status 1 when
    any item failed; the others are imported all the same.
    """
    ratings = _ratings(ratings_file)
    summary = ImportSummary()
    items: list[ReviewItem] = []
    try:
        with _kept_objects():
            for path in files:
                try:
                    found, problems = read_file(path)
                except ReadError as error:
                    summary.outcomes.append(Outcome(path.name, "failed", str(error)))
                    continue
                items.extend(found)
                summary.outcomes.extend(Outcome(path.name, "failed", problem) for problem in problems)
        _import_and_report(items, ratings, summary)
    finally:
        gc.unfreeze()


def _import_and_report(items: list[ReviewItem], ratings: RatingMap, summary: ImportSummary) -> None:
    # The bar goes to standard error and only on a terminal (tqdm's disable=None).
    with tqdm(total=len(items), unit="review", desc="Importing", disable=None, file=sys.stderr) as bar:
        with get_database().transaction() as session:
            imported = import_reviews(session, items, ratings=ratings, on_item=lambda _: bar.update())
    summary.outcomes.extend(imported.outcomes)

    click.echo(summary.line())
    for result in ("failed", "skipped", "imported", "updated"):
        for outcome in summary.of(result):
            claim = f" (claim {outcome.claim_slug})" if outcome.claim_slug else ""
            click.echo(f"  {result:<8} {outcome.origin}: {outcome.reason}{claim}")
    if summary.of("failed"):
        sys.exit(1)
