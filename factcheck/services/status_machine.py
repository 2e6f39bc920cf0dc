"""The status machine of DESIGN.md, as data.

``unverified`` → ``in_review`` → ``contested`` or a verdict; ``contested`` → back to
``in_review`` or a verdict. A verdict (resolved status) is left only by *reopening*, an
editor's act that becomes a public correction.
"""

from __future__ import annotations

from ..models import RESOLVED, Status

#: Moves any checker may make.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.UNVERIFIED: frozenset({Status.IN_REVIEW}),
    Status.IN_REVIEW: frozenset({Status.CONTESTED} | RESOLVED),
    Status.CONTESTED: frozenset({Status.IN_REVIEW} | RESOLVED),
    **{resolved: frozenset() for resolved in RESOLVED},
}

#: Moves out of a verdict: editors only, a reason always, shown publicly as a correction.
REOPENINGS: dict[Status, frozenset[Status]] = {
    resolved: frozenset({Status.IN_REVIEW, Status.CONTESTED}) for resolved in RESOLVED
}


def is_allowed(frm: Status, to: Status) -> bool:
    """Whether a checker may move a claim from ``frm`` to ``to``."""
    return to in TRANSITIONS[frm]


def is_reopening(frm: Status, to: Status) -> bool:
    """Whether ``frm`` → ``to`` reopens a resolved claim (editor only)."""
    return to in REOPENINGS.get(frm, frozenset())


def next_statuses(frm: Status, *, editor: bool) -> list[Status]:
    """The statuses a user may move a claim to from ``frm``, in display order."""
    allowed = set(TRANSITIONS[frm])
    if editor:
        allowed |= REOPENINGS.get(frm, frozenset())
    return [s for s in Status if s in allowed]
