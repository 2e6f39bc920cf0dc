"""The vocabulary of DESIGN.md as enumerations."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    UNVERIFIED = "unverified"
    IN_REVIEW = "in_review"
    CONTESTED = "contested"
    CONFIRMED = "confirmed"
    FALSE = "false"
    MISLEADING = "misleading"
    UNPROVEN = "unproven"

    @property
    def resolved(self) -> bool:
        return self in RESOLVED

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


UNRESOLVED = frozenset({Status.UNVERIFIED, Status.IN_REVIEW, Status.CONTESTED})
RESOLVED = frozenset(set(Status) - UNRESOLVED)

STATUS_LABELS = {
    Status.UNVERIFIED: "Unverified",
    Status.IN_REVIEW: "In review",
    Status.CONTESTED: "Contested",
    Status.CONFIRMED: "Confirmed",
    Status.FALSE: "False",
    Status.MISLEADING: "Misleading",
    Status.UNPROVEN: "Unproven",
}


class PublicKind(enum.StrEnum):
    """What a reader saw happen to a claim (``PublicEntry``)."""

    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    STATUS = "status"
    WORDING = "wording"
    WITHDRAWN = "withdrawn"


class SignoffKind(enum.StrEnum):
    """What waits for a second editor: a verdict on a published claim, or a publication."""

    VERDICT = "verdict"
    PUBLISH = "publish"


class SignoffState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    #: Sent back with a note: the verdict stays on the desk, readers never saw it.
    RETURNED = "returned"
    #: The desk moved on (another status change) before anyone decided.
    WITHDRAWN = "withdrawn"


class Stance(enum.StrEnum):
    ASSERTS = "asserts"
    DENIES = "denies"
    UNCONFIRMED = "unconfirmed"
    MENTIONS = "mentions"


class SourceKind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    GOVERNMENT = "government"
    ARMED_GROUP = "armed_group"
    MEDIA = "media"
    DOCUMENT = "document"


class StatementKind(enum.StrEnum):
    QUOTE = "quote"
    PARAPHRASE = "paraphrase"


class Role(enum.StrEnum):
    CHECKER = "checker"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return {Role.CHECKER: 1, Role.EDITOR: 2, Role.ADMIN: 3}[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


class Priority(enum.IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3
