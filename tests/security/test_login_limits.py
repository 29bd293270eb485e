"""An attacker cannot lock the owner out, guessing stays bounded, logout ends the session.

Rate limits are on here (the suite switches them off elsewhere). Clients get
their own address through ``REMOTE_ADDR``, as a server would see them.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from projektfabrik.accounts import guards
from projektfabrik.accounts.models import LoginSession
from projektfabrik.app import create_app
from projektfabrik.extensions import db
from projektfabrik.testing import TEST_PASSWORD, HostClient, Mailbox, Town, links_in, login


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "RATELIMIT_ENABLED": True}


def _from(client: Any, address: str) -> Any:
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _guess(client: Any, email: str, password: str = "wrong password!") -> int:
    return client.post("/anmelden", data={"email": email, "password": password}).status_code


def _attack(town: Town, email: str, guesses: int) -> list[int]:
    """Wrong passwords from many addresses (each stays under its own limit)."""
    statuses = []
    for i in range(guesses):
        attacker = _from(town.client(), f"203.0.113.{i // 5 + 1}")
        statuses.append(_guess(attacker, email))
    return statuses


def test_strangers_guesses_are_bounded_per_account_from_all_addresses(town_a: Town) -> None:
    town_a.user("owner@example.org")
    limit = guards.ACCOUNT_GUESSES.amount
    statuses = _attack(town_a, "owner@example.org", limit + 3)
    assert statuses[:limit] == [200] * limit  # "not correct", form again
    assert statuses[limit:] == [429] * 3
    # Even the right password is not checked from a new device now...
    stranger = _from(town_a.client(), "198.51.100.7")
    held = stranger.post(
        "/anmelden", data={"email": "owner@example.org", "password": TEST_PASSWORD}
    )
    assert held.status_code == 429
    page = held.get_data(as_text=True)
    assert "/anmelden/link" in page  # ... it offers a sign-in link instead
    # An address without an account is held the same way (nothing to learn from it).
    assert _attack(town_a, "nobody@example.org", limit + 1)[-1] == 429


def test_the_owners_known_device_still_logs_in_while_strangers_guess(town_a: Town) -> None:
    town_a.user("owner@example.org")
    phone = _from(town_a.client(), "192.0.2.10")
    login(phone, "owner@example.org")
    phone.post("/abmelden")
    _attack(town_a, "owner@example.org", guards.ACCOUNT_GUESSES.amount + 5)
    # The phone logged in before: its own count, untouched by the attack.
    response = phone.post(
        "/anmelden", data={"email": "owner@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert phone.get("/profil").status_code == 200


def test_a_forged_device_cookie_does_not_help(town_a: Town) -> None:
    town_a.user("owner@example.org")
    _attack(town_a, "owner@example.org", guards.ACCOUNT_GUESSES.amount)
    forger = _from(town_a.client(), "198.51.100.9")
    forger.set_cookie(guards.DEVICE_COOKIE, "eyJ0IjoxfQ.forged.signature", domain=forger.host)
    assert _guess(forger, "owner@example.org", TEST_PASSWORD) == 429


def test_a_held_owner_gets_in_with_a_one_time_link(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("owner@example.org")
    _attack(town_a, "owner@example.org", guards.ACCOUNT_GUESSES.amount)
    laptop = _from(town_a.client(), "192.0.2.20")
    assert _guess(laptop, "owner@example.org", TEST_PASSWORD) == 429
    assert laptop.post("/anmelden/link", data={"email": "owner@example.org"}).status_code == 302
    link = next(
        u for u in links_in(mailbox.wait_for("owner@example.org")) if "/anmelden/link/" in u
    )
    path = re.sub(r"^https?://[^/]+", "", link)
    assert laptop.get(path).status_code == 200  # a button; opening it logs nobody in
    assert laptop.get("/profil").status_code == 302
    assert laptop.post(path).status_code == 302
    assert laptop.get("/profil").status_code == 200
    # Works once.
    assert town_a.client().post(path).status_code == 400
    # And this device is known now: the password works from it despite the attack.
    laptop.post("/abmelden")
    assert _guess(laptop, "owner@example.org", TEST_PASSWORD) == 302


def test_sign_in_link_of_town_a_is_refused_on_town_b(
    town_a: Town, town_b: Town, mailbox: Mailbox
) -> None:
    town_a.user("owner@example.org")
    town_b.user("owner@example.org")
    town_a.client().post("/anmelden/link", data={"email": "owner@example.org"})
    link = next(
        u for u in links_in(mailbox.wait_for("owner@example.org")) if "/anmelden/link/" in u
    )
    path = re.sub(r"^https?://[^/]+", "", link)
    assert town_b.client().post(path).status_code == 400


def test_sign_in_links_to_one_address_are_limited(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("owner@example.org")
    for i in range(guards.MAILS_PER_ADDRESS.amount + 2):
        client = _from(town_a.client(), f"203.0.113.{i + 1}")
        assert client.post("/anmelden/link", data={"email": "owner@example.org"}).status_code == 302
    mailbox.wait_for("owner@example.org", count=guards.MAILS_PER_ADDRESS.amount)
    assert len(mailbox.to("owner@example.org")) == guards.MAILS_PER_ADDRESS.amount


def test_logout_ends_the_session_on_the_server(town_a: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    copied = client.cookie_value()
    assert client.post("/abmelden").status_code == 302
    thief = town_a.client()
    thief.set_cookie("session", copied, domain=thief.host)
    assert thief.get("/profil").status_code == 302  # the kept cookie logs nobody in


def test_logout_ends_this_session_only_and_everywhere_ends_all(town_a: Town) -> None:
    town_a.user("a@example.org")
    phone, laptop, tablet = town_a.client(), town_a.client(), town_a.client()
    for client in (phone, laptop, tablet):
        login(client, "a@example.org")
    phone.post("/abmelden")
    assert laptop.get("/profil").status_code == 200
    assert laptop.post("/konto/ueberall-abmelden").status_code == 302
    assert laptop.get("/profil").status_code == 302
    assert tablet.get("/profil").status_code == 302
    with town_a.context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_a_remember_me_cookie_dies_with_its_session(town_a: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    client.post(
        "/anmelden", data={"email": "a@example.org", "password": TEST_PASSWORD, "remember": "y"}
    )
    remember = client.cookie_value("remember_token")
    assert remember
    client.post("/abmelden")
    thief = town_a.client()
    thief.set_cookie("remember_token", remember, domain=thief.host)
    assert thief.get("/profil").status_code == 302


def test_login_sessions_of_town_a_are_not_seen_from_town_b(town_a: Town, town_b: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    with town_b.context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0
    with town_a.context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 1


@pytest.mark.slow
def test_limits_are_shared_between_workers_through_redis(
    app_config: dict[str, Any], town_a: Town
) -> None:
    """Two app instances (as two gunicorn workers would be) count together in Redis."""
    pytest.importorskip("redis")
    import redis

    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    town_a.user("owner@example.org")
    secret = f"test-secret-{uuid.uuid4().hex}"  # fresh keys for this run
    workers: list[Flask] = []
    for _ in range(2):
        worker = create_app(
            {**app_config, "REDIS_URL": url, "SECRET_KEY": secret, "RATELIMIT_KEY_PREFIX": secret}
        )
        worker.test_client_class = HostClient
        workers.append(worker)

    def client(i: int) -> Any:
        c = workers[i % 2].test_client()
        c.base_url = f"http://{town_a.host}"
        return _from(c, f"203.0.113.{i // 5 + 1}")

    limit = guards.ACCOUNT_GUESSES.amount
    statuses = [_guess(client(i), "owner@example.org") for i in range(limit + 1)]
    assert statuses == [200] * limit + [429]
