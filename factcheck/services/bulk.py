"""Bulk work in the queue: one change — assign, add a tag, set the priority or the deadline —
to many claims in one action, each claim's change made as if it were made alone.

"As if alone" means ``claims.update_claim`` once per claim, with the version the person saw
when they selected it: each change is versioned, has its revision where one is due and its own
audit event (and whatever else a change made alone brings, such as the assignee's
notification). A claim someone else changed meanwhile is left as it is and reported — never
overwritten — and so is a claim that refuses the change itself (one more tag than a claim may
have). A refusal of the change as such (nobody to assign to by that id, a priority that is no
priority, a checker asking) refuses the whole action before any claim is written: every claim
would refuse it, and the first one does.

Time. A claim's change costs what it costs alone (a few milliseconds, more with a busy
machine), so 10,000 of them may take longer than a request may last. The action therefore
stops at ``time_budget`` and says which claims it has not reached (``BulkResult.remaining``,
still selected on the page: applying again goes on with them). With ``commit`` (the caller's
commit, on SQLite), it commits every ``batch_seconds`` of work, so that other writers wait for
one batch, never for the whole action.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import Conflict, ValidationError
from ..models import Claim
from .actor import Actor
from .claims import MAX_TAG_LENGTH, update_claim
from .validation import MAX_ID, clean_text

#: Most claims one action may change.
MAX_CLAIMS = 10_000
#: Claims loaded at once; with ``batch_seconds``, batches start at SMALLEST_BATCH claims and
#: grow (at most doubling) towards the size that takes ``batch_seconds``.
CHUNK = 500
SMALLEST_BATCH = 20
#: How long one request's action may run before it stops and says what is left (the request
#: must end well within the server's worker timeout, 30 s in deploy/gunicorn.conf.py).
TIME_BUDGET_SECONDS = 10.0


@dataclass(frozen=True)
class Unchanged:
    """A selected claim the action left as it was, and why."""

    claim_id: int
    text: str
    #: ``changed`` (someone else changed it after it was selected), ``gone`` (no such claim),
    #: ``refused`` (the claim refuses this change: ``detail`` says why).
    reason: str
    #: Its version now, and the version selected.
    current_version: int | None = None
    selected_version: int | None = None
    detail: str = ""


@dataclass
class BulkResult:
    #: Ids of the claims changed (one version, one audit event each).
    changed: list[int] = field(default_factory=list)
    #: Ids of the claims that already were as asked (nothing written).
    already: list[int] = field(default_factory=list)
    #: Claims not changed: changed by someone else meanwhile, gone, or refusing the change.
    skipped: list[Unchanged] = field(default_factory=list)
    #: Claims not reached within the time budget, ``{id: version selected}``: still selected.
    remaining: dict[int, int] = field(default_factory=dict)


def parse_selection(values: Iterable[str]) -> dict[int, int]:
    """The selected claims, ``"id:version"`` each (a page's checkbox carries the version it
    showed), as ``{id: version}`` in the order given; the same claim twice keeps the last.
    Reads at most MAX_CLAIMS + 1 of them (``apply`` refuses more); anything else than
    ``id:version`` is refused as a selection that cannot be read."""
    selection: dict[int, int] = {}
    for value in values:
        claim_id, _, version = value.strip().partition(":")
        if not (_whole(claim_id) and _whole(version)):
            raise ValidationError(
                "The selection could not be read (a claim must be chosen by its checkbox); reload the "
                "queue and select again. Nothing was changed.", {"pick": "not a claim and its version"},
            )
        selection.pop(int(claim_id), None)
        selection[int(claim_id)] = int(version)
        if len(selection) > MAX_CLAIMS:
            break
    return selection


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 10 and 1 <= int(text) <= MAX_ID


def count_selected(values: Iterable[str]) -> int:
    """How many distinct claims ``values`` select (to say so when there are too many)."""
    return len({v.strip().partition(":")[0] for v in values if v.strip()})


def apply(
    session: Session, actor: Actor, selection: Mapping[int, int], *, selected: int | None = None,
    time_budget: float | None = None, commit: Callable[[], None] | None = None,
    batch_seconds: float | None = None, clock: Callable[[], float] = time.monotonic, **change: Any,
) -> BulkResult:
    """Make ``change`` to every claim of ``selection`` (``{claim id: version seen}``), in order.

    ``change`` is one or more of ``assignee_id`` (None: unassign), ``priority``, ``deadline``
    (an aware datetime) and ``add_tag`` (a tag added to the claim's tags, which are kept).
    ``selected``: how many claims were selected, if more than ``selection`` holds (it stops
    reading at MAX_CLAIMS + 1), for the refusal's words. ``time_budget``: seconds after which
    the claims not yet reached are left for another action (``remaining``). ``commit``: called
    after each batch of about ``batch_seconds`` of work (without ``batch_seconds``, of CHUNK
    claims) but the last; the caller's final commit keeps the last.
    """
    count = max(len(selection), selected or 0)
    if count == 0:
        raise ValidationError("Select at least one claim: tick the box beside each claim to change.",
                              {"pick": "none selected"})
    if count > MAX_CLAIMS:
        raise ValidationError(
            f"At most {MAX_CLAIMS:,} claims in one action; {count:,} are selected. Nothing was changed: "
            "narrow the filters, or change them in parts.", {"pick": f"at most {MAX_CLAIMS:,}"},
        )
    fields = {name: change.pop(name) for name in ("assignee_id", "priority", "deadline") if name in change}
    add_tag = change.pop("add_tag", None)
    if change:
        raise ValidationError(f"Unknown change: {', '.join(sorted(change))}.")
    if add_tag is not None:
        add_tag = clean_text(add_tag, "tag", max_length=MAX_TAG_LENGTH).lower()
    if not fields and add_tag is None:
        raise ValidationError("Choose what to do with the selected claims.", {"action": "choose one"})
    if "deadline" in fields and not isinstance(fields["deadline"], datetime):
        raise ValidationError("Deadline: give a date and time, like 2019-09-23 14:00.", {"deadline": "is required"})

    result = BulkResult()
    ids = list(selection)
    started = clock()
    size = SMALLEST_BATCH if batch_seconds is not None else CHUNK
    done = committed = 0
    try:
        while done < len(ids):
            batch = ids[done:done + size]
            batch_started = clock()
            loaded = {c.id: c for c in session.scalars(
                select(Claim).where(Claim.id.in_(batch)).options(selectinload(Claim.tags)))}
            for claim_id in batch:
                if time_budget is not None and done and clock() - started >= time_budget:
                    result.remaining = {i: selection[i] for i in ids[done:]}
                    return result
                _one(session, actor, loaded.get(claim_id), claim_id, selection[claim_id], fields, add_tag, result)
                done += 1
            if batch_seconds is not None:
                elapsed = max(clock() - batch_started, 1e-3)
                size = max(SMALLEST_BATCH, min(CHUNK, 2 * size, int(len(batch) * batch_seconds / elapsed)))
            if commit is not None and done < len(ids):
                commit()
                committed = len(result.changed)
    except ValidationError as error:
        # Every claim refuses such a change alike, so the first one written to refuses it and
        # nothing is written; only something changing meanwhile (the assignee deactivated
        # half-way) can make it come after a committed batch.
        kept = (f"{committed:,} claim{'' if committed == 1 else 's'} changed before this stay changed; the "
                "others were not changed.") if committed else "Nothing was changed."
        raise ValidationError(f"{error.detail} {kept}", error.errors) from None
    return result


def _one(session: Session, actor: Actor, claim: Claim | None, claim_id: int, version: int,
         fields: dict[str, Any], add_tag: str | None, result: BulkResult) -> None:
    """One claim's change, as if made alone; its outcome added to ``result``."""
    if claim is None:
        result.skipped.append(Unchanged(claim_id, "", "gone", selected_version=version))
        return
    before = claim.version
    edit = dict(fields)
    if add_tag is not None:
        edit["tags"] = [t.name for t in claim.tags] + [add_tag]
    try:
        update_claim(session, claim, actor, expected_version=version, **edit)
    except Conflict as conflict:
        result.skipped.append(Unchanged(claim.id, claim.text, "changed", conflict.current_version, version))
        return
    except ValidationError as error:
        # The claim's own refusal (one more tag than a claim may have; ``update_claim`` refuses
        # it before writing anything) is this claim's outcome; any other refusal is the change's.
        if set(error.errors) <= {"tags"}:
            result.skipped.append(Unchanged(claim.id, claim.text, "refused", claim.version, version, error.detail))
            return
        raise
    (result.changed if claim.version != before else result.already).append(claim.id)
