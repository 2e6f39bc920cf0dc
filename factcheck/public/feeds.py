"""Atom feeds of public status changes: the whole site, and one claim.

Entry ids are derived from the status change's id under the organisation's address, so an
entry keeps its id forever and is the same entry in both feeds. A feed is cached for
FEED_MAX_AGE with an ETag of its content, so a polling reader mostly gets 304.
"""

from __future__ import annotations

import hashlib

from flask import Response, current_app

from ..urls import organisation_url, public_url

from ..db import get_session
from ..models import Claim, utcnow
from . import atom, bp
from .caching import conditional
from .presenters import PublicChange, classify, describe
from .queries import published_claim, recent_changes

#: Entries in the site-wide feed.
FEED_LENGTH = 50


def _entry(change: PublicChange, claim: Claim, namespace: str) -> atom.Entry:
    claim_page = public_url("public.claim", slug=claim.slug)
    content = change.reason
    if change.previous_text is not None:
        content += f"\n\nWas: {change.previous_text}\nNow: {change.text}"
    if change.withdrawn:
        content += f"\n\nWithdrawn: {change.withdrawn}"
    if change.override_reason:
        content += f"\n\nConfirmed without an independent source: {change.override_reason}"
    if change.evidence:
        content += f"\n\nEvidence: {change.evidence}"
    return atom.Entry(
        id=atom.stable_id(namespace, change.feed_key),
        title=f"{change.headline} — {claim.text}",
        updated=change.at,
        link=f"{claim_page}#change-{change.id}",
        content=content,
        categories=[(change.to_status.value, change.to_status.label)]
        + ([("correction", "Correction")] if change.correction else []),
    )


def _respond(feed: atom.Feed) -> Response:
    body = atom.render(feed)
    tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    cache_control = f"public, max-age={int(current_app.config['FEED_MAX_AGE'])}"
    return conditional(tag, cache_control, lambda: Response(body, mimetype=atom.MIMETYPE))


@bp.get("/feeds/changes.atom")
def changes_feed() -> Response:
    config = current_app.config
    namespace = organisation_url()
    rows = recent_changes(get_session(), limit=FEED_LENGTH)
    entries = [_entry(describe(r.change), r.claim, namespace) for r in rows]
    return _respond(
        atom.Feed(
            id=atom.stable_id(namespace, "feeds/changes"),
            title=f"{config['ORGANISATION_NAME']}: status changes",
            subtitle="Everything readers saw happen to published claims: publications, status changes, "
            "corrections and withdrawn statements.",
            updated=entries[0].updated if entries else utcnow(),
            self_url=public_url("public.changes_feed"),
            alternate_url=public_url("public.claims"),
            author_name=config["ORGANISATION_NAME"],
            author_uri=namespace,
            entries=entries,
        )
    )


@bp.get("/claims/<slug>/feed.atom")
def claim_feed(slug: str) -> Response:
    config = current_app.config
    namespace = organisation_url()
    claim = published_claim(get_session(), slug, details=True)
    entries = [_entry(change, claim, namespace) for change in reversed(classify(claim.public_entries))]
    return _respond(
        atom.Feed(
            id=atom.stable_id(namespace, f"claims/{claim.id}/feed"),
            title=f"{config['ORGANISATION_NAME']}: {claim.text}",
            subtitle=f"What readers saw happen to one claim; now {claim.public_status.label.lower()}.",
            updated=entries[0].updated,
            self_url=public_url("public.claim_feed", slug=claim.slug),
            alternate_url=public_url("public.claim", slug=claim.slug),
            author_name=config["ORGANISATION_NAME"],
            author_uri=namespace,
            entries=entries,
        )
    )
