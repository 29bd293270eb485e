"""The operator's command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.cli import main
from projektfabrik.extensions import db
from projektfabrik.tenancy.context import tenant_context
from projektfabrik.tenancy.isolation import ALL_TENANTS
from projektfabrik.tenancy.models import Tenant
from projektfabrik.testing import Mailbox, Town, body_of, links_in, login


def run(app: Flask, *args: str) -> Result:
    result = CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))
    return result


def test_tenant_create_writes_config_and_invites_the_admin(app: Flask, mailbox: Mailbox) -> None:
    result = run(
        app,
        "tenant", "create", "neustadt", "--name", "Neustadt an der Test",
        "--host", "neustadt.test", "--host", "www.neustadt.test",
        "--admin-email", "Chefin@Neustadt.example.org",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    toml = Path(app.config["TENANTS_DIR"]) / "neustadt" / "tenant.toml"
    assert 'name = "Neustadt an der Test"' in toml.read_text()
    invitation = mailbox.last_to("chefin@neustadt.example.org")
    (link,) = links_in(invitation)
    assert link in result.output
    # No name is made up from the address: the mail greets without one.
    assert body_of(invitation).startswith("Hallo,\r\n")
    assert "chefin," not in body_of(invitation).lower()
    assert link.startswith("http://neustadt.test/einladung/")

    town = Town(
        tenant=db.session.scalar(select(Tenant).where(Tenant.slug == "neustadt")),
        host="neustadt.test",
        app=app,
    )
    client = town.client()
    # Before accepting, the invited admin is nobody who takes part yet.
    landing = town.client().get("/").get_data(as_text=True)
    assert "<strong>0</strong> Menschen" in landing
    assert "<strong>0</strong> Bürgerinnen und Bürger" in landing
    path = re.sub(r"^http://[^/]+", "", link)
    data = {"password": "the admins password", "confirm": "the admins password"}
    asked = client.post(path, data=data)
    assert asked.status_code == 200  # the name is asked for
    assert "Bitte geben Sie einen Namen ein." in asked.get_data(as_text=True)
    assert client.post(path, data={**data, "display_name": "Ines Imhof"}).status_code == 302
    with town.context():
        admin = db.session.scalar(select(User))
        assert admin.role == Role.ADMIN and admin.is_verified
        assert admin.display_name == "Ines Imhof"
        assert admin.kind == Kind.ADMINISTRATION
    landing = town.client().get("/").get_data(as_text=True)
    assert "<strong>1</strong> Mensch<" in landing
    assert "<strong>0</strong> Bürgerinnen und Bürger" in landing
    assert "<strong>1</strong> aus der Verwaltung" in landing
    login(town.client(), "chefin@neustadt.example.org", "the admins password")
    assert client.post(path, data=data).status_code == 400  # single use


def test_tenant_create_is_one_transaction(app: Flask, town_a: Town) -> None:
    result = run(app, "tenant", "create", "doppelt", "--name", "Doppelt", "--host", "stadt-a.test")
    assert result.exit_code != 0
    assert "already serves" in result.output
    assert db.session.scalar(select(Tenant).where(Tenant.slug == "doppelt")) is None
    assert not (Path(app.config["TENANTS_DIR"]) / "doppelt" / "tenant.toml").exists()


def test_tenant_create_refuses_a_bad_admin_address(app: Flask) -> None:
    result = run(
        app, "tenant", "create", "x", "--name", "X", "--host", "x.test", "--admin-email", "nope"
    )
    assert result.exit_code != 0
    assert "E-Mail-Adresse" in result.output  # the CLI speaks the default language, German
    assert db.session.scalar(select(Tenant)) is None


def test_tenant_create_refuses_bad_slug_and_host(app: Flask) -> None:
    assert (
        "invalid slug"
        in run(app, "tenant", "create", "Bad Slug", "--name", "X", "--host", "x.test").output
    )
    assert (
        "invalid host"
        in run(app, "tenant", "create", "ok", "--name", "X", "--host", "http://x.test:80").output
    )


def test_tenant_list_and_user_create(app: Flask, town_a: Town, town_b: Town) -> None:
    listing = run(app, "tenant", "list").output
    assert "stadt-a" in listing and "www.stadt-a.test (alias)" in listing and "stadt-b" in listing
    result = run(
        app, "user", "create", "--tenant", "stadt-b", "--email", "mod@example.org",
        "--password", "a long password", "--role", "moderator",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with town_b.context():
        assert db.session.scalar(select(User)).role == Role.MODERATOR
    with town_a.context():
        assert db.session.scalar(select(User)) is None
    again = run(
        app, "user", "create", "--tenant", "stadt-b", "--email", "mod@example.org",
        "--password", "a long password",
    )  # fmt: skip
    assert again.exit_code != 0


def test_demo_is_idempotent(app_config: dict[str, Any]) -> None:
    from projektfabrik.app import create_app
    from projektfabrik.config import REPO_ROOT

    app = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    with app.app_context():
        first = run(app, "demo")
        assert first.exit_code == 0, first.output
        second = run(app, "demo")
        assert "0 people added" in second.output
        assert "Musterstadt: 0 projects added" in second.output
        count = db.session.scalar(
            select(func.count()).select_from(User).execution_options(**ALL_TENANTS)
        )
        assert count == 10
        from projektfabrik.projects.models import Project
        from projektfabrik.tenancy.models import Tenant

        musterstadt = db.session.scalar(select(Tenant).where(Tenant.slug == "musterstadt"))
        with tenant_context(musterstadt):
            projects = db.session.scalars(select(Project).order_by(Project.number)).all()
            assert [p.title for p in projects][0] == "Gemeinschaftsgarten am Hafen"
            assert projects[0].support_count == 3 and len(projects[0].memberships) == 3
        hosts = run(app, "tenant", "list").output
        assert "musterstadt.localhost" in hosts and "beispielhausen.localhost" in hosts
