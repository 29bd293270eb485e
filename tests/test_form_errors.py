"""Failed forms (formerrors.py): the title says so, and a form whose token is no
longer valid comes back with everything typed, never with an action done."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.marketplace.models import Comment
from projektfabrik.testing import TEST_PASSWORD, Town

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _token(page: str) -> str:
    found = TOKEN.search(page)
    assert found, "no CSRF token on the page"
    return found.group(1) or found.group(2)


def _logged_in(town: Town, email: str) -> Any:
    town.user(email)
    client = town.client()
    token = _token(client.get("/anmelden").get_data(as_text=True))
    response = client.post(
        "/anmelden", data={"email": email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def _project(town: Town, email: str) -> None:
    author = town.user(email)
    with town.request_context():
        services.publish_idea(author, services.ProjectInput(title="Bank am Hafen", pitch="Idee."))
        db.session.commit()


def _comments(town: Town) -> int:
    with town.context():
        return db.session.scalar(select(func.count()).select_from(Comment)) or 0


def _forget_token_secret(client: Any) -> None:
    """What an expired or renewed session does to a token issued earlier."""
    with client.session_transaction(base_url=client.base_url) as stored:
        assert "csrf_token" in stored
        stored.pop("csrf_token", None)


def test_a_form_with_an_expired_token_comes_back_as_typed(town_a: Town) -> None:
    _project(town_a, "autorin@example.org")
    client = _logged_in(town_a, "leser@example.org")
    old_token = _token(client.get("/projekte/1").get_data(as_text=True))
    _forget_token_secret(client)
    typed = "Eine lange Überlegung <mit Zeichen> & Umlauten, eine Stunde lang getippt."

    response = client.post("/projekte/1/kommentare", data={"body": typed, "csrf_token": old_token})

    page = response.get_data(as_text=True)
    assert response.status_code == 400, response.headers.get("Location")
    assert "Eine lange Überlegung &lt;mit Zeichen&gt; &amp; Umlauten" in page  # in the field
    assert "Alles, was Sie eingegeben haben, ist noch da" in page
    assert TITLE.search(page).group(1).startswith("Fehler:")  # type: ignore[union-attr]
    assert _comments(town_a) == 0
    fresh = _token(page)
    assert fresh != old_token

    again = client.post("/projekte/1/kommentare", data={"body": typed, "csrf_token": fresh})
    assert again.status_code == 302
    assert _comments(town_a) == 1


def test_a_bad_token_never_runs_an_action_without_a_form(town_a: Town) -> None:
    client = _logged_in(town_a, "leser@example.org")
    response = client.post("/abmelden", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert "Es wurde nichts gespeichert" in response.get_data(as_text=True)
    assert client.get("/konto").status_code == 200  # still logged in


def test_a_bad_token_never_saves_a_valid_form(town_a: Town) -> None:
    """Even a form that would pass (no token check of its own) saves nothing."""
    _project(town_a, "autorin@example.org")
    client = _logged_in(town_a, "leser@example.org")
    response = client.post("/projekte/1/kommentare", data={"body": "Hallo", "csrf_token": "x"})
    assert response.status_code == 400
    assert _comments(town_a) == 0


def test_tokens_have_no_time_limit(town_a: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing for three hours in one session: the form is still accepted."""
    _project(town_a, "autorin@example.org")
    client = _logged_in(town_a, "leser@example.org")
    token = _token(client.get("/projekte/1").get_data(as_text=True))
    later = int(time.time()) + 3 * 3600  # sent three hours after the page was opened
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = client.post("/projekte/1/kommentare", data={"body": "Spät", "csrf_token": token})
    assert response.status_code == 302
    assert _comments(town_a) == 1


def test_a_page_with_form_errors_says_so_in_its_title(town_a: Town) -> None:
    _project(town_a, "autorin@example.org")
    client = _logged_in(town_a, "leser@example.org")
    page = client.get("/projekte/1").get_data(as_text=True)
    assert not TITLE.search(page).group(1).startswith("Fehler")  # type: ignore[union-attr]
    response = client.post("/projekte/1/kommentare", data={"body": " ", "csrf_token": _token(page)})
    failed = response.get_data(as_text=True)
    assert TITLE.search(failed).group(1).startswith("Fehler:")  # type: ignore[union-attr]
    assert re.search(r'class="error-summary"[^>]*autofocus', failed)


def test_required_fields_say_so_in_their_label(town_a: Town) -> None:
    page = town_a.client().get("/anmelden").get_data(as_text=True)
    label = re.search(r'<label for="email">(.*?)</label>', page, re.S)
    assert label and "(Pflichtfeld)" in label.group(1)
