"""Who speaks: the subject of a reporting verb, read leftwards from the verb.

The subject is the noun phrase ending just before the verb, looking through what can stand
between them — an appositive ("Lisa Parry, 61, a nurse, said"), a relative clause ("Two
people who attended said"), a participial or "citing" aside, a stray comma.  Also here: the
sentence's main subject (for participles and "they" in the next sentence), the antecedent of a
non-restrictive "who"/"which", and the issuer of a statement a relative clause is about
("released a statement which read …").
"""

from __future__ import annotations

from .clause import _RELATIVE_PRONOUNS, _RELAY_LEADERS, Claim, ClauseBase
from .lexicon import AUXILIARIES, CUES, DAYS_AND_MONTHS, DETERMINERS, IRREGULAR_VERBS, PARENTHETICAL_ADVERBS
from .phrases import NounPhrase, is_pronoun, np_word, plausible_speaker, scan_left, scan_right
from .segment import Token

# words that open a subordinate clause with a subject of its own
_SUBORDINATORS = frozenset({"where", "when", "while", "whereas", "after", "before", "as", "because", "since",
                            "although", "though"})
_LEADING_ADVERBS = frozenset({"then", "also", "later", "subsequently", "separately", "meanwhile", "still", "now"})
_ADVERBIAL_LEADERS = _RELAY_LEADERS | {"in", "on", "at"}
# Participles of passing something on: "a notice published by GitHub" is still the notice
_PUBLISHING_PARTICIPLES = frozenset({"published", "posted", "released", "issued", "shared", "circulated",
                                     "distributed", "reported", "quoted", "cited", "obtained", "seen"})
# Sentence adverbs set off by a comma before the subject ("First, he …", "Moreover, the firm …")
_SENTENCE_ADVERBS = frozenset({"first", "second", "third", "finally", "moreover", "furthermore", "however",
                               "nevertheless", "nonetheless", "additionally", "instead", "again", "previously",
                               "recently", "currently", "separately", "similarly", "likewise", "overall"})


class SubjectFinder(ClauseBase):
    """Finding the speaker to the left of a reporting verb."""

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
        if first in {"of", "from"} and 1 < len(segment) <= 10 and scan_right(self.tokens, start + 1, end) == end:
            return "adverbial"  # an affiliation: "Sharif Hotak, of the provincial council, said"
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
        if start - 3 >= lo and tokens[start - 1].lower == "by" and tokens[start - 2].kind == "w" \
                and tokens[start - 2].lower in _PUBLISHING_PARTICIPLES:
            before = scan_left(tokens, start - 3, lo)  # "RIAA's notice published by GitHub alleged …":
            if before is not None and plausible_speaker(self._phrase(before, start - 2)):
                # the notice alleges, relayed by who published it
                claim.via = self._phrase(start, j + 1)
                j, start = start - 3, before
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
        """ "Two people who attended the meeting said …" / "Legislators supporting the law argued
        …": the speaker precedes "who", or a participle that modifies it."""
        tokens = self.tokens
        for r in range(start - 1, max(lo, start - 12) - 1, -1):
            if tokens[r].text in {",", ";", ":"} or tokens[r].kind == "q":
                return None
            participle = tokens[r].kind == "w" and not tokens[r].cap and tokens[r].lower.endswith("ing") \
                and tokens[r].lower != "according" and not np_word(tokens[r])
            if (tokens[r].lower in {"who", "that"} or participle) and r - 1 >= lo:
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

    def clause_subject(self, i: int) -> NounPhrase | None:
        """The subject of a subordinate clause that a participle at ``i`` belongs to: "…, where Dr
        Ruiz was met with applause upon announcing …" — the words after "where" (or "when",
        "after", "as", "while", …) up to the participle, when they open with a possible speaker
        and its verb."""
        tokens = self.tokens
        for b in range(i - 1, max(-1, i - 25), -1):
            if tokens[b].text in {",", ";", ":"} or tokens[b].kind == "q":
                if tokens[b].text != "," or b + 1 >= i or tokens[b + 1].lower not in _SUBORDINATORS:
                    return None
                continue
            if tokens[b].lower not in _SUBORDINATORS or b == 0:
                continue
            end = scan_right(tokens, b + 1, i)
            if end is None or end >= i or not (tokens[end].lower in AUXILIARIES or _past_tense(tokens[end])):
                return None
            phrase = self._phrase(b + 1, end)
            return phrase if plausible_speaker(phrase) else None
        return None

    def main_subject(self, hi: int) -> NounPhrase | None:
        """Subject of the sentence's main clause, after any leading adverbial phrase."""
        tokens = self.tokens
        k = 0
        first = tokens[0].lower if tokens else ""
        if first in _LEADING_ADVERBS and len(tokens) > 1 and tokens[1].text != ",":
            k = 1  # "Then both nations issued statements …"
        elif first in _LEADING_ADVERBS | _SENTENCE_ADVERBS and len(tokens) > 2 and tokens[1].text == ",":
            k = 2  # "First, he juxtaposed numbers, claiming …"
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

    def _relative_antecedent(self, end: int, lo: int) -> NounPhrase | None:
        """The speaker a non-restrictive "who"/"which" refers to, ending at ``tokens[end]``:
        "…, said Ana Ruiz, who added that …", "… by the union, which said …"."""
        start = scan_left(self.tokens, end, lo)
        if start is None:
            return None
        phrase = self._phrase(start, end + 1)
        if not plausible_speaker(phrase) and phrase.owner is not None and plausible_speaker(phrase.owner):
            phrase = phrase.owner  # "criticism by the council, which said …": the council
        if phrase.kind == "pronoun" or not plausible_speaker(phrase):
            return None
        return phrase

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
        # "They released a statement which said …": "they" is found like any speaker pronoun
        if issuer is not None and issuer.end < start:
            return issuer
        return medium if plausible_speaker(medium) else None


def _past_tense(token: Token) -> bool:
    """A past-tense verb form ("met", "arrived", "spoke")."""
    return token.kind == "w" and not token.cap and (token.lower in IRREGULAR_VERBS or token.lower.endswith("ed"))
