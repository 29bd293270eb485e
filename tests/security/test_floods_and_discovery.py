"""Forms that mail or check a secret are limited; whether an address has an
account shows neither in the answer nor in the work done for it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from projektfabrik.accounts import guards, passwords, services
from projektfabrik.extensions import db
from projektfabrik.marketplace.models import Report
from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, body_of, login


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "RATELIMIT_ENABLED": True}


def _from(client: Any, address: str) -> Any:
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _register(client: Any, email: str) -> Any:
    return client.post(
        "/registrieren",
        data={"display_name": "Nora", "email": email, "password": TEST_PASSWORD,
              "kind": "citizen", "accept_privacy": "y"},
    )  # fmt: skip


class HashCounter:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = passwords.hasher

        def counting() -> Any:
            self.calls += 1
            return original()

        monkeypatch.setattr(passwords, "hasher", counting)


def test_registering_does_the_same_work_whether_or_not_the_address_is_taken(
    town_a: Town, monkeypatch: pytest.MonkeyPatch, mailbox: Mailbox
) -> None:
    town_a.user("taken@example.org")
    counter = HashCounter(monkeypatch)
    answers = []
    calls = []
    for email in ("taken@example.org", "free@example.org"):
        before = counter.calls
        response = _register(_from(town_a.client(), "192.0.2.1"), email)
        calls.append(counter.calls - before)
        answers.append((response.status_code, response.headers["Location"]))
    assert calls[0] == calls[1] >= 1  # one password hash on both paths
    assert answers[0] == answers[1]
    mailbox.wait_for("free@example.org")
    assert len(mailbox.to("taken@example.org")) == 1  # the owner is told, once


def test_registering_an_address_again_and_again_mails_its_owner_a_bounded_number_of_times(
    town_a: Town, mailbox: Mailbox
) -> None:
    town_a.user("taken@example.org")
    for i in range(guards.MAILS_PER_ADDRESS.amount + 3):
        assert (
            _register(_from(town_a.client(), f"203.0.113.{i + 1}"), "taken@example.org").status_code
            == 302
        )
    mailbox.wait_for("taken@example.org", count=guards.MAILS_PER_ADDRESS.amount)
    assert len(mailbox.to("taken@example.org")) == guards.MAILS_PER_ADDRESS.amount


def test_registration_is_limited_per_client_address(town_a: Town) -> None:
    client = _from(town_a.client(), "203.0.113.50")
    statuses = [_register(client, f"n{i}@example.org").status_code for i in range(11)]
    assert statuses == [302] * 10 + [429]


def test_reset_mails_to_one_address_are_bounded(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("owner@example.org")
    for i in range(guards.MAILS_PER_ADDRESS.amount + 2):
        client = _from(town_a.client(), f"203.0.113.{i + 1}")
        assert (
            client.post("/passwort-vergessen", data={"email": "owner@example.org"}).status_code
            == 302
        )
    mailbox.wait_for("owner@example.org", count=guards.MAILS_PER_ADDRESS.amount)
    assert len(mailbox.to("owner@example.org")) == guards.MAILS_PER_ADDRESS.amount


def test_changing_to_a_taken_address_answers_like_a_free_one(
    town_a: Town, mailbox: Mailbox
) -> None:
    town_a.user("me@example.org")
    town_a.user("taken@example.org")
    client = town_a.client()
    login(client, "me@example.org")
    answers = []
    for email in ("taken@example.org", "free@example.org"):
        response = client.post(
            "/konto/email", data={"email-email": email, "email-current_password": TEST_PASSWORD}
        )
        answers.append(response.status_code)
    assert answers == [302, 302]
    mailbox.wait_for("free@example.org")
    taken = mailbox.wait_for("taken@example.org")
    assert "/konto/email/" not in body_of(taken)  # its owner is told; no link to take it
    with town_a.context():
        assert services.find_by_email("me@example.org") is not None  # nothing changed yet


def test_a_person_reports_a_comment_once_and_moderators_hear_of_it_once(
    town_a: Town, mailbox: Mailbox
) -> None:
    from tests.teams.teamkit import person  # noqa: PLC0415 - the teams' helpers

    moderator = town_a.user("mod@example.org", role=services.Role.MODERATOR)
    owner, owner_client = person(town_a, "owner@example.org")
    owner_client.post(
        "/projekte/neu",
        data={"title": "Sommerkino", "pitch": "Kino im Park.", "category": "", "district": "",
              "lead": "y"},
    )  # fmt: skip
    assert (
        owner_client.post("/projekte/1/kommentare", data={"body": "Ein Kommentar"}).status_code
        == 302
    )
    from projektfabrik.marketplace.models import Comment

    with town_a.context():
        comment = db.session.scalar(select(Comment))
        assert comment is not None, "no comment"
        ref = comment.ref
    first, first_client = person(town_a, "r1@example.org")
    second, second_client = person(town_a, "r2@example.org")
    url = f"/projekte/1/kommentare/{ref}/melden"
    assert first_client.post(url, data={"reason": "Beleidigend"}).status_code == 302
    again = first_client.post(url, data={"reason": "Immer noch"})
    assert again.status_code == 400
    assert "bereits gemeldet" in again.get_data(as_text=True)
    assert second_client.post(url, data={"reason": "Ja"}).status_code == 302
    with town_a.context():
        assert len(db.session.scalars(select(Report)).all()) == 2
    mailbox.wait_for(moderator.email)
    assert len(mailbox.to(moderator.email)) == 1


def test_one_persons_inbox_gets_a_bounded_number_of_notification_mails(
    town_a: Town, town_b: Town
) -> None:
    from projektfabrik.accounts.models import User
    from projektfabrik.notifications import services as notifications
    from projektfabrik.notifications.models import Delivery, Notification

    limit = notifications.MAILS_PER_PERSON.amount

    def deliveries(town: Town, email: str, times: int) -> list[Delivery]:
        person = town.user(email)
        with town.request_context():
            for _ in range(times):
                notifications.notify(
                    [db.session.get(User, person.id)], "comment", lambda: "Neuer Kommentar", "/"
                )
            db.session.commit()
            rows = db.session.scalars(select(Notification).where(Notification.user_id == person.id))
            return [row.delivery for row in sorted(rows, key=lambda row: row.id)]

    got = deliveries(town_a, "viel@example.org", limit + 2)
    # Right away up to the limit; the rest still reach the person, in the daily summary.
    assert got == [Delivery.IMMEDIATELY] * limit + [Delivery.DAILY] * 2
    # The count is per town and person: someone in another town is not affected.
    assert deliveries(town_b, "viel@example.org", 1) == [Delivery.IMMEDIATELY]
