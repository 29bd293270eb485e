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
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


assert current_app  # the CLI and tests run migrations inside an app context
run_migrations()
