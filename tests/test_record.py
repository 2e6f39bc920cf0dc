"""A record a newsroom can trust: every item reproduced on the old main, as a test.

Each test names what was reproduced. Services are called where the rule lives; the desk's
forms and the API are driven where the refusal, or keeping what was typed, is the point.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from factcheck.errors import Conflict, Duplicate, Forbidden, IndependenceRequired, ValidationError
from factcheck.models import AuditEvent, ClaimStatement, PublicEntry, Revision, Source, SourceAlias, Statement
from factcheck.services import Actor
from factcheck.services.claims import link_statement, set_published, set_stance, unlink_statement, update_claim
from factcheck.services.intake import ReportInput, StatementInput, save_statements
from factcheck.services.revisions import revisions_of
from factcheck.services.sources import (
    create_source, create_statement, merge_sources, retract_statement, sources_named, update_source,
)
from factcheck.services.status import change_status
from factcheck.services.tokens import create_token
from tests.conftest import csrf_token
from tests.html_forms import form_values

SYSTEM = Actor.system("test")


def _published(make, session, text="Forty people were killed in the market bombing"):
    claim = make.claim(text)
    make.link(claim, make.source("Provincial governor"), "asserts", text="Forty people died.")
    make.link(claim, make.source("Hospital director"), "asserts", text="We counted forty bodies.")
    set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
    change_status(session, claim, "in_review", "Checking.", SYSTEM, claim.version)
    change_status(session, claim, "confirmed", "Two independent sources.", SYSTEM, claim.version)
    return claim


def _token(session, user) -> dict[str, str]:
    _row, secret = create_token(session, user, SYSTEM)
    session.flush()
    return {"Authorization": f"Bearer {secret}"}


# -- the wording of a published claim --------------------------------------------------------


def test_a_checker_cannot_reword_a_published_verdict(client, session, make, login_as) -> None:
    """Reproduced: a checker's "Edit claim text" changed a confirmed claim's sentence under
    ✓ CONFIRMED at once, with no history, correction or audit event."""
    claim = _published(make, session)
    checker = login_as("checker")
    page = client.post(f"/desk/claims/{claim.id}/edit", data={
        "csrf_token": csrf_token(client, f"/desk/claims/{claim.id}"), "version": claim.version,
        "text": "Four people were killed", "context": "", "tags": ""})
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "Only editors can change the wording of a published claim" in html
    assert "Four people were killed" in html  # what was typed is kept
    session.refresh(claim)
    assert claim.text == "Forty people were killed in the market bombing"
    api = client.patch(f"/api/v1/claims/{claim.id}", headers=_token(session, checker),
                       json={"text": "Four people were killed", "reason": "Typo", "version": claim.version})
    assert api.status_code == 403 and "editor" in api.get_json()["detail"]


def test_an_editor_rewords_a_published_claim_as_a_public_correction(client, session, make) -> None:
    claim = _published(make, session)
    editor = Actor.of(make.user("editor"))
    with pytest.raises(ValidationError) as missing:
        update_claim(session, claim, editor, expected_version=claim.version, text="Forty-one people were killed")
    assert missing.value.errors == {"reason": "required to change a published claim's wording"}
    update_claim(session, claim, editor, expected_version=claim.version, text="Forty-one people were killed",
                 reason="The hospital revised its count.")
    entry = session.scalars(select(PublicEntry).where(PublicEntry.claim_id == claim.id)).all()[-1]
    assert (entry.kind.value, entry.correction, entry.previous_text, entry.text) == (
        "wording", True, "Forty people were killed in the market bombing", "Forty-one people were killed")
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    assert "Correction: wording changed" in page and "The hospital revised its count." in page
    corrections = client.get("/corrections").get_data(as_text=True)
    assert "Correction: wording changed" in corrections and "Forty people were killed in the market bombing" in corrections
    assert "Forty-one people were killed" in client.get(f"/badge/{claim.slug}.svg").get_data(as_text=True)
    [first, second] = revisions_of(session, "claim", claim.id)
    assert (first.values["text"], second.values["text"], second.reason) == (
        "Forty people were killed in the market bombing", "Forty-one people were killed", "The hospital revised its count.")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.edit")).all()[-1]
    assert event.changes["text"] == ["Forty people were killed in the market bombing", "Forty-one people were killed"]
    assert event.actor_id == editor.user_id


def test_tags_and_context_stay_editable_by_checkers(session, make) -> None:
    claim = _published(make, session)
    checker = Actor.of(make.user("checker"))
    update_claim(session, claim, checker, expected_version=claim.version, context="Background.", tags=["market"])
    assert [t.name for t in claim.tags] == ["market"] and claim.context == "Background."
    assert len(revisions_of(session, "claim", claim.id)) == 2


def test_a_checker_cannot_reword_a_statement_on_a_published_claim(client, session, make) -> None:
    """Reproduced: PATCH /api/v1/statements/<id> let a checker reword what a published claim shows."""
    claim = _published(make, session)
    statement = claim.links[0].statement
    checker = _token(session, make.user("checker"))
    refused = client.patch(f"/api/v1/statements/{statement.id}", headers=checker, json={"text": "Thirty died."})
    assert refused.status_code == 403 and "editor" in refused.get_json()["detail"]
    editor = _token(session, make.user("editor"))
    done = client.patch(f"/api/v1/statements/{statement.id}", headers=editor,
                        json={"text": "Forty-one died.", "reason": "As broadcast.", "version": statement.version})
    assert done.status_code == 200 and done.get_json()["version"] == 2
    stale = client.patch(f"/api/v1/statements/{statement.id}", headers=editor, json={"text": "x", "version": 1})
    assert stale.status_code == 409
    assert [r.values["text"] for r in revisions_of(session, "statement", statement.id)] == [
        "Forty people died.", "Forty-one died."]


# -- stances -----------------------------------------------------------------------------------


def test_a_stale_stance_change_is_refused(client, session, make, login_as) -> None:
    """Reproduced: two checkers changing one stance at once — the last write won silently."""
    claim = make.claim("The bridge collapsed")
    link = make.link(claim, make.source("Mayor"), "asserts", text="It collapsed.")
    seen = claim.version
    set_stance(session, link, SYSTEM, stance="denies", expected_version=seen)
    with pytest.raises(Conflict):
        set_stance(session, link, SYSTEM, stance="unconfirmed", expected_version=seen)
    login_as("checker")
    page = client.post(f"/desk/claims/{claim.id}/links/{link.id}/stance", data={
        "csrf_token": csrf_token(client, f"/desk/claims/{claim.id}"), "stance": "mentions", "version": seen})
    assert page.status_code == 409
    assert "Someone changed this claim" in page.get_data(as_text=True)
    session.refresh(link)
    assert link.stance.value == "denies"
    assert [r.values["stance"] for r in revisions_of(session, "link", link.id)] == ["asserts", "denies"]
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "claim.stance")).all()
    assert event.changes == {"stance": ["asserts", "denies"], "version": [seen, seen + 1]}


# -- nothing taken back without a trace ------------------------------------------------------


def _review_form(client, claim, article: str, url: str) -> dict[str, str]:
    page = client.post("/desk/extract", data={"csrf_token": csrf_token(client, "/desk/extract"), "url": url,
                                              "title": "Report", "outlet": "", "article": article})
    assert page.status_code == 200
    fields = form_values(page.get_data(as_text=True), "/desk/extract/save")
    fields["claim"] = f"{claim.text} · #{claim.id}"
    return fields


ARTICLE = ('The governor said 40 people were killed in the blast. "We have lost many," the governor said. '
           'Police spokesman Ali Khan denied that figure.')


def test_saving_the_same_article_twice_adds_nothing_the_second_time(client, session, make, login_as) -> None:
    """Reproduced: extracting the same article again and saving to the same claim added every
    statement a second time, so readers saw "Say it is true (12)" with repeats."""
    claim = make.claim("Forty people were killed in the blast")
    login_as("checker")
    url = "https://news.example/blast"
    first = client.post("/desk/extract/save", data=_review_form(client, claim, ARTICLE, url))
    assert first.status_code == 302
    statements = session.scalar(select(func.count()).select_from(Statement))
    links = session.scalar(select(func.count()).select_from(ClaimStatement).where(ClaimStatement.claim_id == claim.id))
    again = _review_form(client, claim, ARTICLE, url)
    assert "recorded-0" in again  # the review marks what is already recorded
    page = client.post("/desk/extract/save", data=again, follow_redirects=True)
    assert "already on this claim" in page.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Statement)) == statements
    assert session.scalar(select(func.count()).select_from(ClaimStatement)
                          .where(ClaimStatement.claim_id == claim.id)) == links


def test_an_exact_duplicate_is_refused_and_the_recorded_statement_offered(client, session, make, login_as) -> None:
    speaker = make.source("Ministry of Health")
    recorded = create_statement(session, SYSTEM, speaker_id=speaker.id, kind="quote", text="“Nine died.”")
    with pytest.raises(Duplicate) as twice:
        create_statement(session, SYSTEM, speaker_id=speaker.id, kind="quote", text='  "nine  DIED"  ')
    assert twice.value.extra["statement_id"] == recorded.id
    claim = make.claim("Nine people died")
    login_as("checker")
    page = client.post(f"/desk/claims/{claim.id}/statements/new", data={
        "csrf_token": csrf_token(client, f"/desk/claims/{claim.id}/statements/new"),
        "speaker": f"Ministry of Health · #{speaker.id}", "text": '"Nine died."', "kind": "quote",
        "stance": "asserts"})
    assert page.status_code == 409
    assert f"statement #{recorded.id}" in page.get_data(as_text=True)
    linked = client.post(f"/desk/claims/{claim.id}/links", data={
        "csrf_token": csrf_token(client, f"/desk/claims/{claim.id}"), "statement_id": recorded.id,
        "stance": "asserts"})
    assert linked.status_code == 302
    assert [link.statement_id for link in session.scalars(select(ClaimStatement)
                                                          .where(ClaimStatement.claim_id == claim.id))] == [recorded.id]


def test_retracting_a_statement_keeps_it_and_tells_readers(client, session, make, login_as) -> None:
    claim = _published(make, session)
    statement = claim.links[0].statement
    with pytest.raises(ValidationError):
        retract_statement(session, statement, SYSTEM, reason="  ")
    retract_statement(session, statement, SYSTEM, reason="The office of the governor withdrew the figure.",
                      expected_version=statement.version)
    assert session.get(Statement, statement.id) is not None
    public = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/claims/{claim.slug}").get_data(as_text=True)).split())
    assert "Say it is true (1)" in public and "A statement was withdrawn" in public
    assert "The office of the governor withdrew the figure." in public
    login_as("checker")
    desk = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "<del><bdi>Forty people died.</bdi></del>" in desk and "Retracted" in desk
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "statement.retract")).one()


def test_unlinking_is_refused_without_a_reason_and_keeps_what_was_typed(client, session, make, login_as) -> None:
    claim = _published(make, session)
    link = claim.links[0]
    login_as("checker")
    token = csrf_token(client, f"/desk/claims/{claim.id}")
    empty = client.post(f"/desk/claims/{claim.id}/links/{link.id}/unlink",
                        data={"csrf_token": token, "reason": "   ", "version": claim.version})
    assert empty.status_code == 422 and "Why: this is required." in empty.get_data(as_text=True)
    stale = client.post(f"/desk/claims/{claim.id}/links/{link.id}/unlink",
                        data={"csrf_token": token, "reason": "Wrong claim: this is about another blast.",
                              "version": claim.version - 1})
    assert stale.status_code == 409
    assert "Wrong claim: this is about another blast." in stale.get_data(as_text=True)
    assert session.get(ClaimStatement, link.id).unlinked_at is None
    done = client.post(f"/desk/claims/{claim.id}/links/{link.id}/unlink",
                       data={"csrf_token": token, "reason": "Wrong claim: this is about another blast.",
                             "version": claim.version})
    assert done.status_code == 302
    session.refresh(claim)
    assert claim.flag_single_source
    assert "A statement was withdrawn" in client.get(f"/claims/{claim.slug}").get_data(as_text=True)


# -- sources ---------------------------------------------------------------------------------


def test_merging_duplicate_sources(client, session, make, login_as) -> None:
    """Reproduced: a duplicate source ("OCHA" and its full name) could not be merged."""
    full = create_source(session, SYSTEM, name="UN Office for the Coordination of Humanitarian Affairs",
                         kind="organisation")
    short = create_source(session, SYSTEM, name="OCHA", kind="organisation")
    claim = make.claim("Aid convoys were blocked")
    make.link(claim, short, "asserts", text="Convoys were blocked.")
    make.link(claim, full, "asserts", text="Our trucks could not pass.")
    assert not claim.flag_single_source
    checker = Actor.of(make.user("checker"))
    with pytest.raises(Forbidden):
        merge_sources(session, short, full, checker, reason="Same body.")
    editor = Actor.of(make.user("editor"))
    with pytest.raises(ValidationError, match="itself"):
        merge_sources(session, short, short, editor, reason="Same body.")
    merge_sources(session, short, full, editor, reason="The same UN office.")
    session.expire_all()
    assert session.get(Statement, claim.links[0].statement_id).speaker_id == full.id
    assert session.get(Source, short.id).merged_into_id == full.id  # the row stays
    assert sources_named(session, ["ocha"])["ocha"][0].id == full.id  # the old name finds the survivor
    assert session.scalar(select(SourceAlias.name).where(SourceAlias.source_id == full.id)) == "OCHA"
    session.refresh(claim)
    assert claim.flag_single_source  # one source now: the flags follow
    login_as("checker")
    moved = client.get(f"/desk/sources/{short.id}")
    assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/desk/sources/{full.id}")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "source.merge")).one()
    assert event.changes["moved_spoke"][0] == [claim.links[0].statement_id]


def test_a_merge_that_would_make_an_affiliation_cycle_is_refused(client, session, make, login_as) -> None:
    ministry = make.source("Ministry")
    spokesman = make.source("Ministry spokesman", affiliation_id=ministry.id)
    editor = login_as("editor")
    page = client.post(f"/desk/sources/{ministry.id}/merge", data={
        "csrf_token": csrf_token(client, f"/desk/sources/{ministry.id}"),
        "survivor": f"Ministry spokesman · #{spokesman.id}", "reason": "Typed this by mistake"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "belong to itself" in html and "Typed this by mistake" in html
    assert session.get(Source, ministry.id).merged_into_id is None
    assert editor is not None


def test_source_pages_create_and_edit_with_revisions(client, session, make, login_as) -> None:
    """Reproduced: there was no page to create or edit a source."""
    ministry = make.source("Ministry of Interior")
    login_as("checker")
    created = client.post("/desk/sources/new", data={
        "csrf_token": csrf_token(client, "/desk/sources/new"), "name": "Ministry spokesman", "kind": "person",
        "affiliation": f"Ministry of Interior · #{ministry.id}", "anonymous": "1",
        "anonymity_reason": "Not authorised.", "sealed_identity": "Mr Sealed Name"})
    assert created.status_code == 302
    source = session.scalar(select(Source).where(Source.name == "Ministry spokesman"))
    assert source.affiliation_id == ministry.id and source.sealed_identity == "Mr Sealed Name"
    page = client.get(f"/desk/sources/{source.id}").get_data(as_text=True)
    assert "Mr Sealed Name" not in page and "A sealed identity is on file" in page  # written, never read back
    edited = client.post(f"/desk/sources/{source.id}/edit", data={
        "csrf_token": csrf_token(client, f"/desk/sources/{source.id}/edit"), "name": "Interior Ministry spokesman",
        "kind": "person", "affiliation": f"#{ministry.id}", "anonymous": "1",
        "anonymity_reason": "Not authorised.", "version": source.version, "reason": "Full title."})
    assert edited.status_code == 302
    stale = client.post(f"/desk/sources/{source.id}/edit", data={
        "csrf_token": csrf_token(client, f"/desk/sources/{source.id}/edit"), "name": "Someone else",
        "kind": "person", "anonymous": "1", "anonymity_reason": "Not authorised.", "version": 1})
    assert stale.status_code == 409 and "Someone else" in stale.get_data(as_text=True)
    history = revisions_of(session, "source", source.id)
    assert [r.values["name"] for r in history] == ["Ministry spokesman", "Interior Ministry spokesman"]
    assert "Mr Sealed Name" not in client.get(f"/desk/sources/{source.id}").get_data(as_text=True)


# -- independence that data entry can't defeat -----------------------------------------------


def test_extracted_statements_attach_as_mentions_unless_the_checker_picks(session, make) -> None:
    """Reproduced: extracted statements attached with the stance of their own wording
    ("asserts" for nearly everything), and a whole article let a checker confirm "40 killed"
    while the governor's denial stood."""
    claim = make.claim("Forty people were killed")
    save_statements(session, SYSTEM, report=ReportInput(url="https://news.example/a"), claim_id=claim.id,
                    statements=[StatementInput(speaker="Police", text="Forty were killed."),
                                StatementInput(speaker="Hospital", text="We counted forty.")])
    assert {link.stance.value for link in claim.links} == {"mentions"}
    with pytest.raises(IndependenceRequired):
        change_status(session, claim, "in_review", "Checking", SYSTEM, claim.version)
        change_status(session, claim, "confirmed", "Two sources", SYSTEM, claim.version)


def test_a_spokesman_affiliated_on_the_review_page_is_not_independent(client, session, make, login_as) -> None:
    """Reproduced: a ministry's own spokesman entered as an unaffiliated source, so the
    ministry and its spokesman "independently" confirmed the ministry's figure."""
    claim = make.claim("Forty people were killed in the blast")
    ministry = create_source(session, SYSTEM, name="Interior Ministry", kind="government")
    make.link(claim, ministry, "asserts", text="Forty died.")
    login_as("checker")
    article = "Interior Ministry spokesman Tariq Arian said 40 people were killed."
    fields = _review_form(client, claim, article, "https://news.example/b")
    assert fields["affiliation-0"] == f"Interior Ministry · #{ministry.id}"  # proposed from the text
    fields["stance-0"] = "asserts"
    assert client.post("/desk/extract/save", data=fields).status_code == 302
    spokesman = session.scalar(select(Source).where(Source.name == "Tariq Arian"))
    assert spokesman.affiliation_id == ministry.id
    session.refresh(claim)
    change_status(session, claim, "in_review", "Checking", SYSTEM, claim.version)
    with pytest.raises(IndependenceRequired, match="side of Interior Ministry"):
        change_status(session, claim, "confirmed", "Two sources", SYSTEM, claim.version)
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "Not met" in page and "an independent source outside Interior Ministry" in page


def test_the_claim_page_names_the_two_independent_sources(client, session, make, login_as) -> None:
    claim = _published(make, session)
    login_as("checker")
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "The rule is met" in page and "Provincial governor" in page and "Hospital director" in page


def test_unlinked_and_retracted_statements_do_not_count_for_independence(session, make) -> None:
    claim = make.claim("The well was poisoned")
    make.link(claim, make.source("Villagers"), "asserts", text="It was poisoned.")
    second = make.link(claim, make.source("Chemist"), "asserts", text="Tests show poison.")
    unlink_statement(session, second, SYSTEM, reason="Another well.", expected_version=claim.version)
    change_status(session, claim, "in_review", "Checking", SYSTEM, claim.version)
    with pytest.raises(IndependenceRequired):
        change_status(session, claim, "confirmed", "Two sources", SYSTEM, claim.version)
    with pytest.raises(Duplicate, match="taken off this claim"):
        link_statement(session, claim, second.statement, SYSTEM, stance="asserts")
    assert session.scalar(select(func.count()).select_from(Revision).where(Revision.subject_type == "link")) == 2
