"""Every API route against a reader (no token) and the desk (a token), built from ``app.url_map``.

Like the site's own access table: a new API route fails ``test_every_api_route_is_in_the_table``
until someone decides here whether readers may use it.
"""

from __future__ import annotations

import pytest

#: endpoint → "public" (readers may call it without a token) or "token".
ACCESS = {
    "api-claims.list_claims": "public",
    "api-claims.read_claim": "public",
    "api-claims.create": "token",
    "api-claims.update": "token",
    "api-history.list_changes": "public",
    "api-history.read_change": "public",
    "api-history.change": "token",
    "api-stances.list_stances": "public",
    "api-stances.read_stance": "public",
    "api-stances.link": "token",
    "api-stances.restance": "token",
    "api-stances.unlink": "token",
    "api-statements.retract": "token",
    "api-sources.merge": "token",
    "api-sources.list_sources": "token",
    "api-sources.read_source": "token",
    "api-sources.create": "token",
    "api-sources.update": "token",
    "api-reports.list_reports": "token",
    "api-reports.read_report": "token",
    "api-reports.create": "token",
    "api-reports.update": "token",
    "api-snapshots.list_snapshots": "token",
    "api-statements.list_statements": "token",
    "api-statements.read_statement": "token",
    "api-statements.create": "token",
    "api-statements.update": "token",
    "api-extract.extract": "token",
    "api-attachments.list_attachments": "public",
    "api-attachments.upload": "token",
    "api-attachments.download": "public",
    "api-attachments.set_public": "token",
    "api-public.badge": "public",
    "api-public.claimreview": "public",
    "api-reference.openapi": "public",
    "api-reference.docs": "public",
}


def _api_rules(app):
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/")]


def test_every_api_route_is_in_the_table(app) -> None:
    endpoints = {r.endpoint for r in _api_rules(app)}
    assert endpoints == ACCESS.keys()


@pytest.mark.parametrize("who", ["reader", "checker"])
def test_every_api_route_for_readers_and_the_desk(app, client, make, published, checker, who) -> None:
    claim = published(make.claim("It happened"))
    link = make.link(claim, make.source("NDS"), "asserts")
    values = {
        "claim_id": claim.id, "slug": claim.slug, "statement_id": link.statement_id,
        "source_id": link.statement.speaker_id, "report_id": 1, "change_id": claim.history[0].id,
        "attachment_id": 1,
    }
    headers = checker if who == "checker" else {}
    failures = []
    for rule in _api_rules(app):
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            code = client.open(url, method=method, json={} if method != "GET" else None, headers=headers).status_code
            refused = code == 401
            if code >= 500:
                failures.append(f"{method} {url}: {code}")
            elif who == "checker" and refused:
                failures.append(f"{method} {url}: refused a valid token")
            elif who == "reader" and refused != (method != "GET" or ACCESS[rule.endpoint] == "token"):
                failures.append(f"{method} {url}: {code} for a reader, table says {ACCESS[rule.endpoint]}")
    assert not failures, "\n".join(failures)
