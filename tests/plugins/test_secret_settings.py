"""Secret plugin settings are stored encrypted, bound to their town, plugin and key.

With the example plugin's secret ``posting_code``, saved through the "Module"
page into the real database.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from projektfabrik.accounts.models import Role
from projektfabrik.api import db, plugin_settings
from projektfabrik.app import create_app
from projektfabrik.plugins import secrets, state
from projektfabrik.plugins.models import TenantPlugin
from projektfabrik.testing import HostClient, Town, login, use_plugin

PAGE = "/verwaltung/module"
SAVE = f"{PAGE}/pinnwand/einstellungen"
FORM = {
    "pinnwand-board_title": "Schwarzes Brett",
    "pinnwand-max_length": "200",
    "pinnwand-notify_email": "",
    "pinnwand-posting_code": "geheim-123",
}
REENTER = "Bitte geben Sie diese geheimen Einstellungen erneut ein: Zugangscode."
FIELD_HINT = "Der gespeicherte Wert kann nicht mehr gelesen werden"


def admin_client(town: Town) -> FlaskClient:
    admin = town.user(role=Role.ADMIN)
    client = town.client()
    login(client, admin.email)
    return client


def raw_settings(town: Town) -> str:
    """The JSON column as the database holds it, read past the ORM like a dump would."""
    query = text(
        "SELECT CAST(settings AS TEXT) FROM tenant_plugin WHERE tenant_id = :town AND plugin = :p"
    )
    return db.session.execute(query, {"town": town.tenant.id, "p": "pinnwand"}).scalar_one()


def stored(town: Town) -> dict[str, Any]:
    with town.context():
        row = db.session.scalar(select(TenantPlugin).where(TenantPlugin.plugin == "pinnwand"))
        assert row is not None
        return dict(row.settings)


def store(town: Town, settings: dict[str, Any]) -> None:
    """Write the row's saved settings directly, as a restored or edited dump would."""
    with town.context():
        row = db.session.scalar(select(TenantPlugin).where(TenantPlugin.plugin == "pinnwand"))
        assert row is not None
        row.settings = settings
        db.session.commit()
        state.invalidate()


def current(town: Town) -> dict[str, Any]:
    with town.context():
        state.invalidate()  # the test's own app context outlives the requests
        return plugin_settings("pinnwand")


def test_the_secret_is_stored_encrypted_and_read_plain(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    client = admin_client(town_a)
    assert client.post(SAVE, data=FORM).status_code == 302

    assert "geheim-123" not in raw_settings(town_a)
    saved = stored(town_a)
    assert saved["board_title"] == "Schwarzes Brett"  # not secret: stays readable
    assert set(saved["posting_code"]) == {"encrypted"}
    assert current(town_a)["posting_code"] == "geheim-123"

    # The plugin sees the plain value: the board asks for the code and accepts it.
    member = town_a.user()
    board = town_a.client()
    login(board, member.email)
    response = board.post("/pinnwand/", data={"text": "Ohne Code"})
    assert "Der Zugangscode stimmt nicht." in response.get_data(as_text=True)
    response = board.post("/pinnwand/", data={"text": "Mit Code", "code": "geheim-123"})
    assert response.status_code == 302

    page = client.get(PAGE).get_data(as_text=True)
    assert "Ein Wert ist gespeichert" in page and REENTER not in page


def test_an_empty_submission_keeps_the_stored_secret(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    client = admin_client(town_a)
    assert client.post(SAVE, data=FORM).status_code == 302
    token = stored(town_a)["posting_code"]
    response = client.post(
        SAVE, data={**FORM, "pinnwand-posting_code": "", "pinnwand-max_length": "300"}
    )
    assert response.status_code == 302
    assert stored(town_a)["posting_code"] == token
    assert (current(town_a)["posting_code"], current(town_a)["max_length"]) == ("geheim-123", 300)


def test_a_value_copied_to_another_town_does_not_decrypt_there(
    town_a: Town, town_b: Town, caplog: pytest.LogCaptureFixture
) -> None:
    use_plugin(town_a, "pinnwand")
    use_plugin(town_b, "pinnwand", board_title="Brett B")
    assert admin_client(town_a).post(SAVE, data=FORM).status_code == 302
    token = stored(town_a)["posting_code"]
    store(town_b, {"posting_code": token})

    with caplog.at_level(logging.WARNING, logger="projektfabrik.plugins.state"):
        assert current(town_b)["posting_code"] == ""  # the declared default: unset
    assert current(town_a)["posting_code"] == "geheim-123"
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "stadt-b" in warning and "pinnwand" in warning
    assert "geheim-123" not in warning and token["encrypted"] not in warning

    # Town B's board keeps working but fails closed: with its code unreadable,
    # nobody may post (the code would otherwise read as "none").
    member_b = town_b.client()
    login(member_b, town_b.user().email)
    board = member_b.get("/pinnwand/").get_data(as_text=True)
    assert "Das Schreiben ist pausiert" in board and 'name="text"' not in board
    assert member_b.post("/pinnwand/", data={"text": "Ohne Code"}).status_code == 403
    client_b = admin_client(town_b)
    page = client_b.get(PAGE).get_data(as_text=True)
    assert REENTER in page and FIELD_HINT in page
    assert "geheim-123" not in page and "Ein Wert ist gespeichert" not in page

    # Entering it again replaces the copy with B's own token, and the notice goes.
    data = {**FORM, "pinnwand-board_title": "Brett B", "pinnwand-posting_code": "b-code"}
    assert client_b.post(SAVE, data=data).status_code == 302
    assert current(town_b)["posting_code"] == "b-code"
    assert stored(town_b)["posting_code"] != token
    assert REENTER not in client_b.get(PAGE).get_data(as_text=True)
    assert "Das Schreiben ist pausiert" not in member_b.get("/pinnwand/").get_data(as_text=True)


def test_an_app_with_another_secret_key_cannot_read_it(
    app: Flask, app_config: dict[str, Any], town_a: Town
) -> None:
    use_plugin(town_a, "pinnwand")
    assert admin_client(town_a).post(SAVE, data=FORM).status_code == 302
    admin = town_a.user(role=Role.ADMIN)

    rotated = create_app({**app_config, "SECRET_KEY": "a-new-secret-key"})
    rotated.test_client_class = HostClient
    other = Town(tenant=town_a.tenant, host=town_a.host, app=rotated)
    with rotated.app_context(), other.context():
        assert plugin_settings("pinnwand")["posting_code"] == ""
        assert plugin_settings("pinnwand")["board_title"] == "Schwarzes Brett"
    client = other.client()
    login(client, admin.email)
    page = client.get(PAGE).get_data(as_text=True)
    assert REENTER in page and FIELD_HINT in page
    assert client.get("/pinnwand/").status_code == 200

    with rotated.app_context():
        db.engine.dispose()

    # The same app with its own key still reads it.
    assert current(town_a)["posting_code"] == "geheim-123"


def test_an_old_plain_value_is_read_and_encrypted_on_the_next_save(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    store(town_a, {"posting_code": "alt-123", "max_length": 150})
    assert current(town_a)["posting_code"] == "alt-123"
    client = admin_client(town_a)
    page = client.get(PAGE).get_data(as_text=True)
    assert "alt-123" not in page and REENTER not in page

    # Saved with the secret field left empty: the old value stays, now encrypted.
    response = client.post(SAVE, data={**FORM, "pinnwand-posting_code": ""})
    assert response.status_code == 302
    assert "alt-123" not in raw_settings(town_a)
    assert secrets.is_encrypted(stored(town_a)["posting_code"])
    assert (current(town_a)["posting_code"], current(town_a)["max_length"]) == ("alt-123", 200)


def test_secrets_from_tenant_toml_stay_as_the_operator_wrote_them(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand", posting_code="aus-der-datei")
    assert current(town_a)["posting_code"] == "aus-der-datei"
    assert (
        admin_client(town_a).post(SAVE, data={**FORM, "pinnwand-posting_code": ""}).status_code
        == 302
    )
    with town_a.context():
        row = db.session.scalar(select(TenantPlugin).where(TenantPlugin.plugin == "pinnwand"))
        assert row is not None
        assert row.defaults["posting_code"] == "aus-der-datei"
        assert "posting_code" not in row.settings
    assert current(town_a)["posting_code"] == "aus-der-datei"


def test_a_token_opens_only_for_its_town_plugin_and_key(app: Flask) -> None:
    token = secrets.encrypt(1, "pinnwand", "posting_code", {"any": ["json", 1]})
    assert secrets.decrypt(1, "pinnwand", "posting_code", token) == {"any": ["json", 1]}
    for town, plugin, key in [
        (2, "pinnwand", "posting_code"),
        (1, "other", "posting_code"),
        (1, "pinnwand", "api_key"),
    ]:
        with pytest.raises(secrets.SecretUnreadable):
            secrets.decrypt(town, plugin, key, token)
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(1, "pinnwand", "posting_code", {"encrypted": "not a token"})
    assert secrets.decrypt(1, "pinnwand", "posting_code", "plain") == "plain"
