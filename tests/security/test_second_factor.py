"""A second factor (TOTP and recovery codes): set-up, sign-in by every way in,
wrong and replayed codes, the town's requirement and an admin's reset."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import select

from projektfabrik.accounts import secondfactor
from projektfabrik.accounts.models import RecoveryCode, Role, SignInSettings, User
from projektfabrik.audit.models import AuditEntry
from projektfabrik.extensions import db
from projektfabrik.testing import (
    TEST_PASSWORD,
    Mailbox,
    Town,
    connect_sso,
    links_in,
    login,
    sso_round_trip,
)


def _person(town: Town, email: str) -> User:
    with town.context():
        db.session.expire_all()
        found = db.session.scalar(select(User).where(User.email == email))
        assert found is not None
        return found


def _code(secret: str, offset: int = 0) -> str:
    return pyotp.TOTP(secret).at(int(time.time()) + offset * 30)


def _set_up(client: Any) -> tuple[str, list[str]]:
    """Through the pages, as a person would: returns the key and the recovery codes."""
    assert client.post("/konto/zweiter-faktor/einrichten").status_code == 302
    page = client.get("/konto/zweiter-faktor").get_data(as_text=True)
    match = re.search(r'<code class="totp-key">([A-Z2-7 ]+)</code>', page)
    assert match, page
    secret = match.group(1).replace(" ", "")
    done = client.post("/konto/zweiter-faktor/bestaetigen", data={"confirm-code": _code(secret)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = re.findall(r"<code>([0-9A-F]{5}-[0-9A-F]{5})</code>", done.get_data(as_text=True))
    assert len(codes) == secondfactor.RECOVERY_CODES
    return secret, codes


def _with_second_factor(town: Town, email: str, role: Role = Role.MEMBER) -> tuple[str, list[str]]:
    town.user(email, role=role)
    client = town.client()
    login(client, email)
    return _set_up(client)


def _password_step(town: Town, email: str) -> Any:
    client = town.client()
    response = client.post("/anmelden", data={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/anmelden/code")
    return client


def _logged_in(client: Any) -> bool:
    return client.get("/konto").status_code == 200


def test_set_up_needs_a_right_code(town_a: Town) -> None:
    town_a.user("rita@example.org")
    client = town_a.client()
    login(client, "rita@example.org")
    client.post("/konto/zweiter-faktor/einrichten")
    wrong = client.post("/konto/zweiter-faktor/bestaetigen", data={"confirm-code": "000000"})
    assert wrong.status_code == 400
    assert "nicht richtig" in wrong.get_data(as_text=True)
    assert not _person(town_a, "rita@example.org").has_second_factor
    secret, codes = _set_up(client)
    person = _person(town_a, "rita@example.org")
    assert person.has_second_factor
    # Stored encrypted; recovery codes only as hashes.
    assert person.totp_secret is not None and secret not in person.totp_secret
    with town_a.context():
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == len(codes)
    assert not any(code.replace("-", "") in "".join(hashes) for code in codes)


def test_sign_in_asks_for_the_code_after_the_password(town_a: Town) -> None:
    secret, _codes = _with_second_factor(town_a, "rita@example.org")
    client = _password_step(town_a, "rita@example.org")
    assert not _logged_in(client)  # the password alone is not enough
    page = client.get("/anmelden/code").get_data(as_text=True)
    assert "Zweiter Faktor" in page
    wrong = client.post("/anmelden/code", data={"code": "123456"})
    assert wrong.status_code == 400
    assert "nicht richtig" in wrong.get_data(as_text=True)
    assert not _logged_in(client)
    right = client.post("/anmelden/code", data={"code": _code(secret, 1)})
    assert right.status_code == 302
    assert _logged_in(client)


def test_a_code_works_only_once(town_a: Town) -> None:
    secret, _codes = _with_second_factor(town_a, "rita@example.org")
    code = _code(secret, 1)
    first = _password_step(town_a, "rita@example.org")
    assert first.post("/anmelden/code", data={"code": code}).status_code == 302
    # Someone who saw the code (over the shoulder, a phishing page) tries it at once.
    second = _password_step(town_a, "rita@example.org")
    assert second.post("/anmelden/code", data={"code": code}).status_code == 400
    assert not _logged_in(second)
    # So does an earlier one, still inside the clock window.
    assert second.post("/anmelden/code", data={"code": _code(secret, 0)}).status_code == 400


def test_recovery_codes_work_once_each(town_a: Town) -> None:
    _secret, codes = _with_second_factor(town_a, "rita@example.org")
    client = _password_step(town_a, "rita@example.org")
    used = client.post("/anmelden/code", data={"code": codes[0].lower()}, follow_redirects=True)
    assert used.status_code == 200
    assert "9 Codes sind noch übrig" in used.get_data(as_text=True)
    again = _password_step(town_a, "rita@example.org")
    assert again.post("/anmelden/code", data={"code": codes[0]}).status_code == 400
    assert again.post("/anmelden/code", data={"code": codes[1]}).status_code == 302


def test_wrong_codes_are_limited(town_a: Town, app: Any) -> None:
    app.config["RATELIMIT_ENABLED"] = True
    secret, _codes = _with_second_factor(town_a, "rita@example.org")
    client = _password_step(town_a, "rita@example.org")
    for _attempt in range(5):
        assert client.post("/anmelden/code", data={"code": "000000"}).status_code == 400
    # Past the limit even the right code is not checked.
    blocked = client.post("/anmelden/code", data={"code": _code(secret, 1)})
    assert blocked.status_code == 400
    assert "Viertelstunde" in blocked.get_data(as_text=True)
    assert not _logged_in(client)


def test_the_code_step_expires_and_follows_the_account(town_a: Town) -> None:
    _with_second_factor(town_a, "rita@example.org")
    client = _password_step(town_a, "rita@example.org")
    with client.session_transaction(base_url=client.base_url) as session:
        pending = session["second_factor"]
        session["second_factor"] = {**pending, "at": pending["at"] - 11 * 60}
    assert client.get("/anmelden/code").headers["Location"].endswith("/anmelden")
    # Nobody reaches the code page without the password first.
    assert town_a.client().get("/anmelden/code").status_code == 302


def test_the_sign_in_link_asks_for_the_code_too(town_a: Town, mailbox: Mailbox) -> None:
    secret, _codes = _with_second_factor(town_a, "rita@example.org")
    client = town_a.client()
    client.post("/anmelden/link", data={"email": "rita@example.org"})
    link = next(u for u in links_in(mailbox.wait_for("rita@example.org")) if "/anmelden/link/" in u)
    path = urlsplit(link).path
    response = client.post(path)
    assert response.headers["Location"].endswith("/anmelden/code")
    assert not _logged_in(client)
    # The link is spent even though the login waits for the code.
    assert town_a.client().post(path).status_code == 400
    assert client.post("/anmelden/code", data={"code": _code(secret, 1)}).status_code == 302
    assert _logged_in(client)


def test_a_new_password_asks_for_the_code_too(town_a: Town, mailbox: Mailbox) -> None:
    _with_second_factor(town_a, "rita@example.org")
    client = town_a.client()
    client.post("/passwort-vergessen", data={"email": "rita@example.org"})
    link = next(u for u in links_in(mailbox.wait_for("rita@example.org")) if "/passwort-neu/" in u)
    response = client.post(
        urlsplit(link).path,
        data={"password": "ein neues langes Passwort", "confirm": "ein neues langes Passwort"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/anmelden/code")
    assert not _logged_in(client)


def test_switching_off_needs_a_code(town_a: Town) -> None:
    town_a.user("rita@example.org")
    client = town_a.client()
    login(client, "rita@example.org")
    secret, _codes = _set_up(client)
    wrong = client.post("/konto/zweiter-faktor/ausschalten", data={"code-code": "999999"})
    assert wrong.status_code == 400
    assert _person(town_a, "rita@example.org").has_second_factor
    new = client.post("/konto/zweiter-faktor/neue-codes", data={"code-code": _code(secret, 1)})
    assert new.status_code == 200
    assert "bisherigen Wiederherstellungscodes gelten nicht mehr" in new.get_data(as_text=True)
    fresh = re.findall(r"<code>([0-9A-F]{5}-[0-9A-F]{5})</code>", new.get_data(as_text=True))
    again = client.post("/konto/zweiter-faktor/ausschalten", data={"code-code": _code(secret, 1)})
    assert again.status_code == 400  # the step just used: a replay
    assert _person(town_a, "rita@example.org").has_second_factor
    off = client.post("/konto/zweiter-faktor/ausschalten", data={"code-code": fresh[0]})
    assert off.status_code == 302
    person = _person(town_a, "rita@example.org")
    assert not person.has_second_factor and person.totp_secret is None
    login(town_a.client(), "rita@example.org")  # the password alone again


def _require(town: Town) -> None:
    with town.context():
        secondfactor.settings_for_update().require_second_factor = True
        db.session.commit()


def test_the_town_requires_it_of_admins_and_moderators(town_a: Town) -> None:
    town_a.user("admin@example.org", role=Role.ADMIN)
    town_a.user("mod@example.org", role=Role.MODERATOR)
    town_a.user("member@example.org")
    _require(town_a)
    admin = town_a.client()
    login(admin, "admin@example.org")
    gated = admin.get("/verwaltung/")
    assert gated.status_code == 302
    assert gated.headers["Location"].endswith("/konto/zweiter-faktor")
    moderator = town_a.client()
    login(moderator, "mod@example.org")
    assert moderator.get("/moderation").headers["Location"].endswith("/konto/zweiter-faktor")
    member = town_a.client()
    login(member, "member@example.org")
    assert member.get("/konto").status_code == 200  # members are not asked
    _set_up(admin)
    assert admin.get("/verwaltung/").status_code == 200


def test_a_requirement_switched_on_gates_the_next_request(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    # The requirement is kept per worker (secondfactor.required_for): asking
    # again sends no statement, and switching it on ends what was kept.
    town_a.user("admin@example.org", role=Role.ADMIN)
    admin = town_a.client()
    login(admin, "admin@example.org")
    assert admin.get("/verwaltung/").status_code == 200
    with count_queries() as counter:
        assert admin.get("/verwaltung/").status_code == 200
    assert not any("sign_in_settings" in s for s in counter.statements)
    _require(town_a)
    gated = admin.get("/verwaltung/")
    assert gated.status_code == 302
    assert gated.headers["Location"].endswith("/konto/zweiter-faktor")


def test_an_admin_switches_the_requirement_only_with_their_own(town_a: Town) -> None:
    town_a.user("admin@example.org", role=Role.ADMIN)
    admin = town_a.client()
    login(admin, "admin@example.org")
    admin.post("/verwaltung/anmeldung/zweiter-faktor", data={"required": "1"})
    with town_a.context():
        assert db.session.scalar(select(SignInSettings)) is None
    _set_up(admin)
    assert admin.get("/verwaltung/anmeldung").status_code == 200
    admin.post("/verwaltung/anmeldung/zweiter-faktor", data={"required": "1"})
    with town_a.context():
        row = db.session.scalar(select(SignInSettings))
        assert row is not None and row.require_second_factor
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "sign_in.second_factor_required" in actions


def test_another_admin_resets_a_lost_second_factor(
    town_a: Town, town_b: Town, mailbox: Mailbox
) -> None:
    _with_second_factor(town_a, "lost@example.org", role=Role.MODERATOR)
    lost = _person(town_a, "lost@example.org")
    town_a.user("admin@example.org", role=Role.ADMIN)
    admin = town_a.client()
    login(admin, "admin@example.org")
    page = admin.get("/verwaltung/anmeldung").get_data(as_text=True)
    assert lost.display_name in page
    # Another town's admin finds nobody of this town.
    town_b.user("admin-b@example.org", role=Role.ADMIN)
    admin_b = town_b.client()
    login(admin_b, "admin-b@example.org")
    assert admin_b.post(f"/verwaltung/anmeldung/{lost.ref}/zuruecksetzen").status_code == 404
    # This town's admin may.
    assert admin.post(f"/verwaltung/anmeldung/{lost.ref}/zuruecksetzen").status_code == 302
    person = _person(town_a, "lost@example.org")
    assert not person.has_second_factor
    told = mailbox.wait_for("lost@example.org")
    assert "zweiter Faktor ist ausgeschaltet" in str(told["Subject"])
    with town_a.context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "second_factor.reset")
        )
        assert entry is not None and entry.subject_id == person.id
        assert db.session.scalar(select(RecoveryCode)) is None
    login(town_a.client(), "lost@example.org")  # the password alone again


def test_admins_cannot_reset_their_own_here(town_a: Town) -> None:
    secret, _codes = _with_second_factor(town_a, "admin@example.org", role=Role.ADMIN)
    me = _person(town_a, "admin@example.org")
    client = _password_step(town_a, "admin@example.org")
    client.post("/anmelden/code", data={"code": _code(secret, 1)})
    assert client.post(f"/verwaltung/anmeldung/{me.ref}/zuruecksetzen").status_code == 404
    assert _person(town_a, "admin@example.org").has_second_factor


def test_a_moderator_cannot_reset(town_a: Town) -> None:
    _with_second_factor(town_a, "a@example.org", role=Role.ADMIN)
    target = _person(town_a, "a@example.org")
    town_a.user("mod@example.org", role=Role.MODERATOR)
    moderator = town_a.client()
    login(moderator, "mod@example.org")
    assert moderator.post(f"/verwaltung/anmeldung/{target.ref}/zuruecksetzen").status_code == 403


@pytest.mark.parametrize("declared", [True, False])
def test_staff_through_the_provider(town_a: Town, oidc_provider: Any, declared: bool) -> None:
    connect_sso(town_a, oidc_provider, provider_mfa=declared)
    _require(town_a)
    oidc_provider.person = {
        "sub": "u-7",
        "email": "chef@stadt-a.de",
        "email_verified": True,
        "name": "Chef",
        "groups": ["pf-admins"],
    }
    client = town_a.client()
    assert sso_round_trip(client).status_code == 302
    page = client.get("/verwaltung/")
    if declared:
        # The operator declared that the provider demands a second factor itself.
        assert page.status_code == 200
    else:
        assert page.headers["Location"].endswith("/konto/zweiter-faktor")
        secret, _codes = _set_up(client)
        # From now on the provider's sign-in is followed by the code.
        again = town_a.client()
        response = sso_round_trip(again)
        assert response.headers["Location"].endswith("/anmelden/code")
        assert again.post("/anmelden/code", data={"code": _code(secret, 1)}).status_code == 302
        assert again.get("/verwaltung/").status_code == 200


def test_deleting_the_account_drops_the_second_factor_and_the_provider_link(
    town_a: Town, oidc_provider: Any
) -> None:
    from projektfabrik.accounts import services
    from projektfabrik.accounts.models import SsoIdentity

    connect_sso(town_a, oidc_provider)
    town_a.user("rita@example.org")
    client = town_a.client()
    login(client, "rita@example.org")
    _set_up(client)
    oidc_provider.person = {"sub": "s-1", "email": "rita@example.org", "email_verified": True}
    with town_a.request_context():
        person = db.session.scalar(select(User).where(User.email == "rita@example.org"))
        assert person is not None
        db.session.add(SsoIdentity(user_id=person.id, issuer=oidc_provider.issuer, subject="s-1"))
        services.anonymise(person)
        db.session.commit()
        assert db.session.scalar(select(SsoIdentity)) is None
        assert db.session.scalar(select(RecoveryCode)) is None
        assert person.totp_secret is None
    # Signing in through the provider again makes a new, empty account.
    assert sso_round_trip(town_a.client()).status_code == 302
    assert _person(town_a, "rita@example.org").has_second_factor is False


def test_a_secret_copied_from_another_account_opens_nothing(town_a: Town) -> None:
    secret, _codes = _with_second_factor(town_a, "rita@example.org")
    _with_second_factor(town_a, "mallory@example.org")
    rita = _person(town_a, "rita@example.org")
    with town_a.context():
        mallory = db.session.scalar(select(User).where(User.email == "mallory@example.org"))
        assert mallory is not None
        mallory.totp_secret = rita.totp_secret  # a database write by someone
        db.session.commit()
    client = _password_step(town_a, "mallory@example.org")
    response = client.post("/anmelden/code", data={"code": _code(secret, 1)})
    assert response.status_code == 400  # a clear "not correct", no server error
    assert not _logged_in(client)


def test_the_operator_resets_it_when_the_town_has_no_other_admin(town_a: Town, app: Any) -> None:
    from projektfabrik.cli import main

    _with_second_factor(town_a, "chef@example.org", role=Role.ADMIN)
    runner = app.test_cli_runner()
    args = ["user", "reset-second-factor", "--tenant", "stadt-a", "--email", "chef@example.org"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert not _person(town_a, "chef@example.org").has_second_factor
    with town_a.context():
        entry = db.session.scalar(select(AuditEntry))
        assert entry is not None and entry.action == "second_factor.reset"
        assert entry.actor_id is None
    assert runner.invoke(main, args).exit_code != 0  # nothing left to reset


def test_an_admin_without_it_has_no_admin_rights_over_projects(town_a: Town) -> None:
    from projektfabrik.projects.access import is_town_admin

    admin = town_a.user("admin@example.org", role=Role.ADMIN)
    with town_a.request_context():
        assert is_town_admin(db.session.get(User, admin.id))
    _require(town_a)
    with town_a.request_context():
        assert not is_town_admin(db.session.get(User, admin.id))
