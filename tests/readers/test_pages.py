"""The reader pages: a claim, the claims list, corrections, methodology; drafts stay hidden."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from factcheck.claimreview.export import RATING_SCALE
from factcheck.demo import load_demo
from factcheck.models import Claim, Status, User
from factcheck.services.sources import create_report

from .conftest import DESK, SEALED

MUSA_QALA = "asim-umar-killed-in-musa-qala-raid"


def text_of(response) -> str:
    """The page's visible text: tags stripped, entities decoded, whitespace collapsed."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_claim_page_shows_verdict_statements_sources_reports_and_history(client, session) -> None:
    load_demo(session)
    response = client.get(f"/claims/{MUSA_QALA}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = text_of(response)
    assert '<span class="status verdict-badge status-contested"><span aria-hidden="true">⇄</span> Contested</span>' in html
    assert "Asim Umar, leader of Al-Qaeda in the Indian Subcontinent, was killed" in text
    assert "Contested since" in text
    assert "The Taliban categorically reject the NDS account" in text  # the current reason
    # Statements grouped by stance, in this order, with speakers.
    positions = [text.index(h) for h in ("Say it is true (2)", "Say it is not true (2)",
                                         "Say it cannot be confirmed (2)", "Context (2)")]
    assert positions == sorted(positions)
    assert "National Directorate of Security (NDS)" in text and "Part of Government of Afghanistan." in text
    assert "We categorically reject this claim by Kabul officials" in text
    # Anonymous sources by descriptor and reason; nothing more about them.
    assert "Counter-terrorism official in Karachi anonymous source Why anonymous: Requested anonymity" in text
    assert "Pakistani counter-terrorism official quoted by SAMAA Digital" not in text  # its description
    assert "relayed by SAMAA Digital" in text
    # The report, linked.
    assert '<a href="https://www.samaa.tv/" rel="noopener noreferrer nofollow"' in html
    # History: what readers saw — its publication, then every change with its reason.
    for headline in ("Published as unverified", "Now in review", "Now contested"):
        assert headline in text
    assert "Afghan intelligence (NDS) announced the killing" in text
    # A contested claim has no verdict, so no ClaimReview.
    assert "application/ld+json" not in html


def test_unpublished_claims_are_404_everywhere(client, readers) -> None:
    draft = readers.claim("A draft nobody may see yet", ["in_review", "false"], published=False)
    for url in (f"/claims/{draft.slug}", f"/badge/{draft.slug}.svg", f"/embed/{draft.slug}",
                f"/claims/{draft.slug}/feed.atom"):
        assert client.get(url).status_code == 404, url
    for url in ("/", "/claims", "/claims?q=draft", "/corrections", "/feeds/changes.atom"):
        assert "A draft nobody may see yet" not in client.get(url).get_data(as_text=True), url


def test_unpublishing_hides_a_claim_again(client, readers) -> None:
    claim = readers.claim("Published for a while", ["in_review"])
    assert client.get(f"/claims/{claim.slug}").status_code == 200
    readers.publish(claim, published=False)
    assert client.get(f"/claims/{claim.slug}").status_code == 404
    assert client.get(f"/badge/{claim.slug}.svg").status_code == 404


def test_reopening_is_shown_as_a_correction(client, readers) -> None:
    claim = readers.claim("The bridge was closed on Monday", ["in_review", "confirmed"])
    readers.move(claim, "in_review", reason="New photographs show traffic on the bridge.")
    readers.move(claim, "false", reason="Traffic cameras show it open all day.")
    text = text_of(client.get(f"/claims/{claim.slug}"))
    assert "Correction: reopened, confirmed → in review" in text
    assert "New photographs show traffic on the bridge." in text
    assert "Correction: verdict changed from confirmed to false" in text
    assert "Confirmed without an independent source, because: Editor's reason to confirm." in text


def test_history_never_names_the_desk_member(client, readers, make) -> None:
    from factcheck.services import Actor
    from factcheck.services.status import change_status

    editor = make.user("editor", email="named.editor@example.org", name="Named Editor")
    claim = readers.claim("Who moved it stays with the desk", [])
    change_status(readers.session, claim, "in_review", "Checking.", Actor.of(editor), claim.version)
    html = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    assert "Checking." in html
    assert "named.editor@example.org" not in html and "Named Editor" not in html


def test_claims_list_search_filter_and_pages(client, readers) -> None:
    for n in range(23):
        readers.claim(f"Harbour crane number {n} collapsed in the storm", ["in_review"])
    readers.claim("The harbour crane was repaired", ["in_review", "false"])
    readers.claim("A quite different matter", ["in_review", "contested"])

    first = text_of(client.get("/claims"))
    assert "25 claims." in first and "Page 1 of 2" in first
    second = client.get("/claims?page=2")
    assert second.status_code == 200 and "Page 2 of 2" in text_of(second)

    assert "1 claim, false." in text_of(client.get("/claims?status=false"))
    search = text_of(client.get("/claims?q=crane+repaired"))
    assert "1 claim matching “crane repaired”." in search and "The harbour crane was repaired" in search
    both = text_of(client.get("/claims?q=harbour+crane&status=in_review"))
    assert "23 claims matching “harbour crane”, in review." in both
    assert "No published claim matches." in text_of(client.get("/claims?q=zeppelin"))


@pytest.mark.parametrize("query, status", [
    ("?status=bogus", 422), ("?status=%00", 400), ("?page=0", 400), ("?page=-1", 400),
    ("?page=abc", 400), ("?page=1e3", 400), ("?page=%D9%A3", 400), ("?page=99999999999999999999", 400),
    ("?page=999999", 404), ("?q=" + "x" * 5000, 200), ("?q=%00%01'\"<>", 400), ("?q=%01'\"<>", 200), ("?q=AND+OR+NOT+*", 200),
    ("?q=%22unclosed", 200), ("?q=a:b+c-d+(e", 200), ("?page=&status=", 200), ("?page=1&page=2", 200),
])
def test_odd_query_strings_get_clear_answers(client, readers, query, status) -> None:
    readers.claim("Something published", ["in_review"])
    response = client.get("/claims" + query)
    assert response.status_code == status, (query, response.status_code)
    # The corrections log pages by position, not by number: other arguments are ignored —
    # but no page takes a NUL byte (refused before any view).
    assert client.get("/corrections" + query).status_code == (400 if "%00" in query else 200)


@pytest.mark.parametrize("query, status", [
    ("?before=0", 400), ("?before=-1", 400), ("?before=abc", 400), ("?before=1e3", 400),
    ("?before=%D9%A3", 400), ("?before=99999999999", 400), ("?before=%00", 400), ("?before=999999", 404),
    ("?before=", 200), ("?before=+", 200),
])
def test_odd_log_positions_get_clear_answers(client, readers, query, status) -> None:
    readers.claim("Reopened", ["in_review", "false", "in_review"])
    response = client.get("/corrections" + query)
    assert response.status_code == status, (query, response.status_code)


@pytest.mark.parametrize("slug", ["no-such-claim", "x" * 500, "%00", "..%2F..%2Fetc", "ñandú", "a.b"])
def test_odd_slugs_are_404(client, slug) -> None:
    for template in ("/claims/{}", "/badge/{}.svg", "/embed/{}", "/claims/{}/feed.atom"):
        assert client.get(template.format(slug)).status_code == 404


def test_corrections_log_lists_reopenings_and_reversals_newest_first(client, readers) -> None:
    plain = readers.claim("Never corrected", ["in_review", "false"])
    reopened = readers.claim("Reopened once", ["in_review", "confirmed", "in_review"])
    reversed_ = readers.claim("Verdict reversed", ["in_review", "false", "contested", "confirmed"])
    same = readers.claim("Reopened, same verdict", ["in_review", "unproven", "in_review", "unproven"])
    hidden = readers.claim("Corrected but unpublished", ["in_review", "false", "in_review"], published=False)

    text = text_of(client.get("/corrections"))
    assert plain.text not in text and hidden.text not in text
    headlines = re.findall(r"Correction: [^.]*?(?= Reopened| Verdict| Never|$)", text)
    assert headlines == [
        "Correction: reopened, unproven → in review",
        "Correction: verdict changed from false to confirmed",
        "Correction: reopened, false → contested",
        "Correction: reopened, confirmed → in review",
    ]
    assert text.index(same.text) < text.index(reversed_.text) < text.index(reopened.text)


def test_corrections_log_agrees_with_the_claim_history(session, readers) -> None:
    """The SQL rule of the log and the Python rule of the claim page are the same rule."""
    from factcheck.public.presenters import classify
    from factcheck.public.queries import corrections_log

    paths = [["in_review", "confirmed", "in_review", "false", "contested", "false"],
             ["in_review", "misleading", "contested", "misleading"],
             ["in_review", "contested", "unproven"]]
    claims = [readers.claim(f"Path {n}", path) for n, path in enumerate(paths)]
    in_log = {row.change.id for row in corrections_log(session, before=None, per_page=100).items}
    on_pages = {c.id for claim in claims for c in classify(claim.public_entries) if c.correction}
    assert in_log == on_pages and len(in_log) == 4


def test_corrections_log_pages_by_position(client, session, readers) -> None:
    """Walking the log page by page meets every correction once, newest first; a page
    starts just after the position it names, whatever rows were added meanwhile."""
    from factcheck.public.queries import corrections_log

    for n in range(5):
        readers.claim(f"Corrected claim {n}", ["in_review", "false", "in_review", "confirmed"])
    everything = [row.change.id for row in corrections_log(session, before=None, per_page=100).items]
    assert len(everything) == 10
    walked, before = [], None
    while True:
        page = corrections_log(session, before=before, per_page=3)
        walked += [row.change.id for row in page.items]
        if page.older is None:
            break
        assert page.older == walked[-1]
        before = page.older
    assert walked == everything

    first = client.get("/corrections").get_data(as_text=True)
    assert "Older" not in first and "Newest" not in first  # one page holds them all (20 a page)
    second = client.get(f"/corrections?before={everything[4]}").get_data(as_text=True)
    assert "Newest" in second and f"change-{everything[5]}" in second and f"change-{everything[4]}" not in second
    plain = readers.claim("Never corrected", ["in_review", "false"])
    not_a_correction = plain.history[-1].id
    assert client.get(f"/corrections?before={not_a_correction}").status_code == 404


def test_methodology_explains_every_status_and_the_rating_scale(client) -> None:
    response = client.get("/methodology")
    text, page = text_of(response), response.get_data(as_text=True)
    for status in Status:
        row = re.search(rf'<tr id="status-{status.value}">(.*?)</tr>', page, flags=re.S).group(1)
        assert status.label in row
        assert (f"{RATING_SCALE[status]} of 5" if status in RATING_SCALE else "—") in row
    assert "from 1 (worst) to 5 (best)" in text


def test_front_page_and_nav_link_the_reader_pages(client, readers) -> None:
    readers.claim("On the front page", ["in_review"])
    html = client.get("/").get_data(as_text=True)
    assert "On the front page" in html
    for href in ('href="/claims"', 'href="/corrections"', 'href="/methodology"', 'href="/feeds/changes.atom"'):
        assert href in html


def test_report_links_are_only_http(client, readers, session) -> None:
    claim = readers.claim("Carried somewhere", ["in_review"])
    report = create_report(session, DESK, url="https://news.example/a?b=1&c=2", title="A <b>report</b>")
    statement = readers.make.statement(readers.make.source(), "Said in a report.", report_id=report.id)
    from factcheck.services.claims import link_statement

    link_statement(session, claim, statement, DESK, stance="denies")
    html = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    assert 'href="https://news.example/a?b=1&amp;c=2"' in html
    assert "A &lt;b&gt;report&lt;/b&gt;" in html


def test_sealed_identity_appears_nowhere_public(client, readers, session, app) -> None:
    source = readers.sealed_source()
    claim = readers.claim("A minister resigned", ["in_review"], speaker=source)
    readers.make.link(claim, source, "denies", text="They deny it, in other words.")
    readers.move(claim, "false", reason="The minister is still in office.")
    readers.claim("Another claim by the same official", ["in_review", "unproven"], speaker=source)
    urls = ["/", "/claims", "/claims?q=minister", "/corrections", "/methodology", "/feeds/changes.atom",
            f"/claims/{claim.slug}", f"/badge/{claim.slug}.svg", f"/embed/{claim.slug}",
            f"/claims/{claim.slug}/feed.atom"]
    urls += [r.rule for r in app.url_map.iter_rules()
             if r.rule.startswith("/api/") and "GET" in r.methods and not r.arguments]
    urls += [f"/api/v1/claims/{claim.slug}/badge", f"/api/v1/claims/{claim.slug}"]
    for url in urls:
        body = client.get(url).get_data(as_text=True)
        assert SEALED not in body, url
        assert "Sealed-Identity" not in body, url
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    assert "Official in the ministry" in page and "Not authorised to speak publicly." in page


def test_no_inline_script_or_style_on_reader_pages(client, session, readers) -> None:
    load_demo(session)
    zawahiri = session.scalar(select(Claim).where(Claim.slug.like("zawahiri%")))
    for url in ("/", "/claims", "/corrections", "/methodology", f"/claims/{MUSA_QALA}",
                f"/claims/{zawahiri.slug}", f"/embed/{MUSA_QALA}"):
        html = client.get(url).get_data(as_text=True)
        assert " style=" not in html, url
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
            assert 'type="application/ld+json"' in attrs or (" src=" in attrs and not body.strip()), url
        assert not re.search(r"\son[a-z]+=", html), url


def test_no_email_of_any_user_on_reader_pages(client, session, make) -> None:
    load_demo(session)
    make.user("editor", email="desk.editor@example.org")
    emails = list(session.scalars(select(User.email)))
    for url in ("/", "/claims", "/corrections", f"/claims/{MUSA_QALA}", "/feeds/changes.atom"):
        body = client.get(url).get_data(as_text=True)
        assert not any(email in body for email in emails), url


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(max_size=60), status=st.text(max_size=12), page=st.text(max_size=12),
    slug=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and s not in (".", "..")),
)
def test_nothing_a_reader_types_is_a_server_error(client, q, status, page, slug) -> None:
    from urllib.parse import quote, urlencode

    query = urlencode({"q": q, "status": status, "page": page})
    for url in (f"/claims?{query}", f"/corrections?{urlencode({'before': page})}",
                f"/claims/{quote(slug, safe='')}", f"/badge/{quote(slug, safe='')}.svg",
                f"/embed/{quote(slug, safe='')}", f"/claims/{quote(slug, safe='')}/feed.atom"):
        assert client.get(url).status_code < 500, url


def test_embed_snippets_are_shown_as_text(client, readers) -> None:
    claim = readers.claim("Embed me", ["in_review"])
    page = client.get(f"/claims/{claim.slug}").get_data(as_text=True)
    snippets = dict(re.findall(r'<textarea id="embed-(\w+)" readonly rows="2">(.*?)</textarea>', page, flags=re.S))
    assert "<" not in snippets["card"] + snippets["badge"]
    assert html.unescape(snippets["card"]) == (
        f'<iframe src="https://factcheck.example.org/embed/{claim.slug}" width="360" height="200" '
        'title="factcheck: In review" loading="lazy"></iframe>')
    assert html.unescape(snippets["badge"]) == (
        f'<a href="https://factcheck.example.org/claims/{claim.slug}"><img src="https://factcheck.example.org/badge/{claim.slug}.svg" '
        'alt="factcheck: In review"></a>')
