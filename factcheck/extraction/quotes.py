"""Pair quotation marks into quoted spans.

News copy mixes curly and straight double quotes, leaves quotes open at the end of a
paragraph when the quotation continues in the next one (which then opens with a fresh
quote mark), and now and then simply loses a mark.  Pairing is therefore done paragraph by
paragraph: curly marks say which way they face, straight marks are judged by the characters
around them, a quote still open at the end of a paragraph continues only if the next
paragraph starts with a quote mark, and anything else left open is dropped rather than
allowed to swallow the following text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'
QUOTE_MARK_RE = re.compile(r"[\"“”«»„]")
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


def find_quotes(text: str) -> list[Quote]:
    """Return the quotations in ``text`` in order of appearance."""
    if not QUOTE_MARK_RE.search(text):
        return []
    paragraphs = _paragraph_bounds(text)
    quotes: list[Quote] = []
    carry: tuple[int, list[tuple[int, int]]] | None = None  # a quote open at paragraph end
    for index, (p_start, p_end) in enumerate(paragraphs):
        pairs, dangling = _pair_paragraph(text, p_start, p_end)
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
                if _continues(text, paragraphs, index):
                    carry = (open_mark, segments)
        quotes.extend(_make_quote(o, c, [(o + 1, c)]) for o, c in pairs)
        if dangling is not None and _continues(text, paragraphs, index):
            carry = (dangling, [(dangling + 1, p_end)])
    return sorted(quotes, key=lambda q: q.open_mark)


def _continues(text: str, paragraphs: list[tuple[int, int]], index: int) -> bool:
    """A quote left open continues only into a paragraph that opens with a quote mark."""
    if index + 1 >= len(paragraphs):
        return False
    n_start, n_end = paragraphs[index + 1]
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
