"""Reporting verbs in the passive, and sources cited "as saying".

* Passives with an agent: "The charge was denied by X", "he was told by X of …", "It was
  reported by X that …", "Politicians were reported by local media to have visited …",
  "The plan was described by X as reckless".
* Reduced passives — a participle and its agent without "was": "A cargo plane, reported by
  local press as belonging to the military, crashed …" (X said the plane belonged …), with a
  second agent coordinated ("…, reported by A as convicted of assault and by B of robbery"),
  and information "provided by X" ("Estimated tolls, provided by officials to journalists,
  exceeded 100": the officials' figures, so the whole clause is theirs).
* A source cited or quoted "as saying": "The paper cited the air force as stating that …",
  "Khan was quoted by Reuters as saying …": the cited source speaks, relayed by who cited it.
"""

from __future__ import annotations

from .clause import Claim, ClauseBase
from .lexicon import CUES, Cue
from .phrases import NounPhrase, is_adverb, is_pronoun, np_word, plausible_speaker, scan_left, scan_right
from .segment import Token

_CLAUSE_BREAKS = frozenset({"but", "and", "while", "whereas", "although", "though", "yet"})
# verbs whose reduced passive hands over information: "figures provided by officials"
_INFORMATION_VERBS = frozenset({"provide", "report"})
# what such information is: the clause it heads is the source's
_INFORMATION_NOUNS = frozenset(
    "toll tolls figure figures estimate estimates number numbers data statistics count counts tally tallies "
    "details information account accounts".split()
)
# what is raised: "an issue raised by X was …"
_ISSUE_NOUNS = frozenset({"issue", "issues", "concern", "concerns", "question", "questions", "point", "points",
                          "objection", "objections", "argument", "arguments", "criticism", "complaint", "matter"})
# verbs that cite a source "as saying"
_CITING = frozenset({"cite", "quote"})


class Passives(ClauseBase):
    """Passives, reduced passives and "cited X as saying"."""

    def _passive(self, claim: Claim, cue: Cue, c: int, j: int, lo: int, hi: int) -> Claim | None:
        """ "The charge was denied by X" / "he was told by X of …" / "was reported by X to have …"."""
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
        if cue.lemma in _CITING and by == c + 1:
            # "Khan was quoted by Reuters as saying …": Khan speaks, relayed by Reuters
            subject_start = scan_left(tokens, j, lo) if j >= lo else None
            if subject_start is None:
                return None
            return self._cited_as(claim, self._phrase(subject_start, j + 1), agent, end, hi)
        claim.speaker = agent
        claim.subject_tok = None
        if cue.lemma == "tell" and j >= lo:
            start = scan_left(tokens, j, lo)
            if start is not None:
                claim.recipient = self._phrase(start, j + 1)
        if end < hi and tokens[end].lower in {"of", "that"}:
            self._set_content(claim, end + 1, self._content_limit(end + 1, hi))
        elif end + 1 < hi and tokens[end].lower == "to" and _verb_after(tokens[end + 1]):
            # "… were reported by local media to have visited the hospital"
            self._set_content(claim, end, self._content_limit(end, hi))
        elif end + 1 < hi and tokens[end].lower == "as":
            self._set_content(claim, end + 1, self._content_limit(end + 1, hi))  # "described by X as Y"
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

    def _reduced_passive(self, claim: Claim, cue: Cue, c: int, lo: int, hi: int) -> Claim | None:
        """ "X, reported by A as Y, …" / "a man described by police as dangerous" / "figures,
        provided by officials, …" (``c`` is the participle), or None when it is not one."""
        tokens = self.tokens
        if not cue.past_participle or cue.participle:
            return None
        b = c - 1
        while b >= lo and is_adverb(tokens[b]):
            b -= 1  # "reportedly conducted by"
        if b < lo or not (tokens[b].text == "," or np_word(tokens[b])):
            return None
        by = c + 1
        while by < hi and is_adverb(tokens[by]):
            by += 1  # "provided anonymously by"
        if by >= hi or tokens[by].lower != "by":
            return None
        agent, k = self._agent(by, hi)
        if agent is None:
            return None
        if k + 1 < hi and tokens[k].lower == "to":
            end = scan_right(tokens, k + 1, hi)  # "provided by officials to journalists"
            if end is not None:
                claim.recipient = self._phrase(k + 1, end)
                k = end
        limit = self._content_limit(k, hi)
        if k + 1 < hi and tokens[k].lower == "as":
            end = self._aside_end(k + 1, limit)
            self._set_content(claim, k + 1, end)
            self._second_agent(claim, end, limit)
        elif cue.lemma == "raise" and k + 1 < hi and tokens[k].lower in {"was", "is", "were", "are"} \
                and tokens[b].lower in _ISSUE_NOUNS:
            # "An issue raised by the complaint was BIPA's definition of …": the issue it raised
            self._set_content(claim, k + 1, self._content_limit(k + 1, hi))
        elif tokens[b].text == "," and cue.lemma in _INFORMATION_VERBS and b - 1 >= lo:
            # the information itself opens the sentence: the whole clause is the source's
            start = scan_left(tokens, b - 1, lo)
            if start is None or any(t.kind == "p" for t in tokens[lo:start]):
                return None
            if self._phrase(start, b).head not in _INFORMATION_NOUNS:
                return None
            self._set_content(claim, lo, self._content_limit(lo, hi))
        else:
            return None
        claim.speaker = agent
        claim.subject_tok = None
        return claim if claim.has_content else None

    def _agent(self, by: int, hi: int) -> tuple[NounPhrase | None, int]:
        """The agent after "by" at ``by`` (a possible speaker, not a pronoun) and where it ends."""
        end = scan_right(self.tokens, by + 1, hi)
        if end is None:
            return None, by
        agent = self._phrase(by + 1, end)
        if agent.kind == "pronoun" or not plausible_speaker(agent):
            return None, by
        return agent, end

    def _aside_end(self, start: int, limit: int) -> int:
        """Where the complement of a reduced passive ends: at a comma, or before "and by"."""
        tokens = self.tokens
        for i in range(start, limit):
            if tokens[i].text == "," or (tokens[i].lower == "and" and i + 1 < limit and tokens[i + 1].lower == "by"):
                return i
        return limit

    def _second_agent(self, claim: Claim, at: int, limit: int) -> None:
        """ "… reported by A as Y and by B of Z": B's statement, Z, with the same verb."""
        tokens = self.tokens
        if not (at + 2 < limit and tokens[at].lower == "and" and tokens[at + 1].lower == "by"):
            return
        agent, k = self._agent(at + 1, limit)
        if agent is None or k + 1 >= limit or tokens[k].lower not in {"as", "of"}:
            return
        second = Claim(at + 1, tokens[at + 1].start, claim.cue_text, claim.cue_kind, clause_tok=at)
        self._set_content(second, k + 1, self._aside_end(k + 1, limit))
        if second.has_content:
            second.speaker = agent
            self.pending.append(second)

    def _cited_as(self, claim: Claim, source: NounPhrase, citer: NounPhrase, k: int, hi: int) -> Claim | None:
        """ "… as saying (that) <clause>" at ``k``: ``source`` speaks, relayed by ``citer``."""
        tokens = self.tokens
        if not (k + 1 < hi and tokens[k].lower == "as"):
            return None
        verb = CUES.get(tokens[k + 1].lower)
        if verb is None or not verb.participle or source.kind == "pronoun" and source.head not in {"he", "she", "they"}:
            return None
        self.consumed.add(k + 1)  # the participle is this claim's, not a claim of its own
        start = k + 2
        if start < hi and tokens[start].lower == "that":
            start += 1
        claim.speaker, claim.via, claim.citer = source, citer, citer
        claim.cue_kind = verb.kind if verb.kind in {"say", "deny", "request"} else claim.cue_kind
        self._set_content(claim, start, self._content_limit(start, hi))
        return claim if claim.has_content else None

    def _cited_object(self, claim: Claim, subject: NounPhrase, k: int, hi: int) -> Claim | None:
        """ "The paper cited the air force as stating …" (``k`` is the object's first token)."""
        end = scan_right(self.tokens, k, hi)
        if end is None:
            return None
        source = self._phrase(k, end)
        if source.kind != "pronoun" and not plausible_speaker(source):
            return None
        return self._cited_as(claim, source, subject, end, hi)


def _verb_after(token: Token) -> bool:
    """Whether a token after "to" starts a verb phrase ("to have visited", "to be"), not a noun
    phrase ("to journalists", "to the police")."""
    return token.lower in {"have", "be"} or (token.kind == "w" and not token.cap and not np_word(token))
