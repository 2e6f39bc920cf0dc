"""Finding ClaimReview in what fact-checkers publish, and reading it despite its quirks.

Input is a JSON or JSON-LD file (one review, a list, a ``@graph``, a DataFeed, or any wrapper
around them) or an HTML page with ``<script type="application/ld+json">`` blocks. Every
ClaimReview anywhere inside is found, whatever wraps it. Real markup is messy, and each quirk
is taken as it comes: a missing ``@context``; ``schema:``-prefixed or full-IRI keys and types;
``itemReviewed`` typed ``Claim``, ``CreativeWork`` or ``creativeWork``; ``author`` as one
object, a list, or a bare name; ``claimReviewed`` as a string or a list; ``ratingValue`` as a
number, a string, or absent; ``alternateName`` with stray whitespace or as a sentence; dates as
``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM``, full ISO 8601 with an offset, or missing; extra keys.

Nothing here touches the database: a ``ReviewItem`` is what one review says, normalised.
Whether it can be imported is decided by the importer.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..models import SourceKind

#: Largest file read, so that a mistaken argument cannot exhaust memory.
MAX_FILE_BYTES = 50 * 1024 * 1024

#: schema.org types of a claimant, to the kind of source it becomes.
CLAIMANT_KINDS: dict[str, SourceKind] = {
    "person": SourceKind.PERSON,
    "governmentorganization": SourceKind.GOVERNMENT,
    "newsmediaorganization": SourceKind.MEDIA,
}


class ReadError(Exception):
    """A file, or one JSON-LD block in it, could not be read at all."""


@dataclass(frozen=True)
class Party:
    name: str
    kind: SourceKind


@dataclass(frozen=True)
class Appearance:
    url: str
    title: str = ""
    published: datetime | None = None


@dataclass(frozen=True)
class ReviewItem:
    """One ClaimReview, as its publisher wrote it, with the quirks smoothed out."""

    #: Where it was found, for messages: ``feed.json #3``.
    origin: str
    raw: dict[str, Any]
    review_url: str | None
    claim_text: str | None
    publisher: str
    rating_name: str = ""
    rating_value: str | None = None
    best_rating: str | None = None
    worst_rating: str | None = None
    date_published: datetime | None = None
    review_body: str = ""
    claimant: Party | None = None
    claim_date: datetime | None = None
    appearances: tuple[Appearance, ...] = field(default_factory=tuple)


# --- JSON-LD shapes -------------------------------------------------------------------------

_IRI_PREFIX = re.compile(r"^(?:https?://schema\.org/|schema:)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def local_name(term: str) -> str:
    """``schema:ClaimReview``, ``http://schema.org/ClaimReview`` → ``claimreview``.

    Cached: a feed repeats the same few dozen keys and types in every review."""
    return _IRI_PREFIX.sub("", term.strip()).lower()


def types_of(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", node.get("type"))
    values = value if isinstance(value, list) else [value]
    return {local_name(v) for v in values if isinstance(v, str)}


def props(node: dict[str, Any]) -> dict[str, Any]:
    """A node's properties by lower-cased local name, whatever prefix or case they came in."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if isinstance(key, str) and not key.startswith("@"):
            out.setdefault(local_name(key), value)
    return out


def find_claim_reviews(node: Any) -> Iterator[dict[str, Any]]:
    """Every ClaimReview object anywhere in a parsed JSON document, in document order.

    A walk with a stack of its own rather than recursion: a document nested as deeply as the
    JSON parser allows is walked like any other."""
    stack: list[Iterator[Any]] = [iter((node,))]
    while stack:
        value = next(stack[-1], _END)
        if value is _END:
            stack.pop()
        elif isinstance(value, dict):
            if "claimreview" in types_of(value):
                yield value
            else:
                stack.append(iter(value.values()))
        elif isinstance(value, list):
            stack.append(iter(value))


_END = object()


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(value: Any) -> str:
    """The first non-empty text in a value: a string, ``{"@value": …}``, a list of either."""
    for item in _values(value):
        if isinstance(item, dict):
            item = item.get("@value")
        if isinstance(item, str | int | float) and not isinstance(item, bool):
            text = " ".join(str(item).split())
            if text:
                return text
    return ""


def _node(value: Any) -> dict[str, Any] | None:
    for item in _values(value):
        if isinstance(item, dict):
            return item
    return None


def url_of(value: Any) -> str:
    """A URL given as a string, ``{"@id": …}`` or an object with ``url``."""
    for item in _values(value):
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, dict):
            found = text_of(props(item).get("url")) or text_of(item.get("@id"))
            if found:
                return found
    return ""


def parse_date(value: Any) -> datetime | None:
    """``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM``, ISO 8601 with or without an offset; UTC if none.

    Anything unreadable is None: a missing or odd date never stops an import. Numbers are
    not dates (a bare 20210504 or an epoch count is a guess either way).
    """
    strings = [v.get("@value") if isinstance(v, dict) else v for v in _values(value)]
    text = next((v.strip() for v in strings if isinstance(v, str) and v.strip()), "")
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _scalar(value: Any) -> str | None:
    text = text_of(value)
    return text or None


def _party(value: Any) -> Party | None:
    """An author: an object (the first with a name, if a list), or a bare name."""
    for item in _values(value):
        if isinstance(item, str) and item.strip():
            return Party(" ".join(item.split()), SourceKind.ORGANISATION)
        if isinstance(item, dict):
            name = text_of(props(item).get("name"))
            if name:
                kinds = [CLAIMANT_KINDS[t] for t in types_of(item) if t in CLAIMANT_KINDS]
                return Party(name, kinds[0] if kinds else SourceKind.ORGANISATION)
    return None


def _publisher(review: dict[str, Any], review_url: str | None) -> str:
    """The fact-checker's name: author, then publisher, then the host of their site."""
    p = props(review)
    for key in ("author", "publisher"):
        party = _party(p.get(key))
        if party is not None:
            return party.name
    for key in ("author", "publisher"):
        host = urlsplit(url_of(p.get(key))).hostname
        if host:
            return host.removeprefix("www.")
    host = urlsplit(review_url or "").hostname
    return host.removeprefix("www.") if host else "an external fact-checker"


def _appearances(item: dict[str, Any]) -> tuple[Appearance, ...]:
    """Where the claim was made: ``appearance``, ``firstAppearance``, the item's own URL, or
    the work a clip is part of."""
    p = props(item)
    found: dict[str, Appearance] = {}
    candidates: list[Any] = [*_values(p.get("firstappearance")), *_values(p.get("appearance"))]
    if p.get("url"):
        candidates.append(item)
    candidates.extend(_values(p.get("ispartof")))
    for candidate in candidates:
        url = url_of(candidate)
        if not url or url in found:
            continue
        cp = props(candidate) if isinstance(candidate, dict) else {}
        found[url] = Appearance(
            url=url,
            title=text_of(cp.get("headline")) or text_of(cp.get("name")),
            published=parse_date(cp.get("datepublished")),
        )
    return tuple(found.values())


def _claim_text(value: Any) -> str | None:
    texts: list[str] = []
    for item in _values(value):
        text = text_of(item)
        if text and text not in texts:
            texts.append(text)
    return "; ".join(texts) or None


def review_item(review: dict[str, Any], origin: str) -> ReviewItem:
    """Read one ClaimReview object."""
    p = props(review)
    review_url = url_of(p.get("url")) or (text_of(review.get("@id")) or None)
    rating = _node(p.get("reviewrating")) or {}
    rp = props(rating)
    item = _node(p.get("itemreviewed")) or {}
    ip = props(item)
    return ReviewItem(
        origin=origin,
        raw=review,
        review_url=review_url or None,
        claim_text=_claim_text(p.get("claimreviewed")),
        publisher=_publisher(review, review_url),
        rating_name=text_of(rp.get("alternatename")),
        rating_value=_scalar(rp.get("ratingvalue")),
        best_rating=_scalar(rp.get("bestrating")),
        worst_rating=_scalar(rp.get("worstrating")),
        date_published=parse_date(p.get("datepublished")),
        review_body=text_of(p.get("reviewbody")),
        claimant=_party(ip.get("author")) or _party(ip.get("creator")),
        claim_date=parse_date(ip.get("datepublished")),
        appearances=_appearances(item),
    )


# --- files ----------------------------------------------------------------------------------


class _JsonLdBlocks(HTMLParser):
    """Collects the text of every ``<script type="application/ld+json">`` in a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
            self._current = [] if kind == "application/ld+json" else None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.blocks.append("".join(self._current))
            self._current = None


def _loads(text: str) -> Any:
    """JSON as pages carry it: wrapped in HTML comments or CDATA, or with raw newlines in
    strings (``strict=False``)."""
    text = text.strip()
    for start, end in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")):
        if text.startswith(start) and text.endswith(end):
            text = text[len(start) : -len(end)].strip()
    return json.loads(text, strict=False)


def not_json(error: Exception) -> str:
    """Why a text is not JSON that can be read, in words."""
    if isinstance(error, RecursionError):
        return "nested too deeply: at most about 900 levels of arrays and objects are read"
    if isinstance(error, json.JSONDecodeError):
        return str(error)
    if "digits" in str(error):  # Python's limit on converting long integers
        return f"a number has more than {sys.get_int_max_str_digits():,} digits"
    return f"{type(error).__name__}: {error}"


def documents(text: str) -> tuple[list[Any], list[str]]:
    """The JSON documents in a file's text, and a message for each block that is not JSON
    (bad syntax, nesting deeper than the parser goes, a number too long to convert)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("{", "[")):
        try:
            return [_loads(stripped)], []
        except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
            raise ReadError(f"not valid JSON ({not_json(error)})") from None
    parser = _JsonLdBlocks()
    parser.feed(text)
    parser.close()
    docs: list[Any] = []
    problems: list[str] = []
    for n, block in enumerate(parser.blocks, start=1):
        try:
            docs.append(_loads(block))
        except (ValueError, RecursionError) as error:
            problems.append(f"JSON-LD block {n} is not valid JSON ({not_json(error)})")
    if not parser.blocks:
        raise ReadError("neither JSON nor a page with JSON-LD")
    return docs, problems


def read_file(path: Path) -> tuple[list[ReviewItem], list[str]]:
    """The ClaimReview items of one file, and messages about the parts that could not be read.

    Raises ReadError when nothing in the file can be read at all.
    """
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ReadError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as error:
        raise ReadError(str(error.strerror or error)) from None
    docs, problems = documents(text)
    reviews = [review for doc in docs for review in find_claim_reviews(doc)]
    if not reviews and not problems:
        raise ReadError("no ClaimReview found")
    items = []
    for n, review in enumerate(reviews, start=1):
        try:
            items.append(review_item(review, f"{path.name} #{n}"))
        except Exception as error:  # noqa: BLE001 - one odd review never stops the others
            problems.append(f"#{n} could not be read ({type(error).__name__}: {error})")
    return items, problems
