"""A plugin's Alembic branch applies to a database that already holds data, which survives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select

from projektfabrik.accounts.models import User
from projektfabrik.app import create_app
from projektfabrik.db import UTCDateTime
from projektfabrik.extensions import db
from projektfabrik.migrations import runner
from projektfabrik.plugins import get_manager
from projektfabrik.testing import (
    HostClient,
    _base_config,
    make_town,
    use_plugin,
)

FIRST, SECOND = "68a4fafe9169", "bc55fa07d29e"  # the example plugin's revisions

notes = sa.table(
    "pinnwand_note",
    sa.column("tenant_id", sa.Integer),
    sa.column("ref", sa.String),
    sa.column("text", sa.Text),
    sa.column("created_at", UTCDateTime()),
)


def _core_heads(script: ScriptDirectory) -> list[str]:
    core = runner.HERE / "versions"
    return [h for h in script.get_heads() if Path(script.get_revision(h).path).parent == core]


def test_the_plugin_brings_its_own_branch(app: Any) -> None:
    locations = get_manager(app).migration_locations()
    assert "pinnwand" in locations  # other plugins of the repository may be installed too
    script = ScriptDirectory.from_config(runner.alembic_config())
    assert script.get_revision("pinnwand@head").revision == SECOND
    assert script.get_revision(FIRST).branch_labels == {"pinnwand"}


@pytest.mark.slow
def test_the_branch_applies_to_a_populated_database_and_keeps_every_row(
    empty_database_url: str, tmp_path: Path
) -> None:
    app = create_app(_base_config(empty_database_url, tmp_path, ""))
    app.test_client_class = HostClient
    with app.app_context():
        config = runner.alembic_config()
        script = ScriptDirectory.from_config(config)
        for head in _core_heads(script):
            command.upgrade(config, head)  # the core only: a deployment before the plugin
        assert "pinnwand_note" not in inspect(db.engine).get_table_names()

        town = make_town(app, "stadt-a", "Stadt A", ["stadt-a.test"], ["Altstadt"])
        people = [town.user(name=f"Person {n}") for n in range(3)]

        command.upgrade(config, FIRST)  # the plugin is installed: its first revision
        with db.engine.begin() as conn:
            conn.execute(
                notes.insert(),
                [
                    {
                        "tenant_id": town.tenant.id,
                        "ref": f"n{n}",
                        "text": f"Notiz {n}",
                        "created_at": datetime(2026, 1, n + 1, tzinfo=UTC),
                    }
                    for n in range(3)
                ],
            )

        runner.upgrade()  # the plugin's second revision adds a column to the filled table
        heads = {
            row[0] for row in db.session.execute(sa.text("SELECT version_num FROM alembic_version"))
        }
        assert SECOND in heads

        with town.context():
            assert db.session.scalar(select(func.count()).select_from(User)) == len(people)
        from projektfabrik_pinnwand.models import Note

        use_plugin(town, "pinnwand")
        with town.context():
            rows = db.session.scalars(select(Note).order_by(Note.ref)).all()
            assert [(n.text, n.pinned) for n in rows] == [
                ("Notiz 0", False),
                ("Notiz 1", False),
                ("Notiz 2", False),
            ]
        page = town.client().get("/pinnwand/").get_data(as_text=True)
        assert "Notiz 0" in page and "Notiz 2" in page
        db.session.remove()
        db.engine.dispose()
