"""ClaimReview editing on the claim page: claimant, where the claim appeared, the rating's
explanation — versioned, audited, used by the export when set, derived as before when not."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from factcheck.claimreview.export import claim_review, data_feed
from factcheck.errors import Conflict, Forbidden, ValidationError
from factcheck.models import AuditEvent, ReviewDetails, Role
from factcheck.services import Actor
from factcheck.services.claims import set_published
from factcheck.services.review_details import details_of, set_review_details
from factcheck.services.sources import create_report
from factcheck.services.status import change_status

SYSTEM = Actor.system("test")
ORG = {"base_url": "https://news.example", "org_name": "Desk", "org_url": "https://news.example/"}


@pytest.fixture
def verdict(session, make):
    """A published verdict: NDS asserts (in a SAMAA report), the Taliban deny."""
    claim = make.claim("Asim Umar was killed in Musa Qala")
    nds = make.source("NDS", kind="government")
    report = create_report(session, SYSTEM, url="https://www.samaa.tv/news/asim-umar", title="Killed")
    make.link(claim, nds, "asserts")
    claim.links[0].statement.report_id = report.id
    make.link(claim, make.source("Taliban", kind="armed_group"), "denies")
    session.flush()
    session.expire_all()
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    change_status(session, claim, "false", "His death was confirmed elsewhere, not there.", SYSTEM, claim.version)
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    return claim


def test_the_export_derives_without_details_and_uses_them_when_set(session, make, verdict) -> None:
    derived = claim_review(verdict, **ORG)
    assert derived["itemReviewed"]["author"] == {"@type": "GovernmentOrganization", "name": "NDS"}
    assert [a["url"] for a in derived["itemReviewed"]["appearance"]] == ["https://www.samaa.tv/news/asim-umar"]
    assert "ratingExplanation" not in derived["reviewRating"]
    editor = make.actor(Role.EDITOR)
    claimant = make.source("Afghan intelligence spokesman", kind="person")
    version = verdict.version
    set_review_details(session, verdict, editor, expected_version=version, claimant_id=claimant.id,
                       appearance_url="https://twitter.example/nds/status/1", explanation="  Two sources agree.  ")
    assert verdict.version == version + 1
    review = claim_review(verdict, **ORG)
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Afghan intelligence spokesman"}
    assert review["itemReviewed"]["appearance"] == [{"@type": "CreativeWork", "url": "https://twitter.example/nds/status/1"}]
    assert review["reviewRating"]["ratingExplanation"] == "Two sources agree."
    # The feed says the same (its details loaded for every claim at once).
    [item] = data_feed(session, **ORG)["dataFeedElement"]
    assert item == {k: v for k, v in review.items() if k != "@context"}
    # An appearance at one of our reports' addresses is described as fully as the report.
    set_review_details(session, verdict, editor, expected_version=verdict.version, claimant_id=None,
                       appearance_url="https://www.samaa.tv/news/asim-umar", explanation="")
    review = claim_review(verdict, **ORG)
    assert review["itemReviewed"]["appearance"] == derived["itemReviewed"]["appearance"]
    assert review["itemReviewed"]["author"] == derived["itemReviewed"]["author"]  # no claimant: derived again
    assert "ratingExplanation" not in review["reviewRating"]


def test_versioned_and_audited(session, make, verdict) -> None:
    editor = make.actor(Role.EDITOR)
    claimant = make.source("Claimant", kind="organisation")
    stale = verdict.version
    set_review_details(session, verdict, editor, expected_version=stale, claimant_id=claimant.id,
                       appearance_url="", explanation="Why.")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "claim.review_details"))
    assert event.subject_id == verdict.id and event.actor_id == editor.user_id
    assert event.changes == {"claimant_id": [None, claimant.id], "explanation": ["", "Why."],
                             "version": [stale, stale + 1]}
    with pytest.raises(Conflict):
        set_review_details(session, verdict, editor, expected_version=stale, claimant_id=None,
                           appearance_url="", explanation="Someone else's.")
    assert details_of(session, verdict.id).explanation == "Why."
    # The same values again: nothing written.
    version = verdict.version
    set_review_details(session, verdict, editor, expected_version=version, claimant_id=claimant.id,
                       appearance_url=None, explanation="Why.")
    assert verdict.version == version


@pytest.mark.parametrize("fields, error", [
    ({"appearance_url": "javascript:alert(1)"}, "appearance_url must be an absolute http"),
    ({"appearance_url": "ftp://x.example/a"}, "appearance_url must be an absolute http"),
    ({"explanation": "x" * 5001}, "explanation is too long"),
    ({"claimant_id": 2**31 - 1}, "Claimant: no such source"),
])
def test_refusals(session, make, verdict, fields, error) -> None:
    values = {"claimant_id": None, "appearance_url": "", "explanation": "", **fields}
    with pytest.raises(ValidationError, match=error):
        set_review_details(session, verdict, make.actor(Role.EDITOR), expected_version=verdict.version, **values)
    assert session.scalar(select(ReviewDetails)) is None


def test_a_document_is_no_claimant_and_checkers_cannot_set_details(session, make, verdict) -> None:
    document = make.source("A leaked memo", kind="document")
    with pytest.raises(ValidationError, match="is a document"):
        set_review_details(session, verdict, make.actor(Role.EDITOR), expected_version=verdict.version,
                           claimant_id=document.id, appearance_url="", explanation="")
    with pytest.raises(Forbidden):
        set_review_details(session, verdict, make.actor(Role.CHECKER), expected_version=verdict.version,
                           claimant_id=None, appearance_url="", explanation="Mine.")


# -- the claim page --------------------------------------------------------------------------


def test_editing_on_the_claim_page(app, client, session, make, login_as, verdict) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    login_as("editor")
    page = client.get(f"/desk/claims/{verdict.id}").get_data(as_text=True)
    assert "ClaimReview details" in page and "NDS</bdi> (the first asserting speaker)" in page
    nds = re.search(r'<option value="(NDS · #\d+)">', page).group(1)
    response = client.post(f"/editor/claims/{verdict.id}/review", data={
        "version": verdict.version, "claimant": nds, "appearance_url": "https://nds.example/statement",
        "explanation": "The NDS said so; nobody else could confirm it.", "anchor": "review"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#review")
    session.expire_all()
    details = details_of(session, verdict.id)
    assert details.claimant.name == "NDS" and details.appearance_url == "https://nds.example/statement"
    page = client.get(f"/desk/claims/{verdict.id}").get_data(as_text=True)
    assert f'value="{nds}"' in page and "The NDS said so; nobody else could confirm it." in page
    assert "claim.review_details" in page  # in "Every change"
    public = client.get(f"/claims/{verdict.slug}").get_data(as_text=True)
    assert "ratingExplanation" in public and "nds.example/statement" in public


@pytest.mark.parametrize("data, words", [
    ({"appearance_url": "not a url"}, "Where the claim appeared: must be an absolute http:// or https:// address."),
    ({"claimant": "Nobody we know"}, "Claimant: pick a source from the list"),
    ({"claimant": "Ghost · #2147483647"}, "No source #2147483647."),
])
def test_a_refusal_keeps_what_was_typed(app, client, session, login_as, verdict, data, words) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    login_as("editor")
    typed = {"version": verdict.version, "claimant": "", "appearance_url": "",
             "explanation": "Kept explanation words.", **data}
    response = client.post(f"/editor/claims/{verdict.id}/review", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and words in html, html[:3000]
    assert "Kept explanation words.</textarea>" in html
    for value in data.values():
        assert f'value="{value}"' in html
    assert session.scalar(select(ReviewDetails)) is None


def test_a_stale_form_meets_the_conflict_page_with_its_words_kept(app, client, session, make, login_as, verdict) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    login_as("editor")
    stale = verdict.version
    set_review_details(session, verdict, SYSTEM, expected_version=stale, claimant_id=None,
                       appearance_url="https://first.example/", explanation="First.")
    response = client.post(f"/editor/claims/{verdict.id}/review", data={
        "version": stale, "claimant": "", "appearance_url": "", "explanation": "Second, kept."})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Someone changed this claim while you were working" in html
    assert "Second, kept.</textarea>" in html and "review details" in html
    assert details_of(session, verdict.id).explanation == "First."


def test_checkers_read_the_details(app, client, session, login_as, verdict) -> None:
    set_review_details(session, verdict, SYSTEM, expected_version=verdict.version, claimant_id=None,
                       appearance_url="", explanation="Read only here.")
    login_as("checker")
    page = client.get(f"/desk/claims/{verdict.id}").get_data(as_text=True)
    assert "Read only here." in page and 'action="/editor/claims/' not in page.split("ClaimReview details")[1]
