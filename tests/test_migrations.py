"""Migrations build the same schema as the models, on an empty database."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.migrations import runner
from projektfabrik.testing import _base_config, _drop_postgres, _prepare_postgres


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Any:
    configured = os.environ.get("PROJEKTFABRIK_TEST_DATABASE_URL")
    if configured:
        from projektfabrik.config import normalise_database_url

        url = _prepare_postgres(normalise_database_url(configured) + "_migrations")
        yield url
        _drop_postgres(url)
    else:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite")


@pytest.mark.slow
def test_upgrade_matches_the_models(empty_database_url: str, tmp_path: Path) -> None:
    app = create_app(_base_config(empty_database_url, tmp_path, ""))
    with app.app_context():
        runner.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": runner.include_object},
            )
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], "models and migrations differ; run: projektfabrik db revision -m '...'"
