"""Archiving: the request written with the report or status change, the worker's fetch and
what it keeps, change detection, the schedule, the notifications, and the wake-up.

The pages fetched are those of a hostile site on loopback (tests/archive_site.py), reached
only through the exact ``127.0.0.1:port`` pair each test allows.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from factcheck import archive_jobs
from factcheck.db import get_database
from factcheck.models import (
    ArchivedUrl, ArchiveLink, AuditEvent, Claim, Notification, Report, Snapshot, Status,
    EvidenceArchiveRequest, StatusChange, utcnow,
)
from factcheck.services import Actor, archive
from factcheck.services.claims import link_statement
from factcheck.services.fetch import Fetched, Policy
from factcheck.services.sources import create_report, create_statement, update_report
from factcheck.services.status import change_status
from factcheck.services.watching import watch
from factcheck.storage import get_store

from .archive_site import Site, running_site

DESK = Actor.system("test")


@pytest.fixture(scope="module")
def site() -> Site:
    with running_site() as running:
        yield running


@pytest.fixture
def no_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any fetch fails the test: a request that adds something must not fetch it."""
    def refuse(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("fetched during the request")

    monkeypatch.setattr(archive_jobs, "fetch", refuse)
    monkeypatch.setattr("factcheck.services.fetch.fetch", refuse)


def run(app, site: Site, *, now=None, limit: int = 50, **policy: object) -> int:
    return archive_jobs.run_due(get_database(app), app.config, get_store(app), now=now, limit=limit,
                                policy=Policy(allow=site.allow, **policy))  # type: ignore[arg-type]


def taken(session) -> int:
    """What the worker does first: take the archive requests written since it last ran."""
    count = archive.take_requests(session)
    session.flush()
    return count


def due_now(session, *urls: str) -> None:
    """Make addresses due again (as the schedule would, days later)."""
    stmt = update(ArchivedUrl).values(next_check_at=utcnow() - timedelta(seconds=1))
    if urls:
        stmt = stmt.where(ArchivedUrl.url.in_(urls))
    session.execute(stmt)
    session.flush()


def cited_claim(make, session, url: str, *, status: str | None = None):
    """A claim with a statement carried by a report at ``url``, watched by a checker."""
    report = create_report(session, DESK, url=url, title="An article")
    speaker = make.source("Afghan intelligence")
    statement = create_statement(session, DESK, speaker_id=speaker.id, text="Umar was killed.", kind="paraphrase",
                                 report_id=report.id)
    claim = make.claim("Asim Umar was killed in Musa Qala")
    link_statement(session, claim, statement, DESK, stance="asserts")
    watcher = make.user("checker")
    watch(session, [watcher.id], claim.id, "clicked")
    if status:
        change_status(session, claim, "in_review", "Checking.", DESK, claim.version)
        change_status(session, claim, status, "Done.", DESK, claim.version)
    session.flush()
    return claim, report, watcher


# --- Which links ------------------------------------------------------------------------

@pytest.mark.parametrize("text, links", [
    ("See https://news.example/a.", ["https://news.example/a"]),
    ("(see https://news.example/a) and HTTP://Other.example/b?x=1#frag, then https://news.example/a again",
     ["https://news.example/a", "HTTP://Other.example/b?x=1"]),
    ("https://en.wikipedia.org/wiki/Musa_Qala_(town); ok", ["https://en.wikipedia.org/wiki/Musa_Qala_(town)"]),
    ('<a href="https://x.example/q">x</a> “https://y.example/z”', ["https://x.example/q", "https://y.example/z"]),
    ("ftp://files.example/a mailto:a@b.example www.example.org javascript:alert(1) http:// https:///x", []),
    ("", []), (None, []),
])
def test_evidence_links_rule(text, links) -> None:
    assert archive.evidence_links(text) == links


def test_evidence_links_are_capped() -> None:
    text = " ".join(f"https://news.example/{n}" for n in range(50))
    assert len(archive.evidence_links(text)) == archive.MAX_EVIDENCE_LINKS


# --- Requests, written with what cites the address ----------------------------------------------

def test_a_new_report_writes_its_archive_request_and_fetches_nothing(app, session, no_fetch) -> None:
    with app.app_context():
        report = create_report(session, DESK, url="https://news.example/story#part-2", title="Story")
    assert session.info.get(archive.REQUESTED) is True
    assert session.scalar(select(Report.archive_requested).where(Report.id == report.id)) is True
    assert session.scalar(select(func.count()).select_from(ArchivedUrl)) == 0  # written by the worker
    with app.app_context():
        assert taken(session) == 1
    assert session.scalar(select(Report.archive_requested).where(Report.id == report.id)) is False
    archived = session.scalar(select(ArchivedUrl).where(ArchivedUrl.url == "https://news.example/story"))
    assert archived is not None and archived.state == "pending"
    assert archived.next_check_at is not None and archived.next_check_at <= utcnow()
    link = session.scalar(select(ArchiveLink).where(ArchiveLink.archived_url_id == archived.id))
    assert (link.report_id, link.claim_id, link.status_change_id) == (report.id, None, None)
    with app.app_context():
        assert taken(session) == 0  # taken once


def test_archiving_off_writes_no_request(app, session) -> None:
    app.config["ARCHIVE_ENABLED"] = False
    with app.app_context():
        report = create_report(session, DESK, url="https://news.example/off")
    assert session.scalar(select(Report.archive_requested).where(Report.id == report.id)) is False
    assert session.scalar(select(func.count()).select_from(ArchivedUrl)) == 0


def test_archiving_off_fetches_nothing_and_check_again_says_so(app, session, client, login_as, site) -> None:
    with app.app_context():
        report = create_report(session, DESK, url=site.url("/article"))  # requested while on
    app.config["ARCHIVE_ENABLED"] = False
    asked = len(site.requests)
    assert run(app, site) == 0
    assert session.scalar(select(func.count()).select_from(Snapshot)) == 0 and len(site.requests) == asked
    app.config["WTF_CSRF_ENABLED"] = False
    login_as("checker")
    response = client.post(f"/desk/reports/{report.id}/archive/check")
    assert response.status_code == 422
    assert "Archiving is switched off on this server" in response.get_data(as_text=True)


def test_a_status_change_requests_its_evidence_links(app, session, make) -> None:
    claim = make.claim()
    with app.app_context():
        change = change_status(session, claim, "in_review", "Checking.", DESK, claim.version,
                               evidence="Ministry statement https://gov.example/statement and https://gov.example/statement "
                                        "and the video at https://video.example/v/1.")
        plain = change_status(session, claim, "contested", "No links in this one.", DESK, claim.version,
                              evidence="The minister said so on the radio.")
    requests = session.scalars(select(EvidenceArchiveRequest.status_change_id)).all()
    assert requests == [change.id] and plain.id != change.id
    with app.app_context():
        assert taken(session) == 1
    links = session.execute(select(ArchivedUrl.url, ArchiveLink.claim_id, ArchiveLink.status_change_id)
                            .join(ArchiveLink).order_by(ArchivedUrl.url)).all()
    assert [tuple(r) for r in links] == [("https://gov.example/statement", claim.id, change.id),
                                         ("https://video.example/v/1", claim.id, change.id)]


def test_one_address_cited_twice_is_one_archived_url(app, session, make) -> None:
    claim = make.claim()
    with app.app_context():
        report = create_report(session, DESK, url="https://news.example/shared")
        change_status(session, claim, "in_review", "Checking.", DESK, claim.version,
                      evidence="https://news.example/shared")
        assert taken(session) == 2
    assert session.scalar(select(func.count()).select_from(ArchivedUrl)) == 1
    assert session.scalar(select(func.count()).select_from(ArchiveLink)) == 2
    assert report.id


def test_a_report_moved_to_another_address_requests_it(app, session) -> None:
    with app.app_context():
        report = create_report(session, DESK, url="https://news.example/old")
        taken(session)
        update_report(session, report, DESK, url="https://news.example/new")
        taken(session)
    urls = set(session.scalars(select(ArchivedUrl.url)))
    assert urls == {"https://news.example/old", "https://news.example/new"}


def test_a_report_corrected_before_the_worker_took_it_is_archived_at_its_address_now(app, session) -> None:
    """The worker archives the address a report has when it takes the request: a URL corrected
    in the meantime (a typo) is never fetched."""
    with app.app_context():
        report = create_report(session, DESK, url="https://news.example/typo")
        update_report(session, report, DESK, url="https://news.example/right")
        assert taken(session) == 1
    assert set(session.scalars(select(ArchivedUrl.url))) == {"https://news.example/right"}
    assert session.scalar(select(func.count()).select_from(ArchiveLink)) == 1


@pytest.mark.parametrize("many", [False, True], ids=["one citation", "a batch of citations"])
def test_a_new_citation_brings_a_known_address_forward_and_a_known_one_does_not(app, session, make, many) -> None:
    """One rule for one citation and for a batch: an address due later is brought forward to
    now by a new citation of it, and left alone when the citation is recorded already."""
    later = utcnow() + timedelta(days=3)
    claim = make.claim()
    with app.app_context():
        report = create_report(session, DESK, url="https://news.example/known")
        taken(session)
        archived = session.scalar(select(ArchivedUrl).where(ArchivedUrl.url == "https://news.example/known"))
        session.execute(update(ArchivedUrl).values(next_check_at=later))
        filler = [(f"https://other.example/{n}", {"report_id": report.id}) for n in range(60)] if many else []

        def cite(who):  # noqa: ANN001, ANN202
            return archive.cite(session, [("https://news.example/known", who), *filler], utcnow())

        assert cite({"report_id": report.id}) == len(filler)  # the report's own citation: known
        session.refresh(archived)
        assert archived.next_check_at == later
        assert cite({"claim_id": claim.id}) == 1  # a new one
        session.refresh(archived)
        assert archived.next_check_at <= utcnow()
        session.execute(update(ArchivedUrl).values(next_check_at=later))
        assert cite({"claim_id": claim.id}) == 0  # the same again: nothing new, nothing moved
        session.refresh(archived)
        assert archived.next_check_at == later
    assert session.scalar(select(func.count()).select_from(ArchivedUrl)) == 1 + len(filler)


def test_a_new_report_costs_no_statement_for_its_archive_request(app, session) -> None:
    """What archiving adds to the request that adds a report: a column of the report's own
    insert, no statement; the worker writes the address and the link (two statements for a new
    address)."""
    from sqlalchemy import event

    seen: list[str] = []
    engine = session.get_bind()
    listener = lambda *args: seen.append(args[2])  # noqa: E731  (before_cursor_execute's statement)
    statements = {}
    with app.app_context():
        session.flush()
        for enabled in (False, True):
            app.config["ARCHIVE_ENABLED"] = enabled
            seen.clear()
            event.listen(engine, "before_cursor_execute", listener)
            try:
                report = create_report(session, DESK, url=f"https://news.example/first-{enabled}")
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            statements[enabled] = [s for s in seen if not s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO"))]
            assert report.archive_requested is enabled
        assert len(statements[True]) == len(statements[False]), statements
        assert not [s for s in statements[True] if "archived_urls" in s or "archive_links" in s
                    or "evidence_archive_requests" in s]
        seen.clear()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            archive.cite(session, [("https://news.example/brand-new", {"report_id": report.id})], utcnow())
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    archive_statements = [s for s in seen if "archive" in s.lower()]
    assert len(archive_statements) == 2, archive_statements


def test_the_api_and_the_extraction_page_write_requests(app, client, session, make, login_as, no_fetch) -> None:
    from factcheck.services.tokens import create_token

    app.config["WTF_CSRF_ENABLED"] = False
    editor = make.user("editor")
    _token, secret = create_token(session, editor, DESK)
    session.flush()
    response = client.post("/api/v1/reports", json={"url": "https://news.example/api"},
                           headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 201, response.get_json()
    login_as("checker")
    claim = make.claim()
    response = client.post("/desk/extract/save", data={
        "url": "https://news.example/extracted", "title": "Extracted", "article": "Text.", "count": "1",
        "keep-0": "1", "speaker-0": "Extracted Speaker", "text-0": "Extracted words.", "stance-0": "mentions",
        "claim": f"x · #{claim.id}"})
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    assert taken(session) == 2
    urls = set(session.scalars(select(ArchivedUrl.url)))
    assert {"https://news.example/api", "https://news.example/extracted"} <= urls


def test_the_desk_forms_and_the_api_status_change_write_requests(app, client, session, make, login_as,
                                                                  no_fetch) -> None:
    """A report added on the desk's statement form, and evidence links given with a status
    change on the desk and through the API: each is an archive request."""
    from factcheck.services.tokens import create_token

    app.config["WTF_CSRF_ENABLED"] = False
    login_as("checker")
    claim, other = make.claim(), make.claim()
    session.flush()
    response = client.post(f"/desk/claims/{claim.id}/statements/new", data={
        "speaker": "Regional water authority", "text": "The dam burst on Friday.", "kind": "paraphrase",
        "stance": "asserts", "report_url": "https://news.example/desk-report"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    session.refresh(claim)
    response = client.post(f"/desk/claims/{claim.id}/status", data={
        "to": "in_review", "reason": "Checking.", "version": claim.version,
        "evidence": "The ministry's statement (https://gov.example/desk-evidence)."})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    _token, secret = create_token(session, make.user("editor"), DESK)
    session.flush()
    response = client.post(f"/api/v1/claims/{other.id}/status", headers={"Authorization": f"Bearer {secret}"},
                           json={"to": "in_review", "reason": "API.", "version": other.version,
                                 "evidence": "See https://gov.example/api-evidence"})
    assert response.status_code == 201, response.get_json()
    assert taken(session) == 3
    cited = {url: (report_id, claim_id) for url, report_id, claim_id in session.execute(
        select(ArchivedUrl.url, ArchiveLink.report_id, ArchiveLink.claim_id).join(ArchiveLink))}
    report_id = session.scalar(select(Report.id).where(Report.url == "https://news.example/desk-report"))
    assert cited == {"https://news.example/desk-report": (report_id, None),
                     "https://gov.example/desk-evidence": (None, claim.id),
                     "https://gov.example/api-evidence": (None, other.id)}


@pytest.mark.parametrize("url", ["ftp://news.example/a", "javascript:alert(1)", "file:///etc/passwd",
                                 "news.example/without-a-scheme"])
def test_a_url_that_is_not_http_is_refused_with_a_clear_message_and_nothing_stored(app, client, session, make,
                                                                                    login_as, url) -> None:
    from factcheck.services.tokens import create_token

    _token, secret = create_token(session, make.user("editor"), DESK)
    session.flush()
    response = client.post("/api/v1/reports", json={"url": url}, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code in (400, 422), response.get_json()
    assert response.get_json()["errors"] == {"url": "An absolute http:// or https:// address."}
    app.config["WTF_CSRF_ENABLED"] = False
    login_as("checker")
    claim = make.claim()
    session.flush()
    response = client.post(f"/desk/claims/{claim.id}/statements/new", data={
        "speaker": "A speaker typed", "text": "Words typed.", "kind": "paraphrase", "stance": "asserts",
        "report_url": url})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "http:// or https://" in page and "A speaker typed" in page
    for model in (Report, EvidenceArchiveRequest, ArchivedUrl, ArchiveLink, Snapshot):
        assert session.scalar(select(func.count()).select_from(model)) == 0, model


def test_the_configuration_never_lets_tests_or_production_past_the_address_rule(app) -> None:
    """The loopback server of these tests is reached only through each test's own exact
    allow-list; neither the tests' settings nor the defaults allow any address, and the
    Internet Archive is off by default."""
    from config import Config

    assert Policy.from_config(app.config).allow == frozenset()
    assert Config.ARCHIVE_ALLOW_ADDRESSES == [] or not any(Config.ARCHIVE_ALLOW_ADDRESSES)
    assert Config.ARCHIVE_WAYBACK is False and app.config["ARCHIVE_WAYBACK"] is False
    policy = Policy.from_config(Config.__dict__)
    assert (policy.max_redirects, policy.max_bytes) == (5, 10 * 1024 * 1024)
    assert policy.connect_timeout > 0 and policy.deadline > 0


def test_the_bulk_import_writes_requests(app, session) -> None:
    from factcheck.claimreview.batch import import_batch
    from factcheck.claimreview.importer import import_one
    from factcheck.claimreview.ratings import RatingMap
    from factcheck.claimreview.reading import review_item

    feed = [{"@type": "ClaimReview", "url": f"https://checks.example/review-{n}",
             "claimReviewed": f"The river froze in July, year {n}.", "reviewRating": {"alternateName": "False"},
             "author": {"@type": "Organization", "name": "Checkers"},
             "itemReviewed": {"@type": "Claim", "appearance": {"url": f"https://news.example/appearance-{n}",
                                                                "headline": "Appearance"}}} for n in range(3)]
    items = [review_item(review, f"feed #{n}") for n, review in enumerate(feed)]
    with app.app_context():
        outcomes = import_batch(session, items, ratings=RatingMap(), one_by_one=import_one)
    assert [o.result for o in outcomes] == ["imported"] * 3, outcomes
    evidence = session.scalars(select(StatusChange.evidence)).all()
    with_links = [text for text in evidence if archive.evidence_links(text)]
    assert len(with_links) >= 3  # each claim's history cites its review
    with app.app_context():
        assert taken(session) == 3 + len(with_links)  # the reports, and the status changes with links
    urls = set(session.scalars(select(ArchivedUrl.url)))
    assert {f"https://news.example/appearance-{n}" for n in range(3)} <= urls  # the reports
    assert {f"https://checks.example/review-{n}" for n in range(3)} <= urls  # the evidence (the review)
    cited = session.execute(select(ArchiveLink.claim_id, ArchiveLink.status_change_id)
                            .where(ArchiveLink.claim_id.is_not(None))).all()
    assert cited and all(change_id is not None for _claim, change_id in cited)


# --- The worker ---------------------------------------------------------------------------

def test_the_worker_archives_a_report_and_gives_it_its_text(app, session, make, site) -> None:
    with app.app_context():
        claim, report, _watcher = cited_claim(make, session, site.url("/article"))
        pasted = create_report(session, DESK, url=site.url("/redirect/1"), text="Pasted by hand.")
        assert run(app, site) == 2
    session.expire_all()
    shots = session.scalars(select(Snapshot).order_by(Snapshot.id)).all()
    assert [s.outcome for s in shots] == ["archived", "archived"]
    first = shots[0]
    assert (first.http_status, first.content_type, first.final_url) == (200, "text/html", site.url("/article"))
    assert "categorically rejected the claim" in first.text and first.title == "Raid in Musa Qala"
    # The bytes as received, in the store, once: both addresses end at the same page.
    with get_store(app).open(first.sha256) as stored:
        body = stored.read()
    assert hashlib.sha256(body).hexdigest() == first.sha256 and body.startswith(b"<!doctype html>")
    assert shots[1].sha256 == first.sha256 and list(get_store(app).hashes()) == [first.sha256]
    assert shots[1].redirects == [site.url("/redirect/1"), site.url("/redirect/0")]
    # The report with no text got the readable text (audited as the archiver's edit)…
    assert report.text == first.text and report.text_sha256 == hashlib.sha256(first.text.encode()).hexdigest()
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "report.edit",
                                                    AuditEvent.subject_id == report.id))
    assert event is not None and event.actor_label == "archive"
    # …and the pasted one kept its own.
    assert pasted.text == "Pasted by hand."
    archived = session.scalar(select(ArchivedUrl).where(ArchivedUrl.url == site.url("/article")))
    assert archived.state == "archived" and archived.checks == 1


def test_a_refused_fetch_keeps_nothing_and_says_why(app, session, make, site) -> None:
    with app.app_context():
        report = create_report(session, DESK, url=site.url("/to-metadata"))
        run(app, site)
    session.expire_all()
    shot = session.scalar(select(Snapshot))
    assert shot.outcome == "refused" and "169.254.169.254 is a link-local address" in shot.error
    assert shot.sha256 is None and shot.text is None
    assert list(get_store(app).hashes()) == []
    assert report.text is None
    archived = session.get(ArchivedUrl, shot.archived_url_id)
    assert archived.state == "refused" and archived.next_check_at > utcnow() + timedelta(days=6)


@pytest.mark.parametrize("path, outcome", [("/slow", "failed"), ("/bomb", "refused"), ("/huge", "refused"),
                                           ("/binary", "refused"), ("/error", "failed")])
def test_hostile_pages_keep_nothing(app, session, site, path, outcome) -> None:
    with app.app_context():
        report = create_report(session, DESK, url=site.url(path))
        run(app, site, deadline=1.0)
    session.expire_all()
    shot = session.scalar(select(Snapshot))
    assert shot.outcome == outcome and shot.error and shot.sha256 is None
    assert list(get_store(app).hashes()) == [] and report.text is None


def test_a_failure_before_the_first_copy_is_retried_sooner(app, session, site) -> None:
    with app.app_context():
        create_report(session, DESK, url=site.url("/error"))
        run(app, site)
        archived = session.scalar(select(ArchivedUrl))
        first_retry = archived.next_check_at - archived.last_checked_at
        due_now(session)
        run(app, site)
    session.expire_all()
    archived = session.scalar(select(ArchivedUrl))
    assert first_retry == archive.RETRY
    assert archived.next_check_at - archived.last_checked_at == 2 * archive.RETRY
    shot = session.scalar(select(Snapshot))  # the same failure twice: one row, counted
    assert shot.repeats == 2 and session.scalar(select(func.count()).select_from(Snapshot)) == 1


def test_a_changed_page_is_a_new_snapshot_with_its_difference_and_the_watchers_are_told(app, session, make,
                                                                                           site) -> None:
    site.version = 1
    try:
        with app.app_context():
            claim, report, watcher = cited_claim(make, session, site.url("/changing"))
            run(app, site)
            due_now(session)
            run(app, site)  # the same page again: nothing new
            assert session.scalar(select(func.count()).select_from(Snapshot)) == 1
            site.version = 2
            due_now(session)
            run(app, site)
    finally:
        site.version = 1
    session.expire_all()
    shots = session.scalars(select(Snapshot).order_by(Snapshot.id)).all()
    assert [s.outcome for s in shots] == ["archived", "changed"]
    removed = " ".join(words for op, words in shots[1].diff if op == "-")
    added = " ".join(words for op, words in shots[1].diff if op == "+")
    assert "joint" in removed and "was" in removed and "may have been" in added and "update 2" in added
    archived = session.get(ArchivedUrl, shots[0].archived_url_id)
    assert archived.state == "changed" and archived.changed_at is not None and archived.checks == 3
    assert report.text == shots[0].text  # a stored text is never replaced
    notes = session.scalars(select(Notification).where(Notification.kind == "source_changed")).all()
    assert [(n.user_id, n.claim_id) for n in notes] == [(watcher.id, claim.id)]
    assert "The source changed after we archived it" in notes[0].text


def test_the_watchers_hear_of_a_change_through_the_outbox(app, session, make, site) -> None:
    """The notification of a changed source goes out by e-mail like every other: in the daily
    digest (an ``email`` outbox row listing it) of a watcher who chose it."""
    from factcheck.models import OutboxEvent
    from factcheck.services import mail

    site.version = 1
    try:
        with app.app_context():
            claim, _report, watcher = cited_claim(make, session, site.url("/changing"))
            watcher.email_digest = True
            run(app, site)
            site.version = 3
            due_now(session)
            run(app, site)
    finally:
        site.version = 1
    session.expire_all()
    note = session.scalar(select(Notification).where(Notification.kind == "source_changed"))
    assert note is not None and note.user_id == watcher.id and note.claim_id == claim.id
    assert mail.queue_digests(session) >= 1
    rows = session.scalars(select(OutboxEvent).where(OutboxEvent.channel == "email",
                                                     OutboxEvent.event == "digest")).all()
    digest = next(row for row in rows if row.payload["user_id"] == watcher.id)
    assert note.id in digest.payload["notification_ids"]
    rendered = mail.render(session, digest, mail.Smtp(host="mail.example", sender="desk@example.org"))
    assert "The source changed after we archived it" in rendered.message.get_content()


def test_a_page_gone_is_flagged_and_told_once(app, session, make, site) -> None:
    with app.app_context():
        claim, _report, watcher = cited_claim(make, session, site.url("/gone"))
        run(app, site)
        due_now(session)
        run(app, site)
    session.expire_all()
    shot = session.scalar(select(Snapshot))
    assert (shot.outcome, shot.http_status, shot.repeats) == ("gone", 404, 2)
    archived = session.get(ArchivedUrl, shot.archived_url_id)
    assert archived.state == "gone" and archived.gone_since is not None
    notes = session.scalars(select(Notification).where(Notification.kind == "source_gone")).all()
    assert [(n.user_id, n.claim_id) for n in notes] == [(watcher.id, claim.id)]


def test_the_schedule(app, session, make, site) -> None:
    with app.app_context():
        _claim, _report, _w = cited_claim(make, session, site.url("/article"))  # unresolved
        resolved, _r, _w = cited_claim(make, session, site.url("/plain"), status="false")
        create_report(session, DESK, url=site.url("/redirect/2"))  # cited by no claim
        now = utcnow()
        run(app, site, now=now)
        after = {url: at for url, at in session.execute(select(ArchivedUrl.url, ArchivedUrl.next_check_at))}
        assert after[site.url("/article")] == now + timedelta(hours=24)
        assert after[site.url("/plain")] == now + timedelta(hours=24)  # resolved, but moved today
        assert after[site.url("/redirect/2")] == now + timedelta(days=7)
        # A month later, the resolved claim has been quiet: weekly.
        later = now + timedelta(days=31)
        session.execute(update(Claim).where(Claim.id == resolved.id).values(last_activity_at=now))
        due_now(session)
        app.config["ARCHIVE_RECHECK_QUIET_HOURS"] = 72  # (configurable)
        run(app, site, now=later)
        after = {url: at for url, at in session.execute(select(ArchivedUrl.url, ArchivedUrl.next_check_at))}
    assert after[site.url("/plain")] == later + timedelta(hours=72)
    assert after[site.url("/article")] == later + timedelta(hours=24)


def test_two_workers_never_take_the_same_address(app, session) -> None:
    with app.app_context():
        create_report(session, DESK, url="https://news.example/lease")
        taken(session)
    first = archive.take_due(session)
    second = archive.take_due(session)
    assert len(first) == 1 and second == []
    assert archive.take_due(session, utcnow() + archive.LEASE + timedelta(seconds=1)) == first  # after the lease


def test_two_workers_never_take_the_same_request(committed_db, db_url) -> None:
    """A worker takes requests in its own transaction: while it holds some, another worker
    takes the others (PostgreSQL: the held rows are skipped) or waits for it (SQLite: one
    writer), and no request is ever made into addresses twice."""
    from .conftest import app_on

    app = app_on(committed_db, db_url)
    with app.app_context():
        with committed_db.transaction() as session:
            for n in range(4):
                create_report(session, DESK, url=f"https://news.example/race/{n}")
        first = committed_db.transaction()
        holder = first.__enter__()
        try:
            assert archive.take_requests(holder, limit=2) == 2
            if db_url.startswith("postgresql"):
                with committed_db.transaction() as other:
                    other.execute(text("SET LOCAL lock_timeout = '5s'"))  # a worker that waited would fail here
                    assert archive.take_requests(other) == 2  # the two the first worker does not hold
            first.__exit__(None, None, None)
        except BaseException as error:
            first.__exit__(type(error), error, error.__traceback__)
            raise
        with committed_db.transaction() as session:
            assert archive.take_requests(session) == (0 if db_url.startswith("postgresql") else 2)
            assert archive.take_requests(session) == 0
        with committed_db.read_sessions() as session:
            assert session.scalar(select(func.count()).select_from(Report).where(Report.archive_requested)) == 0
            assert session.scalar(select(func.count()).select_from(ArchiveLink)) == 4
            assert session.scalar(select(func.count()).select_from(ArchivedUrl)) == 4


def test_the_internet_archive_is_asked_only_when_configured(app, session, site) -> None:
    asked: list[str] = []
    from factcheck.services.fetch import fetch as real_fetch

    def fetcher(url: str, policy: Policy) -> Fetched:
        asked.append(url)
        if url.startswith(archive_jobs.WAYBACK_SAVE):
            return Fetched(requested_url=url, outcome="ok", status=200,
                           final_url="https://web.archive.org/web/20261207/" + url[len(archive_jobs.WAYBACK_SAVE):])
        return real_fetch(url, policy)

    assert app.config["ARCHIVE_WAYBACK"] is False
    with app.app_context():
        create_report(session, DESK, url=site.url("/article"))
        archive_jobs.run_due(get_database(app), app.config, get_store(app), policy=Policy(allow=site.allow),
                             fetcher=fetcher)
        assert asked == [site.url("/article")]
        app.config["ARCHIVE_WAYBACK"] = True
        create_report(session, DESK, url=site.url("/plain"))
        archive_jobs.run_due(get_database(app), app.config, get_store(app), policy=Policy(allow=site.allow),
                             fetcher=fetcher)
    assert asked[1:] == [site.url("/plain"), archive_jobs.WAYBACK_SAVE + site.url("/plain")]
    archived = session.scalar(select(ArchivedUrl).where(ArchivedUrl.url == site.url("/plain")))
    assert archived.wayback_url.startswith("https://web.archive.org/web/")


# --- Waking the worker ---------------------------------------------------------------------

def test_the_worker_is_woken_after_the_response_not_during_it(app, client, session, make, monkeypatch,
                                                               no_fetch) -> None:
    from factcheck.services.tokens import create_token

    woken: list[str] = []
    monkeypatch.setattr(archive_jobs, "wake", lambda: woken.append("wake"))
    app.config["JOBS_WAKE_WORKER"] = True
    editor = make.user("editor")
    _token, secret = create_token(session, editor, DESK)
    session.flush()
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.post("/api/v1/reports", json={"url": "https://news.example/woken"}, headers=headers)
    assert response.status_code == 201
    assert woken == []  # not before the response is closed…
    response.close()
    assert woken == ["wake"]  # …then once
    # A request that writes no archive request wakes nothing.
    response = client.get(f"/api/v1/reports/{response.get_json()['id']}", headers=headers)
    response.close()
    assert woken == ["wake"]


def test_outside_a_request_the_worker_is_woken_after_the_commit_not_at_a_savepoint(committed_db, db_url,
                                                                                   monkeypatch) -> None:
    """The command line and imports wake the worker when their transaction commits: the
    savepoint ``create_report`` releases inside it is not the commit (a job woken then could
    run before the report is there to be found)."""
    from .conftest import app_on

    woken: list[bool] = []
    app = app_on(committed_db, db_url, JOBS_WAKE_WORKER=True)

    def wake() -> None:
        with committed_db.read_sessions() as other:  # what a worker woken now would find
            woken.append(other.scalar(select(func.count()).select_from(Report).where(Report.archive_requested)) == 1)

    monkeypatch.setattr(archive_jobs, "wake", wake)
    with app.app_context():
        with committed_db.transaction() as session:
            create_report(session, DESK, url="https://news.example/from-the-command-line")
            assert woken == []
    assert woken == [True]


def test_a_burst_of_reports_wakes_the_worker_once_per_interval(app, client, session, make, monkeypatch,
                                                                no_fetch) -> None:
    """One job archives every address due when it runs: a burst of new reports makes one
    wake-up call per ARCHIVE_WAKE_INTERVAL_MS in a process, not one each."""
    from factcheck.services.tokens import create_token

    woken: list[str] = []
    clock = [1000.0]
    monkeypatch.setattr(archive_jobs, "wake", lambda: woken.append("wake"))
    monkeypatch.setattr(archive_jobs.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(archive_jobs, "_last_wake", [float("-inf")])
    app.config.update(JOBS_WAKE_WORKER=True, ARCHIVE_WAKE_INTERVAL_MS=1000)
    _token, secret = create_token(session, make.user("editor"), DESK)
    session.flush()

    def add(n: int) -> None:
        response = client.post("/api/v1/reports", json={"url": f"https://news.example/burst/{n}"},
                               headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 201
        response.close()

    for n in range(5):  # within the same second
        clock[0] += 0.1
        add(n)
    assert woken == ["wake"]
    clock[0] += 1.0  # the interval has passed
    add(5)
    assert woken == ["wake", "wake"]
    # Every report of the burst is due: the job that was woken takes them all.
    assert taken(session) == 6
    assert session.scalar(select(func.count()).select_from(ArchivedUrl)
                          .where(ArchivedUrl.next_check_at <= utcnow())) == 6


def test_the_backfill_command(app, session) -> None:
    app.config["ARCHIVE_ENABLED"] = False
    with app.app_context():
        create_report(session, DESK, url="https://news.example/before-archiving")
    app.config["ARCHIVE_ENABLED"] = True
    session.flush()
    result = app.test_cli_runner().invoke(args=["archive", "backfill"])
    assert result.exit_code == 0, result.output
    assert "1 citation of reports and evidence links to archive" in result.output
    assert session.scalar(select(ArchivedUrl.url)) == "https://news.example/before-archiving"
    again = app.test_cli_runner().invoke(args=["archive", "backfill"])
    assert "0 citations" in again.output
    assert Report  # (imported for the models' sake)
    assert Status


def test_the_real_worker_archives_what_a_request_added(committed_db, db_url, tmp_path, monkeypatch, site) -> None:
    """End to end: the API adds a report; once its response is closed the queue gets a wake-up
    call; the real ``huey_consumer`` (no periodic sweep: only that call can make it work)
    fetches the page and keeps its snapshot."""
    from factcheck import jobs
    from factcheck.services.tokens import create_token
    from factcheck.services.users import create_user

    from .conftest import app_on
    from .test_jobs import _wait_for
    from .worker_support import consumer_environment, running_consumer

    queue_env = {"FACTCHECK_JOBS_FILE": str(tmp_path / "jobs.sqlite3")}
    environment = consumer_environment(
        db_url, tmp_path, queue_env, FACTCHECK_STORAGE_DIR=str(tmp_path / "files"),
        FACTCHECK_ARCHIVE_ALLOW_ADDRESSES=f"127.0.0.1:{site.port}")  # this test's site, and nothing else
    with running_consumer(environment):
        app = app_on(committed_db, db_url, JOBS_WAKE_WORKER=True)
        monkeypatch.setattr(jobs.huey, "storage", jobs.make_huey(queue_env).storage)  # the consumer's queue
        with app.app_context(), committed_db.transaction() as session:
            editor = create_user(session, email="archive.editor@example.org", password="a long enough password",
                                 role="editor", name="Editor", actor=DESK)
            _row, secret = create_token(session, editor, DESK)
        response = app.test_client().post("/api/v1/reports", json={"url": site.url("/article")},
                                          headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 201, response.get_json()
        report_id = response.get_json()["id"]
        response.close()

        def archived() -> bool:
            with committed_db.read_sessions() as session:
                return session.scalar(select(Snapshot.outcome)) == "archived"

        assert _wait_for(archived, 60), "the worker archived nothing"
        with committed_db.read_sessions() as session:
            shot = session.scalar(select(Snapshot))
            assert shot.final_url == site.url("/article") and "categorically rejected" in shot.text
            assert (tmp_path / "files").exists()
            assert session.get(Report, report_id).text == shot.text
