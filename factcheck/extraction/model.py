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

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (without the speaker mention span)."""
        return {
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
        }
