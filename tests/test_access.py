"""Every route against every role, built from ``app.url_map``.

A route that is not in ACCESS fails ``test_every_route_is_in_the_table``: adding a page means
deciding, here, who may see it. Blueprints deny by default; this table is the proof.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from factcheck.demo import load_demo
from factcheck.models import Claim, ClaimStatement, Report, Source, User

ROLES = (None, "checker", "editor", "admin")
RANK = {None: 0, "checker": 1, "editor": 2, "admin": 3}

#: endpoint → the least role that may use it (None: everyone, readers included).
ACCESS: dict[str, str | None] = {
    "static": None,
    "public.index": None,
    "public.claims": None,
    "public.claim": None,
    "public.corrections": None,
    "public.methodology": None,
    "public.badge": None,
    "public.embed": None,
    "public.changes_feed": None,
    "public.claim_feed": None,
    "ops.healthz": None,
    "auth.login": None,
    "resubmit.sign_in_and_keep": None,
    "auth.logout": "checker",
    "auth.change_password": "checker",
    "checker.claims": "checker",
    "checker.similar": "checker",
    "checker.new_claim": "checker",
    "checker.claim": "checker",
    "checker.status": "checker",
    "checker.edit": "checker",
    "checker.stance": "checker",
    "checker.new_statement": "checker",
    "checker.sources": "checker",
    "checker.extract": "checker",
    "checker.extract_save": "checker",
    "checker.source": "checker",
    "checker.new_source": "checker",
    "checker.edit_source": "checker",
    "checker.merge_source": "editor",
    "checker.statement": "checker",
    "checker.edit_statement": "checker",
    "checker.retract": "checker",
    "checker.unlink": "checker",
    "checker.link_existing": "checker",
    "checker.report_archive": "checker",
    "checker.check_again": "checker",
    "checker.claim_archive": "checker",
    "checker.snapshot": "checker",
    "checker.snapshot_text": "checker",
    "checker.snapshot_raw": "checker",
    "checker.snapshot_diff": "checker",
    "checker.my_work": "checker",
    "checker.mark_read": "checker",
    "checker.preferences": "checker",
    "checker.add_note": "checker",
    "checker.edit_note": "checker",
    "checker.delete_note": "checker",
    "checker.watch": "checker",
    "checker.upload_attachment": "checker",
    "checker.attachment": "checker",
    "checker.attachment_public": "editor",
    "public.attachment": None,
    "editor.queue": "editor",
    "editor.dashboard": "editor",
    "editor.desk": "editor",
    "editor.publish": "editor",
    "editor.signoffs": "editor",
    "editor.approve": "editor",
    "editor.send_back": "editor",
    "editor.bulk": "editor",
    "editor.save_filter": "editor",
    "editor.delete_filter": "editor",
    "editor.review_details": "editor",
    "admin.users": "admin",
    "admin.create": "admin",
    "admin.update": "admin",
    "admin.audit_log": "admin",
    "admin.webhooks_page": "admin",
    "admin.register_webhook": "admin",
    "admin.webhook": "admin",
    "admin.deactivate_webhook": "admin",
    "admin.send_webhook_again": "admin",
}


def _rules(app):
    return [r for r in app.url_map.iter_rules() if not r.rule.startswith("/api/")]


def test_every_route_is_in_the_table(app) -> None:
    missing = sorted({r.endpoint for r in _rules(app)} - ACCESS.keys())
    assert not missing, f"routes with no access rule: {missing}; add them to ACCESS"
    stale = sorted(ACCESS.keys() - {r.endpoint for r in app.url_map.iter_rules()})
    assert not stale, f"ACCESS names routes that no longer exist: {stale}"


def _sample_values(session) -> dict[str, object]:
    claim = session.scalar(select(Claim).where(Claim.slug == "asim-umar-killed-in-musa-qala-raid"))
    link = session.scalar(select(ClaimStatement).where(ClaimStatement.claim_id == claim.id))
    return {
        "claim_id": claim.id, "link_id": link.id, "slug": claim.slug, "statement_id": link.statement_id,
        "signoff_id": 1,
        "source_id": session.scalar(select(Source.id)), "user_id": session.scalar(select(User.id)),
        "filename": "app.css", "webhook_id": 1, "attachment_id": 1,
        "report_id": session.scalar(select(Report.id)), "snapshot_id": 1,
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, client, session, make, login_as, role) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    load_demo(session)
    make.user("checker")  # a user to address in /admin/users/<id>
    if role:
        login_as(role)
    values = _sample_values(session)
    failures = []
    for rule in _rules(app):
        needed = ACCESS[rule.endpoint]
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            signing_in = rule.endpoint in ("auth.login", "resubmit.sign_in_and_keep") and method == "POST"
            if rule.endpoint == "auth.logout" or signing_in:
                continue  # these end or replace the session the matrix relies on (tested in test_auth)
            response = client.open(url, method=method)
            code, location = response.status_code, response.headers.get("Location", "")
            if code >= 500:
                failures.append(f"{method} {url}: {code}")
            elif RANK[role] >= RANK[needed]:
                if code in (401, 403) or "/login" in location and needed is not None:
                    failures.append(f"{method} {url} as {role}: refused ({code}) but allowed")
            elif role is None:
                # A page: to the sign-in page. A form sent without a sign-in: kept, with a
                # sign-in form beside it (factcheck.resubmit), never saved.
                kept = method == "POST" and code == 401 and "Nothing was saved yet" in response.get_data(as_text=True)
                if not (code == 302 and "/login" in location) and not kept:
                    failures.append(f"{method} {url} anonymous: {code}, expected a sign-in redirect or a kept form")
            elif code != 403:
                failures.append(f"{method} {url} as {role}: {code}, expected 403")
    assert not failures, "\n".join(failures)


def test_logout_requires_post(client, login_as) -> None:
    login_as("checker")
    assert client.get("/logout").status_code == 405
