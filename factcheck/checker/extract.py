"""Paste an article, review the statements the extractor proposes, save them in one step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import current_actor
from ..db import get_session
from ..errors import DomainError, ValidationError
from ..extraction import MAX_ARTICLE, TIME_BUDGET
from ..extraction import extract as extract_text
from ..extraction.affiliation import proposals_for
from ..webforms import read, worded
from ..models import UNRESOLVED, Claim, Source, SourceKind, Stance
from ..services.intake import ReportInput, StatementInput, recorded_statements, save_statements
from ..services.sources import sources_named
from ..services.validation import MAX_ID, clean_text, http_url
from . import bp
from .forms import ArticleForm, ProposalRow, ReviewForm
from .statements import source_choices

_ID_SUFFIX = re.compile(r"#(\d+)\s*$")


@dataclass
class Proposal:
    """One row of the review table, as shown and as typed back."""

    keep: bool
    speaker: str
    text: str
    #: Toward the chosen claim: ``mentions`` until the checker picks one.
    stance: str
    direct: bool
    anonymous: bool
    anonymity_reason: str
    relayed_by: str
    cue: str = ""
    start: int | None = None
    #: What the words themselves suggest (the extractor's cue: "denies" for a denial verb),
    #: shown beside the stance as a hint, never applied by itself.
    cue_stance: str = ""
    #: The stance toward the claim chosen before the extraction, as proposed (``stance``
    #: starts as this; the checker accepts or changes it). Empty when no claim was chosen.
    proposed_stance: str = ""
    #: The body a new speaker belongs to, proposed from the text or typed.
    affiliation: str = ""
    #: A known speaker's affiliation as recorded (shown, not editable here).
    known_affiliation: str = ""
    #: The statement already recorded with these words, from this report (not entered twice).
    recorded_id: int | None = None


def _known_names(session: Session, names: set[str]) -> dict[str, Source]:
    """Existing sources a proposed name means unambiguously (by name or alias), to reuse them."""
    found = sources_named(session, names)
    unique = {key: matches[0].id for key, matches in found.items() if len(matches) == 1}
    if not unique:
        return {}
    by_id = {s.id: s for s in session.scalars(select(Source).where(Source.id.in_(sorted(set(unique.values())))))}
    return {key: by_id[source_id] for key, source_id in unique.items()}


def _chosen_claim_text(session: Session, picked: str, new_claim: str) -> str | None:
    """The words of the claim chosen before the extraction: an existing claim picked from the
    list (its "#id"), else a new claim's text, else ``None``."""
    claim_id = _claim_id(picked)
    if claim_id is not None:
        claim = session.get(Claim, claim_id)
        if claim is not None:
            return claim.text
    new_claim = (new_claim or "").strip()
    return new_claim[:2_000] or None


def _proposals_from_text(session: Session, text: str, url: str,
                         claim: str | None = None) -> tuple[list[Proposal], str | None]:
    """The proposals of ``text``, and the extractor's notice (the text was cut at the time
    budget, or is not English) if any. With a ``claim``, each proposal's stance is the one
    proposed toward it (else ``mentions``, until the checker picks one)."""
    extraction = extract_text(text, time_budget=current_app.config.get("EXTRACTION_TIME_BUDGET", TIME_BUDGET),
                              claim=claim)
    extracted = extraction.statements
    known = _known_names(session, {e.speaker.lower() for e in extracted} | {(e.relayed_by or "").lower() for e in extracted} - {""})
    affiliations = proposals_for(text, extracted)

    def label(name: str | None) -> str:
        if not name:
            return ""
        source = known.get(name.lower())
        return f"{source.name} · #{source.id}" if source else name

    def affiliation_label(name: str | None) -> str:
        if not name:
            return ""
        found = _known_names(session, {name.lower()}).get(name.lower())
        return f"{found.name} · #{found.id}" if found else name

    proposals = []
    for e, proposed in zip(extracted, affiliations, strict=True):
        source = known.get(e.speaker.lower())
        proposals.append(Proposal(
            keep=True, speaker=label(e.speaker), text=e.text, stance=e.claim_stance or Stance.MENTIONS.value,
            direct=e.direct, anonymous=e.anonymous, anonymity_reason=e.anonymity_reason or "",
            relayed_by=label(e.relayed_by), cue=e.cue, start=e.start, cue_stance=e.stance,
            proposed_stance=e.claim_stance or "",
            affiliation="" if source is not None else affiliation_label(proposed),
            known_affiliation=source.affiliation.name if source is not None and source.affiliation else "",
        ))
    return _mark_recorded(session, url, proposals), extraction.notice


def _mark_recorded(session: Session, url: str, proposals: list[Proposal]) -> list[Proposal]:
    """Mark the proposals already recorded from this report: they are not entered twice (the
    save links the recorded statement, or leaves it if the claim has it)."""
    try:
        clean = http_url(url, "url") or ""
    except ValidationError:
        return proposals
    for proposal, found in zip(proposals, recorded_statements(
            session, clean, [(p.speaker, p.text) for p in proposals]), strict=True):
        proposal.recorded_id = found.id if found is not None else None
    return proposals


def _proposals_from_form(rows: list[ProposalRow]) -> list[Proposal]:
    return [
        Proposal(
            keep=row.keep.data, speaker=row.speaker.data, text=row.text.data,
            stance=row.stance.data or Stance.MENTIONS.value, direct=row.direct.data, anonymous=row.anonymous.data,
            anonymity_reason=row.anonymity_reason.data, relayed_by=row.relayed_by.data, cue=row.cue.data,
            cue_stance=row.cue_stance.data, proposed_stance=_stance_or_blank(request.form.get(f"proposed_stance-{i}")),
            affiliation=row.affiliation.data,
            known_affiliation=row.known_affiliation.data, recorded_id=row.recorded.data,
        )
        for i, row in enumerate(rows)
    ]


def _stance_or_blank(value: str | None) -> str:
    """A stance value echoed back by the review form, or "" (the hint is shown, never trusted)."""
    return value if value in {s.value for s in Stance} else ""


def _render(form: Any, proposals: list[Proposal] | None, error: DomainError | None = None, status: int = 200,
            notice: str | None = None) -> Any:
    session = get_session()
    claims = session.scalars(
        select(Claim).where(Claim.status.in_(sorted(UNRESOLVED))).order_by(Claim.id.desc()).limit(200)
    ).all()
    return render_template(
        "checker/extract.html", form=form, proposals=proposals, error=error, notice=notice, stances=list(Stance),
        sources=source_choices(session), claims=claims, kinds=list(SourceKind),
    ), status


@bp.route("/extract", methods=["GET", "POST"])
def extract() -> Any:
    """Step 1: the article. Step 2 (POST): the proposals to review."""
    if request.method == "GET":
        return _render({}, None)
    try:
        form = read(ArticleForm)
        text = clean_text(form.article.data, "article", max_length=MAX_ARTICLE, strip=False)
    except ValidationError as error:
        return _render(request.form, None, worded(error, ArticleForm), error.status_code)
    session = get_session()
    claim = _chosen_claim_text(session, request.form.get("claim", ""), request.form.get("new_claim", ""))
    proposals, notice = _proposals_from_text(session, text, form.url.data, claim)
    return _render(request.form, proposals, notice=notice)


def _claim_id(value: str) -> int | None:
    match = _ID_SUFFIX.search(value or "")
    if not match or len(match.group(1)) > 10 or int(match.group(1)) > MAX_ID:
        return None
    return int(match.group(1))


@bp.post("/extract/save")
def extract_save() -> Any:
    """Step 3: everything kept, in one transaction."""
    session = get_session()
    proposals: list[Proposal] = []
    try:
        form = read(ReviewForm)
        rows = ProposalRow.rows(request.form, form.count.data)
        proposals = _proposals_from_form(rows)
        claim_field = form.claim.data.strip()
        claim_id = _claim_id(claim_field)
        if claim_field and claim_id is None and not form.new_claim.data.strip():
            raise ValidationError("Pick the claim from the list (it ends with its #id), or phrase a new claim.",
                                  {"claim": "not picked from the list"})
        result = save_statements(
            session, current_actor(),
            report=ReportInput(url=form.url.data, title=form.title.data, outlet=form.outlet.data,
                               text=form.article.data or None),
            statements=[
                StatementInput(speaker=p.speaker, text=p.text, stance=p.stance, direct=p.direct,
                               anonymous=p.anonymous, anonymity_reason=p.anonymity_reason or None,
                               speaker_kind=row.kind.data or SourceKind.PERSON,
                               relayed_by=p.relayed_by or None, affiliation=p.affiliation or None)
                for row, p in zip(rows, proposals, strict=True) if p.keep
            ],
            claim_id=claim_id,
            new_claim_text=form.new_claim.data if claim_id is None else None,
        )
    except DomainError as error:
        session.rollback()
        return _render(request.form, proposals or None, worded(error, ReviewForm), error.status_code)
    message = (f"Saved {result.statements} statement{'s' if result.statements != 1 else ''} "
               f"({result.new_sources} new source{'s' if result.new_sources != 1 else ''}).")
    if result.reused:
        message += f" {result.reused} already recorded: the recorded statement was linked, not entered again."
    if result.already_linked:
        message += f" {result.already_linked} already on this claim: left as they were."
    flash(message, "info")
    return redirect(url_for("checker.claim", claim_id=result.claim.id))
