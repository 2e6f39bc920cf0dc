"""Reading HTML form values into the types the services take.

Each helper raises ValidationError naming the field, so a form is re-rendered with the message
and with everything the user typed, never a 500.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from .errors import ValidationError


def form_int(form: Any, field: str, *, required: bool = False) -> int | None:
    raw = (form.get(field) or "").strip()
    if not raw:
        if required:
            raise ValidationError(f"{field} is required.", {field: "is required"})
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(f"{field} must be a whole number.", {field: "not a number"}) from None


def form_date(form: Any, field: str) -> date | None:
    raw = (form.get(field) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"{field} must be a date (YYYY-MM-DD).", {field: "not a date"}) from None


def form_datetime(form: Any, field: str) -> datetime | None:
    """A ``datetime-local`` value (no zone) read as UTC, or a full ISO 8601 time."""
    raw = (form.get(field) or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"{field} must be a date and time.", {field: "not a date and time"}) from None
    if not 1900 <= value.year <= 9999:
        raise ValidationError(f"{field} is out of range.", {field: "out of range"})
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def form_bool(form: Any, field: str) -> bool:
    return (form.get(field) or "").strip().lower() in {"1", "on", "true", "yes"}


def int_or_none(value: object) -> int | None:
    """A lenient int, for values only used to explain a refusal (never to decide one)."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
