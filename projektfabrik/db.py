"""The declarative base shared by the core and every plugin.

A naming convention on the metadata gives constraints stable names, so Alembic
migrations generated on SQLite and PostgreSQL agree.
"""

from __future__ import annotations

import enum
import secrets
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend.

    SQLite forgets the offset; values are stored as UTC and come back aware,
    so comparisons and formatting behave the same as on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use projektfabrik.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_type(cls: type[enum.Enum]) -> Enum:
    """A Python enum stored by its values as short strings (no native DB enum type,
    so adding a member needs no ALTER TYPE on PostgreSQL)."""
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


def new_ref(nbytes: int = 9) -> str:
    """A random, URL-safe public reference (12 characters for the default 9 bytes)."""
    return secrets.token_urlsafe(nbytes)


def ref_column(*, nbytes: int = 9, index: bool | None = None) -> Mapped[str]:
    """A random public reference column: URLs and anchors never show global row ids,
    which would reveal how many rows other towns have.

    ``nbytes`` sets the length (6 bytes: 8 characters; 9 bytes: 12); the column
    holds up to 16 characters either way, so a longer ref later needs no migration.
    """
    return mapped_column(String(16), default=lambda: new_ref(nbytes), index=index)
