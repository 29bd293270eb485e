"""The wall between towns, enforced on the ORM session.

* Every ORM SELECT, UPDATE and DELETE touching a :class:`TenantScoped` model gets
  ``tenant_id = <current town>`` added (``with_loader_criteria``).
* Such a statement without a town in context raises :class:`NoTenantError`.
* New rows get the current town stamped; a flush that would write a row of
  another town raises :class:`CrossTenantWriteError`.

The only way around it is the execution option in :data:`ALL_TENANTS`, meant
for operator code (mail delivery, ``tenant list``). Grep for it.

One narrower door exists for the regional read model: :func:`these_towns` reads
(SELECT only) the rows of a named set of towns instead of the current one. Its
only user is :mod:`projektfabrik.regions.readmodel`; a test fails on any other.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

from projektfabrik.tenancy.context import NoTenantError, current_tenant_id_or_none

#: ``select(...).execution_options(**ALL_TENANTS)`` reads across towns. Operator code only.
ALL_TENANTS: dict[str, Any] = {"projektfabrik_all_tenants": True}


#: The execution option behind :func:`these_towns`.
_THESE_TOWNS = "projektfabrik_these_towns"


def these_towns(tenant_ids: frozenset[int]) -> dict[str, Any]:
    """``select(...).execution_options(**these_towns(ids))`` reads rows of exactly those
    towns, whatever town is in context; an empty set reads nothing. SELECT only: an
    UPDATE or DELETE with it raises. Regional read model only (grep for it)."""
    return {_THESE_TOWNS: frozenset(tenant_ids)}


class CrossTenantWriteError(RuntimeError):
    """A flush tried to write a row that belongs to another town."""


class TenantScoped:
    """Mixin for every table whose rows belong to one town."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy passes the class
        return mapped_column(
            ForeignKey("tenant.id", ondelete="CASCADE"), index=True, nullable=False
        )


def _touches_tenant_scoped(state: ORMExecuteState) -> bool:
    return any(issubclass(m.class_, TenantScoped) for m in state.all_mappers)


def _add_tenant_criteria(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get("projektfabrik_all_tenants"):
        return
    towns = state.execution_options.get(_THESE_TOWNS)
    if towns is not None:
        if not state.is_select:
            raise CrossTenantWriteError("these_towns() reads; it never changes or deletes")
        ids = sorted(towns)
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantScoped, lambda cls: cls.tenant_id.in_(ids), include_aliases=True
            )
        )
        return
    if state.is_column_load:
        # Refreshing attributes of an object already loaded (under its town).
        return
    tenant_id = current_tenant_id_or_none()
    if tenant_id is None:
        if state.is_relationship_load:
            # The parent was loaded with the criteria, which propagate to its loaders.
            return
        if _touches_tenant_scoped(state):
            raise NoTenantError("query on a tenant-scoped model without a municipality in context")
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.tenant_id == tenant_id,
            include_aliases=True,
        )
    )


def _stamp_and_guard(session: Session, flush_context: Any, instances: Any) -> None:
    tenant_id = current_tenant_id_or_none()
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if tenant_id is None:
            if obj.tenant_id is None:
                raise NoTenantError(f"new {type(obj).__name__} without a municipality in context")
            raise CrossTenantWriteError(
                f"{type(obj).__name__} written without a municipality in context"
            )
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        elif obj.tenant_id != tenant_id:
            raise CrossTenantWriteError(f"{type(obj).__name__} belongs to another municipality")
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, TenantScoped) and obj.tenant_id != tenant_id:
            raise CrossTenantWriteError(
                f"{type(obj).__name__} of another municipality changed or deleted"
            )


def install(session_class: type[Session]) -> None:
    """Attach the wall to a session class. Safe to call more than once."""
    if not event.contains(session_class, "do_orm_execute", _add_tenant_criteria):
        event.listen(session_class, "do_orm_execute", _add_tenant_criteria)
    if not event.contains(session_class, "before_flush", _stamp_and_guard):
        event.listen(session_class, "before_flush", _stamp_and_guard)


def check_models(base: type) -> list[str]:
    """Names of mapped classes that neither carry a town nor declare themselves global.

    The app refuses to start when this is not empty: a plugin model without
    scoping would be readable from every town.
    """
    offenders = []
    for mapper in base.registry.mappers:  # type: ignore[attr-defined]
        cls = mapper.class_
        if issubclass(cls, TenantScoped) or getattr(cls, "__tenant_global__", False):
            continue
        offenders.append(f"{cls.__module__}.{cls.__qualname__}")
    return sorted(offenders)
