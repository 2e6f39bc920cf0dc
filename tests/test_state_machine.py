"""A stateful property test of the status machine and its rules, against the services.

Hypothesis drives random sequences of actions (new sources on new or existing sides, linked
statements with every stance, status moves by checkers and editors, with and without an
override, and stale writes). A small model predicts what the services must do; after every
step the invariants are checked: the current status is the newest history row, versions
strictly increase, verdicts are left only by an editor's reopening, and no confirmation
bypasses the independence rule without a recorded override.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from factcheck.errors import Conflict, Forbidden, IndependenceRequired, InvalidTransition
from factcheck.models import RESOLVED, Claim, PublicEntry, Role, Stance, Status, StatusChange
from factcheck.services import Actor
from factcheck.services.claims import create_claim, link_statement
from factcheck.services.sources import create_source, create_statement
from factcheck.services.status import change_status
from factcheck.services.status_machine import TRANSITIONS, next_statuses

SYSTEM = Actor.system("test")
#: Each statement's own words: the same words by the same speaker are one statement.
WORDS = itertools.count(1)


def run_machine(session, checker_user, editor_user) -> None:
    checker = Actor.of(checker_user)
    editor = Actor.of(editor_user)

    class StatusRules(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.savepoint = session.begin_nested()
            self.claim = create_claim(session, SYSTEM, text="A checkable proposition")
            self.status = Status.UNVERIFIED
            self.rows = 1
            self.sources: list[tuple[int, int]] = []  # (source id, side)
            self.asserting_sides: list[int] = []  # in link order
            self.overrides = 0

        def teardown(self) -> None:
            if getattr(self, "savepoint", None) is not None and self.savepoint.is_active:
                self.savepoint.rollback()
            # Rows of this example are gone and their ids will be used again (SQLite): forget
            # the objects read meanwhile, so that none stands for a row of the next example.
            session.expunge_all()

        @rule()
        def new_side(self) -> None:
            source = create_source(session, SYSTEM, name=f"Root {len(self.sources)}", kind="organisation")
            self.sources.append((source.id, source.id))

        @rule(data=st.data())
        def same_side(self, data) -> None:
            if not self.sources:
                return
            parent_id, side = data.draw(st.sampled_from(self.sources))
            source = create_source(session, SYSTEM, name=f"Member {len(self.sources)}", kind="government",
                                   affiliation_id=parent_id)
            self.sources.append((source.id, side))

        @rule(data=st.data(), stance=st.sampled_from(list(Stance)))
        def link(self, data, stance: Stance) -> None:
            if not self.sources:
                return
            source_id, side = data.draw(st.sampled_from(self.sources))
            statement = create_statement(session, SYSTEM, speaker_id=source_id, text=f"words {next(WORDS)}", kind="paraphrase")
            link_statement(session, self.claim, statement, SYSTEM, stance=stance)
            if stance == Stance.ASSERTS:
                self.asserting_sides.append(side)

        def _expected(self, to: Status, is_editor: bool, override: bool) -> type[Exception] | None:
            frm = self.status
            if frm == to:
                return InvalidTransition
            if frm in RESOLVED and to in (Status.IN_REVIEW, Status.CONTESTED):
                if not is_editor:
                    return Forbidden
            elif to not in TRANSITIONS[frm]:
                return InvalidTransition
            if override:
                if to != Status.CONFIRMED:
                    return InvalidTransition
                if not is_editor:
                    return Forbidden
            elif to == Status.CONFIRMED:
                sides = self.asserting_sides
                if not sides or all(s == sides[0] for s in sides):
                    return IndependenceRequired
            return None

        @rule(data=st.data(), is_editor=st.booleans(), override=st.sampled_from([False, False, False, True]))
        def move(self, data, is_editor: bool, override: bool) -> None:
            # Mostly moves the machine allows (so deep paths are reached), sometimes any status.
            allowed = next_statuses(self.status, editor=True)
            choices = st.sampled_from(list(Status))
            if allowed:
                choices = st.one_of(st.sampled_from(allowed), st.sampled_from(allowed), choices)
            to = data.draw(choices)
            expected = self._expected(to, is_editor, override)
            actor = editor if is_editor else checker
            try:
                with session.begin_nested():
                    change_status(session, self.claim, to, "a reason", actor, self.claim.version,
                                  override_reason="an editor's reason" if override else None)
            except (InvalidTransition, Forbidden) as error:
                assert expected is not None and isinstance(error, expected), (self.status, to, is_editor, override, error)
                session.refresh(self.claim)
                return
            assert expected is None, (self.status, to, is_editor, override)
            self.status = to
            self.rows += 1
            self.overrides += int(override)

        @rule()
        def stale_write(self) -> None:
            target = next(iter(TRANSITIONS[self.status]), None)
            if target is None:
                return
            with pytest.raises(Conflict):
                change_status(session, self.claim, target, "late", editor, self.claim.version - 1)

        @invariant()
        def history_is_consistent(self) -> None:
            if not hasattr(self, "claim"):
                return
            rows = session.scalars(
                select(StatusChange).where(StatusChange.claim_id == self.claim.id).order_by(StatusChange.id)
            ).all()
            claim = session.get(Claim, self.claim.id)
            assert len(rows) == self.rows
            assert claim.status == rows[-1].to_status == self.status
            versions = [r.version for r in rows]
            assert versions == sorted(versions) and len(set(versions)) == len(versions)
            assert claim.version >= versions[-1]
            for prev, row in zip(rows, rows[1:]):
                assert row.from_status == prev.to_status
                if prev.to_status in RESOLVED:
                    assert row.to_status in (Status.IN_REVIEW, Status.CONTESTED)
                    assert row.actor_id == editor_user.id  # reopened by an editor only
            # Never published: readers saw nothing, so there is no public history (and no
            # correction) whatever the desk did (tests/test_public_history.py: published claims).
            assert not session.scalars(select(PublicEntry).where(PublicEntry.claim_id == self.claim.id)).all()
            overrides = [r for r in rows if r.independence_override]
            assert len(overrides) == self.overrides
            assert all(r.override_reason and r.actor_id == editor_user.id for r in overrides)

    StatusRules.TestCase.settings = settings(
        max_examples=40, stateful_step_count=30, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    StatusRules.TestCase().runTest()


def test_status_machine_properties(session, make) -> None:
    run_machine(session, make.user(Role.CHECKER), make.user(Role.EDITOR))
