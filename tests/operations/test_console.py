"""The operator console: its own host, its own accounts with a second factor, the
towns' life cycle from the browser, an audit log; and a wall to the towns' hosts."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pyotp
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

from projektfabrik.accounts.models import Role
from projektfabrik.cli import main
from projektfabrik.console import services
from projektfabrik.console.models import OperatorAudit
from projektfabrik.extensions import db
from projektfabrik.tenancy.models import Tenant
from projektfabrik.testing import Mailbox, Town, assert_safe_download, login

CONSOLE = "betrieb.test"
PASSWORD = "ein-langes-passwort"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "OPERATOR_HOST": CONSOLE}


@pytest.fixture
def operator(app: Flask) -> services.NewOperator:
    new = services.create_operator("betrieb@example.org", PASSWORD)
    db.session.commit()
    return new


def console(app: Flask) -> Any:
    client = app.test_client()
    client.base_url = f"http://{CONSOLE}"
    return client


def code(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + offset * 30)


def signed_in(app: Flask, operator: services.NewOperator, offset: int = 0) -> Any:
    client = console(app)
    response = client.post(
        "/konsole/anmelden",
        data={
            "email": operator.operator.email,
            "password": PASSWORD,
            "code": code(operator.secret, offset),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def test_sign_in_needs_password_and_a_fresh_code(
    app: Flask, operator: services.NewOperator
) -> None:
    client = console(app)
    assert client.get("/").headers["Location"].endswith("/konsole/")
    assert client.get("/konsole/").headers["Location"].endswith("/konsole/anmelden")
    wrong = {"email": "betrieb@example.org", "password": PASSWORD, "code": "000000"}
    page = client.post("/konsole/anmelden", data=wrong)
    assert page.status_code == 200 and "nicht korrekt" in page.get_data(as_text=True)
    assert client.get("/konsole/").status_code == 302

    good = code(operator.secret)
    data = {"email": "betrieb@example.org", "password": PASSWORD, "code": good}
    assert client.post("/konsole/anmelden", data=data).status_code == 302
    assert client.get("/konsole/").status_code == 200
    # The same code again (another browser) is refused: a code works once.
    again = console(app).post("/konsole/anmelden", data=data)
    assert again.status_code == 200 and "nicht korrekt" in again.get_data(as_text=True)
    # A recovery code works instead of the app's code, once.
    recovery = {**data, "code": operator.recovery_codes[0].lower()}
    assert console(app).post("/konsole/anmelden", data=recovery).status_code == 302
    assert console(app).post("/konsole/anmelden", data=recovery).status_code == 200
    # Right code, wrong password.
    assert (
        console(app)
        .post(
            "/konsole/anmelden",
            data={**data, "password": "falsch", "code": code(operator.secret, 1)},
        )
        .status_code
        == 200
    )


def test_the_console_is_not_on_a_towns_host_and_sessions_do_not_cross(
    app: Flask, town_a: Town, operator: services.NewOperator
) -> None:
    town_a.user("admin@example.org", role=Role.ADMIN)
    admin = town_a.client()
    login(admin, "admin@example.org")
    for path in ("/konsole/", "/konsole/anmelden", f"/konsole/gemeinden/{town_a.slug}"):
        assert admin.get(path).status_code == 404
    assert admin.post(f"/konsole/gemeinden/{town_a.slug}/zustand/suspended").status_code == 404
    # The town's pages are not on the console's host.
    signed = signed_in(app, operator)
    assert signed.get("/projekte").status_code == 404
    assert signed.get("/anmelden").status_code == 404
    # The operator's session cookie, carried to a town's host, is worth nothing there.
    cookie = signed.get_cookie("session", domain=CONSOLE)
    stranger = town_a.client()
    stranger.set_cookie("session", cookie.value, domain=town_a.host)
    assert stranger.get("/konsole/").status_code == 404
    page = stranger.get("/konto")
    assert page.status_code == 302 and "/anmelden" in page.headers["Location"]
    # And a town admin's cookie on the console's host signs nobody in.
    town_cookie = admin.get_cookie("session", domain=town_a.host)
    visitor = console(app)
    visitor.set_cookie("session", town_cookie.value, domain=CONSOLE)
    assert visitor.get("/konsole/").headers["Location"].endswith("/konsole/anmelden")


def test_towns_at_a_glance_and_a_towns_state(
    app: Flask, town_a: Town, town_b: Town, operator: services.NewOperator
) -> None:
    town_a.user("a@example.org")
    client = signed_in(app, operator)
    page = client.get("/konsole/").get_data(as_text=True)
    assert "Stadt A" in page and "Stadt B" in page and "Aktiv" in page
    response = client.post(f"/konsole/gemeinden/{town_a.slug}/zustand/suspended")
    assert response.status_code == 302
    assert town_a.client().get("/").status_code == 503
    assert town_b.client().get("/").status_code == 200
    assert client.post(f"/konsole/gemeinden/{town_a.slug}/zustand/nonsense").status_code == 404
    assert client.get("/konsole/gemeinden/nowhere").status_code == 404
    entries = db.session.scalars(select(OperatorAudit).order_by(OperatorAudit.id)).all()
    assert [(e.action, e.town) for e in entries][-1] == ("town.suspended", town_a.slug)
    audit = client.get("/konsole/protokoll").get_data(as_text=True)
    assert "Gemeinde abgeschaltet" in audit and "a@example.org" not in audit


def test_create_export_and_delete_a_town_from_the_browser(
    app: Flask, town_a: Town, operator: services.NewOperator, mailbox: Mailbox
) -> None:
    client = signed_in(app, operator)
    form = {
        "name": "Neudorf",
        "slug": "neudorf",
        "hosts": "neudorf.test\nwww.neudorf.test",
        "admin_email": "chefin@neudorf.example",
        "plugins": ["pinnwand"],
    }
    taken = client.post("/konsole/gemeinden/neu", data={**form, "slug": town_a.slug})
    assert taken.status_code == 200 and "existiert schon" in taken.get_data(as_text=True)
    assert "Neudorf" in taken.get_data(as_text=True)  # what was typed stays
    created = client.post("/konsole/gemeinden/neu", data=form)
    assert created.status_code == 302
    town = db.session.scalar(select(Tenant).where(Tenant.slug == "neudorf"))
    assert town is not None and town.canonical_host == "neudorf.test"
    invitation = mailbox.last_to("chefin@neudorf.example")
    assert "neudorf.test" in invitation.get_content()

    export = client.post("/konsole/gemeinden/neudorf/export")
    assert_safe_download(export, "application/zip")
    with zipfile.ZipFile(io.BytesIO(export.data)) as archive:
        assert "manifest.json" in archive.namelist()

    wrong = client.post("/konsole/gemeinden/neudorf/loeschen", data={"slug": "neudorf-x"})
    assert wrong.status_code == 200 and "Nichts wurde gelöscht" in wrong.get_data(as_text=True)
    assert (
        client.post("/konsole/gemeinden/neudorf/loeschen", data={"slug": "neudorf"}).status_code
        == 302
    )
    db.session.rollback()
    assert db.session.scalar(select(Tenant).where(Tenant.slug == "neudorf")) is None
    assert db.session.scalar(select(Tenant).where(Tenant.slug == town_a.slug)) is not None
    actions = [e.action for e in db.session.scalars(select(OperatorAudit))]
    assert {"town.create", "town.export", "town.delete"} <= set(actions)


def test_operator_create_on_the_command_line(app: Flask) -> None:
    result = CliRunner().invoke(
        main,
        ["operator", "create", "ops@example.org", "--password", PASSWORD],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    assert "otpauth://totp/" in result.output and result.output.count("-") >= 10
    short = CliRunner().invoke(
        main,
        ["operator", "create", "ops2@example.org", "--password", "kurz"],
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert short.exit_code != 0 and "12" in short.output


def test_hosts_and_modules_change_in_the_towns_file_and_the_database(
    app: Flask, town_a: Town, town_b: Town, operator: services.NewOperator
) -> None:
    import tomllib
    from pathlib import Path

    from projektfabrik.tenancy import config_files

    folder = Path(app.config["TENANTS_DIR"]) / town_a.slug
    config_files.write_new(folder, town_a.slug, "Stadt A", [town_a.host])
    toml = folder / "tenant.toml"
    toml.write_text(
        toml.read_text() + "\n[plugins.pinnwand]\nenabled = true\n\n[plugins.pinnwand.settings]\n"
        'board_title = "Brett"\n# a comment the operator wrote\n'
    )
    client = signed_in(app, operator)

    taken = client.post(f"/konsole/gemeinden/{town_a.slug}/hosts", data={"hosts": town_b.host})
    assert taken.status_code == 200 and "verwendet" in taken.get_data(as_text=True)
    moved = client.post(
        f"/konsole/gemeinden/{town_a.slug}/hosts", data={"hosts": "neu-a.test\nwww.neu-a.test"}
    )
    assert moved.status_code == 302
    assert tomllib.loads(toml.read_text())["hosts"] == ["neu-a.test", "www.neu-a.test"]
    fresh = app.test_client()
    fresh.base_url = "http://neu-a.test"
    assert fresh.get("/").status_code == 200
    assert town_a.client().get("/").status_code == 404

    assert (
        client.post(
            f"/konsole/gemeinden/{town_a.slug}/module", data={"plugins": ["funding"]}
        ).status_code
        == 302
    )
    config = tomllib.loads(toml.read_text())
    assert (
        set(config["plugins"]) == {"funding"} and config["plugins"]["funding"]["enabled"] is False
    )
    assert services.available_plugins(town_a.tenant) == {"funding"}
    assert "# Plugins this town may use" in toml.read_text()  # the operator's comments stay
    client.post(
        f"/konsole/gemeinden/{town_a.slug}/module", data={"plugins": ["funding", "pinnwand"]}
    )
    assert services.available_plugins(town_a.tenant) == {"funding", "pinnwand"}
    actions = [e.action for e in db.session.scalars(select(OperatorAudit))]
    assert {"town.hosts", "town.plugins"} <= set(actions)
