"""Join codes cannot be guessed by trying: the code form is rate-limited per town."""

from __future__ import annotations

from typing import Any

import pytest

from projektfabrik.testing import Town

from .teamkit import person


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "RATELIMIT_ENABLED": True}


def test_guessing_join_codes_is_stopped(town_a: Town, town_b: Town) -> None:
    _, client = person(town_a, "rater@example.org")
    statuses = [
        client.post("/beitreten", data={"code": f"AAAA-AAA{i}"}).status_code for i in range(2, 10)
    ]
    statuses += [
        client.post("/beitreten", data={"code": "BBBB-BBB2"}).status_code for _ in range(3)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    # Another town counts on its own.
    _, other = person(town_b, "rater@example.org")
    assert other.post("/beitreten", data={"code": "AAAA-AAA2"}).status_code == 400
    assert client.get("/beitreten").status_code == 200  # looking is not limited


def test_one_address_gets_a_bounded_number_of_invitation_mails(team: Any, mailbox: Any) -> None:
    from projektfabrik.teams.services import INVITATIONS_PER_ADDRESS

    statuses = []
    for i in range(INVITATIONS_PER_ADDRESS.amount + 1):
        response = team.owner_client.post(
            "/projekte/1/team/einladen", data={"email": "opfer@example.org", "message": str(i)}
        )
        statuses.append(response.status_code)
    assert statuses == [302] * INVITATIONS_PER_ADDRESS.amount + [400]
    assert "mehrere Einladungen" in response.get_data(as_text=True)
    mailbox.wait_for("opfer@example.org", count=INVITATIONS_PER_ADDRESS.amount)
    assert len(mailbox.to("opfer@example.org")) == INVITATIONS_PER_ADDRESS.amount
    # Another address is not affected.
    response = team.owner_client.post("/projekte/1/team/einladen", data={"email": "b@example.org"})
    assert response.status_code == 302
