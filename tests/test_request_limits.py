"""Request bodies have a limit in the app itself, larger only where files are
taken (#20), and every 405 says which methods are allowed."""

from __future__ import annotations

from io import BytesIO

from flask import Flask

from projektfabrik.config import from_environment
from projektfabrik.testing import Town, login

MB = 1024 * 1024


def test_the_limit_comes_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert from_environment(str(tmp_path), {})["MAX_REQUEST_MB"] == 1
    assert (
        from_environment(str(tmp_path), {"PROJEKTFABRIK_MAX_REQUEST_MB": "3"})["MAX_REQUEST_MB"]
        == 3
    )


def test_the_app_has_a_limit(app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 1 * MB


def test_a_large_body_gets_413_in_the_visitors_language(town_a: Town) -> None:
    client = town_a.client()
    response = client.post(
        "/anmelden", data=b"x" * (2 * MB), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Zu groß" in page and "Es wurde nichts gespeichert" in page
    assert "10 MB" in page  # the town's upload limit (the deployment's default)
    client.set_cookie("sprache", "en", domain=town_a.host)
    english = client.post(
        "/anmelden", data=b"x" * (2 * MB), content_type="application/x-www-form-urlencoded"
    )
    assert english.status_code == 413 and "Nothing was saved" in english.get_data(as_text=True)


def test_routes_that_take_files_allow_the_towns_upload_limit(town_a: Town) -> None:
    owner = town_a.user("olga@example.org")
    client = town_a.client()
    login(client, owner.email)
    big = b"%PDF-1.4\n" + b"0" * (3 * MB)
    # The profile takes a picture: 3 MB pass the request limit (and the picture check refuses it).
    response = client.post(
        "/profil",
        data={"display_name": "Olga", "avatar": (BytesIO(big), "bild.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code != 413
    # More than the town's limit (10 MB) plus the form's allowance: 413.
    huge = b"0" * (12 * MB)
    response = client.post(
        "/profil",
        data={"display_name": "Olga", "avatar": (BytesIO(huge), "bild.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    # A form without files stays at the small limit.
    response = client.post("/anmelden", data={"email": "x" * (2 * MB)})
    assert response.status_code == 413


def _example_url(rule) -> str:  # type: ignore[no-untyped-def]
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        values[name] = 1 if type(converter).__name__ in ("IntegerConverter",) else "x"
    try:
        return rule.build(values, append_unknown=False)[1]
    except Exception:  # noqa: BLE001 - a converter that takes no "x" (uuid, path ...)
        return ""


def test_every_405_says_what_is_allowed(town_a: Town) -> None:
    client = town_a.client()
    answered = 0
    for rule in town_a.app.url_map.iter_rules():
        url = _example_url(rule)
        if not url:
            continue
        for method in ("PUT", "DELETE", "PATCH", "POST"):
            if method in (rule.methods or set()):
                continue
            response = client.open(url, method=method)
            if response.status_code == 405:
                answered += 1
                allow = {m.strip() for m in response.headers.get("Allow", "").split(",")}
                assert allow & {"GET", "POST"}, (url, method, response.headers)
                assert method not in allow, (url, method, allow)
    assert answered > 50
