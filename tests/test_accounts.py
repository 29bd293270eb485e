"""Accounts end to end through the test client, with mail over real SMTP."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from sqlalchemy import select

from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.extensions import db
from projektfabrik.testing import TEST_PASSWORD, Mailbox, Town, body_of, links_in, login


def _register(client, email: str = "neu@example.org", **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "display_name": "Nora Neu",
        "email": email,
        "password": TEST_PASSWORD,
        "kind": "citizen",
        "accept_privacy": "y",
        **extra,
    }
    return client.post("/registrieren", data=data)


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_register_verify_and_log_in(town_a: Town, mailbox: Mailbox) -> None:
    client = town_a.client()
    response = _register(client)
    assert response.status_code == 302
    mail = mailbox.last_to("neu@example.org")
    assert "Stadt A" in str(mail["From"])
    (link,) = links_in(mail)
    assert link.startswith("http://stadt-a.test/bestaetigen/")

    # Not verified yet: no login.
    response = client.post(
        "/anmelden", data={"email": "neu@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "/bestaetigen/erneut" in response.headers["Location"]

    assert client.get(_path(link)).status_code == 302
    login(client, "neu@example.org")
    page = client.get("/profil").get_data(as_text=True)
    assert "Nora Neu" in page


def test_register_keeps_input_and_explains_errors(town_a: Town) -> None:
    response = _register(town_a.client(), email="not-an-address", password="short")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="Nora Neu"' in page
    assert 'value="not-an-address"' in page
    assert "aria-invalid" in page
    with town_a.context():
        assert db.session.scalar(select(User)) is None


def test_registering_a_taken_address_reveals_nothing(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("da@example.org")
    response = _register(town_a.client(), email="da@example.org")
    assert response.status_code == 302
    assert "/registrieren/post" in response.headers["Location"]
    assert "/anmelden" in body_of(mailbox.last_to("da@example.org"))


def test_same_address_has_separate_accounts_in_two_towns(town_a: Town, town_b: Town) -> None:
    town_a.user("beide@example.org", password="password-in-town-a")
    town_b.user("beide@example.org", password="password-in-town-b")
    login(town_a.client(), "beide@example.org", "password-in-town-a")
    response = town_b.client().post(
        "/anmelden", data={"email": "beide@example.org", "password": "password-in-town-a"}
    )
    assert response.status_code == 200  # wrong password for town B's account
    login(town_b.client(), "beide@example.org", "password-in-town-b")


def test_wrong_password_is_refused_with_a_message(town_a: Town) -> None:
    town_a.user("a@example.org")
    response = town_a.client().post(
        "/anmelden", data={"email": "a@example.org", "password": "nope nope nope"}
    )
    assert response.status_code == 200
    assert 'value="a@example.org"' in response.get_data(as_text=True)


def test_login_issues_a_new_session(town_a: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    # An anonymous session with content.
    with client.session_transaction(base_url=f"http://{town_a.host}") as session:
        session["tenant"] = town_a.tenant.id
    before = client.cookie_value()
    login(client, "a@example.org")
    after = client.cookie_value()
    assert before is not None and after is not None
    assert before != after


def test_session_cookie_of_town_a_is_anonymous_on_town_b(town_a: Town, town_b: Town) -> None:
    person = town_a.user("a@example.org")
    client_a = town_a.client()
    login(client_a, "a@example.org")
    assert client_a.get("/profil").status_code == 200
    client_b = town_b.client()
    client_b.set_cookie("session", client_a.cookie_value(), domain="stadt-b.test")
    response = client_b.get("/profil")
    assert response.status_code == 302
    assert "/anmelden" in response.headers["Location"]
    # Even a user with the same id in town B is not logged in by A's cookie.
    town_b.user("b@example.org")
    assert client_b.get("/profil").status_code == 302
    assert person.id


def test_password_reset_is_single_use(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    client.post("/passwort-vergessen", data={"email": "a@example.org"})
    (link,) = links_in(mailbox.last_to("a@example.org"))
    assert link.startswith("http://stadt-a.test/passwort-neu/")
    data = {"password": "a brand new password", "confirm": "a brand new password"}
    assert client.post(_path(link), data=data).status_code == 302
    assert town_a.client().post(_path(link), data=data).status_code == 400
    login(town_a.client(), "a@example.org", "a brand new password")


def test_reset_for_unknown_address_sends_nothing_and_says_the_same(
    town_a: Town, mailbox: Mailbox
) -> None:
    response = town_a.client().post("/passwort-vergessen", data={"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mailbox.messages == []


def test_reset_token_of_town_a_is_refused_on_town_b(
    town_a: Town, town_b: Town, mailbox: Mailbox
) -> None:
    town_a.user("a@example.org")
    town_b.user("a@example.org")
    town_a.client().post("/passwort-vergessen", data={"email": "a@example.org"})
    (link,) = links_in(mailbox.last_to("a@example.org"))
    response = town_b.client().get(_path(link))
    assert response.status_code == 400
    data = {"password": "taken over password", "confirm": "taken over password"}
    assert town_b.client().post(_path(link), data=data).status_code == 400


def test_verification_token_of_town_a_is_refused_on_town_b(
    town_a: Town, town_b: Town, mailbox: Mailbox
) -> None:
    _register(town_a.client(), email="v@example.org")
    (link,) = links_in(mailbox.last_to("v@example.org"))
    _register(town_b.client(), email="v@example.org")
    assert town_b.client().get(_path(link)).status_code == 400
    with town_b.context():
        assert db.session.scalar(select(User)).email_verified_at is None


def test_tampered_token_is_refused(town_a: Town) -> None:
    assert town_a.client().get("/passwort-neu/garbage.token.here").status_code == 400


def test_forged_forwarded_host_never_reaches_a_mail(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("a@example.org")
    town_a.client().post(
        "/passwort-vergessen",
        data={"email": "a@example.org"},
        headers={"X-Forwarded-Host": "evil.test", "Forwarded": "host=evil.test"},
    )
    body = body_of(mailbox.last_to("a@example.org"))
    assert "evil.test" not in body
    assert "http://stadt-a.test/passwort-neu/" in body


def test_unknown_host_sends_no_mail(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("a@example.org")
    response = town_a.client(host="evil.test").post(
        "/passwort-vergessen", data={"email": "a@example.org"}
    )
    assert response.status_code == 404
    assert mailbox.messages == []


def test_alias_host_redirects_to_the_canonical_host(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("a@example.org")
    response = town_a.client(host="www.stadt-a.test").post(
        "/passwort-vergessen?x=1", data={"email": "a@example.org"}
    )
    assert response.status_code == 308
    assert response.headers["Location"] == "http://stadt-a.test/passwort-vergessen?x=1"
    assert mailbox.messages == []


def _png(color: str = "red", size: int = 64) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (size, size), color).save(data, "PNG")
    data.seek(0)
    return data


@pytest.mark.storage
def test_profile_edit_with_avatar(town_a: Town, town_b: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    with town_a.context():
        from projektfabrik.tenancy.models import District

        hafen = db.session.scalar(select(District).where(District.name == "Hafen"))
    response = client.post(
        "/profil",
        data={
            "display_name": "Anna Aktiv",
            "kind": "business",
            "organisation": "Laden am Hafen",
            "district": "Hafen",
            "skills": "Holz, holz, Buchhaltung ,  ",
            "bio": "Hallo!",
            "avatar": (_png(), "me.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with town_a.context():
        anna = db.session.scalar(select(User))
        assert anna.display_name == "Anna Aktiv"
        assert anna.kind == Kind.BUSINESS
        assert anna.skills == "Holz, Buchhaltung"
        assert anna.district_id == hafen.id
        avatar_url = f"/leute/{anna.ref}/bild/{anna.avatar_file}"
    picture = client.get(avatar_url)
    assert picture.status_code == 200
    assert picture.mimetype == "image/webp"
    assert town_b.client().get(avatar_url).status_code == 404


@pytest.mark.storage
def test_profile_refuses_a_fake_picture_and_keeps_the_input(town_a: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    response = client.post(
        "/profil",
        data={
            "display_name": "Anna Geändert",
            "kind": "citizen",
            "district": "",
            "avatar": (io.BytesIO(b"#!/bin/sh\necho not a picture\n"), "evil.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Anna Geändert" in page
    assert "aria-invalid" in page
    with town_a.context():
        assert db.session.scalar(select(User)).avatar_file is None


def test_profile_refuses_a_district_of_another_town(town_a: Town, town_b: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    with town_b.context():
        from projektfabrik.tenancy.models import District

        foreign = db.session.scalar(select(District))
    response = client.post(
        "/profil", data={"display_name": "A", "kind": "citizen", "district": foreign.name}
    )
    assert response.status_code == 200
    with town_a.context():
        assert db.session.scalar(select(User)).district_id is None


def test_change_password_needs_the_current_one_and_ends_other_sessions(town_a: Town) -> None:
    town_a.user("a@example.org")
    phone, laptop = town_a.client(), town_a.client()
    login(phone, "a@example.org")
    login(laptop, "a@example.org")
    wrong = laptop.post(
        "/konto/passwort",
        data={
            "password-current_password": "wrong password",
            "password-password": "another long password",
            "password-confirm": "another long password",
        },
    )
    assert wrong.status_code == 400
    right = laptop.post(
        "/konto/passwort",
        data={
            "password-current_password": TEST_PASSWORD,
            "password-password": "another long password",
            "password-confirm": "another long password",
        },
    )
    assert right.status_code == 302
    assert laptop.get("/profil").status_code == 200  # this device stays logged in
    assert phone.get("/profil").status_code == 302  # the other device is logged out


def test_change_email_takes_effect_when_the_link_is_opened(town_a: Town, mailbox: Mailbox) -> None:
    town_a.user("alt@example.org")
    client = town_a.client()
    login(client, "alt@example.org")
    response = client.post(
        "/konto/email",
        data={"email-email": "neu@example.org", "email-current_password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    (link,) = links_in(mailbox.last_to("neu@example.org"))
    with town_a.context():
        assert db.session.scalar(select(User)).email == "alt@example.org"
    client.get(_path(link))
    with town_a.context():
        assert db.session.scalar(select(User)).email == "neu@example.org"
    assert "neu@example.org" in body_of(mailbox.last_to("alt@example.org"))


def test_export_my_data(town_a: Town) -> None:
    town_a.user("a@example.org", name="Anna")
    client = town_a.client()
    login(client, "a@example.org")
    response = client.get("/konto/daten.json")
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "a@example.org"
    assert data["municipality"] == "Stadt A"


def test_delete_account_anonymises(town_a: Town) -> None:
    person = town_a.user("a@example.org", name="Anna")
    town_a.user("admin@example.org", role=Role.ADMIN)
    client = town_a.client()
    login(client, "a@example.org")
    response = client.post(
        "/konto/loeschen", data={"delete-current_password": TEST_PASSWORD, "delete-confirm": "y"}
    )
    assert response.status_code == 302
    with town_a.context():
        row = db.session.scalar(select(User).where(User.id == person.id))
        assert row.deleted_at is not None
        assert "a@example.org" not in row.email
        assert row.display_name != "Anna"
        assert row.password_hash is None
    assert client.get("/profil").status_code == 302


def test_the_last_admin_cannot_delete_the_account(town_a: Town) -> None:
    town_a.user("admin@example.org", role=Role.ADMIN)
    client = town_a.client()
    login(client, "admin@example.org")
    response = client.post(
        "/konto/loeschen", data={"delete-current_password": TEST_PASSWORD, "delete-confirm": "y"}
    )
    assert response.status_code == 400
    with town_a.context():
        assert db.session.scalar(select(User)).deleted_at is None


def test_logout_needs_post_and_ends_the_session(town_a: Town) -> None:
    town_a.user("a@example.org")
    client = town_a.client()
    login(client, "a@example.org")
    assert client.get("/abmelden").status_code == 405
    assert client.post("/abmelden").status_code == 302
    assert client.get("/profil").status_code == 302


def test_next_parameter_cannot_leave_the_site(town_a: Town) -> None:
    town_a.user("a@example.org")
    response = town_a.client().post(
        "/anmelden?next=//evil.test/x",
        data={"email": "a@example.org", "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/"
