"""A town's life cycle: export → delete → import gives the same site; nothing crosses
towns; a damaged, foreign or clashing archive is refused with nothing written.

Runs on SQLite and (with PROJEKTFABRIK_TEST_DATABASE_URL) on PostgreSQL, on the
demo towns with every installed plugin switched on and seeded.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from projektfabrik.app import create_app
from projektfabrik.cli import main
from projektfabrik.config import REPO_ROOT
from projektfabrik.demo import seed
from projektfabrik.extensions import Model, db
from projektfabrik.storage import storage, town_prefix
from projektfabrik.tenancy.isolation import ALL_TENANTS
from projektfabrik.tenancy.models import Tenant
from projektfabrik.tenancy.tables import town_tables
from projektfabrik.testing import HostClient, truncate_all

from .pages import (
    BEISPIEL,
    MUSTER,
    REGIONAL_SLOT,
    client,
    diff,
    snapshot,
    without_neighbour_pots,
    without_neighbours,
)


@pytest.fixture
def demo(app_config: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """The demo towns, seeded into the test database, their folders in a copy."""
    tenants = tmp_path / "tenants-copy"
    shutil.copytree(REPO_ROOT / "tenants", tenants)
    app = create_app({**app_config, "TENANTS_DIR": str(tenants)})
    app.test_client_class = HostClient
    with app.app_context():
        list(seed())
    yield app
    with app.app_context():
        db.session.remove()
        truncate_all()
        db.engine.dispose()


def run(app: Flask, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app), input=input)


def rows_per_table(app: Flask) -> dict[str, dict[str, int]]:
    """Rows per town and table, read past the tenant wall (operator's view)."""
    counts: dict[str, dict[str, int]] = {}
    towns = dict(
        db.session.execute(select(Tenant.id, Tenant.slug).execution_options(**ALL_TENANTS)).all()
    )
    for spec in town_tables(db.metadata):
        query = select(spec.table.c.tenant_id, func.count()).group_by(spec.table.c.tenant_id)
        for tenant_id, count in db.session.execute(query):
            counts.setdefault(towns[tenant_id], {})[spec.name] = count
    db.session.rollback()
    return counts


def town_files(tenant_id: int) -> list[str]:
    """The town's keys in the storage (without the town's own prefix), with sizes."""
    return [
        f"{key.split('/', 1)[1]} {size}" for key, size in storage().list(town_prefix(tenant_id))
    ]


@pytest.mark.slow
@pytest.mark.storage
def test_export_delete_import_gives_the_same_town_and_leaves_others_alone(
    demo: Flask, tmp_path: Path
) -> None:
    with demo.app_context():
        before = {
            "visitor": snapshot(demo, MUSTER),
            "admin": snapshot(demo, MUSTER, as_admin=True),
            "other": snapshot(demo, BEISPIEL, as_admin=True),
        }
        assert sum(1 for v in before["visitor"].values() if v.startswith("200")) > 20
        counts = rows_per_table(demo)
        muster_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "musterstadt"))
        # The demo uploads nothing: a team file and a funding document stand for all files.
        storage().put(f"{muster_id}/team-files/protokoll.txt", b"Protokoll\n")
        storage().put(f"{muster_id}/funding/beleg.pdf", b"%PDF-1.4 " + bytes(70_000))
        files_before = town_files(muster_id)
        assert files_before == ["funding/beleg.pdf 70009", "team-files/protokoll.txt 10"]
        db.session.rollback()

        archive = tmp_path / "musterstadt.zip"
        result = run(demo, "tenant", "export", "musterstadt", "--output", str(archive))
        assert result.exit_code == 0, result.output
        result = run(demo, "tenant", "delete", "musterstadt", "--yes")
        assert result.exit_code == 0, result.output

        # Gone, all of it; the other town untouched.
        assert client(demo, MUSTER).get("/").status_code == 404
        after_delete = rows_per_table(demo)
        assert "musterstadt" not in after_delete
        # The neighbour keeps everything but what it held of the deleted town: the copy
        # of its regional funding pot and the receipt of the message that brought it.
        held = {"funding_neighbour_pot", "town_message_received"}
        assert after_delete["beispielhausen"] == {
            k: v for k, v in counts["beispielhausen"].items() if k not in held
        }
        assert town_files(muster_id) == []
        assert not (Path(demo.config["TENANTS_DIR"]) / "musterstadt").exists()
        # The neighbour's projects leave the regional section at once; nothing else changes.
        other_now = snapshot(demo, BEISPIEL, as_admin=True)
        assert "Sommerkino" not in other_now["/"] and "Sommerkino" in before["other"]["/"]
        assert diff(without_neighbours(before["other"]), without_neighbours(other_now)) == []

        result = run(demo, "tenant", "import", str(archive))
        assert result.exit_code == 0, result.output
        # Host names travel in the archive's town.json.
        travels = {spec.name for spec in town_tables(db.metadata, archived=True)} | {"tenant_host"}
        assert rows_per_table(demo)["musterstadt"] == {
            k: v for k, v in counts["musterstadt"].items() if k in travels
        }
        new_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "musterstadt"))
        db.session.rollback()
        assert files_before == town_files(new_id)
        assert diff(before["visitor"], snapshot(demo, MUSTER)) == []
        assert diff(before["admin"], snapshot(demo, MUSTER, as_admin=True)) == []
        other_after = snapshot(demo, BEISPIEL, as_admin=True)
        assert (
            diff(without_neighbour_pots(before["other"]), without_neighbour_pots(other_after)) == []
        )


@pytest.mark.slow
def test_a_town_moves_to_another_deployment_under_new_hosts(
    demo: Flask, app_config: dict[str, Any], tmp_path: Path, empty_database_url: str
) -> None:
    """The second deployment has its own database, folders and (here) other towns' ids."""
    with demo.app_context():
        before = snapshot(demo, BEISPIEL)
        archive = tmp_path / "beispielhausen.zip"
        assert run(demo, "tenant", "export", "beispielhausen", "-o", str(archive)).exit_code == 0

    other = create_app(
        {
            **app_config,
            "DATABASE_URL": empty_database_url,
            "TENANTS_DIR": str(tmp_path / "elsewhere" / "tenants"),
            "UPLOADS_DIR": str(tmp_path / "elsewhere" / "uploads"),
            # With S3: another prefix in the bucket stands for the other deployment's.
            "S3_PREFIX": str(app_config.get("S3_PREFIX") or "") + "-elsewhere",
        }
    )
    other.test_client_class = HostClient
    with other.app_context():
        db.create_all()
        try:
            result = run(
                other, "tenant", "import", str(archive),
                "--slug", "bsph", "--host", "bsph.example.org",
            )  # fmt: skip
            assert result.exit_code == 0, result.output
            moved = snapshot(other, "bsph.example.org")
            # The same pages, with links to the new host; the new deployment has no
            # region (and no neighbours), so the regional section is not there.
            expected = {p: v.replace(BEISPIEL, "bsph.example.org") for p, v in before.items()}
            assert REGIONAL_SLOT in expected["/"] and REGIONAL_SLOT not in moved["/"]
            assert diff(without_neighbours(expected), without_neighbours(moved)) == []
            toml = tmp_path / "elsewhere" / "tenants" / "bsph" / "tenant.toml"
            assert 'hosts = ["bsph.example.org"]' in toml.read_text()
            # Importing again: slug and host taken, nothing written.
            again = run(other, "tenant", "import", str(archive), "--slug", "bsph")
            assert again.exit_code != 0 and "exists already" in again.output
            again = run(other, "tenant", "import", str(archive), "--slug", "bsph2",
                        "--host", "bsph.example.org")  # fmt: skip
            assert again.exit_code != 0 and "serves another municipality" in again.output
            assert db.session.scalar(select(func.count()).select_from(Tenant)) == 1
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _rewrite(archive: Path, change: Any) -> Path:
    """A copy of the archive with ``change(name, data) -> data | None`` applied to entries."""
    damaged = archive.with_name(f"{change.__name__}.zip")
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                target.writestr(info.filename, data)
    return damaged


def towns() -> list[str]:
    db.session.rollback()  # see what the commands committed
    return list(db.session.scalars(select(Tenant.slug).order_by(Tenant.slug)))


def test_damaged_or_foreign_archives_are_refused_and_nothing_is_written(
    town_a: Any, tmp_path: Path
) -> None:
    app = town_a.app
    town_a.user("someone@example.org")
    archive = tmp_path / "a.zip"
    assert run(app, "tenant", "export", town_a.slug, "-o", str(archive)).exit_code == 0
    assert run(app, "tenant", "delete", town_a.slug, "--yes").exit_code == 0

    def flip_a_byte(name: str, data: bytes) -> bytes:
        return data.replace(b"someone", b"s0meone") if name.endswith("user_account.jsonl") else data

    def newer_schema(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["schema"] = ["ffffffffffff"]
        return json.dumps(manifest).encode()

    def drop_users(name: str, data: bytes) -> bytes | None:
        return None if name.endswith("user_account.jsonl") else data

    cases = {
        "does not match its checksum": _rewrite(archive, flip_a_byte),
        "schema revisions do not fit": _rewrite(archive, newer_schema),
        "missing ['tables/user_account.jsonl']": _rewrite(archive, drop_users),
    }
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"PK\x03\x04 this is not really a zip")
    cases["not a ZIP archive"] = not_zip
    for message, path in cases.items():
        result = run(app, "tenant", "import", str(path))
        assert result.exit_code != 0
        assert "nothing was imported" in result.output and message in result.output, result.output
        assert towns() == []
        assert not (Path(app.config["TENANTS_DIR"]) / town_a.slug).exists()
    # The intact archive still works.
    assert run(app, "tenant", "import", str(archive)).exit_code == 0


def test_delete_asks_for_the_slug_again(town_a: Any, town_b: Any) -> None:
    app = town_a.app
    result = run(app, "tenant", "delete", town_a.slug)
    assert result.exit_code != 0 and "--yes" in result.output
    assert towns() == sorted([town_a.slug, town_b.slug])


def test_suspended_and_read_only_towns(town_a: Any, town_b: Any) -> None:
    app = town_a.app
    town_a.user("member@example.org")
    visitor, other = town_a.client(), town_b.client()
    assert run(app, "tenant", "suspend", town_a.slug).exit_code == 0
    page = visitor.get("/")
    assert page.status_code == 503 and "Nichts wurde gelöscht" in page.get_data(as_text=True)
    assert visitor.get("/api/v1/projects").status_code == 503
    assert other.get("/").status_code == 200  # another town is not affected

    assert run(app, "tenant", "read-only", town_a.slug).exit_code == 0
    assert visitor.get("/").status_code == 200
    assert visitor.get("/anmelden").status_code == 200
    refused = visitor.post("/anmelden", data={"email": "member@example.org", "password": "x"})
    assert refused.status_code == 403
    assert "kann nur noch gelesen werden" in refused.get_data(as_text=True)
    assert (
        other.post("/anmelden", data={"email": "x@example.org", "password": "x"}).status_code != 403
    )

    assert run(app, "tenant", "activate", town_a.slug).exit_code == 0
    assert visitor.get("/").status_code == 200


def test_every_town_table_is_in_the_archive_or_named_as_left_out() -> None:
    """A new table of the core or a plugin travels with its town without being listed."""
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    with app.app_context():
        every = {t.name for t in db.metadata.sorted_tables if "tenant_id" in t.c}
        archived = {s.name for s in town_tables(db.metadata, archived=True)}
        left_out = {"login_session", "tenant_host", "town_link", "handoff_nonce"}
        # Rows that cannot be without another town of this deployment stay behind too.
        left_out |= {"town_message_sent", "town_message_received"}
        left_out |= {"funding_neighbour_pot"} & every  # when the funding plugin's models are loaded
        assert every - archived == left_out
        # The rest is the deployment's own (towns, operators): declared global on its model.
        deployment = {
            m.local_table.name
            for m in Model.registry.mappers
            if getattr(m.class_, "__tenant_global__", False)
        }
        without_town = {t.name for t in db.metadata.sorted_tables if "tenant_id" not in t.c}
        assert without_town <= deployment
