"""Pair quotation marks into quoted spans.

News copy mixes curly and straight double quotes, leaves quotes open at the end of a
paragraph when the quotation continues in the next one (which then opens with a fresh
quote mark), and now and then simply loses a mark.  Pairing is therefore done paragraph by
paragraph: curly marks say which way they face, straight marks are judged by the characters
around them, a quote still open at the end of a paragraph continues only if the next
paragraph starts with a quote mark, and anything else left open is dropped rather than
allowed to swallow the following text.

Single quotation marks (British style, ‘…’ or '…') are paired the same way, but only outside
double-quoted spans (inside one they are a quotation within the quotation) and with care for
apostrophes: a single mark opens only at the start of a word, and closes only at the end of
one — never in "don’t", nor in a plural possessive followed by a lower-case word ("the
players' union").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'
QUOTE_MARK_RE = re.compile(r"[\"“”«»„]")
# single marks that may be quotation marks: not between two letters ("don’t", "Iran's")
SINGLE_MARK_RE = re.compile(r"‘|'(?<!\w')|'(?!\w)|’(?!\w)")  # each branch opens with its mark: fast to scan for
_SINGLE_OPEN_AFTER = "([{—–-/“\""
PARAGRAPH_RE = re.compile(r"\n[ \t\xa0]*\n\s*")
_LEADING_SPACE_RE = re.compile(r"\s*")


@dataclass(frozen=True)
class Quote:
    """A quotation, possibly continued over several paragraphs.

    ``open_mark``/``close_mark`` are the offsets of the outer marks (``close_mark`` is the
    end of the last paragraph when the final mark is missing there); ``start``/``end`` bound
    the quoted words, and ``segments`` the (start, end) of each paragraph's part.
    """

    open_mark: int
    close_mark: int
    start: int
    end: int
    segments: tuple[tuple[int, int], ...]


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Split on blank lines; a paragraph is (start, end) without the separator."""
    bounds = []
    pos = 0
    for match in PARAGRAPH_RE.finditer(text):
        bounds.append((pos, match.start()))
        pos = match.end()
    bounds.append((pos, len(text)))
    return bounds


def _faces_open(text: str, pos: int) -> bool:
    """Whether a straight quote at ``pos`` looks like an opening mark."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-/:":
        return not after.isspace()
    return False


def _pair_paragraph(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Pair marks inside one paragraph; return closed pairs and a dangling opener."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in QUOTE_MARK_RE.finditer(text, start, end):
        pos = match.start()
        mark = text[pos]
        if mark in OPENING:
            if open_at is None:
                open_at = pos
        elif mark in CLOSING:
            if open_at is not None:
                pairs.append((open_at, pos))
                open_at = None
        elif open_at is None:
            if _faces_open(text, pos) or pos == start:
                open_at = pos
        else:
            pairs.append((open_at, pos))
            open_at = None
    return pairs, open_at


def _single_opens(text: str, pos: int) -> bool:
    """A single mark at the start of a word: ‘Yes or 'Yes, after a space or an opening bracket."""
    if text[pos] == "’" or pos + 1 >= len(text):
        return False
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1]
    return (before.isspace() or before in _SINGLE_OPEN_AFTER) and (after.isalnum() or after in "[(…")


def _single_closes(text: str, pos: int) -> bool:
    """A single mark at the end of a word that is not an apostrophe."""
    if text[pos] == "‘" or pos == 0 or text[pos - 1].isspace():
        return False
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if after.isalnum():
        return False  # "don’t", "Mir’s"
    if text[pos - 1] in "sS" and after == " " and pos + 2 < len(text) and (text[pos + 2].islower() or text[pos + 2].isdigit()):
        return False  # "the players' union"
    return True


def _pair_single(
    text: str, marks: list[int], start: int, end: int, blocked: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], int | None]:
    """Pair the single ``marks`` of one paragraph outside the ``blocked`` (double-quoted) spans."""
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    b = bisect_left(blocked, (start, -1))
    if b:
        b -= 1
    for index in range(bisect_left(marks, start), bisect_left(marks, end)):
        pos = marks[index]
        while b < len(blocked) and blocked[b][1] < pos:
            b += 1
        if b < len(blocked) and blocked[b][0] <= pos <= blocked[b][1]:
            continue
        if open_at is None:
            if _single_opens(text, pos):
                open_at = pos
        elif _single_closes(text, pos):
            pairs.append((open_at, pos))
            open_at = None
    return pairs, open_at


def find_quotes(text: str) -> list[Quote]:
    """Return the quotations in ``text`` in order of appearance: double-quoted ones, then single-
    quoted ones outside them."""
    quotes = _find(text, None) if QUOTE_MARK_RE.search(text) else []
    marks = [m.start() for m in SINGLE_MARK_RE.finditer(text)]
    if marks:
        blocked = sorted((q.open_mark, q.close_mark) for q in quotes)
        single = _find(text, blocked, marks)
        if single:
            quotes = sorted(quotes + single, key=lambda q: q.open_mark)
    return quotes


def _find(text: str, blocked: list[tuple[int, int]] | None, marks: list[int] | None = None) -> list[Quote]:
    """Double-quoted spans (``blocked`` None), or single-quoted spans outside ``blocked``."""
    paragraphs = _paragraph_bounds(text)
    if marks is not None:
        # only the paragraphs holding a possible single mark need looking at
        paragraphs = [(a, b) for a, b in paragraphs if bisect_left(marks, a) < bisect_left(marks, b)]
    quotes: list[Quote] = []
    carry: tuple[int, list[tuple[int, int]]] | None = None  # a quote open at paragraph end
    for index, (p_start, p_end) in enumerate(paragraphs):
        if blocked is None or marks is None:
            pairs, dangling = _pair_paragraph(text, p_start, p_end)
        else:
            pairs, dangling = _pair_single(text, marks, p_start, p_end, blocked)
        if carry is not None:
            open_mark, segments = carry
            carry = None
            if pairs and pairs[0][0] == p_start:
                first_open, first_close = pairs.pop(0)
                segments.append((first_open + 1, first_close))
                quotes.append(_make_quote(open_mark, first_close, segments))
            elif dangling == p_start:
                segments.append((p_start + 1, p_end))
                dangling = None
                if _continues(text, paragraphs, index, blocked is not None):
                    carry = (open_mark, segments)
        quotes.extend(_make_quote(o, c, [(o + 1, c)]) for o, c in pairs)
        if dangling is not None and _continues(text, paragraphs, index, blocked is not None):
            carry = (dangling, [(dangling + 1, p_end)])
    return sorted(quotes, key=lambda q: q.open_mark)


def _continues(text: str, paragraphs: list[tuple[int, int]], index: int, single: bool = False) -> bool:
    """A quote left open continues only into a paragraph that opens with a quote mark."""
    if index + 1 >= len(paragraphs):
        return False
    n_start, n_end = paragraphs[index + 1]
    if single:  # the paragraph list skips paragraphs without single marks: the next must be adjacent
        return n_start < n_end and text[n_start] in "‘'" and not text[paragraphs[index][1] : n_start].strip()
    return n_start < n_end and text[n_start] in OPENING + STRAIGHT


def _make_quote(open_mark: int, close_mark: int, segments: list[tuple[int, int]]) -> Quote:
    return Quote(
        open_mark=open_mark,
        close_mark=close_mark,
        start=segments[0][0],
        end=segments[-1][1],
        segments=tuple(segments),
    )


def mask_quotes(text: str, quotes: list[Quote]) -> str:
    """Blank out quoted words so that clause analysis only sees the reporter's frame.

    Quoted characters become ``\\x01`` (one opaque token per quote); the last character is
    kept when it is punctuation so sentence splitting still sees a quote ending a sentence.
    The result has the same length as ``text``, so offsets carry over unchanged.
    """
    cleaned = text.replace("\x01", " ")
    if not quotes:
        return cleaned
    parts = []
    pos = 0
    for quote in quotes:
        if quote.start < pos:
            continue
        parts.append(cleaned[pos : quote.start])
        inner = cleaned[quote.start : quote.end]
        stripped = inner.rstrip()
        keep = stripped[-1] if stripped and stripped[-1] in ".!?,;:" else ""
        body_len = len(stripped) - len(keep)
        parts.append("\x01" * body_len + keep + " " * (len(inner) - len(stripped)))
        pos = quote.end
    parts.append(cleaned[pos:])
    return "".join(parts)


def colon_before(text: str, open_mark: int, start: int = 0) -> int | None:
    """The colon that a quotation opening at ``open_mark`` follows with nothing but white space
    between ("The mayor was blunt: "…""), looked for from ``start``; None if there is none."""
    colon = text.rfind(":", start, open_mark)
    if colon < 0 or text[colon + 1 : open_mark].strip():
        return None
    return colon
