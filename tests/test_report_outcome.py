"""Issue #12: a person who reports a comment hears what the moderators decided."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.marketplace.models import Comment, Report
from projektfabrik.notifications.models import Notification
from projektfabrik.testing import Town, login


def _client(town: Town, email: str, **kw):  # type: ignore[no-untyped-def]
    user = town.user(email, **kw)
    client = town.client()
    login(client, email)
    return user, client


@pytest.mark.parametrize(
    ("decision", "data", "expected"),
    [
        ("ausblenden", {"reason": "Beleidigung"}, "ist jetzt ausgeblendet"),
        ("ablehnen", {}, "sichtbar gelassen"),
    ],
)
def test_every_reporter_hears_the_outcome(
    town_a: Town, decision: str, data: dict[str, str], expected: str
) -> None:
    owner = town_a.user("owner@example.org")
    with town_a.request_context():
        services.publish_idea(owner, services.ProjectInput(title="Garten", pitch="Beete."))
        db.session.commit()
    _, troll = _client(town_a, "troll@example.org")
    troll.post("/projekte/1/kommentare", data={"body": "Gemein"})
    with town_a.context():
        comment = db.session.scalar(select(Comment))
        assert comment is not None
    reporters = [_client(town_a, f"r{i}@example.org")[1] for i in range(2)]
    for reader in reporters:
        reader.post(f"/projekte/1/kommentare/{comment.ref}/melden", data={"reason": "gemein"})
    _, moderator = _client(town_a, "mod@example.org", role=Role.MODERATOR)
    with town_a.context():
        report = db.session.scalars(select(Report)).first()
        assert report is not None
    assert moderator.post(f"/moderation/{report.ref}/{decision}", data=data).status_code == 302
    for reader in reporters:
        assert expected in reader.get("/benachrichtigungen").get_data(as_text=True)
    with town_a.context():
        kinds = db.session.scalars(select(Notification.kind)).all()
    assert kinds.count("report_outcome") == 2
