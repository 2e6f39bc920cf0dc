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

The constructions live in their own modules, each a mixin of ``SentenceAnalyser``:
``quoted`` (quotations and the frames next to them), ``verbs`` (reporting verbs in clause
structure), ``according`` ("according to X", "in the view of X", "X's position is that"),
``subjects`` (the speaker to the left of a verb) and ``clause`` (the claim record and the
helpers they share).  This module holds the passes over the whole sentence: relays, subjects
borrowed by participles and coordinated verbs, "that A and that B", and nesting.
"""

from __future__ import annotations

from .according import AccordingFrames
from .clause import _FRONTED, _RELATIVE_PRONOUNS, _RELAY_LEADERS, Claim
from .lexicon import AUXILIARIES, CUE_WORDS, CUES, DAYS_AND_MONTHS
from .passives import Passives
from .quoted import QuoteFrames
from .quotes import Quote
from .segment import Sentence
from .subjects import SubjectFinder
from .verbs import ReportingVerbs

_INDIRECT_QUESTION = frozenset({"how", "why", "whether"})
_CHARACTERISING = frozenset({"call", "term", "describe", "characterise", "name", "identify"})
_AND_BUT = frozenset({"and", "but"})


class SentenceAnalyser(QuoteFrames, ReportingVerbs, Passives, AccordingFrames, SubjectFinder):
    """Finds the claims of one sentence; see the module docstring for the passes."""

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
        claims.extend(self.pending)
        claims.sort(key=lambda claim: claim.cue_index)
        subjects = [(c.speaker.start, c.speaker.end) for c in claims if c.speaker is not None]
        claims = [c for c in claims if c.direct or not any(a <= c.cue_index < b for a, b in subjects)]
        self._sentence_relay(claims)
        self._inherit(claims)
        self._split_that_clauses(claims)
        self._nest(claims)
        for claim in claims:
            # an indirect question ("described how the attack unfolded") reports no proposition —
            # unless the verb doubts it ("questioned whether the dam would hold")
            if not claim.direct and claim.has_content and self.tokens[claim.content_tok].lower in _INDIRECT_QUESTION \
                    and claim.cue_kind != "doubt":
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
            if previous is not None and previous.citer is not None:
                # "It cited X as saying …, and claimed …": the one who cited claims
                claim.speaker, claim.subject_tok, claim.borrowed_from = previous.citer, previous.subject_tok, previous
                continue
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
            subject = self.clause_subject(claim.cue_index) or self.main_subject(claim.cue_index)
            if subject is None:
                claim.dropped = True
                continue
            claim.speaker = subject
            claim.subject_tok = subject.start

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
                if inner.inherit_from is outer or inner.borrowed_from is outer:
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


def analyse_sentence(text: str, masked: str, sentence: Sentence, quotes: list[Quote]) -> list[Claim]:
    """Claims of one sentence (``quotes`` are those opening inside it)."""
    return SentenceAnalyser(text, masked, sentence, quotes).analyse()
