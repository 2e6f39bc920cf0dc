"""Fetching one row by id, or the domain's 404."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from ..errors import NotFound

T = TypeVar("T")


def get_or_not_found(session: Session, model: type[T], ident: int, what: str) -> T:
    """The ``model`` row with primary key ``ident``; NotFound ("No <what> with id …") if none."""
    row = session.get(model, ident)
    if row is None:
        raise NotFound(f"No {what} with id {ident}.")
    return row
