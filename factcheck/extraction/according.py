"""Frames whose source is a noun phrase rather than a verb's subject.

"According to X, …" / "…, according to X" (with the source described or named in an
appositive), "In the view of X, …", "In his view, …", "X's position was that …", and a
characterisation named by a noun: "the proclamation of X as Y by Z" (Z characterised X as Y).
"""

from __future__ import annotations

from .clause import _RELATIVE_PRONOUNS, Claim, ClauseBase
from .lexicon import DETERMINERS, OPINION_NOUNS, TITLE_WORDS
from .phrases import NounPhrase, is_possessive, plausible_speaker, scan_left, scan_right

# what may follow the source of a trailing "according to X" other than the main clause's verb
_SOURCE_TRAILERS = frozenset({"on", "in", "at", "of", "from", "which", "who", "that", "published", "released",
                              "issued", "last", "earlier", "this", "dated"})
_POSSESSIVE_SUBJECTS = {"his": "he", "her": "she", "their": "they", "its": "it"}


class AccordingFrames(ClauseBase):
    """Frames with a noun-phrase source: "according to X", "in the view of X", "X's position is that"."""

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

    def _opinion_frame(self, i: int) -> bool:
        """ "In the view of X" / "in the analysis of X" (``i`` is the noun)."""
        tokens = self.tokens
        before = i - 2 if i >= 2 and tokens[i - 1].lower == "the" else i - 1
        return before >= 0 and tokens[before].lower == "in" and i + 2 < len(tokens) and tokens[i + 1].lower == "of"

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

    def _position_frame(self, i: int) -> bool:
        """ "The government's argument was that …" / "His position is that …" (``i`` is the noun)."""
        tokens = self.tokens
        return 0 < i and i + 3 < len(tokens) and tokens[i + 1].lower in {"is", "was", "remains", "remained"} \
            and tokens[i + 2].lower == "that" and (tokens[i - 1].lower in _POSSESSIVE_SUBJECTS
                                                   or is_possessive(tokens[i - 1]))

    def _nominal_frame(self, c: int, hi: int | None = None) -> tuple[int, int, NounPhrase] | None:
        """For "the proclamation of X as Y by Z" (``c`` is the noun): where the characterisation
        "X as Y" ends (the "by"), where Z ends, and Z — when Z can speak."""
        tokens = self.tokens
        hi = len(tokens) if hi is None else hi
        if c + 3 >= hi or tokens[c + 1].lower != "of":
            return None
        as_at = by = None
        for m in range(c + 2, min(hi, c + 20)):
            if tokens[m].text in {",", ";", ":"} or tokens[m].kind == "q" and as_at is None:
                return None
            if tokens[m].lower == "as" and as_at is None and m > c + 2:
                as_at = m
            elif tokens[m].lower == "by" and as_at is not None and m > as_at + 1:
                by = m
                break
        if by is None:
            return None
        end = scan_right(tokens, by + 1, hi)
        if end is None:
            return None
        agent = self._phrase(by + 1, end)
        return (by, end, agent) if agent.kind != "pronoun" and plausible_speaker(agent) else None

    def _nominal_claim(self, c: int, hi: int) -> Claim | None:
        """The claim of "the proclamation of X as Y by Z": Z's characterisation "X as Y"."""
        found = self._nominal_frame(c, hi)
        if found is None:
            return None
        by, _end, agent = found
        tokens = self.tokens
        claim = Claim(c, tokens[c].start, tokens[c].text, "say", clause_tok=c)
        claim.speaker = agent
        self._set_content(claim, c + 2, by)
        return claim if claim.has_content else None

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


def _title_head(phrase: NounPhrase) -> bool:
    """Whether a capitalised phrase is a post ("the U.S. Attorney for …"), not a name."""
    return phrase.head.rstrip(".") in TITLE_WORDS
