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


def _setup(town: Town):  # type: ignore[no-untyped-def]
    owner = town.user("owner@example.org")
    with town.request_context():
        services.publish_idea(owner, services.ProjectInput(title="Garten", pitch="Beete."))
        db.session.commit()
    spammer, spam = _client(town, "spam@example.org", name="Sam Spam")
    for text in ("Kauf billig", "Noch mehr Werbung"):
        spam.post("/projekte/1/kommentare", data={"body": text})
    return spammer


def test_a_moderator_hides_all_comments_of_an_account_and_restores_one(town_a: Town) -> None:
    spammer = _setup(town_a)
    _, moderator = _client(town_a, "mod@example.org", role=Role.MODERATOR)
    response = moderator.post(
        f"/moderation/personen/{spammer.ref}/kommentare-ausblenden", data={"reason": "Werbung"}
    )
    assert response.status_code == 302
    visitor_page = town_a.client().get("/projekte/1").get_data(as_text=True)
    assert "Kauf billig" not in visitor_page and "Noch mehr Werbung" not in visitor_page
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert "Zuletzt ausgeblendete Kommentare" in queue and "Kauf billig" in queue
    with town_a.context():
        first = db.session.scalars(select(Comment).order_by(Comment.id)).first()
        assert first is not None
    assert moderator.post(f"/moderation/kommentare/{first.ref}/wiederherstellen").status_code == 302
    assert "Kauf billig" in town_a.client().get("/projekte/1").get_data(as_text=True)
    # A visible comment cannot be "restored"; an unknown one is not found.
    assert moderator.post(f"/moderation/kommentare/{first.ref}/wiederherstellen").status_code == 404
    assert moderator.post("/moderation/kommentare/nope/wiederherstellen").status_code == 404


def test_an_admin_deletes_a_spam_account_with_its_comments(town_a: Town) -> None:
    spammer = _setup(town_a)
    admin, client = _client(town_a, "admin@example.org", role=Role.ADMIN)
    _, moderator = _client(town_a, "mod@example.org", role=Role.MODERATOR)
    url = f"/moderation/personen/{spammer.ref}/spam-loeschen"
    assert moderator.post(url, data={"confirm": "1"}).status_code == 403
    # Without the confirmation nothing happens.
    assert client.post(url).status_code == 302
    with town_a.context():
        assert len(db.session.scalars(select(Comment)).all()) == 2
    assert client.post(url, data={"confirm": "1"}).status_code == 302
    with town_a.context():
        assert db.session.scalars(select(Comment)).all() == []
    assert (
        town_a.client()
        .post("/anmelden", data={"email": "spam@example.org", "password": "correct horse battery"})
        .status_code
        != 302
    )
    log = client.get("/verwaltung/protokoll").get_data(as_text=True)
    assert "Konto von Sam Spam als Spam gelöscht" in log
    # Refused for oneself (and admins): nothing happens.
    client.post(f"/moderation/personen/{admin.ref}/spam-loeschen", data={"confirm": "1"})
    with town_a.context():
        from projektfabrik.accounts.models import User

        me = db.session.get(User, admin.id)
        assert me is not None and me.deleted_at is None


def test_another_towns_moderator_reaches_no_comment_or_person(town_a: Town, town_b: Town) -> None:
    spammer = _setup(town_a)
    with town_a.context():
        comment = db.session.scalars(select(Comment)).first()
        assert comment is not None
    _, other = _client(town_b, "admin-b@example.org", role=Role.ADMIN)
    for path in (
        f"/moderation/personen/{spammer.ref}/kommentare-ausblenden",
        f"/moderation/personen/{spammer.ref}/spam-loeschen",
        f"/moderation/kommentare/{comment.ref}/wiederherstellen",
    ):
        assert other.post(path, data={"reason": "x", "confirm": "1"}).status_code == 404, path
    assert "Kauf billig" in town_a.client().get("/projekte/1").get_data(as_text=True)


def test_news_is_reported_hidden_with_reason_and_both_sides_hear_it(town_a: Town) -> None:
    from projektfabrik.marketplace.models import ProjectUpdate

    owner, owner_client = _client(town_a, "owner@example.org", name="Olga Owner")
    with town_a.request_context():
        project = services.publish_idea(
            owner, services.ProjectInput(title="Garten", pitch="Beete.")
        )
        services.post_update(project, owner, "Kauft bei Firma X!")
        db.session.commit()
    with town_a.context():
        news = db.session.scalars(select(ProjectUpdate)).one()
    _, reader = _client(town_a, "reader@example.org")
    page = reader.get("/projekte/1").get_data(as_text=True)
    assert f"/projekte/1/neuigkeiten/{news.ref}/melden" in page
    form = reader.get(f"/projekte/1/neuigkeiten/{news.ref}/melden").get_data(as_text=True)
    assert "Was ist an dieser Neuigkeit nicht in Ordnung?" in form
    assert (
        reader.post(f"/projekte/1/neuigkeiten/{news.ref}/melden", data={"reason": ""}).status_code
        == 400
    )
    assert (
        reader.post(
            f"/projekte/1/neuigkeiten/{news.ref}/melden", data={"reason": "Werbung"}
        ).status_code
        == 302
    )
    again = reader.post(f"/projekte/1/neuigkeiten/{news.ref}/melden", data={"reason": "nochmal"})
    assert "schon gemeldet" in again.get_data(as_text=True)
    _, moderator = _client(town_a, "mod@example.org", role=Role.MODERATOR)
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert "Neuigkeit von „Garten“" in queue and "Kauft bei Firma X!" in queue
    assert "statt der Neuigkeit" in queue
    with town_a.context():
        report = db.session.scalars(select(Report)).one()
    moderator.post(f"/moderation/{report.ref}/ausblenden", data={"reason": "Werbung"})
    public = town_a.client().get("/projekte/1").get_data(as_text=True)
    assert "Kauft bei Firma X!" not in public
    assert "Diese Neuigkeit wurde von der Moderation ausgeblendet. Grund: Werbung" in public
    assert "Ihre Neuigkeit zu „Garten“ wurde" in owner_client.get("/benachrichtigungen").get_data(
        as_text=True
    )
    assert "Die Neuigkeit von „Garten“" in reader.get("/benachrichtigungen").get_data(as_text=True)
    # Hidden news cannot be reported again; another town finds none of it.
    assert reader.get(f"/projekte/1/neuigkeiten/{news.ref}/melden").status_code == 404


def test_news_of_another_town_cannot_be_reported(town_a: Town, town_b: Town) -> None:
    from projektfabrik.marketplace.models import ProjectUpdate

    owner = town_a.user("owner@example.org")
    with town_a.request_context():
        project = services.publish_idea(
            owner, services.ProjectInput(title="Garten", pitch="Beete.")
        )
        services.post_update(project, owner, "Neu")
        db.session.commit()
    with town_b.request_context():
        other_owner = town_b.user("b@example.org")
    with town_b.request_context():
        services.publish_idea(other_owner, services.ProjectInput(title="B", pitch="B."))
        db.session.commit()
    with town_a.context():
        news = db.session.scalars(select(ProjectUpdate)).one()
    _, reader_b = _client(town_b, "reader@example.org")
    response = reader_b.post(f"/projekte/1/neuigkeiten/{news.ref}/melden", data={"reason": "x"})
    assert response.status_code == 404
