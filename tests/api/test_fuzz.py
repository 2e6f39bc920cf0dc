"""Schemathesis against the in-process application's own OpenAPI document.

Every operation of the document gets generated requests — valid ones and deliberately invalid
ones — sent with an editor's token (so that writes are exercised, not just refused), and every
response must be no server error and must match the document. Bounded (examples per operation,
no deadline, derandomized so that CI is reproducible) to stay well under a minute per database.
For a longer hunt, ``FACTCHECK_FUZZ_EXAMPLES=500 FACTCHECK_FUZZ_RANDOM=1`` explores afresh.

Schemathesis' own pytest integration is not used: it reaches into pytest internals that pytest
9.2 no longer has. Its Python API (a Hypothesis strategy per operation) is stable, and the
operations are parametrized here from the document itself, so a new route is fuzzed as soon as
it is documented — and ``test_openapi`` insists that every route is.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config import TestingConfig
from factcheck import create_app
from factcheck.models import Role
from factcheck.services import Actor
from factcheck.services.sources import create_report

MAX_EXAMPLES = int(os.environ.get("FACTCHECK_FUZZ_EXAMPLES", "25"))
DERANDOMIZE = os.environ.get("FACTCHECK_FUZZ_RANDOM") != "1"
CHECKS = [not_a_server_error, response_schema_conformance]


def _operation_labels() -> list[str]:
    """``METHOD /path`` of every documented operation (the document needs no database)."""
    doc = create_app(TestingConfig()).test_client().get("/api/v1/openapi.json").get_json()
    return [f"{method.upper()} {path}" for path, item in doc["paths"].items() for method in item if method != "parameters"]


@pytest.fixture
def existing(app, session, make, published) -> dict[str, object]:
    """Rows to find — a published claim with statements, sources and a report — by path parameter."""
    app.config["API_WRITE_RATE_LIMIT"] = "1000000/minute"
    claim = published(make.claim("Asim Umar was killed in Musa Qala", tags=["aqis"]))
    report = create_report(session, Actor.system("test"), url="https://www.samaa.tv/news/asim-umar", text="Body")
    link = make.link(claim, make.source("NDS", kind="government"), "asserts")
    make.link(claim, make.source("An official", kind="person", anonymous=True, anonymity_reason="Not authorised",
                                 sealed_identity="Major X"), "unconfirmed")
    return {
        "claim_id": claim.id, "slug": claim.slug, "statement_id": link.statement_id,
        "source_id": link.statement.speaker_id, "report_id": report.id, "change_id": claim.history[0].id,
        "attachment_id": 1,
    }


@pytest.mark.parametrize("label", _operation_labels())
def test_api_never_fails_and_keeps_its_word(app, existing, bearer, label) -> None:
    headers = bearer(Role.EDITOR)
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app).find_operation_by_label(label)
    assert operation is not None
    strategies = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    names = {p.name for p in operation.path_parameters}
    if names:
        # Random ids seldom name a row; half the valid requests aim at rows that exist.
        known = {name: existing[name] for name in names}
        strategies += [operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known)] * 2
    cases = st.one_of(strategies)

    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=DERANDOMIZE, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def check(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    check()
