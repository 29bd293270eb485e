"""Migrations build the same schema as the models, on an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.migrations import runner
from projektfabrik.testing import _base_config


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
