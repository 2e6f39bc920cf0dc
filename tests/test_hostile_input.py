"""Hostile strings through every field a user can fill, then every output checked.

Every string in ``tests/hostile.py`` goes into the claim, its context and tags, a source's
name, anonymity reason and sealed identity, a statement, a report title, a status change's
reason, evidence and override — through the services (as the API and CLI do) and through the
HTML forms. Then every page, badge, embed, JSON-LD block, feed, export and API response is
fetched: no 500, no broken document, nothing unescaped, and the sealed identity nowhere public.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from factcheck.errors import DomainError
from factcheck.models import Claim
from factcheck.services import Actor
from factcheck.services.claims import create_claim, link_statement, set_published
from factcheck.services.sources import create_report, create_source, create_statement
from factcheck.services.status import change_status

from .conftest import csrf_token
from .hostile import DANGEROUS, HOSTILE

SEALED = "SEALED-IDENTITY-MARKER"
SYSTEM = Actor.system("test")


def _fits(value: str, limit: int) -> str:
    return value[:limit]


def _populate(session, payload: str) -> Claim | None:
    """Put ``payload`` everywhere; a refusal must be a clear domain error, nothing else."""
    try:
        with session.begin_nested():
            claim = create_claim(session, SYSTEM, text=_fits(payload, 2000) or "x", context=_fits(payload, 20_000),
                                 tags=[_fits(payload, 80)])
            anon = create_source(session, SYSTEM, name=_fits(payload, 300) or "x", kind="person", anonymous=True,
                                 anonymity_reason=_fits(payload, 2000) or "x", sealed_identity=SEALED)
            other = create_source(session, SYSTEM, name="Independent " + _fits(payload, 200), kind="media")
            report = create_report(session, SYSTEM, url="https://news.example/a?q=%3Cscript%3E",
                                   title=_fits(payload, 500), outlet_id=other.id)
            for source, stance in ((anon, "asserts"), (other, "asserts")):
                statement = create_statement(session, SYSTEM, speaker_id=source.id, text=_fits(payload, 50_000) or "x",
                                             kind="quote", report_id=report.id)
                link_statement(session, claim, statement, SYSTEM, stance=stance)
            change_status(session, claim, "in_review", _fits(payload, 10_000) or "x", SYSTEM, claim.version,
                          evidence=_fits(payload, 50_000))
            change_status(session, claim, "confirmed", _fits(payload, 10_000) or "x", SYSTEM, claim.version,
                          override_reason=_fits(payload, 10_000) or "x")
            set_published(session, claim, SYSTEM, published=True, expected_version=claim.version)
        return claim
    except DomainError:
        return None


class _Elements(HTMLParser):
    """Every start tag of a document, as a browser's tokenizer would see it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _check_markup(body: str, where: str) -> None:
    """No injected element or attribute: the payload stayed text."""
    for fragment in DANGEROUS:
        assert fragment not in body, f"{where}: unescaped {fragment!r}"
    parser = _Elements()
    parser.feed(body)
    for tag, attrs in parser.tags:
        assert tag not in ("img", "iframe", "object", "embed"), f"{where}: injected <{tag}>"
        if tag == "svg":  # only the dashboard's own server-drawn charts
            assert attrs.get("class") == "chart", f"{where}: injected <svg>"
        assert not any(a.startswith("on") for a in attrs), f"{where}: event attribute on <{tag}>"
        if tag == "script":
            assert attrs.get("type") == "application/ld+json" or (attrs.get("src") or "").startswith("/static/"), (
                f"{where}: unexpected script {attrs}")
        for attr in ("href", "src", "action"):
            assert not (attrs.get(attr) or "").strip().lower().startswith("javascript:"), f"{where}: javascript: URL"


def _check_xml(body: str, where: str) -> None:
    root = ET.fromstring(body.encode())  # well-formed, or this raises
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        assert tag != "script", f"{where}: a script element"
        assert not any(a.lower().startswith("on") for a in element.attrib), f"{where}: an event attribute"


def _jsonld_blocks(body: str) -> list[object]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, flags=re.S)
    return [json.loads(b) for b in blocks]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_strings_everywhere(app, client, session, make, login_as, name: str) -> None:
    payload = HOSTILE[name]
    claim = _populate(session, payload)
    login_as("editor")
    checker_form_fields(client, payload)

    if claim is None:
        assert "\x00" in payload, f"{name}: refused although it holds no NUL byte"
        return
    slug = claim.slug
    outputs = {
        "desk claim page": f"/desk/claims/{claim.id}",
        "desk list": "/desk/",
        "desk search": "/desk/?q=" + payload[:200],
        "queue": "/editor/queue?status=confirmed",
        "dashboard": "/editor/dashboard",
        "source page": f"/desk/sources/{claim.links[0].statement.speaker_id}",
        "audit": "/admin/audit",
    }
    for where, url in outputs.items():
        response = client.get(url)
        assert response.status_code in (200, 403), f"{where}: {response.status_code}"
        _check_markup(response.get_data(as_text=True), where)

    client.post("/logout", data={"csrf_token": csrf_token(client, "/desk/")})
    public = {
        "public claim": f"/claims/{slug}",
        "public list": "/claims",
        "public search": "/claims?q=" + payload[:200],
        "corrections": "/corrections",
        "embed": f"/embed/{slug}",
        "front page": "/",
    }
    for where, url in public.items():
        response = client.get(url)
        assert response.status_code == 200, f"{where}: {response.status_code}"
        body = response.get_data(as_text=True)
        _check_markup(body, where)
        assert SEALED not in body, f"{where}: sealed identity leaked"
        for block in _jsonld_blocks(body):
            assert block["claimReviewed"] == claim.text
    for where, url in {"badge": f"/badge/{slug}.svg", "changes feed": "/feeds/changes.atom",
                       "claim feed": f"/claims/{slug}/feed.atom"}.items():
        response = client.get(url)
        assert response.status_code == 200, f"{where}: {response.status_code}"
        body = response.get_data(as_text=True)
        _check_xml(body, where)
        assert SEALED not in body
    for where, url in {"badge json": f"/api/v1/claims/{slug}/badge", "claimreview feed": "/api/v1/claimreview",
                       "api claims": "/api/v1/claims", "api claim": f"/api/v1/claims/{claim.id}"}.items():
        response = client.get(url)
        assert response.status_code in (200, 404), f"{where}: {response.status_code}"
        data = response.get_json()
        assert data is not None, f"{where}: not JSON"
        assert SEALED not in json.dumps(data), f"{where}: sealed identity leaked"
    feed = client.get("/api/v1/claimreview").get_json()
    texts = [e.get("item", e).get("claimReviewed") for e in feed.get("dataFeedElement", [])]
    assert claim.text in texts
    exported = app.test_cli_runner().invoke(args=["claimreview", "export"])
    assert exported.exit_code == 0 and SEALED not in exported.output
    json.loads(exported.output)


def checker_form_fields(client, payload: str) -> None:
    """The same string typed into the HTML forms: a page back, never a 500."""
    token = csrf_token(client, "/desk/claims/new")
    response = client.post("/desk/claims/new", data={"csrf_token": token, "text": payload, "context": payload,
                                                     "tags": payload, "confirm_new": "1"})
    assert response.status_code in (302, 400, 422), response.status_code  # 400: a NUL byte, refused before any view
    _check_markup(response.get_data(as_text=True), "new claim form")
    created = response.headers.get("Location", "")
    if created:
        claim_id = int(created.rstrip("/").rsplit("/", 1)[1])
        response = client.post(f"/desk/claims/{claim_id}/statements/new", data={
            "csrf_token": token, "speaker": payload, "text": payload, "stance": "asserts", "kind": "quote",
            "anonymous": "1", "anonymity_reason": payload, "sealed_identity": payload, "report_url": payload,
            "report_title": payload, "outlet": payload, "relayed_by": payload, "said_on": payload})
        assert response.status_code in (302, 400, 422), response.status_code
        _check_markup(response.get_data(as_text=True), "statement form")
        response = client.post(f"/desk/claims/{claim_id}/status", data={
            "csrf_token": token, "to": payload, "reason": payload, "evidence": payload, "version": payload})
        assert response.status_code in (400, 422), response.status_code
        _check_markup(response.get_data(as_text=True), "status form")
    response = client.get("/desk/claims/similar?text=" + payload[:3000])
    assert response.status_code == (400 if "\x00" in payload else 200)
