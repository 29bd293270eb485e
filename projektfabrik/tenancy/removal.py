"""Delete a town: every row of every table of the core and the plugins, its files.

Nothing of another town is touched: each statement names the town's id, and
the tables are the ones :mod:`projektfabrik.tenancy.tables` finds (children
before parents, so no foreign key is left dangling on any database). The
caller commits. Pages cached for the town cannot be served afterwards: the
host no longer resolves, and a town imported later under the same id starts
at a higher ``content_version`` (:mod:`projektfabrik.tenancy.archive`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import MetaData, delete
from sqlalchemy.engine import Connection

from projektfabrik.storage import Storage, town_prefix
from projektfabrik.tenancy.tables import TOWN_ROW, town_tables


def delete_rows(connection: Connection, metadata: MetaData, tenant_id: int) -> dict[str, int]:
    """Delete the town's rows; returns how many per table (tables without rows left out)."""
    removed = {}
    for spec in reversed(town_tables(metadata)):
        table = spec.table
        for reference in spec.self_references:
            # A row may point at a row deleted in the same statement; cut the links first.
            connection.execute(
                table.update()
                .where(table.c.tenant_id == tenant_id)
                .values({reference.column: None})
            )
        count = connection.execute(delete(table).where(table.c.tenant_id == tenant_id)).rowcount
        if count:
            removed[table.name] = count
    town = metadata.tables[TOWN_ROW]
    connection.execute(delete(town).where(town.c.id == tenant_id))
    return removed


def delete_files(files: Storage, tenant_id: int, config_dir: Path | None) -> None:
    """The town's files in the storage and (when given) the operator's folder of the town."""
    if config_dir is not None:  # first: a failing storage must not keep it
        shutil.rmtree(config_dir, ignore_errors=True)
    files.delete_prefix(town_prefix(tenant_id))
