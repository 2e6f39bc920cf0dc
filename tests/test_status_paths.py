"""The two ways a status change is written must be one: the ORM service (``change_status``,
behind the desk's pages, the CLI, the demo and the importer) and the Core path of the JSON API
(``change_status_direct``).

Hypothesis draws sequences of moves — every status, by a checker or an editor, with and
without an override, with a blank reason or a stale version now and then — and plays each
sequence on two claims alike in every way (the same sides asserting and denying). After every
move the two must agree: both refused, with the same error and the same words; or both
written, with the same claim (status, version, the change's time as ``status_changed_at`` and
``last_activity_at``), the same new history row and the same new audit event, all but ids and
times equal.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from factcheck.errors import DomainError
from factcheck.models import AuditEvent, Claim, Role, Status, StatusChange
from factcheck.services import Actor
from factcheck.services.status import change_status
from factcheck.services.status_direct import change_status_direct, claim_state

MOVE = st.tuples(
    st.sampled_from(list(Status)),  # to
    st.booleans(),  # by an editor
    st.sampled_from([False, False, False, True]),  # with an override reason
    st.sampled_from(["ok"] * 8 + ["blank", "stale"]),  # what is wrong with it, if anything
)

HISTORY_COLUMNS = ("from_status", "to_status", "reason", "evidence", "independence_override",
                   "override_reason", "actor_id", "via", "version", "replaced_verdict")
AUDIT_COLUMNS = ("actor_id", "actor_label", "action", "subject_type", "detail", "address")


def _newest(session, model, **where) -> Any:
    stmt = select(model).filter_by(**where).order_by(model.id.desc()).limit(1)
    return session.scalars(stmt.execution_options(populate_existing=True)).first()


def _attempt(session, path: str, claim_id: int, move: tuple[Status, bool, bool, str], actors) -> Any:
    to, by_editor, override, fault = move
    actor = actors[by_editor]
    reason = "   " if fault == "blank" else "Sources checked."
    kwargs = {"evidence": "A link.", "override_reason": "The ministry is the only witness." if override else None}
    try:
        with session.begin_nested():
            if path == "orm":
                claim = session.get(Claim, claim_id, populate_existing=True)
                version = claim.version - (fault == "stale")
                change_status(session, claim, to, reason, actor, version, **kwargs)
            else:
                state = claim_state(session, claim_id)
                version = state.version - (fault == "stale")
                change_status_direct(session, state, to, reason, actor, version, **kwargs)
    except DomainError as error:
        return type(error), error.detail, error.extra
    claim = session.get(Claim, claim_id, populate_existing=True)
    change = _newest(session, StatusChange, claim_id=claim_id)
    event = _newest(session, AuditEvent, subject_type="claim", subject_id=claim_id)
    assert claim.status == change.to_status and claim.version == change.version
    assert claim.status_changed_at == change.at == event.at and claim.last_activity_at == change.at
    return (
        claim.status, claim.version,
        tuple(getattr(change, name) for name in HISTORY_COLUMNS),
        tuple(getattr(event, name) for name in AUDIT_COLUMNS),
    )


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(moves=st.lists(MOVE, min_size=1, max_size=12), independent=st.booleans())
def test_orm_and_direct_paths_write_the_same_rows(session, make, moves, independent) -> None:
    actors = {False: Actor.of(make.user(Role.CHECKER)), True: Actor.of(make.user(Role.EDITOR))}
    ministry = make.source("Ministry")
    agency = make.source("Agency", affiliation_id=ministry.id)
    rebels = make.source("Rebels")
    claims = []
    for _ in ("orm", "direct"):
        claim = make.claim()
        make.link(claim, agency, "asserts")
        make.link(claim, rebels, "asserts" if independent else "denies")
        claims.append(claim.id)
    outcomes = []
    for move in moves:
        orm = _attempt(session, "orm", claims[0], move, actors)
        direct = _attempt(session, "direct", claims[1], move, actors)
        assert orm == direct, move
        outcomes.append(orm)
    histories = [
        session.scalars(select(StatusChange.to_status).where(StatusChange.claim_id == c).order_by(StatusChange.id)).all()
        for c in claims
    ]
    assert histories[0] == histories[1]


def test_direct_path_refuses_a_lost_race_and_writes_nothing(session, make) -> None:
    """The version checked first can be overtaken before the UPDATE: the conditional UPDATE
    settles it (409 with the current version and status), and no row of the loser is left."""
    actor = make.actor(Role.CHECKER)
    claim = make.claim()
    stale = claim_state(session, claim.id)
    change_status(session, claim, "in_review", "First.", actor, claim.version)
    before = session.scalar(select(StatusChange.id).order_by(StatusChange.id.desc()).limit(1))
    try:
        with session.begin_nested():
            # as if read before the other writer's commit: the early check passes, the UPDATE does not
            change_status_direct(session, stale, "in_review", "Second.", actor, stale.version)
    except DomainError as error:
        assert error.status_code == 409
        assert error.extra == {"current_version": claim.version, "current_status": "in_review"}
    else:  # pragma: no cover
        raise AssertionError("a stale write was accepted")
    after = session.scalar(select(StatusChange.id).order_by(StatusChange.id.desc()).limit(1))
    assert after == before
