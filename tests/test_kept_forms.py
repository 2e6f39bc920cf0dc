"""A form sent after its sign-in lapsed keeps what was typed, and can be sent again.

Reproduced: a form submitted after the session expired (or the cookie was lost) answered
"Bad Request (400) The CSRF session token is missing." and the typed reason was gone.
"""

from __future__ import annotations

from factcheck.models import StatusChange
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.html_forms import form_values

REASON = "Three hospitals now confirm the count; see the attached lists."


def test_a_status_change_sent_after_the_session_lapsed_goes_through_after_signing_in(
        client, session, make, login_as) -> None:
    claim = make.claim("The bridge collapsed on Monday")
    user = login_as("checker")
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    client.delete_cookie("session")  # the session lapsed while the reason was being written
    lapsed = client.post(f"/desk/claims/{claim.id}/status", data={
        "csrf_token": token, "version": claim.version, "to": "in_review", "reason": REASON, "note": "Internal."})
    assert lapsed.status_code == 401
    page = lapsed.get_data(as_text=True)
    assert REASON in page and "Nothing was saved yet" in page and "Bad Request" not in page
    signed = client.post("/resubmit/sign-in", data={
        **form_values(page, "/resubmit/sign-in"), "email": user.email, "password": PASSWORD})
    assert signed.status_code == 200, signed.get_data(as_text=True)[:500]
    again = form_values(signed.get_data(as_text=True), f"/desk/claims/{claim.id}/status")
    assert again["reason"] == REASON and again["note"] == "Internal." and "password" not in again
    saved = client.post(f"/desk/claims/{claim.id}/status", data=again)
    assert saved.status_code == 302
    session.refresh(claim)
    assert claim.status.value == "in_review"
    assert session.query(StatusChange).filter_by(claim_id=claim.id, reason=REASON).count() == 1


def test_a_form_whose_token_expired_is_kept_for_a_signed_in_person(client, make, login_as) -> None:
    claim = make.claim("The ferry sank")
    login_as("checker")
    stale = client.post(f"/desk/claims/{claim.id}/edit", data={
        "csrf_token": "an-expired-token", "version": claim.version, "text": "The ferry sank at dawn"})
    assert stale.status_code == 200
    page = stale.get_data(as_text=True)
    assert "The ferry sank at dawn" in page and "Save again" in page
    again = form_values(page, f"/desk/claims/{claim.id}/edit")
    assert client.post(f"/desk/claims/{claim.id}/edit", data=again).status_code == 302


def test_a_wrong_method_is_405_not_a_csrf_refusal(client, make, login_as) -> None:
    """Reproduced: a wrong method on an HTML route answered a CSRF 400."""
    claim = make.claim("The dam held")
    login_as("checker")
    assert client.post(f"/desk/claims/{claim.id}").status_code == 405
    assert client.post("/claims").status_code == 405
    assert client.put(f"/desk/claims/{claim.id}/status").status_code == 405


def test_a_form_sent_after_the_sign_in_ended_is_kept_even_with_a_valid_token(client, session, make, login_as) -> None:
    """The session's sign-in ended (idle timeout) while its CSRF token still holds: the form
    is kept all the same, not turned into a redirect to the sign-in page."""
    claim = make.claim("The bridge collapsed on Monday")
    login_as("checker")
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    with client.session_transaction() as cookie:
        cookie.pop("user_id", None)
        for key in list(cookie):
            if key not in ("csrf_token",):
                cookie.pop(key)
    lapsed = client.post(f"/desk/claims/{claim.id}/status", data={
        "csrf_token": token, "version": claim.version, "to": "in_review", "reason": REASON})
    assert lapsed.status_code == 401 and REASON in lapsed.get_data(as_text=True)


def test_an_edit_conflict_keeps_my_words_and_shows_theirs_beside_them(client, session, make, login_as) -> None:
    """Reproduced: an edit conflict on "Edit claim text" said "your text is kept below", but the
    form held the other person's values: the second checker's words were gone."""
    from factcheck.services import Actor
    from factcheck.services.claims import update_claim

    claim = make.claim("The dam burst on Tuesday")
    login_as("checker")
    seen = claim.version
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    other = Actor.of(make.user("checker"))
    update_claim(session, claim, other, expected_version=seen, text="The dam burst on Tuesday night")
    page = client.post(f"/desk/claims/{claim.id}/edit", data={
        "csrf_token": token, "version": seen, "text": "The dam burst early on Tuesday", "context": "My context",
        "tags": "floods"})
    assert page.status_code == 409
    html = page.get_data(as_text=True)
    form = form_values(html, f"/desk/claims/{claim.id}/edit")
    assert (form["text"], form["context"], form["tags"]) == ("The dam burst early on Tuesday", "My context", "floods")
    assert int(form["version"]) == claim.version  # sending it again goes through
    meanwhile = html[html.index('class="meanwhile"'):html.index("</ul>", html.index('class="meanwhile"'))]
    assert "The dam burst on Tuesday night" in meanwhile and "edit" in meanwhile


def test_the_status_choice_has_no_default_so_a_careless_submit_moves_nothing(client, session, make,
                                                                             login_as) -> None:
    """The status form starts on "— choose —" even on a contested claim: sent as a browser
    would with only a reason typed, it is refused and the claim keeps its status."""
    from factcheck.services import Actor
    from factcheck.services.status import change_status

    claim = make.claim("The governor said 40 people were killed")
    for to in ("in_review", "contested"):
        change_status(session, claim, to, "Checking.", Actor.system("test"), claim.version)
    session.flush()
    login_as("checker")
    fields = form_values(client.get(f"/desk/claims/{claim.id}").get_data(as_text=True), f"/desk/claims/{claim.id}/status")
    assert fields.get("to", "") == ""
    response = client.post(f"/desk/claims/{claim.id}/status", data={**fields, "reason": "Looked again."})
    assert response.status_code == 422
    session.refresh(claim)
    assert claim.status.value == "contested"
    assert "Looked again." in response.get_data(as_text=True)  # what was typed is kept
