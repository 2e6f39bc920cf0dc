"""What every construction of attribution needs: the claim record and the sentence under analysis.

``Claim`` is one attribution before coreference.  ``ClauseBase`` holds a sentence's tokens and
the helpers the construction modules share: reading a token as a reporting verb, skipping the
time and medium adverbials after one ("said on Monday in a statement"), and bounding a
reported clause (it stops at a semicolon, a direct quotation or final punctuation).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from .lexicon import (
    AUXILIARIES,
    CHARACTERISATION_NOUNS,
    CUE_WORDS,
    CUES,
    DAYS_AND_MONTHS,
    DETERMINERS,
    FRAME_ONLY_LEMMAS,
    IRREGULAR_VERBS,
    MEDIUM_NOUNS,
    NOUN_LIKE_CUES,
    OPINION_NOUNS,
    POSITION_NOUNS,
    STOP_WORDS,
    TIME_NOUNS,
    Cue,
)
from .phrases import NounPhrase, describe, is_adverb, is_possessive, scan_right
from .quotes import Quote
from .segment import Sentence, Token, scan_tokens

_CLAUSE_JOINERS = frozenset(
    {",", "and", "but", "while", "whereas", "despite", "although", "though", "as", "because", "with", "after", "before"}
)
_TERMINAL_PUNCT = frozenset({".", ",", ";", ":", "!", "?", "—", "–"})
_TIME_LEADERS = frozenset({"on", "last", "this", "next", "earlier", "late", "early", "later"})
_MEDIUM_LEADERS = frozenset({"in", "on", "via", "through", "during"})
_SINGLE_ADVERBIALS = (
    DAYS_AND_MONTHS
    | frozenset("yesterday today tonight earlier later previously publicly repeatedly also again further "
                "recently separately".split())
)
_RELAY_LEADERS = frozenset({"speaking", "talking", "writing"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "whose", "whom"})
_TIME_PREPOSITIONS = frozenset({"during", "on", "over", "at", "in", "throughout"})
_FRONTED = frozenset({"in", "on", "at", "during", "after", "before", "since", "following", "last", "earlier", "later"})
_MARKED = CUE_WORDS | _RELAY_LEADERS


def _finite_or_of(token: Token) -> bool:
    """What follows a plural noun but never the verb "states"/"claims"/"reports": "of", an
    auxiliary or a past-tense verb ("member states met", "earlier reports suggested")."""
    lower = token.lower
    if token.kind != "w" or token.cap:
        return False
    past = lower in IRREGULAR_VERBS or (len(lower) > 4 and lower.endswith("ed"))
    return lower == "of" or lower in AUXILIARIES or past


@dataclass(eq=False)
class Claim:
    """One attribution before coreference.  Offsets are characters; ``*_tok`` are token indices."""

    cue_index: int
    cue_start: int
    cue_text: str
    cue_kind: str
    speaker: NounPhrase | None = None
    inherits: bool = False
    inherit_from: Claim | None = None
    continuation: bool = False
    start: int = 0
    end: int = 0
    content_tok: int = -1
    content_end_tok: int = -1
    subject_tok: int | None = None
    clause_tok: int = 0
    direct: bool = False
    emit: bool = True
    recipient: NounPhrase | None = None
    via: NounPhrase | None = None
    outer: Claim | None = None
    notes: list[str] = field(default_factory=list)
    dropped: bool = False
    citer: NounPhrase | None = None  # who cited the speaker ("The paper cited X as saying …")
    borrowed_from: Claim | None = None  # the claim whose citer a coordinated verb takes as subject

    @property
    def has_content(self) -> bool:
        return self.content_tok >= 0 and self.content_end_tok > self.content_tok


class ClauseBase:
    """The tokens of one sentence and the helpers every construction uses."""

    def __init__(self, text: str, masked: str, sentence: Sentence, quotes: list[Quote]) -> None:
        self.text = text
        scanned = scan_tokens(masked, sentence.start, sentence.end, _MARKED)
        self.tokens: list[Token] = scanned.tokens
        # cue words (and "speaking", "talking", "writing") by position, found while tokenising
        self.marked = scanned.marked
        self.quotes = quotes
        self.consumed: set[int] = set()
        self.subject_start = 0
        # where reported clauses stop: semicolons, and (added as found) direct quotations
        self.stops = scanned.semicolons
        self.pending: list[Claim] = []  # claims found while analysing another cue

    def _phrase(self, start: int, end: int) -> NounPhrase:
        return describe(self.tokens, start, end, self.text)

    def _cue(self, i: int, frame: bool) -> Cue | None:
        """The reporting verb at token ``i``, if it is one here (``frame``: a quote is attached)."""
        token = self.tokens[i]
        if token.kind != "w":
            return None
        cue = CUES.get(token.lower)
        if cue is None or (cue.lemma in FRAME_ONLY_LEMMAS and not frame):
            return None
        if token.cap and i > 0:
            return None  # "United States", "Reports": verbs are lower-case mid-sentence
        if token.lower in NOUN_LIKE_CUES and i + 1 < len(self.tokens) and _finite_or_of(self.tokens[i + 1]):
            return None  # "member states of the union have signed", "member states met": a noun
        return cue

    def _is_cue_start(self, i: int) -> bool:
        token = self.tokens[i]
        if token.lower == "according":
            return i + 1 < len(self.tokens) and self.tokens[i + 1].lower == "to"
        if token.lower in POSITION_NOUNS and self._position_frame(i):
            return True
        if token.lower in OPINION_NOUNS:
            return self._opinion_frame(i) or self._possessive_opinion(i)
        if token.lower in CHARACTERISATION_NOUNS:
            return self._nominal_frame(i) is not None
        return self._cue(i, frame=False) is not None

    def _skip_adverbials(self, k: int, hi: int) -> int:
        """Past time and medium adverbials and comma asides after a verb ("said on Monday in a statement")."""
        tokens = self.tokens
        while k < hi:
            lower = tokens[k].lower
            if lower in _SINGLE_ADVERBIALS and tokens[k].kind == "w":
                k += 1
                if lower in DAYS_AND_MONTHS and k < hi and tokens[k].kind == "n":
                    k += 1  # "on September 11"
            elif lower in _TIME_LEADERS and k + 1 < hi and (
                tokens[k + 1].lower in DAYS_AND_MONTHS or tokens[k + 1].lower in TIME_NOUNS
            ):
                k += 2
                if k < hi and tokens[k].kind == "n" and tokens[k - 1].lower in DAYS_AND_MONTHS:
                    k += 1
            elif lower in _MEDIUM_LEADERS and k + 1 < hi:
                j = k + 1
                if (tokens[j].lower in DETERMINERS or is_possessive(tokens[j])) and j + 1 < hi:
                    j += 1
                # up to two modifiers: "in a financial filing", "in a televised TV interview"
                for _ in range(2):
                    if j + 1 < hi and tokens[j].lower not in MEDIUM_NOUNS and tokens[j + 1].kind == "w" \
                            and tokens[j].kind == "w" and tokens[j].lower not in STOP_WORDS \
                            and (tokens[j].cap or tokens[j].lower not in CUES):
                        j += 1
                if tokens[j].lower not in MEDIUM_NOUNS:
                    break
                k = j + 1
                while k < hi and tokens[k].lower in MEDIUM_NOUNS:
                    k += 1  # "news conference", "Facebook post"
                if k + 1 < hi and tokens[k].lower in {"with", "to"} and tokens[k + 1].lower != "be":
                    end = scan_right(tokens, k + 1, hi)  # "in an interview with the BBC", "in a letter to staff"
                    if end is not None:
                        k = end
            elif lower == ",":
                close = next((i for i in range(k + 1, min(hi, k + 7)) if tokens[i].text == ","), None)
                if close is None or close == k + 1 or close + 1 >= hi or tokens[k + 1].lower == "citing" or any(
                    t.kind != "w" or (t.lower in CUES and not t.cap) or t.lower in AUXILIARIES
                    for t in tokens[k + 1 : close]
                ):
                    break
                k = close + 1  # an aside between commas: "alleged, by way of example, that …"
            else:
                break
        return k

    def _content_limit(self, k: int, hi: int) -> int:
        """End (exclusive) of a reported clause starting at ``k``: before ``;``, a direct quote, final punctuation."""
        tokens = self.tokens
        index = bisect_left(self.stops, k)
        end = min(self.stops[index], hi) if index < len(self.stops) else hi
        while end > k and tokens[end - 1].text in _TERMINAL_PUNCT:
            end -= 1
        return end

    def _set_content(self, claim: Claim, start_tok: int, end_tok: int) -> None:
        """Set the reported span to ``tokens[start_tok:end_tok]`` without edge punctuation."""
        while start_tok < end_tok and self.tokens[start_tok].text in {",", ":", ";", "—", "–"}:
            start_tok += 1
        while end_tok > start_tok and self.tokens[end_tok - 1].text in _TERMINAL_PUNCT:
            end_tok -= 1
        if end_tok <= start_tok:
            claim.content_tok = claim.content_end_tok = -1
            return
        claim.content_tok, claim.content_end_tok = start_tok, end_tok
        claim.start, claim.end = self.tokens[start_tok].start, self.tokens[end_tok - 1].end

    def _time_adverbial_start(self, j: int, lo: int) -> int | None:
        """Where a time adverbial ending at ``tokens[j]`` begins ("during the weekend", "on
        Sunday", "last week"), or None if none ends there."""
        tokens = self.tokens
        if tokens[j].kind != "w" or (tokens[j].lower not in TIME_NOUNS and tokens[j].lower not in DAYS_AND_MONTHS):
            return None
        k = j - 1
        if k >= lo and tokens[k].lower in {"last", "this", "that", "next"}:
            return k
        if k >= lo and tokens[k].lower in {"the", "a"}:
            k -= 1
        if k >= lo and tokens[k].lower in _TIME_PREPOSITIONS:
            return k
        return None

    def _opens_sentence(self, i: int) -> bool:
        """Whether token ``i`` starts the sentence, after punctuation and adverbs only."""
        return all(t.kind == "p" or is_adverb(t) for t in self.tokens[:i])

    def _cut(self, claim: Claim, at: int) -> None:
        """End a reported span before token ``at`` and the conjunction leading up to it."""
        end = at
        while end > claim.content_tok and self.tokens[end - 1].lower in _CLAUSE_JOINERS:
            end -= 1
        self._set_content(claim, claim.content_tok, end)
        if not claim.has_content:
            claim.dropped = True
