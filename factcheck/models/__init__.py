"""The data model. Import models from here."""

from .base import Base, utc_from_driver, utcnow
from .claims import Claim, ClaimStatement, StatusChange, Tag, claim_tags
from .enums import (
    RESOLVED,
    STATUS_LABELS,
    UNRESOLVED,
    Priority,
    Role,
    SourceKind,
    Stance,
    StatementKind,
    Status,
)
from .reviews import ImportedReview
from .security import ApiToken, AuditEvent, LoginAttempt, RateLimitCounter
from .sources import Report, Source, Statement
from .users import User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ImportedReview",
    "LoginAttempt",
    "RateLimitCounter",
    "RESOLVED",
    "STATUS_LABELS",
    "UNRESOLVED",
    "Base",
    "Claim",
    "ClaimStatement",
    "Priority",
    "Report",
    "Role",
    "Source",
    "SourceKind",
    "Stance",
    "Statement",
    "StatementKind",
    "Status",
    "StatusChange",
    "Tag",
    "User",
    "claim_tags",
    "utc_from_driver",
    "utcnow",
]
