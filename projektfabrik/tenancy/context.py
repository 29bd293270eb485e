"""Which town the current unit of work belongs to.

A context variable rather than ``flask.g``: command-line code, mail delivery
and background jobs have no request, and must name their town the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from projektfabrik.tenancy.models import Tenant


class NoTenantError(RuntimeError):
    """A tenant-scoped query or write ran without a town in context."""


@dataclass(frozen=True)
class _Entry:
    tenant: Tenant
    # Read once when the town is set: the ORM object may later be expired or
    # detached, and the wall must never need a query to know the town.
    tenant_id: int


_current: ContextVar[_Entry | None] = ContextVar("projektfabrik_tenant", default=None)


def _entry(tenant: Tenant | None) -> _Entry | None:
    if tenant is None:
        return None
    if tenant.id is None:
        raise ValueError("a municipality must be saved before it can be put in context")
    return _Entry(tenant=tenant, tenant_id=tenant.id)


def current_tenant_or_none() -> Tenant | None:
    entry = _current.get()
    return entry.tenant if entry is not None else None


def current_tenant() -> Tenant:
    entry = _current.get()
    if entry is None:
        raise NoTenantError("no municipality in context")
    return entry.tenant


def current_tenant_id_or_none() -> int | None:
    entry = _current.get()
    return entry.tenant_id if entry is not None else None


def set_tenant(tenant: Tenant | None) -> object:
    """Set the town and return a token for :func:`reset_tenant`."""
    return _current.set(_entry(tenant))


def reset_tenant(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


@contextmanager
def tenant_context(tenant: Tenant | None) -> Iterator[Tenant | None]:
    """Run a block as the given town (``None``: as no town)."""
    token = _current.set(_entry(tenant))
    try:
        yield tenant
    finally:
        _current.reset(token)
