"""Alembic environment: runs inside the app, on the app's engine and metadata."""

from __future__ import annotations

from alembic import context
from flask import current_app

from projektfabrik.extensions import db
from projektfabrik.migrations.runner import include_object


def render_item(type_, obj, autogen_context):  # type: ignore[no-untyped-def]
    # Our UTCDateTime is a TypeDecorator; write it by its import path.
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "projektfabrik.db.UTCDateTime()"
    return False


def run_migrations() -> None:
    engine = db.engine
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table as copy, drop, rename. With foreign keys
            # enforced, dropping the old ``tenant`` table would cascade and delete
            # every row that belongs to a town. The pragma only takes effect outside
            # a transaction, so it is set before Alembic begins one.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_as_batch=sqlite,
            render_item=render_item,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


assert current_app  # the CLI and tests run migrations inside an app context
run_migrations()
