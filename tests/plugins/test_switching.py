"""Two levels of switching: installed for the deployment, enabled per town.

The example plugin ``pinnwand`` (plugins/example) is the test plugin here.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import event, select

from projektfabrik.accounts.models import Role
from projektfabrik.cli import main
from projektfabrik.extensions import db
from projektfabrik.plugins import get_manager, runtime, state
from projektfabrik.plugins.models import TenantPlugin
from projektfabrik.tenancy import config_files
from projektfabrik.tenancy.isolation import ALL_TENANTS
from projektfabrik.testing import Town, login


def cli(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_the_example_plugin_is_installed_through_its_entry_point(app: Flask) -> None:
    record = get_manager(app).records["pinnwand"]
    assert record.distribution == "projektfabrik-pinnwand"
    assert record.version == "0.1.0"
    assert not record.internal
    assert get_manager(app).blueprint_owner["pinnwand"] == "pinnwand"


def test_routes_answer_404_while_disabled_and_200_while_enabled(
    town_a: Town, allow: object
) -> None:
    client = town_a.client()
    assert client.get("/pinnwand/").status_code == 404  # not listed for the town
    allow(town_a, pinnwand=False)  # type: ignore[operator]
    assert client.get("/pinnwand/").status_code == 404  # listed, switched off
    assert client.get("/pinnwand/static/pinnwand.css").status_code == 404
    with town_a.context():
        state.set_enabled("pinnwand", True)
        db.session.commit()
    assert client.get("/pinnwand/").status_code == 200
    assert client.get("/pinnwand/static/pinnwand.css").status_code == 200
    with town_a.context():
        state.set_enabled("pinnwand", False)
        db.session.commit()
    assert client.get("/pinnwand/").status_code == 404


def test_a_disabled_plugin_answers_404_before_its_own_login_checks(
    town_a: Town, allow: object
) -> None:
    allow(town_a, pinnwand=False)  # type: ignore[operator]
    client = town_a.client()
    # A POST that would need a login (and a note) gets 404, not a login redirect.
    assert client.post("/pinnwand/notiz/abc/entfernen").status_code == 404


def _project_tabs(town: Town) -> list[runtime.Link]:
    with town.app.test_request_context(base_url=f"http://{town.host}"), town.context():
        return runtime.project_tabs(SimpleNamespace(ref="7"))


def test_disabling_hides_navigation_slot_tab_and_stylesheet(town_a: Town, allow: object) -> None:
    allow(town_a, pinnwand=True)  # type: ignore[operator]
    client = town_a.client()
    page = client.get("/").get_data(as_text=True)
    assert 'href="/pinnwand/"' in page  # navigation entry
    assert "plugin-slot-pinnwand" in page  # landing page slot
    assert "/pinnwand/static/pinnwand.css" in page  # its stylesheet
    tabs = _project_tabs(town_a)
    assert [(t.key, t.url) for t in tabs] == [("pinnwand.board", "/pinnwand/projekt/7")]

    with town_a.context():
        state.set_enabled("pinnwand", False)
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "/pinnwand/" not in page
    assert "plugin-slot-pinnwand" not in page
    assert _project_tabs(town_a) == []


def test_reenabling_brings_the_data_back(town_a: Town, allow: object) -> None:
    allow(town_a, pinnwand=True)  # type: ignore[operator]
    member = town_a.user()
    client = town_a.client()
    login(client, member.email)
    response = client.post("/pinnwand/", data={"text": "Wer leiht mir eine Leiter?"})
    assert response.status_code == 302

    with town_a.context():
        state.set_enabled("pinnwand", False)
        db.session.commit()
    assert client.get("/pinnwand/").status_code == 404
    assert "Leiter" not in client.get("/").get_data(as_text=True)
    from projektfabrik_pinnwand.models import Note

    with town_a.context():
        assert [n.text for n in db.session.scalars(select(Note))] == ["Wer leiht mir eine Leiter?"]
        state.set_enabled("pinnwand", True)
        db.session.commit()
    assert "Wer leiht mir eine Leiter?" in client.get("/pinnwand/").get_data(as_text=True)
    assert "Wer leiht mir eine Leiter?" in client.get("/").get_data(as_text=True)


def test_one_towns_switch_does_not_reach_another_town(
    town_a: Town, town_b: Town, allow: object
) -> None:
    allow(town_a, pinnwand=True)  # type: ignore[operator]
    assert town_a.client().get("/pinnwand/").status_code == 200
    assert town_b.client().get("/pinnwand/").status_code == 404
    assert "/pinnwand/" not in town_b.client().get("/").get_data(as_text=True)
    allow(town_b, pinnwand=False)  # type: ignore[operator]
    with town_b.context():
        assert state.enabled_plugins() == get_manager().internal_names
        state.set_enabled("pinnwand", True)
        db.session.commit()
    with town_a.context():
        state.set_enabled("pinnwand", False)
        db.session.commit()
    assert town_a.client().get("/pinnwand/").status_code == 404
    assert town_b.client().get("/pinnwand/").status_code == 200


def test_a_request_reads_the_switches_with_one_query(
    app: Flask, town_a: Town, allow: object
) -> None:
    allow(town_a, pinnwand=True)  # type: ignore[operator]
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "tenant_plugin" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert town_a.client().get("/").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1


# --- operator: CLI ---------------------------------------------------------------


def test_projektfabrik_plugins_lists_installed_plugins_with_versions(app: Flask) -> None:
    result = cli(app, "plugins")
    assert result.exit_code == 0, result.output
    # The title is translated: the command line speaks the default language, German.
    assert "pinnwand\t0.1.0\tprojektfabrik-pinnwand\tPinnwand" in result.output
    assert "admin" not in result.output  # internal, not installed


def test_tenant_enable_and_disable(app: Flask, town_a: Town, allow: object) -> None:
    result = cli(app, "tenant", "enable", "stadt-a", "pinnwand")
    assert result.exit_code != 0
    assert "tenants/stadt-a/tenant.toml" in result.output  # not listed yet

    allow(town_a, pinnwand=False)  # type: ignore[operator]
    result = cli(app, "tenant", "enable", "stadt-a", "pinnwand")
    assert result.exit_code == 0, result.output
    assert "pinnwand switched on in stadt-a" in result.output
    assert town_a.client().get("/pinnwand/").status_code == 200
    assert "on" in cli(app, "tenant", "plugins", "stadt-a").output

    result = cli(app, "tenant", "disable", "stadt-a", "pinnwand")
    assert result.exit_code == 0, result.output
    assert town_a.client().get("/pinnwand/").status_code == 404
    assert "pinnwand\toff" in cli(app, "tenant", "plugins", "stadt-a").output

    assert cli(app, "tenant", "enable", "nowhere", "pinnwand").exit_code != 0
    result = cli(app, "tenant", "enable", "stadt-a", "not_installed")
    assert result.exit_code != 0 and "not installed" in result.output


def test_the_plugins_own_cli_commands_run_as_a_town(
    app: Flask, town_a: Town, town_b: Town, allow: object
) -> None:
    allow(town_a, pinnwand=True)  # type: ignore[operator]
    member = town_a.user()
    client = town_a.client()
    login(client, member.email)
    client.post("/pinnwand/", data={"text": "Flohmarkt am Samstag"})
    result = cli(app, "pinnwand", "list", "stadt-a")
    assert result.exit_code == 0, result.output
    assert "Flohmarkt am Samstag" in result.output
    result = cli(app, "pinnwand", "list", "stadt-b")
    assert result.exit_code == 0 and "Flohmarkt" not in result.output


# --- tenant.toml -----------------------------------------------------------------


def _write_toml(folder: Path, plugins: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tenant.toml").write_text(
        'name = "Stadt A"\nhosts = ["stadt-a.test", "www.stadt-a.test"]\n' + plugins
    )
    return folder


def _row(town: Town, name: str = "pinnwand") -> TenantPlugin:
    with town.context():
        row = db.session.scalar(select(TenantPlugin).where(TenantPlugin.plugin == name))
        assert row is not None
        return row


def test_tenant_toml_lists_plugins_with_first_switch_and_default_settings(
    app: Flask, town_a: Town, tmp_path: Path
) -> None:
    folder = _write_toml(
        tmp_path / "stadt-a",
        "[plugins.pinnwand]\nenabled = true\n[plugins.pinnwand.settings]\nmax_length = 140\n",
    )
    config_files.apply(config_files.load(folder))
    db.session.commit()
    row = _row(town_a)
    assert (row.allowed, row.enabled, row.defaults) == (True, True, {"max_length": 140})
    with town_a.context():
        assert state.settings("pinnwand")["max_length"] == 140
        # The admin switches it off; a later sync keeps the admin's switch.
        state.set_enabled("pinnwand", False)
        db.session.commit()
    config_files.apply(config_files.load(folder))
    db.session.commit()
    assert _row(town_a).enabled is False

    # Taken out of tenant.toml: not allowed, so off; switch and settings are kept.
    with town_a.context():
        state.set_enabled("pinnwand", True)
        state.save_settings("pinnwand", {"board_title": "Schwarzes Brett"})
        db.session.commit()
    _write_toml(folder, "")
    config_files.apply(config_files.load(folder))
    db.session.commit()
    assert _row(town_a).allowed is False
    assert town_a.client().get("/pinnwand/").status_code == 404
    with town_a.context():
        assert state.available_plugins() == []

    # Listed again: back as it was.
    _write_toml(folder, "[plugins.pinnwand]\n")
    config_files.apply(config_files.load(folder))
    db.session.commit()
    row = _row(town_a)
    assert (row.allowed, row.enabled, row.settings) == (
        True,
        True,
        {"board_title": "Schwarzes Brett"},
    )
    assert "Schwarzes Brett" in town_a.client().get("/pinnwand/").get_data(as_text=True)


@pytest.mark.parametrize(
    "table, message",
    [
        ("[plugins]\npinnwand = true\n", "must be a table"),
        ('[plugins.pinnwand]\nenabled = "yes"\n', "true or false"),
        ("[plugins.pinnwand]\nswitched = true\n", "knows only"),
        ("[plugins.Pinn-Wand]\n", "invalid plugin name"),
    ],
)
def test_tenant_toml_plugin_table_is_checked(tmp_path: Path, table: str, message: str) -> None:
    folder = _write_toml(tmp_path / "stadt-a", table)
    with pytest.raises(config_files.TenantConfigError, match=message):
        config_files.load(folder)


def test_tenant_toml_refuses_settings_the_plugin_does_not_declare(
    app: Flask, tmp_path: Path
) -> None:
    folder = _write_toml(tmp_path / "stadt-a", "[plugins.pinnwand.settings]\ncolour = 'red'\n")
    with pytest.raises(config_files.TenantConfigError, match="no settings"):
        config_files.apply(config_files.load(folder))
    db.session.rollback()


def test_settings_are_layered_defaults_then_toml_then_admin(town_a: Town, allow: object) -> None:
    allow(town_a, pinnwand=True, settings={"pinnwand": {"max_length": 140}})  # type: ignore[operator]
    with town_a.context():
        values = state.settings("pinnwand")
        assert values["max_length"] == 140  # tenant.toml over the declared 500
        assert values["board_title"] == ""  # declared default
        state.save_settings("pinnwand", {"max_length": 300})
        db.session.commit()
        assert state.settings("pinnwand")["max_length"] == 300
        with pytest.raises(state.PluginStateError):
            state.save_settings("pinnwand", {"unknown": 1})


def test_switch_rows_are_per_town(town_a: Town, town_b: Town, allow: object) -> None:
    allow(town_a, pinnwand=True, settings={"pinnwand": {"board_title": "A-Brett"}})  # type: ignore[operator]
    allow(town_b, pinnwand=False)  # type: ignore[operator]
    rows = db.session.execute(
        select(TenantPlugin.tenant_id, TenantPlugin.enabled).execution_options(**ALL_TENANTS)
    ).all()
    assert sorted(rows) == sorted([(town_a.tenant.id, True), (town_b.tenant.id, False)])
    with town_b.context():
        assert state.settings("pinnwand")["board_title"] == ""
        assert not state.is_enabled("pinnwand")


def test_only_admins_and_operators_switch(town_a: Town, allow: object) -> None:
    allow(town_a, pinnwand=False)  # type: ignore[operator]
    member = town_a.user(role=Role.MODERATOR)
    client = town_a.client()
    login(client, member.email)
    response = client.post("/verwaltung/module/pinnwand/schalten", data={"enabled": "1"})
    assert response.status_code == 403
    assert client.get("/pinnwand/").status_code == 404


def test_the_project_page_shows_the_tab_only_while_enabled(town_a: Town, allow: object) -> None:
    from projektfabrik.marketplace import services as marketplace

    author = town_a.user()
    with town_a.request_context():
        project = marketplace.publish_idea(
            author, marketplace.ProjectInput(title="Gemeinschaftsgarten", pitch="Am Hafen")
        )
        db.session.commit()
        number = project.number
    client = town_a.client()
    tab = f'href="/pinnwand/projekt/{number}"'
    assert tab not in client.get(f"/projekte/{number}").get_data(as_text=True)
    allow(town_a, pinnwand=True)  # type: ignore[operator]
    assert tab in client.get(f"/projekte/{number}").get_data(as_text=True)
    assert client.get(f"/pinnwand/projekt/{number}").status_code == 200
    with town_a.context():
        state.set_enabled("pinnwand", False)
        db.session.commit()
    assert tab not in client.get(f"/projekte/{number}").get_data(as_text=True)
    assert client.get(f"/pinnwand/projekt/{number}").status_code == 404
