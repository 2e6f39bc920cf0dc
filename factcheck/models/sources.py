"""Who said what, and where it was carried: sources, reports and statements."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, str_enum, utcnow
from .enums import SourceKind, StatementKind
from .users import User


class Source(Base):
    """Who originates statements: a person, body, group, outlet or document."""

    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint("affiliation_id IS NULL OR affiliation_id <> id", name="not_self_affiliated"),
        CheckConstraint("anonymous OR sealed_identity IS NULL", name="sealed_only_if_anonymous"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
        CheckConstraint("version >= 1", name="version_positive"),
        # Names are matched without regard to case when statements are entered or imported.
        Index("ix_sources_name_lower", func.lower(sql_text("name"))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SourceKind] = mapped_column(str_enum(SourceKind, "source_kind"))
    #: For an anonymous source, the public descriptor ("counter-terrorism official in Karachi").
    name: Mapped[str] = mapped_column(String(300), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Why anonymity was granted, as the report gives it: shown to readers.
    anonymity_reason: Mapped[str | None] = mapped_column(Text)
    #: Who the anonymous source really is, where the newsroom knows it. Editors only: never
    #: rendered on a public page, feed, export or API response.
    sealed_identity: Mapped[str | None] = mapped_column(Text)
    #: The body this source belongs to (the NDS belongs to the Afghan government); the root
    #: of this chain is the source's "side" when judging independence.
    affiliation_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="RESTRICT"), index=True
    )
    url: Mapped[str | None] = mapped_column(String(2000))
    #: Optimistic lock and revision number: every edit increments it.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Set when an editor found this source to be another one: its statements moved there, its
    #: name became an alias of it, and its address redirects there. The row itself stays.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    affiliation: Mapped[Source | None] = relationship(
        remote_side=[id], foreign_keys=[affiliation_id], lazy="joined", join_depth=3
    )
    merged_into: Mapped[Source | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])
    created_by: Mapped[User | None] = relationship()
    aliases: Mapped[list[SourceAlias]] = relationship(
        foreign_keys="SourceAlias.source_id", order_by="SourceAlias.id", viewonly=True
    )

    def __repr__(self) -> str:
        return f"<Source {self.id} {self.name!r}>"


class SourceAlias(Base):
    """Another name of a source: the name of a source merged into it. Typed names are matched
    against aliases too, so "OCHA" finds the source it was merged into."""

    __tablename__ = "source_aliases"
    __table_args__ = (Index("ix_source_aliases_name_lower", func.lower(sql_text("name"))),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    #: The merged source this name came from.
    merged_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Report(Base):
    """Where a statement was carried: an article, broadcast or document at a URL."""

    __tablename__ = "reports"
    __table_args__ = (
        # The archiving worker reads the reports waiting for it: a small partial index.
        Index("ix_reports_archive_requested", "id", sqlite_where=sql_text("archive_requested"),
              postgresql_where=sql_text("archive_requested")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    #: The outlet that published it (a source of kind ``media``).
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retrieved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Optional stored copy of the report's text, and its SHA-256 (hex) to show it is unaltered.
    text: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Its URL waits for the archiving worker: set with the report (or its move to another URL)
    #: by ``services.archive.request_report``, cleared by the worker when it writes the address
    #: (``archive.take_requests``). A column of the row being written anyway: the request costs
    #: the request that adds a report no statement of its own.
    archive_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    outlet: Mapped[Source | None] = relationship()


class Statement(Base):
    """One attribution: what a speaker said, carried by a report, perhaps relayed."""

    __tablename__ = "statements"
    __table_args__ = (
        CheckConstraint(
            "relayed_through_id IS NULL OR relayed_through_id <> id", name="not_self_relayed"
        ),
        Index("ix_statements_report_id", "report_id"),
        Index("ix_statements_fingerprint", "speaker_id", "fingerprint"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    #: Someone who passed the words on ("colleagues told Mir that…": relayed by Mir).
    relayed_by_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"), index=True)
    #: The statement this one was relayed inside, for nested attribution.
    relayed_through_id: Mapped[int | None] = mapped_column(ForeignKey("statements.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[StatementKind] = mapped_column(str_enum(StatementKind, "statement_kind"))
    said_on: Mapped[date | None] = mapped_column(Date)
    #: SHA-256 of the normalised text (case, spacing and quotation marks aside): with the
    #: speaker and the report, what makes two entries of one statement the same statement.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    #: Optimistic lock and revision number of its words: every edit increments it.
    version: Mapped[int] = mapped_column(Integer, default=1)
    #: Withdrawn (entered in error, or the outlet retracted it): kept, struck through on the
    #: desk, counted for no claim. The reason is public where the statement was.
    retracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retracted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    retraction_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    speaker: Mapped[Source] = relationship(foreign_keys=[speaker_id], lazy="joined")
    report: Mapped[Report | None] = relationship(lazy="joined")
    relayed_by: Mapped[Source | None] = relationship(foreign_keys=[relayed_by_id])
    retracted_by: Mapped[User | None] = relationship(foreign_keys=[retracted_by_id])
    relayed_through: Mapped[Statement | None] = relationship(remote_side=[id])
