"""Counting by calendar month in SQL, the same on SQLite and PostgreSQL.

Months are calendar months in UTC (the database groups the stored UTC times);
at a month's edge a row from the first hour of the town's day may count for
the month before. Used by the admin's statistics and by plugins' figures
(``pf_admin_statistics``, ``projektfabrik.api.sql_month``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func

from projektfabrik.extensions import db
from projektfabrik.formatting import format_date

#: How many months the monthly figures go back (the current month included).
MONTHS = 12


def sql_month(column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a UTC datetime column, in SQL."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def recent_months(today: date, months: int = MONTHS) -> list[str]:
    """``YYYY-MM`` keys of the last ``months`` months, oldest first, this one last."""
    keys = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(keys))


def month_start(key: str) -> datetime:
    year, month = (int(part) for part in key.split("-"))
    return datetime(year, month, 1, tzinfo=UTC)


def month_label(key: str) -> str:
    """``Dez. 2026`` / ``Dec 2026``."""
    return format_date(month_start(key).date(), "MMM yyyy")
