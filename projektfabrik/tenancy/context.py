"""Which town the current unit of work belongs to.

A context variable rather than ``flask.g``: command-line code, mail delivery
and background jobs have no request, and must name their town the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from projektfabrik.tenancy.models import Tenant


class NoTenantError(RuntimeError):
    """A tenant-scoped query or write ran without a town in context."""


_current: ContextVar[Tenant | None] = ContextVar("projektfabrik_tenant", default=None)


def current_tenant_or_none() -> Tenant | None:
    return _current.get()


def current_tenant() -> Tenant:
    tenant = _current.get()
    if tenant is None:
        raise NoTenantError("no municipality in context")
    return tenant


def current_tenant_id_or_none() -> int | None:
    tenant = _current.get()
    return tenant.id if tenant is not None else None


def set_tenant(tenant: Tenant | None) -> object:
    """Set the town and return a token for :func:`reset_tenant`."""
    return _current.set(tenant)


def reset_tenant(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


@contextmanager
def tenant_context(tenant: Tenant | None) -> Iterator[Tenant | None]:
    """Run a block as the given town (``None``: as no town)."""
    token = _current.set(tenant)
    try:
        yield tenant
    finally:
        _current.reset(token)
