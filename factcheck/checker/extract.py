"""Paste an article, review the statements the extractor proposes, save them in one step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth import current_actor
from ..db import get_session
from ..errors import DomainError, ValidationError
from ..extraction import extract_statements
from ..forms import form_bool
from ..models import UNRESOLVED, Claim, Source, SourceKind, Stance
from ..services.intake import ReportInput, StatementInput, save_statements
from ..services.validation import clean_text
from . import bp
from .statements import source_choices

MAX_ARTICLE = 500_000
_ID_SUFFIX = re.compile(r"#(\d+)\s*$")


@dataclass
class Proposal:
    """One row of the review table, as shown and as typed back."""

    keep: bool
    speaker: str
    text: str
    stance: str
    direct: bool
    anonymous: bool
    anonymity_reason: str
    relayed_by: str
    cue: str = ""
    start: int | None = None


def _known_names(session: Session, names: set[str]) -> dict[str, Source]:
    """Existing sources whose name matches a proposed speaker exactly (to merge, not duplicate)."""
    if not names:
        return {}
    found: dict[str, list[Source]] = {}
    for source in session.scalars(select(Source).where(func.lower(Source.name).in_(sorted(names)))):
        found.setdefault(source.name.lower(), []).append(source)
    return {name: sources[0] for name, sources in found.items() if len(sources) == 1}


def _proposals_from_text(session: Session, text: str) -> list[Proposal]:
    extracted = extract_statements(text)
    known = _known_names(session, {e.speaker.lower() for e in extracted} | {(e.relayed_by or "").lower() for e in extracted} - {""})

    def label(name: str | None) -> str:
        if not name:
            return ""
        source = known.get(name.lower())
        return f"{source.name} · #{source.id}" if source else name

    return [
        Proposal(keep=True, speaker=label(e.speaker), text=e.text, stance=e.stance, direct=e.direct,
                 anonymous=e.anonymous, anonymity_reason=e.anonymity_reason or "",
                 relayed_by=label(e.relayed_by), cue=e.cue, start=e.start)
        for e in extracted
    ]


def _proposals_from_form(form: Any) -> list[Proposal]:
    try:
        count = min(int(form.get("count", "0")), 1000)
    except ValueError:
        count = 0
    return [
        Proposal(
            keep=form_bool(form, f"keep-{i}"), speaker=form.get(f"speaker-{i}", ""), text=form.get(f"text-{i}", ""),
            stance=form.get(f"stance-{i}", "asserts"), direct=form_bool(form, f"direct-{i}"),
            anonymous=form_bool(form, f"anonymous-{i}"), anonymity_reason=form.get(f"anonymity_reason-{i}", ""),
            relayed_by=form.get(f"relayed_by-{i}", ""), cue=form.get(f"cue-{i}", ""),
        )
        for i in range(count)
    ]


def _render(form: Any, proposals: list[Proposal] | None, error: DomainError | None = None, status: int = 200) -> Any:
    session = get_session()
    claims = session.scalars(
        select(Claim).where(Claim.status.in_(sorted(UNRESOLVED))).order_by(Claim.id.desc()).limit(200)
    ).all()
    return render_template(
        "checker/extract.html", form=form, proposals=proposals, error=error, stances=list(Stance),
        sources=source_choices(session), claims=claims, kinds=list(SourceKind),
    ), status


@bp.route("/extract", methods=["GET", "POST"])
def extract() -> Any:
    """Step 1: the article. Step 2 (POST): the proposals to review."""
    if request.method == "GET":
        return _render({}, None)
    form = request.form
    try:
        text = clean_text(form.get("article", ""), "article", max_length=MAX_ARTICLE, strip=False)
    except ValidationError as error:
        return _render(form, None, error, error.status_code)
    return _render(form, _proposals_from_text(get_session(), text))


def _claim_id(value: str) -> int | None:
    match = _ID_SUFFIX.search(value or "")
    return int(match.group(1)) if match else None


@bp.post("/extract/save")
def extract_save() -> Any:
    """Step 3: everything kept, in one transaction."""
    session = get_session()
    form = request.form
    proposals = _proposals_from_form(form)
    claim_field = (form.get("claim") or "").strip()
    try:
        claim_id = _claim_id(claim_field)
        if claim_field and claim_id is None and not form.get("new_claim", "").strip():
            raise ValidationError("Pick the claim from the list (it ends with its #id), or phrase a new claim.",
                                  {"claim": "not picked from the list"})
        result = save_statements(
            session, current_actor(),
            report=ReportInput(url=form.get("url", ""), title=form.get("title", ""), outlet=form.get("outlet", ""),
                               text=form.get("article") or None),
            statements=[
                StatementInput(speaker=p.speaker, text=p.text, stance=p.stance, direct=p.direct,
                               anonymous=p.anonymous, anonymity_reason=p.anonymity_reason or None,
                               speaker_kind=form.get(f"kind-{i}") or SourceKind.PERSON,
                               relayed_by=p.relayed_by or None)
                for i, p in enumerate(proposals) if p.keep
            ],
            claim_id=claim_id,
            new_claim_text=form.get("new_claim") if claim_id is None else None,
        )
    except DomainError as error:
        session.rollback()
        return _render(form, proposals, error, error.status_code)
    flash(f"Saved {result.statements} statement{'s' if result.statements != 1 else ''} "
          f"({result.new_sources} new source{'s' if result.new_sources != 1 else ''}).", "info")
    return redirect(url_for("checker.claim", claim_id=result.claim.id))
