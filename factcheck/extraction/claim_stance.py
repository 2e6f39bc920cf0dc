"""A statement's stance toward a claim: a proposal for the checker, who accepts or changes it.

``claim_stance(claim, statement, cue_stance)`` reads the claim's words against the statement's
and its own cue (``ExtractedStatement.stance``: a denial verb, a hedge):

1. **Does it bear on the claim?** The claim's content words (lower-cased, light stemming,
   numbers normalised) found in the statement. Too few — less than ``MIN_SHARED`` of the
   claim's, or fewer than two — and the statement only ``mentions`` the matter.
2. **A different number for the same thing** ("six Mexican nationals" against the claim's
   "eight Mexican nationals", "53 … deaths" against "killed at least 62"): ``denies``. A number
   matches when its noun (the next content word) or its verb is shared; a shared number with
   no different one supports the claim.
3. **A different place** for the same event (the claim's "in X", the statement's "in Y",
   neither naming the other) — ``denies``.
4. **Hedges** (the statement's own cue stance ``unconfirmed``; "suspected", "whether",
   "possibly", "alleged", "investigating whether") — ``unconfirmed``.
5. **Polarity**: the statement's cue stance ``denies`` or a negation near the shared words, or
   an opposite word ("alive"/"dead", "more"/"fewer", "rose"/"fell"), against the claim's own
   polarity: opposite — ``denies``; the same — ``asserts``.
6. A statement without a proposition (cue stance ``mentions``: an appeal, a feeling) stays
   ``mentions``.

When unsure it answers ``mentions``: the desk then attaches the statement as context only.
Evaluated on hand-written (claim, statement, stance) triples (``bench/claim_stance.py``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

STANCES = ("asserts", "denies", "unconfirmed", "mentions")
#: Share of the claim's content words the statement must carry to bear on it.
MIN_SHARED = 0.25

_WORD_RE = re.compile(r"\d[\d,]*(?:\.\d+)?%?|[^\W_]+(?:[’'.\-][^\W_]+)*")
#: Statements that refer to the claim under discussion rather than restate it ("rejected the
#: accusation", "dismissed the claim from Berlin as groundless", "denied all claims that …").
_REFERRING_RE = re.compile(
    r"\b(?:the|this|that|these|those|such|all|any|its|their|his|her|these) (?:\w+ ){0,2}"
    r"(?:claims?|accusations?|allegations?|reports?|charges?|assertions?|rumou?rs?|story|stories|suggestions?)\b"
)
#: Counting words too general to tell two counts apart by themselves ("68 people were missing"
#: is not a different count of "39 people died").
_GENERIC_UNITS = frozenset({"peopl", "person", "percent", "time", "year", "day", "week", "month", "hour", "total"})
_STOP = frozenset(
    """a an the of in on at to for from by with and or but as is are was were be been being has have had
    do does did it its this that these those there their they them he she his her him we our you your i me my
    which who whom whose what when where while than then so such also into over after before about up out
    said says say told tell according would will could should may might can must shall not no never n't
    s all some any most other others just only very because if since until although though per
    one's mr mrs ms dr""".split()
)
_NEGATIONS = frozenset({"not", "no", "never", "n't", "without", "nobody", "none", "nothing", "neither", "nor",
                        "cannot", "weren't", "wasn't", "isn't", "aren't", "didn't", "doesn't", "don't",
                        "won't", "couldn't", "hasn't", "haven't", "hadn't"})
_HEDGES_RE = re.compile(
    r"(?<!the )(?<!a )(?<!an )\b(?:suspect(?:ed|s)?|whether|possibl[ey]|alleged(?:ly)?|reportedly|apparently|appear(?:s|ed)? (?:to|capable)"
    r"|unconfirmed|unverified|unclear|investigat\w+ whether|to confirm if|might|may have|could have|could be"
    r"|question(?:ed|s)? (?:the|his|her|their|its)|doubt\w*|likely|probabl[ey])\b"
)
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    "dozens": 24, "hundreds": 200, "thousand": 1000, "thousands": 2000, "half": 50,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "percent": 1, "%": 1}
#: Pairs of words that say the opposite of each other about the same thing (by stem).
_OPPOSITES = [
    ({"aliv", "surviv", "liv"}, {"dead", "die", "kill", "death", "fatal"}),
    ({"more", "increas", "rise", "rose", "grow", "grew", "higher", "up"},
     {"fewer", "less", "decreas", "fell", "fall", "drop", "lower", "declin", "down"}),
    ({"guilt"}, {"innoc"}),
    ({"lawful", "legal"}, {"unlawful", "illegal"}),
    ({"true", "accurat", "correct"}, {"false", "untru", "wrong", "inaccurat"}),
    ({"cargo", "freight", "freighter"}, {"passeng"}),
    ({"consensual"}, {"rape", "forc"}),
    ({"curabl", "cure", "cured"}, {"incurabl"}),
    ({"real"}, {"fake"}),
]


#: Words news uses for the same event, by stem prefix: each maps to its class's first word.
_SYNONYMS = [
    ("kill", "death", "dead", "die", "died", "slain", "murder", "fatal", "deadl", "life", "lives", "toll", "martyr"),
    ("injur", "wound", "hurt"),
    ("attack", "strike", "bomb", "raid", "assault", "blast", "explos"),
    ("arrest", "detain", "custod"),
    ("shoot", "shot", "gunfir", "gunman"),
    ("cause", "caus", "trigger", "due", "blame", "attribut", "behind", "responsib"),
    ("vaccin", "immunis", "immuniz"),
    ("investigat", "inquir", "probe"),
    ("crash", "crashe", "collis"),
    ("stolen", "steal", "fraud", "rigg"),
]
_SYNONYM_OF = {word: group[0] for group in _SYNONYMS for word in group}


def _stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "edly", "ed", "es", "ly", "s", "e"):
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    for size in (7, 6, 5, 4):
        canonical = _SYNONYM_OF.get(word[:size])
        if canonical is not None:
            return canonical
    return word[:7]


class _Words(NamedTuple):
    tokens: list[str]  # lower-case words in order
    content: list[str]  # stems of content words, in order (duplicates kept)
    common: list[str]  # the same, of the words written in lower case (not names)
    numbers: list[tuple[float, str, int]]  # (value, unit stem, position in tokens)


def _number(tokens: list[str], i: int) -> tuple[float, int] | None:
    """The number starting at ``tokens[i]`` (digits, words, "20 percent", "5.7 million"), and
    how many tokens it takes."""
    word = tokens[i].replace(",", "")
    value: float | None = None
    if "-" in word:  # "twenty-five"
        tens, _, units = word.partition("-")
        if tens in _NUMBER_WORDS and units in _NUMBER_WORDS and _NUMBER_WORDS[units] < 10:
            word = str(_NUMBER_WORDS[tens] + _NUMBER_WORDS[units])
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        value = float(word)
    elif word in _NUMBER_WORDS:
        value = float(_NUMBER_WORDS[word])
    elif re.fullmatch(r"\d+(?:\.\d+)?%", word):
        return float(word[:-1]), 1
    if value is None:
        return None
    used = 1
    while i + used < len(tokens) and tokens[i + used] in _SCALES and tokens[i + used] not in ("percent", "%"):
        value *= _SCALES[tokens[i + used]]
        used += 1
    return value, used


def _words(text: str) -> _Words:
    raw = [t.replace("’", "'") for t in _WORD_RE.findall(text.replace("%", " percent"))]
    raw = [t.rstrip(",") if t[:1].isdigit() else t for t in raw]
    tokens = [t.lower() for t in raw]
    kept = [(t, r) for t, r in zip(tokens, raw, strict=True)
            if t not in _STOP and not t[:1].isdigit() and t not in _NUMBER_WORDS and len(t) > 1]
    content = [_stem(t) for t, _ in kept]
    common = [_stem(t) for t, r in kept if r[:1].islower()]
    numbers = []
    i = 0
    while i < len(tokens):
        found = _number(tokens, i)
        if found is None:
            i += 1
            continue
        value, used = found
        unit = ""
        for after in tokens[i + used : i + used + 4]:
            if after not in _STOP and not after[:1].isdigit() and after not in _NUMBER_WORDS:
                unit = _stem(after)
                break
        if not unit:  # "the population is about two million": what it counts comes before it
            for before in reversed(tokens[max(0, i - 4) : i]):
                if before not in _STOP and not before[:1].isdigit() and before not in _NUMBER_WORDS:
                    unit = _stem(before)
                    break
        if not (1900 <= value <= 2100 and value == int(value)):  # a year is not a count
            numbers.append((value, unit, i))
        i += used
    return _Words(tokens, content, common, numbers)


def _same(a: str, b: str) -> bool:
    return a == b or a[:5] == b[:5] and len(a) >= 5 and len(b) >= 5


def _shared(claim: _Words, statement: _Words) -> float:
    """Share of the claim's content words (and numbers) the statement carries — of all of them,
    or of those that are not names (a statement often says "he" for the claim's "Navalny"),
    whichever is more."""
    return max(_share(set(claim.content), claim, statement), _share(set(claim.common), claim, statement))


def _share(wanted: set[str], claim: _Words, statement: _Words) -> float:
    values = {value for value, _, _ in claim.numbers}
    if not wanted and not values:
        return 0.0
    found = set(statement.content)
    prefixes = {w[:5] for w in found if len(w) >= 5}
    hits = sum(1 for w in wanted if w in found or len(w) >= 5 and w[:5] in prefixes)
    statement_values = {value for value, _, _ in statement.numbers}
    hits += sum(1 for value in values if value in statement_values)
    return hits / (len(wanted) + len(values))


def _negated(claim: _Words, words: _Words) -> bool:
    """A negation in ``words`` bearing on what the claim says: within four words before a word
    the claim shares, or before the end of a short statement."""
    wanted = set(claim.content)
    tokens = words.tokens
    for i, token in enumerate(tokens):
        if token in _NEGATIONS or token.endswith("n't"):
            window = tokens[i + 1 : i + 6]
            if len(tokens) <= 5 or any(_same(_stem(t), w) for t in window for w in wanted):
                return True
    return False


def _number_conflict(claim: _Words, statement: _Words) -> bool | None:
    """``True``: a different number for the same thing; ``False``: the same number; ``None``:
    no number to compare."""
    verdict = None
    for value, unit, at in claim.numbers:
        about = _about(claim, unit, at)
        same = []
        for v, u, i in statement.numbers:
            if u and unit and u[:4] == unit[:4] and (unit not in _GENERIC_UNITS or about & _about(statement, u, i)):
                same.append(v)  # the same unit, and for "people", "percent", the same verb
            elif (unit in _GENERIC_UNITS or u in _GENERIC_UNITS or not u) and unit != u and \
                    {unit, u} - _GENERIC_UNITS & (about | _about(statement, u, i)) and about & _about(statement, u, i):
                same.append(v)  # "killed twelve people" and "190 were dead"
        if not same:
            continue
        if any(abs(v - value) <= 0.02 * max(v, value) for v in same):
            return False
        verdict = True
    return verdict


def _about(words: _Words, unit: str, at: int) -> set[str]:
    """What a number counts: its unit, and the content words around it (its verb)."""
    return (_context(words, at) | {unit}) - _GENERIC_UNITS - {""}


def _context(words: _Words, at: int) -> set[str]:
    """Stems of the content words around a number (its verb, what it counts), its unit aside."""
    near = words.tokens[max(0, at - 4) : at + 6]
    return {_stem(t)[:5] for t in near if t not in _STOP and not t[:1].isdigit() and t not in _NUMBER_WORDS
            and _stem(t) not in _GENERIC_UNITS and len(t) > 2}


_PLACE_RE = re.compile(r"\b(?:in|at|near|from)\s+((?:[A-Z][\w'’\-]+\s?){1,3})")


def _place_conflict(claim: str, statement: str) -> bool:
    places = {p.strip() for p in _PLACE_RE.findall(claim)}
    others = {p.strip() for p in _PLACE_RE.findall(statement)}
    if not places or not others:
        return False
    if any(p.split()[0] in statement for p in places) or any(o.split()[0] in claim for o in others):
        return False
    return True


def _opposed(claim: _Words, statement: _Words) -> bool:
    claim_stems = set(claim.content)
    statement_stems = set(statement.content)
    for left, right in _OPPOSITES:
        def has(stems: set[str], group: set[str]) -> bool:
            return any(s.startswith(g) or g.startswith(s) and len(s) >= 4 for s in stems for g in group)
        if has(claim_stems, left) and has(statement_stems, right) and not has(statement_stems, left):
            return True
        if has(claim_stems, right) and has(statement_stems, left) and not has(statement_stems, right):
            return True
    return False


def claim_stance(claim: str, statement: str, cue_stance: str | None = None) -> str:
    """``asserts``, ``denies``, ``unconfirmed`` or ``mentions``: what ``statement`` (its words,
    and ``cue_stance``, the stance of its own cue) does to ``claim`` (see the module docstring)."""
    if not claim or not statement:
        return "mentions"
    c, s = _words(claim), _words(statement)
    shared = _shared(c, s)
    numbers = _number_conflict(c, s)
    referring = cue_stance in ("denies", "unconfirmed") and _REFERRING_RE.search(statement.lower()) is not None
    hedged = cue_stance in ("denies", "unconfirmed") and shared >= MIN_SHARED / 2
    if shared < MIN_SHARED and numbers is None and not referring and not hedged:
        return "mentions"
    if numbers:
        return "denies"
    if cue_stance == "mentions" and shared < 0.6:
        return "mentions"
    if cue_stance == "unconfirmed" or _HEDGES_RE.search(statement.lower()):
        return "unconfirmed"
    if _place_conflict(claim, statement):
        return "denies"
    claim_negative = _negated(c, c)
    statement_negative = cue_stance == "denies" or _negated(c, s)
    if _opposed(c, s):
        statement_negative = not statement_negative
    if claim_negative != statement_negative:
        return "denies"
    return "asserts"
