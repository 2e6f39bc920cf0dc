"""HTML forms, read once: Flask-WTF form classes and the one way a view uses them.

A view reads its form with ``read(FormClass)``: the submitted values are parsed into the types
the services take (ids, dates, times, booleans), each refused value with a message in the
newsroom's words naming the field by its label ("Date said: use a date like 2019-09-23"),
raised as the same ``ValidationError`` the services raise. The rules themselves — lengths,
what may be empty, who may do what — stay in the services; a form only turns text into values.
Whatever was refused, the page is shown again from ``request.form`` as typed.

CSRF is checked for every POST by ``CSRFProtect`` before any view (``factcheck.auth``), so the
classes here do not check it a second time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from flask import request
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError as WTFValidationError

from .errors import DomainError, ValidationError
from .services.validation import MAX_ID, parse_when

F = TypeVar("F", bound="Form")


class Form(FlaskForm):
    """Base of the desk's forms: no second CSRF check, every text free of NUL bytes."""

    class Meta:
        csrf = False

    #: Service field name → this form's label, for refusals the services word by field name.
    LABELS: dict[str, str] = {}

    def labels(self) -> dict[str, str]:
        out = {name: field.label.text for name, field in self._fields.items()}
        return {**out, **self.LABELS}


def _no_nul(form: Any, field: Field) -> None:
    for value in field.raw_data or ():
        if isinstance(value, str) and "\x00" in value:
            raise WTFValidationError("contains a character that cannot be stored (a NUL byte)")


class Text(StringField):
    """Text as typed (the services strip, bound and require it)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, validators=[_no_nul], **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = valuelist[0] if valuelist else ""


class LongText(TextAreaField):
    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, validators=[_no_nul], **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = valuelist[0] if valuelist else ""


class Choice(StringField):
    """One of a few values, checked by the service (which lists the allowed ones)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, validators=[_no_nul], **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = (valuelist[0] if valuelist else "").strip()


class Id(IntegerField):
    """A row's id: a whole number from 1 to the largest id a database holds."""

    def __init__(self, label: str, *, required: bool = False, **kwargs: Any) -> None:
        validators = [InputRequired(message="choose one")] if required else [Optional()]
        validators.append(NumberRange(min=1, max=MAX_ID, message="not one of ours"))
        super().__init__(label, validators=validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = int(raw)
            except ValueError:
                raise ValueError("not one of ours") from None


class Version(Id):
    """The version of the thing edited, as the page showed it (optimistic locking)."""

    def __init__(self, label: str = "Version", **kwargs: Any) -> None:
        super().__init__(label, required=True, **kwargs)


class Day(StringField):
    """A date typed as YYYY-MM-DD (a browser's date input sends that), or nothing."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, validators=[_no_nul], **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = date.fromisoformat(raw)
            except ValueError:
                raise ValueError("use a date like 2019-09-23") from None


class When(StringField):
    """A date and time (``services.validation.parse_when``: the one rule, forms and API alike)."""

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, validators=[_no_nul], **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            try:
                self.data = parse_when(raw)
            except ValueError as error:
                raise ValueError(str(error)) from None


class Check(BooleanField):
    false_values = ("false", "", "0", "off", "no")


def read(form_cls: type[F]) -> F:
    """The submitted form, parsed; a ValidationError naming each refused field by its label."""
    form = form_cls(formdata=request.form)
    if not form.validate():
        labels = form.labels()
        errors = {name: messages[0] for name, messages in form.errors.items()}
        detail = " ".join(f"{labels.get(name, name)}: {message}." for name, message in errors.items())
        raise ValidationError(detail, errors)
    return form


def worded(error: DomainError, form_cls: type[Form] | None) -> DomainError:
    """A service's refusal with its field named by the form's label: "text is required." →
    "Words: this is required." (the services name fields as the API does). A refusal that
    does not start with a field's name is already in words, and is left as it is."""
    if form_cls is None or not isinstance(error, ValidationError) or len(error.errors) != 1:
        return error
    [(name, message)] = error.errors.items()
    label = (form_cls().labels() if _in_request() else dict(form_cls.LABELS)).get(name)
    if label is None or not error.detail.startswith(f"{name} "):
        return error
    rest = error.detail[len(name) + 1:]
    rest = "this is required." if rest == "is required." else rest
    return ValidationError(f"{label}: {rest}", error.errors)


def _in_request() -> bool:
    from flask import has_request_context

    return has_request_context()


def datetime_local(value: datetime | None) -> str:
    """A UTC time as a ``datetime-local`` input shows it."""
    return value.strftime("%Y-%m-%dT%H:%M") if value is not None else ""


def arg_id(values: Any, name: str) -> int | None:
    """An id from a query string or a form, for lookups that only explain or position (a
    page's ``before``, the version a refused form was made from): None unless it is a whole
    number an id can be."""
    raw = (values.get(name) or "").strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_ID else None
