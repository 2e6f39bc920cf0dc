"""Archived copies on the desk and in the API: the pages, the sandbox around a snapshot's own
content, the claim page's note, and the clear answers to addresses that hold nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.models import ArchivedUrl, AuditEvent, Snapshot, utcnow
from factcheck.services import Actor
from factcheck.storage import get_store

from .archive_site import Site, running_site
from .test_archive import cited_claim, due_now, run

DESK = Actor.system("test")
SANDBOX_CSP = "sandbox; default-src 'none'"


@pytest.fixture(scope="module")
def site() -> Site:
    with running_site() as running:
        yield running


@pytest.fixture
def changed(app, session, make, site):
    """A claim whose report's page was archived, then changed."""
    site.version = 1
    try:
        with app.app_context():
            claim, report, watcher = cited_claim(make, session, site.url("/changing"))
            run(app, site)
            site.version = 2
            due_now(session)
            run(app, site)
    finally:
        site.version = 1
    session.expire_all()
    shots = session.scalars(select(Snapshot).order_by(Snapshot.id)).all()
    assert [s.outcome for s in shots] == ["archived", "changed"]
    return claim, report, shots


def test_the_claim_page_says_the_source_changed_with_its_difference(client, login_as, changed) -> None:
    claim, report, shots = changed
    login_as("checker")
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "Archived sources" in page and "The source changed after we archived it" in page
    assert "<bdi>joint raid</bdi></del>" in page and "<bdi>may have been</bdi></ins>" in page
    assert "[removed:]" in page and "[added:]" in page  # (said in words to a screen reader)
    assert f"/desk/snapshots/{shots[1].id}/diff" in page and f"/desk/reports/{report.id}/archive" in page
    # Readers never see it.
    client.post("/logout")
    public = client.get(f"/claims/{claim.slug}")
    assert "archived it" not in public.get_data(as_text=True)


@pytest.mark.parametrize("path, status", [("/gone", 404), ("/gone410", 410)])
def test_the_claim_page_flags_a_source_gone(app, client, login_as, session, make, site, path, status) -> None:
    with app.app_context():
        claim, _report, _watcher = cited_claim(make, session, site.url(path))
        run(app, site)
    login_as("checker")
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "The source is gone" in page and f"(it answers {status})" in page
    assert "No copy was kept before it went." in page


def test_a_source_gone_after_it_was_archived_points_to_the_copy_kept(app, client, login_as, session, make,
                                                                     site) -> None:
    with app.app_context():
        claim, _report, _watcher = cited_claim(make, session, site.url("/changing"))
        run(app, site)
    copy = session.scalar(select(Snapshot))
    with app.app_context():  # the page is deleted since: (the same address now answers 410)
        session.execute(ArchivedUrl.__table__.update().values(url=site.url("/gone410")))
        due_now(session)
        run(app, site)
    login_as("checker")
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "The source is gone" in page and "(it answers 410)" in page
    assert f"/desk/snapshots/{copy.id}" in page and "is kept" in page


def test_the_report_and_claim_archive_pages_list_every_snapshot(client, login_as, changed) -> None:
    claim, report, shots = changed
    login_as("checker")
    page = client.get(f"/desk/reports/{report.id}/archive").get_data(as_text=True)
    for shot in shots:
        assert f"/desk/snapshots/{shot.id}" in page
    assert "first copy" in page and "changed" in page and shots[0].sha256[:12] in page
    page = client.get(f"/desk/claims/{claim.id}/archive").get_data(as_text=True)
    assert all(f"/desk/snapshots/{shot.id}" in page for shot in shots)


def test_a_snapshot_page_shows_its_text_escaped(client, login_as, session, changed) -> None:
    _claim, _report, shots = changed
    shots[0].text = "Readable <script>alert('x')</script> text"
    session.flush()
    login_as("checker")
    page = client.get(f"/desk/snapshots/{shots[0].id}").get_data(as_text=True)
    assert "Readable &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; text" in page
    assert "<script>alert" not in page
    assert "download the page as received" in page and shots[0].sha256 in page


def test_the_text_and_the_raw_copy_are_served_in_a_sandbox(app, client, login_as, changed) -> None:
    _claim, _report, shots = changed
    login_as("checker")
    with client.session_transaction() as cookie:  # a session the server would refresh on any page
        cookie["seen_at"] = int(utcnow().timestamp()) - 600
    text = client.get(f"/desk/snapshots/{shots[0].id}/text")
    raw = client.get(f"/desk/snapshots/{shots[0].id}/raw")
    inline = client.get(f"/desk/snapshots/{shots[0].id}/raw?inline=1")
    for response in (text, raw, inline):
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"].startswith(SANDBOX_CSP)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers, response.headers
    assert text.mimetype == "text/plain" and "Afghan intelligence said" in text.get_data(as_text=True)
    with get_store(app).open(shots[0].sha256) as stored:
        assert raw.get_data() == stored.read()
    assert raw.headers["Content-Disposition"] == f'attachment; filename="snapshot-{shots[0].id}.html"'
    assert raw.mimetype == "text/html"
    assert "Content-Disposition" not in inline.headers
    # An ordinary desk page keeps the site's own policy (and may refresh the session).
    page = client.get(f"/desk/snapshots/{shots[0].id}")
    assert "sandbox" not in page.headers["Content-Security-Policy"]


def test_the_difference_page(client, login_as, changed) -> None:
    _claim, _report, shots = changed
    login_as("checker")
    page = client.get(f"/desk/snapshots/{shots[1].id}/diff").get_data(as_text=True)
    assert "<bdi>joint raid</bdi></del>" in page and "update 2" in page
    first = client.get(f"/desk/snapshots/{shots[0].id}/diff")
    assert first.status_code == 404 and "is the first copy" in first.get_data(as_text=True)


def test_addresses_that_hold_nothing_say_so(client, login_as, session, make, app, site) -> None:
    from factcheck.services.sources import create_report

    app.config["ARCHIVE_ENABLED"] = False
    with app.app_context():
        never = create_report(session, DESK, url="https://news.example/never-archived")
    app.config["ARCHIVE_ENABLED"] = True
    with app.app_context():
        refused = create_report(session, DESK, url=site.url("/to-private"))
        run(app, site)
    shot = session.scalar(select(Snapshot).where(Snapshot.outcome == "refused"))
    login_as("checker")
    missing = client.get("/desk/snapshots/999999")
    assert missing.status_code == 404 and "No snapshot with id 999999" in missing.get_data(as_text=True)
    page = client.get(f"/desk/reports/{never.id}/archive")
    assert page.status_code == 404
    assert f"Report #{never.id} (https://news.example/never-archived) has not been archived yet." in page.get_data(as_text=True)
    assert "Archive it now" in page.get_data(as_text=True)
    for path in ("raw", "text", "diff"):
        response = client.get(f"/desk/snapshots/{shot.id}/{path}")
        assert response.status_code == 404 and "kept no copy" in response.get_data(as_text=True)
    page = client.get(f"/desk/snapshots/{shot.id}").get_data(as_text=True)
    assert "10.0.0.1 is a private address" in page
    assert client.get("/desk/reports/999999/archive").status_code == 404
    assert refused.id
    with app.app_context():
        waiting = create_report(session, DESK, url="https://news.example/waiting")  # the worker has not run
    page = client.get(f"/desk/reports/{waiting.id}/archive")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "State: <strong>pending</strong>" in text and "Not archived yet" not in text


def test_check_again_archives_a_report_never_archived_and_is_audited(client, login_as, session, app) -> None:
    from factcheck.services.sources import create_report

    app.config["WTF_CSRF_ENABLED"] = False
    app.config["ARCHIVE_ENABLED"] = False
    with app.app_context():
        never = create_report(session, DESK, url="https://news.example/later")
    app.config["ARCHIVE_ENABLED"] = True
    user = login_as("checker")
    response = client.post(f"/desk/reports/{never.id}/archive/check")
    assert response.status_code == 302
    archived = session.scalar(select(ArchivedUrl).where(ArchivedUrl.url == "https://news.example/later"))
    assert archived is not None and archived.next_check_at <= utcnow()
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "report.archive"))
    assert event.actor_id == user.id and event.subject_id == never.id
    assert client.get(f"/desk/reports/{never.id}/archive").status_code == 200


def test_the_api_lists_a_reports_snapshots(client, session, make, changed) -> None:
    from factcheck.services.sources import create_report
    from factcheck.services.tokens import create_token

    _claim, report, shots = changed
    _token, secret = create_token(session, make.user("checker"), DESK)
    headers = {"Authorization": f"Bearer {secret}"}
    body = client.get(f"/api/v1/reports/{report.id}/snapshots", headers=headers).get_json()
    assert body["state"] == "changed" and body["url"] == report.url
    assert [s["id"] for s in body["snapshots"]] == [shots[1].id, shots[0].id]
    assert body["snapshots"][1]["sha256"] == shots[0].sha256 and body["snapshots"][0]["outcome"] == "changed"
    assert "text" not in body["snapshots"][0]
    assert client.get(f"/api/v1/reports/{report.id}/snapshots").status_code == 401
    app = client.application
    with app.app_context():
        waiting = create_report(session, DESK, url="https://news.example/api-waiting")  # not taken by the worker yet
    body = client.get(f"/api/v1/reports/{waiting.id}/snapshots", headers=headers).get_json()
    assert (body["state"], body["url"], body["snapshots"]) == ("pending", waiting.url, [])
    app.config["ARCHIVE_ENABLED"] = False
    with app.app_context():
        other = create_report(session, DESK, url="https://news.example/api-never")  # filed while archiving was off
    app.config["ARCHIVE_ENABLED"] = True
    missing = client.get(f"/api/v1/reports/{other.id}/snapshots", headers=headers)
    assert missing.status_code == 404
    assert missing.get_json()["detail"] == f"Report #{other.id} ({other.url}) has not been archived yet."
    assert client.get("/api/v1/reports/999999/snapshots", headers=headers).status_code == 404
