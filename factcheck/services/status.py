"""Moving a claim's status: the rules, and the one way to write a move.

``judge_move`` is the judgement (reason, status machine, reopening, override); ``apply_move``
writes a judged move of a loaded claim: the independence rule where it applies, the version
bump, the history row, the public history entry (when readers see the claim) and the audit
event. ``change_status`` is both: the desk's pages, the JSON API, the CLI, the demo and the
item-by-item import call it. The bulk import builds its rows with ``history_row`` and
``audit_row`` and judges each move with ``judge_move`` and ``require_independence``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..errors import Forbidden, IndependenceRequired, InvalidTransition
from ..models import Claim, ClaimStatement, Role, Status, StatusChange, utcnow
from . import archive, audit, independence, signoff, status_machine
from .actor import Actor
from .claims import bump_version, check_version
from .validation import clean_text, parse_enum

MAX_REASON_LENGTH = 10_000
MAX_EVIDENCE_LENGTH = 50_000
MAX_NOTE_LENGTH = 20_000
#: The audit action of every status change.
AUDIT_ACTION = "claim.status"


@dataclass(frozen=True)
class Move:
    """A status move that passed every rule that does not need the claim's statements."""

    frm: Status
    to: Status
    #: Public: readers see it with the change.
    reason: str
    evidence: str
    #: An editor's written (public) reason to confirm without an independent source, or None.
    override: str | None
    #: Internal words for colleagues: never published.
    note: str = ""
    override_note: str = ""

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
    note: str = "",
    override_note: str = "",
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
    note = clean_text(note, "note", max_length=MAX_NOTE_LENGTH, required=False)
    override_note = clean_text(override_note, "override_note", max_length=MAX_NOTE_LENGTH, required=False)
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
    elif override_note:
        raise InvalidTransition("An internal note on the override needs an override.")
    return Move(frm, to, reason, evidence, override, note, override_note)


def require_independence(move: Move, links: Iterable[ClaimStatement]) -> None:
    """DESIGN rule 2 for ``move``: a confirmation without an override needs an asserting
    statement from outside the first asserter's side (``independence.explain`` says why not)."""
    if not move.needs_independence:
        return
    found = independence.explain(links)
    if not found.satisfied:
        raise IndependenceRequired(
            "A claim cannot be confirmed on the word of one side alone. "
            f"{found.why_not} Or an editor may override with a written reason."
        )


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
    note: str = "",
    override_note: str = "",
) -> StatusChange:
    """Move ``claim`` to ``to``, appending one row to its history.

    The rules of ``judge_move``, then ``confirmed`` needs an asserting statement independent
    of the first asserter unless an editor overrode (rule 2), and ``expected_version`` must
    still be the claim's version (optimistic locking, rule 5). Anything refused raises a
    domain error with nothing written.
    """
    check_version(claim, expected_version)
    move = judge_move(
        claim.status, to, reason, actor, evidence=evidence, override_reason=override_reason,
        note=note, override_note=override_note,
    )
    return apply_move(session, claim, move, actor, expected_version)


def apply_move(
    session: Session, claim: Claim, move: Move, actor: Actor, expected_version: int
) -> StatusChange:
    """Write a judged ``move`` of a loaded ``claim``: the independence rule first when the move
    needs it, then the version bump, the history row, the public history entry and the audit
    event."""
    if move.needs_independence:  # (reading the claim's statements costs a query: only when the rule applies)
        require_independence(move, claim.links)
    now = utcnow()
    version = bump_version(
        session, claim, expected_version,
        {"status": move.to, "status_changed_at": now, "last_activity_at": now},
    )
    change = StatusChange(**history_row(claim.id, move, actor, version, now))
    session.add(change)
    audit.append(session, audit_row(claim.id, move, actor, now, version))
    session.flush()
    if move.evidence:
        archive.request_evidence(session, change)  # its links, fetched by the worker after the commit
    signoff.after_move(session, claim, change, actor)  # what readers see of it
    session.flush()
    return change


def history_row(claim_id: int | None, move: Move, actor: Actor, version: int, at: datetime) -> dict[str, Any]:
    """The columns of the history row of ``move``, the claim's ``version`` after it (``claim_id``
    None where the caller fills it in later: the bulk import, before its claims are inserted)."""
    return {
        "claim_id": claim_id,
        "from_status": move.frm,
        "to_status": move.to,
        "reason": move.reason,
        "evidence": move.evidence,
        "note": move.note,
        "independence_override": move.override is not None,
        "override_reason": move.override,
        "override_note": move.override_note,
        "actor_id": actor.user_id,
        "via": actor.via,
        "version": version,
        "at": at,
    }


def audit_row(claim_id: int | None, move: Move, actor: Actor, at: datetime, version: int) -> dict[str, Any]:
    """The columns of the audit event of ``move``, the claim's ``version`` after it (``claim_id``
    as for ``history_row``)."""
    return audit.event_row(
        AUDIT_ACTION, actor=actor, subject_type="claim", subject_id=claim_id,
        detail=audit_detail(move.frm, move.to, overridden=move.override is not None),
        changes={"status": [move.frm.value, move.to.value], "version": [version - 1, version]}, at=at,
    )


def audit_detail(frm: Status, to: Status, *, overridden: bool) -> str:
    """What the audit log says of one status change."""
    return f"{frm.value} -> {to.value}" + (" (independence override)" if overridden else "")
