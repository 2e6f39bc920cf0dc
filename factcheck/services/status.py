"""Moving a claim's status: the one function every interface calls."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Forbidden, IndependenceRequired, InvalidTransition
from ..models import RESOLVED, Claim, Role, Status, StatusChange, utcnow
from . import audit, independence, status_machine
from .actor import Actor
from .claims import bump_version, check_version
from .validation import clean_text, parse_enum

MAX_REASON_LENGTH = 10_000
MAX_EVIDENCE_LENGTH = 50_000


def change_status(
    session: Session,
    claim: Claim,
    to: Status | str,
    reason: str,
    actor: Actor,
    expected_version: int,
    *,
    evidence: str = "",
    override_reason: str | None = None,
) -> StatusChange:
    """Move ``claim`` to ``to``, appending one row to its history.

    Rules, each refused with a domain error and nothing written:
    - every change carries a reason (rule 1);
    - only the moves of the status machine; leaving a verdict is *reopening*, editors only;
    - ``confirmed`` needs an asserting statement independent of the first asserter, unless an
      editor overrides with a written reason, recorded in the change (rule 2);
    - ``expected_version`` must still be the claim's version (optimistic locking, rule 5).
    """
    check_version(claim, expected_version)
    to = parse_enum(Status, to, "status")
    reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH)
    evidence = clean_text(evidence, "evidence", max_length=MAX_EVIDENCE_LENGTH, required=False)
    override = (
        clean_text(override_reason, "override_reason", max_length=MAX_REASON_LENGTH, required=False)
        or None
    )
    frm = claim.status

    if frm == to:
        raise InvalidTransition(f"The claim is already {to.label.lower()}.")
    if status_machine.is_reopening(frm, to):
        if not actor.is_editor:
            raise Forbidden(
                f"This claim is resolved ({frm.label.lower()}); only an editor can reopen it."
            )
    elif not status_machine.is_allowed(frm, to):
        allowed = ", ".join(s.value for s in status_machine.next_statuses(frm, editor=actor.is_editor))
        raise InvalidTransition(
            f"A claim cannot move from {frm.value} to {to.value}. From {frm.value} it can move "
            f"to: {allowed or 'nothing'}."
        )

    if override is not None:
        if to != Status.CONFIRMED:
            raise InvalidTransition("An independence override only applies when confirming.")
        actor.require(Role.EDITOR, "override the independence rule")
    if to == Status.CONFIRMED and override is None:
        if not independence.has_independent_assertion(list(claim.links)):
            raise IndependenceRequired(
                "A claim cannot be confirmed on the word of one side alone: add an asserting "
                "statement from a source outside the affiliation of the first asserting "
                "source, or have an editor override with a written reason."
            )

    replaced = status_machine.replaced_verdict(
        frm, to, last_verdict(session, claim) if to.resolved else None
    )
    now = utcnow()
    version = bump_version(
        session, claim, expected_version, {"status": to, "status_changed_at": now}
    )
    change = StatusChange(
        claim_id=claim.id,
        from_status=frm,
        to_status=to,
        reason=reason,
        evidence=evidence,
        independence_override=override is not None,
        override_reason=override,
        actor_id=actor.user_id,
        via=actor.via,
        version=version,
        at=now,
        replaced_verdict=replaced,
    )
    session.add(change)
    audit.record(
        session, "claim.status", actor=actor, subject_type="claim", subject_id=claim.id,
        detail=audit_detail(frm, to, overridden=override is not None),
    )
    session.flush()
    return change


def audit_detail(frm: Status, to: Status, *, overridden: bool) -> str:
    """What the audit log says of one status change."""
    return f"{frm.value} -> {to.value}" + (" (independence override)" if overridden else "")


def last_verdict(session: Session, claim: Claim) -> Status | None:
    """The claim's newest verdict in its history, None if it never had one (one indexed row)."""
    if claim.status.resolved:
        return claim.status
    return session.scalar(
        select(StatusChange.to_status)
        .where(StatusChange.claim_id == claim.id, StatusChange.to_status.in_(RESOLVED))
        .order_by(StatusChange.id.desc())
        .limit(1)
    )
