"""Sheet codes cannot be guessed without limit (rate limits on here), and a code
names only its own town's sheets."""

from __future__ import annotations

from typing import Any

import pytest
from projektfabrik_pubtools.views import WRONG_CODES
from pubtools_support import make_team

from projektfabrik.testing import Town, use_plugin


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "RATELIMIT_ENABLED": True}


def test_wrong_codes_are_limited_per_client(town_a: Town, town_b: Town) -> None:
    use_plugin(town_a, "pubtools")
    use_plugin(town_b, "pubtools")
    guesser = town_a.client()
    guesser.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    statuses = [
        guesser.post("/kneipentools/code", data={"code": f"ABCD-EF{i:02d}"[:9]}).status_code
        for i in range(WRONG_CODES.amount)
    ]
    assert statuses == [400] * WRONG_CODES.amount
    held = guesser.post("/kneipentools/code", data={"code": "ABCD-EFGH"})
    assert held.status_code == 429
    assert "Zu viele falsche Codes" in held.get_data(as_text=True)
    # opening codes by URL counts the same
    assert guesser.get("/kneipentools/k/ABCDEFGH").status_code == 429
    # another address, and another town, count on their own
    other = town_a.client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert other.post("/kneipentools/code", data={"code": "ABCD-EFGH"}).status_code == 400
    elsewhere = town_b.client()
    elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    assert elsewhere.post("/kneipentools/code", data={"code": "ABCD-EFGH"}).status_code == 400


def test_a_project_only_town_a_has_is_404_on_town_b(town_a: Town, town_b: Town) -> None:
    from projektfabrik.extensions import db
    from projektfabrik.marketplace import services as marketplace

    team_a = make_team(town_a)
    team_b = make_team(town_b, prefix="b-", full=False)
    with town_a.request_context():
        from projektfabrik.accounts.models import User

        second = marketplace.publish_idea(
            db.session.get(User, team_a.owner.id),
            marketplace.ProjectInput(title="Nur in A", pitch="Gibt es nur in Stadt A."),
        )
        db.session.commit()
        number = second.number
    assert number == 2
    b_owner = team_b.client(team_b.owner)
    for path in (
        f"/kneipentools/projekt/{number}/",
        f"/kneipentools/projekt/{number}/bogen/projektprofil/a4.pdf",
        f"/kneipentools/projekt/{number}/bogen/projektprofil/a4",
        f"/kneipentools/projekt/{number}/bogen/projektprofil/a3/pdf",
        f"/kneipentools/projekt/{number}/stammtisch/ablauf.pdf",
        f"/kneipentools/projekt/{number}/stammtisch/einladen",
    ):
        assert b_owner.get(path).status_code == 404, path
    assert team_a.client(team_a.owner).get(f"/kneipentools/projekt/{number}/").status_code == 200
