"""CSV of a queue or desk view, as filtered and sorted on the page, for a spreadsheet.

Rows are produced a page at a time through ``queue.list_claims`` (the same filters, sort and
keyset pages as the page itself), so a view of a million claims is written out as it is read,
never held in memory. A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage
return, which some spreadsheets skip before one of those) would be run as a formula by a
spreadsheet: it is written with a ``'`` before it, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..models import Claim
from .queue import MAX_LIMIT, ClaimFilter, list_claims

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PRIORITY_NAMES = ("low", "normal", "high", "urgent")
COLUMNS = ("id", "status", "claim", "priority", "assignee", "deadline (UTC)", "tags", "published",
           "contested", "single source", "anonymous only", "last activity (UTC)", "entered (UTC)", "version",
           "desk page")


def neutralise(value: Any) -> str:
    """A cell's text, with a ``'`` before it if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def claim_row(claim: Claim, desk_url: str) -> list[str]:
    """One claim as the export's cells (``desk_url``: its desk page's address)."""
    return [neutralise(v) for v in (
        claim.id, claim.status.label, claim.text, PRIORITY_NAMES[claim.priority],
        claim.assignee.name if claim.assignee else "", _when(claim.deadline),
        ", ".join(t.name for t in claim.tags), "yes" if claim.published_at else "no",
        "yes" if claim.flag_contested else "", "yes" if claim.flag_single_source else "",
        "yes" if claim.flag_anonymous_only else "", _when(claim.last_activity_at), _when(claim.created_at),
        claim.version, desk_url,
    )]


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """The header and ``rows`` as CSV text, a line at a time (a UTF-8 byte-order mark first, so
    that spreadsheets read the words as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def view_claims(
    session: Session, filt: ClaimFilter, *, sort: str, stale_after_days: int, page_size: int = MAX_LIMIT
) -> Iterator[Claim]:
    """Every claim of a view, in its order, read page after page (keyset), from the first."""
    cursor = None
    while True:
        page = list_claims(session, filt, sort=sort, cursor=cursor, limit=page_size,
                           stale_after_days=stale_after_days)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def export_csv(claims: Iterable[Claim], desk_url: Any) -> Iterator[str]:
    """``claims`` as CSV lines (``desk_url(claim_id)``: the address of a claim's desk page)."""
    return csv_lines(claim_row(claim, desk_url(claim.id)) for claim in claims)
