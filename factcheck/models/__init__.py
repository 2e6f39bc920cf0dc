"""The data model. Import models from here."""

from .archive import ArchivedUrl, ArchiveLink, EvidenceArchiveRequest, Snapshot
from .attachments import Attachment
from .base import Base, utc_from_driver, utcnow
from .claims import Claim, ClaimStatement, PublicEntry, StatusChange, Tag, claim_tags
from .desk import (
    Note,
    NoteMention,
    Notification,
    OutboxEvent,
    ReviewDetails,
    SavedFilter,
    Signoff,
    Watch,
    Webhook,
    WebhookDelivery,
)
from .enums import (
    RESOLVED,
    STATUS_LABELS,
    UNRESOLVED,
    Priority,
    PublicKind,
    Role,
    SignoffKind,
    SignoffState,
    SourceKind,
    Stance,
    StatementKind,
    Status,
)
from .reviews import ImportedReview
from .revisions import Revision
from .security import ApiToken, AuditEvent, LoginAttempt, RateLimitCounter
from .sources import Report, Source, SourceAlias, Statement
from .users import User

__all__ = [
    "Attachment",
    "ArchivedUrl",
    "ArchiveLink",
    "EvidenceArchiveRequest",
    "Snapshot",
    "Note",
    "NoteMention",
    "Notification",
    "OutboxEvent",
    "ReviewDetails",
    "SavedFilter",
    "Signoff",
    "SignoffKind",
    "SignoffState",
    "Watch",
    "Webhook",
    "WebhookDelivery",
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
    "PublicEntry",
    "PublicKind",
    "Report",
    "Revision",
    "Role",
    "Source",
    "SourceAlias",
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
