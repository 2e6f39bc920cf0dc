"""Problem details (RFC 9457) for everything that goes wrong under /api/.

Domain errors (a refused status change, a conflict, a missing claim) are rendered by the one
handler in ``factcheck.web`` with the same words the HTML pages use. HTTP-level errors — a
body that is not JSON, a field that does not fit, a missing or bad token, too many writes,
an unknown route — are rendered here, because only here is it known how to turn webargs'
field messages into the API's flat ``errors`` object and which headers (``Allow``,
``WWW-Authenticate``, ``Retry-After``) must survive into the problem response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import Response, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from ..errors import DomainError, ValidationError

PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    """An RFC 9457 problem-details response."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response

#: What each status means in this API, for the OpenAPI document and the reference page.
PROBLEMS: dict[int, str] = {
    400: "Malformed request: the body is not JSON, or was not sent as application/json.",
    401: "No valid bearer token: send `Authorization: Bearer <token>`.",
    403: "The token's user may not do this (the detail says which role can).",
    404: "No such resource, or not public and no token was sent.",
    409: "Edit conflict: the claim changed since it was read (the body carries "
    "`current_version` and `current_status`), or the thing already exists.",
    412: "`If-Match` names a version of the claim that is no longer current (the body carries "
    "`current_version` and `current_status`).",
    413: "The request body is larger than the API accepts.",
    422: "A field is missing or does not fit; `errors` names each field and what is wrong with it.",
    428: "Neither an `If-Match` header nor a `version` field said which version was edited.",
    429: "Too many writes; retry after the number of seconds in `Retry-After`.",
}


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem-details body, with this API's extension members (and open to more,
    as the RFC intends)."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(metadata={"description": "A URI reference for the problem type; `about:blank` here."})
    title = ma.fields.String(required=True, metadata={"description": "A short summary of the problem type."})
    status = ma.fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    detail = ma.fields.String(required=True, metadata={"description": "What went wrong with this request, in words."})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Field by field, what is wrong (422)."},
    )
    current_version = ma.fields.Integer(metadata={"description": "The claim's version now (409, 412)."})
    current_status = ma.fields.String(metadata={"description": "The claim's status now (409, 412)."})
    url = ma.fields.String(metadata={"description": "The URL that already exists (409 on reports)."})


class PreconditionRequired(DomainError):
    """A write to a claim that does not say which version it edited (HTTP 428)."""

    status_code = 428
    title = "Precondition required"


class PreconditionFailed(DomainError):
    """``If-Match`` names a version that is no longer current (HTTP 412).

    Carries the same members as ``Conflict`` so that a client handles both alike.
    """

    status_code = 412
    title = "Precondition failed"

    def __init__(self, detail: str, *, current_version: int, current_status: str) -> None:
        super().__init__(detail, current_version=current_version, current_status=current_status)


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """webargs/marshmallow messages as ``{"field.sub": "message; message"}``.

    The top level of webargs' messages is the location (``json``, ``query``), which a client
    does not need; ``_schema`` (a message about the whole body) becomes ``body``.
    """
    flat: dict[str, str] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = "body" if key == "_schema" else str(key)
            flat.update(flatten_messages(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(messages, (list, tuple)) and all(isinstance(m, str) for m in messages):
        flat[prefix or "body"] = "; ".join(messages)
    elif isinstance(messages, (list, tuple)):
        for index, value in enumerate(messages):
            flat.update(flatten_messages(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "body"] = str(messages)
    return flat


def _strip_location(messages: Any) -> Any:
    if isinstance(messages, Mapping) and set(messages) <= {"json", "query", "headers", "view_args"}:
        merged: dict[str, Any] = {}
        for value in messages.values():
            if isinstance(value, Mapping):
                merged.update(value)
            else:
                merged["_schema"] = value
        return merged
    return messages


def _detail(error: HTTPException, code: int) -> str:
    if isinstance(error, MethodNotAllowed):
        allowed = ", ".join(sorted(error.valid_methods or ()))
        return f"{request.method} is not allowed on {request.path}; allowed: {allowed}."
    if code == 404 and request.url_rule is None:
        return f"There is no API endpoint at {request.path}; the reference is at /api/v1/docs."
    if code == 413 and error.description == RequestEntityTooLarge.description:  # not an upload's own words
        limit = request.max_content_length or current_app.config.get("MAX_CONTENT_LENGTH")
        return f"The request body is larger than the {limit} bytes this API accepts."
    if code == 500:  # an unexpected exception: its text is for the log, not the client
        return "The server failed while handling this request; nothing was saved."
    return error.description or error.name


def http_problem(error: HTTPException) -> Response:
    """The problem-details response for an HTTP error raised under /api/."""
    code = error.code or 500
    data: Mapping[str, Any] = getattr(error, "data", None) or {}
    extra: dict[str, Any] = {}
    title, detail = error.name, _detail(error, code)
    if "messages" in data:  # webargs: the body or query did not fit the schema
        errors = flatten_messages(_strip_location(data["messages"]))
        if code == 422:
            # The same title as the services' own field errors: one kind of problem, one name.
            title = ValidationError.title
            extra["errors"] = errors
            detail = f"Some fields are missing or do not fit: {', '.join(sorted(errors))}."
        else:
            detail = "; ".join(errors.values())
    response = problem(code, title, detail, **extra)
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response
