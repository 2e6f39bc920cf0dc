"""Every change leaves its audit event: every state-changing route and CLI command.

Reproduced: the audit log had sign-ins, tokens, users and status changes only — claim edits,
stance changes, links, statements, publish/unpublish, assignment, priority and deadline left
no trace, and ``flask user create`` left none (the views wrote the audit rows). Now each
service writes its own event.

The lists below are built from ``app.url_map`` (every route answering POST, PUT, PATCH or
DELETE, HTML and API alike) and from the application's CLI commands: a new route or command
missing from them fails the test, so deciding how it is audited is part of adding it. Each
one is then run once, for real, and the database is compared before and after: a route that
changed any data must have written its events — naming who, when, what, and for an edit the
before and after values — and a read-only one must have changed nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from click import Group
from sqlalchemy import func, select

from factcheck.demo import load_demo
from factcheck.models import AuditEvent, Base, Claim, ClaimStatement, Source, Statement, User
from factcheck.services import Actor
from factcheck.services.sources import create_report
from factcheck.services.tokens import create_token
from tests.factories import PASSWORD
from tests.test_webhooks import hook_with_a_failed_event, registered_hook

#: Tables that are the log itself, or bookkeeping of who knocked (not the newsroom's data).
NOT_DATA = {"audit_events", "login_attempts", "rate_limit_counters"}
#: Columns that move on a read (a token's last use), not a change of data.
NOT_CHANGES = {("api_tokens", "last_used_at")}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def data_fingerprint(session) -> dict[str, str]:
    """A hash of every row of every data table, per table."""
    out = {}
    for table in Base.metadata.sorted_tables:
        if table.name in NOT_DATA:
            continue
        columns = [c for c in table.c if (table.name, c.name) not in NOT_CHANGES]
        rows = session.execute(select(*columns).order_by(*table.primary_key.columns)).all()
        out[table.name] = hashlib.sha256(json.dumps([list(r) for r in rows], default=str).encode()).hexdigest()
    return out


@dataclass
class Desk:
    """What the scenarios work on: the demo, a signed-in editor, an editor's API token."""

    client: Any
    session: Any
    make: Any
    api: dict[str, str]
    claim: Claim
    editor: User
    app: Any = None

    def link(self) -> ClaimStatement:
        return self.session.scalar(select(ClaimStatement).where(
            ClaimStatement.claim_id == self.claim.id, ClaimStatement.unlinked_at.is_(None)).order_by(ClaimStatement.id))

    def version(self) -> int:
        self.session.refresh(self.claim)
        return self.claim.version

    def source(self, name: str) -> Source:
        return self.make.source(name)

    def statement(self) -> Statement:
        return self.make.statement(self.source("Somebody"), "Something was said.")

    def waiting(self) -> tuple[int, int]:
        """A verdict waiting for sign-off (set by the desk itself, so anyone may approve it)."""
        from factcheck.services import signoff
        from factcheck.services.claims import create_claim, set_published
        from factcheck.services.status import change_status

        actor = Actor.system("test")
        claim = create_claim(self.session, actor, text="A verdict to sign off")
        set_published(self.session, claim, actor, published=True, expected_version=claim.version)
        change_status(self.session, claim, "in_review", "Checking.", actor, claim.version)
        signoff.DEFAULT = True  # (the services, called here without an application, read this)
        try:
            change_status(self.session, claim, "unproven", "Nobody can say.", actor, claim.version)
        finally:
            signoff.DEFAULT = False
        return claim.id, signoff.pending_for(self.session, claim.id).id

    def report(self) -> Any:
        return create_report(self.session, Actor.system("test"), url="https://news.example/to-edit")


#: endpoint → a request that changes data through it (HTML forms posted with their fields).
def _html(path: str, **data: Any) -> Callable[[Desk], Any]:
    return lambda d: d.client.post(path.format(d=d), data=data)


def _own_note(d: Desk) -> int:
    """A note the signed-in editor wrote a moment ago (inserted as is: no event of its own)."""
    from factcheck.models import Note, utcnow

    note = Note(claim_id=d.claim.id, author_id=d.editor.id, body="Called the ministry.", created_at=utcnow())
    d.session.add(note)
    d.session.flush()
    return note.id


def _notice(d: Desk) -> int:
    """An unread notification of the signed-in editor (inserted as is: no event of its own)."""
    from factcheck.models import Notification, utcnow

    notice = Notification(user_id=d.editor.id, claim_id=d.claim.id, kind="mention", text="Look.", created_at=utcnow())
    d.session.add(notice)
    d.session.flush()
    return notice.id


#: A small PDF, for the evidence-file scenarios.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _attachment(d: Desk) -> int:
    """A private evidence file of the claim (inserted as is: no event of its own)."""
    from factcheck.models import Attachment, utcnow

    row = Attachment(claim_id=d.claim.id, sha256="0" * 64, size=len(PDF), content_type="application/pdf",
                     filename="memo.pdf", description="", public=False, via="web", added_at=utcnow())
    d.session.add(row)
    d.session.flush()
    return row.id


def _archived_report(d: Desk) -> int:
    """A report archived a while ago, next checked tomorrow (as the worker leaves it)."""
    from datetime import timedelta

    from sqlalchemy import update

    from factcheck.models import ArchivedUrl, utcnow

    report = d.report()
    d.session.execute(update(ArchivedUrl).where(ArchivedUrl.url == report.url)
                      .values(next_check_at=utcnow() + timedelta(days=1)))
    d.session.flush()
    return report.id


def _saved_filter(d: Desk) -> int:
    """A saved filter of the signed-in editor, beside another (inserted as is: no event of
    their own; the other one stays, so that deleting the first leaves the table changed)."""
    from factcheck.models import SavedFilter

    saved = [SavedFilter(user_id=d.editor.id, name=name, page="editor.queue", query="q=raid")
             for name in ("Old view", "Kept view")]
    d.session.add_all(saved)
    d.session.flush()
    return saved[0].id


SCENARIOS: dict[str, Callable[[Desk], Any]] = {
    "auth.login": lambda d: d.client.post("/login", data={"email": d.editor.email, "password": PASSWORD}),
    "resubmit.sign_in_and_keep": lambda d: d.client.post("/resubmit/sign-in", data={
        "email": d.editor.email, "password": PASSWORD, "_resubmit_to": "/desk/", "reason": "Kept."}),
    "auth.logout": lambda d: d.client.post("/logout"),
    "auth.change_password": lambda d: d.client.post("/account/password", data={
        "current": PASSWORD, "new": "another long passphrase", "confirm": "another long passphrase"}),
    "checker.new_claim": _html("/desk/claims/new", text="A brand new claim about tides", confirm_new="1"),
    "checker.status": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/status", data={
        "to": "in_review", "reason": "Looking again.", "note": "Call the office.", "version": d.version()}),
    "checker.edit": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/edit", data={
        "text": d.claim.text + " (as reported)", "reason": "More precise.", "context": "Context.",
        "tags": "a, b", "version": d.version()}),
    "checker.stance": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/links/{d.link().id}/stance", data={
        "stance": "mentions", "version": d.version()}),
    "checker.unlink": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/links/{d.link().id}/unlink", data={
        "reason": "Linked by mistake.", "version": d.version()}),
    "checker.new_statement": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/statements/new", data={
        "speaker": "A new speaker", "text": "Brand new words.", "kind": "paraphrase", "stance": "mentions"}),
    "checker.link_existing": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/links", data={
        "statement_id": d.statement().id, "stance": "mentions"}),
    "checker.extract_save": lambda d: d.client.post("/desk/extract/save", data={
        "url": "https://news.example/extracted", "title": "Extracted", "article": "Text.", "count": "1",
        "keep-0": "1", "speaker-0": "Extracted Speaker", "text-0": "Extracted words.", "stance-0": "mentions",
        "claim": f"x · #{d.claim.id}"}),
    "checker.new_source": _html("/desk/sources/new", name="A new body", kind="organisation"),
    "checker.edit_source": lambda d: (lambda s: d.client.post(f"/desk/sources/{s.id}/edit", data={
        "name": "Renamed body", "kind": "organisation", "version": s.version}))(d.source("Old body")),
    "checker.merge_source": lambda d: (lambda a, b: d.client.post(f"/desk/sources/{a.id}/merge", data={
        "survivor": f"{b.name} · #{b.id}", "reason": "The same office."}))(d.source("OCHA"), d.source("UN OCHA")),
    "checker.edit_statement": lambda d: (lambda s: d.client.post(f"/desk/statements/{s.id}/edit", data={
        "text": "Something else was said.", "kind": "quote", "version": s.version}))(d.statement()),
    "checker.retract": lambda d: (lambda s: d.client.post(f"/desk/statements/{s.id}/retract", data={
        "reason": "Entered twice.", "version": s.version}))(d.statement()),
    "checker.add_note": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/notes", data={
        "body": f"Called the ministry, see https://news.example/x @[{d.editor.name}]"}),
    "checker.edit_note": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/notes/edit", data={
        "note": _own_note(d), "body": "Called the ministry twice."}),
    "checker.delete_note": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/notes/delete", data={
        "note": _own_note(d)}),
    "checker.watch": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/watch", data={"watching": "1"}),
    "checker.check_again": lambda d: d.client.post(f"/desk/reports/{_archived_report(d)}/archive/check"),
    "checker.upload_attachment": lambda d: d.client.post(f"/desk/claims/{d.claim.id}/attachments", data={
        "file": (io.BytesIO(PDF), "memo.pdf"), "description": "The ministry's memo."}, content_type="multipart/form-data"),
    "checker.attachment_public": lambda d: d.client.post(
        f"/desk/claims/{d.claim.id}/attachments/{_attachment(d)}/public", data={"public": "1"}),
    "api-attachments.upload": lambda d: d.client.post(f"/api/v1/claims/{d.claim.id}/attachments", headers=d.api, data={
        "file": (io.BytesIO(PDF), "memo.pdf")}, content_type="multipart/form-data"),
    "api-attachments.set_public": lambda d: d.client.post(
        f"/api/v1/claims/{d.claim.id}/attachments/{_attachment(d)}/public", headers=d.api, json={"public": True}),
    "checker.mark_read": lambda d: d.client.post("/desk/my-work/read", data={"notification": _notice(d)}),
    "checker.preferences": lambda d: d.client.post("/desk/preferences", data={"email_now": "1"}),
    "editor.desk": lambda d: d.client.post(f"/editor/claims/{d.claim.id}/desk", data={
        "assignee_id": d.editor.id, "priority": "3", "deadline": "2030-01-01T10:00", "version": d.version()}),
    "editor.publish": lambda d: d.client.post(f"/editor/claims/{d.claim.id}/publish", data={
        "published": "0", "version": d.version()}),
    "editor.approve": lambda d: (lambda ids: d.client.post(f"/editor/claims/{ids[0]}/signoffs/{ids[1]}/approve",
                                                           data={"note": "Fine."}))(d.waiting()),
    "editor.send_back": lambda d: (lambda ids: d.client.post(f"/editor/claims/{ids[0]}/signoffs/{ids[1]}/return",
                                                             data={"note": "Not yet."}))(d.waiting()),
    "editor.bulk": lambda d: d.client.post("/editor/queue/bulk", data={
        "pick": f"{d.claim.id}:{d.version()}", "action": "tag", "tag": "bulk-tagged"}),
    "editor.save_filter": _html("/editor/filters?q=raid&contested=1", name="Contested raids"),
    "editor.delete_filter": lambda d: d.client.post("/editor/filters/delete", data={"filter_id": _saved_filter(d)}),
    "editor.review_details": lambda d: d.client.post(f"/editor/claims/{d.claim.id}/review", data={
        "version": d.version(), "claimant": "", "appearance_url": "https://news.example/where", "explanation": "Why."}),
    "admin.create": _html("/admin/users", email="new.person@example.org", password="a long enough password",
                          role="checker", name="New Person"),
    "admin.update": lambda d: (lambda u: d.client.post(f"/admin/users/{u.id}", data={
        "action": "role", "role": "editor"}))(d.make.user("checker")),
    "admin.register_webhook": _html("/admin/webhooks", url="https://hooks.example.org/factcheck",
                                    events="claim.status"),
    "admin.deactivate_webhook": lambda d: d.client.post(f"/admin/webhooks/{registered_hook(d.session).id}/deactivate"),
    "admin.send_webhook_again": lambda d: d.client.post(
        f"/admin/webhooks/{hook_with_a_failed_event(d.session).id}/send-again"),
    "api-claims.create": lambda d: d.client.post("/api/v1/claims", headers=d.api, json={"text": "API claim"}),
    "api-claims.update": lambda d: d.client.patch(f"/api/v1/claims/{d.claim.id}", headers=d.api, json={
        "priority": 3, "tags": ["x"], "version": d.version()}),
    "api-history.change": lambda d: d.client.post(f"/api/v1/claims/{d.claim.id}/status", headers=d.api, json={
        "to": "in_review", "reason": "API.", "version": d.version()}),
    "api-sources.create": lambda d: d.client.post("/api/v1/sources", headers=d.api, json={
        "name": "API body", "kind": "organisation"}),
    "api-sources.update": lambda d: (lambda s: d.client.patch(f"/api/v1/sources/{s.id}", headers=d.api, json={
        "description": "Edited."}))(d.source("API edited")),
    "api-sources.merge": lambda d: (lambda a, b: d.client.post(f"/api/v1/sources/{a.id}/merge", headers=d.api, json={
        "into": b.id, "reason": "Same."}))(d.source("API dup"), d.source("API original")),
    "api-reports.create": lambda d: d.client.post("/api/v1/reports", headers=d.api, json={
        "url": "https://news.example/api-report"}),
    "api-reports.update": lambda d: d.client.patch(f"/api/v1/reports/{d.report().id}", headers=d.api, json={
        "title": "Retitled"}),
    "api-statements.create": lambda d: d.client.post("/api/v1/statements", headers=d.api, json={
        "speaker_id": d.source("API speaker").id, "text": "API words.", "kind": "quote"}),
    "api-statements.update": lambda d: d.client.patch(f"/api/v1/statements/{d.statement().id}", headers=d.api,
                                                      json={"text": "API words, edited."}),
    "api-statements.retract": lambda d: d.client.post(f"/api/v1/statements/{d.statement().id}/retract",
                                                      headers=d.api, json={"reason": "Wrong."}),
    "api-stances.link": lambda d: d.client.post(f"/api/v1/claims/{d.claim.id}/statements", headers=d.api, json={
        "statement_id": d.statement().id, "stance": "mentions"}),
    "api-stances.restance": lambda d: d.client.patch(
        f"/api/v1/claims/{d.claim.id}/statements/{d.link().statement_id}", headers=d.api,
        json={"stance": "mentions", "version": d.version()}),
    "api-stances.unlink": lambda d: d.client.post(
        f"/api/v1/claims/{d.claim.id}/statements/{d.link().statement_id}/unlink", headers=d.api,
        json={"reason": "Wrong link.", "version": d.version()}),
}
#: Routes that answer a POST without changing data (a preview).
READ_ONLY = {
    "checker.extract": _html("/desk/extract", url="https://news.example/a", article="He said it rained."),
    "editor.queue": lambda d: d.client.post("/editor/queue?sort=age", data={"pick": f"{d.claim.id}:{d.version()}"}),
    "api-extract.extract": lambda d: d.client.post("/api/v1/extract", headers=d.api, json={"text": "He said so."}),
}
#: Signing in changes no data, but is audited all the same.
SIGN_IN = {"auth.login", "resubmit.sign_in_and_keep"}
#: How many events a route's one request writes, where it is not one: each thing created or
#: changed has its own.
EVENTS = {
    "checker.new_statement": 3,  # the new speaker, the statement, its link
    "checker.extract_save": 4,  # the report, the new speaker, the statement, its link
}


def _write_rules(app) -> dict[str, set[str]]:
    rules: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods = (rule.methods or set()) & WRITE_METHODS
        if methods:
            rules.setdefault(rule.endpoint, set()).update(methods)
    return rules


def test_every_state_changing_route_is_listed(app) -> None:
    listed = set(SCENARIOS) | set(READ_ONLY)
    routes = set(_write_rules(app))
    assert not routes - listed, f"routes that may change data with no audit scenario: {sorted(routes - listed)}"
    assert not listed - routes, f"scenarios for routes that no longer exist: {sorted(listed - routes)}"


@pytest.fixture
def desk(app, client, session, make) -> Desk:
    app.config["WTF_CSRF_ENABLED"] = False
    load_demo(session)
    editor = make.user("admin")  # an admin may do everything an editor may, and run the admin pages
    session.flush()
    _token, secret = create_token(session, editor, Actor.system("test"))
    session.flush()
    assert client.post("/login", data={"email": editor.email, "password": PASSWORD}).status_code == 302
    claim = session.scalar(select(Claim).where(Claim.slug == "asim-umar-killed-in-musa-qala-raid"))
    return Desk(client, session, make, {"Authorization": f"Bearer {secret}"}, claim, editor, app)


@pytest.mark.parametrize("endpoint", sorted(SCENARIOS))
def test_every_change_leaves_its_audit_events(desk, endpoint) -> None:
    session = desk.session
    if endpoint in SIGN_IN:
        desk.client.post("/logout")
    # What the scenario prepares (a source to edit, a statement to retract) is set up first.
    before_events = session.scalar(select(func.max(AuditEvent.id))) or 0
    before = data_fingerprint(session)
    response = SCENARIOS[endpoint](desk)
    session.expire_all()
    assert response.status_code < 400, (endpoint, response.status_code, response.get_data(as_text=True)[:800])
    after = data_fingerprint(session)
    changed = [name for name in after if after[name] != before[name]]
    assert changed or endpoint in SIGN_IN, f"{endpoint}: the scenario changed nothing"
    events = session.scalars(select(AuditEvent).where(AuditEvent.id > before_events).order_by(AuditEvent.id)).all()
    prepared = [e for e in events if e.actor_id is None and e.actor_label == "test"]  # the scenario's own set-up
    events = [e for e in events if e not in prepared]
    assert events, f"{endpoint} changed {changed} and left no audit event"
    assert len(events) == EVENTS.get(endpoint, 1), (endpoint, [e.action for e in events])
    for event in events:
        assert event.action and event.at is not None
        assert event.actor_id == desk.editor.id or event.actor_label, (endpoint, event.action)
        if event.action.endswith((".edit", ".stance", ".publish", ".unpublish", ".status", ".role")):
            assert event.changes and all(len(pair) == 2 and pair[0] != pair[1] for pair in event.changes.values()), \
                (endpoint, event.action, event.changes)


@pytest.mark.parametrize("endpoint", sorted(READ_ONLY))
def test_read_only_posts_change_nothing(desk, endpoint) -> None:
    before = data_fingerprint(desk.session)
    response = READ_ONLY[endpoint](desk)
    assert response.status_code < 400, response.get_data(as_text=True)[:500]
    desk.session.expire_all()
    assert data_fingerprint(desk.session) == before


def _commands(group: Group, prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    out = {}
    for name, command in group.commands.items():
        if isinstance(command, Group):
            out.update(_commands(command, prefix + (name,)))
        else:
            out[" ".join(prefix + (name,))] = command
    return out


#: CLI command → arguments (and input) that change data; checked like the routes.
CLI_WRITES: dict[str, tuple[list[str], str | None, int]] = {
    "user create": (["user", "create", "cli.person@example.org", "--password-stdin"], "a long enough password\n", 1),
    "demo": (["demo"], None, 0),  # filled below: one event per thing the demo enters
    "token create": (["token", "create", "{editor}", "--name", "CLI"], None, 1),
    "token revoke": (["token", "revoke", "{token}"], None, 1),
    "claimreview import": (["claimreview", "import", "{feed}"], None, 0),
    "user set-role": (["user", "set-role", "{editor}", "admin"], None, 1),
    "user unlock": (["user", "unlock", "{editor}"], None, 1),
    "archive backfill": (["archive", "backfill"], None, 1),
}
#: Commands that change no data (or the schema only, or the whole database: ``restore``,
#: audited in tests/test_backup.py on a database that really commits).
CLI_READ_ONLY = {"db upgrade", "extract", "claimreview export", "token list", "backup", "restore", "check-files",
                 "openapi print", "openapi write", "openapi list-config-prefixes"}


def test_every_cli_command_is_listed(app) -> None:
    commands = set(_commands(app.cli)) - {"routes", "run", "shell"}
    listed = set(CLI_WRITES) | CLI_READ_ONLY
    assert commands == listed, (sorted(commands - listed), sorted(listed - commands))


@pytest.mark.parametrize("command", sorted(CLI_WRITES))
def test_every_cli_write_leaves_its_audit_events(app, session, make, tmp_path, command) -> None:
    editor = make.user("editor")
    token, _secret = create_token(session, editor, Actor.system("test"))
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"@type": "ClaimReview", "url": "https://checks.example/cli",
                                "claimReviewed": "The river froze in July.", "reviewRating": {"alternateName": "False"},
                                "author": {"@type": "Organization", "name": "Checkers"}}), encoding="utf-8")
    if command == "user unlock":  # something to unlock: a failed sign-in at the editor's account
        from factcheck.services.signin import Throttle, sign_in

        sign_in(session, editor.email, "not the password at all", "203.0.113.9", Throttle.from_config(app.config))
    if command == "archive backfill":  # something to archive: a report filed while archiving was off
        app.config["ARCHIVE_ENABLED"] = False
        with app.app_context():
            create_report(session, Actor.system("test"), url="https://news.example/filed-before-archiving")
        app.config["ARCHIVE_ENABLED"] = True
    session.flush()
    args, stdin, expected = CLI_WRITES[command]
    args = [a.format(editor=editor.email, token=token.id, feed=feed) for a in args]
    before_events = session.scalar(select(func.max(AuditEvent.id))) or 0
    before = data_fingerprint(session)
    result = app.test_cli_runner().invoke(args=args, input=stdin)
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert data_fingerprint(session) != before, f"{command}: changed nothing"
    events = session.scalars(select(AuditEvent).where(AuditEvent.id > before_events)).all()
    assert events, f"{command} changed data and left no audit event"
    if expected:
        assert len(events) == expected, [e.action for e in events]
    for event in events:
        assert event.action and event.at is not None and (event.actor_id or event.actor_label)
