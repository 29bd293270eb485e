"""deploy/backup.sh and deploy/restore.sh: a backup of the demo, restored into a
fresh database and fresh folders, gives the same pages, API answers and exports;
a damaged backup or a database that is not empty is refused with nothing written.
PostgreSQL only (the scripts use pg_dump and pg_restore)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from projektfabrik.app import create_app
from projektfabrik.config import REPO_ROOT
from projektfabrik.demo import seed
from projektfabrik.extensions import db
from projektfabrik.migrations import runner
from projektfabrik.testing import HostClient, _drop_postgres, _prepare_postgres

from .pages import BEISPIEL, MUSTER, diff, snapshot

pytestmark = pytest.mark.slow
DEPLOY = REPO_ROOT / "deploy"


def _script(name: str, argument: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", str(DEPLOY / name), str(argument)], env={**os.environ, **env},
        capture_output=True, text=True,
    )  # fmt: skip


def _deployment(app_config: dict[str, Any], url: str, folder: Path) -> tuple[Flask, dict[str, str]]:
    config = {
        **app_config,
        "DATABASE_URL": url,
        "TENANTS_DIR": str(folder / "tenants"),
        "UPLOADS_DIR": str(folder / "uploads"),
    }
    app = create_app(config)
    app.test_client_class = HostClient
    env = {
        "PROJEKTFABRIK_DATABASE_URL": url,
        "PROJEKTFABRIK_TENANTS_DIR": config["TENANTS_DIR"],
        "PROJEKTFABRIK_UPLOADS_DIR": config["UPLOADS_DIR"],
    }
    return app, env


def test_a_restored_backup_gives_the_same_site(
    app_config: dict[str, Any], empty_database_url: str, tmp_path: Path
) -> None:
    if not empty_database_url.startswith("postgresql"):
        pytest.skip(
            "backup.sh and restore.sh are for PostgreSQL (set PROJEKTFABRIK_TEST_DATABASE_URL)"
        )
    source, source_env = _deployment(app_config, empty_database_url, tmp_path / "a")
    shutil.copytree(REPO_ROOT / "tenants", tmp_path / "a" / "tenants")
    restored_url = _prepare_postgres(empty_database_url + "_restored")
    try:
        with source.app_context():
            runner.upgrade()
            list(seed())
            before = {
                "visitor": snapshot(source, MUSTER),
                "admin": snapshot(source, MUSTER, as_admin=True),
                "other": snapshot(source, BEISPIEL),
            }
            db.engine.dispose()

        made = _script("backup.sh", tmp_path / "backups", source_env)
        assert made.returncode == 0, made.stderr
        backup = Path(made.stdout.strip())
        assert {p.name for p in backup.iterdir()} == {
            "database.dump", "uploads.tar.gz", "tenants.tar.gz", "SHA256SUMS",
        }  # fmt: skip

        target, target_env = _deployment(app_config, restored_url, tmp_path / "b")
        # A damaged backup is refused before anything is written.
        damaged = tmp_path / "damaged"
        shutil.copytree(backup, damaged)
        with (damaged / "tenants.tar.gz").open("r+b") as handle:
            handle.seek(20)
            handle.write(b"\0\0\0\0")
        refused = _script("restore.sh", damaged, target_env)
        assert refused.returncode != 0 and "damaged" in refused.stderr
        assert not (tmp_path / "b" / "tenants").exists()

        done = _script("restore.sh", backup, target_env)
        assert done.returncode == 0, done.stderr
        with target.app_context():
            assert diff(before["visitor"], snapshot(target, MUSTER)) == []
            assert diff(before["admin"], snapshot(target, MUSTER, as_admin=True)) == []
            assert diff(before["other"], snapshot(target, BEISPIEL)) == []
            db.engine.dispose()

        # Restoring again over the restored deployment is refused.
        again = _script("restore.sh", backup, target_env)
        assert again.returncode != 0 and "not empty" in again.stderr
    finally:
        with source.app_context():
            db.engine.dispose()
        _drop_postgres(restored_url)
