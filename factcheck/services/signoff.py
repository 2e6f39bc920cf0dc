"""Review before a verdict is published: a second editor's sign-off.

A verdict (``confirmed``, ``false``, ``misleading``, ``unproven``) reaches readers only once an
editor other than the one who set it approves it — whether it was set on a published claim,
or a claim that has one is being published. Until then readers keep seeing the previous public
state (``Claim.public_status``, the public history): the desk's status moves on, the public one
waits. An editor approves it (it becomes public then, with its public history entry) or sends
it back with a note (it never was public); any other status change withdraws it. A newsroom
that works alone turns the rule off (``FACTCHECK_SIGNOFF_REQUIRED=0``); it is on by default.

The status change (``status.apply_move``) and the publication (``claims.set_published``) hand
their public side to this module, so that the rule is decided here and nowhere else.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..errors import Conflict, Forbidden, ValidationError
from ..models import (
    Claim,
    Role,
    Signoff,
    SignoffKind,
    SignoffState,
    Status,
    StatusChange,
    User,
    utcnow,
)
from . import audit, inbox, public_history
from .actor import Actor
from .validation import clean_text

MAX_NOTE_LENGTH = 20_000


#: Outside an application (a script calling the services): on, as in the configuration.
DEFAULT = True


def required() -> bool:
    """Whether verdicts wait for a second editor: the application's ``SIGNOFF_REQUIRED``
    (``FACTCHECK_SIGNOFF_REQUIRED``, on unless turned off)."""
    if not has_app_context():
        return DEFAULT
    return bool(current_app.config.get("SIGNOFF_REQUIRED", DEFAULT))


def pending_for(session: Session, claim_id: int) -> Signoff | None:
    return session.scalar(
        select(Signoff).where(Signoff.claim_id == claim_id, Signoff.state == SignoffState.PENDING)
        .order_by(Signoff.id.desc()).limit(1)
    )


def _withdraw(session: Session, claim_id: int) -> None:
    """The desk moved on: a verdict waiting for approval no longer does."""
    waiting = pending_for(session, claim_id)
    if waiting is not None:
        waiting.state = SignoffState.WITHDRAWN
        waiting.decided_at = utcnow()
        session.flush()


def _ask(session: Session, claim: Claim, kind: SignoffKind, change: StatusChange, actor: Actor) -> Signoff:
    waiting = Signoff(
        claim_id=claim.id, kind=kind, state=SignoffState.PENDING, status_change_id=change.id,
        verdict_by_id=change.actor_id, requested_by_id=actor.user_id, requested_at=utcnow(), note="",
    )
    session.add(waiting)
    session.flush()
    editors = session.scalars(
        select(User.id).where(User.active, User.role.in_([Role.EDITOR, Role.ADMIN]))
    ).all()
    asked = [user_id for user_id in editors if user_id not in (change.actor_id, actor.user_id)]
    what = "publish it" if kind == SignoffKind.PUBLISH else "show it to readers"
    inbox.notify(session, asked, "signoff", claim,
                 f"A verdict waits for your sign-off: {change.to_status.label.lower()} — approve it to {what}.",
                 actor=actor, urgent=True)
    audit.record(session, "claim.signoff_request", actor=actor, subject_type="claim", subject_id=claim.id,
                 detail=f"{kind.value}: {change.to_status.value}",
                 changes={"signoff": [None, SignoffState.PENDING.value]})
    return waiting


def after_move(session: Session, claim: Claim, change: StatusChange, actor: Actor) -> None:
    """What readers see of a status change just written: nothing while unpublished; a verdict
    on a published claim waits for sign-off (when required); anything else is public at once.
    A verdict waiting from before is withdrawn by any new move.

    Only a move *from* a verdict can find one waiting: a sign-off is asked for a claim whose
    status is a verdict (a verdict just set, or a claim with a verdict being published), and
    every status move passes here — so the lookup is skipped for the other moves."""
    if change.from_status.resolved:
        _withdraw(session, claim.id)
    if not claim.published:
        return
    if change.to_status.resolved and required():
        _ask(session, claim, SignoffKind.VERDICT, change, actor)
        return
    public_history.status_changed(session, claim, change)


def publication_waits(session: Session, claim: Claim, actor: Actor) -> Signoff | None:
    """Publishing a claim that has a verdict waits for sign-off (when required): the request is
    recorded and returned, and the claim stays unpublished. None when it may be published now."""
    if not (claim.status.resolved and required()):
        return None
    waiting = pending_for(session, claim.id)
    if waiting is not None and waiting.kind == SignoffKind.PUBLISH:
        return waiting
    _withdraw(session, claim.id)
    change = public_history.newest_change(session, claim.id)
    return _ask(session, claim, SignoffKind.PUBLISH, change, actor)


def _decidable(session: Session, signoff: Signoff, actor: Actor) -> Claim:
    actor.require(Role.EDITOR, "sign off verdicts")
    if signoff.state != SignoffState.PENDING:
        raise Conflict(f"This sign-off was already {signoff.state.value}.", current_version=0,
                       current_status=signoff.state.value)
    if actor.user_id is not None and actor.user_id in (signoff.verdict_by_id, signoff.requested_by_id):
        who = "set this verdict" if actor.user_id == signoff.verdict_by_id else "asked for its publication"
        raise Forbidden(f"You {who}: another editor must sign it off.")
    claim = session.get(Claim, signoff.claim_id)
    assert claim is not None
    newest = public_history.newest_change(session, claim.id)
    if newest.id != signoff.status_change_id:
        signoff.state = SignoffState.WITHDRAWN
        raise Conflict("The desk moved this claim on since the verdict was set: there is nothing to approve.",
                       current_version=claim.version, current_status=claim.status.value)
    return claim


def approve(session: Session, signoff: Signoff, actor: Actor, *, note: str = "") -> Claim:
    """An editor other than the one who set the verdict (and the one who asked for the
    publication) approves it: readers see it now, with its public history entry."""
    note = clean_text(note, "note", max_length=MAX_NOTE_LENGTH, required=False)
    claim = _decidable(session, signoff, actor)
    from .claims import bump_version  # (claims imports this module)

    now = utcnow()
    signoff.state, signoff.decided_by_id, signoff.decided_at, signoff.note = (
        SignoffState.APPROVED, actor.user_id, now, note)
    if signoff.kind == SignoffKind.PUBLISH:
        bump_version(session, claim, None, {"published_at": now})
        public_history.published(session, claim, now)
    else:
        bump_version(session, claim, None, {})
        public_history.status_changed(session, claim, signoff.change, at=now)
    inbox.notify(session, [u for u in (signoff.verdict_by_id, signoff.requested_by_id) if u], "signoff_approved",
                 claim, f"Signed off: readers now see {claim.status.label.lower()}.", actor=actor)
    audit.record(session, "claim.signoff", actor=actor, subject_type="claim", subject_id=claim.id,
                 detail=f"approved {signoff.kind.value}: {claim.status.value}",
                 changes={"signoff": [SignoffState.PENDING.value, SignoffState.APPROVED.value],
                          "public_status": [None, claim.public_status.value if claim.public_status else None]})
    session.flush()
    return claim


def send_back(session: Session, signoff: Signoff, actor: Actor, *, note: str) -> Claim:
    """An editor sends the verdict back with a note: readers never see it; the desk decides
    again (another status change, or the same verdict asked again)."""
    note = clean_text(note, "note", max_length=MAX_NOTE_LENGTH)
    claim = _decidable(session, signoff, actor)
    signoff.state, signoff.decided_by_id, signoff.decided_at, signoff.note = (
        SignoffState.RETURNED, actor.user_id, utcnow(), note)
    inbox.notify(session, [u for u in (signoff.verdict_by_id, signoff.requested_by_id) if u], "signoff_returned",
                 claim, f"Sent back: {note}", actor=actor, urgent=True)
    audit.record(session, "claim.signoff_return", actor=actor, subject_type="claim", subject_id=claim.id,
                 detail=note, changes={"signoff": [SignoffState.PENDING.value, SignoffState.RETURNED.value]})
    session.flush()
    return claim


def get_signoff(session: Session, signoff_id: int, claim_id: int) -> Signoff:
    signoff = session.get(Signoff, signoff_id)
    if signoff is None or signoff.claim_id != claim_id:
        raise ValidationError("No such sign-off on this claim.", {"signoff": "unknown"})
    return signoff


def waiting(session: Session, *, limit: int = 200) -> list[Signoff]:
    """Everything waiting for sign-off, oldest first: the editor's "ready to publish" view,
    with the claim, the verdict and who set it loaded in the same query (the view's cost does
    not grow with what waits)."""
    return list(session.scalars(
        select(Signoff).where(Signoff.state == SignoffState.PENDING).order_by(Signoff.requested_at, Signoff.id)
        .options(joinedload(Signoff.claim).load_only(Claim.id, Claim.text, Claim.public_status),
                 joinedload(Signoff.change), joinedload(Signoff.verdict_by))
        .limit(limit)
    ))


__all__ = ["Status", "after_move", "approve", "publication_waits", "required", "send_back", "waiting"]
