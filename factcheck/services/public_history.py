"""What readers saw: the public history of a claim, written as it happens.

Readers see a claim only while it is published. Its public history is the sequence of states
they could have seen — "published as …", then every status change, wording change and
withdrawn statement while it stays published, "unpublished", "published again as …" — and
nothing of what the desk did while it was not public. Each entry is written by the service
that made the change, in the same transaction (``models.PublicEntry``), so the claim page, the
feeds and the corrections log read a record instead of re-deriving one.

A **correction** is a change to something readers saw, and nothing else: a verdict they saw,
left (a reopening) or replaced by a different one — at once, or found changed when the claim
is published again — and a wording they saw, changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import RESOLVED, Claim, PublicEntry, PublicKind, Statement, Status, StatusChange, utcnow
from . import outbox


def corrected_verdict(seen: Status | None, last_seen_verdict: Status | None, to: Status) -> Status | None:
    """The verdict readers saw that showing them ``to`` corrects, or None.

    ``seen`` is the status readers saw last, ``last_seen_verdict`` the newest verdict they saw
    (None if they never saw one). Leaving a verdict they see corrects it; a verdict unlike the
    last one they saw replaces it; the same verdict again, or any other move, corrects nothing.
    """
    if seen is not None and seen.resolved and to != seen:
        return seen
    if to.resolved and last_seen_verdict is not None and last_seen_verdict != to:
        return last_seen_verdict
    return None


def entries(session: Session, claim_id: int) -> list[PublicEntry]:
    """A claim's public history, oldest first."""
    return list(session.scalars(select(PublicEntry).where(PublicEntry.claim_id == claim_id).order_by(PublicEntry.id)))


def _last(session: Session, claim_id: int, *conditions: object) -> PublicEntry | None:
    return session.scalar(
        select(PublicEntry).where(PublicEntry.claim_id == claim_id, *conditions)  # type: ignore[arg-type]
        .order_by(PublicEntry.id.desc()).limit(1)
    )


def _last_seen_verdict(session: Session, claim_id: int) -> Status | None:
    entry = _last(session, claim_id, PublicEntry.status.in_(sorted(RESOLVED)))
    return entry.status if entry is not None else None


def _add(session: Session, claim: Claim, **columns: object) -> PublicEntry:
    """Write one entry, and what readers now see on the claim (``Claim.public_status``: the
    newest entry's status, None once it is taken off the site) — the only place either is
    written."""
    entry = PublicEntry(claim_id=claim.id, **columns)
    session.add(entry)
    claim.public_status = None if entry.kind == PublicKind.UNPUBLISHED else entry.status  # type: ignore[assignment]
    session.flush()
    # Everyone outside who must hear of it — webhooks, the front cache in front of the badge,
    # the card and the page — hears of it through the outbox, after this transaction commits.
    outbox.enqueue(session, "public", f"public.{entry.kind.value}", {
        "entry_id": entry.id, "claim_id": claim.id, "slug": claim.slug, "status": entry.status.value,
        "correction": entry.correction,
    }, claim_id=claim.id)  # written by the caller's next flush, or its commit
    return entry


def newest_change(session: Session, claim_id: int) -> StatusChange:
    """The status change that set the claim's current status."""
    change = session.scalar(
        select(StatusChange).where(StatusChange.claim_id == claim_id).order_by(StatusChange.id.desc()).limit(1)
    )
    assert change is not None, "every claim has its first history row"
    return change


def published(session: Session, claim: Claim, at: datetime | None = None) -> PublicEntry:
    """The claim has just been published: "published as" its status and wording. Published
    again after being withdrawn, it corrects what readers last saw where that changed."""
    at = at or utcnow()
    last = _last(session, claim.id)
    change = newest_change(session, claim.id)
    if last is None:
        return _add(session, claim, kind=PublicKind.PUBLISHED, at=at, status=claim.status,
                    previous_status=None, text=claim.text, correction=False, status_change_id=change.id)
    seen_text = _last(session, claim.id, PublicEntry.text.is_not(None))
    previous_text = seen_text.text if seen_text is not None and seen_text.text != claim.text else None
    replaced = corrected_verdict(last.status, _last_seen_verdict(session, claim.id), claim.status)
    return _add(session, claim, kind=PublicKind.PUBLISHED, at=at, status=claim.status,
                previous_status=last.status, text=claim.text, previous_text=previous_text,
                replaced_verdict=replaced, correction=replaced is not None or previous_text is not None,
                status_change_id=change.id)


def unpublished(session: Session, claim: Claim, at: datetime | None = None) -> PublicEntry:
    """The claim has just been taken off the site: readers saw it go."""
    return _add(session, claim, kind=PublicKind.UNPUBLISHED, at=at or utcnow(), status=claim.status,
                previous_status=claim.status, correction=False)


def status_changed(session: Session, claim: Claim, change: StatusChange, at: datetime | None = None) -> PublicEntry | None:
    """A status change of a published claim, as readers see it (``at``: when they saw it — a
    verdict signed off later becomes public at the approval); nothing for an unpublished one."""
    if not claim.published:
        return None
    seen = claim.public_status  # the newest entry's status, kept on the claim
    # The newest verdict readers saw matters only when a verdict is shown and they do not see
    # one now (a verdict after a reopening): one indexed row, read only then.
    last_seen_verdict = seen if seen is not None and seen.resolved else (
        _last_seen_verdict(session, claim.id) if change.to_status.resolved else None)
    replaced = corrected_verdict(seen, last_seen_verdict, change.to_status)
    return _add(session, claim, kind=PublicKind.STATUS, at=at or change.at, status=change.to_status,
                previous_status=seen, replaced_verdict=replaced, correction=replaced is not None,
                status_change_id=change.id)


def reworded(session: Session, claim: Claim, previous_text: str, reason: str, at: datetime) -> PublicEntry | None:
    """The wording of a published claim changed: a correction, with its public reason."""
    if not claim.published:
        return None
    return _add(session, claim, kind=PublicKind.WORDING, at=at, status=claim.status,
                previous_status=claim.status, text=claim.text, previous_text=previous_text, correction=True,
                reason=reason)


def withdrawn(session: Session, claim: Claim, statement: Statement, reason: str, at: datetime) -> PublicEntry | None:
    """A statement readers saw on a published claim no longer counts for it."""
    if not claim.published:
        return None
    return _add(session, claim, kind=PublicKind.WITHDRAWN, at=at, status=claim.status,
                previous_status=claim.status, correction=False, reason=reason, statement_id=statement.id)
