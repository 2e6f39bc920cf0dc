"""flask-smorest, fitted to this application.

- ``Api`` leaves error rendering to the application's one handler (``factcheck.web``, which
  hands /api/ errors to ``api.errors``) instead of installing its own app-wide handler, and
  documents every error as ``application/problem+json``.
- ``JsonParser`` is strict about bodies: a body that is not sent as JSON, is not valid JSON
  (bad syntax, bad UTF-8, nesting too deep, numbers too long) or carries unpaired surrogates
  (which no database can store) is a 400 with a sentence saying which — never a 500.
- ``Blueprint`` gives every API blueprint the same gate: the bearer token is checked and
  writes are counted against the rate limit before any view runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from http import HTTPStatus
from typing import Any, TypeVar

import flask_smorest
from flask import Request, request
from sqlalchemy.exc import DBAPIError
from marshmallow.utils import missing
from webargs.core import is_json
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import BadRequest

from .. import direct
from . import auth, ratelimit
from .errors import PROBLEM_JSON, PROBLEMS, ProblemSchema

F = TypeVar("F", bound=Callable[..., Any])

#: The security scheme every authenticated operation names in the OpenAPI document.
BEARER = "bearerAuth"


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        """Nothing: ``factcheck.web`` owns error handling for the whole application."""

    def _register_responses(self) -> None:
        """The reusable error responses, as problem details (flask-smorest's say JSON), with
        what each status means in this API."""
        super()._register_responses()
        lazy = self.spec.components.responses_lazy
        for name, response in list(lazy.items()):
            content = response.get("content", {})
            if "application/json" in content:
                response = {**response, "content": {PROBLEM_JSON: content["application/json"]}}
            code = HTTPStatus.__members__.get(name)
            if code is not None and code.value in PROBLEMS:
                response = {**response, "description": PROBLEMS[code.value]}
            lazy[name] = response

    def _register_pagination_header(self) -> None:
        """Nothing: lists here page by cursor (``paging``), not by flask-smorest's page numbers."""


def _has_unpaired_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


class JsonParser(FlaskParser):
    """webargs' Flask parser, with the refusals described in the module docstring."""

    def _raw_load_json(self, req: Request) -> Any:
        body = req.get_data(cache=True)  # raises 413 beyond MAX_CONTENT_LENGTH
        if not body:
            return missing
        if not is_json(req.mimetype):
            raise BadRequest(
                f"The body must be JSON sent with Content-Type: application/json "
                f"(it was sent as {req.mimetype or 'no content type'})."
            )
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, int limits
            raise BadRequest(f"The body is not valid JSON: {_reason(exc)}.") from None
        if _has_unpaired_surrogate(data):
            raise BadRequest("The body is not valid JSON text: it contains an unpaired surrogate escape.")
        return data


def _reason(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8"
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return str(exc)


class Blueprint(flask_smorest.Blueprint):
    """A blueprint of the JSON API: token checked and writes rate-limited before any view."""

    ARGUMENTS_PARSER = JsonParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("url_prefix", "/api/v1")
        super().__init__(*args, **kwargs)
        self.before_request(_gate)

    def arguments(self, schema: Any, **kwargs: Any) -> Callable[[F], F]:
        """flask-smorest's ``arguments``, with a schema class made an instance once, when the
        route is declared: webargs would otherwise build a new schema for every request
        (marshmallow schemas hold no state of a load, so one serves every request)."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, **kwargs)  # type: ignore[no-any-return]

    def problems(self, *codes: int) -> Callable[[F], F]:
        """Document the problem responses an operation can give, with what each means here."""

        def decorator(func: F) -> F:
            for code in codes:
                func = self.alt_response(
                    code, schema=ProblemSchema, content_type=PROBLEM_JSON, description=PROBLEMS[code]
                )(func)
            return func

        return decorator

    def public(self, func: F) -> F:
        """Document an operation that needs no token (one may be sent, to see more)."""
        return self.doc(security=[{}, {BEARER: []}])(func)  # type: ignore[no-any-return]

    def token(self, func: F) -> F:
        """An operation that needs a token: documented so, and refused (401) without one
        before its arguments are even parsed — a reader learns nothing from a 422."""

        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            auth.require_member()
            return func(*args, **kwargs)

        return self.doc(security=[{BEARER: []}])(wrapper)  # type: ignore[no-any-return]


def _gate() -> None:
    """Before every API view: who is calling, count a write, refuse a bad token or an
    anonymous write (every write needs a token, whatever its view says).

    The token's lookup and a write's count run on the autocommit connection of
    ``factcheck.direct``, before the view's transaction opens: the count stands even when the
    write is then refused, and on SQLite a request never waits for its own lock. A connection
    found broken (a restarted database) is replaced and the bookkeeping run once more."""
    write = request.method in ratelimit.UNSAFE_METHODS
    for attempt in (1, 2):
        try:
            with direct.autocommit() as connection:
                identity = auth.identify_request(connection)
                verdict = ratelimit.count_write(identity.rate_key, connection) if write else None
            break
        except ratelimit.STORE_ERRORS as error:
            broken = isinstance(error, DBAPIError) and error.connection_invalidated
            if attempt == 1 and broken:
                continue
            if not write:
                raise
            raise ratelimit.unavailable() from None
    if verdict is not None:
        ratelimit.enforce(verdict)
    auth.refuse_bad_token()
    if write:
        auth.require_member()


def init_spec(api: Api) -> None:
    """What the document says about the API as a whole."""
    api.spec.components.security_scheme(
        BEARER,
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A token made with `flask --app factcheck token create EMAIL`; it acts "
            "with its user's role.",
        },
    )
    # The conditional-request header of writes to a claim, described once.
    api.spec.components.parameter(
        "IfMatch",
        "header",
        {
            "name": "If-Match",
            "schema": {"type": "string"},
            "description": 'The ETag of the claim as read, e.g. `"7"`. Required unless the body '
            "carries `version`. A version that is no longer current gives 412.",
        },
    )
