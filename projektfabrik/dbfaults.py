"""Whether a database error means the database cannot be reached (a restart, a
crash, a failover), as opposed to a fault of the statement itself.

One answer for everyone who must tell the two apart: the 503 handler
(``errors.handle_database_unavailable``) and the code that isolates failures
(the plugin manager), which must not swallow an outage: SQLAlchemy invalidates
the connection on a disconnect, and the request's next query then raises
``PendingRollbackError`` instead of a DBAPI error, which used to end as a bare
500 (docs/operations.md, "PostgreSQL restarts or is killed").
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, PendingRollbackError

#: SQLAlchemy's code for "Can't reconnect until invalid transaction is rolled back":
#: raised only on a connection invalidated by a disconnect within a transaction.
INVALIDATED_TRANSACTION = "8s2b"


def connection_lost(error: BaseException) -> bool:
    """Whether ``error`` means the server is gone or refuses connections."""
    if isinstance(error, PendingRollbackError):
        return error.code == INVALIDATED_TRANSACTION
    if not isinstance(error, DBAPIError):
        return False
    return error.connection_invalidated or (
        isinstance(error, (OperationalError, InterfaceError)) and not _statement_error(error)
    )


def _statement_error(error: DBAPIError) -> bool:
    """OperationalError also covers a statement cancelled or a serialization
    failure; those have an SQLSTATE outside the connection classes (08, 57P)."""
    state = str(getattr(error.orig, "sqlstate", None) or "")
    return bool(state) and not state.startswith(("08", "57P"))
