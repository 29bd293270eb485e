"""The town's pages, headers, languages and error pages."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.tenancy.branding import contrast, palette
from projektfabrik.testing import TEST_PASSWORD, HostClient, Town, login


def test_security_headers(town_a: Town) -> None:
    response = town_a.client().get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain http here
    https = town_a.client().get("/", base_url="https://stadt-a.test")
    assert "max-age" in https.headers["Strict-Transport-Security"]


def test_session_cookie_flags(town_a: Town) -> None:
    town_a.user("a@example.org")
    response = town_a.client().post(
        "/anmelden", data={"email": "a@example.org", "password": TEST_PASSWORD}
    )
    (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_under_https(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "PREFERRED_URL_SCHEME": "https"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_healthz_answers_on_any_host(town_a: Town) -> None:
    assert town_a.client(host="10.0.0.1").get("/healthz").json == {"status": "ok"}


def test_static_files_on_the_town_host(town_a: Town) -> None:
    assert town_a.client().get("/static/css/site.css").status_code == 200


def test_theme_css_carries_the_town_colour(town_a: Town) -> None:
    with town_a.context():
        town_a.tenant.primary_color = "#ffcc00"  # too light for text on white
        db.session.commit()
    css = town_a.client().get("/branding/theme.css").get_data(as_text=True)
    assert "--brand: #ffcc00" in css
    assert "--on-brand: #000000" in css


@pytest.mark.parametrize("colour", ["#ffcc00", "#00ff00", "#005a9c", "#ffffff", "#123456"])
def test_palette_is_always_readable(colour: str) -> None:
    p = palette(colour)
    assert contrast(p.brand, p.on_brand) >= 4.5
    assert contrast(p.accent, "#ffffff") >= 4.5


def test_legal_pages_render_markdown_safely(town_a: Town) -> None:
    with town_a.context():
        town_a.tenant.impressum_md = (
            "## Anbieter\n\n<script>alert(1)</script> [x](javascript:alert(1))"
        )
        db.session.commit()
    page = town_a.client().get("/impressum").get_data(as_text=True)
    assert "<h2>Anbieter</h2>" in page  # the text's top heading sits right under the h1
    assert "<script>alert" not in page
    assert 'href="javascript:' not in page
    for path in ("/datenschutz", "/barrierefreiheit"):
        assert town_a.client().get(path).status_code == 200


def test_legal_links_in_every_footer(town_a: Town) -> None:
    page = town_a.client().get("/anmelden").get_data(as_text=True)
    for path in ("/impressum", "/datenschutz", "/barrierefreiheit"):
        assert f'href="{path}"' in page


def test_german_by_default_english_on_request(town_a: Town) -> None:
    client = town_a.client()
    page = client.get("/anmelden").get_data(as_text=True)
    assert '<html lang="de">' in page
    client.post("/language", data={"locale": "en", "next": "/anmelden"})
    page = client.get("/anmelden").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Log in" in page


def test_language_choice_is_saved_for_the_user(town_a: Town) -> None:
    person = town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    client.post("/language", data={"locale": "en"})
    with town_a.context():
        db.session.refresh(person)
        assert person.locale == "en"
    fresh = town_a.client()
    login(fresh, "a@example.org")
    assert '<html lang="en">' in fresh.get("/profil").get_data(as_text=True)


def test_language_switch_ignores_foreign_next(town_a: Town) -> None:
    response = town_a.client().post(
        "/language", data={"locale": "en", "next": "https://evil.test/"}
    )
    assert response.headers["Location"] == "/"


def test_404_in_the_towns_look(town_a: Town) -> None:
    response = town_a.client().get("/gibt-es-nicht")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Stadt A" in page and "/impressum" in page


@pytest.fixture
def csrf_app(app_config: dict[str, Any]) -> Flask:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    app.test_client_class = HostClient
    return app


def test_forms_need_a_csrf_token(csrf_app: Flask, town_a: Town) -> None:
    client = csrf_app.test_client()
    client.base_url = "http://stadt-a.test"
    response = client.post("/passwort-vergessen", data={"email": "a@example.org"})
    assert response.status_code == 400
    assert "Stadt A" in response.get_data(as_text=True)
    page = client.get("/passwort-vergessen").get_data(as_text=True)
    assert 'name="csrf_token"' in page


def test_login_is_rate_limited_per_town(app_config: dict[str, Any], town_a: Town) -> None:
    app = create_app({**app_config, "RATELIMIT_ENABLED": True})
    app.test_client_class = HostClient
    client = app.test_client()
    client.base_url = "http://stadt-a.test"
    codes = [
        client.post("/anmelden", data={"email": "x@example.org", "password": "wrong"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429
    page = client.post("/anmelden", data={"email": "x@example.org", "password": "w"})
    assert "Stadt A" in page.get_data(as_text=True)


def test_crash_rolls_back_and_shows_a_page(app_config: dict[str, Any], town_a: Town) -> None:
    app = create_app({**app_config, "PROPAGATE_EXCEPTIONS": False})
    app.test_client_class = HostClient

    @app.get("/boom")
    def boom() -> str:
        from projektfabrik.tenancy.models import District

        db.session.add(District(name="Halb gespeichert"))
        db.session.flush()
        raise RuntimeError("crash mid-request")

    client = app.test_client()
    client.base_url = "http://stadt-a.test"
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Stadt A" in response.get_data(as_text=True)
    from sqlalchemy import select

    from projektfabrik.tenancy.models import District

    with town_a.context():
        names = db.session.scalars(select(District.name)).all()
    assert "Halb gespeichert" not in names


# --- texts that name a module (issue #22) ----------------------------------------


def test_the_landing_promises_funding_only_while_the_module_is_on(town_a: Town) -> None:
    from projektfabrik.testing import use_plugin

    with town_a.context():
        town_a.tenant.welcome_md = (
            "Willkommen!\n\n::: modul funding\nGeld aus den Fördertöpfen.\n:::\n\nBis bald."
        )
        db.session.commit()
    page = town_a.client().get("/").get_data(as_text=True)
    assert "Fördergeld" not in page and "Fördertöpfen" not in page
    assert "Von der Idee über den Plan zum Projekt" in page
    assert "Willkommen!" in page and "Bis bald." in page and ":::" not in page

    use_plugin(town_a, "funding")
    page = town_a.client().get("/").get_data(as_text=True)
    assert "beantragen Sie Fördergeld der Stadt" in page
    assert "Geld aus den Fördertöpfen." in page and ":::" not in page


def test_module_blocks_in_a_towns_text() -> None:
    from projektfabrik.site.services import town_text

    text = "A\n::: modul funding\nB\n:::\nC\n::: modul pinnwand\nD\n:::\n"
    assert town_text(text, {"funding"}) == "A\nB\nC\n"
    assert town_text(text, set()) == "A\nC\n"
    assert town_text("no blocks", set()) == "no blocks"


def test_a_new_town_counts_people_with_plurals(town_a: Town) -> None:
    town_a.user("eine@example.org", name="Eine")
    page = town_a.client().get("/").get_data(as_text=True)
    assert "<strong>1</strong> Mensch<" in page
    assert "<strong>1</strong> Bürgerin oder Bürger<" in page
    assert "1</strong> Menschen" not in page
