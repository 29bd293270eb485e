"""Find the town a request is for, from its Host header.

Only hosts in the ``tenant_host`` table are served; anything else is a plain
404 that names no town. The lookup is one indexed query per request, so a
change made by any worker is seen by every other worker on its next request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from projektfabrik.extensions import db
from projektfabrik.tenancy.models import Tenant, TenantHost


@dataclass(frozen=True)
class Resolution:
    tenant: Tenant
    is_canonical: bool


def normalise_host(host: str) -> str:
    """Lower-case, without port and trailing dot; '' for anything malformed."""
    host = host.strip().lower()
    if host.startswith("["):  # IPv6 literal: never a town's host
        return ""
    host = host.rsplit(":", 1)[0] if ":" in host else host
    host = host.rstrip(".")
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-.")
    if not host or len(host) > 253 or not set(host) <= allowed:
        return ""
    return host


def resolve(request: Request) -> Resolution | None:
    host = normalise_host(request.host)
    if not host:
        return None
    row = (
        db.session.execute(
            select(TenantHost)
            .where(TenantHost.host == host)
            .options(joinedload(TenantHost.tenant).joinedload(Tenant.hosts))
        )
        .unique()
        .scalar_one_or_none()
    )
    if row is None:
        return None
    return Resolution(tenant=row.tenant, is_canonical=row.is_canonical)
