"""Error reports (Sentry, GlitchTip) are off by default and, when on, carry no
personal data: no request body, cookies, headers or query string, no user, no
local variables, no e-mail address anywhere. A transport that keeps the events
in a list stands in for the network."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, request

from projektfabrik import errorreports
from projektfabrik.testing import Town

sentry_sdk = pytest.importorskip("sentry_sdk")
from sentry_sdk.envelope import Envelope  # noqa: E402 - after the skip
from sentry_sdk.transport import Transport  # noqa: E402


class Kept(Transport):
    def __init__(self) -> None:
        super().__init__({"dsn": None})
        self.events: list[dict[str, Any]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        for item in envelope.items:
            if item.type == "event" and item.payload.json is not None:
                self.events.append(item.payload.json)


@pytest.fixture
def reports(app: Flask) -> Iterator[Kept]:
    kept = Kept()
    app.config["SENTRY_DSN"] = "https://public@glitchtip.invalid/1"
    assert errorreports.init_app(app, transport=kept)
    yield kept
    sentry_sdk.init()  # no DSN: the SDK is switched off again for the other tests


def test_off_without_a_dsn(app: Flask) -> None:
    assert app.config["SENTRY_DSN"] == ""
    assert errorreports.init_app(app) is False


def test_a_report_keeps_the_error_and_the_route_but_nothing_about_the_person(
    app: Flask, town_a: Town, reports: Kept
) -> None:
    assert sentry_sdk.get_client().should_send_default_pii() is False

    def broken() -> str:
        password = request.form["passwort"]  # a local variable the report must not carry
        sentry_sdk.set_user({"id": "7", "email": "anna@example.org"})
        raise ValueError(f"cannot reach anna@example.org ({len(password)})")

    app.add_url_rule("/kaputt", "kaputt", broken, methods=["POST"])
    client = town_a.client()
    client.set_cookie("session", "cookie-wert-42", domain=town_a.host)
    with pytest.raises(ValueError):
        client.post(
            "/kaputt?email=anna%40example.org&token=abc123",
            data={"name": "Anna Beispiel", "passwort": "Geheim-123"},
            headers={"Authorization": "Bearer tok-99", "X-Forwarded-For": "203.0.113.9"},
        )
    sentry_sdk.flush()

    (event,) = reports.events
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert "[e-mail]" in event["exception"]["values"][0]["value"]
    assert event["request"] == {"method": "POST", "url": f"http://{town_a.host}/kaputt"}
    assert "user" not in event
    for frame in event["exception"]["values"][0]["stacktrace"]["frames"]:
        assert "vars" not in frame
        # The source lines around each frame stay (they are code, not anyone's data);
        # this test's own code holds the values below, so they are left out here.
        for context in ("pre_context", "context_line", "post_context"):
            frame.pop(context, None)
    text = json.dumps(event)
    for private in (
        "anna@example.org", "anna%40example.org", "abc123", "Anna Beispiel", "Geheim-123",
        "cookie-wert-42", "tok-99", "203.0.113.9",
    ):  # fmt: skip
        assert private not in text, private


def test_the_scrubber_masks_addresses_in_every_text() -> None:
    event = {
        "message": "mail to a.b-c@stadt.example failed",
        "breadcrumbs": {"values": [{"message": "sent to x@y.de", "data": {"to": ["z@q.org"]}}]},
        "extra": {"note": "ok"},
        "request": {"url": "https://t.example/a?b=c", "query_string": "b=c", "cookies": {}},
    }
    cleaned = errorreports.scrub(event)
    assert "@" not in json.dumps(cleaned)
    assert cleaned["request"] == {"url": "https://t.example/a"}
    assert cleaned["extra"] == {"note": "ok"}
