"""Atom 1.0 (RFC 4287) documents, written with the standard library's XML tools.

A small, fixed shape — feed metadata and entries with text content — needs no dependency.
ElementTree escapes markup; characters XML 1.0 cannot carry at all (most C0 controls, lone
surrogates, U+FFFE/U+FFFF) are dropped, since a claim's text may contain anything a person
pasted and one such character would make the whole feed unreadable.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree import ElementTree as ET

ATOM_NS = "http://www.w3.org/2005/Atom"
MIMETYPE = "application/atom+xml"

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def stable_id(namespace_url: str, name: str) -> str:
    """A permanent ``urn:uuid:`` for ``name`` under the site ``namespace_url``.

    Derived, not stored: the same change gets the same id in every feed, at every fetch, for
    as long as the organisation's address stays the same.
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{namespace_url.rstrip('/')}/{name}").urn


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: datetime
    link: str
    content: str
    categories: Sequence[tuple[str, str]] = field(default_factory=tuple)


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    subtitle: str
    updated: datetime
    self_url: str
    alternate_url: str
    author_name: str
    author_uri: str
    entries: Sequence[Entry]


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _when(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def render(feed: Feed) -> bytes:
    """The feed as UTF-8 XML."""
    root = ET.Element("feed", {"xmlns": ATOM_NS})
    _sub(root, "id", feed.id)
    _sub(root, "title", feed.title)
    _sub(root, "subtitle", feed.subtitle)
    _sub(root, "updated", _when(feed.updated))
    _sub(root, "link", rel="self", type=MIMETYPE, href=feed.self_url)
    _sub(root, "link", rel="alternate", type="text/html", href=feed.alternate_url)
    author = _sub(root, "author")
    _sub(author, "name", feed.author_name)
    _sub(author, "uri", feed.author_uri)
    for entry in feed.entries:
        element = _sub(root, "entry")
        _sub(element, "id", entry.id)
        _sub(element, "title", entry.title, type="text")
        _sub(element, "updated", _when(entry.updated))
        _sub(element, "published", _when(entry.updated))
        _sub(element, "link", rel="alternate", type="text/html", href=entry.link)
        for term, label in entry.categories:
            _sub(element, "category", term=term, label=label)
        _sub(element, "content", entry.content, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
