"""Attributions read from a dependency parse (``parse.py``): the constructions the rules
cannot see because they need sentence structure.

For each reporting verb of the lexicon (``lexicon.CUES``, the rules' own), the tree gives

* the **speaker**: its subject (``nsubj``), or the agent of a passive (``obl:agent``, "was
  rejected by X"); a coordinated or participial verb ("… and added", "…, saying") takes the
  subject of the verb it hangs on, a relative clause ("police, who said …") the noun it
  qualifies;
* the **content**: its clausal complement (``ccomp``: "said (that) …", however far the clause
  runs and wherever the speaker stands), the clause it interrupts or follows (``parataxis``:
  "…, he said", "X said: …"), or a noun phrase for the verbs that take one ("denied the
  accusation", "condemned the attack", "attributed this to human activity", "described X as
  Y", "called X Y");
* a **recipient** for verbs of telling ("told Reuters"), passed on as the relay.

Reporting **nouns** with a clause ("X's claim that …", "the ministry's statement that …", "a
warning from X that …") and "according to X" (X an oblique of the clause it qualifies) are read
the same way.

The output is the rules' own claim record (``clause.Claim``), with the speaker classified by the
rules' noun-phrase reader (``phrases.describe``), so coreference (names, descriptions,
pronouns), anonymity, relays and stance are the rules' (``extractor._Article``): the tree only
says who reports what.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from .clause import Claim
from .lexicon import CLAUSE_ONLY_LEMMAS, CONDITIONAL_LEMMAS, CUES, FRAME_ONLY_LEMMAS, PARTICLE_LEMMAS, SPEAKER_NOUNS, Cue
from .phrases import NounPhrase, describe, plausible_speaker
from .quotes import Quote, colon_before
from .segment import Sentence, Token, tokenize

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Token as SpacyToken

#: Reporting nouns: they carry a statement when they have a clause ("the claim that …").
REPORT_NOUNS = frozenset(
    """statement statements claim claims report reports announcement assertion assertions denial denials
    warning warnings allegation allegations admission accusation accusations suggestion insistence belief
    view fear fears concern concerns conclusion finding findings estimate estimates assessment
    prediction promise pledge argument arguments remark remarks comment comments testimony confirmation
    message assurance assurances position""".split()
)
#: Reporting verbs whose noun-phrase object is what they report ("denied the accusation",
#: "claimed responsibility", "condemned the attack"); others take a clause or a quotation only.
NP_OBJECT_LEMMAS = frozenset(
    """deny reject dismiss refute rebut dispute urge demand request condemn praise
    welcome recommend denounce hail criticise confirm claim estimate predict reveal acknowledge
    admit blame accuse credit ascribe attribute describe characterise call term question doubt propose
    reaffirm reassert affirm underline underscore stress emphasise express warn promise pledge vow
    report identify list name""".split()
)
#: Verbs of asking whose object is the person asked ("encouraged allies", "advised residents"):
#: they report only the infinitive they take ("encouraged allies to act").
_ASKING = frozenset("encourage advise ask appeal".split())
#: Verbs whose object is content only with a predicate after it ("described X as Y", "termed X Y").
_PREDICATE_ONLY = frozenset("describe characterise term name identify".split())
#: Verbs that report a "to" infinitive as their content ("urged X to leave", "promised to act").
XCOMP_LEMMAS = frozenset("urge ask encourage advise request demand call appeal promise pledge vow warn tell".split())
_SUBJECT_DEPS = frozenset({"nsubj", "nsubj:outer"})
_PASSIVE_MARKERS = frozenset({"aux:pass", "nsubj:pass"})
_NAME_DEPS = frozenset({"compound", "flat", "flat:name", "amod", "nummod", "fixed", "det"})
_NMOD_CASES = frozenset({"of", "from", "at", "in", "within", "for", "with"})
_EDGE = " \t\r\n\xa0,;:—–-\"“”'‘’()"
#: A speaker that is nobody: "no organisation claimed …", "none of them said …".
_NO_ONE = frozenset({"no", "none", "nobody", "neither"})


def _inflections(lemma: str) -> set[str]:
    """Regular forms of a verb: "attribute" -> attributes, attributed, attributing."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", stem + "ed", stem + "ing"}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma.endswith(("s", "sh", "ch", "x")):
        forms.add(lemma + "es")
    return forms


def _verb_forms() -> dict[str, Cue]:
    """The rules' reporting verbs (``lexicon.CUES``) with every regular form of their lemmas:
    the rules leave out forms that are more often nouns ("claim", "report", "estimate"), which
    the parse tells apart by its part of speech."""
    forms: dict[str, Cue] = {}
    lemmas = {cue.lemma: cue.kind for cue in CUES.values()}
    lemmas.update(EXTRA_LEMMAS)
    for lemma, kind in lemmas.items():
        for form in _inflections(lemma):
            forms[form] = Cue(lemma, kind, form.endswith("ing"), form.endswith("ed"))
    forms.update(CUES)
    return forms


#: Reporting verbs the rules' lexicon lacks, read only where the parse says they are verbs.
EXTRA_LEMMAS = {"attribute": "say", "blame": "say", "confess": "say", "assess": "say", "calculate": "say",
                "certify": "say", "determine": "say", "establish": "say", "forecast": "say", "guess": "say",
                "insinuate": "say", "intimate": "say", "lament": "say", "boast": "say", "brag": "say",
                "concur": "say", "contest": "deny", "contradict": "deny", "doubt": "doubt"}
VERB_FORMS = _verb_forms()
#: Verbs whose infinitive was not done ("declined to say", "refused to comment").
_REFUSING = frozenset(form for lemma in "decline refuse fail hesitate".split() for form in _inflections(lemma))
#: Nouns that name something said, which a verb of taking sides takes as its object ("opposed
#: Macron's statement", "the call was seconded by X"): the phrase is then what that side said.
SAID_NOUNS = REPORT_NOUNS | frozenset(
    "call calls proposal proposals recommendation recommendations suggestion suggestions demand demands "
    "request requests appeal appeals plea pleas".split())
#: Verbs of taking sides on something said: their subject (or agent) endorses or rejects it.
SIDING_FORMS = frozenset(form for lemma in """support back second endorse echo oppose reject criticise criticize
    dispute dismiss challenge question condemn denounce welcome praise applaud hail""".split()
                         for form in _inflections(lemma))
#: Words that make a sentence worth parsing: a reporting verb or noun, "according", or a verb of
#: taking sides.
TREE_WORDS = frozenset(VERB_FORMS) | REPORT_NOUNS | {"according"} | SIDING_FORMS


def _cue(token: SpacyToken):
    """The lexicon entry of a verb form used as a verb here, or ``None``."""
    if token.pos_ not in ("VERB", "AUX"):
        if not (token.pos_ == "NOUN" and token.dep_ in ("ROOT", "parataxis")):
            return None
        return CUES.get(token.lower_)  # a verb the parse took for a noun: the rules' forms only
    return VERB_FORMS.get(token.lower_)


def _passive(verb: SpacyToken) -> bool:
    return any(child.dep_ in _PASSIVE_MARKERS for child in verb.children)


def _subject(verb: SpacyToken, depth: int = 0) -> SpacyToken | None:
    """The speaker token of a reporting verb (see the module docstring)."""
    passive = _passive(verb)
    for child in verb.children:
        if passive and child.dep_ in ("obl:agent", "obl") and any(
                c.dep_ == "case" and c.lower_ == "by" for c in child.children):
            return child
        if not passive and child.dep_ in _SUBJECT_DEPS:
            if child.lower_ in ("who", "which", "that"):
                return _antecedent(verb, child)
            return child
    if passive or depth > 3:
        return None
    gerund = "Ger" in verb.morph.get("VerbForm") or verb.lower_.endswith("ing")
    if verb.dep_ in ("conj", "xcomp") or verb.dep_ == "advcl" and gerund:
        head = verb.head
        if verb.dep_ == "xcomp" and (head.lower_ in _REFUSING or any(
                c.dep_ == "advmod" and c.lower_ in ("not", "n't", "never") for c in head.children)):
            return None  # "declined to say whether …", "would not say": nothing was said
        # "'…,' the ministry said, and added that …": the frame's subject, not the quotation's
        for frame in head.children:
            if frame.dep_ == "parataxis" and frame.i < verb.i and _cue(frame) is not None:
                return _subject(frame, depth + 1)
        return _subject(head, depth + 1)
    return None


def _antecedent(verb: SpacyToken, pronoun: SpacyToken) -> SpacyToken | None:
    """The noun a relative pronoun stands for ("police, who said …"): the head of the relative
    clause, or else the nearest noun or name before the pronoun."""
    if verb.dep_ in ("acl:relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return verb.head
    for token in reversed(pronoun.doc[max(0, pronoun.i - 6) : pronoun.i]):
        if token.pos_ in ("NOUN", "PROPN"):
            while token.dep_ in ("compound", "flat") and token.head.i > token.i:
                token = token.head
            return token
    return None


def _content(verb: SpacyToken, lemma: str, kind: str) -> tuple[int, int, SpacyToken | None] | None:
    """Token range (start, end) of what a reporting verb reports, and its recipient."""
    recipient = None
    clause = None
    obj = None
    extra_end = None
    xcomp = None
    for child in verb.children:
        dep = child.dep_
        if dep == "ccomp" and (clause is None or clause.i < verb.i < child.i):
            clause = child  # the clause after the verb, where a parse gives two
        elif dep == "parataxis" and clause is None and child.i > verb.i and kind in ("say", "tell", "deny") \
                and not any(t.text == ";" for t in verb.doc[verb.i + 1 : child.left_edge.i + 1]):
            clause = child  # "X said: …", not "X would appeal; Y wept"
        elif dep in ("obj", "iobj"):
            if kind == "tell" and recipient is None:
                recipient = child
            elif dep == "obj":
                obj = child
        elif dep == "xcomp":
            xcomp = child
        elif dep == "obl" and obj is not None and child.i > obj.i and any(
                c.dep_ == "case" and (c.lower_ in ("as", "to") or c.lower_ == "for" and kind == "request")
                for c in child.children):  # "praised X for Y", but not "questioned X for six hours"
            extra_end = child.right_edge.i + 1  # "described X as Y", "attributed this to Z"
    if clause is None and obj is None and xcomp is None:
        # "X noted on Monday, the fatalities were all unvaccinated": a clause with its own subject
        # after a comma, which a parse may attach as a conjunct
        for child in verb.children:
            if child.dep_ == "conj" and child.i > verb.i and any(c.dep_ in _SUBJECT_DEPS for c in child.children) \
                    and not any(c.dep_ == "cc" for c in child.children) and verb.doc[child.left_edge.i - 1].text == ",":
                clause = child
                break
    if clause is not None:
        return clause.left_edge.i, clause.right_edge.i + 1, recipient
    if verb.dep_ == "parataxis" and verb.head.i < verb.i and kind in ("say", "tell", "deny", "doubt") \
            and not any(t.text in (";", ":") for t in verb.doc[max(verb.left_edge.i - 1, 0) : verb.i]):
        # "… , he said": the clause this one interrupts or follows (not one a semicolon closes:
        # "Rescuers can access it; Smith told Wikinews …")
        head = verb.head
        start = head.left_edge.i
        end = verb.left_edge.i
        return start, end, recipient
    if xcomp is not None and obj is None and kind in ("deny", "say") and xcomp.lower_.endswith("ing"):
        return xcomp.left_edge.i, xcomp.right_edge.i + 1, recipient  # "denied inciting the murder"
    if xcomp is not None and lemma in XCOMP_LEMMAS:
        start = obj.left_edge.i if obj is not None and obj.i < xcomp.i and kind != "tell" else xcomp.left_edge.i
        return start, xcomp.right_edge.i + 1, recipient
    if obj is not None and (obj.pos_ != "PRON" or extra_end is not None or obj.right_edge.i > obj.i):
        predicate = xcomp is not None and xcomp.i > obj.i or extra_end is not None  # "called it X", "… as Y"
        if not (lemma in NP_OBJECT_LEMMAS or kind in ("deny", "doubt") or kind == "request" and lemma not in _ASKING):
            return None  # "encouraging allies", "asked the minister": who is asked, not what
        if (kind == "call" or lemma in _PREDICATE_ONLY) and not predicate:
            return None  # "called off its search", "called a halt": an act, not a characterisation
        if not predicate and (obj.pos_ in ("PROPN", "PRON") or obj.lower_ in SPEAKER_NOUNS):
            return None  # "denied Basilashvili's lawyer access", "questioned him": a person is not a proposition
        end = obj.right_edge.i + 1
        if predicate and xcomp is not None and xcomp.i > obj.i:  # "called it a culture of death"
            end = max(end, xcomp.right_edge.i + 1)
        if extra_end is not None:
            end = max(end, extra_end)
        return obj.left_edge.i, end, recipient
    return None


def _speaker_range(token: SpacyToken) -> tuple[int, int]:
    """Token range of the speaker phrase headed by ``token``: its name or description, with
    possessors and a short "of"/"from" complement, without relative clauses or asides; an
    appositive name stands for a common-noun head ("the minister, Delfin Lorenzana, said")."""
    if token.pos_ == "PRON":
        return token.i, token.i + 1
    if token.pos_ != "PROPN":
        for child in token.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return _speaker_range(child)
    keep = [token.i]
    for child in token.children:
        dep = child.dep_
        if dep == "case" and child.lower_ in ("according", "to") and child.i < token.i:
            continue  # "according to X": X is the source
        if dep in _NAME_DEPS or dep == "nmod:poss" or dep == "case" and child.i < token.i:
            keep.extend(t.i for t in child.subtree)
        elif dep == "nmod" and child.i > token.i and sum(1 for _ in child.subtree) <= 8 and any(
                c.dep_ == "case" and c.lower_ in _NMOD_CASES for c in child.children):
            keep.extend(t.i for t in child.subtree)
        elif dep in ("conj", "cc") and child.i > token.i:
            keep.extend(t.i for t in child.subtree if t.dep_ not in ("acl:relcl", "appos"))
    start, end = min(keep), max(keep) + 1
    doc = token.doc
    while start < end - 1 and (doc[start].is_punct or doc[start].lower_ in ("and", "but", "by")):
        start += 1
    while end - 1 > start and doc[end - 1].is_punct:
        end -= 1
    return start, end


class _Sentence:
    """One parsed sentence and the rules' tokens of the same span (for ``describe``)."""

    def __init__(self, text: str, masked: str, sentence: Sentence, doc: Doc, quotes: list[Quote]) -> None:
        self.text = text
        self.offset = sentence.start
        self.doc = doc
        self.tokens: list[Token] = tokenize(masked, sentence.start, sentence.end)
        self.starts = [t.start for t in self.tokens]
        self.ends = [t.end for t in self.tokens]
        self.segments = sorted(seg for quote in quotes for seg in quote.segments)

    def chars(self, start: int, end: int) -> tuple[int, int]:
        doc = self.doc
        return self.offset + doc[start].idx, self.offset + doc[end - 1].idx + len(doc[end - 1].text)

    def phrase(self, start: int, end: int) -> NounPhrase | None:
        """The rules' reading of the speaker phrase over parse tokens ``start:end``."""
        char_start, char_end = self.chars(start, end)
        first = bisect_right(self.ends, char_start)  # the first token ending after the span starts
        last = bisect_left(self.starts, char_end)  # past the last token starting before it ends
        if first >= last or self.tokens[first].kind == "q":
            return None
        return describe(self.tokens, first, last, self.text)

    def span(self, start: int, end: int) -> tuple[int, int, bool]:
        """Character span of a content range, trimmed, and whether it is a direct quotation
        (then it is the quoted words only)."""
        char_start, char_end = self.chars(start, end)
        text = self.text
        while char_start < char_end and text[char_start] in _EDGE:
            char_start += 1
        while char_end > char_start and text[char_end - 1] in _EDGE:
            char_end -= 1
        if text.startswith(("that ", "That "), char_start):
            char_start += 5
        for seg_start, seg_end in self.segments:
            if seg_start <= char_start and char_end <= seg_end + 1 and char_end - char_start >= 0.6 * (seg_end - seg_start):
                return seg_start, seg_end, True
            if char_start <= seg_start and seg_end <= char_end and seg_end - seg_start >= 0.8 * (char_end - char_start):
                return seg_start, seg_end, True
        return char_start, char_end, False


def _claim(sent: _Sentence, cue_token: SpacyToken, lemma: str, kind: str, speaker: SpacyToken,
           content: tuple[int, int], recipient: SpacyToken | None) -> Claim | None:
    s_start, s_end = _speaker_range(speaker)
    phrase = sent.phrase(s_start, s_end)
    if phrase is None or speaker.lower_ in ("which", "that", "who") or speaker.doc[s_start].lower_ in _NO_ONE:
        return None
    if not plausible_speaker(phrase):
        # "the minister's office said": the owner speaks; a medium ("the report") speaks for its author
        if phrase.owner is not None and plausible_speaker(phrase.owner):
            phrase = phrase.owner
        elif not phrase.medium:
            return None
    start, end, direct = sent.span(*content)
    if end - start < 2:
        return None
    if not direct and (len(sent.text[start:end].split()) < 2 or sent.text.startswith(("as ", "As "), start)):
        return None  # "including", "as reported by X": not a statement's content
    cue_start = sent.offset + cue_token.idx
    if start <= cue_start < end and not direct:
        return None
    claim = Claim(cue_index=-1, cue_start=cue_start, cue_text=cue_token.text, cue_kind=kind, speaker=phrase,
                  start=start, end=end, direct=direct)
    if recipient is not None and recipient.pos_ != "PRON":
        claim.recipient = sent.phrase(*_speaker_range(recipient))
    return claim


def _siding(sent: _Sentence, token: SpacyToken) -> Claim | None:
    """ "Bolsonaro opposed Macron's statement", "the call was seconded by Merkel": a verb of
    taking sides whose object (active) or subject (passive) names something said — the speaker
    is the verb's subject (or agent), the content that noun phrase."""
    if token.pos_ != "VERB" or token.lower_ not in SIDING_FORMS:
        return None
    passive = _passive(token)
    said = next((c for c in token.children if c.dep_ == ("nsubj:pass" if passive else "obj")
                 and c.lower_ in SAID_NOUNS), None)
    if said is None:
        return None
    speaker = _subject(token)
    if speaker is None:
        return None
    return _claim(sent, token, token.lower_, "say", speaker, (said.left_edge.i, said.right_edge.i + 1), None)


def _colon_quotes(sent: _Sentence, quotes: list[Quote], claims: list[Claim]) -> list[Claim]:
    """ "Bolsonaro opposed Macron's statement: "…"": a quotation after a colon that closes a
    clause is its subject's words, whatever the verb, when no reporting verb claimed it."""
    found = []
    doc = sent.doc
    for quote in quotes:
        colon = colon_before(sent.text, quote.open_mark, sent.offset)
        if colon is None:
            continue
        if any(c.direct and c.start <= quote.start < c.end + 1 for c in claims):
            continue
        before = [t for t in doc if sent.offset + t.idx < colon]
        roots = [t for t in before if t.head.i == t.i or sent.offset + t.head.idx >= colon]
        # the clause's head: a verb, or the predicate of "X was blunt", "X's answer was a flat no"
        verb = next((t for t in roots if t.pos_ in ("VERB", "AUX", "ADJ", "NOUN")
                     and t.dep_ in ("ROOT", "parataxis", "conj")), None)
        if verb is None:
            continue
        speaker = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if speaker is None or speaker.pos_ == "PRON" and speaker.lower_ not in ("he", "she", "they"):
            continue
        s_start, s_end = _speaker_range(speaker)
        phrase = sent.phrase(s_start, s_end)
        if phrase is None or not plausible_speaker(phrase):
            continue
        for seg_start, seg_end in quote.segments:
            claim = Claim(cue_index=-1, cue_start=colon, cue_text=":", cue_kind="say", speaker=phrase,
                          start=seg_start, end=seg_end, direct=True)
            found.append(claim)
            break  # the first paragraph; the rules continue a quotation over paragraphs
    return found


def sentence_claims(text: str, masked: str, sentence: Sentence, doc: Doc, quotes: list[Quote]) -> list[Claim]:
    """The claims the parse of one sentence shows (``doc`` is ``text[sentence.start:sentence.end]``
    parsed; ``quotes`` the quotations opening inside it)."""
    sent = _Sentence(text, masked, sentence, doc, quotes)
    claims: list[Claim] = []
    for token in doc:
        siding = _siding(sent, token)
        if siding is not None:
            claims.append(siding)
            continue
        cue = _cue(token)
        if cue is not None:
            lemma, kind = cue.lemma, cue.kind
            if lemma in FRAME_ONLY_LEMMAS:
                continue
            if lemma in PARTICLE_LEMMAS and not any(
                    t.lower_ in {p.split()[-1] for p in PARTICLE_LEMMAS[lemma]} for t in doc[token.i + 1 : token.i + 4]):
                continue  # "made clear", "pointed out", "referred to" only
            if any(child.dep_ == "advmod" and child.lower_ in ("not", "n't", "never") for child in token.children):
                continue  # a negated report reports nothing
            speaker = _subject(token)
            if speaker is None:
                continue
            content = _content(token, lemma, kind)
            if content is None:
                continue
            start, end, recipient = content
            if (lemma in CLAUSE_ONLY_LEMMAS or lemma in CONDITIONAL_LEMMAS) and not any(
                    c.dep_ in ("ccomp", "parataxis") for c in token.children) and token.dep_ != "parataxis":
                if lemma not in NP_OBJECT_LEMMAS:
                    continue
            claim = _claim(sent, token, lemma, kind, speaker, (start, end), recipient)
            if claim is not None:
                claims.append(claim)
        elif token.lower_ in REPORT_NOUNS and token.pos_ == "NOUN":
            clause = next((c for c in token.children if c.dep_ in ("acl", "ccomp") and any(
                g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
            owner = next((c for c in token.children if c.dep_ == "nmod:poss"), None)
            if owner is None:
                owner = next((c for c in token.children if c.dep_ == "nmod" and any(
                    g.dep_ == "case" and g.lower_ in ("by", "from") for g in c.children)), None)
            if clause is None or owner is None:
                continue
            claim = _claim(sent, token, token.lemma_ or token.lower_, "say", owner,
                           (clause.left_edge.i, clause.right_edge.i + 1), None)
            if claim is not None:
                claims.append(claim)
        elif token.lower_ == "according" and token.dep_ == "case":
            source = token.head
            clause = source.head
            if source.dep_ not in ("obl", "nmod") or clause is source:
                continue
            indices = [t.i for t in clause.subtree if not (source.left_edge.i <= t.i <= source.right_edge.i)]
            if not indices:
                continue
            start, end = min(indices), max(indices) + 1
            if token.i > end:  # "…, according to X": the clause before it
                pass
            elif token.i < start:
                pass
            else:  # the phrase sits inside the clause: take the longer side
                before = token.i - start
                after = end - source.right_edge.i - 1
                start, end = (start, token.i) if before >= after else (source.right_edge.i + 1, end)
            claim = _claim(sent, token, "according to", "say", source, (start, end), None)
            if claim is not None:
                claims.append(claim)
    return claims + _colon_quotes(sent, quotes, claims)
