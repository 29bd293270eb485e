"""Typed events, delivered after commit to the town's enabled plugins.

``emit(event)`` remembers the event with the current town on the database
session. When that session's transaction commits, the event is ready; when
it rolls back, the event is dropped: nobody hears of a change that did not
happen. Ready events are delivered at the end of the request (or of the CLI
command), each to every ``pf_on_event`` of the plugins the event's town has
enabled. Each handler runs in its own transaction: the core commits after it
returns, and rolls back, logs and goes on to the next handler when it raises.
Events a handler emits are delivered in the same way, up to a few rounds.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from projektfabrik.extensions import db
from projektfabrik.plugins.types import Event
from projektfabrik.tenancy.context import NoTenantError, current_tenant_id_or_none, tenant_context
from projektfabrik.tenancy.models import Tenant

log = logging.getLogger(__name__)

PENDING = "projektfabrik.events.pending"
READY = "projektfabrik.events.ready"
MAX_ROUNDS = 5


def emit(event: Event) -> None:
    """Announce that something happened in the current town, once it is committed."""
    if not isinstance(event, Event):
        raise TypeError(f"events are Event dataclasses, not {type(event).__name__}")
    tenant_id = current_tenant_id_or_none()
    if tenant_id is None:
        raise NoTenantError("an event needs a municipality in context")
    session = db.session()
    if not session.in_transaction():
        # Tie the event to a transaction now, so a rollback drops it.
        session.begin()
    session.info.setdefault(PENDING, []).append((tenant_id, event))


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:
        session.info.setdefault(READY, []).extend(pending)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Runs after _after_commit for a commit; what is still pending was rolled back.
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def install(session_class: type[Session]) -> None:
    """Attach the commit listeners to a session class. Safe to call more than once."""
    for name, listener in (
        ("after_commit", _after_commit),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not sa_event.contains(session_class, name, listener):
            sa_event.listen(session_class, name, listener)


def deliver() -> int:
    """Deliver the committed events of this app context's session; return how many
    handler calls succeeded."""
    if not db.session.registry.has():
        return 0
    session = db.session()
    if not session.info.get(READY):
        return 0
    # Whatever the request changed after its last commit was meant to be thrown
    # away; a handler's commit must not save it.
    session.rollback()
    from projektfabrik.plugins.manager import get_manager

    manager = get_manager()
    delivered = 0
    for _round in range(MAX_ROUNDS):
        batch = session.info.pop(READY, None)
        if not batch:
            break
        for tenant_id, event in batch:
            delivered += _deliver_one(manager, session, tenant_id, event)
    else:
        dropped = session.info.pop(READY, None)
        if dropped:
            log.error("events still emitted after %d rounds; dropped: %r", MAX_ROUNDS, dropped)
    return delivered


def _deliver_one(manager: Any, session: Session, tenant_id: int, event: Event) -> int:
    from projektfabrik.plugins.state import enabled_plugins

    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        return 0
    delivered = 0
    with tenant_context(tenant):
        for impl in manager.impls("pf_on_event", enabled_plugins()):
            try:
                impl.function(*({"event": event}[arg] for arg in impl.argnames))
                session.commit()
            except Exception:
                session.rollback()
                log.exception(
                    "plugin %s failed handling %s in %s; skipped",
                    impl.plugin_name,
                    type(event).__name__,
                    tenant.slug,
                )
            else:
                delivered += 1
    return delivered


def deliver_at_teardown(exc: BaseException | None = None) -> None:
    try:
        deliver()
    except Exception:  # never let delivery turn a finished request into an error
        log.exception("event delivery failed")
        db.session.rollback()
