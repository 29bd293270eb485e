"""/readyz: 503 with the reason when the database, its schema, Redis or the mail
outbox is not as a request needs it; /healthz stays the plain liveness check."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from projektfabrik.app import create_app
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.mail.outbox import queue_mail
from projektfabrik.migrations import runner
from projektfabrik.testing import HostClient, Town, free_port


def _get(app: Flask, path: str) -> Any:
    client = app.test_client()
    client.base_url = "http://10.0.0.5"  # a load balancer asks by address
    return client.get(path)


def test_ready_on_a_migrated_database_and_not_when_mail_is_stuck(
    app_config: dict[str, Any], empty_database_url: str
) -> None:
    app = create_app({**app_config, "DATABASE_URL": empty_database_url})
    app.test_client_class = HostClient
    with app.app_context():
        runner.upgrade()
        try:
            answer = _get(app, "/readyz")
            assert answer.status_code == 200, answer.get_json()
            assert answer.get_json() == {"status": "ok"}

            from projektfabrik.tenancy.config_files import TenantSpec, apply

            town = apply(TenantSpec(slug="x", name="X", hosts=["x.test"]))
            db.session.commit()
            from projektfabrik.tenancy.context import tenant_context

            with tenant_context(town):
                row = queue_mail("a@example.org", "S", "T")
                row.next_attempt_at = utcnow() - timedelta(minutes=20)
                db.session.commit()
            answer = _get(app, "/readyz")
            assert answer.status_code == 503
            (problem,) = answer.get_json()["problems"]
            assert problem.startswith("mail waits") and "a@example.org" not in problem
            assert _get(app, "/healthz").status_code == 200
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def test_not_ready_when_the_schema_is_behind(app: Flask, town_a: Town) -> None:
    # The test schema is made with create_all: no Alembic revision at all.
    answer = _get(app, "/readyz")
    assert answer.status_code == 503
    assert any("db upgrade" in p for p in answer.get_json()["problems"])


def test_not_ready_without_redis_or_database(app_config: dict[str, Any], tmp_path: Path) -> None:
    app = create_app({**app_config, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    with app.app_context():
        problems = _get(app, "/readyz").get_json()["problems"]
        assert "redis unavailable" in problems
    gone = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/db"})
    with gone.app_context():
        answer = _get(gone, "/readyz")
        assert answer.status_code == 503
        assert answer.get_json()["problems"] == ["database unavailable"]
        assert _get(gone, "/healthz").status_code == 503


def test_not_ready_when_the_file_storage_does_not_answer(
    app_config: dict[str, Any], s3_server: Any
) -> None:
    dead = {**s3_server.config("readyz"), "S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    app = create_app({**app_config, **dead})
    with app.app_context():
        answer = _get(app, "/readyz")
        assert answer.status_code == 503
        assert "file storage unavailable" in answer.get_json()["problems"]
    alive = create_app({**app_config, **s3_server.config("readyz")})
    with alive.app_context():
        problems = _get(alive, "/readyz").get_json().get("problems", [])
        assert "file storage unavailable" not in problems


def test_not_ready_on_an_empty_database(app_config: dict[str, Any], tmp_path: Path) -> None:
    """A deployment whose 'db upgrade' never ran: a reason, not a crash."""
    empty = create_app({**app_config, "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite"})
    with empty.app_context():
        answer = _get(empty, "/readyz")
        assert answer.status_code == 503
        assert any("db upgrade" in p for p in answer.get_json()["problems"])


def test_db_check_refuses_a_schema_that_does_not_fit(
    app_config: dict[str, Any], empty_database_url: str
) -> None:
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from projektfabrik.cli import main

    app = create_app({**app_config, "DATABASE_URL": empty_database_url})

    def check() -> Any:
        return CliRunner().invoke(main, ["db", "check"], obj=ScriptInfo(create_app=lambda: app))

    with app.app_context():
        try:
            behind = check()
            assert behind.exit_code == 1 and "db upgrade" in behind.output
            runner.upgrade()
            fits = check()
            assert fits.exit_code == 0, fits.output
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
