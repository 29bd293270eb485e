"""The input guard (projektfabrik/inputguard.py) and safe ``next`` handling, one
case each; tests/test_bad_input.py throws everything at every route."""

from __future__ import annotations

import pytest

from projektfabrik.inputguard import DB_INT_MAX
from projektfabrik.testing import Town, login
from projektfabrik.urls import safe_next_url


@pytest.mark.parametrize(
    "path",
    [
        "/projekte/99999999999999999999",
        f"/projekte/{DB_INT_MAX + 1}",
        "/projekte/-1",
        "/projekte/" + "9" * 5000,
        f"/projekte/{DB_INT_MAX + 1}/plan/profil/versionen/1",
        f"/api/v1/projects/{DB_INT_MAX + 1}",
    ],
)
def test_numbers_beyond_the_database_range_are_not_found(town_a: Town, path: str) -> None:
    assert town_a.client().get(path).status_code == 404


def test_the_largest_number_the_database_holds_is_looked_up(town_a: Town) -> None:
    assert town_a.client().get(f"/projekte/{DB_INT_MAX}").status_code == 404  # none, but asked


def test_a_nul_byte_in_the_query_gets_a_page_in_the_towns_language(town_a: Town) -> None:
    response = town_a.client().get("/projekte?suche=a%00b")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Zeichen, die nicht verarbeitet werden können" in page
    assert "Stadt A" in page  # the town's look, not a bare page


@pytest.mark.parametrize(
    "kwargs",
    [
        {"path": "/projekte/a%00"},
        {"path": "/projekte", "query_string": "suche=%FF%FE"},
        {"path": "/anmelden", "method": "POST", "data": {"email": "a\x00@example.org"}},
        {
            "path": "/anmelden",
            "method": "POST",
            "data": "email=%C3%28",
            "content_type": "application/x-www-form-urlencoded",
        },
    ],
    ids=["nul-in-path", "query-not-utf8", "nul-in-form", "form-not-utf8"],
)
def test_nul_bytes_and_broken_utf8_are_refused(town_a: Town, kwargs: dict) -> None:  # type: ignore[type-arg]
    assert town_a.client().open(**kwargs).status_code == 400


def test_path_bytes_that_are_not_utf8_are_refused(town_a: Town) -> None:
    response = town_a.client().get("/projekte", environ_overrides={"PATH_INFO": "/projekte\xff"})
    assert response.status_code == 400


def test_a_nul_byte_in_an_uploaded_files_name_is_refused(town_a: Town) -> None:
    import io

    person = town_a.user()
    client = town_a.client()
    login(client, person.email)
    response = client.post(
        "/profil",
        data={"avatar": (io.BytesIO(b"x"), "bild\x00.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400


def test_api_errors_are_json(town_a: Town) -> None:
    client = town_a.client()
    response = client.get("/api/v1/projects?suche=%00")
    assert response.status_code == 400
    assert response.is_json and "error" in response.get_json()
    response = client.get(f"/api/v1/projects/{DB_INT_MAX + 1}")
    assert response.status_code == 404
    assert response.get_json() == {"error": "not found"}


@pytest.mark.parametrize(
    "target",
    [
        "/projekte\r\nSet-Cookie: x=1",
        "/projekte\nx",
        "/\x00",
        "//[",
        "http://[::1",
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
    ],
)
def test_next_refuses_control_characters_and_other_sites(target: str) -> None:
    assert safe_next_url(target, "/fallback") == "/fallback"


def test_next_keeps_a_same_site_path() -> None:
    assert safe_next_url("/projekte?seite=2", "/") == "/projekte?seite=2"


def test_a_crlf_next_after_login_goes_home_instead_of_failing(town_a: Town) -> None:
    person = town_a.user()
    response = town_a.client().post(
        "/anmelden?next=/projekte%0D%0ASet-Cookie:%20x=1",
        data={"email": person.email, "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    response = town_a.client().post("/language", data={"locale": "en", "next": "/projekte\r\nX: y"})
    assert response.status_code == 302
    assert "\n" not in response.headers["Location"]
