"""Noun phrases around reporting verbs: who is speaking, to whom, and what kind of speaker.

There is no part-of-speech tagger here.  A noun phrase is found by walking over tokens that
can belong to one — capitalised words, lower-case content words that do not look like verbs,
determiners, possessives, and the few prepositions that sit inside speaker descriptions
("a source in Islamabad", "US Secretary of State Mike Pompeo") — and stopping at function
words.  The phrase is then classified: a pronoun, a name (person or organisation), or a
descriptor ("the official", "two government sources"), which is what anonymity, pronoun
resolution and plausibility checks need.
"""

from __future__ import annotations

from typing import NamedTuple

from .lexicon import (
    ANONYMOUS_HEADS,
    COLLECTIVE_NOUNS,
    CUES,
    DAYS_AND_MONTHS,
    DEMONYMS,
    DETERMINERS,
    GEO_WORDS,
    IRREGULAR_VERBS,
    MEDIUM_NOUNS,
    NAME_JOINERS,
    NAME_PARTICLES,
    NOUN_LIKE_CUES,
    NP_PREPOSITIONS,
    OBJECT_PRONOUNS,
    ORG_WORDS,
    PERSON_NOUNS,
    PERSONAL_TITLES,
    POSSESSIVE_PRONOUNS,
    QUANTIFIERS,
    SPEAKER_NOUNS,
    STOP_WORDS,
    SUBJECT_PRONOUNS,
    TITLE_WORDS,
    VERB_ADVERBS,
)
from .segment import Token

_NOUN_EXCEPTIONS = frozenset(
    "building buildings briefing meeting hearing ruling shooting bombing uprising morning "
    "evening wedding funding training housing spring string hundred kindred offspring "
    "feeling beijing".split()
)
# Nouns that end like adverbs ("a rally", "the family").
_LY_NOUNS = frozenset(
    "rally family assembly ally supply reply monopoly anomaly bully belly jelly lily holly folly homily "
    "panoply tally gully italy july".split()
)
# Adjectives that follow the noun they modify in source descriptions.
_POSTNOMINAL = frozenset("familiar close loyal opposed involved aware knowledgeable responsible linked connected "
                         "allied affiliated sympathetic".split())
_SUBJECT_FORM = {"him": "he", "her": "she", "them": "they", "us": "we", "me": "i"}
_PRONOUNS = SUBJECT_PRONOUNS | OBJECT_PRONOUNS
_NOT_PERSONAL_NAMES = GEO_WORDS | TITLE_WORDS | ORG_WORDS
_LOWERED_AT_SENTENCE_START = DETERMINERS | SPEAKER_NOUNS
_PREPOSITIONS_OR_AND = NP_PREPOSITIONS | {"and"}
_NOT_SIGNIFICANT = DETERMINERS | NP_PREPOSITIONS | {"and"}
# bodies named after their subject with "on"
_BODIES_ON = frozenset({"commission", "committee", "council", "conference", "panel", "court", "tribunal", "board",
                        "centre", "center", "institute", "office", "taskforce", "force"})
# Nouns ending in "s" that are singular (or either): "the analysis says", "the news reports".
_SINGULAR_S = frozenset("news series species means headquarters politics economics physics census".split())


def is_pronoun(token: Token) -> bool:
    """A personal pronoun ("us"), not an acronym that spells one ("US")."""
    if token.kind != "w" or token.lower not in _PRONOUNS:
        return False
    return len(token.text) == 1 or not token.text.isupper()


def is_possessive(token: Token) -> bool:
    """ "Mir’s", "Rivers'"."""
    return token.lower.endswith(("'s", "’s", "s'", "s’"))


def strip_possessive(word: str) -> str:
    """ "mir’s" -> "mir" (names are looked up without the possessive ending)."""
    if "'" not in word and "’" not in word:
        return word
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip("'’")


def is_adverb(token: Token) -> bool:
    """An adverb that may sit between a subject and its verb ("subsequently", "also")."""
    if token.kind != "w" or token.cap:
        return False
    lower = token.lower
    return lower in VERB_ADVERBS or (len(lower) > 4 and lower.endswith("ly") and lower not in _LY_NOUNS)


def truly_plural(phrase: NounPhrase) -> bool:
    """A descriptor headed by a regular plural ("officials", "member states"), which a verb in
    "-s" cannot agree with; collective nouns ("police", "staff") and names are left alone."""
    head = phrase.head
    return phrase.kind == "descriptor" and len(head) > 3 and head.endswith("s") \
        and not head.endswith(("ss", "is", "us", "'s", "’s")) and head not in _SINGULAR_S


def _infinitive_after(tokens: list[Token], i: int) -> bool:
    """Whether ``tokens[i]`` is "to" before a verb ("allowed China to extradite …"), which
    ends a noun phrase, rather than "to" inside one ("adviser to the president")."""
    if tokens[i].lower != "to" or i + 1 >= len(tokens):
        return False
    following = tokens[i + 1]
    return following.kind == "w" and not following.cap and following.lower not in DETERMINERS \
        and following.lower not in SPEAKER_NOUNS and following.lower not in POSSESSIVE_PRONOUNS


def _by_joins(tokens: list[Token], i: int) -> bool:
    """Whether "by" at ``i`` joins a noun to its author ("estimates by the government", "the
    calls by officials"): the word before is a common noun (a name or a person is not "by"
    anyone, and "killed by" is a verb's agent)."""
    if tokens[i].lower != "by" or i < 1:
        return False
    before = tokens[i - 1]
    return np_word(before) and (not before.cap or i - 1 == 0) and before.lower not in PERSON_NOUNS


def np_word(token: Token) -> bool:
    """Whether a token can be part of a noun phrase (not a function word or verb).  The answer
    depends on the token's text alone, so it is kept per text (this is asked for most words of
    every analysed sentence)."""
    known = _NP_WORDS.get(token.text)
    if known is None:
        known = _np_word(token)
        if len(_NP_WORDS) >= 50_000:
            _NP_WORDS.clear()
        _NP_WORDS[token.text] = known
    return known


_NP_WORDS: dict[str, bool] = {}


def _np_word(token: Token) -> bool:
    if token.kind != "w":
        return False
    if len(token.text) > 1 and token.text.isupper():
        return True  # an acronym ("US", "FSB"), even when it spells a function word
    lower = token.lower
    if lower in STOP_WORDS or lower in DETERMINERS or lower in NP_PREPOSITIONS or lower == "according":
        return False
    if lower in CUES and lower not in NOUN_LIKE_CUES and not token.cap:
        return False
    if token.cap or lower in SPEAKER_NOUNS or lower in MEDIUM_NOUNS:
        return True  # "the filing", "a briefing": nouns whatever their ending
    if lower in IRREGULAR_VERBS:
        return False
    if len(lower) > 4 and lower.endswith("ly") and lower not in _LY_NOUNS:
        return False
    if len(lower) > 4 and lower.endswith(("ed", "ing")) and lower not in _NOUN_EXCEPTIONS:
        return False
    return True


def _paren_start(tokens: list[Token], close: int, lo: int) -> int | None:
    """Index of the "(" of a short parenthetical such as "(FSB)" ending at ``close``."""
    for i in range(close - 1, max(lo, close - 5) - 1, -1):
        if tokens[i].text == "(":
            return i if i < close - 1 else None
    return None


def _on_in_name(tokens: list[Token], i: int) -> bool:
    """Whether "on" at ``i`` is inside an institution's name: "Commission on International
    Religious Freedom", "Committee on Foreign Affairs", "Panel on Climate Change"."""
    if tokens[i].lower != "on" or i < 1 or i + 1 >= len(tokens):
        return False
    before, after = tokens[i - 1], tokens[i + 1]
    return before.cap and after.cap and before.lower in _BODIES_ON


def scan_left(tokens: list[Token], end: int, lo: int) -> int | None:
    """Start index of the noun phrase whose last token is ``tokens[end]``."""
    if end < lo:
        return None
    first = tokens[end]
    if is_pronoun(first) and first.lower in SUBJECT_PRONOUNS:
        return end
    i = end
    if first.text == ")":
        opened = _paren_start(tokens, end, lo)
        if opened is None or opened - 1 < lo:
            return None
        i = opened - 1
    if not np_word(tokens[i]):
        return None
    start = i
    i -= 1
    while i >= lo:
        token = tokens[i]
        lower = token.lower
        if token.text == ")":
            opened = _paren_start(tokens, i, lo)
            if opened is None:
                break
            start = opened
            i = opened - 1
            continue
        if lower in DETERMINERS or token.kind == "n":
            start = i
            if i - 2 >= lo and tokens[i - 1].lower == "of" and tokens[i - 2].lower in QUANTIFIERS:
                start = i - 2
                break
            if i - 2 >= lo and (tokens[i - 1].lower in NP_PREPOSITIONS or _by_joins(tokens, i - 1)) \
                    and np_word(tokens[i - 2]):
                i -= 1
                continue
            if i - 2 >= lo and tokens[i - 1].lower == "and" and np_word(tokens[i - 2]):
                start = i - 2
                i -= 3
                while i >= lo and np_word(tokens[i]):
                    start = i
                    i -= 1
                if i >= lo and tokens[i].lower in DETERMINERS:
                    start = i
            break
        if ((lower in NP_PREPOSITIONS or lower == "and") and i - 1 >= lo and (
            np_word(tokens[i - 1]) or tokens[i - 1].text == ")"
        ) and not _infinitive_after(tokens, i)) or (i - 1 >= lo and _on_in_name(tokens, i)):
            start = i
            i -= 1
            continue
        if i - 1 >= lo and _by_joins(tokens, i):
            start = i  # "a statement by the ministry", "Estimates by the government"
            i -= 1
            continue
        if np_word(token) or (token.kind == "w" and is_possessive(token)):
            start = i
            i -= 1
            continue
        break
    while start <= end and (tokens[start].lower in NP_PREPOSITIONS or tokens[start].lower == "and"):
        start += 1
    return start if start <= end else None


def scan_right(tokens: list[Token], start: int, hi: int) -> int | None:
    """End index (exclusive) of the noun phrase starting at ``tokens[start]``."""
    if start >= hi:
        return None
    first = tokens[start]
    if is_pronoun(first):
        return start + 1
    j = start
    if first.lower in DETERMINERS or first.lower in POSSESSIVE_PRONOUNS:
        j += 1
    saw_word = False
    while j < hi:
        token = tokens[j]
        if np_word(token) or (token.kind == "w" and is_possessive(token)):
            saw_word = True
            j += 1
            if is_possessive(token) and j < hi and tokens[j].lower in DETERMINERS:
                break
            continue
        if token.text == "(" and j + 2 < hi and tokens[j + 2].text == ")" and tokens[j + 1].kind == "w":
            j += 3
            continue
        if not saw_word and token.kind == "w" and not token.cap and token.lower.endswith("ed") and j + 1 < hi \
                and tokens[j + 1].lower in SPEAKER_NOUNS and token.lower not in CUES:
            j += 1  # "unnamed sources", "unidentified officials" (not "police angered residents")
            continue
        if saw_word and j + 1 < hi and _on_in_name(tokens, j):
            j += 1  # "the Commission on Human Rights"
            continue
        if saw_word and j + 1 < hi and token.lower in _PREPOSITIONS_OR_AND:
            following = tokens[j + 1]
            after = tokens[j + 2].lower if following.lower in DETERMINERS and j + 2 < hi else following.lower
            if after in MEDIUM_NOUNS:
                break  # "told CNN | in an interview"
            if following.cap or (token.lower != "and" and following.lower in DETERMINERS):
                j += 2 if following.lower in DETERMINERS else 1
                continue
            if token.lower == "and" and following.lower in SPEAKER_NOUNS and not following.cap:
                j += 1  # "witness accounts and authorities"
                continue
        break
    return j if saw_word else None


class NounPhrase(NamedTuple):
    """A classified noun phrase over ``tokens[start:end]``.

    ``kind`` is "pronoun", "name" or "descriptor".  ``name`` is the personal name inside a
    name-headed phrase (titles stripped); ``display`` is what to report as the speaker when
    no coreference applies.  (A named tuple rather than a frozen dataclass: several are built
    for every reporting verb, and a tuple is several times quicker to build.)
    """

    start: int
    end: int
    char_start: int
    char_end: int
    kind: str
    display: str
    head: str
    name: str | None
    name_tokens: tuple[str, ...]
    person: bool
    organisation: bool
    plural: bool
    definite: bool
    anonymous: bool
    medium: bool
    owner: NounPhrase | None
    significant: frozenset[str]


def _head_part_end(tokens: list[Token], start: int, end: int) -> int:
    """Where a trailing prepositional phrase begins ("source | in Islamabad")."""
    for i in range(start + 1, end - 1):
        lower = tokens[i].lower
        if tokens[i - 1].lower in DETERMINERS:
            continue
        if lower == "by":
            return i
        if lower not in NP_PREPOSITIONS:
            continue
        between_caps = tokens[i - 1].cap and tokens[i + 1].cap
        if between_caps and lower in NAME_JOINERS:
            continue
        return i
    return end


def _name_pieces(words: list[Token]) -> list[list[Token]]:
    """Split a run of capitalised words at "of/for/to/and" into candidate names."""
    pieces: list[list[Token]] = [[]]
    for token in words:
        if token.lower in NAME_JOINERS or token.lower == "and":
            pieces.append([])
        else:
            pieces[-1].append(token)
    return [p for p in pieces if p]


def strip_titles(piece: list[Token]) -> tuple[list[Token], bool]:
    """Drop leading titles and place words; report whether a title was present."""
    cut = 0
    titled = False
    for i, token in enumerate(piece):
        bare = strip_possessive(token.lower).rstrip(".")
        if bare in TITLE_WORDS or bare in GEO_WORDS:
            cut = i + 1
            titled = titled or bare in TITLE_WORDS
    return piece[cut:], titled


def looks_organisational(words: list[Token]) -> bool:
    """Organisation words ("Ministry", "Times") or acronyms other than place names ("FSB")."""
    for token in words:
        bare = strip_possessive(token.lower).rstrip(".")  # "U.S." is the place "u.s"
        acronym = strip_possessive(token.text)
        if bare in ORG_WORDS or (len(acronym) > 1 and acronym.isupper() and bare not in GEO_WORDS):
            return True
    return False


def _titled_person(pieces: list[list[Token]]) -> bool:
    """Whether a piece of a capitalised run is a title only a person holds followed by a full
    name ("Turkish President Recep Tayyip Erdoğan", not "Federal Reserve" or "President Hotel")."""
    for piece in pieces:
        candidate, _titled = strip_titles(piece)
        if len(candidate) < 2 or looks_organisational(candidate):
            continue
        titles = {strip_possessive(t.lower).rstrip(".") for t in piece[: len(piece) - len(candidate)]}
        if not titles.isdisjoint(PERSONAL_TITLES):
            return True
    return False


def _person_candidate(pieces: list[list[Token]]) -> tuple[list[Token], bool]:
    """The personal name among the pieces of a capitalised run, with whether it had a title.

    "US Secretary | State Mike Pompeo" yields the last piece, "Crown Prince Mohammad bin
    Salman | Saudi Arabia" the first: the first piece that still holds a non-place word once
    titles are stripped, preferring a full (two-word or titled) name.
    """
    fallback: tuple[list[Token], bool] = ([], False)
    for piece in pieces:
        candidate, titled = strip_titles(piece)
        if not candidate or all(strip_possessive(t.lower) in GEO_WORDS for t in candidate):
            continue
        if looks_organisational(candidate):
            continue
        if len(candidate) >= 2 or titled:
            return candidate, titled
        if not fallback[0]:
            fallback = (candidate, titled)
    return fallback


def _capitalised(tokens: list[Token], index: int) -> bool:
    """Whether ``tokens[index]`` is capitalised as part of a name, not only because it starts the
    sentence ("The", "Officials")."""
    token = tokens[index]
    if not token.cap:
        return False
    if index:
        return True
    lower = token.lower
    return not (lower in SPEAKER_NOUNS or lower in STOP_WORDS or lower in DETERMINERS)


def describe(tokens: list[Token], start: int, end: int, text: str) -> NounPhrase:
    """Classify ``tokens[start:end]``; ``tokens`` is one sentence, so index 0 starts it."""
    first = tokens[start]
    char_start, char_end = first.start, tokens[end - 1].end
    if end - start == 1 and is_pronoun(first):
        head = _SUBJECT_FORM.get(first.lower, first.lower)
        return NounPhrase(
            start, end, char_start, char_end, "pronoun", first.text, head, None, (), head in {"he", "she"},
            head == "it", head in {"they", "we"}, False, False, False, None, frozenset(),
        )

    head_start = start
    if end - start > 2 and first.lower in QUANTIFIERS and tokens[start + 1].lower == "of":
        head_start = start + 2  # partitive: "some of his colleagues" is headed by "colleagues"
    elif end - start > 3 and first.lower in {"a", "an", "the"} and tokens[start + 1].lower in _AMOUNT_NOUNS \
            and tokens[start + 2].lower == "of":
        head_start = start + 3  # "a number of senators", "the majority of voters": headed by who they are
    head_end = _head_part_end(tokens, head_start, end)
    definite = first.lower == "the"
    last = head_end - 1
    if tokens[last].text == ")":
        opened = _paren_start(tokens, last, start)
        if opened is not None and opened - 1 >= start:
            last = opened - 1
    head = strip_possessive(tokens[last].lower)
    if head in _POSTNOMINAL and last - 1 >= head_start and tokens[last - 1].kind == "w":
        last -= 1  # "people familiar with the matter" is headed by "people"
        head = strip_possessive(tokens[last].lower)
    name_headed = _capitalised(tokens, last) and head not in SPEAKER_NOUNS
    name: str | None = None
    name_tokens: tuple[str, ...] = ()
    person = organisation = False
    owner = None
    run_start = start
    if name_headed:
        run_start = last
        while run_start - 1 >= head_start and not is_possessive(tokens[run_start - 1]) and (
            _capitalised(tokens, run_start - 1)
            or tokens[run_start - 1].lower in NAME_PARTICLES
            or (
                tokens[run_start - 1].lower in NAME_JOINERS
                and run_start - 2 >= head_start
                and _capitalised(tokens, run_start - 2)
            )
        ):
            run_start -= 1
        pieces = _name_pieces([t for t in tokens[run_start : last + 1] if t.text not in "()"])
        # "the" before a possessor ("the county's Commissioner Stephen Mold") is the possessor's;
        # "the" before a personal title and a full name does not make an organisation ("the
        # Turkish President Recep Tayyip Erdoğan")
        the_names = definite and not any(is_possessive(tokens[i]) for i in range(head_start, run_start)) \
            and not _titled_person(pieces)
        organisation = the_names or not pieces or looks_organisational(pieces[0])
        if not organisation:
            candidate, titled = _person_candidate(pieces)
            if candidate:
                person = len(candidate) >= 2 or titled or run_start > head_start
                name = text[candidate[0].start : candidate[-1].end]
                name_tokens = tuple(strip_possessive(t.lower) for t in candidate)
            elif all(strip_possessive(t.lower) in GEO_WORDS for p in pieces for t in p):
                organisation = True
    else:
        person = head in PERSON_NOUNS
        organisation = not person and head in SPEAKER_NOUNS
        possessor_end = next((i + 1 for i in range(last - 1, head_start - 1, -1) if is_possessive(tokens[i])), None)
        if possessor_end is not None and head in MEDIUM_NOUNS:
            owner = describe(tokens, start, possessor_end, text)
        elif head_end + 1 < end and tokens[head_end].lower == "by":
            owner = describe(tokens, head_end + 1, end, text)  # "estimates by the government"
    anonymous = not name_headed and head in ANONYMOUS_HEADS and not any(
        _capitalised(tokens, i)
        and strip_possessive(tokens[i].lower) not in _NOT_PERSONAL_NAMES
        and not strip_possessive(tokens[i].text).isupper()
        for i in range(head_start, head_end)
    )  # "a source in Islamabad" is anonymous, "a source, Ali Khan" is not
    display_from = start + 1 if definite and end - start > 1 else start
    if name_headed and display_from < run_start and all(
        t.kind == "w" and not t.cap and t.lower not in SPEAKER_NOUNS and t.lower not in TITLE_WORDS
        and not is_possessive(t) for t in tokens[display_from:run_start]
    ):
        display_from = run_start  # "With the acquisition Salling said": Salling, not "acquisition Salling"
    display = text[tokens[display_from].start : char_end]
    if display_from == 0 and not name_headed and first.lower in _LOWERED_AT_SENTENCE_START:
        display = display[0].lower() + display[1:]
    if not name_headed and is_possessive(tokens[end - 1]) and display.endswith(("'s", "’s")):
        display = display[:-2]  # the owner of "the ministry's statement" is "ministry"
    words = [strip_possessive(t.lower).strip("()") for t in tokens[start:end] if t.kind == "w" or t.kind == "n"]
    significant = frozenset([w for w in words if w not in _NOT_SIGNIFICANT])
    plural = (not name_headed and (head.endswith("s") and not head.endswith("ss") or head in COLLECTIVE_NOUNS)) or any(
        t.lower == "and" for t in tokens[head_start:head_end]
    )
    return NounPhrase(
        start, end, char_start, char_end, "name" if name_headed else "descriptor", display, head, name,
        name_tokens, person, organisation, plural, definite, anonymous,
        head in MEDIUM_NOUNS and not name_headed, owner, significant,
    )


#: Nouns of amount that head a partitive without saying who ("a number of senators").
_AMOUNT_NOUNS = frozenset("number majority minority handful couple lot host series total score".split())


def plausible_speaker(phrase: NounPhrase) -> bool:
    """Whether a phrase can be the source of a statement ("the virus claimed…" cannot)."""
    if phrase.kind == "pronoun":
        return phrase.head in {"he", "she", "they", "it"}
    if phrase.kind == "name":
        lone_adjective = len(phrase.significant) == 1 and phrase.head in DEMONYMS
        return not lone_adjective and phrase.head not in DAYS_AND_MONTHS
    head = phrase.head
    return head in SPEAKER_NOUNS or head.endswith(("ist", "ists", "ian", "ians"))
