"""Files follow the database transaction that records them.

A file is written before the row that names it is committed (the row must
never point at a file that is not there). :func:`written` remembers the key
on the session: when the transaction rolls back (a refusal, a failed commit, a
request that ends without committing), the file is deleted again, so no file
is left that no row names. :func:`discard` is the other direction: a file
whose row goes is deleted only once that is committed, so a rollback keeps
it. A caller that has committed the deletion already uses :func:`delete_now`
(the session may have begun a new transaction by then, just by reading an
expired attribute, so "no transaction" cannot tell "after the commit").
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from projektfabrik.extensions import db
from projektfabrik.storage import Storage, StorageUnavailable

log = logging.getLogger(__name__)

WRITTEN = "projektfabrik.storage.written"
DISCARDED = "projektfabrik.storage.discarded"

Pending = list[tuple[Storage, str]]


def _tied_session() -> Session:
    session = db.session()
    if not session.in_transaction():
        session.begin()  # tie the file to a transaction now, so a rollback sees it
    return session


def written(backend: Storage, key: str) -> None:
    """``key`` was just written for the current transaction: delete it if that rolls back."""
    _tied_session().info.setdefault(WRITTEN, []).append((backend, key))


def discard(backend: Storage, key: str) -> None:
    """Delete ``key`` once the current transaction commits; a rollback keeps it."""
    _tied_session().info.setdefault(DISCARDED, []).append((backend, key))


def delete_now(backend: Storage, key: str) -> None:
    """Delete ``key`` at once: its row's deletion is committed already."""
    _delete([(backend, key)])


def _delete(keys: Pending) -> None:
    for backend, key in keys:
        try:
            backend.delete(key)
        except StorageUnavailable:
            # The row is gone either way; an unreachable storage leaves the file behind.
            log.exception("storage: could not delete %s", key)


def _after_commit(session: Session) -> None:
    session.info.pop(WRITTEN, None)  # the rows that name them are committed: keep
    _delete(session.info.pop(DISCARDED, []))


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Runs after _after_commit for a commit; what is still listed was rolled back.
    if transaction.parent is None:
        session.info.pop(DISCARDED, None)
        _delete(session.info.pop(WRITTEN, []))


def install(session_class: type[Session]) -> None:
    """Attach the listeners to a session class. Safe to call more than once."""
    listeners: tuple[tuple[str, Callable[..., None]], ...] = (
        ("after_commit", _after_commit),
        ("after_transaction_end", _after_transaction_end),
    )
    for name, listener in listeners:
        if not sa_event.contains(session_class, name, listener):
            sa_event.listen(session_class, name, listener)
