"""Staff sign in with the town's identity provider (OpenID Connect), against a
real provider on loopback (``projektfabrik/testing_oidc.py``)."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from projektfabrik.accounts import sso
from projektfabrik.accounts.models import Kind, Role, SignInSettings, SsoIdentity, User
from projektfabrik.extensions import db
from projektfabrik.testing import (
    TEST_PASSWORD,
    Mailbox,
    Town,
    connect_sso,
    free_port,
    links_in,
    login,
    sso_round_trip,
)

STAFF = {
    "sub": "u-1001",
    "email": "vera.verwaltung@stadt-a.de",
    "email_verified": True,
    "name": "Vera Verwaltung",
    "groups": ["pf-admins"],
    "department": "Bauamt",
}


def _person(town: Town, email: str) -> User | None:
    with town.context():
        db.session.expire_all()
        return db.session.scalar(select(User).where(User.email == email))


def _logged_in_as(client: Any) -> str:
    return client.get("/konto").get_data(as_text=True)


def test_the_login_page_offers_the_staff_account_only_where_connected(
    town_a: Town, town_b: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider)
    assert "Dienstkonto der Stadt" in town_a.client().get("/anmelden").get_data(as_text=True)
    page_b = town_b.client().get("/anmelden").get_data(as_text=True)
    assert "Dienstkonto" not in page_b
    assert town_b.client().post("/anmelden/dienstkonto").status_code == 404
    assert town_b.client().get("/anmelden/dienstkonto/zurueck?code=x&state=y").status_code == 404


def test_first_sign_in_creates_a_confirmed_staff_account_with_roles(
    town_a: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider, organisation_claim="department")
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    response = sso_round_trip(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "vera.verwaltung@stadt-a.de" in _logged_in_as(client)
    person = _person(town_a, STAFF["email"])
    assert person is not None
    assert person.kind == Kind.ADMINISTRATION and person.is_confirmed_staff
    assert person.confirmed_organisation == "Bauamt"
    assert person.role == Role.ADMIN and person.password_hash is None
    assert client.get("/verwaltung/").status_code == 200


def test_roles_follow_the_groups_at_every_sign_in(town_a: Town, oidc_provider: Any) -> None:
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    sso_round_trip(town_a.client())
    assert _person(town_a, STAFF["email"]).role == Role.ADMIN  # type: ignore[union-attr]

    oidc_provider.person = {**STAFF, "groups": ["pf-moderators"]}
    sso_round_trip(town_a.client())
    assert _person(town_a, STAFF["email"]).role == Role.MODERATOR  # type: ignore[union-attr]

    # Taken out of every group: an ordinary member from this sign-in on.
    oidc_provider.person = {**STAFF, "groups": []}
    client = town_a.client()
    sso_round_trip(client)
    assert _person(town_a, STAFF["email"]).role == Role.MEMBER  # type: ignore[union-attr]
    assert client.get("/verwaltung/").status_code == 403


def test_someone_no_longer_staff_is_refused_and_loses_the_roles(
    town_a: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider, staff_domains="stadt-a.de")
    oidc_provider.person = dict(STAFF)
    sso_round_trip(town_a.client())
    oidc_provider.person = {**STAFF, "email": "vera@privat.example"}
    response = sso_round_trip(town_a.client())
    assert response.status_code == 400
    assert "nicht als Mitarbeitende" in response.get_data(as_text=True)
    assert _person(town_a, STAFF["email"]).role == Role.MEMBER  # type: ignore[union-attr]


def test_staff_claim_marks_staff(town_a: Town, oidc_provider: Any) -> None:
    connect_sso(town_a, oidc_provider, staff_claim="groups=staff")
    oidc_provider.person = {**STAFF, "groups": ["pf-admins"]}
    assert sso_round_trip(town_a.client()).status_code == 400
    assert _person(town_a, STAFF["email"]) is None
    oidc_provider.person = {**STAFF, "groups": ["pf-admins", "staff"]}
    assert sso_round_trip(town_a.client()).status_code == 302


def test_an_existing_account_is_linked_only_after_its_password(
    town_a: Town, oidc_provider: Any, mailbox: Mailbox
) -> None:
    town_a.user(STAFF["email"], role=Role.MEMBER, name="Vera V.")
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    response = sso_round_trip(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/anmelden/dienstkonto/verknuepfen")
    # Nothing is linked and nobody is logged in yet.
    with town_a.context():
        assert db.session.scalar(select(SsoIdentity)) is None
    assert client.get("/konto").status_code == 302

    page = client.get("/anmelden/dienstkonto/verknuepfen").get_data(as_text=True)
    assert STAFF["email"] in page
    wrong = client.post("/anmelden/dienstkonto/verknuepfen", data={"link-password": "nope"})
    assert wrong.status_code == 400
    assert "nicht richtig" in wrong.get_data(as_text=True)
    with town_a.context():
        assert db.session.scalar(select(SsoIdentity)) is None

    right = client.post("/anmelden/dienstkonto/verknuepfen", data={"link-password": TEST_PASSWORD})
    assert right.status_code == 302
    told = mailbox.wait_for(STAFF["email"])  # the owner hears of every new link
    assert "verknüpft" in str(told["Subject"])
    person = _person(town_a, STAFF["email"])
    assert person is not None and person.role == Role.ADMIN and person.is_confirmed_staff
    with town_a.context():
        assert db.session.scalar(select(SsoIdentity.user_id)) == person.id
    assert STAFF["email"] in _logged_in_as(client)
    # From now on the provider signs this account in, without asking again.
    again = town_a.client()
    assert sso_round_trip(again).status_code == 302
    assert STAFF["email"] in _logged_in_as(again)


def test_an_existing_account_is_linked_with_a_link_by_mail(
    town_a: Town, oidc_provider: Any, mailbox: Mailbox
) -> None:
    town_a.user(STAFF["email"])
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    sso_round_trip(client)
    assert client.post("/anmelden/dienstkonto/verknuepfen/mail").status_code == 302
    mail = mailbox.wait_for(STAFF["email"])
    link = next(url for url in links_in(mail) if "/verknuepfen/" in url)
    path = urlsplit(link).path
    # Another browser (no pending sign-in there) cannot use the link.
    stranger = town_a.client()
    assert stranger.post(path).status_code == 302
    assert _person(town_a, STAFF["email"]).role == Role.MEMBER  # type: ignore[union-attr]
    # In the browser that started the sign-in, the link links and logs in.
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert _person(town_a, STAFF["email"]).role == Role.ADMIN  # type: ignore[union-attr]
    assert STAFF["email"] in _logged_in_as(client)
    # Used up: the login changed the account's last login.
    other = town_a.client()
    sso_round_trip(other)  # signed in through the identity now, no link needed
    assert STAFF["email"] in _logged_in_as(other)


def test_an_unverified_address_never_links(town_a: Town, oidc_provider: Any) -> None:
    town_a.user(STAFF["email"])
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = {**STAFF, "email_verified": False}
    response = sso_round_trip(town_a.client())
    assert response.status_code == 400
    assert "nicht bestätigt" in response.get_data(as_text=True)
    with town_a.context():
        assert db.session.scalar(select(SsoIdentity)) is None


def test_the_operator_may_trust_the_providers_addresses(town_a: Town, oidc_provider: Any) -> None:
    # ADFS sends no email_verified: the operator declares its addresses verified.
    town_a.user(STAFF["email"])
    connect_sso(town_a, oidc_provider, trust_email=True)
    oidc_provider.person = {k: v for k, v in STAFF.items() if k != "email_verified"}
    response = sso_round_trip(town_a.client())
    # Still only after the account's owner confirms.
    assert response.headers["Location"].endswith("/anmelden/dienstkonto/verknuepfen")


def test_a_linked_account_signs_in_only_through_the_provider(
    town_a: Town, oidc_provider: Any
) -> None:
    town_a.user(STAFF["email"])
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    sso_round_trip(client)
    client.post("/anmelden/dienstkonto/verknuepfen", data={"link-password": TEST_PASSWORD})
    # The password would keep roles the provider may take away later.
    refused = town_a.client()
    response = refused.post("/anmelden", data={"email": STAFF["email"], "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/anmelden")
    assert refused.get("/konto").status_code == 302
    # With SSO switched off by the operator, the password works again.
    with town_a.context():
        row = db.session.scalar(select(SignInSettings))
        assert row is not None
        row.sso_enabled = False
        db.session.commit()
    login(town_a.client(), STAFF["email"])


def test_a_forged_state_is_refused(town_a: Town, oidc_provider: Any) -> None:
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    start = client.post("/anmelden/dienstkonto")
    answer = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    response = client.get(f"/anmelden/dienstkonto/zurueck?code={query['code'][0]}&state=forged")
    assert response.status_code == 400
    assert "nicht geklappt" in response.get_data(as_text=True)
    assert _person(town_a, STAFF["email"]) is None
    # A callback nobody started (a link an attacker sends) is refused too.
    assert town_a.client().get("/anmelden/dienstkonto/zurueck?code=x&state=y").status_code == 400


def test_a_forged_nonce_is_refused(town_a: Town, oidc_provider: Any) -> None:
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    oidc_provider.tamper = {"nonce": "replayed-from-earlier"}
    response = sso_round_trip(town_a.client())
    assert response.status_code == 400
    assert _person(town_a, STAFF["email"]) is None


def test_a_token_meant_for_another_town_is_refused(
    town_a: Town, town_b: Town, oidc_provider: Any
) -> None:
    # Both towns use the same regional provider, each with its own client.
    connect_sso(town_a, oidc_provider)
    client_b = connect_sso(town_b, oidc_provider)
    oidc_provider.person = dict(STAFF)
    oidc_provider.tamper = {"aud": client_b}
    response = sso_round_trip(town_a.client())
    assert response.status_code == 400
    assert _person(town_a, STAFF["email"]) is None


def test_state_from_one_town_is_refused_by_another(
    town_a: Town, town_b: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider)
    connect_sso(town_b, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client_a = town_a.client()
    start = client_a.post("/anmelden/dienstkonto")
    answer = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(answer.headers["Location"])
    # The same browser brings town A's answer to town B (its session cookie there
    # is town B's and holds no sign-in in progress).
    client_b = town_b.client()
    client_b.post("/anmelden/dienstkonto")  # even with one of B's own in progress
    response = client_b.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 400
    assert _person(town_b, STAFF["email"]) is None
    # Pending data from town A is refused by town B's service as well.
    with town_a.request_context():
        row_a = sso.provider()
        assert row_a is not None
        _url, pending = sso.begin(row_a, "http://stadt-a.test/cb", "/")
    with town_b.request_context():
        row_b = sso.provider()
        assert row_b is not None
        with pytest.raises(sso.SignInRefused):
            sso.finish(row_b, pending, {"state": pending["state"], "code": "x"}, "http://b/cb")


def test_the_login_page_lets_its_form_go_to_the_provider(
    town_a: Town, town_b: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider)
    policy = town_a.client().get("/anmelden").headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider.issuer};" in policy
    assert (
        "form-action 'self';" in town_b.client().get("/anmelden").headers["Content-Security-Policy"]
    )
    assert "form-action 'self';" in town_a.client().get("/").headers["Content-Security-Policy"]


def test_a_disabled_provider(town_a: Town, oidc_provider: Any) -> None:
    connect_sso(town_a, oidc_provider, enabled=False)
    assert "Dienstkonto" not in town_a.client().get("/anmelden").get_data(as_text=True)
    assert town_a.client().post("/anmelden/dienstkonto").status_code == 404


def test_the_provider_down_gives_a_clear_message_and_passwords_still_work(
    town_a: Town, oidc_provider: Any
) -> None:
    town_a.user("lokal@example.org")
    connect_sso(town_a, oidc_provider)
    oidc_provider.down = True
    response = town_a.client().post("/anmelden/dienstkonto")
    assert response.status_code == 503
    assert "nicht erreichbar" in response.get_data(as_text=True)
    login(town_a.client(), "lokal@example.org")


def test_a_provider_that_does_not_answer_at_all(town_a: Town, oidc_provider: Any) -> None:
    connect_sso(town_a, oidc_provider, issuer=f"http://127.0.0.1:{free_port()}")
    response = town_a.client().post("/anmelden/dienstkonto")
    assert response.status_code == 503
    assert "nicht erreichbar" in response.get_data(as_text=True)


def test_the_provider_down_between_start_and_callback(town_a: Town, oidc_provider: Any) -> None:
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    start = client.post("/anmelden/dienstkonto")
    answer = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    oidc_provider.down = True
    callback = urlsplit(answer.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 400
    assert "nicht erreichbar" in response.get_data(as_text=True)


def test_a_code_works_once(town_a: Town, oidc_provider: Any) -> None:
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    start = client.post("/anmelden/dienstkonto")
    answer = requests.get(start.headers["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(answer.headers["Location"])
    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    # The same answer again (a replay from the browser's history): refused.
    again = town_a.client()
    assert again.get(f"{callback.path}?{callback.query}").status_code == 400


def test_sign_out_ends_the_session_here_and_at_the_provider(
    town_a: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    sso_round_trip(client)
    response = client.post("/abmelden")
    assert response.status_code == 200
    match = re.search(r'href="([^"]*/logout\?[^"]*)"', response.get_data(as_text=True))
    assert match is not None
    target = html.unescape(match.group(1))
    assert target.startswith(f"{oidc_provider.issuer}/logout?")
    query = parse_qs(urlsplit(target).query)
    assert query["post_logout_redirect_uri"] == ["http://stadt-a.test/"]
    assert query["client_id"] == ["projektfabrik-stadt-a"]
    assert "id_token_hint" not in query  # the token holds the address: not in a URL
    assert client.get("/konto").status_code == 302


def test_the_client_secret_is_stored_encrypted_for_this_town(
    town_a: Town, town_b: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider)
    connect_sso(town_b, oidc_provider)
    with town_a.context():
        row_a = db.session.scalar(select(SignInSettings))
        assert row_a is not None
        assert "secret-stadt-a" not in row_a.sso_client_secret
        assert sso.client_secret(row_a) == "secret-stadt-a"
        stolen = row_a.sso_client_secret
    with town_b.context():
        row_b = db.session.scalar(select(SignInSettings))
        assert row_b is not None
        row_b.sso_client_secret = stolen
        from projektfabrik.plugins.secrets import SecretUnreadable

        with pytest.raises(SecretUnreadable):
            sso.client_secret(row_b)
        db.session.rollback()


def test_the_cli_connects_a_town(town_a: Town, app: Any) -> None:
    from projektfabrik.cli import main

    runner = app.test_cli_runner()
    result = runner.invoke(
        main,
        [
            "tenant", "sso", "stadt-a", "--issuer", "https://login.stadt-a.de/realms/stadt",
            "--client-id", "projektfabrik", "--client-secret-stdin", "--staff-domain",
            "stadt-a.de", "--admin-group", "pf-admins", "--provider-mfa",
        ],
        input="s3cret\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with town_a.context():
        row = db.session.scalar(select(SignInSettings))
        assert row is not None and row.sso_enabled and row.sso_provider_mfa
        assert row.sso_issuer == "https://login.stadt-a.de/realms/stadt"
        assert sso.client_secret(row) == "s3cret"
    bad = runner.invoke(
        main, ["tenant", "sso", "stadt-a", "--issuer", "ftp://x", "--client-id", "c"]
    )
    assert bad.exit_code != 0 and "https://" in bad.output


def test_an_unreadable_client_secret_is_a_clear_message(
    town_a: Town, town_b: Town, oidc_provider: Any, app: Any
) -> None:
    connect_sso(town_a, oidc_provider)
    app.config["SECRET_KEY"] = "rotated"  # the operator changed the key
    response = town_a.client().post("/anmelden/dienstkonto")
    assert response.status_code == 503
    assert "nicht erreichbar" in response.get_data(as_text=True)
    login_page = town_a.client().get("/anmelden")
    assert login_page.status_code == 200


def test_each_towns_admin_sees_only_their_own_connection(
    town_a: Town, town_b: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider)
    town_a.user("admin-a@example.org", role=Role.ADMIN)
    town_b.user("admin-b@example.org", role=Role.ADMIN)
    admin_a = town_a.client()
    login(admin_a, "admin-a@example.org")
    page_a = admin_a.get("/verwaltung/anmeldung").get_data(as_text=True)
    assert "projektfabrik-stadt-a" in page_a and oidc_provider.issuer in page_a
    assert "secret-stadt-a" not in page_a
    admin_b = town_b.client()
    login(admin_b, "admin-b@example.org")
    page_b = admin_b.get("/verwaltung/anmeldung").get_data(as_text=True)
    assert "projektfabrik-stadt-a" not in page_b and "Nicht verbunden" in page_b
    # Town A's admin cookie means nobody on town B's host.
    member = town_a.client()
    member.set_cookie("session", admin_a.cookie_value() or "", domain="stadt-b.test")
    member.base_url = "http://stadt-b.test"
    assert member.get("/verwaltung/anmeldung").status_code == 302
    # Members and visitors of town A do not see it.
    town_a.user("m@example.org")
    plain = town_a.client()
    login(plain, "m@example.org")
    assert plain.get("/verwaltung/anmeldung").status_code == 403
    assert town_a.client().get("/verwaltung/anmeldung").status_code == 302


def test_an_account_made_by_the_provider_deletes_after_a_fresh_sign_in(
    town_a: Town, oidc_provider: Any
) -> None:
    connect_sso(town_a, oidc_provider)
    oidc_provider.person = {**STAFF, "groups": []}
    client = town_a.client()
    sso_round_trip(client)
    settings_page = client.get("/konto").get_data(as_text=True)
    assert "Passwort ändern" not in settings_page and "Dienstkonto der Stadt an" in settings_page
    page = client.get("/konto/loeschen").get_data(as_text=True)
    assert 'name="delete-current_password"' not in page
    # Long after the sign-in, a stolen session alone does not delete the account.
    with client.session_transaction(base_url=client.base_url) as session:
        session["sso_at"] = session["sso_at"] - 11 * 60
    refused = client.post("/konto/loeschen", data={"delete-confirm": "y"})
    assert refused.status_code == 400
    assert "zehn Minuten" in refused.get_data(as_text=True)
    assert _person(town_a, STAFF["email"]) is not None
    # Right after signing in again through the provider, it does.
    sso_round_trip(client)
    done = client.post("/konto/loeschen", data={"delete-confirm": "y"})
    assert done.status_code == 302
    assert _person(town_a, STAFF["email"]) is None
    with town_a.context():
        assert db.session.scalar(select(SsoIdentity)) is None


def test_my_data_names_the_link_but_no_secret(town_a: Town, oidc_provider: Any) -> None:
    import json

    connect_sso(town_a, oidc_provider)
    oidc_provider.person = dict(STAFF)
    client = town_a.client()
    sso_round_trip(client)
    data = json.loads(client.get("/konto/daten.json").get_data(as_text=True))
    (link,) = data["records"]["sso_identity"]
    assert link["subject"] == STAFF["sub"] and link["you_are"] == ["user"]
    assert data["account"]["second_factor_since"] is None
