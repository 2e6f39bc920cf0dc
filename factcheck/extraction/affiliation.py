"""Proposing the body a speaker belongs to, from the article text.

Independence of confirmation is judged on affiliation roots: a ministry and its own spokesman
are one source, not two.  When a checker saves extracted statements, the review page proposes
each new speaker's affiliation so that link is not forgotten.  The proposal is only a
suggestion a person confirms, so every rule here prefers saying nothing (``None``) to a guess.

Constructions recognised (ROLE is one of spokesman, spokeswoman, spokesperson, press
secretary, official, officer, minister, director, head, chief, chairman, chairwoman,
chairperson, president, leader, commander, member, representative, adviser/advisor,
secretary, governor, or their plurals; "senior", "deputy", "chief", … may precede it):

* the descriptor itself, as the speaker string, the mention the extractor read, or an
  appositive after a comma:

  - ROLE for/of/at/with/from/in BODY — "a spokesman for the Interior Ministry", "spokesperson
    of the Taliban", "a senior official at the Ministry of Finance", "director of the FBI",
    "an adviser to the president" ("to" only after adviser/advisor);
  - BODY's ROLE — "the ministry's spokesman", "the Pentagon's press secretary";
  - BODY ROLE — "Taliban spokesman", "Interior Ministry spokesman", "Helmand police chief";

* around any mention of the speaker (full name, surname, or the mention the extractor read):

  - before it: "the ministry's spokesman X", "Taliban spokesman Zabihullah Mujahid",
    "A spokesman for the Interior Ministry, X, said";
  - after it: "X of the council", "X, of the city council, said", "X, a spokesman for Y",
    "X, the spokeswoman of Y", "X, director of Y", "X, Y's spokesman,", "X, who heads Y",
    "X, who works for Y", "X, who is a spokesman for Y".

Deliberately not proposed (``None``):

* "a spokesman for a local charity", "his party": an indefinite or pronominal body names
  nothing a source can be matched to;
* "a former spokesman for the ministry": a former official no longer speaks for the body;
* "director of communications", "head of security": a bare lower-case function, not a body
  (while "member of parliament", whose head is an institution, is accepted);
* "officials at the scene", "a commander in Kunduz": after "at"/"from" the body must be a
  proper name or an institution noun, after "in" an institution noun, so places are not
  mistaken for employers;
* "Foreign Minister X", "Secretary of State X", "Minister of Finance X": the words name a
  portfolio, not a body ("minister of the interior" with an article is still read);
* "Afghan official X": a nationality adjective alone is not a body;
* "Speaking to a spokesman for the ministry, X said": a descriptor before a comma counts
  only when it is the whole phrase, i.e. an apposition to the name.

Governors and presidents: "the governor of Helmand" and "Helmand governor X" give "Helmand".
A governor heads the province's administration, so the province is the body he belongs to,
and returning the name as written lets the checker pick the matching source ("Helmand",
"Helmand provincial government") rather than hiding the link.  Likewise "president of the
Red Cross" gives "Red Cross" and "U.S. President X" gives "U.S.".

Bounds: only ~200 characters each side of at most a few dozen mentions are read, all patterns
are linear scans over short token lists (the one regular expression, the tokenizer, has no
nested ambiguous quantifiers), so a multi-megabyte article costs one ``str.find`` pass per
name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from .lexicon import (
    AUXILIARIES,
    COMPANY_NOUNS,
    CUES,
    DAYS_AND_MONTHS,
    DEMONYMS,
    DETERMINERS,
    IRREGULAR_VERBS,
    NAME_PARTICLES,
    NOUN_LIKE_CUES,
    NP_PREPOSITIONS,
    PERSONAL_TITLES,
    POSSESSIVE_PRONOUNS,
    PUBLIC_BODY_WORDS,
    SENTENCE_STARTERS,
    STOP_WORDS,
    TITLE_ABBREVIATIONS,
)
from .model import ExtractedStatement

__all__ = ["propose_affiliation", "proposals_for"]

#: Characters read on each side of a mention.
WINDOW = 200
#: Mentions examined per speaker (spans first, then name occurrences in article order).
MAX_MENTIONS = 40
#: Longest speaker string or mention text parsed as a descriptor.
MAX_PHRASE = 200
#: Longest body, in tokens ("Ministry of Rural Rehabilitation and Development").
MAX_BODY_WORDS = 8

# ROLE nouns, each mapped to its singular (the rules below depend on a few of them).
_ROLES: dict[str, str] = {}
for _singular, _plurals in (
    ("spokesman", "spokesmen"), ("spokeswoman", "spokeswomen"),
    ("spokesperson", "spokespersons spokespeople"), ("official", "officials"),
    ("officer", "officers"), ("minister", "ministers"), ("director", "directors"),
    ("head", "heads"), ("chief", "chiefs"), ("chairman", "chairmen"),
    ("chairwoman", "chairwomen"), ("chairperson", "chairpersons"), ("president", "presidents"),
    ("leader", "leaders"), ("commander", "commanders"), ("member", "members"),
    ("representative", "representatives"), ("adviser", "advisers advisor advisors"),
    ("secretary", "secretaries"), ("governor", "governors"),
):
    for _form in (_singular, *_plurals.split()):
        _ROLES[_form] = _singular

# Roles that only a person holds: "a spokesman for the spokesman" names no body.  (A spokesman
# *for the president* or *the governor* does belong to that person, so those stay allowed.)
_PERSON_ONLY_ROLES = frozenset(
    form for form, singular in _ROLES.items()
    if singular in {"spokesman", "spokeswoman", "spokesperson", "official", "officer", "member",
                    "representative", "adviser"}
)
# Prefixed words that leave the role (and the body) unchanged.
_MODIFIERS = frozenset(
    "senior junior deputy vice acting assistant associate executive general top chief principal "
    "special interim lead main official press".split()
)
# Words that make the affiliation a past one: no proposal.
_FORMER = frozenset({"former", "ex", "ex-", "retired", "onetime", "one-time", "erstwhile"})
# Prepositions that introduce the body after a role.
_PREPOSITIONS = frozenset({"for", "of", "at", "with", "from", "in", "to"})
# Lower-case words joining capitalised words inside one name ("Ministry of Defence").
_JOINERS = frozenset({"of", "and", "for", "on", "&", "de", "del", "du", "la", "le", "al", "el", "bin", "ibn"})
# Institution nouns: a body may end with one even when nothing is capitalised.
_ORG_HEADS = PUBLIC_BODY_WORDS | COMPANY_NOUNS | frozenset(
    "party union federation association organisation organization foundation institute university "
    "college school hospital movement front brigade corps coalition alliance league church charity "
    "militia council commission municipality presidency opposition team club board panel network "
    "service services chamber cooperative co-operative society trust mission command unit battalion "
    "regiment division family campaign taliban".split()
)
# Lower-case words that may stand before an institution noun ("provincial council",
# "interior ministry") but are no body on their own ("a local official").
_ORG_ADJECTIVES = frozenset(
    "city provincial district state national local federal regional county municipal interior "
    "foreign defence defense health fire port border traffic security central town village".split()
)
# Definite bodies that are audiences, not organisations ("a member of the public").
_NOT_BODIES = frozenset({"public", "crowd", "audience", "media", "press", "world", "people"})
# Past-tense-looking and adverb-looking words that are nevertheless nouns or adjectives.
_ED_WORDS = frozenset({"armed", "united", "allied", "federated", "combined", "organised", "organized", "unified"})
_LY_WORDS = frozenset({"family", "assembly", "italy", "supply", "ally", "rally", "monopoly", "anomaly"})
_BODY_STOPS = STOP_WORDS | AUXILIARIES | NP_PREPOSITIONS | IRREGULAR_VERBS | frozenset(
    CUES.keys() - NOUN_LIKE_CUES
)
# "X, who heads Y" and "X, who works for Y".
_WHO_VERBS = frozenset(
    "heads headed leads led chairs chaired runs ran directs directed manages managed commands "
    "commanded represents represented".split()
)
_WHO_PHRASAL = {
    "works": {"for", "at", "with"}, "worked": {"for", "at", "with"},
    "speaks": {"for"}, "spoke": {"for"},
    "serves": {"on", "with", "in"}, "served": {"on", "with", "in"},
    "sits": {"on"}, "sat": {"on"},
    "belongs": {"to"}, "belonged": {"to"},
}
_WHO_COPULAS = frozenset({"is", "was", "serves", "served", "works", "worked"})

# A word (letters, digits, inner apostrophes, hyphens and "&", inner dots as in "U.S.") with an
# optional final dot, or any other single non-space character.  Each position can be consumed
# one way only, so matching is linear.
_TOKEN_RE = re.compile(r"[^\W_](?:[\w&'’-]|\.(?=[^\W_]))*\.?|[^\w\s]")
_POSSESSIVE_RE = re.compile(r"(?:['’]s|s['’])$", re.IGNORECASE)
_TRAILING_JUNK_RE = re.compile(r"(?:['’]s)?[\s,;:!?'\"’”)\]-]*$")
_ABBREVIATION_END_RE = re.compile(r"(?:^|[^\w.])(?:[A-Za-z]\.)+$")  # "U.S.", not a sentence end


class _Token(NamedTuple):
    text: str
    start: int  # offsets into the string the tokens were read from
    end: int
    word: bool
    low: str

    @property
    def cap(self) -> bool:
        return self.word and self.text[0].isupper()


class _Body(NamedTuple):
    """A body phrase found in a token list: ``text`` as written, token range ``first..last``."""

    text: str
    first: int
    last: int
    definite: bool  # preceded by "the"
    proper: bool  # has a capitalised word
    head: str  # its last word, lower case, without a possessive "'s"


def _tokens(text: str, lo: int, hi: int) -> list[_Token]:
    """Tokens of ``text[lo:hi]`` with offsets into ``text``.

    A final dot is split off a word unless the word is an abbreviation ("U.S.", "J.", "Gen."),
    so a sentence end is punctuation like a comma.  A word cut by the window edge is dropped.
    """
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(text, lo, hi):
        word = match.group()
        start, end = match.span()
        if not (word[0].isalnum()):
            tokens.append(_Token(word, start, end, word == "&", word))
            continue
        if word.endswith(".") and len(word) > 2 and "." not in word[:-1] and word[:-1].lower() not in TITLE_ABBREVIATIONS:
            tokens.append(_Token(word[:-1], start, end - 1, True, word[:-1].lower()))
            tokens.append(_Token(".", end - 1, end, False, "."))
            continue
        tokens.append(_Token(word, start, end, True, word.lower()))
    if tokens and tokens[0].word and lo > 0 and tokens[0].start == lo and text[lo - 1].isalnum():
        tokens.pop(0)
    if tokens and tokens[-1].word and hi < len(text) and tokens[-1].end == hi and text[hi].isalnum():
        tokens.pop()
    return tokens


def _bare(low: str) -> str:
    """A lower-case word without its possessive ending ("ministry's" -> "ministry")."""
    return _POSSESSIVE_RE.sub("", low) if len(low) > 2 else low


def _ends_body(low: str) -> bool:
    """Whether a lower-case word cannot be part of a body name (a verb, adverb, function word)."""
    if low in _BODY_STOPS:
        return True
    if len(low) > 4 and low.endswith("ed") and low not in _ED_WORDS:
        return True  # "the ministry declined …"
    return len(low) > 4 and low.endswith("ly") and low not in _LY_WORDS  # "… reportedly said"


def _role_at(tokens: Sequence[_Token], r: int) -> tuple[int, str] | None:
    """The role starting at ``tokens[r]``: (index of its last token, singular), or None."""
    low = tokens[r].low
    if low == "press" and r + 1 < len(tokens) and _ROLES.get(tokens[r + 1].low) == "secretary":
        return r + 1, "press secretary"
    singular = _ROLES.get(low)
    return (r, singular) if singular else None


def _body_after(text: str, tokens: Sequence[_Token], i: int, hi: int) -> _Body | None:
    """The body named from ``tokens[i]`` on (before ``hi``): "the city council", "Ministry of Finance".

    Capitalised words run on, joined by "of"/"and"/… only between capitals; lower-case words
    run on until a function word, a verb, or an institution noun ("the ministry | wants").
    """
    if i >= hi or not tokens[i].word:
        return None
    definite = tokens[i].low == "the"
    if definite:
        i += 1
    elif tokens[i].low in DETERMINERS or tokens[i].low in POSSESSIVE_PRONOUNS:
        return None  # "a local charity", "his party": no body named
    first, last, proper = i, None, False
    j = i
    while j < hi and j - first < MAX_BODY_WORDS:
        token = tokens[j]
        if not token.word:
            break
        if token.cap:
            if token.low in DAYS_AND_MONTHS:
                break
            last, proper = j, True
        elif token.low in _JOINERS:
            joins_names = (
                last == j - 1 and tokens[last].cap and j + 1 < hi and tokens[j + 1].cap
                and tokens[j + 1].low not in DAYS_AND_MONTHS
            )
            if not joins_names:
                break
        elif _ends_body(token.low):
            break
        else:
            last = j
            if token.low in _ORG_HEADS:
                break
        j += 1
    if last is None:
        return None
    head = _bare(tokens[last].low)
    if not definite and not proper and head not in _ORG_HEADS:
        return None  # "director of communications", "head of security": a function, not a body
    if not proper and head in _NOT_BODIES:
        return None
    return _Body(text[tokens[first].start : tokens[last].end], first, last, definite, proper, head)


def _body_after_preposition(
    text: str, tokens: Sequence[_Token], p: int, hi: int, role: str | None
) -> _Body | None:
    """The body after the preposition ``tokens[p]`` that follows a role (or "who works")."""
    preposition = tokens[p].low
    if preposition == "to" and role not in {"adviser", None}:
        return None
    body = _body_after(text, tokens, p + 1, hi)
    if body is None:
        return None
    if preposition == "in" and body.head not in _ORG_HEADS:
        return None  # "a commander in Kunduz": a place, not an employer
    if preposition in {"at", "from"} and not (body.proper or body.head in _ORG_HEADS):
        return None  # "officials at the scene"
    if role in {"minister", "secretary"} and not body.definite:
        return None  # "Minister of Finance", "Secretary of State": a portfolio
    return body


def _body_before_role(
    text: str, tokens: Sequence[_Token], r: int, lo: int, role: str
) -> _Body | None:
    """The body named just before the role at ``tokens[r]``: "the ministry's", "Taliban"."""
    j = r - 1
    while j >= lo and tokens[j].low in _MODIFIERS:
        j -= 1
    if j < lo or not tokens[j].word:
        return None
    if _POSSESSIVE_RE.search(tokens[j].low) and tokens[j].low not in {"it's", "its"}:
        # BODY's ROLE: words back to a determiner or anything that cannot be in a name
        k = j
        while k - 1 >= lo and j - k < 5:
            prev = tokens[k - 1]
            if prev.cap and prev.low not in SENTENCE_STARTERS and prev.low not in DAYS_AND_MONTHS:
                k -= 1
            elif prev.low in _JOINERS and k - 2 >= lo and tokens[k - 2].cap and tokens[k].cap:
                k -= 1
            elif prev.word and not prev.cap and prev.low not in DETERMINERS and not _ends_body(prev.low):
                k -= 1
            else:
                break
        definite = k - 1 >= lo and tokens[k - 1].low == "the"
        proper = any(tokens[x].cap for x in range(k, j + 1))
        return _Body(text[tokens[k].start : tokens[j].end], k, j, definite, proper, _bare(tokens[j].low))
    if role in {"minister", "secretary"}:
        return None  # "Foreign Minister", "Defence Secretary": a portfolio, not a body
    # BODY ROLE: capitalised words (and institution nouns) directly before the role
    k = j + 1
    while k - 1 >= lo and j - (k - 1) < 6:
        prev = tokens[k - 1]
        if prev.cap and prev.low not in SENTENCE_STARTERS and prev.low not in DAYS_AND_MONTHS:
            k -= 1
        elif not prev.cap and (prev.low in _ORG_HEADS or prev.low in _ORG_ADJECTIVES):
            k -= 1
        elif prev.low in _JOINERS and k - 2 >= lo and tokens[k - 2].cap and tokens[k].cap:
            k -= 1
        else:
            break
    while k <= j and tokens[k].low in _MODIFIERS:
        k += 1
    if k > j:
        return None
    last = tokens[j]
    if not ((last.cap and last.low not in _ORG_ADJECTIVES) or last.low in _ORG_HEADS):
        return None  # "local official", "security official"
    if all(tokens[x].low in DEMONYMS or tokens[x].low in _ORG_ADJECTIVES for x in range(k, j + 1)):
        return None  # "Afghan official": a nationality, not a body
    definite = k - 1 >= lo and tokens[k - 1].low == "the"
    proper = any(tokens[x].cap for x in range(k, j + 1))
    return _Body(text[tokens[k].start : tokens[j].end], k, j, definite, proper, _bare(last.low))


def _is_former(tokens: Sequence[_Token], lo: int, hi: int) -> bool:
    """Whether "former"/"ex-"/… occurs in ``tokens[lo:hi]``."""
    return any(t.low in _FORMER or t.low.startswith("ex-") for t in tokens[max(lo, 0) : hi])


def _descriptor(
    text: str, tokens: Sequence[_Token], lo: int, hi: int, *, anchor_start: bool, anchor_end: bool
) -> _Body | None:
    """The body in a descriptor phrase within ``tokens[lo:hi]``.

    ``anchor_start``: the descriptor must open the phrase (after determiners and modifiers), as
    in an appositive ", a spokesman for Y,".  ``anchor_end``: it must close the phrase, as
    directly before a name.  Without anchors a descriptor elsewhere in the phrase would be
    about someone else ("Speaking to a spokesman for the ministry, X said").
    """
    def opens_phrase(start: int) -> bool:
        """Only determiners, modifiers and roles ("the chief") stand before ``start``."""
        return all(t.low in DETERMINERS or t.low in _MODIFIERS or t.low in _ROLES for t in tokens[lo:start])

    for r in range(lo, hi):
        found = _role_at(tokens, r)
        if found is None:
            continue
        r_end, role = found
        if r_end >= hi:
            continue
        following = r_end + 1
        if following < hi and tokens[following].low in _PREPOSITIONS:
            if anchor_start and not opens_phrase(r):
                continue
            body = _body_after_preposition(text, tokens, following, hi, role)
            if body is None or (anchor_end and body.last != hi - 1):
                continue
            start = r
        else:
            rest = tokens[following:hi]
            if rest and (anchor_end or not all(t.cap for t in rest)):
                continue  # a role followed by anything but a name is not this construction
            body = _body_before_role(text, tokens, r, lo, role)
            if body is None or (anchor_start and not opens_phrase(body.first)):
                continue
            start = body.first
        if _is_former(tokens, max(lo, start - 3), r):
            continue
        return body
    return None


def _phrase_start(tokens: Sequence[_Token], hi: int) -> int:
    """Index of the first word of the phrase ending before ``tokens[hi]`` (back to punctuation)."""
    k = hi - 1
    while k >= 0 and tokens[k].word:
        k -= 1
    return k + 1


def _phrase_end(tokens: Sequence[_Token], lo: int) -> int:
    """Index just past the phrase starting at ``tokens[lo]`` (up to punctuation)."""
    k = lo
    while k < len(tokens) and tokens[k].word:
        k += 1
    return k


def _before_mention(text: str, tokens: Sequence[_Token]) -> _Body | None:
    """A descriptor ending just before a mention ("Taliban spokesman |Mujahid").

    Up to three capitalised words may stand between it and the mention (a first name, a title:
    "spokesman Tariq |Arian", "spokesman Gen. |Arian").
    """
    ends: list[int] = []
    e = len(tokens) - 1
    while e >= 0 and len(ends) < 4:
        ends.append(e)
        token = tokens[e]
        if not token.cap or _role_at(tokens, e) is not None or token.low in SENTENCE_STARTERS:
            break
        e -= 1
    for e in ends:
        if tokens[e].text == ",":  # "A spokesman for the ministry, X": the whole phrase is the descriptor
            body = _descriptor(text, tokens, _phrase_start(tokens, e), e, anchor_start=True, anchor_end=True)
        else:
            body = _descriptor(text, tokens, _phrase_start(tokens, e + 1), e + 1, anchor_start=False, anchor_end=True)
        if body is not None:
            return body
    return None


def _after_mention(text: str, tokens: Sequence[_Token]) -> _Body | None:
    """A descriptor right after a mention: "of the council", ", a spokesman for Y,", ", who heads Y"."""
    if not tokens:
        return None
    comma = tokens[0].text == ","
    i = 1 if comma else 0
    while comma and i + 1 < len(tokens) and tokens[i].text.isdigit() and tokens[i + 1].text == ",":
        i += 2  # an age: "Zabihullah Mujahid, 45, a spokesman for …"
    if i >= len(tokens) or not tokens[i].word:
        return None
    hi = _phrase_end(tokens, i)
    low = tokens[i].low
    if low == "of":
        return _body_after(text, tokens, i + 1, hi)
    if low == "who":
        return _who_clause(text, tokens, i + 1, hi)
    if comma:
        return _descriptor(text, tokens, i, hi, anchor_start=True, anchor_end=False)
    return None


def _who_clause(text: str, tokens: Sequence[_Token], i: int, hi: int) -> _Body | None:
    """The body in "who heads Y", "who works for Y", "who is a spokesman for Y"."""
    if i >= hi:
        return None
    verb = tokens[i].low
    if verb in _WHO_VERBS:
        return _body_after(text, tokens, i + 1, hi)
    if verb in _WHO_PHRASAL and i + 1 < hi and tokens[i + 1].low in _WHO_PHRASAL[verb]:
        return _body_after_preposition(text, tokens, i + 1, hi, None)
    if verb in _WHO_COPULAS:
        start = i + 2 if i + 1 < hi and tokens[i + 1].low == "as" else i + 1
        return _descriptor(text, tokens, start, hi, anchor_start=True, anchor_end=False)
    return None


def _phrase_descriptor(text: str, lo: int, hi: int) -> _Body | None:
    """The body in a descriptor that is the whole of ``text[lo:hi]`` (a speaker, a mention)."""
    if hi - lo > MAX_PHRASE:
        return None
    tokens = _tokens(text, lo, hi)
    return _descriptor(text, tokens, 0, _phrase_end(tokens, 0), anchor_start=True, anchor_end=False)


def _is_name(speaker: str) -> bool:
    """Whether the speaker looks like a proper name worth finding elsewhere in the article."""
    words = speaker.split()
    return 0 < len(words) <= 6 and len(speaker) <= 80 and all(
        w[0].isupper() or w.lower().split("-")[0] in NAME_PARTICLES for w in words  # "al-Zawahiri"
    )


def _surname(speaker: str) -> str | None:
    """The last word of a personal name ("Arian" for "Tariq Arian"), None for other speakers."""
    words = speaker.split()
    if not 2 <= len(words) <= 5 or not _is_name(speaker):
        return None
    lows = [w.lower().strip(".,") for w in words]
    if any(w in _ORG_HEADS or w in DEMONYMS or w in _ORG_ADJECTIVES for w in lows):
        return None  # "Interior Ministry" is not a person called Ministry
    last = words[-1].strip(".,")
    if len(last) < 3 or last.lower() in PERSONAL_TITLES:
        return None
    return last


_PREVIOUS_WORD_RE = re.compile(r"([^\W\d_][\w'’.-]*)[ \t]+$")
_NEXT_WORD_RE = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")


def _own_surname(article: str, start: int, end: int) -> bool:
    """Whether a surname occurrence is not part of someone else's name ("Ismail |Khan|")."""
    before = _PREVIOUS_WORD_RE.search(article, max(0, start - 40), start)
    if before is not None:
        word = before.group(1)
        lowered = word.lower().rstrip(".")
        if word[0].isupper() and lowered not in PERSONAL_TITLES and lowered not in TITLE_ABBREVIATIONS:
            return False
    after = _NEXT_WORD_RE.match(article, end, min(len(article), end + 40))
    return after is None or not after.group(1)[0].isupper()


def _occurrences(article: str, name: str, limit: int) -> Iterator[tuple[int, int]]:
    """Word-bounded occurrences of ``name`` in ``article``, at most ``limit``."""
    found = 0
    position = article.find(name)
    while position != -1 and found < limit:
        end = position + len(name)
        if (position == 0 or not article[position - 1].isalnum()) and (
            end == len(article) or not article[end].isalnum()
        ):
            found += 1
            yield position, end
        position = article.find(name, position + 1)


def _mentions(article: str, speaker: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The mentions to examine: the given spans, then name occurrences in article order."""
    mentions = [
        (span[0], span[1]) for span in spans
        if len(span) == 2 and all(isinstance(x, int) for x in span) and 0 <= span[0] < span[1] <= len(article)
    ][:MAX_MENTIONS]
    if not _is_name(speaker):
        return mentions
    full = list(_occurrences(article, speaker, MAX_MENTIONS))
    names = list(full)
    surname = _surname(speaker)
    if surname is not None:
        for start, end in _occurrences(article, surname, MAX_MENTIONS):
            if len(names) >= MAX_MENTIONS:
                break
            inside_full = any(s <= start and end <= e for s, e in full)
            if not inside_full and _own_surname(article, start, end):
                names.append((start, end))
    names.sort()
    for mention in names:
        if len(mentions) >= MAX_MENTIONS:
            break
        if mention not in mentions:
            mentions.append(mention)
    return mentions


def _candidates(article: str, speaker: str, spans: Sequence[tuple[int, int]]) -> Iterator[_Body]:
    """Bodies found for the speaker, most direct evidence first (lazily: the first good one wins)."""
    head = speaker[:MAX_PHRASE]
    body = _phrase_descriptor(head, 0, len(head))
    if body is not None:
        yield body
    span_set = set(spans)
    for start, end in _mentions(article, speaker, spans):
        if (start, end) in span_set:
            body = _phrase_descriptor(article, start, end)
            if body is not None:
                yield body
        left = _tokens(article, max(0, start - WINDOW), start)
        body = _before_mention(article, left)
        if body is not None:
            yield body
        right = _tokens(article, end, min(len(article), end + WINDOW))
        body = _after_mention(article, right)
        if body is not None:
            yield body


def _finish(body: str, speaker: str) -> str | None:
    """The body as proposed: no leading "the", trailing punctuation or "'s"; never the speaker."""
    result = body.strip()
    if result[:4].lower() == "the ":
        result = result[4:].lstrip()
    for _ in range(3):  # "ministry's.", "Council)."
        result = _TRAILING_JUNK_RE.sub("", result)
        if result.endswith(".") and not _ABBREVIATION_END_RE.search(result):
            result = result[:-1]
    if not result or not any(c.isalnum() for c in result):
        return None
    lowered = result.lower()
    own_names = {speaker.lower()}
    if _is_name(speaker):
        own_names |= {w.lower().strip(".,") for w in speaker.split()}
    if lowered in own_names or lowered in _PERSON_ONLY_ROLES:
        return None
    return result


def _propose(article: str, speaker: str, spans: Sequence[tuple[int, int]]) -> str | None:
    """``propose_affiliation`` with every mention span the extractor read for this speaker."""
    speaker = (speaker or "").strip()
    if not speaker or not isinstance(article, str):
        return None
    for body in _candidates(article, speaker, spans):
        result = _finish(body.text, speaker)
        if result is not None:
            return result
    return None


def propose_affiliation(article: str, speaker: str, speaker_span: tuple[int, int] | None = None) -> str | None:
    """The body the speaker belongs to, as the article names it, or None when the text says nothing.

    Looked for in the speaker string itself when it is a descriptor ("a spokesman for the
    Interior Ministry"), in the mention ``speaker_span`` points at and around it, and around
    every occurrence of the speaker's full name or surname (a person is often introduced
    bare and described later).  See the module docstring for the constructions.
    """
    return _propose(article, speaker, [tuple(speaker_span)] if speaker_span is not None else [])


def proposals_for(article: str, statements: list[ExtractedStatement]) -> list[str | None]:
    """propose_affiliation for each statement, computing each distinct speaker once.

    All the mention spans of a speaker's statements are examined together, so a descriptor the
    extractor read at any one of them ("… spokesman X said"; later "X said") gives the same
    proposal for all of that speaker's statements.
    """
    spans: dict[str, list[tuple[int, int]]] = {}
    for statement in statements:
        speaker_spans = spans.setdefault(statement.speaker, [])
        span = statement.speaker_span
        if span is not None and tuple(span) not in speaker_spans and len(speaker_spans) < MAX_MENTIONS:
            speaker_spans.append(tuple(span))
    proposals = {speaker: _propose(article, speaker, speaker_spans) for speaker, speaker_spans in spans.items()}
    return [proposals[statement.speaker] for statement in statements]
