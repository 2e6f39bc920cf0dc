"""Checks on values people type. Each raises ValidationError naming the field."""

from __future__ import annotations

import enum
from typing import TypeVar
from urllib.parse import urlsplit

from ..errors import ValidationError

E = TypeVar("E", bound=enum.Enum)


def clean_text(
    value: object, field: str, *, max_length: int, required: bool = True, strip: bool = True
) -> str:
    """Strip (unless asked not to), refuse NUL bytes and over-long text, require content."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text.", {field: "must be text"})
    text = value.strip() if strip else value
    if "\x00" in text:
        raise ValidationError(f"{field} contains a NUL byte.", {field: "contains a NUL byte"})
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
