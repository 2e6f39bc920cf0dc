"""Declarative base, naming convention and shared column types."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

#: Every constraint gets a predictable name, so that SQLite batch migrations can drop and
#: recreate them later (unnamed constraints cannot be altered).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: Schema objects made by migrations for one dialect only (full-text search), which the models
#: do not declare; model-versus-schema comparisons skip them.
UNMANAGED_SCHEMA_OBJECTS = frozenset(
    {"claims_fts", "claims_fts_data", "claims_fts_idx", "claims_fts_docsize", "claims_fts_config",
     "claims_fts_content", "ix_claims_search",
     # Expression indexes (lower(name)), which SQLite's reflection skips.
     "ix_sources_name_lower", "ix_source_aliases_name_lower"}
)


def include_in_comparison(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic ``include_object`` hook: leave the dialect-specific search objects alone."""
    return name not in UNMANAGED_SCHEMA_OBJECTS


def utcnow() -> datetime:
    """The one clock of the application: timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC, on SQLite and PostgreSQL alike.

    SQLite has no time zones, so an aware datetime would come back naive and compare
    unequal to the one written; normalising both ways keeps the two databases identical.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use factcheck.models.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utc_from_driver(value: datetime | str | None) -> datetime | None:
    """A ``UTCDateTime`` column's value as the driver returns it (SQLite: text; PostgreSQL: a
    naive datetime), made what the column type returns: aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC)


def str_enum(enum_cls: type[enum.StrEnum], name: str, *, constraint: bool = True) -> Enum:
    """A portable enumeration: VARCHAR plus a named CHECK constraint (no native ENUM). A column
    added to a table SQLite cannot rebuild (``claims``: its full-text triggers) goes without the
    constraint (``constraint=False``); its values are still checked on the way in."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=constraint,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
