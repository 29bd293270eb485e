"""Log lines are JSON, carry the request id, town and route rule, and hold no
personal data: no client address, no e-mail address, no token, no query string."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from typing import Any

import pytest

from projektfabrik.logs import JsonFormatter
from projektfabrik.testing import Town


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def lines() -> Any:
    handler = Lines()
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(old)


def test_a_request_line_names_the_route_not_the_path_or_the_person(
    town_a: Town, lines: list[dict[str, Any]]
) -> None:
    client = town_a.client()
    secret = "geheimes-token-123"
    response = client.get(
        f"/passwort-neu/{secret}?email=anna@example.org",
        headers={"X-Request-ID": "req-from-nginx-42", "X-Forwarded-For": "203.0.113.9"},
    )
    assert response.headers["X-Request-ID"] == "req-from-nginx-42"
    (line,) = [entry for entry in lines if entry["logger"] == "projektfabrik.request"]
    assert line["route"] == "/passwort-neu/<token>"
    assert line["town"] == town_a.slug and line["request_id"] == "req-from-nginx-42"
    assert line["status"] == response.status_code and line["duration_ms"] >= 0
    text = json.dumps(lines)
    for private in (secret, "anna@example.org", "203.0.113.9", "127.0.0.1"):
        assert private not in text


def test_a_request_id_that_is_not_one_is_replaced(
    town_a: Town, lines: list[dict[str, Any]]
) -> None:
    response = town_a.client().get("/", headers={"X-Request-ID": "anna@example.org"})
    made = response.headers["X-Request-ID"]
    assert made != "anna@example.org" and len(made) == 32
    assert "anna@example.org" not in json.dumps(lines)


def test_info_lines_reach_stderr_outside_gunicorn_and_tests() -> None:
    """Python drops INFO without a handler: the app installs one (audit lines are INFO)."""
    program = (
        "import logging; from projektfabrik.app import create_app\n"
        "create_app({'DATABASE_URL': 'sqlite://', 'SECRET_KEY': 'x'})\n"
        "logging.getLogger('projektfabrik.admin').info('module switched')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["message"] == "module switched" and line["level"] == "INFO"
