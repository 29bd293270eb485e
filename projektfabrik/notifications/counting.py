"""The bell's unread count, kept per worker and person until their notifications change.

Every page a person who is logged in sees shows the count, and counting is a
statement of its own. The count changes only when that person's notifications
do, so each commit that inserts, changes or deletes a notification raises the
person's ``notifications_version`` (the same scheme as the town's content
version, tenancy/versioning.py: the raise is the last statement of the
committing transaction, so the new number and the new rows become visible
together). The version comes with the person, whom every request loads, so
telling a kept count from a stale one costs no query.

The kept count is keyed by town, person **and** version (workercache.person_value):
no person ever sees another's count. A bulk statement on notifications that
does not name its people (``execution_options(projektfabrik_notice_users=...)``)
raises the version of every person of the current town: correct, at the price
of counting again.
"""

from __future__ import annotations

from itertools import chain
from typing import Any

from sqlalchemy import ColumnElement, or_, true, update
from sqlalchemy.orm import ORMExecuteState, Session

from projektfabrik.accounts.models import User
from projektfabrik.notifications.models import Notification
from projektfabrik.tenancy import versioning
from projektfabrik.tenancy.context import current_tenant_id_or_none
from projektfabrik.tenancy.isolation import ALL_TENANTS

#: Key in ``Session.info``: the people whose notifications this transaction changed.
_CHANGED = "projektfabrik_changed_notice_users"
#: Stands for "every person of the town" (a bulk statement that names nobody).
EVERY_PERSON = 0
#: Execution option of a bulk statement on notifications: the ids of the people it touches.
NOTICE_USERS = "projektfabrik_notice_users"


def has_pending_changes(session: Session) -> bool:
    """Whether this transaction changed someone's notifications (not yet committed)."""
    return bool(session.info.get(_CHANGED)) or any(
        isinstance(obj, Notification) for obj in chain(session.new, session.dirty, session.deleted)
    )


def _changed(session: Session) -> set[tuple[int | None, int]]:
    return session.info.setdefault(_CHANGED, set())


def _note_flush(session: Session, flush_context: Any) -> None:
    changed = _changed(session)
    for obj in chain(session.new, session.deleted, session.dirty):
        if isinstance(obj, Notification) and obj.user_id is not None:
            changed.add((obj.tenant_id, obj.user_id))


def _note_bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if not any(m.class_ is Notification for m in state.all_mappers):
        return
    tenant_id = current_tenant_id_or_none()
    people = state.execution_options.get(NOTICE_USERS)
    changed = _changed(state.session)
    if people is None:
        changed.add((tenant_id, EVERY_PERSON))
    else:
        changed.update((tenant_id, user_id) for user_id in people)


def _raise_versions(session: Session) -> None:
    changed = versioning.taken_at_commit(session, _CHANGED)
    if not changed:
        return
    versioning.note_raised(
        session, {versioning.EVERY_TOWN if tenant is None else tenant for tenant, _ in changed}
    )
    people = sorted({user_id for _tenant, user_id in changed if user_id != EVERY_PERSON})
    towns = sorted({tenant for tenant, user_id in changed if user_id == EVERY_PERSON})
    condition: ColumnElement[bool] = User.id.in_(people)
    if None in towns:  # a bulk statement outside any town: everyone
        condition = true()
    elif towns:
        condition = or_(condition, User.tenant_id.in_(towns))
    # Ids name the people across towns (one statement for all); the version
    # raise is not a change of the town (it must not empty its page cache).
    session.execute(
        update(User)
        .where(condition)
        .values(notifications_version=User.notifications_version + 1)
        .execution_options(
            **ALL_TENANTS, projektfabrik_version_bump=True, synchronize_session=False
        )
    )


def _forget(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_CHANGED, None)


def install(session_class: type[Session]) -> None:
    """Attach the version keeping to a session class. Safe to call more than once."""
    versioning.attach(
        session_class,
        [
            ("after_flush", _note_flush),
            ("do_orm_execute", _note_bulk_statement),
            ("before_commit", _raise_versions),
            ("after_rollback", _forget),
        ],
    )
