"""Nobody can pose as city staff: the kind "Verwaltung" and the office badge
come from the town's admin only, and staff names cannot be copied."""

from __future__ import annotations

from sqlalchemy import select

from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.extensions import db
from projektfabrik.testing import TEST_PASSWORD, Town, login


def _admin(town: Town, email: str = "admin@example.org"):  # type: ignore[no-untyped-def]
    town.user(email, role=Role.ADMIN)
    client = town.client()
    login(client, email)
    return client


def _register(client, name: str, kind: str = "citizen", email: str = "neu@example.org"):  # type: ignore[no-untyped-def]
    return client.post(
        "/registrieren",
        data={"display_name": name, "email": email, "password": TEST_PASSWORD,
              "kind": kind, "accept_privacy": "y"},
    )  # fmt: skip


def _person(town: Town, email: str) -> User:
    with town.context():
        db.session.expire_all()  # what the requests wrote, not what this session saw before
        found = db.session.scalar(select(User).where(User.email == email))
        assert found is not None
        return found


def test_nobody_chooses_the_staff_kind_themselves(town_a: Town) -> None:
    page = town_a.client().get("/registrieren").get_data(as_text=True)
    assert 'value="administration"' not in page
    response = _register(town_a.client(), "Vera Verwaltung", kind="administration")
    assert response.status_code == 200  # the form again, with the error beside the field
    with town_a.context():
        assert db.session.scalar(select(User)) is None
    town_a.user("p@example.org")
    client = town_a.client()
    login(client, "p@example.org")
    response = client.post(
        "/profil", data={"display_name": "P", "kind": "administration", "district": ""}
    )
    assert response.status_code == 200
    assert _person(town_a, "p@example.org").kind == Kind.CITIZEN


def test_the_admin_confirms_staff_who_show_a_confirmed_badge(town_a: Town) -> None:
    admin = _admin(town_a)
    town_a.user("bauamt@example.org", name="Berta Bau")
    assert "/verwaltung/mitarbeitende" in admin.get("/verwaltung/").get_data(as_text=True)
    response = admin.post(
        "/verwaltung/mitarbeitende",
        data={"email": "bauamt@example.org", "organisation": "Bauamt"},
    )
    assert response.status_code == 302
    person = _person(town_a, "bauamt@example.org")
    assert person.is_confirmed_staff and person.confirmed_organisation == "Bauamt"
    page = admin.get("/verwaltung/mitarbeitende").get_data(as_text=True)
    assert "Berta Bau" in page and "badge-confirmed" in page and "bestätigt" in page
    # The staff member keeps the kind when saving the profile, and cannot drop the badge.
    staff = town_a.client()
    login(staff, "bauamt@example.org")
    response = staff.post(
        "/profil", data={"display_name": "Berta Bau", "kind": "administration", "district": ""}
    )
    assert response.status_code == 302
    assert _person(town_a, "bauamt@example.org").is_confirmed_staff
    # Revoked: a citizen again.
    assert admin.post(f"/verwaltung/mitarbeitende/{person.ref}/entziehen").status_code == 302
    revoked = _person(town_a, "bauamt@example.org")
    assert not revoked.is_confirmed_staff and revoked.kind == Kind.CITIZEN


def test_a_confirmed_staff_name_cannot_be_taken(town_a: Town) -> None:
    admin = _admin(town_a)
    town_a.user("bm@example.org", name="Bernd Bürgermeister")
    admin.post(
        "/verwaltung/mitarbeitende", data={"email": "bm@example.org", "organisation": "Rathaus"}
    )
    for name in ("Bernd Bürgermeister", "  bernd   BÜRGERMEISTER ", "Ｂｅｒｎｄ Bürgermeister"):
        response = _register(town_a.client(), name)
        assert response.status_code == 200, name
        assert "Verwaltung" in response.get_data(as_text=True)
    with town_a.context():
        assert db.session.scalar(select(User).where(User.email == "neu@example.org")) is None
    town_a.user("copy@example.org", name="Someone")
    client = town_a.client()
    login(client, "copy@example.org")
    response = client.post(
        "/profil", data={"display_name": "Bernd Bürgermeister", "kind": "citizen", "district": ""}
    )
    assert response.status_code == 200
    assert _person(town_a, "copy@example.org").display_name == "Someone"
    # The same name in another town is that town's business.


def test_staff_pages_are_for_the_towns_admin_only(town_a: Town, town_b: Town) -> None:
    town_a.user("member@example.org")
    member = town_a.client()
    login(member, "member@example.org")
    assert member.get("/verwaltung/mitarbeitende").status_code == 403
    assert town_a.client().get("/verwaltung/mitarbeitende").status_code == 302
    target = town_a.user("staff@example.org", name="Sina Staff")
    admin_a = _admin(town_a)
    admin_a.post(
        "/verwaltung/mitarbeitende", data={"email": "staff@example.org", "organisation": "Amt"}
    )
    # Town B's admin neither sees nor confirms nor revokes town A's people.
    admin_b = _admin(town_b, "admin-b@example.org")
    assert "Sina Staff" not in admin_b.get("/verwaltung/mitarbeitende").get_data(as_text=True)
    town_a.user("other@example.org")
    response = admin_b.post(
        "/verwaltung/mitarbeitende", data={"email": "other@example.org", "organisation": "Amt"}
    )
    assert response.status_code == 400
    assert not _person(town_a, "other@example.org").is_confirmed_staff
    assert admin_b.post(f"/verwaltung/mitarbeitende/{target.ref}/entziehen").status_code == 404
    assert _person(town_a, "staff@example.org").is_confirmed_staff
    # A staff name of town A is free in town B.
    assert _register(town_b.client(), "Sina Staff").status_code == 302
