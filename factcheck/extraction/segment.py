"""Sentences and tokens over quote-masked text.

Sentence splitting runs on the masked text (quoted words blanked out), so a quotation of
several sentences stays inside the sentence that frames it, and the frame — "…," the
official said. — is analysed as one unit.  Tokens keep absolute character offsets into the
original article, which is what lets every statement satisfy ``text == article[start:end]``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .lexicon import SENTENCE_STARTERS, TITLE_ABBREVIATIONS

_LINE_BREAK_RE = re.compile(r"\n\s*")
# (the mark class is written twice rather than with "+" so the engine can scan ahead for it)
_SENTENCE_END_RE = re.compile(r"([.!?…।。！？][.!?…।。！？]*)([\"”’')\]]*)\s+(?=(\S))")
_WORD_BEFORE_RE = re.compile(r"[\w.’'-]{1,24}$")
_NEXT_WORD_RE = re.compile(r"[^\W_][\w’']*")
# Tokens: a masked quotation, an acronym ("U.S."), a title with its full stop ("Mr.", "Supt."),
# a word (with inner apostrophes, hyphens, dots and ampersands: "don't", "al-Assad", "AT&T"), a
# number, or any other character.  The titles are written as a tree and a word as runs of word
# characters rather than one character at a time: this pattern runs over every analysed sentence.
_TOKEN_RE = re.compile(
    r"\x01+"
    r"|(?:[A-Za-z]\.){2,}(?![^\W_])"
    r"|(?:M(?:rs?|s|aj)|D(?:r|et)|Prof|G(?:en|ov)|S(?:en|gt|t|r|upt)|Re[pv]|Lt|C(?:ol|apt|pl)|Jr|Hon|Adm|Brig|Insp|Fr)\."
    r"|[^\W\d_]\w*(?:['’\-.&](?=[^\W_])\w*)*"
    r"|\d(?:[\d,.:]*\d)?[^\W\d_]*"
    r"|[^\s\x01]"
)
_NAME_PREFIX_RE = re.compile(r"(?:al|el|as|ad|ar|ash|at|az|abu|bin|ibn)-[A-Z]")
_OPENERS = "\"“«„([‘'"


# Clause analysis is quadratic in the length of its unit, and real sentences stay well under
# this many words (a masked quotation counts as one), so a longer run of text — a table, a
# list, a paragraph without punctuation — is analysed in windows of this many words.
MAX_SENTENCE_WORDS = 120
_SEPARATOR_RE = re.compile(r"[\s,;:.!?]+")


class Token(NamedTuple):
    """A word, number, punctuation mark, or masked quotation (``kind`` w/n/p/q)."""

    text: str
    start: int
    end: int
    lower: str
    kind: str
    cap: bool


class Sentence(NamedTuple):
    """A sentence (or a window of an over-long one) as offsets into the text."""

    start: int
    end: int


def _wraps(masked: str, newline: int, after: int) -> bool:
    """A single line break inside running text (hard-wrapped copy) does not end a sentence."""
    if after >= len(masked) or "\n" in masked[newline + 1 : after]:
        return False
    pos = newline - 1
    while pos >= 0 and masked[pos] in " \t\r\xa0":
        pos -= 1
    if pos < 0:
        return False
    return (masked[pos].islower() or masked[pos] == ",") and masked[after].islower()


def _is_boundary(masked: str, match: re.Match[str]) -> bool:
    """Whether sentence punctuation ends a sentence: not after "Mr." or an initial, and after
    "U.S." only when the next word typically starts one."""
    punct, _close, following = match.groups()
    if following.islower():
        return False
    opens = following in _OPENERS or following.isupper() or following.isdigit()
    if punct != "." and any(mark in punct for mark in "!?…।。！？"):
        return opens or "." not in punct
    before = _WORD_BEFORE_RE.search(masked, max(0, match.start() - 24), match.start())
    word = before.group() if before else ""
    bare = word.rstrip(".").lower()
    if bare in TITLE_ABBREVIATIONS or (len(bare) == 1 and bare.isalpha()):
        return False
    if "." in bare:
        next_word = _NEXT_WORD_RE.match(masked, match.end())
        return following in _OPENERS or (next_word is not None and next_word.group().lower() in SENTENCE_STARTERS)
    return opens


def split_sentences(masked: str) -> list[Sentence]:
    """Sentence spans over the masked text (offsets valid in the original)."""
    sentences: list[Sentence] = []
    line_start = 0
    breaks = [m for m in _LINE_BREAK_RE.finditer(masked) if not _wraps(masked, m.start(), m.end())]
    for line_end, next_start in [(m.start(), m.end()) for m in breaks] + [(len(masked), len(masked))]:
        pos = line_start
        for match in _SENTENCE_END_RE.finditer(masked, line_start, line_end):
            if _is_boundary(masked, match):
                end = match.end(2)
                _append(sentences, masked, pos, end)
                pos = match.end()
        _append(sentences, masked, pos, line_end)
        line_start = next_start
    return sentences


def _append(sentences: list[Sentence], masked: str, start: int, end: int) -> None:
    """Add ``masked[start:end]`` trimmed, cut into windows if it is far longer than prose allows."""
    while start < end and masked[start].isspace():
        start += 1
    while end > start and masked[end - 1].isspace():
        end -= 1
    if end - start > 2 * MAX_SENTENCE_WORDS:
        count = 0
        for gap in _SEPARATOR_RE.finditer(masked, start, end):
            count += 1
            if count == MAX_SENTENCE_WORDS:
                sentences.append(Sentence(start, gap.start()))
                start, count = gap.end(), 0
    if start < end:
        sentences.append(Sentence(start, end))


def tokenize(masked: str, start: int, end: int) -> list[Token]:
    """Tokens of ``masked[start:end]`` with absolute offsets."""
    return scan_tokens(masked, start, end, frozenset()).tokens


class Scanned(NamedTuple):
    """Tokens of a sentence, with what the clause analysis looks up in every sentence, found in
    the same pass: the indices of words in a given set, and of semicolons."""

    tokens: list[Token]
    marked: list[int]
    semicolons: list[int]


def scan_tokens(masked: str, start: int, end: int, marked: frozenset[str]) -> Scanned:
    """Tokens of ``masked[start:end]`` with absolute offsets; indices of words (lower-case) in
    ``marked`` and of semicolons."""
    tokens: list[Token] = []
    append = tokens.append
    hits: list[int] = []
    semicolons: list[int] = []
    new = tuple.__new__  # skips NamedTuple's Python-level constructor: this loop is hot
    for match in _TOKEN_RE.finditer(masked, start, end):
        text = match.group()
        first = text[0]
        s, e = match.span()
        if first.isalpha():
            cap = first.isupper() or ("-" in text[:4] and _NAME_PREFIX_RE.match(text) is not None)
            lower = text.lower()
            if lower in marked:
                hits.append(len(tokens))
            append(new(Token, (text, s, e, lower, "w", cap)))
        elif first == "\x01":
            append(new(Token, (text, s, e, text, "q", False)))
        else:
            if text == ";":
                semicolons.append(len(tokens))
            append(new(Token, (text, s, e, text, "n" if first.isdigit() else "p", False)))
    return Scanned(tokens, hits, semicolons)
