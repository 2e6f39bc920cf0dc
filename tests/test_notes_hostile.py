"""Notes never reach readers, and what people type in them stays text wherever staff see it.

Every hostile string of ``tests/hostile.py`` goes into a note (with a marker) on a published
claim, mentioning the person who then reads the desk: the marker is in no public page, badge,
embed, feed, ClaimReview export or public API answer, and the strings are escaped on the
claim's desk page, on "my work" (inbox and mentions) and in the audit log. A string a note
cannot hold (a NUL byte, 100,000 characters) is refused in words, nothing written.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select

from factcheck.claimreview.export import data_feed
from factcheck.errors import ValidationError
from factcheck.models import Note
from factcheck.services import Actor
from factcheck.services.claims import link_statement, set_published
from factcheck.services.notes import add_note, edit_note
from factcheck.services.status import change_status

from .hostile import HOSTILE
from .test_hostile_input import _check_markup

SYSTEM = Actor.system("test")
MARK = "NOTE-MARKER-7f3a"


def test_notes_reach_no_reader_and_stay_text_for_staff(app, client, session, make, login_as) -> None:
    claim = make.claim("The dam at Kajaki was breached")
    ministry = make.source("Energy Ministry", kind="government")
    link_statement(session, claim, make.statement(ministry, "The dam was breached."), SYSTEM, stance="asserts")
    change_status(session, claim, "in_review", "Public: checking.", SYSTEM, claim.version)
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    author = make.user("checker", name="Nadia Author")
    reader = login_as("editor", name="Rafael Reader")
    written = refused = 0
    for name, payload in HOSTILE.items():
        body = f"{MARK} @[Rafael Reader] {payload}"
        try:
            with session.begin_nested():
                note = add_note(session, claim, Actor.of(author), body=body)
                edit_note(session, note, Actor.of(author), body=body + f" {MARK}-edited")
            written += 1
        except ValidationError as error:
            assert "\x00" in payload or len(body) > 20_000, name
            assert error.detail in ("body contains a NUL byte.",) or "too long" in error.detail, error.detail
            refused += 1
    session.flush()
    assert written == len(HOSTILE) - 2 and refused == 2
    assert session.scalar(select(func.count()).select_from(Note)) == written

    staff = {
        "desk claim page": f"/desk/claims/{claim.id}",
        "my work": "/desk/my-work",
        "audit log": "/admin/audit",
    }
    for where, url in staff.items():
        response = client.get(url)
        assert response.status_code in (200, 403), (where, response.status_code)
        body = response.get_data(as_text=True)
        _check_markup(body, where)
        if where == "my work":
            assert MARK in body and "Nadia Author mentioned you" in body
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert page.count(f"{MARK}-edited") >= written and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page

    client.post("/logout", data={"csrf_token": _token(client)})
    urls = ["/", "/claims", "/claims?q=dam", "/corrections", "/methodology", "/feeds/changes.atom",
            f"/claims/{claim.slug}", f"/claims/{claim.slug}/feed.atom", f"/badge/{claim.slug}.svg",
            f"/embed/{claim.slug}", "/api/v1/claims", f"/api/v1/claims/{claim.id}",
            f"/api/v1/claims/{claim.id}/statements", f"/api/v1/claims/{claim.id}/history",
            f"/api/v1/claims/{claim.slug}/badge", "/api/v1/claimreview", f"/desk/claims/{claim.id}", "/desk/my-work"]
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        bodies[url] = response.get_data(as_text=True)
    bodies["claimreview export"] = json.dumps(data_feed(session, base_url="https://news.example",
                                                        org_name="News", org_url="https://news.example"))
    for where, body in bodies.items():
        assert MARK not in body, f"a note reached readers: {where}"
    assert "The dam at Kajaki was breached" in bodies[f"/claims/{claim.slug}"]
    assert reader.id


def _token(client) -> str:
    from .conftest import csrf_token

    return csrf_token(client, "/desk/")
