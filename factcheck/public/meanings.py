"""What each status and stance means, in the words readers see.

Kept in one place so that the claim page, the embed card and /methodology never disagree.
"""

from __future__ import annotations

from ..models import Stance, Status

STATUS_MEANINGS: dict[Status, str] = {
    Status.UNVERIFIED: "Entered by the desk; checking has not started yet.",
    Status.IN_REVIEW: "The desk is checking the claim against its sources.",
    Status.CONTESTED: "Independent sources contradict each other, and the evidence does not yet "
                      "settle it.",
    Status.CONFIRMED: "The claim is true: it is asserted by at least one source independent of "
                      "whoever made it first (or an editor has explained why not).",
    Status.FALSE: "The claim is not true.",
    Status.MISLEADING: "The claim contains some truth but leaves a false impression: missing "
                       "context, exaggeration, or a distortion.",
    Status.UNPROVEN: "The desk has finished checking and the available evidence can neither "
                     "confirm nor refute the claim.",
}

#: Headings for statements grouped by how they bear on the claim, in display order.
STANCE_HEADINGS: dict[Stance, str] = {
    Stance.ASSERTS: "Say it is true",
    Stance.DENIES: "Say it is not true",
    Stance.UNCONFIRMED: "Say it cannot be confirmed",
    Stance.MENTIONS: "Context",
}
