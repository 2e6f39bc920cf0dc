"""Review before a verdict is published: a second editor's sign-off, on and off.

A verdict set on a published claim, or the publishing of a claim with a verdict, reaches
readers only once an editor other than the one who set it approves it; until then readers
keep the previous public state — page, badge, embed, feed, API and ClaimReview alike.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from factcheck.errors import Forbidden
from factcheck.models import Notification, PublicEntry, Signoff, SignoffState
from factcheck.services import Actor, signoff
from factcheck.services.claims import set_published
from factcheck.services.status import change_status
from tests.conftest import csrf_token

SYSTEM = Actor.system("test")


@pytest.fixture
def required(app, monkeypatch):
    app.config["SIGNOFF_REQUIRED"] = True
    monkeypatch.setattr(signoff, "DEFAULT", True)


def _reader_sees(client, claim) -> dict[str, str]:
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    return {
        "page": "Confirmed" if "✓</span> Confirmed" in page else "In review" if "In review</span>" in page else "?",
        "badge": client.get(f"/badge/{claim.slug}.svg").get_data(as_text=True),
        "api": client.get(f"/api/v1/claims/{claim.id}").get_json()["status"],
        "review": str(client.get("/api/v1/claimreview").get_json()["dataFeedElement"]),
    }


def test_a_verdict_waits_for_a_second_editor(required, client, session, make, login_as) -> None:
    claim = make.claim("The port was closed all week")
    make.link(claim, make.source("Port authority"), "asserts", text="Closed all week.")
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    first = Actor.of(make.user("editor", name="First Editor"))
    second = make.user("editor", name="Second Editor")
    change_status(session, claim, "confirmed", "Customs records confirm it.", first, claim.version,
                  override_reason="The records are independent of the port.")
    waiting = signoff.pending_for(session, claim.id)
    assert waiting is not None and claim.status.value == "confirmed" and claim.public_status.value == "in_review"
    seen = _reader_sees(client, claim)
    assert seen["page"] == "In review" and "In review" in seen["badge"] and seen["api"] == "in_review"
    assert claim.slug not in seen["review"]  # no ClaimReview for a verdict readers do not see
    assert session.scalars(select(Notification).where(Notification.user_id == second.id)).one().kind == "signoff"
    with pytest.raises(Forbidden, match="another editor"):
        signoff.approve(session, waiting, first)
    login_as("editor")  # a third editor, on the desk
    assert "The port was closed all week" in client.get("/editor/signoffs").get_data(as_text=True)
    approved = client.post(f"/editor/claims/{claim.id}/signoffs/{waiting.id}/approve",
                           data={"csrf_token": csrf_token(client, f"/desk/claims/{claim.id}")})
    assert approved.status_code == 302
    session.refresh(claim)
    seen = _reader_sees(client, claim)
    assert seen["page"] == "Confirmed" and "Confirmed" in seen["badge"] and seen["api"] == "confirmed"
    assert claim.slug in seen["review"]
    entry = session.scalars(select(PublicEntry).where(PublicEntry.claim_id == claim.id)).all()[-1]
    assert entry.status.value == "confirmed" and entry.at >= waiting.requested_at


def test_a_verdict_sent_back_never_reaches_readers(required, client, session, make) -> None:
    claim = make.claim("The mayor resigned")
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    setter = Actor.of(make.user("checker"))
    change_status(session, claim, "false", "She is in office.", setter, claim.version)
    waiting = signoff.pending_for(session, claim.id)
    signoff.send_back(session, waiting, Actor.of(make.user("editor")), note="Ask her office first.")
    assert waiting.state == SignoffState.RETURNED
    assert "False" not in client.get(f"/badge/{claim.slug}.svg").get_data(as_text=True)
    told = session.scalars(select(Notification).where(Notification.user_id == setter.user_id)).all()
    assert [n.kind for n in told] == ["signoff_returned"] and "Ask her office first." in told[0].text
    # The desk moves on; reopening a verdict readers never saw is no correction.
    change_status(session, claim, "in_review", "Asking her office.", Actor.of(make.user("editor")), claim.version)
    assert not any(e.correction for e in claim.public_entries)


def test_publishing_a_claim_with_a_verdict_waits_for_sign_off(required, client, session, make) -> None:
    claim = make.claim("The school was never built")
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    setter = Actor.of(make.user("editor"))
    change_status(session, claim, "false", "The school stands.", setter, claim.version)
    set_published(session, claim, setter, published=True, expected_version=claim.version)
    assert not claim.published and client.get(f"/claims/{claim.slug}").status_code == 404
    waiting = signoff.pending_for(session, claim.id)
    assert waiting.kind.value == "publish"
    with pytest.raises(Forbidden):
        signoff.approve(session, waiting, setter)
    signoff.approve(session, waiting, Actor.of(make.user("editor")))
    assert claim.published and client.get(f"/claims/{claim.slug}").status_code == 200
    assert claim.public_entries[-1].kind.value == "published"


def test_another_move_withdraws_a_waiting_verdict(required, session, make) -> None:
    claim = make.claim("The river froze")
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    change_status(session, claim, "false", "It did not.", Actor.of(make.user("checker")), claim.version)
    first = signoff.pending_for(session, claim.id)
    change_status(session, claim, "in_review", "More to check.", Actor.of(make.user("editor")), claim.version)
    assert first.state == SignoffState.WITHDRAWN and signoff.pending_for(session, claim.id) is None
    assert claim.public_status.value == "in_review"


def test_without_sign_off_a_verdict_is_public_at_once(app, client, session, make) -> None:
    """A newsroom that works alone turns the rule off (FACTCHECK_SIGNOFF_REQUIRED=0)."""
    app.config["SIGNOFF_REQUIRED"] = False
    claim = make.claim("The bridge reopened")
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    with app.app_context():
        change_status(session, claim, "unproven", "Nobody can say.", Actor.of(make.user("checker")), claim.version)
    assert session.scalar(select(Signoff)) is None
    assert claim.public_status.value == "unproven"
    assert "Unproven" in client.get(f"/badge/{claim.slug}.svg").get_data(as_text=True)


def test_the_rule_is_on_unless_turned_off() -> None:
    from config import Config

    assert Config.SIGNOFF_REQUIRED is True


@pytest.mark.parametrize("on", [True, False], ids=["rule on", "rule off"])
def test_a_verdict_through_the_desk_form_with_the_rule_on_and_off(on, app, client, session, make, login_as,
                                                                   monkeypatch) -> None:
    """The same verdict, set through the claim page's status form: with the rule on readers keep
    the previous state and the editor is told why; with it off readers see it at once."""
    app.config["SIGNOFF_REQUIRED"] = on
    monkeypatch.setattr(signoff, "DEFAULT", on)
    claim = make.claim("The ferry sank near the harbour")
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    login_as("editor", name="Setting Editor")
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    response = client.post(f"/desk/claims/{claim.id}/status", data={
        "csrf_token": token, "version": claim.version, "to": "false", "reason": "The ferry is in service."},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    session.refresh(claim)
    assert claim.status.value == "false"
    badge = client.get(f"/badge/{claim.slug}.svg").get_data(as_text=True)
    if on:
        assert "Readers keep seeing in review until another editor signs the verdict off." in page
        assert "Waiting for sign-off" in page and "Another editor must sign it off." in page
        assert claim.public_status.value == "in_review" and "In review" in badge and "False" not in badge
        assert signoff.pending_for(session, claim.id) is not None
    else:
        assert "Status changed to false." in page and "Waiting for sign-off" not in page
        assert claim.public_status.value == "false" and "False" in badge
        assert session.scalar(select(Signoff)) is None


def test_without_sign_off_publishing_a_verdict_is_immediate(app, client, session, make) -> None:
    app.config["SIGNOFF_REQUIRED"] = False
    claim = make.claim("The dam was finished in 2010")
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    with app.app_context():
        change_status(session, claim, "misleading", "Finished in 2014.", SYSTEM, claim.version)
        set_published(session, claim, Actor.of(make.user("editor")), published=True, expected_version=claim.version)
    assert claim.published and session.scalar(select(Signoff)) is None
    assert client.get(f"/claims/{claim.slug}").status_code == 200
    assert "Misleading" in client.get(f"/badge/{claim.slug}.svg").get_data(as_text=True)


def test_the_setter_is_refused_in_words_and_nothing_changes(required, client, session, make, login_as) -> None:
    """The editor who set the verdict tries to sign it off (or send it back) through the desk:
    a clear refusal, the verdict still waiting, readers still on the previous state, nothing
    recorded."""
    from factcheck.models import AuditEvent

    claim = make.claim("The stadium holds 90,000")
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    setter = login_as("editor", name="Sole Setter")
    change_status(session, claim, "false", "It holds 60,000.", Actor.of(setter), claim.version)
    waiting = signoff.pending_for(session, claim.id)
    session.flush()
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "Another editor must sign it off." in page and "Sign off: show it to readers" not in page
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    entries = len(claim.public_entries)
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    for action, data in (("approve", {}), ("return", {"note": "Sending my own verdict back."})):
        response = client.post(f"/editor/claims/{claim.id}/signoffs/{waiting.id}/{action}",
                               data={"csrf_token": token, **data})
        assert response.status_code == 403
        assert "You set this verdict: another editor must sign it off." in response.get_data(as_text=True)
    session.expire_all()
    assert waiting.state == SignoffState.PENDING and claim.public_status.value == "in_review"
    assert len(claim.public_entries) == entries
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert "In review" in client.get(f"/badge/{claim.slug}.svg").get_data(as_text=True)
