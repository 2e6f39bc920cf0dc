"""Claims, how statements bear on them, and their append-only status history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, str_enum, utcnow
from .enums import UNRESOLVED, PublicKind, Stance, Status
from .sources import Statement
from .users import User

#: Partial-index predicates, as literal SQL: a planner matches a query to a partial index
#: only when the query states the same condition with the same literals.
UNRESOLVED_PREDICATE = text(
    "status IN (" + ", ".join(f"'{s.value}'" for s in sorted(UNRESOLVED)) + ")"
)
PUBLISHED_PREDICATE = text("published_at IS NOT NULL")

claim_tags = Table(
    "claim_tags",
    Base.metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Claim(Base):
    """One checkable proposition, phrased neutrally."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 0 AND 3", name="priority_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        # A queue filtered to some statuses, in priority order, keyset-paginated by id.
        Index("ix_claims_queue_priority", "status", "priority", "id"),
        Index("ix_claims_last_activity_at", "last_activity_at", "id"),
        Index("ix_claims_deadline", "deadline", "id"),
        Index("ix_claims_published_at", "published_at", "id"),
        Index("ix_claims_priority", "priority", "id"),
        # The editor queue at scale: only the unresolved claims (a small, hot part of the
        # table), one index per sort, so that any page is a short range read (migration 0004).
        *(
            Index(name, *columns, sqlite_where=UNRESOLVED_PREDICATE, postgresql_where=UNRESOLVED_PREDICATE)
            for name, columns in (
                ("ix_claims_unresolved_priority", ("priority", "id")),
                ("ix_claims_unresolved_age", ("id",)),
                ("ix_claims_unresolved_activity", ("last_activity_at", "id")),
                ("ix_claims_unresolved_deadline", ("deadline", "id")),
            )
        ),
        # The reader front page and claims list: published claims, newest status first.
        Index(
            "ix_claims_published_recent", "status_changed_at", "id",
            sqlite_where=PUBLISHED_PREDICATE, postgresql_where=PUBLISHED_PREDICATE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    text: Mapped[str] = mapped_column(Text)
    #: Background for the desk (not the verdict): why this claim matters, where it came up.
    context: Mapped[str] = mapped_column(Text, default="")
    #: Always equal to the ``to_status`` of the newest StatusChange row; kept on the claim so
    #: that the queue and the badge need no join.
    status: Mapped[Status] = mapped_column(str_enum(Status, "status"), default=Status.UNVERIFIED)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    priority: Mapped[int] = mapped_column(SmallInteger, default=1)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Optimistic lock: every write to the claim (or its links) increments it, through an
    #: ``UPDATE … WHERE version = :expected`` whose row count decides.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: What readers see: the status of the newest public history entry, None while unpublished
    #: (written with each entry, by ``services.public_history``). Differs from ``status`` while
    #: a verdict waits for sign-off, or once the desk has moved an unpublished claim on.
    public_status: Mapped[Status | None] = mapped_column(str_enum(Status, "public_status", constraint=False))
    #: Last time anything happened to the claim (edit, link, status): drives "stale".
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Source-derived flags, recomputed by services whenever links or affiliations change, so
    # that the queue can filter a million claims on an index instead of re-deriving them.
    #: Independent sources both assert and deny it (DESIGN rule 3).
    flag_contested: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Exactly one distinct speaker among its bearing (non-``mentions``) statements.
    flag_single_source: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Every speaker of its bearing statements is anonymous (and there is at least one).
    flag_anonymous_only: Mapped[bool] = mapped_column(Boolean, default=False)

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    links: Mapped[list[ClaimStatement]] = relationship(
        back_populates="claim", order_by="ClaimStatement.id", cascade="all, delete-orphan"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="claim", order_by="StatusChange.id", viewonly=True
    )
    tags: Mapped[list[Tag]] = relationship(secondary=claim_tags, order_by="Tag.name")
    #: What readers saw (``PublicEntry``), oldest first.
    public_entries: Mapped[list[PublicEntry]] = relationship(order_by="PublicEntry.id", viewonly=True)

    @property
    def resolved(self) -> bool:
        return self.status.resolved

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<Claim {self.slug} {self.status} v{self.version}>"


class ClaimStatement(Base):
    """How one statement bears on one claim."""

    __tablename__ = "claim_statements"
    __table_args__ = (UniqueConstraint("claim_id", "statement_id", name="uq_claim_statement"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    stance: Mapped[Stance] = mapped_column(str_enum(Stance, "stance"))
    #: Internal: why the desk linked it, for colleagues. Never shown to readers.
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Taken off the claim (a wrong link): the row stays, struck through on the desk; the
    #: statement no longer counts for the claim. The reason is public when the claim was.
    unlinked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unlinked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unlink_reason: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="links")
    statement: Mapped[Statement] = relationship(lazy="joined")
    unlinked_by: Mapped[User | None] = relationship(foreign_keys=[unlinked_by_id])

    @property
    def counts(self) -> bool:
        """Whether the statement bears on the claim at all: linked, and not retracted."""
        return self.unlinked_at is None and self.statement.retracted_at is None


class StatusChange(Base):
    """One move of a claim's status. Append-only: never updated, never deleted."""

    __tablename__ = "status_changes"
    __table_args__ = (
        CheckConstraint("length(reason) > 0", name="reason_required"),
        CheckConstraint(
            "NOT independence_override OR length(override_reason) > 0",
            name="override_has_reason",
        ),
        Index("ix_status_changes_claim_id", "claim_id", "id"),
        Index("ix_status_changes_at", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    #: NULL for the first row, written when the claim is created.
    from_status: Mapped[Status | None] = mapped_column(str_enum(Status, "from_status"))
    to_status: Mapped[Status] = mapped_column(str_enum(Status, "to_status"))
    #: Public: shown to readers with the change once the claim is published.
    reason: Mapped[str] = mapped_column(Text)
    #: Public, like the reason.
    evidence: Mapped[str] = mapped_column(Text, default="")
    #: Internal: for colleagues, never published.
    note: Mapped[str] = mapped_column(Text, default="")
    #: An editor confirmed without an independent asserting source, and said why (public).
    independence_override: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    #: Internal note on the override, never published.
    override_note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Where the change came from when no person made it (``demo``, ``import``), else ``web``,
    #: ``api`` or ``cli``.
    via: Mapped[str] = mapped_column(String(20), default="web")
    #: The claim's version after this change.
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()

    @property
    def is_reopening(self) -> bool:
        """A resolved claim moved back to unresolved: a public correction."""
        return self.from_status is not None and self.from_status.resolved and not self.to_status.resolved


class PublicEntry(Base):
    """One thing readers saw happen to a claim: what its public history lists. Append-only.

    Written by the services in the same transaction as the change, and only for changes a
    reader could see: a claim's publication ("published as …"), and from then on every status
    change, wording change and statement withdrawn while it is published. A move made while
    the claim was unpublished is no entry at all; readers meet its result at the next
    publication. A *correction* is an entry that changed something readers had seen: a verdict
    left or replaced (``replaced_verdict``), or a changed wording.
    """

    __tablename__ = "public_history"
    __table_args__ = (
        Index("ix_public_history_claim_id", "claim_id", "id"),
        Index("ix_public_history_at", "at", "id"),
        # The corrections log reads only corrections, newest first: a small partial index.
        Index(
            "ix_public_history_corrections", "at", "id",
            sqlite_where=text("correction"), postgresql_where=text("correction"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    kind: Mapped[PublicKind] = mapped_column(str_enum(PublicKind, "public_kind"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The status readers see from this entry on.
    status: Mapped[Status] = mapped_column(str_enum(Status, "public_status"))
    #: The status readers saw before it (None at a first publication).
    previous_status: Mapped[Status | None] = mapped_column(str_enum(Status, "public_previous_status"))
    #: The wording readers see from this entry on, where it is new to them (a publication or a
    #: wording change), and the wording they saw before (a changed one).
    text: Mapped[str | None] = mapped_column(Text)
    previous_text: Mapped[str | None] = mapped_column(Text)
    #: The verdict readers had seen that this entry corrects: the one a reopening left, or an
    #: earlier verdict a different one replaced.
    replaced_verdict: Mapped[Status | None] = mapped_column(str_enum(Status, "public_replaced_verdict"))
    correction: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The public words of a wording change or a withdrawal; a status entry's words are those of
    #: its status change (reason, evidence, override reason).
    reason: Mapped[str | None] = mapped_column(Text)
    #: The status change that set the status readers see (for a publication, the newest).
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id"))
    #: The statement withdrawn (retracted, or taken off the claim).
    statement_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"))

    claim: Mapped[Claim] = relationship()
    change: Mapped[StatusChange | None] = relationship(lazy="joined")
    statement: Mapped[Statement | None] = relationship()
