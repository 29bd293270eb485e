"""Writing and reading the audit log; no request needed, nothing committed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from projektfabrik.accounts.models import User
from projektfabrik.audit.models import AuditEntry
from projektfabrik.extensions import db

#: The longest ``action`` key (the column's width).
ACTION_MAX = 60


def record(
    action: str,
    *,
    actor: User | None,
    subject: User | None = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry to the current town's log, in the caller's transaction.

    Call it in the same unit of work as the change it records, so both are
    committed (or rolled back) together. ``actor=None`` means the operator's
    tools or the system. ``detail`` must be JSON-serialisable and hold no secret.
    """
    if not action or len(action) > ACTION_MAX:
        raise ValueError(f"audit action must be 1 to {ACTION_MAX} characters: {action!r}")
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        subject_id=subject.id if subject is not None else None,
        target=target[:200],
        detail=dict(detail or {}),
    )
    db.session.add(entry)
    return entry


def entries(*, limit: int = 50, before_id: int | None = None) -> list[AuditEntry]:
    """The town's newest entries first, with actor and subject loaded."""
    query = (
        select(AuditEntry)
        .options(selectinload(AuditEntry.actor), selectinload(AuditEntry.subject))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(db.session.scalars(query))
