"""Moving a claim's status: the rules every interface shares, and the ORM way to write it.

``judge_move`` is the judgement (reason, status machine, reopening, override); ``change_status``
applies it to a loaded claim through the ORM — the desk's pages, the CLI, the demo and the
importer call it. The JSON API writes the same rows with a few Core statements instead
(``status_direct``), falling back to ``change_status`` where the independence rule needs the
claim's statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..errors import Forbidden, IndependenceRequired, InvalidTransition
from ..models import RESOLVED, AuditEvent, Claim, Role, Status, StatusChange, utcnow
from . import audit, independence, status_machine
from .actor import Actor
from .claims import bump_version, check_version
from .validation import clean_text, parse_enum

MAX_REASON_LENGTH = 10_000
MAX_EVIDENCE_LENGTH = 50_000
#: The audit action of every status change.
AUDIT_ACTION = "claim.status"


@dataclass(frozen=True)
class Move:
    """A status move that passed every rule that does not need the claim's statements."""

    frm: Status
    to: Status
    reason: str
    evidence: str
    #: An editor's written reason to confirm without an independent source, or None.
    override: str | None

    @property
    def needs_independence(self) -> bool:
        """Whether the independence rule still has to be checked against the statements."""
        return self.to == Status.CONFIRMED and self.override is None


def judge_move(
    frm: Status,
    to: Status | str,
    reason: str,
    actor: Actor,
    *,
    evidence: str = "",
    override_reason: str | None = None,
) -> Move:
    """The rules of a move from ``frm``, each refused with a domain error:

    - every change carries a reason (rule 1);
    - only the moves of the status machine; leaving a verdict is *reopening*, editors only;
    - an independence override is an editor's, and only when confirming.
    """
    to = parse_enum(Status, to, "status")
    reason = clean_text(reason, "reason", max_length=MAX_REASON_LENGTH)
    evidence = clean_text(evidence, "evidence", max_length=MAX_EVIDENCE_LENGTH, required=False)
    override = (
        clean_text(override_reason, "override_reason", max_length=MAX_REASON_LENGTH, required=False)
        or None
    )
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
    return Move(frm, to, reason, evidence, override)


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

    The rules of ``judge_move``, then ``confirmed`` needs an asserting statement independent
    of the first asserter unless an editor overrode (rule 2), and ``expected_version`` must
    still be the claim's version (optimistic locking, rule 5). Anything refused raises a
    domain error with nothing written.
    """
    check_version(claim, expected_version)
    move = judge_move(
        claim.status, to, reason, actor, evidence=evidence, override_reason=override_reason
    )
    return apply_move(session, claim, move, actor, expected_version)


def apply_move(
    session: Session, claim: Claim, move: Move, actor: Actor, expected_version: int
) -> StatusChange:
    """Write a judged ``move`` of a loaded ``claim`` through the ORM: the independence rule
    first when the move needs it, then the version bump, the history row and the audit event."""
    if move.needs_independence and not independence.has_independent_assertion(list(claim.links)):
        raise IndependenceRequired(
            "A claim cannot be confirmed on the word of one side alone: add an asserting "
            "statement from a source outside the affiliation of the first asserting "
            "source, or have an editor override with a written reason."
        )
    replaced = replaced_verdict(session, claim, move)
    now = utcnow()
    version = bump_version(
        session, claim, expected_version,
        {"status": move.to, "status_changed_at": now, "last_activity_at": now},
    )
    change = StatusChange(**history_row(claim.id, move, actor, version, now, replaced))
    session.add(change)
    session.add(audit_event(claim.id, move, actor, now))
    session.flush()
    return change


def history_row(
    claim_id: int | None, move: Move, actor: Actor, version: int, at: datetime, replaced: Status | None
) -> dict[str, Any]:
    """The columns of the history row of ``move``, the claim's ``version`` after it (``claim_id``
    None where the caller fills it in later: the bulk import, before its claims are inserted)."""
    return {
        "claim_id": claim_id,
        "from_status": move.frm,
        "to_status": move.to,
        "reason": move.reason,
        "evidence": move.evidence,
        "independence_override": move.override is not None,
        "override_reason": move.override,
        "actor_id": actor.user_id,
        "via": actor.via,
        "version": version,
        "at": at,
        "replaced_verdict": replaced,
    }


def audit_event(claim_id: int, move: Move, actor: Actor, at: datetime) -> AuditEvent:
    """The audit event of ``move``, as an ORM object."""
    return AuditEvent(**audit_row(claim_id, move, actor, at))


def audit_row(claim_id: int | None, move: Move, actor: Actor, at: datetime) -> dict[str, Any]:
    """The columns of the audit event of ``move`` (``claim_id`` as for ``history_row``)."""
    return audit.event_row(
        AUDIT_ACTION, actor=actor, subject_type="claim", subject_id=claim_id,
        detail=audit_detail(move.frm, move.to, overridden=move.override is not None), at=at,
    )


def audit_detail(frm: Status, to: Status, *, overridden: bool) -> str:
    """What the audit log says of one status change."""
    return f"{frm.value} -> {to.value}" + (" (independence override)" if overridden else "")


def replaced_verdict(db: Session | Connection, claim: Any, move: Move) -> Status | None:
    """The verdict ``move`` corrects (``status_machine.replaced_verdict``), reading the claim's
    newest verdict only when the move gives one. ``claim`` needs ``id`` and ``status``."""
    return status_machine.replaced_verdict(
        move.frm, move.to, last_verdict(db, claim) if move.to.resolved else None
    )


def last_verdict(db: Session | Connection, claim: Any) -> Status | None:
    """The claim's newest verdict in its history, None if it never had one (one indexed row).
    ``claim`` needs ``id`` and ``status``."""
    if claim.status.resolved:
        return claim.status  # type: ignore[no-any-return]
    return db.scalar(
        select(StatusChange.to_status)
        .where(StatusChange.claim_id == claim.id, StatusChange.to_status.in_(RESOLVED))
        .order_by(StatusChange.id.desc())
        .limit(1)
    )
