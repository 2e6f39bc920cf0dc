"""Archived copies of reports and evidence links, and what became of them since."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class ArchivedUrl(Base):
    """One address the tracker keeps copies of (a report's URL, or a link in a status change's
    evidence), however many reports and claims cite it. ``next_check_at`` is when it is next
    fetched: due at once when the worker writes the row from a request, then set again after
    every fetch (the schedule of re-checks)."""

    __tablename__ = "archived_urls"
    __table_args__ = (
        UniqueConstraint("url", name="uq_archived_urls_url"),
        Index("ix_archived_urls_next_check_at", "next_check_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    #: ``pending`` (never fetched yet), ``archived`` (a copy is kept, and it is as kept),
    #: ``changed`` (its readable text changed after the first copy), ``gone`` (404 or 410),
    #: ``failed`` (the last fetch failed; it is tried again) or ``refused`` (by the fetch
    #: policy: a private address, too large, a type that is not archived…).
    state: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it is next fetched; None: never again (archiving switched off for it).
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Fetches made, and failures in a row (the back-off of retries).
    checks: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    #: When its text was last found changed, and since when it answers 404/410.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gone_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The Internet Archive's copy, where submission is on (``ARCHIVE_WAYBACK``).
    wayback_url: Mapped[str | None] = mapped_column(String(2000))
    wayback_error: Mapped[str] = mapped_column(Text, default="")


class EvidenceArchiveRequest(Base):
    """A status change whose evidence has links to archive, that the worker has not taken yet.
    One row, written in the transaction of the status change (``services.archive.
    request_evidence``, the batch import); the worker takes it (``archive.take_requests``),
    writes the links' ``ArchivedUrl`` and ``ArchiveLink`` rows and deletes it. (A report's
    request is a column of the report, ``Report.archive_requested``; status changes are never
    updated, so theirs is a row of its own.)

    No foreign key, deliberately: the row is the whole cost archiving adds to the status change
    (no constraint check). A status change goes only with its claim; a request whose status
    change is gone is dropped by the worker."""

    __tablename__ = "evidence_archive_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    status_change_id: Mapped[int] = mapped_column(Integer)


class ArchiveLink(Base):
    """Who cites an archived address: a report (its URL), or a status change of a claim (a
    link in its evidence)."""

    __tablename__ = "archive_links"
    __table_args__ = (
        CheckConstraint("report_id IS NOT NULL OR claim_id IS NOT NULL", name="cites_something"),
        Index("ix_archive_links_report_id", "report_id"),
        Index("ix_archive_links_claim_id", "claim_id"),
        Index("ix_archive_links_archived_url_id", "archived_url_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    archived_url_id: Mapped[int] = mapped_column(ForeignKey("archived_urls.id", ondelete="CASCADE"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    status_change_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    archived_url: Mapped[ArchivedUrl] = relationship()


class Snapshot(Base):
    """One fetch of an archived address that found something new: a first copy, a changed
    copy, the page gone, or a fetch that failed or was refused (with why). A fetch that finds
    the page as last kept adds no row (``ArchivedUrl.last_checked_at`` moves); the same
    failure again counts on the row that recorded it (``repeats``, ``last_at``)."""

    __tablename__ = "snapshots"
    __table_args__ = (Index("ix_snapshots_archived_url_id", "archived_url_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    archived_url_id: Mapped[int] = mapped_column(ForeignKey("archived_urls.id", ondelete="CASCADE"))
    #: ``archived`` (the first copy), ``changed`` (a copy whose readable text differs from the
    #: one before), ``gone`` (404/410), ``failed`` or ``refused`` (nothing kept; ``error`` says why).
    outcome: Mapped[str] = mapped_column(String(20))
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The last time the same outcome was seen again, and how many times in all.
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    repeats: Mapped[int] = mapped_column(Integer, default=1)
    requested_url: Mapped[str] = mapped_column(String(2000))
    #: Where the redirects (``redirects``: every address redirected from) ended.
    final_url: Mapped[str | None] = mapped_column(String(2000))
    redirects: Mapped[list[str]] = mapped_column(JSON, default=list)
    http_status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(200))
    #: The body as received (any gzip/deflate transfer encoding undone), in the file store
    #: under this SHA-256; its size in bytes.
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(500))
    #: The readable text (an HTML page's main text; a text body's text).
    text: Mapped[str | None] = mapped_column(Text)
    #: SHA-256 of the readable text with spacing aside (of the bytes, without text): what
    #: tells a changed page.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    #: For ``changed``: the word-level difference from the copy before (``[op, words]`` runs).
    diff: Mapped[list[Any] | None] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)

    archived_url: Mapped[ArchivedUrl] = relationship()

    @property
    def kept(self) -> bool:
        """Whether this row holds a copy (bytes in the store)."""
        return self.sha256 is not None
