"""The posting code cannot be guessed without limit (rate limits on here)."""

from __future__ import annotations

from typing import Any

import pytest
from projektfabrik_pinnwand.views import WRONG_CODES_PER_BOARD, WRONG_CODES_PER_CLIENT

from projektfabrik.testing import Town, login, use_plugin


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "RATELIMIT_ENABLED": True}


def _member(town: Town, address: str) -> Any:
    client = town.client()
    client.environ_base["REMOTE_ADDR"] = address
    login(client, town.user().email)
    return client


def test_wrong_codes_are_limited_per_client_and_per_board(town_a: Town, town_b: Town) -> None:
    use_plugin(town_a, "pinnwand", posting_code="rathaus42")
    use_plugin(town_b, "pinnwand", posting_code="rathaus42")
    guesser = _member(town_a, "203.0.113.1")
    statuses = [
        guesser.post("/pinnwand/", data={"text": "x", "code": f"rate{i}"}).status_code
        for i in range(WRONG_CODES_PER_CLIENT.amount + 1)
    ]
    assert statuses == [200] * WRONG_CODES_PER_CLIENT.amount + [429]
    # Past the limit even the right code is not checked from there.
    held = guesser.post("/pinnwand/", data={"text": "x", "code": "rathaus42"})
    assert held.status_code == 429
    assert "Zu viele falsche Codes" in held.get_data(as_text=True)
    # Many addresses together are bounded by the board's limit.
    tried = WRONG_CODES_PER_CLIENT.amount
    address = 2
    while tried < WRONG_CODES_PER_BOARD.amount:
        client = _member(town_a, f"203.0.113.{address}")
        for _ in range(min(WRONG_CODES_PER_CLIENT.amount, WRONG_CODES_PER_BOARD.amount - tried)):
            assert client.post("/pinnwand/", data={"text": "x", "code": "nope"}).status_code == 200
            tried += 1
        address += 1
    fresh = _member(town_a, "198.51.100.1")
    assert fresh.post("/pinnwand/", data={"text": "x", "code": "rathaus42"}).status_code == 429
    # Another town's board counts on its own.
    other = _member(town_b, "203.0.113.1")
    assert other.post("/pinnwand/", data={"text": "Hallo", "code": "rathaus42"}).status_code == 302
