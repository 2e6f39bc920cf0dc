"""Counting the SQL statements a piece of code runs (for the tests that keep them constant)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Connection


@contextmanager
def counting(connection: Connection) -> Iterator[list[str]]:
    """Every SQL statement run on ``connection`` (the app's sessions are bound to it)."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)
