"""A database that cannot be reached gives a 503 page that needs no database, in
the visitor's language; other database errors stay errors (500)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError, PendingRollbackError

from projektfabrik.extensions import db
from projektfabrik.testing import Town


def _lost(message: str = "connection refused") -> OperationalError:
    return OperationalError("SELECT 1", {}, psycopg.OperationalError(message))


@pytest.fixture
def failing(app: Flask) -> Flask:
    raised = {"error": _lost()}

    def boom() -> str:
        raise raised["error"]

    app.add_url_rule("/kaputt", "kaputt", boom)
    app.add_url_rule("/api/v1/kaputt", "api_kaputt", boom)
    app.config["raised"] = raised
    return app


def test_a_lost_database_gives_the_german_503_page(failing: Flask, town_a: Town) -> None:
    response = town_a.client().get("/kaputt")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert '<html lang="de">' in page and "Gleich wieder da" in page
    assert "nicht gespeichert" in page and "Traceback" not in page


def test_the_visitors_chosen_language_is_kept(failing: Flask, town_a: Town) -> None:
    client = town_a.client()
    client.set_cookie("sprache", "en", domain=town_a.host)
    page = client.get("/kaputt").get_data(as_text=True)
    assert '<html lang="en">' in page and "Back in a moment" in page


def test_the_api_answers_json(failing: Flask, town_a: Town) -> None:
    response = town_a.client().get("/api/v1/kaputt")
    assert response.status_code == 503
    assert response.get_json() == {"error": "database unavailable"}


def test_a_statement_error_is_not_taken_for_an_outage(failing: Flask, town_a: Town) -> None:
    failing.config["raised"]["error"] = IntegrityError(
        "INSERT", {}, psycopg.errors.UniqueViolation("duplicate key")
    )
    with pytest.raises(IntegrityError):  # TESTING propagates what no handler takes
        town_a.client().get("/kaputt")


# --- a connection lost inside something that isolates failures -----------------------------


def test_a_query_after_a_swallowed_disconnect_gives_the_503_page(app: Flask, town_a: Town) -> None:
    """Whoever caught the disconnect, the request's next query gives the 503 page."""

    def swallowed() -> str:
        db.session.execute(text("SELECT 1"))
        db.session.connection().invalidate()  # what SQLAlchemy does on a disconnect
        db.session.execute(text("SELECT 1"))  # PendingRollbackError
        return "not reached"

    app.add_url_rule("/verschluckt", "verschluckt", swallowed)
    response = town_a.client().get("/verschluckt")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"


def test_a_pending_rollback_after_a_failed_flush_stays_an_error(app: Flask, town_a: Town) -> None:
    """PendingRollbackError also follows a failed flush (a bug, not an outage)."""
    error = PendingRollbackError("This Session's transaction has been rolled back", code="7s2a")

    def flushed() -> str:
        raise error

    app.add_url_rule("/flush", "flush", flushed)
    with pytest.raises(PendingRollbackError):
        town_a.client().get("/flush")


def test_the_503_page_runs_no_context_processor(failing: Flask, town_a: Town) -> None:
    """They may read the signed-in person, whose rows the rollback expired:
    loading them again needs the lost database (found in a PostgreSQL kill)."""

    @failing.context_processor
    def needs_the_database() -> dict[str, str]:
        raise _lost("server closed the connection unexpectedly")

    response = town_a.client().get("/kaputt")
    assert response.status_code == 503
    assert "Gleich wieder da" in response.get_data(as_text=True)


def test_a_crash_whose_own_page_fails_gets_the_plain_page(
    app: Flask, town_a: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 500 page shows the town's look, which needs the database: when that fails
    too (a crash during an outage), the page that needs nothing is sent, not a bare 500."""
    from projektfabrik import errors

    def broken(*args: object, **kwargs: object) -> None:
        raise _lost()

    monkeypatch.setattr(errors, "_render", broken)
    with app.test_request_context("/", base_url=f"http://{town_a.host}"):
        response = errors.handle_crash(RuntimeError("a bug"))
    assert isinstance(response, Flask.response_class) and response.status_code == 500
    page = response.get_data(as_text=True)
    assert '<html lang="de">' in page and "Traceback" not in page
    assert "Etwas ist schiefgegangen" in page


def test_a_database_lost_in_the_middle_of_a_page_gives_the_503_page(
    app: Flask, town_a: Town
) -> None:
    """The town and the person were loaded (or came from the worker's memory,
    requestmemo.py); the database goes away only now. Making the 503 page must
    not ask it again: not for the town's language, not for the person's."""
    import flask_babel
    from flask import g
    from flask_login import current_user
    from sqlalchemy import event

    from projektfabrik.testing import signed_in

    def gone(*args: object) -> None:
        raise _lost("server closed the connection unexpectedly")

    def goes_away() -> str:
        assert current_user.is_authenticated and g.tenant.name == "Stadt A"
        event.listen(db.engine, "before_cursor_execute", gone)
        flask_babel.refresh()  # the page's language is chosen again after the fault
        raise _lost("server closed the connection unexpectedly")

    def translated_after(response: Any) -> Any:
        # As the refused-form page does (formerrors.py): a text in the page's language.
        response.headers["X-Text"] = flask_babel.gettext("Back in a moment")
        return response

    app.add_url_rule("/weg", "weg", goes_away)
    app.after_request(translated_after)
    _person, client = signed_in(town_a)
    try:
        response = client.get("/weg")
    finally:
        event.remove(db.engine, "before_cursor_execute", gone)
    assert response.status_code == 503
    assert "Gleich wieder da" in response.get_data(as_text=True)
    assert response.headers["X-Text"] == "Gleich wieder da"
    assert "/abmelden" in client.get("/projekte").get_data(as_text=True)  # still logged in


def test_a_form_without_a_valid_token_during_an_outage_gets_the_503_page(
    app: Flask, town_a: Town
) -> None:
    """The form page was the 503 page, so the form came without a token; the
    view runs once to show the form again (formerrors.py) and meets the outage.
    The answer stays the 503 page: not the "form expired" page, whose town look
    needs the database (a 500 in the two-machine PostgreSQL kill test)."""
    from sqlalchemy import event

    from projektfabrik.testing import signed_in

    def gone(*args: object) -> None:
        raise _lost("server closed the connection unexpectedly")

    def goes_away() -> str:
        event.listen(db.engine, "before_cursor_execute", gone)
        raise _lost("server closed the connection unexpectedly")

    app.add_url_rule("/formular", "formular", goes_away, methods=["POST"])
    _person, client = signed_in(town_a)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/formular", data={"body": "Hallo"})
    finally:
        event.remove(db.engine, "before_cursor_execute", gone)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Gleich wieder da" in response.get_data(as_text=True)


def test_an_outage_met_after_the_view_gets_the_503_page(app: Flask, town_a: Town) -> None:
    """Error handlers do not see what an after-request hook raises; Flask makes
    it a 500. One that is the database going away is the 503 page all the same."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production

    def after(response: Any) -> Any:
        raise _lost("server closed the connection unexpectedly")

    app.add_url_rule("/danach", "danach", lambda: "gebaut")
    app.after_request(after)
    response = town_a.client().get("/danach")
    assert response.status_code == 503
    assert "Gleich wieder da" in response.get_data(as_text=True)
