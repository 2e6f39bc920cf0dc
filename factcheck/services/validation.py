"""Checks on values people type. Each raises ValidationError naming the field."""

from __future__ import annotations

import enum
import re
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

from ..errors import ValidationError

E = TypeVar("E", bound=enum.Enum)

#: Ids are PostgreSQL ``integer``s: a larger number names no row (and would not bind).
MAX_ID = 2**31 - 1
#: Characters no text field keeps: C0 and C1 controls but tab, newline and carriage return,
#: DEL, and Unicode noncharacters. Pasted text carries them (a vertical tab from a word
#: processor); shown, they break XML (the SVG badge, the feeds) and terminals. Removed once,
#: here, for every text field of every interface.
_UNSHOWABLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
#: Quotation marks a quote may be typed in; stored without them, shown with ours.
_OPENING = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'", "‚": "‘", "”": "”"}
#: Earliest and latest years a date or time may name.
FIRST_YEAR = 1900
LAST_YEAR = 2100


def clean_text(
    value: object, field: str, *, max_length: int, required: bool = True, strip: bool = True
) -> str:
    """Strip (unless asked not to), refuse NUL bytes and over-long text, require content."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text.", {field: "must be text"})
    if "\x00" in value:
        raise ValidationError(f"{field} contains a NUL byte.", {field: "contains a NUL byte"})
    text = _UNSHOWABLE.sub("", value)
    text = text.strip() if strip else text
    if required and not text.strip():
        raise ValidationError(f"{field} is required.", {field: "is required"})
    if len(text) > max_length:
        raise ValidationError(
            f"{field} is too long ({len(text)} characters; at most {max_length}).",
            {field: f"at most {max_length} characters"},
        )
    return text


def optional_text(value: object, field: str, *, max_length: int) -> str | None:
    text = clean_text(value, field, max_length=max_length, required=False)
    return text or None


def http_url(value: object, field: str = "url", *, required: bool = True) -> str | None:
    """An absolute http(s) URL; anything else (``javascript:``, relative…) is refused."""
    text = clean_text(value, field, max_length=2000, required=required)
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValidationError(
            f"{field} must be an absolute http:// or https:// address.",
            {field: "must start with http:// or https://"},
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise ValidationError(f"{field} must be an http(s) address without spaces.", {field: "contains spaces"})
    return text


def parse_enum(enum_cls: type[E], value: object, field: str) -> E:
    """A member of ``enum_cls`` from its value, or a message listing the allowed ones."""
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_cls)
        raise ValidationError(
            f"Unknown {field} {value!r}; expected one of: {allowed}.",
            {field: f"expected one of: {allowed}"},
        ) from None


def unquoted(text: str) -> str:
    """A quote's words without the quotation marks it was typed in (the pages add their own):
    one matching pair around the whole text is removed."""
    if len(text) >= 2 and text[0] in _OPENING and text[-1] in (_OPENING[text[0]], "”", '"'):
        inner = text[1:-1].strip()
        if inner:
            return inner
    return text


def said_on(value: object, field: str = "said_on") -> date | None:
    """The date a statement was made: not before 1900, not after tomorrow (a time zone ahead)."""
    if value is None:
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError("Date said: use a date like 2019-09-23.", {field: "not a date"})
    latest = datetime.now(UTC).date() + timedelta(days=1)
    if not date(FIRST_YEAR, 1, 1) <= value <= latest:
        raise ValidationError(
            f"Date said: a date between 1900-01-01 and {latest.isoformat()}.", {field: "out of range"}
        )
    return value


def parse_when(raw: str) -> datetime:
    """A date and time as typed or sent: ISO 8601 (``2019-09-23T14:00``, with seconds, with an
    offset or ``Z``). A time without an offset is read as UTC — the desk's fields are labelled
    UTC, and the API documents it. The one rule for every form and the API; ValueError with
    the reason in words."""
    text = raw.strip()
    if text.endswith(("z", "Z")):
        text = text[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("use a date and time like 2019-09-23 14:00") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"a date between {FIRST_YEAR} and {LAST_YEAR}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
