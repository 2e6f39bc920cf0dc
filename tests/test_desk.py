"""The checker's desk and the editor's queue, through real requests (CSRF on)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.demo import load_demo
from factcheck.models import Claim, ClaimStatement, Source, StatusChange
from factcheck.services import Actor
from factcheck.services.status import change_status

from .conftest import csrf_token


def killing_claim(session) -> Claim:
    return session.scalar(select(Claim).where(Claim.slug == "asim-umar-killed-in-musa-qala-raid"))


def post(client, path, data, *, form_page=None):
    data = dict(data)
    data["csrf_token"] = csrf_token(client, form_page or path)
    return client.post(path, data=data)


def test_claim_page_groups_statements_and_hides_sealed_identity_from_checkers(client, session, login_as) -> None:
    load_demo(session)
    official = session.scalar(select(Source).where(Source.name == "Counter-terrorism official in Karachi"))
    official.sealed_identity = "Inspector R. of the CTD"
    session.flush()
    login_as("checker")
    claim = killing_claim(session)
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    for heading in ["Asserts", "Denies", "Cannot confirm", "Mentions (context)"]:
        assert heading in page
    assert "We categorically reject this claim" in page
    assert "Requested anonymity" in page
    assert "Inspector R." not in page
    assert "Contested by independent sources" in page


def test_editor_sees_sealed_identity(client, session, login_as) -> None:
    load_demo(session)
    official = session.scalar(select(Source).where(Source.name == "Counter-terrorism official in Karachi"))
    official.sealed_identity = "Inspector R. of the CTD"
    session.flush()
    login_as("editor")
    page = client.get(f"/desk/claims/{killing_claim(session).id}").get_data(as_text=True)
    assert "Inspector R. of the CTD" in page


def test_search(client, session, login_as) -> None:
    load_demo(session)
    login_as("checker")
    page = client.get("/desk/?q=Ahmedabad").get_data(as_text=True)
    assert "from Ahmedabad" in page
    assert "Musa Qala" not in page


def test_create_claim_suggests_similar_then_creates(client, session, login_as) -> None:
    load_demo(session)
    login_as("checker")
    first = post(client, "/desk/claims/new", {"text": "Asim Umar was killed in a raid in Musa Qala"})
    assert first.status_code == 200
    assert "Similar claims already exist" in first.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Claim)) == 5
    second = post(client, "/desk/claims/new", {"text": "Asim Umar was killed in a raid in Musa Qala", "confirm_new": "1"})
    assert second.status_code == 302
    assert session.scalar(select(func.count()).select_from(Claim)) == 6


def test_similar_endpoint_json(client, session, login_as) -> None:
    load_demo(session)
    login_as("checker")
    data = client.get("/desk/claims/similar?text=Umar killed in Musa Qala").get_json()
    assert data["similar"][0]["text"].startswith("Asim Umar, leader of")


def test_add_statement_creates_speaker_report_and_link_in_one_go(client, session, login_as) -> None:
    login_as("checker")
    claim = Actor.system("t")
    from factcheck.services.claims import create_claim

    claim = create_claim(session, Actor.system("t"), text="The dam burst on Friday")
    response = post(client, f"/desk/claims/{claim.id}/statements/new", {
        "speaker": "Regional water authority", "speaker_kind": "government",
        "text": "The dam burst on Friday morning.", "kind": "paraphrase", "stance": "asserts",
        "report_url": "https://news.example/dam", "report_title": "Dam bursts", "outlet": "Example News",
    })
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    link = session.scalar(select(ClaimStatement).where(ClaimStatement.claim_id == claim.id))
    assert link.statement.speaker.name == "Regional water authority"
    assert link.statement.report.outlet.name == "Example News"


def test_add_statement_failure_keeps_input_and_writes_nothing(client, session, login_as) -> None:
    login_as("checker")
    from factcheck.services.claims import create_claim

    claim = create_claim(session, Actor.system("t"), text="The dam burst on Friday")
    sources_before = session.scalar(select(func.count()).select_from(Source))
    response = post(client, f"/desk/claims/{claim.id}/statements/new", {
        "speaker": "A brand new source", "text": "Words", "stance": "asserts",
        "report_url": "javascript:alert(1)",
    })
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "A brand new source" in body and "http" in body
    assert session.scalar(select(func.count()).select_from(Source)) == sources_before


def test_status_change_and_conflict_page_keeps_typed_text(client, session, login_as) -> None:
    load_demo(session)
    login_as("checker")
    claim = killing_claim(session)
    stale = claim.version
    change_status(session, claim, "in_review", "An editor moved it back for more checking", Actor.system("t"), stale)
    response = post(client, f"/desk/claims/{claim.id}/status",
                    {"to": "false", "reason": "My careful reasoning", "version": str(stale)},
                    form_page=f"/desk/claims/{claim.id}")
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Someone changed this claim" in body
    assert "My careful reasoning" in body
    assert "An editor moved it back for more checking" in body
    assert re.search(rf'name="version" value="{claim.version}"', body)
    history = session.scalars(select(StatusChange.reason).where(StatusChange.claim_id == claim.id)).all()
    assert "My careful reasoning" not in history


def test_status_change_without_reason_is_refused(client, session, login_as) -> None:
    load_demo(session)
    login_as("checker")
    claim = killing_claim(session)
    response = post(client, f"/desk/claims/{claim.id}/status", {"to": "in_review", "reason": "", "version": claim.version},
                    form_page=f"/desk/claims/{claim.id}")
    assert response.status_code == 422
    assert "Reason: this is required." in response.get_data(as_text=True)


def test_checker_cannot_reopen(client, session, login_as) -> None:
    load_demo(session)
    login_as("checker")
    claim = session.scalar(select(Claim).where(Claim.status == "confirmed"))
    response = post(client, f"/desk/claims/{claim.id}/status",
                    {"to": "in_review", "reason": "I disagree", "version": claim.version},
                    form_page=f"/desk/claims/{claim.id}")
    assert response.status_code == 403
    assert "only an editor can reopen" in response.get_data(as_text=True)


def test_editor_queue_filters_and_assigns(client, session, login_as) -> None:
    load_demo(session)
    editor = login_as("editor")
    page = client.get("/editor/queue?contested=1").get_data(as_text=True)
    assert "Musa Qala" in page and "Ansarul Shariah" not in page
    claim = killing_claim(session)
    response = post(client, f"/editor/claims/{claim.id}/desk",
                    {"assignee_id": str(editor.id), "priority": "3", "deadline": "2030-01-01T12:00",
                     "next_review_on": "2029-12-30", "version": claim.version},
                    form_page=f"/desk/claims/{claim.id}")
    assert response.status_code == 302
    session.refresh(claim)
    assert claim.assignee_id == editor.id and claim.priority == 3
    assert claim.deadline.isoformat() == "2030-01-01T12:00:00+00:00"
    mine = client.get(f"/editor/queue?assignee={editor.id}").get_data(as_text=True)
    assert "Musa Qala" in mine


def test_editor_publish_and_unpublish(client, session, login_as) -> None:
    load_demo(session)
    login_as("editor")
    claim = killing_claim(session)
    response = post(client, f"/editor/claims/{claim.id}/publish", {"published": "0", "version": claim.version},
                    form_page=f"/desk/claims/{claim.id}")
    assert response.status_code == 302
    session.refresh(claim)
    assert claim.published_at is None


@pytest.mark.parametrize("deadline", ["tomorrow", "99999-01-01T00:00", "2020-13-45T00:00"])
def test_bad_desk_values_are_clear_errors(client, session, login_as, deadline) -> None:
    load_demo(session)
    login_as("editor")
    claim = killing_claim(session)
    response = post(client, f"/editor/claims/{claim.id}/desk", {"deadline": deadline, "version": claim.version},
                    form_page=f"/desk/claims/{claim.id}")
    assert response.status_code == 422
    assert "deadline" in response.get_data(as_text=True)


def test_dashboard_charts(client, session, login_as) -> None:
    load_demo(session)
    login_as("editor")
    page = client.get("/editor/dashboard").get_data(as_text=True)
    assert page.count("<svg") == 3
    assert "Claims by status" in page and "Resolutions per week" in page
    assert "Contested: 3" in page  # the chart's accessible description carries the data


def test_source_page_track_record_with_basis(client, session, login_as) -> None:
    load_demo(session)
    login_as("checker")
    zawahiri = session.scalar(select(Source).where(Source.name == "Ayman al-Zawahiri"))
    page = client.get(f"/desk/sources/{zawahiri.id}").get_data(as_text=True)
    assert "Of the <strong>1</strong> claim this source asserted" in page
    assert "confirmed: <strong>1</strong> of 1" in page
    assert "too small to judge" in page
