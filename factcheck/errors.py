"""Domain exceptions.

Services raise these; one handler per interface (HTML, JSON API, CLI) turns them into a page,
a problem-details body or a message, always with the same words.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the tracker refused the request. Nothing has been written."""

    status_code = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "detail": self.detail, "status": self.status_code, **self.extra}


class ValidationError(DomainError):
    """Input that does not fit: ``errors`` maps each field to what is wrong with it."""

    status_code = 422
    title = "Invalid input"

    def __init__(self, detail: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(detail, errors=errors or {})
        self.errors = errors or {}


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Forbidden(DomainError):
    status_code = 403
    title = "Forbidden"


class Conflict(DomainError):
    """The claim moved on since the client read it (optimistic locking)."""

    status_code = 409
    title = "Edit conflict"

    def __init__(self, detail: str, *, current_version: int, current_status: str) -> None:
        super().__init__(detail, current_version=current_version, current_status=current_status)
        self.current_version = current_version
        self.current_status = current_status


class Duplicate(DomainError):
    """Something unique already exists (a report URL, a statement already linked)."""

    status_code = 409
    title = "Already exists"


class InvalidTransition(DomainError):
    """The status machine does not allow this move, or a rule blocks it."""

    status_code = 422
    title = "Status change not allowed"


class IndependenceRequired(InvalidTransition):
    """Confirming on one side's word alone (DESIGN rule 2)."""

    title = "Independent confirmation required"
