"""The extractor's output record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExtractedStatement:
    """One attributed statement found in an article.

    ``text`` is always ``article[start:end]``: offsets are what lets a reviewer jump to the
    passage, so the text is never normalised.  ``speaker`` is the resolved source ("Asfandyar
    Mir" for "Mir" or "he"), ``speaker_span`` the mention it was read from (``None`` when a
    quotation continues the previous speaker without naming anyone).  ``relayed_by`` is who
    passed the statement on ("SAMAA Digital" in "X told SAMAA Digital", the outer speaker in
    "colleagues told me …, Mir added").
    """

    speaker: str
    speaker_span: tuple[int, int] | None
    cue: str
    text: str
    start: int
    end: int
    direct: bool
    anonymous: bool
    anonymity_reason: str | None
    stance: str
    relayed_by: str | None
    #: The stance toward a claim the statement was read against (``claim_stance.claim_stance``:
    #: a proposal for the checker), or ``None`` when no claim was given.
    claim_stance: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (without the speaker mention span); ``claim_stance`` only when
        read against a claim."""
        found = {
            "speaker": self.speaker,
            "cue": self.cue,
            "text": self.text,
            "direct": self.direct,
            "anonymous": self.anonymous,
            "anonymity_reason": self.anonymity_reason,
            "stance": self.stance,
            "relayed_by": self.relayed_by,
            "start": self.start,
            "end": self.end,
        }
        if self.claim_stance is not None:
            found["claim_stance"] = self.claim_stance
        return found


#: Why an extraction stopped short or found nothing by design (``Extraction.reason``).
TIME_BUDGET_REASON = "time_budget"
NOT_ENGLISH = "not_english"


@dataclass(frozen=True)
class Extraction:
    """What one request gets from the extractor (``extractor.extract``): the statements, and
    whether the text was read to its end.

    ``analysed_to`` is how far the statements cover the text: ``text[:analysed_to]`` was read
    (all of it, ``length``, unless the reading stopped; 0 when the text was not read at all).
    ``reason`` says why it was not all read, for programs (``"time_budget"``, or
    ``"not_english"``: no statements, on purpose); ``notice`` says it in words, for people.
    """

    statements: list[ExtractedStatement]
    analysed_to: int
    length: int
    reason: str | None = None
    notice: str | None = None
    #: The claim the statements were read against (their ``claim_stance``), if any.
    claim: str | None = None

    def against(self, claim: str | None) -> Extraction:
        """The same extraction with each statement's stance toward ``claim`` proposed
        (``claim_stance``); unchanged for no claim (``None`` or blank)."""
        if claim is None or not claim.strip():
            return self
        from dataclasses import replace

        from .claim_stance import claim_stance

        statements = [replace(s, claim_stance=claim_stance(claim, s.text, s.stance)) for s in self.statements]
        return replace(self, statements=statements, claim=claim)

    @property
    def truncated(self) -> bool:
        """The time budget ran out before the end of the text: the statements are those of
        ``text[:analysed_to]`` only."""
        return self.reason == TIME_BUDGET_REASON

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``POST /api/v1/extract``."""
        return {
            "statements": [s.to_dict() for s in self.statements],
            "truncated": self.truncated,
            "analysed_to": self.analysed_to,
            "length": self.length,
            "reason": self.reason,
            "notice": self.notice,
            **({"claim": self.claim} if self.claim is not None else {}),
        }
