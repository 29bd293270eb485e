"""The town admin's "Module" page: list, switch, settings; admins of this town only."""

from __future__ import annotations

from flask.testing import FlaskClient

from projektfabrik.accounts.models import Role
from projektfabrik.plugins import state
from projektfabrik.testing import Town, login, use_plugin

PAGE = "/verwaltung/module"


def admin_client(town: Town) -> FlaskClient:
    admin = town.user(role=Role.ADMIN)
    client = town.client()
    login(client, admin.email)
    return client


def test_only_the_towns_admins_get_in(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand", enabled=False)
    guest = town_a.client()
    response = guest.get(PAGE)
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
    assert guest.post(f"{PAGE}/pinnwand/schalten", data={"enabled": "1"}).status_code == 302
    for role in (Role.MEMBER, Role.MODERATOR):
        person = town_a.user(role=role)
        client = town_a.client()
        login(client, person.email)
        assert client.get("/verwaltung/").status_code == 403
        assert client.get(PAGE).status_code == 403
        assert client.post(f"{PAGE}/pinnwand/schalten", data={"enabled": "1"}).status_code == 403
        assert client.post(f"{PAGE}/pinnwand/einstellungen", data={}).status_code == 403
    with town_a.context():
        assert not state.is_enabled("pinnwand")


def test_the_page_lists_name_description_version_and_switch(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand", enabled=False)
    client = admin_client(town_a)
    assert 'href="/verwaltung/module"' in client.get("/verwaltung/").get_data(as_text=True)
    assert 'href="/verwaltung/"' in client.get("/").get_data(as_text=True)  # nav for admins
    page = client.get(PAGE).get_data(as_text=True)
    assert '<h2 id="module-pinnwand">Pinnwand</h2>' in page  # German: the plugin's catalogue
    assert "Kurze Notizen für alle im Ort" in page
    assert "0.1.0" in page
    assert 'action="/verwaltung/module/pinnwand/schalten"' in page
    assert 'name="enabled" value="1"' in page  # currently off: the button switches on
    assert 'id="pinnwand-max_length"' in page and 'value="500"' in page
    assert "module-admin" not in page  # the internal admin plugin is not a module


def test_admin_switches_on_and_off(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand", enabled=False)
    client = admin_client(town_a)
    response = client.post(f"{PAGE}/pinnwand/schalten", data={"enabled": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/verwaltung/module#module-pinnwand")
    assert client.get("/pinnwand/").status_code == 200
    page = client.get(PAGE).get_data(as_text=True)
    assert 'name="enabled" value="0"' in page
    assert client.post(f"{PAGE}/pinnwand/schalten", data={"enabled": "0"}).status_code == 302
    assert client.get("/pinnwand/").status_code == 404
    assert client.post(f"{PAGE}/pinnwand/schalten", data={"enabled": "x"}).status_code == 400


def test_settings_are_saved_and_secrets_never_shown(town_a: Town) -> None:
    use_plugin(town_a, "pinnwand")
    client = admin_client(town_a)
    data = {
        "pinnwand-board_title": "Schwarzes Brett",
        "pinnwand-max_length": "200",
        "pinnwand-notify_email": "",
        "pinnwand-posting_code": "geheim-123",
    }
    response = client.post(f"{PAGE}/pinnwand/einstellungen", data=data)
    assert response.status_code == 302
    with town_a.context():
        values = state.settings("pinnwand")
    assert (values["board_title"], values["max_length"], values["posting_code"]) == (
        "Schwarzes Brett",
        200,
        "geheim-123",
    )
    page = client.get(PAGE).get_data(as_text=True)
    assert "geheim-123" not in page
    assert 'value="Schwarzes Brett"' in page
    assert ">Schwarzes Brett</a>" in client.get("/").get_data(as_text=True)  # nav label

    # Sent again without the secret: the stored one stays.
    response = client.post(
        f"{PAGE}/pinnwand/einstellungen", data={**data, "pinnwand-posting_code": ""}
    )
    assert response.status_code == 302
    with town_a.context():
        assert state.settings("pinnwand")["posting_code"] == "geheim-123"

    # Invalid: shown again with the error, the typed secret not echoed, nothing saved.
    response = client.post(
        f"{PAGE}/pinnwand/einstellungen",
        data={**data, "pinnwand-max_length": "10", "pinnwand-posting_code": "neu-456"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and 'id="pinnwand-max_length"' in page
    assert "neu-456" not in page and "geheim-123" not in page
    with town_a.context():
        assert state.settings("pinnwand")["posting_code"] == "geheim-123"
        assert state.settings("pinnwand")["max_length"] == 200


def test_plugins_not_listed_for_the_town_are_not_offered(town_a: Town) -> None:
    client = admin_client(town_a)
    assert "module-pinnwand" not in client.get(PAGE).get_data(as_text=True)
    assert client.post(f"{PAGE}/pinnwand/schalten", data={"enabled": "1"}).status_code == 404
    assert client.post(f"{PAGE}/pinnwand/einstellungen", data={}).status_code == 404
    assert client.post(f"{PAGE}/admin/schalten", data={"enabled": "0"}).status_code == 404
    # Listed in tenant.toml but not installed in this deployment: not offered either.
    use_plugin(town_a, "not_installed")
    assert "module-not_installed" not in client.get(PAGE).get_data(as_text=True)
    assert client.post(f"{PAGE}/not_installed/schalten", data={"enabled": "1"}).status_code == 404


def test_town_b_admin_cannot_see_or_change_town_a(town_a: Town, town_b: Town) -> None:
    use_plugin(town_a, "pinnwand", enabled=True, posting_code="a-geheim", board_title="A-Brett")
    client_b = admin_client(town_b)
    # Not listed in town B: nothing to see, nothing to switch, whatever B sends.
    assert "module-pinnwand" not in client_b.get(PAGE).get_data(as_text=True)
    assert client_b.post(f"{PAGE}/pinnwand/schalten", data={"enabled": "0"}).status_code == 404
    data = {"pinnwand-max_length": "60", "pinnwand-board_title": "B"}
    assert client_b.post(f"{PAGE}/pinnwand/einstellungen", data=data).status_code == 404

    # Listed in both: each admin sees and changes only their own town's row.
    use_plugin(town_b, "pinnwand", enabled=False)
    page = client_b.get(PAGE).get_data(as_text=True)
    assert "A-Brett" not in page and "a-geheim" not in page
    assert client_b.post(f"{PAGE}/pinnwand/schalten", data={"enabled": "1"}).status_code == 302
    assert client_b.post(f"{PAGE}/pinnwand/einstellungen", data=data).status_code == 302
    with town_a.context():
        assert state.is_enabled("pinnwand")
        assert state.settings("pinnwand")["board_title"] == "A-Brett"
        assert state.settings("pinnwand")["max_length"] == 500
    with town_b.context():
        assert state.settings("pinnwand")["board_title"] == "B"
        assert state.settings("pinnwand")["posting_code"] == ""

    # A cookie from town A's admin is anonymous on town B.
    client_a = admin_client(town_a)
    cookie = client_a.cookie_value()
    client_b2 = town_b.client()
    client_b2.set_cookie("session", cookie, domain=town_b.host)
    assert client_b2.get(PAGE).status_code == 302
