"""Attributions inside one sentence: reporting cue, speaker phrase, and reported span.

A sentence is analysed on quote-masked tokens, so quoted words are opaque.  Three passes:

1. Quotes.  A quotation is *direct* when it stands as a clause of its own — at the start of
   the sentence or after ``,``/``:``/a reporting verb, and complete at its end — and *partial*
   otherwise ("said there was 'unequivocal' proof"), in which case it is left to the
   reported clause around it.  A direct quote takes its speaker from a frame before it
   ("X said: '…'") or after it ("'…,' X said"), or, with no frame, continues the previous
   statement ("'A,' X said. 'B.'").
2. Reporting cues.  Each remaining cue is matched to a construction: subject–verb–clause
   ("X said (that) …"), trailing ("…, X said." / "…, said X"), passive ("was denied by X"),
   "according to X", or a participle/coordination that borrows the subject of the clause
   before it ("…, adding that …", "… and said …").
3. Nesting.  When a cue sits inside another cue's reported span, either its subject opens
   that span ("Reuters reported a source said …", "Some of his colleagues told me …, Mir
   added") — a relay: the inner statement is kept and relayed by the outer speaker — or it
   starts a later clause, and the outer span is cut before it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field

from .lexicon import (
    AUXILIARIES,
    CLAUSE_ONLY_LEMMAS,
    CONDITIONAL_LEMMAS,
    CUE_WORDS,
    CUES,
    DAYS_AND_MONTHS,
    DETERMINERS,
    FRAME_ONLY_LEMMAS,
    IRREGULAR_VERBS,
    MEDIUM_NOUNS,
    NEGATIONS,
    NOUN_LIKE_CUES,
    OBJECT_PRONOUNS,
    OPINION_NOUNS,
    PARENTHETICAL_ADVERBS,
    PARTICLE_LEMMAS,
    PASSIVE_AUXILIARIES,
    PLURAL_SUBJECT_ONLY,
    POSITION_NOUNS,
    STOP_WORDS,
    SUBJECT_PRONOUNS,
    TIME_NOUNS,
    TITLE_WORDS,
    Cue,
)
from .phrases import (
    NounPhrase,
    is_pronoun,
    describe,
    is_adverb,
    is_possessive,
    np_word,
    plausible_speaker,
    scan_left,
    scan_right,
    truly_plural,
)
from .quotes import Quote
from .segment import Sentence, Token, scan_tokens

_CALL_OBJECTS = frozenset({"it", "him", "her", "them", "this", "that", "the", "its", "his", "their", "these"})
_CLAUSE_JOINERS = frozenset(
    {",", "and", "but", "while", "whereas", "despite", "although", "though", "as", "because", "with", "after", "before"}
)
_NEGATIVE_SUBJECTS = frozenset({"no", "none", "nobody", "neither", "nothing"})
_CLOSING_PUNCT = frozenset({".", ",", ";", ":", "!", "?", ")", "—", "–"})
_TERMINAL_PUNCT = frozenset({".", ",", ";", ":", "!", "?", "—", "–"})
_TIME_LEADERS = frozenset({"on", "last", "this", "next", "earlier", "late", "early", "later"})
_MEDIUM_LEADERS = frozenset({"in", "on", "via", "through", "during"})
_SINGLE_ADVERBIALS = (
    DAYS_AND_MONTHS
    | frozenset("yesterday today tonight earlier later previously publicly repeatedly also again further "
                "recently separately".split())
)
_RELAY_LEADERS = frozenset({"speaking", "talking", "writing"})
_GERUND_LEADERS = frozenset({"of", "without"})
# A participle right after "to X" / "at X" modifies the main clause, not X: "wrote to the
# embassy asking …" ("with officials saying …" is an absolute clause and keeps its subject).
_OBJECT_PREPOSITIONS = frozenset({"to", "at", "from", "in", "on", "for", "of", "into", "about", "against"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "whose", "whom"})
_INDIRECT_QUESTION = frozenset({"how", "why", "whether"})
_INVERTED_TRAILERS = frozenset({"in", "on", "at", "to", "during", "via", "after", "while", "when", "as", "per"})
# what may follow the source of a trailing "according to X" other than the main clause's verb
_SOURCE_TRAILERS = frozenset({"on", "in", "at", "of", "from", "which", "who", "that", "published", "released",
                              "issued", "last", "earlier", "this", "dated"})
# modals before a reporting verb: the speech act is hypothetical or yet to happen
_HYPOTHETICAL = frozenset({"might", "may", "could", "should", "must", "will", "shall"})
# what a leading frame's words are when they describe the circumstances, not the content:
# 'Pierluisi said from the Hall of Mirrors, "…"'
_CIRCUMSTANCE = frozenset({"from", "at", "in", "outside", "inside", "on", "during", "after", "before", "while", "when"})
_TIME_PREPOSITIONS = frozenset({"during", "on", "over", "at", "in", "throughout"})
_FRONTED = frozenset({"in", "on", "at", "during", "after", "before", "since", "following", "last", "earlier", "later"})
_LEADING_ADVERBS = frozenset({"then", "also", "later", "subsequently", "separately", "meanwhile", "still", "now"})
_ADVERBIAL_LEADERS = _RELAY_LEADERS | {"in", "on", "at"}
_MARKED = CUE_WORDS | _RELAY_LEADERS
# where a clause of its own begins inside a sentence: a passive's subject is after the last one
_POSSESSIVE_SUBJECTS = {"his": "he", "her": "she", "their": "they", "its": "it"}
_CHARACTERISING = frozenset({"call", "term", "describe", "characterise", "name", "identify"})
_CLAUSE_BREAKS = frozenset({"but", "and", "while", "whereas", "although", "though", "yet"})
_AND_BUT = frozenset({"and", "but"})


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

    @property
    def has_content(self) -> bool:
        return self.content_tok >= 0 and self.content_end_tok > self.content_tok


class SentenceAnalyser:
    """Finds the claims of one sentence; see the module docstring for the passes."""

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

    # -- helpers ------------------------------------------------------------------------------

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
        return self._cue(i, frame=False) is not None

    def _opinion_frame(self, i: int) -> bool:
        """ "In the view of X" / "in the analysis of X" (``i`` is the noun)."""
        tokens = self.tokens
        before = i - 2 if i >= 2 and tokens[i - 1].lower == "the" else i - 1
        return before >= 0 and tokens[before].lower == "in" and i + 2 < len(tokens) and tokens[i + 1].lower == "of"

    def _position_frame(self, i: int) -> bool:
        """ "The government's argument was that …" / "His position is that …" (``i`` is the noun)."""
        tokens = self.tokens
        return 0 < i and i + 3 < len(tokens) and tokens[i + 1].lower in {"is", "was", "remains", "remained"} \
            and tokens[i + 2].lower == "that" and (tokens[i - 1].lower in _POSSESSIVE_SUBJECTS
                                                   or is_possessive(tokens[i - 1]))

    def _position_claim(self, c: int, lo: int, hi: int) -> Claim | None:
        """The claim of "X's position is that <clause>": the possessor speaks."""
        tokens = self.tokens
        owner = tokens[c - 1]
        if owner.lower in _POSSESSIVE_SUBJECTS:
            start = c - 1
            head = _POSSESSIVE_SUBJECTS[owner.lower]
            speaker = NounPhrase(
                c - 1, c, owner.start, owner.end, "pronoun", owner.text, head, None, (), head in {"he", "she"},
                head == "it", head in {"they", "we"}, False, False, False, None, frozenset(),
            )
        else:
            start = scan_left(tokens, c - 1, lo)
            if start is None:
                return None
            speaker = self._phrase(start, c)
            if not plausible_speaker(speaker):
                return None
        claim = Claim(c, tokens[c].start, tokens[c].text, "say", clause_tok=start)
        claim.speaker, claim.subject_tok = speaker, start
        self._set_content(claim, c + 3, self._content_limit(c + 3, hi))
        return claim if claim.has_content else None

    def _possessive_opinion(self, i: int) -> bool:
        """ "In his view, …" / "In Smith's opinion, …" opening a sentence (``i`` is the noun)."""
        tokens = self.tokens
        return i == 2 and tokens[0].lower == "in" and i + 2 < len(tokens) and tokens[i + 1].text == "," \
            and (tokens[1].lower in _POSSESSIVE_SUBJECTS or tokens[1].cap and is_possessive(tokens[1]))

    def _opinion_claim(self, c: int, lo: int, hi: int) -> Claim | None:
        """The claim of "In his view, <clause>": the possessor speaks."""
        tokens = self.tokens
        owner = tokens[c - 1]
        claim = Claim(c, tokens[c - 2].start, self.text[tokens[c - 2].start : tokens[c].end], "say", clause_tok=c - 2)
        if owner.lower in _POSSESSIVE_SUBJECTS:
            head = _POSSESSIVE_SUBJECTS[owner.lower]
            claim.speaker = NounPhrase(
                c - 1, c, owner.start, owner.end, "pronoun", owner.text, head, None, (), head in {"he", "she"},
                head == "it", head in {"they", "we"}, False, False, False, None, frozenset(),
            )
        else:
            claim.speaker = self._phrase(c - 1, c)
        claim.subject_tok = c - 1
        self._set_content(claim, c + 2, self._content_limit(c + 2, hi))
        return claim if claim.has_content else None

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

    def _paren_kind(self, start: int, end: int) -> str | None:
        """Classify the comma-delimited segment ``tokens[start:end]`` before a verb."""
        if start >= end:
            return None
        segment = self.tokens[start:end]
        first = segment[0].lower
        if first in {"who", "which", "whom", "whose"}:
            return "relative"
        if first == "and" and len(segment) > 1 and segment[1].cap:
            # a second subject with its own relative clause: "X, which makes A, and Y which makes B, said"
            relative = next((n for n, t in enumerate(segment) if t.lower in _RELATIVE_PRONOUNS), len(segment))
            if all(np_word(t) for t in segment[1:relative]) and relative < len(segment):
                return "conjunct"
        if first == "citing":
            return "citing"
        if len(segment) <= 4 and all(t.lower in PARENTHETICAL_ADVERBS for t in segment):
            return "adverb"
        if len(segment) == 1 and segment[0].kind == "n":
            return "adverb"  # an age: "Lisa Parry, 61, said"
        if first in _ADVERBIAL_LEADERS and len(segment) <= 8:
            return "adverbial"
        if first.endswith(("ing", "ed")) and not segment[0].cap and len(segment) <= 12 and first not in CUES:
            return "adverbial"  # a participial aside: "Trump, responding to …, …", "The report, published …,"
        relative = next((n for n, t in enumerate(segment) if t.lower in {"who", "which", "whom", "that"}), len(segment))
        head = segment[:relative]
        # (a capitalised word is part of a name, not a verb: "the Islamic State of …")
        if first in DETERMINERS and len(segment) <= 30 and not any(
            t.kind == "q" or (t.lower in CUES and not t.cap) for t in segment
        ):
            np_end = scan_right(self.tokens, start, end)
            if np_end is not None and np_end - start >= 2:
                head = self.tokens[start:np_end]  # "the would-be successor | should X remain …"
        if not head or len(segment) > 30 or any(
            t.kind == "q" or t.lower in AUXILIARIES or (t.lower in CUES and not t.cap) for t in head
        ):
            return None
        if first in DETERMINERS or segment[0].cap or np_word(segment[0]):
            return "appositive"
        return None

    # -- subjects -----------------------------------------------------------------------------

    def _subject(self, j: int, lo: int, claim: Claim) -> NounPhrase | None:
        """The subject phrase ending at ``tokens[j]``, looking through parentheticals."""
        tokens = self.tokens
        self.subject_start = len(tokens)
        appositive: tuple[int, int] | None = None
        citing: tuple[int, int] | None = None
        while j >= lo and tokens[j].text == ",":
            comma = next((c for c in range(j - 1, max(lo, j - 30) - 1, -1) if tokens[c].text in {",", ";", ":"}), None)
            if comma is None and appositive is None and citing is None:
                return self._subject_before_stray_comma(j, lo)
            if comma is None or tokens[comma].text != ",":
                return None
            kind = self._paren_kind(comma + 1, j)
            if kind is None:
                return None
            claim.notes.append(self.text[tokens[comma + 1].start : tokens[j - 1].end])
            if kind == "appositive":
                appositive = (comma + 1, j)
            elif kind == "citing":
                citing = (comma + 2, j)
            elif kind == "adverbial" and tokens[comma + 1].lower in _RELAY_LEADERS:
                claim.via = self._relay_target(comma + 2, j) or claim.via
            elif kind == "conjunct":
                j = comma  # the first subject's own relative clause ends at this comma
                continue
            j = comma - 1
            if j - 1 > lo and tokens[j].kind == "n" and tokens[j - 1].text == "," and kind == "appositive":
                j -= 2  # an age before the description: "Lisa Parry, 61, a nurse, said"
        start = scan_left(tokens, j, lo)
        if start is None:
            return None
        phrase = self._phrase(start, j + 1)
        if not plausible_speaker(phrase) and phrase.owner is not None and plausible_speaker(phrase.owner):
            phrase = phrase.owner  # "the calls by officials asking …": the officials ask
        if not plausible_speaker(phrase):
            phrase = self._before_relative_clause(start, lo, claim) or phrase
        if appositive is not None:
            other_end = scan_right(tokens, appositive[0], appositive[1])
            if other_end == appositive[1]:
                other = self._phrase(*appositive)
                if other.kind == "name" and phrase.kind == "descriptor":
                    phrase = other
        if citing is not None:
            source_end = scan_right(tokens, citing[0], citing[1])
            if source_end is not None:
                claim.via = phrase
                phrase = self._phrase(citing[0], source_end)
        self.subject_start = start  # where the whole subject begins, asides included
        return phrase

    def _subject_before_stray_comma(self, comma: int, lo: int) -> NounPhrase | None:
        """ "Both he and the county's commissioner Stephen Mold, urged …": a comma between a
        sentence-initial subject and its verb (common in hurried copy)."""
        tokens = self.tokens
        if comma - 1 < lo or any(t.text in {",", ";", ":"} or t.kind == "q" for t in tokens[lo:comma]):
            return None
        start = scan_left(tokens, comma - 1, lo)
        if start is None:
            return None
        first = start
        if first - 2 >= lo and tokens[first - 1].lower == "and" and is_pronoun(tokens[first - 2]):
            first -= 2  # "he and …"
        if first - 1 >= lo and tokens[first - 1].lower == "both":
            first -= 1
        if first != lo:
            return None
        phrase = self._phrase(start, comma)
        return phrase if plausible_speaker(phrase) and phrase.kind != "pronoun" else None

    def _before_relative_clause(self, start: int, lo: int, claim: Claim) -> NounPhrase | None:
        """ "Two people who attended the meeting said …": the speaker precedes "who"."""
        tokens = self.tokens
        for r in range(start - 1, max(lo, start - 12) - 1, -1):
            if tokens[r].text in {",", ";", ":"} or tokens[r].kind == "q":
                return None
            if tokens[r].lower in {"who", "that"} and r - 1 >= lo:
                before = scan_left(tokens, r - 1, lo)
                if before is None:
                    return None
                phrase = self._phrase(before, r)
                if not plausible_speaker(phrase) or phrase.kind == "pronoun":
                    return None
                claim.notes.append(self.text[tokens[r].start : tokens[start - 1].end])
                return phrase
        return None

    def _relay_target(self, start: int, hi: int) -> NounPhrase | None:
        """X in "speaking to X" / "speaking on X" (``start`` is the preposition)."""
        if start < hi and self.tokens[start].lower in {"to", "with", "on"}:
            end = scan_right(self.tokens, start + 1, hi)
            if end is not None:
                target = self._phrase(start + 1, end)
                # "speaking to Reuters", "on CNN" — not "speaking on condition of anonymity"
                if target.kind == "name" or target.medium or plausible_speaker(target):
                    return target
        return None

    def main_subject(self, hi: int) -> NounPhrase | None:
        """Subject of the sentence's main clause, after any leading adverbial phrase."""
        tokens = self.tokens
        k = 0
        first = tokens[0].lower if tokens else ""
        if first in _LEADING_ADVERBS and len(tokens) > 1 and tokens[1].text != ",":
            k = 1  # "Then both nations issued statements …"
        elif first in {"in", "on", "at", "after", "before", "during", "despite", "following", "last", "earlier",
                     "however", "but", "and", "yesterday", "today", "meanwhile", "speaking", "as", "with"} \
                or first in DAYS_AND_MONTHS:
            comma = next((i for i in range(min(hi, 25)) if tokens[i].text == ","), None)
            if comma is None:
                return None
            k = comma + 1
        end = scan_right(tokens, k, hi)
        if end is None:
            return None
        phrase = self._phrase(k, end)
        if phrase.kind == "descriptor" and end + 1 < hi and tokens[end].text == ",":
            named_end = scan_right(tokens, end + 1, hi)  # "Another adviser, Sebastian Gorka, …"
            if named_end is not None and named_end < hi and tokens[named_end].text == ",":
                named = self._phrase(end + 1, named_end)
                phrase = named if named.kind == "name" else phrase
        return phrase if plausible_speaker(phrase) else None

    # -- cues ---------------------------------------------------------------------------------

    def analyse_cue(self, c: int, lo: int, hi: int, frame: bool = False) -> Claim | None:
        """Attribution built around the cue at token ``c`` within ``tokens[lo:hi]``."""
        tokens = self.tokens
        if tokens[c].lower == "according":
            return self._according(c, lo, hi, frame)
        if tokens[c].lower in POSITION_NOUNS and self._position_frame(c):
            return self._position_claim(c, lo, hi)
        if tokens[c].lower in POSITION_NOUNS and tokens[c].lower not in OPINION_NOUNS:
            return None
        if tokens[c].lower in OPINION_NOUNS:
            if self._opinion_frame(c):
                return self._according(c, lo, hi, frame)
            return self._opinion_claim(c, lo, hi) if self._possessive_opinion(c) else None
        cue = self._cue(c, frame)
        if cue is None:
            return None
        if c - 1 >= lo and (tokens[c - 1].lower in DETERMINERS or is_possessive(tokens[c - 1])):
            return None
        kind = cue.kind
        cue_end = c + 1
        if cue.participle and c - 1 >= lo and tokens[c - 1].lower in _GERUND_LEADERS:
            return None  # a gerund, not a participle clause: "suspected of asking for …"
        if cue.lemma == "speak":
            if c + 1 >= hi or tokens[c + 1].lower != "of":
                return None
            cue_end = c + 2  # "spoke of an imminent incursion"
        elif cue.lemma in PARTICLE_LEMMAS:
            cue_end = self._particle_end(c, hi, PARTICLE_LEMMAS[cue.lemma])
            if cue_end is None:
                return None  # "pointed to", "made a decision"
        elif cue.lemma in CONDITIONAL_LEMMAS and not self._construction_reports(cue.lemma, c, hi):
            return None
        if cue.lemma == "confirm" and c + 1 < hi and tokens[c + 1].lower in OBJECT_PRONOUNS:
            return None  # "the House confirmed him": a vote on a nominee, not a statement
        if cue.lemma == "call":
            following = tokens[c + 1] if c + 1 < hi else None
            if following is not None and following.lower in {"for", "on", "upon"}:
                kind, cue_end = "request", c + 2  # "called for …", "called on X to …"
            elif following is None or not (following.lower in _CALL_OBJECTS or is_possessive(following)):
                return None
            else:
                kind = "say"
        claim = Claim(c, tokens[c].start, self.text[tokens[c].start : tokens[cue_end - 1].end], kind, clause_tok=c)
        j = c - 1
        passive = False
        while j >= lo:
            token = tokens[j]
            if token.kind == "w" and (token.lower in NEGATIONS or token.lower.endswith(("n't", "n’t"))):
                return None
            if token.kind == "w" and token.lower in AUXILIARIES:
                if token.lower in _HYPOTHETICAL:
                    return None  # "Trump might have encouraged …": a surmise, not a reported act
                passive = passive or token.lower in PASSIVE_AUXILIARIES
                j -= 1
            elif is_adverb(token):
                j -= 1
            elif (before := self._time_adverbial_start(j, lo)) is not None:
                j = before - 1  # "a report from the government during the weekend said …"
            else:
                break
        if j >= lo and tokens[j].lower == "to":
            j = self._infinitive_frame(j, lo)  # "went on to say", "took to Twitter to write"
            if j is None:
                return None
        if passive:
            return self._passive(claim, cue, c, j, lo, hi) if cue.past_participle else None
        subject = None
        after_comma = j >= lo and tokens[j].text == ","
        if j - 2 >= lo and tokens[j].lower in {"who", "which"} and tokens[j - 1].text == "," and not cue.participle:
            subject = self._relative_antecedent(j - 2, lo)  # "…, according to police, who said …"
            if subject is None and tokens[j].lower == "which":
                subject = self._medium_relative(j, lo, claim)
            if subject is None:
                return None
        elif j - 1 >= lo and tokens[j].lower in {"which", "that"} and not cue.participle:
            subject = self._medium_relative(j, lo, claim)  # "X issued a statement which read: …"
            if subject is None:
                return None
        elif j >= lo and tokens[j].lower not in {"and", "but"} and not (cue.participle and after_comma):
            subject = self._subject(j, lo, claim)
            # right after a direct quote ("'…,' the widow said") any noun phrase is the speaker
            if subject is not None and not plausible_speaker(subject) and not (frame and subject.kind != "pronoun"):
                subject = None
            if subject is not None and cue.participle and (subject.head in MEDIUM_NOUNS or subject.medium):
                subject = None
            if subject is not None and cue.participle and subject.start - 1 >= lo \
                    and tokens[subject.start - 1].lower in _OBJECT_PREPOSITIONS:
                subject = None
            if subject is not None and tokens[subject.start].lower in _NEGATIVE_SUBJECTS:
                return None  # "No organisation claimed …" attributes nothing
            if subject is not None and not self._agrees(tokens[c].lower, cue, subject):
                return None  # "member states met", "Seven members states had bid": nouns, not verbs
        if subject is None and tokens[c].lower in PLURAL_SUBJECT_ONLY:
            return None
        k = cue_end
        if cue.kind == "tell" and k < hi:
            end = scan_right(tokens, k, hi)
            if end is not None:
                claim.recipient = self._phrase(k, end)
                k = end
        elif cue.kind == "say" and k + 1 < hi and tokens[k].lower in {"to", "for"}:
            # "wrote to the embassy asking …", "described for news agency PA Media how …"
            end = scan_right(tokens, k + 1, hi)
            if end is not None and tokens[k + 1].lower not in {"be", "have"}:
                addressee = self._phrase(k + 1, end)
                if addressee.kind != "pronoun" and plausible_speaker(addressee):
                    if tokens[k].lower == "for":
                        claim.via = addressee
                    k = end
        elif cue.kind == "say" and k < hi and tokens[k].kind == "w":
            # "warned residents that …", "reminded the court that …": an addressee before "that"
            end = scan_right(tokens, k, hi)
            if end is not None and end < hi and tokens[end].lower == "that":
                addressee = self._phrase(k, end)
                if addressee.kind == "pronoun" and tokens[k].lower in OBJECT_PRONOUNS - {"it", "you"} \
                        or addressee.kind != "pronoun" and plausible_speaker(addressee):
                    claim.recipient = addressee
                    k = end
        k = self._skip_adverbials(k, hi)
        cited = None
        if k + 2 < hi and tokens[k].text == "," and tokens[k + 1].lower == "citing":
            # "…, the paper reported, citing officials." / "Reuters reported, citing sources, that …":
            # the cited source speaks, relayed by the reporter
            end = scan_right(tokens, k + 2, hi)
            source = self._phrase(k + 2, end) if end is not None else None
            if source is not None and source.kind != "pronoun" and plausible_speaker(source):
                cited = source
                k = self._skip_adverbials(end + 1, hi) if end + 1 < hi and tokens[end].text == "," else end
        that = k < hi and tokens[k].lower == "that"
        if that:
            k += 1
        # "responded to the attack", "agreed a deal": these verbs report a clause or a quotation only
        clause_only = cue.lemma in CLAUSE_ONLY_LEMMAS and not frame and not that
        limit = self._content_limit(k, hi)
        if subject is not None and tokens[j].lower in {"who", "which"} and tokens[j - 1].text == ",":
            # a relative clause set off by commas ends at the next one: "X, who asked not to be
            # named, said …"
            limit = next((i for i in range(k, limit) if tokens[i].text == ","), limit)
        if subject is not None and subject.start - 1 >= lo and tokens[subject.start - 1].lower == "with":
            # absolute clause "With X saying …, MAIN CLAUSE": the report ends at the comma
            limit = next((i for i in range(k, limit) if tokens[i].text == ","), limit)
        # a comma right after the verb means it takes no clause: "…, a spokesman said, as …"
        # (but not after "that": "reported that, in a phone call, Trump …")
        right_empty = k >= limit or (tokens[k].text == "," and not that)
        if subject is not None and not right_empty and tokens[k].text in {"—", "–"} \
                and subject.start - 1 > lo and tokens[subject.start - 1].text == ",":
            # a trailing attribution followed by a dash aside: "X did Y, they said Sunday —
            # murder carrying the death penalty." reports what precedes it
            right_empty = True
        if subject is not None:
            claim.speaker = subject
            if cited is not None:
                claim.via, claim.speaker = subject, cited
            # the subject's first token, even when an appositive name or a cited source speaks
            first = self.subject_start if subject.start >= self.subject_start else subject.start
            claim.subject_tok = claim.clause_tok = first
            if right_empty:
                before = subject.start - 1
                if before > lo and tokens[before].text == ",":
                    self._set_content(claim, lo, before)
                    self._parenthetical(claim, lo, before, k, limit)
                elif not frame:
                    return None
            else:
                if clause_only:
                    return None
                self._set_content(claim, k, limit)
            return claim
        if clause_only and (cue.participle or not (j < lo or tokens[j].text == ",")):
            return None
        if j >= lo and tokens[j].lower in {"and", "but"}:
            claim.inherits = True
            claim.clause_tok = j - 1 if j - 1 >= lo and tokens[j - 1].text == "," else j
        elif cue.participle:
            claim.inherits = True
            # the participle clause starts at the comma before it, or at its adverbs ("further saying")
            claim.clause_tok = j if j >= lo and tokens[j].text == "," else j + 1
        elif j < lo or tokens[j].text == ",":
            inverted = self._inverted(cue_end, hi, claim)
            if inverted is None:
                return None
            claim.speaker = inverted
            if j > lo:
                self._set_content(claim, lo, j)
            elif not frame:
                return None
            return claim
        else:
            return None
        self._set_content(claim, k, limit)
        return claim if claim.has_content or frame else None

    def _particle_end(self, c: int, hi: int, particles: tuple[str, ...]) -> int | None:
        """End of "pointed out" / "made it clear" at ``c``, or None without the particle."""
        for particle in particles:
            words = particle.split()
            if c + len(words) < hi and all(self.tokens[c + 1 + n].lower == w for n, w in enumerate(words)):
                return c + 1 + len(words)
        return None

    def _infinitive_frame(self, to: int, lo: int) -> int | None:
        """A reporting verb after "to" whose subject is the subject of the verb before it: "went
        on to say", "took to Twitter to say", "is reported to have said", "is understood to have
        told".  Returns the token before that verb group, where the subject ends; None when the
        infinitive is not reported speech ("declined to say", "wants to say", "plans to announce")."""
        tokens = self.tokens
        k = to - 1
        if k - 1 >= lo and tokens[k].lower == "on" and tokens[k - 1].lower in {"went", "go", "goes", "going", "gone"}:
            return k - 2
        if k - 1 >= lo and tokens[k].lower in {"reported", "understood", "believed", "thought", "known", "alleged"} \
                and tokens[k - 1].lower in PASSIVE_AUXILIARIES:
            k -= 2
            while k >= lo and (tokens[k].lower in AUXILIARIES or is_adverb(tokens[k])):
                k -= 1
            return k
        # "took to Twitter / social media / its website to say"
        for m in range(k, max(lo, k - 4) - 1, -1):
            if tokens[m].lower == "to":
                if m - 1 >= lo and tokens[m - 1].lower in {"took", "take", "takes", "taking"} and any(
                    t.lower in MEDIUM_NOUNS or t.lower == "media" for t in tokens[m + 1 : to]
                ):
                    return m - 2
                return None
        return None

    @staticmethod
    def _agrees(form: str, cue: Cue, subject: NounPhrase) -> bool:
        """Whether a present-tense reporting verb agrees with its subject: "officials says" and
        "an official state" are not verbs (the "-s" form is a plural noun, the bare form a
        noun after a singular one: "member states met", "a member state")."""
        if form in PLURAL_SUBJECT_ONLY:
            if subject.kind == "pronoun":
                return subject.head in {"they", "we"}
            return truly_plural(subject)
        third_person = form.endswith("s") and form != cue.lemma and not cue.participle and not cue.past_participle
        return not (third_person and truly_plural(subject))

    def _medium_relative(self, j: int, lo: int, claim: Claim) -> NounPhrase | None:
        """ "Facebook released a statement which read, …": a relative clause on a statement,
        letter or post speaks for whoever issued it — the subject of the clause the statement is
        the object of, else the statement itself ("the ministry's letter, which said …")."""
        tokens = self.tokens
        end = j - 1
        if tokens[end].text == ",":
            end -= 1
        start = scan_left(tokens, end, lo) if end >= lo else None
        if start is None:
            return None
        medium = self._phrase(start, end + 1)
        if not medium.medium:
            return None
        if medium.owner is not None:
            return medium.owner
        issuer = self.main_subject(start)
        if issuer is not None and issuer.end < start and issuer.kind != "pronoun":
            return issuer
        return medium if plausible_speaker(medium) else None

    def _parenthetical(self, claim: Claim, lo: int, before: int, k: int, limit: int) -> None:
        """An attribution set off inside its clause: "The fire, officials said, started in the
        kitchen." / "In between, she testified, the car stopped."  When the words before it
        are too few to be the statement, the statement runs on after it: from there when
        they are a fronted adverbial, else over the whole sentence."""
        tokens = self.tokens
        if k >= limit or tokens[k].text != "," or k + 1 >= limit:
            return
        words = [t for t in tokens[lo:before] if t.kind in {"w", "n", "q"}]
        after = tokens[k + 1]
        if not words or len(words) > 5 or any(t.kind == "q" or t.lower in AUXILIARIES for t in words):
            return
        if after.kind not in {"w", "n"} or after.lower in _CLAUSE_JOINERS or (after.lower in CUES and not after.cap) \
                or after.lower.endswith("ing"):
            return  # "…, he said, adding …", "…, he said, as …": the aside ends the statement
        first = tokens[lo].lower
        if first in _FRONTED or first in _TIME_PREPOSITIONS or first in {"by", "until", "between", "for"} \
                or is_adverb(tokens[lo]) or first in DAYS_AND_MONTHS:
            self._set_content(claim, k + 1, limit)
        else:
            self._set_content(claim, lo, limit)

    def _relative_antecedent(self, end: int, lo: int) -> NounPhrase | None:
        """The speaker a non-restrictive "who"/"which" refers to, ending at ``tokens[end]``:
        "…, said Ana Ruiz, who added that …", "… by the union, which said …"."""
        start = scan_left(self.tokens, end, lo)
        if start is None:
            return None
        phrase = self._phrase(start, end + 1)
        if phrase.kind == "pronoun" or not plausible_speaker(phrase):
            return None
        return phrase

    def _construction_reports(self, lemma: str, c: int, hi: int) -> bool:
        """Whether a verb of CONDITIONAL_LEMMAS reports here: "found that …" / "found X to be Y",
        "ruled (that) <finite clause>", "named X as Y"."""
        tokens = self.tokens
        k = self._skip_adverbials(c + 1, hi)
        if k >= hi:
            return False
        if tokens[k].lower == "that":
            return lemma != "name"
        limit = self._content_limit(k, hi)
        # the construction must complete before the next reporting verb ("named it X and named …")
        limit = next((i for i in range(k, limit) if tokens[i].lower in CUE_WORDS and not tokens[i].cap), limit)
        if lemma == "find":
            end = scan_right(tokens, k, limit)
            return end is not None and end + 1 < limit and tokens[end].lower == "to" and tokens[end + 1].lower == "be"
        if lemma == "rule":
            return tokens[k].kind == "w" and tokens[k].lower not in _OBJECT_PREPOSITIONS | {"out", "over"} and any(
                t.lower in AUXILIARIES for t in tokens[k + 1 : limit]
            )
        return any(t.lower == "as" for t in tokens[k + 1 : limit])

    def _inverted(self, k: int, hi: int, claim: Claim) -> NounPhrase | None:
        """ "…, said Asfandyar Mir, a fellow at …" / "…, says Afghan intelligence" / "…, argued the
        government's lawyer, Richard Keen." / "… said Russell Zimmerman per ABC News"."""
        tokens = self.tokens
        k = self._skip_adverbials(k, hi)
        end = scan_right(tokens, k, hi)
        if end is None:
            return None
        phrase = self._phrase(k, end)
        if phrase.kind == "descriptor" and end + 1 < hi and tokens[end].text == ",":
            name_end = scan_right(tokens, end + 1, hi)
            if name_end is not None and (name_end >= hi or tokens[name_end].text in {",", ".", ";", "!", "?"}):
                named = self._phrase(end + 1, name_end)
                if named.kind == "name" and named.person:
                    phrase, end = named, name_end
        if end < hi and tokens[end].text not in {",", ".", ";", "!", "?"}:
            following = tokens[end]
            # a participle modifying the speaker: "said a protester using the pseudonym Katya"
            modifier = following.kind == "w" and not following.cap and following.lower.endswith("ing") \
                and following.lower != "according"
            if following.lower not in _INVERTED_TRAILERS and not modifier:
                return None
            if tokens[end].lower == "per":
                via_end = scan_right(tokens, end + 1, hi)
                if via_end is not None:
                    claim.via = self._phrase(end + 1, via_end)
        return phrase if plausible_speaker(phrase) and phrase.kind != "pronoun" else None

    def _passive(self, claim: Claim, cue: Cue, c: int, j: int, lo: int, hi: int) -> Claim | None:
        """ "The charge was denied by X" / "he was told by X of …"."""
        tokens = self.tokens
        by = next(
            (m for m in range(c + 1, min(hi, c + 14)) if tokens[m].lower == "by" or tokens[m].text == ";"),
            None,
        )
        if by is None or tokens[by].text == ";":
            return None
        end = scan_right(tokens, by + 1, hi)
        if end is None:
            return None
        agent = self._phrase(by + 1, end)
        if not plausible_speaker(agent):
            return None
        claim.speaker = agent
        claim.subject_tok = None
        if cue.lemma == "tell" and j >= lo:
            start = scan_left(tokens, j, lo)
            if start is not None:
                claim.recipient = self._phrase(start, j + 1)
        if end < hi and tokens[end].lower in {"of", "that"}:
            self._set_content(claim, end + 1, self._content_limit(end + 1, hi))
        elif c + 2 < by and tokens[c + 1].lower == "as":
            self._set_content(claim, c + 2, by)  # "… was described as 'dangerous' by the police"
        else:
            # the passive's own subject: "…, but it was dismissed by the senate" reports "it", not
            # the clause before; a bare pronoun (a bill, a case) carries nothing to check
            first = next((b + 1 for b in range(j - 1, lo - 1, -1) if tokens[b].text in {";", ":"}
                          or (tokens[b].lower in _CLAUSE_BREAKS and b - 1 >= lo and tokens[b - 1].text == ",")), lo)
            if first == j and is_pronoun(tokens[j]):
                return None
            self._set_content(claim, first, j + 1 if first <= j else by)
        return claim if claim.has_content else None

    def _according(self, c: int, lo: int, hi: int, frame: bool = False) -> Claim | None:
        """ "According to X, …" / "…, according to X." / "a report citing X" / "In the view of
        X, …" (``c`` is "according" or the opinion noun)."""
        tokens = self.tokens
        if c + 1 >= hi or tokens[c + 1].lower != ("of" if tokens[c].lower in OPINION_NOUNS else "to"):
            return None
        first = c
        if tokens[c].lower in OPINION_NOUNS:
            first = c - 2 if tokens[c - 1].lower == "the" else c - 1  # the "In" of "In the view of"
            if first < lo:
                return None
        claim = Claim(c, tokens[first].start, self.text[tokens[first].start : tokens[c + 1].end], "say", clause_tok=first)
        end = scan_right(tokens, c + 2, hi)
        if end is None:
            return None
        source = self._phrase(c + 2, end)
        after = self._skip_adverbials(end, hi)
        if after < hi and tokens[after].lower in {"by", "citing"}:
            inner_end = scan_right(tokens, after + 1, hi)
            if inner_end is not None:
                if tokens[after].lower == "citing":
                    claim.via = source
                source = self._phrase(after + 1, inner_end)
                end = inner_end
        elif source.owner is not None:
            source = source.owner
        if not plausible_speaker(source) and source.kind != "name":
            return None
        claim.speaker = source
        limit = self._content_limit(end, hi)
        comma_before = first - 1 >= lo and tokens[first - 1].text == ","
        words_before = sum(1 for t in tokens[lo:first] if t.kind in {"w", "n", "q"})
        comma_after = end < limit and tokens[end].text == ","
        apposed = self._appositive(end, limit, source) if comma_after else None
        relative_after = comma_after and end + 1 < limit and tokens[end + 1].lower in _RELATIVE_PRONOUNS
        if comma_before and words_before >= 3 and (relative_after or apposed is not None and apposed[1] >= limit):
            # trailing, the source described after a comma: "…, according to prosecutor
            # Josh Bash, the U.S. Attorney for the Western District of Texas." / "…, according
            # to police, who said …"
            self._set_content(claim, lo, first - 1)
        elif first == lo and apposed is not None and apposed[1] < limit:
            # "According to the El Paso mayor, Dee Margo, …" / "According to Bash, the
            # U.S. Attorney, …": the aside names or describes the source; the content follows it
            if apposed[0].kind == "name" and source.kind != "name":
                claim.speaker = apposed[0]
            self._set_content(claim, apposed[1] + 1, limit)
        elif first == lo or (comma_before and comma_after):
            comma = next((i for i in range(end, limit) if tokens[i].text == ","), None)
            if comma is not None:
                self._set_content(claim, comma + 1, limit)
        elif comma_before and words_before >= 4 and end < limit and tokens[end].lower in _SOURCE_TRAILERS:
            # trailing, with the source described further: "…, according to a report from ABC
            # on March 3 in which …"
            self._set_content(claim, lo, first - 1)
        elif end < limit and tokens[end].kind == "w":
            self._set_content(claim, end, limit)
        elif comma_before:
            self._set_content(claim, lo, first - 1)
        elif end >= limit and words_before >= 3:
            self._set_content(claim, lo, first)  # "… entered the town yesterday according to state media."
        return claim if claim.has_content or frame else None

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

    def _appositive(self, comma: int, limit: int, source: NounPhrase) -> tuple[NounPhrase, int] | None:
        """A phrase in apposition to ``source`` after the comma at ``comma``, and where it ends
        (a closing comma, or ``limit``): a personal name after a person described ("the mayor,
        Dee Margo,") or a person's description after a name ("Josh Bash, the U.S. Attorney for
        …"). Anything else ("police, the suspect, …") is not read as one."""
        tokens = self.tokens
        end = scan_right(tokens, comma + 1, limit)
        if end is None or (end < limit and tokens[end].text != ","):
            return None
        phrase = self._phrase(comma + 1, end)
        if source.kind == "name" and source.person:
            fits = phrase.kind == "descriptor" and phrase.person or (
                phrase.kind == "name" and tokens[comma + 1].lower in DETERMINERS and _title_head(phrase)
            )
        else:
            fits = source.kind == "descriptor" and source.person and phrase.kind == "name" and phrase.person
        return (phrase, end) if fits else None

    # -- quotes -------------------------------------------------------------------------------

    def _quote_claims(self) -> list[Claim]:
        """Direct quotes with their frames (which are returned too, usually as non-emitting)."""
        tokens = self.tokens
        claims: list[Claim] = []
        spans = []
        index_at = {token.start: i for i, token in enumerate(tokens) if token.kind == "p"}
        for quote in self.quotes:
            open_i = index_at.get(quote.open_mark)
            close_i = index_at.get(quote.close_mark)
            if open_i is not None and close_i is not None and close_i > open_i:
                spans.append((quote, open_i, close_i))
        lo = 0
        previous_direct: Claim | None = None
        for n, (quote, open_i, close_i) in enumerate(spans):
            hi = spans[n + 1][1] if n + 1 < len(spans) else len(tokens)
            if not self._is_direct(quote, lo, open_i, close_i, hi):
                continue
            insort(self.stops, open_i)
            claim = Claim(
                open_i, quote.start, "", "say", direct=True, start=quote.start, end=quote.end, clause_tok=open_i
            )
            frame = self._leading_frame(lo, open_i) or self._trailing_frame(close_i + 1, hi)
            if frame is not None:
                claim.inherit_from = frame
                claim.cue_text, claim.cue_kind = frame.cue_text, frame.cue_kind
                claims.append(frame)
            elif previous_direct is not None:
                claim.inherit_from = previous_direct
                claim.cue_text, claim.cue_kind = previous_direct.cue_text, previous_direct.cue_kind
            elif all(t.kind == "p" for t in tokens[:open_i]) and not self._cue_follows(close_i + 1, hi):
                # a quotation opening the sentence continues the last speaker — unless a
                # reporting verb right after it names someone this analysis could not read
                claim.continuation = True
            else:
                continue
            claims.append(claim)
            previous_direct = claim
            lo = close_i + 1
        return claims

    def _cue_follows(self, start: int, hi: int) -> bool:
        """Whether a reporting verb follows a quotation closely ("'…,' said a man who …")."""
        k = start
        while k < hi and self.tokens[k].kind == "p":
            k += 1
        return any(self._cue(i, frame=True) is not None for i in range(k, min(hi, k + 3)))

    def _is_direct(self, quote: Quote, lo: int, open_i: int, close_i: int, hi: int) -> bool:
        """A quote is a statement of its own, not a phrase quoted inside the reporter's clause."""
        tokens = self.tokens
        left = [t for t in tokens[lo:open_i] if t.kind != "p" or t.text in {",", ":", ";"}]
        left_ok = not left or left[-1].text in {",", ":", ";"} or self._cue(open_i - 1, frame=True) is not None
        if not left_ok:
            return False
        if left and left[-1].text == ":":
            return True  # "X tweeted: '…'" introduces a quotation however it ends
        if left and left[-1].text == "," and self._open_that_clause(lo, open_i):
            return False  # "reported that with the limit in place, '…'": the quote ends the clause
        inner = self.text[quote.start : quote.end].rstrip()
        if inner and inner[-1] in ".!?,;:":
            return True
        if close_i + 1 >= hi or tokens[close_i + 1].text in _CLOSING_PUNCT:
            return True
        return any(self._is_cue_start(i) for i in range(close_i + 1, min(hi, close_i + 7)))

    def _open_that_clause(self, lo: int, open_i: int) -> bool:
        """Whether a "<verb> that …" reported clause, with words of its own, runs up to ``open_i``."""
        tokens = self.tokens
        for c in range(open_i - 1, lo - 1, -1):
            cue = self._cue(c, frame=False)
            if cue is None:
                continue
            k = c + 1
            if cue.kind == "tell":
                k = scan_right(tokens, k, open_i) or k
            k = self._skip_adverbials(k, open_i)
            if k >= open_i or tokens[k].lower != "that":
                return False
            return sum(1 for t in tokens[k + 1 : open_i] if t.kind in {"w", "n"}) >= 2
        return False

    def _leading_frame(self, lo: int, open_i: int) -> Claim | None:
        """ "X said: '…'" — the last cue before the quote, if the frame ends at the quote."""
        tokens = self.tokens
        if open_i - 1 < lo or (tokens[open_i - 1].text not in {",", ":"} and self._cue(open_i - 1, True) is None):
            return None
        for c in range(open_i - 1, lo - 1, -1):
            if not (self._cue(c, frame=True) or self._is_cue_start(c)):
                continue
            frame = self.analyse_cue(c, lo, open_i, frame=True)
            if frame is None:
                return None
            words = sum(1 for t in tokens[frame.content_tok : frame.content_end_tok] if t.kind in {"w", "n", "q"})
            frame.emit = frame.has_content and frame.content_tok > c and words >= 4 \
                and tokens[frame.content_tok].lower not in _CIRCUMSTANCE
            self.consumed.add(c)
            return frame
        return None

    def _trailing_frame(self, start: int, hi: int) -> Claim | None:
        """ "'…,' X said." — a cue right after the quote whose subject follows the quote."""
        tokens = self.tokens
        k = start
        while k < hi and tokens[k].kind == "p":
            k += 1
        for c in range(k, min(hi, k + 10)):
            if not (self._cue(c, frame=True) or self._is_cue_start(c)):
                continue
            frame = self.analyse_cue(c, k, hi, frame=True)
            if frame is None or frame.speaker is None:
                return None
            if frame.subject_tok is not None and frame.subject_tok != k:
                return None
            frame.emit = False
            frame.content_tok = frame.content_end_tok = -1
            self.consumed.add(c)
            return frame
        return None

    # -- whole sentence -----------------------------------------------------------------------

    def analyse(self) -> list[Claim]:
        """All claims of the sentence, frames and nesting resolved."""
        if not self.tokens:
            return []
        claims = self._quote_claims() if self.quotes else []
        candidates = [i for i in self.marked if self.tokens[i].lower in CUE_WORDS]
        for i in candidates:
            if i in self.consumed or not self._is_cue_start(i):
                continue
            claim = self.analyse_cue(i, 0, len(self.tokens))
            if claim is not None:
                claims.append(claim)
        claims.sort(key=lambda claim: claim.cue_index)
        subjects = [(c.speaker.start, c.speaker.end) for c in claims if c.speaker is not None]
        claims = [c for c in claims if c.direct or not any(a <= c.cue_index < b for a, b in subjects)]
        self._sentence_relay(claims)
        self._inherit(claims)
        self._split_that_clauses(claims)
        self._nest(claims)
        for claim in claims:
            # an indirect question ("described how the attack unfolded") reports no proposition
            if not claim.direct and claim.has_content and self.tokens[claim.content_tok].lower in _INDIRECT_QUESTION:
                claim.emit = False
            # "requested anonymity", "asked not to be named": a condition of speaking, not a statement
            if claim.cue_kind == "request" and claim.has_content and not claim.direct and (
                self.tokens[claim.content_tok].lower == "anonymity"
                or [t.lower for t in self.tokens[claim.content_tok : claim.content_tok + 3]] == ["not", "to", "be"]
            ):
                claim.emit = False
        return [claim for claim in claims if not claim.dropped]

    def _sentence_relay(self, claims: list[Claim]) -> None:
        """A leading "Speaking to X," relays every statement of the sentence."""
        tokens = self.tokens
        leaders = [i for i in self.marked if tokens[i].lower in _RELAY_LEADERS and i < len(tokens) - 1]
        for i in leaders:
            target = self._relay_target(i + 1, len(tokens))
            if target is not None:
                for claim in claims:
                    if claim.via is None and claim.recipient is None:
                        claim.via = target
                return

    def _inherit(self, claims: list[Claim]) -> None:
        """Participles and coordinated verbs take the subject of the clause before them."""
        for n, claim in enumerate(claims):
            if not claim.inherits:
                continue
            # a claim inside a relative clause ("Amman, who was described as … by the police,
            # sent … and advised …") is not the clause the coordinated verb continues
            previous = next(
                (p for p in reversed(claims[:n])
                 if not p.dropped and not self._inside_relative(p.cue_index, claim.cue_index)),
                None,
            )
            if previous is not None:
                claim.inherit_from = previous
                continue
            if self._opens_sentence(claim.cue_index):
                # "Calling it a 'culture of death', the archbishop said …": a participle clause
                # opening the sentence has the main clause's subject, which comes after it
                main = next(
                    (f for f in claims[n + 1 :] if not f.dropped and not f.inherits and f.speaker is not None), None
                )
                if main is not None:
                    claim.inherit_from = main
                    continue
            subject = self.main_subject(claim.cue_index)
            if subject is None:
                claim.dropped = True
                continue
            claim.speaker = subject
            claim.subject_tok = subject.start

    def _opens_sentence(self, i: int) -> bool:
        """Whether token ``i`` starts the sentence, after punctuation and adverbs only."""
        return all(t.kind == "p" or is_adverb(t) for t in self.tokens[:i])

    def _inside_relative(self, i: int, upto: int) -> bool:
        """Whether token ``i`` is in a ", who/which …," clause that closes before token ``upto``."""
        tokens = self.tokens
        for o in range(i - 1, -1, -1):
            if tokens[o].text in {",", ";", ":"}:
                if tokens[o].text != "," or tokens[o + 1].lower not in _RELATIVE_PRONOUNS:
                    return False
                return any(t.text == "," for t in tokens[i + 1 : upto])
        return False

    def _nest(self, claims: list[Claim]) -> None:
        """Relay or cut where one claim's cue falls inside another claim's reported span."""
        for outer in claims:
            if outer.dropped or outer.direct or not outer.has_content:
                continue
            for inner in claims:
                if inner is outer or inner.dropped or inner.direct:
                    continue
                if not outer.content_tok <= inner.cue_index < outer.content_end_tok:
                    continue
                if inner.inherit_from is outer:
                    self._cut(outer, inner.clause_tok)
                elif inner.subject_tok is not None and inner.subject_tok in (outer.content_tok, self._after_fronted(outer)):
                    if inner.speaker is not None and inner.speaker.kind == "pronoun" or self._reported_act(inner):
                        inner.dropped = True
                    else:
                        inner.outer = outer
                        outer.dropped = True
                        if inner.content_end_tok > outer.content_end_tok:
                            self._set_content(inner, inner.content_tok, outer.content_end_tok)
                elif inner.subject_tok is not None and inner.subject_tok > outer.content_tok:
                    self._cut(outer, inner.subject_tok)
                if outer.dropped:
                    break

    def _reported_act(self, claim: Claim) -> bool:
        """ "He noted that the parliament rejected the deal": a rejection with a plain object
        is an act the outer speaker reports, not words passed on (unlike "rejected claims that …")."""
        tokens = self.tokens
        if claim.cue_kind != "deny" or not claim.has_content:
            return False
        after = tokens[claim.content_tok - 1].lower if claim.content_tok > 0 else ""
        return after != "that" and not any(t.lower == "that" for t in tokens[claim.content_tok : claim.content_end_tok])

    def _after_fronted(self, claim: Claim) -> int | None:
        """Where a reported clause resumes after a fronted adverbial ("In December, | a Turkish
        official said …, Cyprus Mail reported")."""
        tokens = self.tokens
        k = claim.content_tok
        if tokens[k].lower not in _FRONTED and tokens[k].lower not in DAYS_AND_MONTHS:
            return None
        for i in range(k + 1, min(claim.content_end_tok, k + 10)):
            if tokens[i].text == ",":
                return i + 1
            if tokens[i].lower in CUE_WORDS or tokens[i].lower in AUXILIARIES or tokens[i].kind == "q":
                return None
        return None

    def _split_that_clauses(self, claims: list[Claim]) -> None:
        """ "noted that A, and that B": two statements of the same speaker."""
        tokens = self.tokens
        extra = []
        for claim in claims:
            if claim.dropped or claim.direct or not claim.has_content:
                continue
            first_word = claim.cue_text.split()[0].lower() if claim.cue_text else ""
            # "called it 'A' and 'B'" characterises once; "said 'A' and 'B'" says two things
            characterises = first_word in CUES and CUES[first_word].lemma in _CHARACTERISING
            for m in range(claim.content_tok + 2, claim.content_end_tok - 1):
                if tokens[m - 1].lower not in _AND_BUT:
                    continue  # both readings below follow "and" (or "but")
                quoted = not characterises and self._quote_after_quote(m, claim.content_tok)
                if quoted or tokens[m].lower == "that" and tokens[m - 1].lower in {"and", "but"}:
                    second = Claim(m, tokens[m].start, claim.cue_text, claim.cue_kind, inherit_from=claim, clause_tok=m)
                    if quoted and m + 2 < claim.content_end_tok and tokens[m + 2].kind == "p":
                        # "… and 'B'": the second quotation alone, without its marks
                        self._set_content(second, m + 1, m + 2)
                    else:
                        self._set_content(second, m + 1, claim.content_end_tok)
                    self._cut(claim, m)
                    if second.has_content:
                        extra.append(second)
                    break
        if extra:
            claims.extend(extra)
            claims.sort(key=lambda claim: claim.cue_index)

    def _quote_after_quote(self, m: int, first: int) -> bool:
        """Whether ``tokens[m]`` opens a quotation coordinated with one just closed: '… "A",
        and "B"' / 'said "A" and "B"'."""
        tokens = self.tokens
        if not (tokens[m].kind == "p" and m + 1 < len(tokens) and tokens[m + 1].kind == "q"
                and tokens[m - 1].lower == "and"):
            return False
        b = m - 2
        if b > first and tokens[b].text == ",":
            b -= 1
        return b > first and tokens[b].kind == "p" and tokens[b - 1].kind in {"q", "p"}

    def _cut(self, claim: Claim, at: int) -> None:
        """End a reported span before token ``at`` and the conjunction leading up to it."""
        end = at
        while end > claim.content_tok and self.tokens[end - 1].lower in _CLAUSE_JOINERS:
            end -= 1
        self._set_content(claim, claim.content_tok, end)
        if not claim.has_content:
            claim.dropped = True


def _title_head(phrase: NounPhrase) -> bool:
    """Whether a capitalised phrase is a post ("the U.S. Attorney for …"), not a name."""
    return phrase.head.rstrip(".") in TITLE_WORDS


def analyse_sentence(text: str, masked: str, sentence: Sentence, quotes: list[Quote]) -> list[Claim]:
    """Claims of one sentence (``quotes`` are those opening inside it)."""
    return SentenceAnalyser(text, masked, sentence, quotes).analyse()

