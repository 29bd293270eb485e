"""Which tables hold a town's rows, in which order, and how their rows refer to each other.

The town's life cycle (export, import, delete) works on every table of the
core and of every installed plugin without either listing them: a table
belongs to a town when it has a ``tenant_id`` column (every
:class:`~projektfabrik.tenancy.isolation.TenantScoped` model has one). What is
not a town's table is named here, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, MetaData, Table

#: The town itself and its host names travel in the archive's ``town.json``.
TOWN_ROW = "tenant"
HOSTS = "tenant_host"
#: Tables of a town that never travel: a sign-in session is a secret of one
#: deployment; a copy elsewhere would let someone in without signing in. A link
#: with a neighbouring town names that town's id in this deployment (an import
#: would turn it into the town itself), and used handoff nonces mean nothing
#: elsewhere: linked accounts arrive without their links and sign in with a
#: password (docs/architecture.md, "What crosses between towns", 2).
NOT_ARCHIVED = frozenset({"login_session", "town_link", "handoff_nonce"})


def names_another_town(table: Table) -> list[Column[Any]]:
    """The columns besides ``tenant_id`` that hold a town's id: another town of this
    deployment (a neighbour a message came from, a pot was copied from, an
    application was sent from). That id means nothing elsewhere, and an import
    would otherwise turn it into the importing town itself."""
    return [
        column
        for column in table.c
        if column.name != "tenant_id"
        and any(key.column.table.name == TOWN_ROW for key in column.foreign_keys)
    ]


def stays_behind(table: Table) -> bool:
    """A town table that does not travel in its archive: named in :data:`NOT_ARCHIVED`,
    or one whose rows cannot be without another town (a required column naming it:
    town messages, copies of a neighbour's funding pot). A column that may be empty
    travels empty instead (``archive.py``): a regional application stays the owning
    town's record, without the way back to the applying town."""
    return table.name in NOT_ARCHIVED or any(not c.nullable for c in names_another_town(table))


class SchemaProblem(RuntimeError):
    """A table refers to rows that are neither the town's nor the town itself."""


@dataclass(frozen=True)
class Reference:
    """A column holding the id of a row in ``target`` (the town, another table or itself)."""

    column: str
    target: str


@dataclass(frozen=True)
class TownTable:
    table: Table
    #: The integer primary key column that gets a new value on import, or None.
    id_column: str | None
    references: tuple[Reference, ...]

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def self_references(self) -> tuple[Reference, ...]:
        return tuple(r for r in self.references if r.target == self.name)


def _id_column(table: Table) -> str | None:
    keys = list(table.primary_key.columns)
    if len(keys) == 1 and keys[0].autoincrement in (True, "auto") and _is_integer(keys[0]):
        return keys[0].name
    return None


def _is_integer(column: Column[Any]) -> bool:
    try:
        return column.type.python_type is int
    except NotImplementedError:
        return False


def town_tables(metadata: MetaData, *, archived: bool = False) -> list[TownTable]:
    """Every table with a ``tenant_id``, parents before children (FK order).

    ``archived``: leave out :data:`NOT_ARCHIVED` and the host names.
    """
    found = []
    names = {t.name for t in metadata.sorted_tables if "tenant_id" in t.c}
    for table in metadata.sorted_tables:
        if table.name not in names:
            continue
        if archived and (stays_behind(table) or table.name == HOSTS):
            continue
        references = []
        for column in table.c:
            for key in column.foreign_keys:
                target = key.column.table.name
                if target != TOWN_ROW and target not in names:
                    raise SchemaProblem(
                        f"{table.name}.{column.name} refers to {target}, which is not a town's "
                        "table: a town could not be moved with it"
                    )
                references.append(Reference(column.name, target))
        found.append(TownTable(table, _id_column(table), tuple(references)))
    return found
