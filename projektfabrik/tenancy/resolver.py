"""Find the town a request is for, from its Host header.

Only hosts in the ``tenant_host`` table are served; anything else is a plain
404 that names no town. The lookup is one indexed query per request, so a
change made by any worker is seen by every other worker on its next request;
with Redis, the worker remembers the town and asks Redis whether it changed
instead (:mod:`projektfabrik.requestmemo`), with the same result.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Request
from sqlalchemy import select

from projektfabrik import requestmemo
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
    found = requestmemo.resolve_town(host, lambda: _read(host), db.session)
    if found is None:
        return None
    tenant, is_canonical = found
    if is_canonical:
        tenant.learn_canonical_host(host)
    return Resolution(tenant=tenant, is_canonical=is_canonical)


def _read(host: str) -> tuple[Tenant, bool] | None:
    # The town and the host's flag only: loading the town's host list with it
    # (a joined collection, made unique) cost a few tenths of a millisecond on
    # every request (docs/benchmarks.md). A served request's host is the
    # canonical one, so the town learns it (resolve); the list is loaded only
    # where something needs it.
    row = db.session.execute(
        select(Tenant, TenantHost.is_canonical)
        .join(TenantHost, TenantHost.tenant_id == Tenant.id)
        .where(TenantHost.host == host)
    ).first()
    return None if row is None else (row[0], row[1])
