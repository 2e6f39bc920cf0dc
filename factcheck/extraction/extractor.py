"""Article-level pipeline: quotes, sentences, claims, coreference, stance.

Sentences are read in order so that coreference only ever looks backwards, as a reader
does.  Every sentence is scanned for names (cheap: one regex) so that a source introduced in
a sentence without any reporting verb can still be referred to later; only sentences with a
reporting cue or a quotation are analysed clause by clause.  Block quotations typeset as an
indented paragraph with the source on a dash line below are read from the whole text.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Any, NamedTuple

from .attribution import SentenceAnalyser, analyse_sentence
from .clause import Claim
from .coref import Entity, EntityTracker, Mention, scan_mentions
from .lexicon import (
    ANONYMITY_REASON_RE,
    ANONYMOUS_HEADS,
    COMPANY_NOUNS,
    CUE_WORDS,
    PRESS_NAME_WORDS,
    PRESS_NOUNS,
    PUBLIC_BODY_WORDS,
    SPEAKER_NOUNS,
    TITLE_WORDS,
)
from . import interview, language
from .limits import MAX_ARTICLE, NEVER, TIME_BUDGET, Deadline, check_size
from .model import NOT_ENGLISH, TIME_BUDGET_REASON, ExtractedStatement, Extraction
from .phrases import NounPhrase
from .quotes import Quote, colon_before, find_quotes, mask_quotes
from .segment import Sentence, split_sentences
from .stance import classify
from . import parse, tree

#: The designs of the extractor (``bench/extraction_quality.py --extractor``): the rules alone,
#: the parse alone (its constructions, with the rules' coreference, relays and stance), and
#: the rules with what the parse finds that they did not (the default when the model is there).
DESIGNS = ("rules", "parse", "combined")

_LOWER_WORD_RE = re.compile(r"[a-z]+")
_PREPOSITION_BEFORE_RE = re.compile(r"\b(?:to|with|by|of|from|for|at|about|against|told|asked)\s+$", re.IGNORECASE)
_FIRST_WORD_RE = re.compile(r"[A-Za-z]+")
#: One word that says nothing by itself: a connective, an adverb of time or place, a pro-form
#: ("However, she added, …", "reported by CNN as such:", "according to USA Today" cut short).
_EMPTY_CONTENTS = frozenset(
    "however meanwhile also too though although instead nevertheless nonetheless moreover furthermore then so "
    "thus therefore otherwise still yet today yesterday tomorrow tonight now here there such this that these "
    "those it so-called".split()
)
_EDGE_PUNCT = " \t\r\n\xa0,;:—–-"
# A block quotation as typeset: an indented paragraph, then a line of its own giving the source
# after a dash ("  The court answers that …\n\n – European Court of Justice").  The pattern
# starts at a line break, which is quick to look for; one at the very start of the text is
# tried separately (see _block_quote_matches).
_BLOCK_QUOTE = (
    r"[ \t\xa0]+(?P<quote>\S[^\n]*)\n(?:[ \t\xa0]*\n)*"  # the indented paragraph
    r"(?P<more>(?:[^\s–—][^\n]*\n(?:[ \t\xa0]*\n)*){0,2})"  # up to two more paragraphs of it
    r"[ \t\xa0]*[–—][ \t\xa0]*(?P<source>[^\n]{2,80}?)[ \t\xa0]*(?=\n|$)"  # "– Source[, Medium]"
)
_PARAGRAPH_RE = re.compile(r"[^\n]+")
_BLOCK_QUOTE_RE = re.compile(r"\n" + _BLOCK_QUOTE)
_BLOCK_QUOTE_AT_START_RE = re.compile(_BLOCK_QUOTE)
_SOURCE_JOINERS = frozenset({"of", "the", "for", "and", "de", "al", "el", "von", "van"})
# How many sentences' name mentions are kept for pronouns (which look at most four back)
_MENTIONS_KEPT = 8
# Names of the same post ("Foreign Secretary" / "foreign minister")
_POST_SYNONYMS = {"minister": "secretary", "secretary": "minister"}


class _Speaker(NamedTuple):
    """A resolved speaker and the properties pronoun resolution needs."""

    name: str
    entity: Entity | None
    span: tuple[int, int] | None
    anonymous: bool
    person: bool
    plural: bool
    organisation: bool


class _Emitted(NamedTuple):
    """A statement already produced.  ``narrator`` is the outer speaker of a relayed statement
    (the one whose account a following quotation continues), else the speaker."""

    sentence: int
    position: int
    speaker: _Speaker
    narrator: _Speaker
    cue: str
    span: tuple[int, int]


class _Article:
    """Resolution state for one article."""

    def __init__(self, text: str, design: str = "rules") -> None:
        if design not in DESIGNS:
            raise ValueError(f"unknown extractor design {design!r}: one of {', '.join(DESIGNS)}")
        self.design = design
        self.text = text
        self.quotes: list[Quote] = find_quotes(text)
        self.masked = mask_quotes(text, self.quotes)
        self.tracker = EntityTracker()
        self.emitted: list[_Emitted] = []
        self.mentions: dict[int, list[Mention]] = {}
        self.speakers: dict[Claim, _Speaker] = {}
        self.sentences: list[Sentence] = []
        #: How far the text was read: all of it, unless a deadline stopped the reading.
        self.read_to = len(text)

    def run(self, deadline: Deadline = NEVER) -> list[ExtractedStatement]:
        """Statements in order of appearance, one per distinct span.

        The text is read in chunks of sentences (``_read_chunk``). Once ``deadline`` has passed
        the reading stops: ``self.read_to`` is then where, and the statements are those of the
        sentences before it (a sentence is kept whole or not at all)."""
        sentences = self.sentences = split_sentences(self.masked)
        quote_opens = [q.open_mark for q in self.quotes]
        statements: list[ExtractedStatement] = []
        seen: set[tuple[int, int]] = set()
        # lower-cased once for the whole text, unless that changes its length ("İ" becomes two
        # characters), when each sentence is lower-cased on its own
        lowered = self.masked.lower()
        if len(lowered) != len(self.masked):
            lowered = None
        chunk = 1 if self.design == "rules" else CHUNK
        done = 0
        while done < len(sentences) and self.read_to == len(self.text):
            limit = self._read_chunk(sentences, done, min(done + chunk, len(sentences)), quote_opens, lowered,
                                     deadline, statements, seen)
            if limit < min(done + chunk, len(sentences)):
                self.read_to = sentences[limit].start
            done += chunk
        # only the text read: past the deadline, the rest is not looked at either
        blocks = _paragraph_statements(self.text if self.read_to >= len(self.text) else self.text[: self.read_to])
        if blocks:
            # a block quotation or an interview's answer replaces whatever was read inside it
            ends = [block.end for block in blocks]
            statements = [s for s in statements if not _inside_block(s, blocks, ends)] + blocks
        statements.sort(key=lambda s: (s.start, s.end))
        return statements

    def _read_chunk(self, sentences: list[Sentence], begin: int, end: int, quote_opens: list[int],
                    lowered: str | None, deadline: Deadline, statements: list[ExtractedStatement],
                    seen: set[tuple[int, int]]) -> int:
        """Read ``sentences[begin:end]`` into ``statements``; return the index of the first
        sentence not read (``end`` when all were).

        First each sentence's constructions — the rules', and for the designs on the parse, the
        parse of the sentences that need it (all that can carry a report for the parse alone;
        for the combined design, those with a reporting word no rule claim took as its cue),
        parsed together — then, in order, names, speakers and statements (coreference looks
        backwards only). The deadline is looked at before each sentence's constructions and
        between parse batches; the sentences whose constructions were found are then read to
        the end, a small and bounded overshoot (a chunk is one sentence for the rules, ``CHUNK``
        for the parse)."""
        plan: dict[int, tuple[list[Quote], list[Claim]]] = {}
        wanted: list[tuple[int, str]] = []
        limit = end
        for index in range(begin, end):
            if deadline.passed():
                limit = index
                break
            sentence = sentences[index]
            first_quote = bisect_left(quote_opens, sentence.start)
            last_quote = bisect_left(quote_opens, sentence.end)
            words = self._words(sentence, lowered)
            rules_read = self.design != "parse" and (first_quote != last_quote or not CUE_WORDS.isdisjoint(words))
            quotes = self.quotes[first_quote:last_quote]
            colon_quote = self.design != "rules" and any(
                colon_before(self.text, q.open_mark, sentence.start) is not None for q in quotes)
            tree_reads = self.design != "rules" and (colon_quote or not tree.TREE_WORDS.isdisjoint(words))
            if not rules_read and not tree_reads:
                continue  # no quotation and no reporting word: nothing can be attributed here
            claims = analyse_sentence(self.text, self.masked, sentence, quotes) if rules_read else []
            plan[index] = (quotes, claims)
            if tree_reads and (self.design == "parse" or self._uncovered(sentence, claims, lowered)
                               or colon_quote and not any(claim.direct for claim in claims)):
                wanted.append((index, self.text[sentence.start : sentence.end]))
        parses: dict[int, Any] = {}
        if wanted:
            parses = dict(parse.parse_units(wanted, deadline))
            left = [index for index, unit in wanted
                    if index not in parses and index < limit and len(unit) <= parse.MAX_UNIT_CHARS]
            if left:  # the parse was cut by the deadline: read up to the first sentence left
                limit = left[0]
        for index in range(begin, limit):
            sentence = sentences[index]
            self.mentions[index] = scan_mentions(self.masked, sentence.start, sentence.end, self.tracker)
            self.mentions.pop(index - _MENTIONS_KEPT, None)  # pronouns look a few sentences back only
            if index not in plan:
                continue
            quotes, claims = plan[index]
            doc = parses.get(index)
            if doc is not None:
                claims = claims + _new_claims(claims, tree.sentence_claims(self.text, self.masked, sentence, doc, quotes))
            self.speakers = {}  # claims only refer to claims of their own sentence
            for claim in claims:
                statement = self._statement(claim, index, sentence)
                if statement is not None and (statement.start, statement.end) not in seen:
                    seen.add((statement.start, statement.end))
                    statements.append(statement)
        return limit

    def _words(self, sentence: Sentence, lowered: str | None) -> list[str]:
        """The lower-case words of a sentence (quotations masked)."""
        if lowered is not None:
            return _LOWER_WORD_RE.findall(lowered, sentence.start, sentence.end)
        return _LOWER_WORD_RE.findall(self.masked[sentence.start : sentence.end].lower())

    def _uncovered(self, sentence: Sentence, claims: list[Claim], lowered: str | None) -> bool:
        """Whether a sentence has a word the parse reads as a report (a reporting verb or noun,
        "according") that none of the rules' claims took as its cue: else the parse could only
        find what the rules found, and the sentence is not parsed (the combined design)."""
        cues = {claim.cue_start for claim in claims}
        source = lowered if lowered is not None else self.masked.lower()
        for match in _LOWER_WORD_RE.finditer(source, sentence.start, sentence.end):
            if match.group() in tree.TREE_WORDS and match.start() not in cues:
                return True
        return False

    # -- speakers -----------------------------------------------------------------------------

    def _speaker(self, claim: Claim, index: int) -> _Speaker | None:
        """Resolve (once) who makes a claim: its own phrase, the claim it borrows from, or the
        previous statement for a quotation that simply continues."""
        cached = self.speakers.get(claim)
        if cached is not None:
            return cached
        if claim.inherit_from is not None:
            speaker = self._speaker(claim.inherit_from, index)
        elif claim.continuation:
            previous = self.emitted[-1] if self.emitted else None
            speaker = previous.narrator if previous is not None and previous.sentence >= index - 1 else None
            speaker = speaker._replace(span=None) if speaker is not None else None
            if previous is not None and not claim.cue_text:
                claim.cue_text, claim.cue_kind = previous.cue, "say"
        elif claim.speaker is not None:
            speaker = self._resolve(claim.speaker, index)
        else:
            speaker = None
        if speaker is not None:
            self.speakers[claim] = speaker
        return speaker

    def _resolve(self, phrase: NounPhrase, index: int) -> _Speaker:
        """The source a speaker phrase refers to, registering it for later references."""
        span = (phrase.char_start, phrase.char_end)
        if phrase.kind == "pronoun":
            found = self._pronoun(phrase.head, index, phrase.char_start)
            if found is not None:
                return found._replace(span=span)
            return _Speaker(phrase.display, None, span, False, phrase.person, phrase.plural, phrase.organisation)
        if phrase.owner is not None:
            return self._resolve(phrase.owner, index)._replace(span=span)
        if phrase.kind == "name":
            return self._resolve_name(phrase, span)
        if phrase.medium and phrase.definite and not any(w[:1].isupper() for w in phrase.display.split()[:-1]):
            # "the statement" is whoever issued one; "the US statement" names its owner itself
            # (a press noun — "the website", "the channel" — is first the press organisation
            # named last: see _named_organisation)
            owner = self._named_organisation(phrase.head, index, phrase.char_start) \
                if phrase.head in PRESS_NOUNS else None
            owner = owner or self._medium_owner(phrase.head, index)
            if owner is not None and owner.name.lower() != phrase.display.lower():
                return owner._replace(span=span)
        return self._resolve_description(phrase, span, index)

    def _resolve_name(self, phrase: NounPhrase, span: tuple[int, int]) -> _Speaker:
        """A full personal name introduces its bearer; a surname or short name looks one up."""
        position = phrase.char_start
        if phrase.person and len(phrase.name_tokens) >= 2 and phrase.name is not None:
            person = self.tracker.full_mention(phrase.name, set(phrase.name_tokens), position, person=True)
            return _Speaker(person.canonical, person, span, False, True, False, False)
        words = set(phrase.name_tokens) or set(phrase.significant)
        known = self.tracker.by_name(words, position, fuzzy=True) if 0 < len(words) <= 2 else None
        if known is not None:
            return _Speaker(known.canonical, known, span, known.anonymous, known.person, False, not known.person)
        entity = self.tracker.full_mention(phrase.display, set(phrase.significant), position, person=phrase.person)
        return _Speaker(phrase.display, entity, span, False, phrase.person, phrase.plural, not phrase.person)

    def _named_organisation(self, head: str, index: int, position: int) -> _Speaker | None:
        """ "The Aviation Herald reported … The industry publication stated …": a description of
        a kind of organisation ("the newspaper", "the company") is the organisation of that kind
        that spoke last, in this sentence or the two before — a press organisation for a press
        noun, any other organisation but a public body for a company noun. With none that spoke,
        it is the organisation of that kind named last in those sentences ("ABS-CBN went off the
        air … as the network claims"), a short acronym aside; a press noun then also takes an
        organisation whose name has no press word, when no press name is nearer."""
        press = head in PRESS_NOUNS
        if not press and head not in COMPANY_NOUNS:
            return None
        for emitted in reversed(self.emitted):
            if emitted.sentence < index - 2:
                break
            speaker, entity = emitted.speaker, emitted.speaker.entity
            if entity is None or speaker.anonymous or speaker.plural:
                continue
            is_press = not entity.words.isdisjoint(PRESS_NAME_WORDS)
            if press and is_press or speaker.organisation and not press and not is_press \
                    and entity.words.isdisjoint(PUBLIC_BODY_WORDS):
                return speaker
        named = []
        for back in (0, 1, 2):
            named.extend(reversed([m for m in self.mentions.get(index - back, []) if back or m.position < position]))
        for mention in named:
            entity = mention.entity
            if entity.canonical.isupper() and len(entity.canonical) <= 4:
                continue  # a short acronym is as often a system or a country ("AIS", "US") as a firm
            is_press = not entity.words.isdisjoint(PRESS_NAME_WORDS)
            public = not entity.words.isdisjoint(PUBLIC_BODY_WORDS)
            if press and is_press or not mention.person and not public and (press or not is_press):
                return _Speaker(entity.canonical, entity, None, entity.anonymous, False, False, True)
        return None

    def _resolve_description(self, phrase: NounPhrase, span: tuple[int, int], index: int) -> _Speaker:
        """ "the official" finds the official introduced earlier; other descriptions introduce a source."""
        position = phrase.char_start
        lower_case = phrase.display == phrase.display.lower()
        # "the President", "the Foreign Minister": a post alone, capitalised or not
        post = all(w in TITLE_WORDS for w in phrase.significant)
        if phrase.definite and (lower_case or post) and 0 < len(phrase.significant) <= 3:
            words = {w.lower() for w in phrase.significant}
            known = self.tracker.by_description(words, position)
            if known is None and post and not words.isdisjoint(_POST_SYNONYMS):
                # "the foreign minister" for an earlier "Foreign Secretary" and vice versa
                known = self.tracker.by_description({_POST_SYNONYMS.get(w, w) for w in words}, position)
            # "the website" is the press organisation named last rather than the last source
            # described as a website, which itself was one unnamed
            bare = known is not None and known.canonical.lower() == phrase.display.lower()
            if lower_case and not phrase.plural and (known is None or bare):
                named = self._named_organisation(phrase.head, index, position)
                if named is not None:
                    return named._replace(span=span)
            # "the officers" are not one officer named earlier
            if known is not None and not (phrase.plural and known.person):
                return _Speaker(known.canonical, known, span, known.anonymous, known.person, False, not known.person)
        entity = self.tracker.full_mention(phrase.display, set(phrase.significant), position, person=phrase.person)
        entity.anonymous = entity.anonymous or phrase.anonymous
        return _Speaker(phrase.display, entity, span, phrase.anonymous, phrase.person, phrase.plural,
                        phrase.organisation)

    def _pronoun(self, pronoun: str, index: int, position: int) -> _Speaker | None:
        """Most recent compatible speaker; for he/she, else the first person named just before."""
        recent = []
        for emitted in reversed(self.emitted):
            if emitted.sentence < index - 1:
                break
            if emitted.position < position:
                recent.append(emitted)
        if pronoun in {"he", "she"}:
            return self._personal_pronoun(pronoun, index, recent, position)
        if pronoun == "it":
            for emitted in recent:
                if emitted.speaker.organisation:
                    return emitted.speaker
            subject = self._previous_subject(index, plural=False)
            if subject is not None:
                return subject
            for mention in self.mentions.get(index - 1, []):
                if not mention.person:
                    return _Speaker(mention.entity.canonical, mention.entity, None, False, False, False, True)
            return None
        for emitted in recent:
            if emitted.speaker.plural or emitted.speaker.organisation:
                return emitted.speaker
        if pronoun == "they":
            return self._previous_subject(index, plural=True)
        return None

    def _previous_subject(self, index: int, plural: bool) -> _Speaker | None:
        """ "The officers were suspended. They said …": with no recent speaker, "they" (or "it")
        is the subject of the sentence before when that can speak — a group ("the officers",
        "protesters") or an organisation ("the union") for "they", an organisation ("the
        council") for "it"."""
        if index < 1:
            return None
        analyser = SentenceAnalyser(self.text, self.masked, self.sentences[index - 1], [])
        subject = analyser.main_subject(len(analyser.tokens)) if analyser.tokens else None
        if subject is None or subject.kind == "pronoun":
            return None
        if plural and not (subject.plural or subject.organisation):
            return None  # "they" for a group, or for an organisation ("The union met. They said …")
        if not plural and not (subject.organisation and not subject.plural):
            return None
        if subject.kind == "name" and subject.plural:  # "Reed and Khan": the pair, not the last name
            return _Speaker(subject.display, None, None, False, subject.person, True, subject.organisation)
        return self._resolve(subject, index - 1)._replace(span=None)

    def _personal_pronoun(self, pronoun: str, index: int, recent: list[_Emitted], position: int) -> _Speaker | None:
        """ "he"/"she": the most recent speaker, else the first person named before it in its own
        sentence ("President Rodrigo Duterte threatened …, and he accused …"; not one after a
        preposition: "Speaking to Martin Smith, he said"), else the first named in the sentence
        before (or further back, across sentences that name nobody and say "he" again), else an
        earlier speaker.  A candidate of the other known gender is skipped; and for
        "she", one the text has shown to be a woman ("Ms Berg", "the spokeswoman", "Berg said she
        …") wins over a more recent one of unknown gender — most people quoted in news are men, so
        an unknown candidate is a weak reading of "she" but not of "he"."""
        candidates = [e.speaker for e in recent if self._individual(e.speaker, pronoun)]
        # "President Trump made statements. Early on, he received … He hinted …": the pronoun
        # carries on through sentences that name nobody and say it again
        chain = 1
        while chain < 3 and index - chain >= 0 and self._says_pronoun(index - chain, pronoun) \
                and not any(mention.person for mention in self.mentions.get(index - chain, [])):
            chain += 1
        for back in (0, 1, 2, 3):
            for mention in self.mentions.get(index - back, []):
                if back == 0 and mention.position >= position:
                    break
                if back == 0 and _PREPOSITION_BEFORE_RE.search(self.masked, max(0, mention.position - 12),
                                                               mention.position):
                    continue  # "Speaking to Martin Smith of PBS, he said": not the one spoken to
                if mention.person and mention.entity.compatible(pronoun) \
                        and (back <= 1 or back <= chain or mention.entity.gender):
                    candidates.append(_Speaker(mention.entity.canonical, mention.entity, None,
                                               mention.entity.anonymous, True, False, False))
        for emitted in reversed(self.emitted):
            if emitted.sentence < index - 5:
                break
            if self._individual(emitted.speaker, pronoun):
                candidates.append(emitted.speaker)
        if pronoun == "she":
            known = next((c for c in candidates if c.entity is not None and c.entity.gender == "f"), None)
            if known is not None:
                return known
        return candidates[0] if candidates else None

    def _says_pronoun(self, index: int, pronoun: str) -> bool:
        """Whether sentence ``index`` has ``pronoun`` as a word (outside quotations)."""
        sentence = self.sentences[index]
        return re.search(rf"\b{pronoun}\b", self.masked[sentence.start : sentence.end], re.IGNORECASE) is not None

    @staticmethod
    def _individual(speaker: _Speaker, pronoun: str) -> bool:
        """Whether "he"/"she" can refer to a speaker: one person, of no other known gender."""
        if not speaker.person or speaker.plural:
            return False
        return speaker.entity is None or speaker.entity.compatible(pronoun)

    def _medium_owner(self, medium: str, index: int) -> _Speaker | None:
        """ "the statement" → whoever was last reported as issuing a statement."""
        for emitted in reversed(self.emitted):
            if emitted.sentence < index - 3:
                break
            if medium in self.masked[emitted.span[0] : emitted.span[1]].lower().split():
                return emitted.speaker
        return None

    # -- statements ---------------------------------------------------------------------------

    def _chain(self, claim: Claim) -> list[Claim]:
        """The claim and the claims it borrows its speaker from (quote -> frame -> …)."""
        chain = [claim]
        while chain[-1].inherit_from is not None and len(chain) < 8:
            chain.append(chain[-1].inherit_from)
        return chain

    def _relay(self, claim: Claim, index: int) -> str | None:
        """Who passed the statement on: an outer speaker, a recipient ("told X"), or a medium."""
        for link in self._chain(claim):
            if link.outer is not None:
                outer = self._speaker(link.outer, index)
                if outer is not None:
                    return outer.name
            recipient = link.recipient
            if recipient is not None:
                if recipient.kind != "pronoun":
                    return recipient.display
                if recipient.head in {"he", "she"}:
                    found = self._pronoun(recipient.head, index, recipient.char_start)
                    if found is not None:
                        return found.name
            if link.via is not None:
                via = link.via
                if via.kind in {"name", "pronoun"}:  # "It cited X as saying": "it" is whoever it is
                    return self._resolve(via, index).name
                return via.display
        return None

    def _anonymity_reason(self, claim: Claim, sentence: Sentence, start: int, end: int) -> str | None:
        """The stated reason for anonymity, from the speaker's asides or the frame around the text."""
        notes = [note for link in self._chain(claim) for note in link.notes]
        notes.append(self.masked[sentence.start : start])
        notes.append(self.masked[end : sentence.end])
        for note in notes:
            match = ANONYMITY_REASON_RE.search(note)
            if match is not None:
                return match.group()
        return None

    def _statement(self, claim: Claim, index: int, sentence: Sentence) -> ExtractedStatement | None:
        """The output record for a claim, or ``None`` for frames and unattributable claims."""
        speaker = self._speaker(claim, index)
        if speaker is None or not claim.emit:
            return None
        start, end = _trim(self.text, claim.start, claim.end, claim.direct)
        if end <= start:
            return None
        anonymous = speaker.anonymous
        reason = None
        if anonymous:
            reason = self._anonymity_reason(claim, sentence, start, end)
            entity = speaker.entity
            if entity is not None:
                if reason is not None:
                    entity.anonymity_reason = reason
                reason = reason or entity.anonymity_reason
        outer = next((link.outer for link in self._chain(claim) if link.outer is not None), None)
        narrator = self._speaker(outer, index) if outer is not None else None
        self.emitted.append(
            _Emitted(index, claim.cue_start, speaker, narrator or speaker, claim.cue_text, (sentence.start, sentence.end))
        )
        text = self.text[start:end]
        if text.strip(_EDGE_PUNCT + ".\"“”'‘’").lower() in _EMPTY_CONTENTS:
            return None  # "However, she added, '…'": a connective read as what was said
        if not claim.direct and speaker.person and speaker.entity is not None and speaker.entity.gender is None:
            # "X said she would …": the subject of the reported clause is almost always X
            first = _FIRST_WORD_RE.match(text)
            if first is not None and first.group().lower() in {"he", "she"}:
                speaker.entity.gender = "f" if first.group().lower() == "she" else "m"
        return ExtractedStatement(
            speaker=speaker.name,
            speaker_span=speaker.span,
            cue=claim.cue_text,
            text=text,
            start=start,
            end=end,
            direct=claim.direct,
            anonymous=anonymous,
            anonymity_reason=reason,
            stance=classify(text, claim.cue_kind),
            relayed_by=self._relay(claim, index),
        )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shorter = min(a[1] - a[0], b[1] - b[0])
    if shorter <= 0:
        return 0.0
    return max(0, min(a[1], b[1]) - max(a[0], b[0])) / shorter


def _new_claims(found: list[Claim], candidates: list[Claim]) -> list[Claim]:
    """The parse's claims that say something the rules' claims of the sentence do not: a content
    span that overlaps none of theirs (nor an earlier candidate's) by a third or more."""
    spans = [(claim.start, claim.end) for claim in found if claim.end > claim.start]
    kept = []
    for claim in candidates:
        span = (claim.start, claim.end)
        if any(_overlap(span, other) >= 1 / 3 for other in spans):
            continue
        spans.append(span)
        kept.append(claim)
    return kept


def _trim(text: str, start: int, end: int, direct: bool) -> tuple[int, int]:
    """Drop surrounding spaces and clause punctuation, keeping offsets exact."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    trailing = " \t\r\n\xa0,;:" if direct else _EDGE_PUNCT + "."
    while end > start and text[end - 1] in trailing:
        end -= 1
    return start, end


def _inside_block(statement: ExtractedStatement, blocks: list[ExtractedStatement], ends: list[int]) -> bool:
    """Whether a statement overlaps one of ``blocks`` (in order, disjoint; ``ends`` their ends)."""
    index = bisect_right(ends, statement.start)
    return index < len(blocks) and blocks[index].start < statement.end


def _paragraph_statements(text: str) -> list[ExtractedStatement]:
    """Statements a whole paragraph makes, in order and disjoint: block quotations and the
    answers of an interview (``interview.answers``); where two overlap, the first is kept."""
    answers = [_quotation(text, a.start, a.end, a.speaker, a.label_span, "interview")
               for a in interview.answers(text)]
    found = sorted(_block_quotes(text) + answers, key=lambda s: (s.start, s.end))
    kept: list[ExtractedStatement] = []
    for statement in found:
        if not kept or statement.start >= kept[-1].end:
            kept.append(statement)
    return kept


def _block_quote_matches(text: str) -> list[re.Match[str]]:
    """Block quotations: one opening the text, then those after a line break."""
    first = _BLOCK_QUOTE_AT_START_RE.match(text)
    rest = _BLOCK_QUOTE_RE.finditer(text, first.end() if first is not None else 0)
    return [first, *rest] if first is not None else list(rest)


def _block_quotes(text: str) -> list[ExtractedStatement]:
    """Indented paragraphs attributed on the line below ("– Name" or "– Name, Medium"), with up to
    two paragraphs more between them and the source line (a long quotation).  The
    source line must be a name or a speaker noun phrase, nothing more: a caption such as
    "—Zinichev calling a halt to the search" is not an attribution."""
    found = []
    if "–" not in text and "—" not in text:
        return found
    for match in _block_quote_matches(text):
        speaker, _, medium = match.group("source").partition(",")
        words = speaker.split()
        if not 1 <= len(words) <= 7 or not words[0][:1].isupper():
            continue
        if any(not (w[:1].isupper() or w.lower() in _SOURCE_JOINERS or w.lower() in SPEAKER_NOUNS) for w in words):
            continue
        paragraphs = [(match.start("quote"), match.end("quote"))]
        paragraphs += [(match.start("more") + p.start(), match.start("more") + p.end())
                       for p in _PARAGRAPH_RE.finditer(match.group("more")) if p.group().strip()]
        for begin, finish in paragraphs:  # a statement a paragraph, as a checker cites it
            start, end = _trim(text, begin, finish, True)
            if end - start < 20:
                continue
            found.append(_quotation(
                text, start, end, speaker.strip(),
                (match.start("source"), match.start("source") + len(speaker.rstrip())), "–",
                anonymous=words[-1].lower() in ANONYMOUS_HEADS and not any(w[:1].isupper() for w in words[1:]),
                relayed_by=medium.strip() or None,
            ))
    return found


def _quotation(text: str, start: int, end: int, speaker: str, speaker_span: tuple[int, int], cue: str,
               anonymous: bool = False, relayed_by: str | None = None) -> ExtractedStatement:
    """A whole paragraph quoted, its speaker given beside it (a block quotation's source line,
    an interview's label): a direct statement whose stance is read from its words."""
    quote = text[start:end]
    return ExtractedStatement(
        speaker=speaker, speaker_span=speaker_span, cue=cue, text=quote, start=start, end=end, direct=True,
        anonymous=anonymous, anonymity_reason=None, stance=classify(quote, "say"), relayed_by=relayed_by,
    )


#: Sentences read together by the designs on the parse (parsed in one batch).
CHUNK = 16
#: The design used when none is asked for, where the parser model is installed (without it:
#: the rules). Chosen on the development sets (README, "Statement extraction").
DEFAULT_DESIGN = "combined"


def default_design() -> str:
    """``FACTCHECK_EXTRACTOR`` if set (rules, parse or combined), else ``DEFAULT_DESIGN`` when the
    parser model is there, else the rules."""
    import os

    asked = os.environ.get("FACTCHECK_EXTRACTOR", "").strip().lower()
    if asked in DESIGNS:
        return asked
    return DEFAULT_DESIGN if parse.available() else "rules"


def extract_statements(text: str, design: str | None = None) -> list[ExtractedStatement]:
    """Attributed statements of an English news article, in order of appearance: the whole
    text, however long and however long it takes (the library's reading, for the command line
    and the benchmarks). A request on someone's behalf goes through ``extract`` instead.
    ``design``: rules, parse or combined (``DESIGNS``; ``None``: ``default_design()``)."""
    if not text or not text.strip():
        return []
    return _Article(text, design or default_design()).run()


def extract(
    text: str,
    *,
    max_chars: int | None = MAX_ARTICLE,
    time_budget: float | None = TIME_BUDGET,
    clock: Callable[[], float] = time.monotonic,
    design: str | None = None,
    claim: str | None = None,
) -> Extraction:
    """The extraction a request gets: the statements of ``extract_statements``, within the
    bounds of ``factcheck.extraction.limits``.

    A text over ``max_chars`` characters (``None``: any length) is refused
    (``ArticleTooLong``); a text that is not
    English gives no statements and says so (``language.check``); past ``time_budget``
    seconds (``None``: no budget) the reading stops between two sentences and the answer says
    where (``Extraction.truncated``, ``analysed_to``). On the same text within its budget,
    the statements are exactly those of ``extract_statements``. With a ``claim``, each
    statement carries its proposed stance toward it (``claim_stance``)."""
    return _extract(text, max_chars, time_budget, clock, design).against(claim)


def _extract(text: str, max_chars: int | None, time_budget: float | None, clock: Callable[[], float],
             design: str | None) -> Extraction:
    if max_chars is not None:
        check_size(text, max_chars)
    deadline = Deadline(time_budget, clock)
    if not text or not text.strip():
        return Extraction([], len(text), len(text))
    verdict = language.check(text)
    if not verdict.english:
        return Extraction([], 0, len(text), reason=NOT_ENGLISH, notice=verdict.reason)
    article = _Article(text, design or default_design())
    statements = article.run(deadline)
    if article.read_to >= len(text):
        return Extraction(statements, len(text), len(text))
    notice = (f"The text was read up to character {article.read_to:,} of {len(text):,}: the extractor "
              f"stops after {time_budget:g} seconds on one request, and this text takes longer. "
              f"Send the rest separately to read it.")
    return Extraction(statements, article.read_to, len(text), reason=TIME_BUDGET_REASON, notice=notice)
