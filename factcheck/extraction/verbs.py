"""Reporting verbs in clause structure.

One cue at a time: subject–verb–clause ("X said (that) …", "X told Y …"), a trailing
attribution ("…, X said." / "…, said X"), an attribution set off inside its clause ("The fire,
officials said, started …"), passives ("was denied by X"), infinitive frames ("went on to
say", "is reported to have said"), and participles or coordinated verbs that borrow the
subject of the clause before them ("…, adding that …", "… and said …").  Verbs that report
only in one construction ("found that", "ruled that", "named X as Y", "pointed out") are
checked here too.
"""

from __future__ import annotations

from .clause import _CLAUSE_JOINERS, _FRONTED, _TIME_PREPOSITIONS, Claim, ClauseBase
from .lexicon import (
    ACT_OBJECTS,
    AUXILIARIES,
    CHARACTERISATION_NOUNS,
    CLAUSE_ONLY_LEMMAS,
    COLLECTIVE_NOUNS,
    CONDITIONAL_LEMMAS,
    CUE_WORDS,
    CUES,
    DAYS_AND_MONTHS,
    DETERMINERS,
    EVIDENCE_NOUNS,
    MEDIUM_NOUNS,
    NEGATIONS,
    OBJECT_PRONOUNS,
    TIME_NOUNS,
    TOPIC_PREPOSITIONS,
    OPINION_NOUNS,
    PARTICLE_LEMMAS,
    PASSIVE_AUXILIARIES,
    PERSON_NOUNS,
    PLURAL_SUBJECT_ONLY,
    POSITION_NOUNS,
    SUBJECT_PRONOUNS,
    Cue,
)
from .phrases import NounPhrase, is_adverb, is_possessive, is_pronoun, plausible_speaker, scan_right, truly_plural

_CALL_OBJECTS = frozenset({"it", "him", "her", "them", "this", "that", "the", "its", "his", "their", "these"})
_NEGATIVE_SUBJECTS = frozenset({"no", "none", "nobody", "neither", "nothing"})
_GERUND_LEADERS = frozenset({"of", "without"})
# A participle right after "to X" / "at X" modifies the main clause, not X: "wrote to the
# embassy asking …" ("with officials saying …" is an absolute clause and keeps its subject).
_OBJECT_PREPOSITIONS = frozenset({"to", "at", "from", "in", "on", "for", "of", "into", "about", "against"})
_INVERTED_TRAILERS = frozenset({"in", "on", "at", "to", "during", "via", "after", "while", "when", "as", "per"})
# modals before a reporting verb: the speech act is hypothetical or yet to happen
_HYPOTHETICAL = frozenset({"might", "may", "could", "should", "must", "will", "shall"})
# where a clause of its own begins inside a sentence: a passive's subject is after the last one
_CITING = frozenset({"cite", "quote"})  # "cited X as saying …"
_PLURAL_WITHOUT_S = COLLECTIVE_NOUNS | {"data", "media"}
# what is said or decided, so that attacking it is criticising it
_CRITICISABLE = frozenset(
    "decision decisions plan plans policy policies proposal proposals statement statements remarks comments "
    "move law laws bill bills measure measures ruling rulings claim claims report reports idea ideas deal "
    "agreement verdict announcement order orders reform reforms budget strategy approach stance".split()
)
# what "vary"/"differ" report on, and what can vary in that sense
_VARYING_OVER = frozenset({"between", "on", "over", "about", "as", "to", "from", "widely", "greatly", "sharply"})
_ACCOUNT_NOUNS = frozenset({"reports", "accounts", "estimates", "figures", "versions", "tallies", "sources",
                            "witnesses", "descriptions", "claims", "statements", "opinions", "views", "forecasts"})


class ReportingVerbs(ClauseBase):
    """Attributions built around a reporting verb."""

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
        if tokens[c].lower in CHARACTERISATION_NOUNS:
            return self._nominal_claim(c, hi)
        cue = self._cue(c, frame)
        if cue is None:
            return None
        if c - 1 >= lo and (tokens[c - 1].lower in DETERMINERS or is_possessive(tokens[c - 1])):
            return None
        kind = cue.kind
        cue_end = c + 1
        if not frame and cue.past_participle and c + 1 < hi \
                and (tokens[c + 1].lower == "by" or is_adverb(tokens[c + 1])):
            reduced = Claim(c, tokens[c].start, tokens[c].text, kind, clause_tok=c)
            if self._reduced_passive(reduced, cue, c, lo, hi) is not None:
                return reduced  # "A plane, reported by local press as belonging to …, crashed"
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
            if cue.lemma in CONDITIONAL_LEMMAS and not self._construction_reports(cue.lemma, cue_end - 1, hi):
                return None  # "referred to a specialist"
        elif cue.lemma == "attack" and not self._construction_reports(cue.lemma, c, hi):
            if not self._criticises(c, hi):
                return None  # "militants attacked a base"
            kind = "request"  # "attacked the decision": a condemnation, like "criticised"
        elif cue.lemma in CONDITIONAL_LEMMAS and not self._construction_reports(cue.lemma, c, hi):
            return None
        if cue.lemma in {"vary", "differ"}:
            return self._accounts_vary(c, lo, hi)
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
            if token.lower == "only" and j - 1 >= lo and tokens[j - 1].lower == "not":
                j -= 2  # "not only implying …, but also …" negates nothing
                continue
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
        elif j - 1 >= lo and tokens[j].lower == "who" and not cue.participle:
            # "… despite criticism by the minister and UNESCO who questioned …": a restrictive
            # relative clause after the main clause's verb, which runs to the end of the sentence
            # (one inside the sentence's subject — "The man who said X resigned" — ends where
            # nothing here can tell)
            subject = self._relative_antecedent(j - 1, lo)
            if subject is None or self._subject_before(subject.start, lo) is None:
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
            end = self._addressee_end(k, scan_right(tokens, k, hi))
            if end is not None:
                claim.recipient = self._phrase(k, end)
                k = end
        elif cue.kind == "say" and k + 1 < hi and tokens[k].lower in {"to", "for"}:
            # "wrote to the embassy asking …", "described for news agency PA Media how …"
            end = self._addressee_end(k + 1, scan_right(tokens, k + 1, hi))
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
        adverbials_from = k
        k = self._skip_adverbials(k, hi)
        if cue.lemma in _CITING and subject is not None and self._cited_object(claim, subject, k, hi) is not None:
            # "The paper cited the air force as stating …": the air force speaks, relayed by the paper
            claim.subject_tok = claim.clause_tok = self.subject_start if subject.start >= self.subject_start \
                else subject.start
            return claim
        cited = None
        if k + 2 < hi and tokens[k].text == "," and tokens[k + 1].lower == "citing":
            # "…, the paper reported, citing officials." / "Reuters reported, citing sources, that …":
            # the cited source speaks, relayed by the reporter
            end = scan_right(tokens, k + 2, hi)
            source = self._phrase(k + 2, end) if end is not None else None
            if source is not None and source.kind != "pronoun" and plausible_speaker(source):
                cited = source
                claim.citer = subject
                k = self._skip_adverbials(end + 1, hi) if end + 1 < hi and tokens[end].text == "," else end
        that = k < hi and tokens[k].lower == "that"
        if that:
            k += 1
        # "responded to the attack", "agreed a deal": these verbs report a clause or a quotation only
        clause_only = cue.lemma in CLAUSE_ONLY_LEMMAS and not frame and not that \
            and not (cue.lemma == "show" and subject is not None and subject.head in EVIDENCE_NOUNS)
        limit = self._content_limit(k, hi)
        if clause_only and self._finite_clause(k, limit):
            clause_only = False  # "implying approval would be required": a clause without "that"
        if subject is not None and tokens[j].lower == "who" and j - 1 >= lo and tokens[j - 1].text != ",":
            limit = next((i for i in range(k, limit) if tokens[i].text == ","), limit)  # restrictive "who"
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
        if right_empty and k < limit and k > adverbials_from and subject is not None \
                and not (subject.start - 1 > lo and tokens[subject.start - 1].text == ",") \
                and self._finite_clause(k + 1, limit):
            # … unless a time or place came first and a clause of its own follows: "Al Jazeera
            # reported on Thursday, coverage had risen to 55 percent"
            k, right_empty = k + 1, False
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
                # an act or a topic: no statement, but the speaker stays one for what follows
                claim.emit = not self._act_or_topic(cue.lemma, kind, k, limit)
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
        if not frame and self._act_or_topic(cue.lemma, kind, k, limit):
            claim.emit = False
        self._set_content(claim, k, limit)
        return claim if claim.has_content or frame else None

    def _act_or_topic(self, lemma: str, kind: str, k: int, limit: int) -> bool:
        """Whether what follows the verb at ``tokens[k:limit]`` makes it an act or a verb
        without content: an act's object (``ACT_OBJECTS``: "dismissed the lawsuit") among its
        first words, or a preposition of topic right after it ("remarked on the investigation",
        ``TOPIC_PREPOSITIONS``) with no "that" clause after (a request's "for" is its content:
        "appealed for calm")."""
        tokens = self.tokens
        if k >= limit:
            return False
        content = tokens[k:limit]
        if tokens[k].lower in TOPIC_PREPOSITIONS and kind != "request" and tokens[k].kind == "w" and lemma != "report":
            after = content[1:3]
            if any(t.kind == "n" or t.lower in DAYS_AND_MONTHS or t.lower in TIME_NOUNS
                   or t.lower in {"last", "this", "next"} for t in after):
                return False  # "said on last Wednesday", "about 350 thousand", "at the time"
            if limit < len(tokens) and tokens[limit].text == ":":
                return False  # "said about Amman: '…'"
            return not any(t.lower == "that" or t.text == ":" for t in content)
        objects = ACT_OBJECTS.get(lemma)
        if objects is None:
            return False
        for token in content[:5]:
            if token.text in {",", ";", ":"} or token.lower in {"of", "to", "that", "as"}:
                return False
            if token.lower in objects:
                return True
        return False

    def _criticises(self, c: int, hi: int) -> bool:
        """Whether the verb at ``c`` takes as object something said or decided ("attacked the
        proclamation", "attacked the plan"), which makes it a condemnation, not an assault."""
        tokens = self.tokens
        k = self._skip_adverbials(c + 1, hi)
        end = scan_right(tokens, k, hi)
        if end is None:
            return False
        head = self._phrase(k, end).head
        return head in _CRITICISABLE or head in CHARACTERISATION_NOUNS

    def _accounts_vary(self, c: int, lo: int, hi: int) -> Claim | None:
        """ "Reports on the weapon used vary between a knife and a tool" / "Accounts differ on …":
        what the accounts give is unsettled.  Only accounts, reports, estimates and the like vary
        in this sense, and only as the sentence's subject ("Prices vary" reports nothing)."""
        tokens = self.tokens
        subject = self.main_subject(c) if lo == 0 else None
        if subject is None or subject.head not in _ACCOUNT_NOUNS:
            return None
        k = self._skip_adverbials(c + 1, hi)
        while k < hi and (tokens[k].lower in _VARYING_OVER or is_adverb(tokens[k])):
            k += 1  # "vary widely between", "differ as to"
        claim = Claim(c, tokens[c].start, tokens[c].text, "doubt", clause_tok=c)
        claim.speaker, claim.subject_tok = subject, subject.start
        self._set_content(claim, k, self._content_limit(k, hi))
        return claim if claim.has_content else None

    def _subject_before(self, start: int, lo: int) -> NounPhrase | None:
        """The subject of a clause that ends before ``start`` (that clause's verb lies between)."""
        subject = self.main_subject(start) if lo == 0 else None
        return subject if subject is not None and subject.end < start else None

    def _addressee_end(self, start: int, end: int | None) -> int | None:
        """Where an addressee ends: "told journalists | Adamowicz remained alive" — a name right
        after a plural common noun starts the reported clause, it is not part of the addressee."""
        if end is None:
            return None
        tokens = self.tokens
        for i in range(start + 1, end):
            before = tokens[i - 1]
            if tokens[i].cap and not before.cap and before.kind == "w" and before.lower in PERSON_NOUNS \
                    and before.lower.endswith("s"):
                return i
        return end

    def _finite_clause(self, k: int, limit: int) -> bool:
        """Whether a clause with its own verb starts at ``k``: a noun phrase, then an auxiliary or
        modal ("approval would be required", "the deal was fair")."""
        end = scan_right(self.tokens, k, limit)
        return end is not None and end < limit and self.tokens[end].lower in AUXILIARIES \
            and self._phrase(k, end).kind != "pronoun" or (
                k + 1 < limit and is_pronoun(self.tokens[k]) and self.tokens[k].lower in SUBJECT_PRONOUNS
                and self.tokens[k + 1].lower in AUXILIARIES)

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
            # "Officials claim", and nouns plural without "-s": "Police claim", "Data show"
            return truly_plural(subject) or subject.kind == "descriptor" and subject.head in _PLURAL_WITHOUT_S
        third_person = form.endswith("s") and form != cue.lemma and not cue.participle and not cue.past_participle
        return not (third_person and truly_plural(subject))

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

    def _construction_reports(self, lemma: str, c: int, hi: int) -> bool:
        """Whether a verb of CONDITIONAL_LEMMAS reports here: "found that …" / "found X to be Y",
        "ruled (that) <finite clause>", "named X as Y", "questioned X" (``c`` is the verb, or
        the last word of a verb with its particle)."""
        tokens = self.tokens
        k = self._skip_adverbials(c + 1, hi)
        if k >= hi or tokens[k].text in {".", "!", "?"}:
            # nothing follows: only a trailing attribution ("…, a report by the ministry found.",
            # "…, the court ruled."), which the caller accepts only after a comma
            return lemma in {"find", "rule"}
        if tokens[k].lower == "that":
            return lemma != "name"
        limit = self._content_limit(k, hi)
        # the construction must complete before the next reporting verb ("named it X and named …")
        # (a noun after a determiner is no verb — "described the claim as baseless" — unless it names
        # a characterisation of its own: "attacked the proclamation of X as Y")
        limit = next((i for i in range(k, limit) if tokens[i].lower in CUE_WORDS and not tokens[i].cap
                      and (tokens[i].lower in CHARACTERISATION_NOUNS
                           or not (tokens[i - 1].lower in DETERMINERS or is_possessive(tokens[i - 1])))), limit)
        if lemma == "find":
            end = scan_right(tokens, k, limit)
            return end is not None and end + 1 < limit and tokens[end].lower == "to" and tokens[end + 1].lower == "be"
        if lemma == "rule":
            return tokens[k].kind == "w" and tokens[k].lower not in _OBJECT_PREPOSITIONS | {"out", "over"} and any(
                t.lower in AUXILIARIES for t in tokens[k + 1 : limit]
            )
        if lemma in {"provide", "raise"}:
            return False  # report only in a reduced passive (passives.py)
        if lemma in {"vary", "differ"}:
            return tokens[k].lower in _VARYING_OVER
        if lemma in {"question", "doubt"}:
            # "questioned whether …", "questioned his authority" — but police who "questioned two
            # men" or "questioned him" interrogated people
            if tokens[k].lower == "whether":
                return True
            end = scan_right(tokens, k, limit)
            if end is None:
                return False
            target = self._phrase(k, end)
            return target.kind == "descriptor" and target.head not in PERSON_NOUNS
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
