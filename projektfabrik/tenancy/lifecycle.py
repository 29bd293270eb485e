"""A town's life cycle for the operator: export, import, delete, suspend, read-only.

The command line (``projektfabrik tenant ...``) and, later, the operator console
use these functions; they read the deployment's folders from the app's config
and never commit (the caller does, and on import removes written files again
when the commit fails).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from flask import current_app
from sqlalchemy import select

from projektfabrik import requestmemo
from projektfabrik.extensions import db
from projektfabrik.storage import StorageUnavailable, storage
from projektfabrik.tenancy import archive, removal
from projektfabrik.tenancy.archive import ArchiveError, Manifest
from projektfabrik.tenancy.models import Tenant, TenantHost, TenantState

log = logging.getLogger(__name__)

__all__ = ["ArchiveError", "delete_files", "delete_town", "export_town", "import_town", "set_state"]


def _config_dir(slug: str) -> Path:
    return Path(current_app.config["TENANTS_DIR"]) / slug


def export_town(tenant: Tenant, out: IO[bytes]) -> Manifest:
    return archive.export_town(
        db.session.connection(),
        db.metadata,
        tenant,
        out,
        files=storage(),
        config_dir=_config_dir(tenant.slug),
        now=datetime.now(UTC),
    )


def import_town(
    source: IO[bytes], *, slug: str | None = None, hosts: list[str] | None = None
) -> tuple[Tenant, dict[str, int]]:
    """Import an archive; raises :class:`ArchiveError` (nothing written) when it cannot."""

    def host_taken(host: str) -> bool:
        return db.session.scalar(select(TenantHost.id).where(TenantHost.host == host)) is not None

    def slug_taken(wanted: str) -> bool:
        return db.session.scalar(select(Tenant.id).where(Tenant.slug == wanted)) is not None

    tenant_id, counts = archive.import_town(
        db.session.connection(),
        db.metadata,
        source,
        slug=slug,
        hosts=hosts,
        files=storage(),
        tenants_dir=Path(current_app.config["TENANTS_DIR"]),
        host_taken=host_taken,
        slug_taken=slug_taken,
    )
    return db.session.get_one(Tenant, tenant_id), counts


def delete_town(tenant: Tenant) -> dict[str, int]:
    """Every row of the town; returns the rows deleted per table.

    Its files go with :func:`delete_files` once the deletion is committed.
    """
    tenant_id = tenant.id
    db.session.expunge_all()  # the rows go behind the ORM's back
    # ... so the workers' memory of the town is ended by hand (requestmemo.py).
    requestmemo.mark_written(db.session, {tenant_id})
    return removal.delete_rows(db.session.connection(), db.metadata, tenant_id)


def delete_files(tenant_id: int, slug: str) -> bool:
    """The town's files in the storage and its folder in TENANTS_DIR; ``False`` (and
    a log entry naming the prefix to delete by hand) when the storage fails."""
    try:
        removal.delete_files(storage(), tenant_id, _config_dir(slug))
    except StorageUnavailable:
        log.exception("storage: the files of town %s (prefix %s/) are left", slug, tenant_id)
        return False
    return True


def set_state(tenant: Tenant, state: TenantState) -> None:
    tenant.state = state
    # Visitors' cached pages end with the change (the page cache keys on this number).
    tenant.content_version = (tenant.content_version or 0) + 1
