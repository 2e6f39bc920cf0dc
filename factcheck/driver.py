"""Plain SQL on the driver's own connection, for the few statements of the hottest paths.

The badge's read, the API gate's token lookup and write counter, and a status change's read
of the claim run before every request of their kind. Through SQLAlchemy each cost more in its
execution machinery (the compiled-statement cache, parameter and result processing) than in
the driver's own work; here they skip it, and keep SQLAlchemy's error types.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError


def first_row(connection: Connection, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The first row of a statement in plain SQL (``?`` placeholders, and no other ``?`` or
    ``%`` in it), run on ``connection``'s driver connection, in its transaction if it has one.

    Values come back as the driver gives them; errors as SQLAlchemy's, as any other statement's would (``IntegrityError``,
    ``OperationalError`` with ``connection_invalidated`` when the connection is lost…). On
    PostgreSQL the statement is prepared on the server after its first use."""
    driver: Any = connection.connection.dbapi_connection
    dialect = connection.dialect
    try:
        if dialect.name == "postgresql":
            with driver.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params, prepare=True)
                return cursor.fetchone()  # type: ignore[no-any-return]
        cursor = driver.execute(sql, params)
        try:
            return cursor.fetchone()  # type: ignore[no-any-return]
        finally:
            cursor.close()
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, driver, None)
        raise DBAPIError.instance(
            sql, params, error, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
        ) from error
