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
