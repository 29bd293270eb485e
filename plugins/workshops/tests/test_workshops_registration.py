"""Registering, the waiting list, cancelling with promotion, mails and links."""

from __future__ import annotations

import re
from datetime import timedelta

from projektfabrik_workshops import services
from projektfabrik_workshops.models import Registration, RegState, WorkshopState
from sqlalchemy import select
from workshops_support import Setup, make_workshop, reload

from projektfabrik.accounts.models import User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.testing import Mailbox, body_of, login, visible_text


def _register(setup: Setup, ref: str, email: str, attendance: str = "onsite") -> str:
    person = setup.town.user(email=email, name=email.split("@")[0].capitalize())
    client = setup.town.client()
    login(client, person.email)
    response = client.post(
        f"/werkstatt/{ref}/anmelden", data={"attendance": attendance, "needs": "Kinderbetreuung"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client.get(f"/werkstatt/{ref}").get_data(as_text=True)


def _states(setup: Setup, ref: str) -> dict[str, RegState]:
    with setup.town.context():
        rows = db.session.scalars(
            select(Registration)
            .join(Registration.workshop)
            .where(Registration.workshop.has(ref=ref))
        )
        return {r.email: r.state for r in rows}


def test_the_page_says_seat_or_place_on_the_waiting_list(ws_a: Setup, mailbox: Mailbox) -> None:
    workshop = make_workshop(ws_a.town, capacity=2)
    first = _register(ws_a, workshop.ref, "eins@example.org")
    assert "Sie sind angemeldet." in first
    _register(ws_a, workshop.ref, "zwei@example.org")
    third = _register(ws_a, workshop.ref, "drei@example.org")
    assert "Sie stehen auf Platz 1 der Warteliste." in third
    fourth = _register(ws_a, workshop.ref, "vier@example.org")
    assert "Sie stehen auf Platz 2 der Warteliste." in fourth
    public = visible_text(
        ws_a.town.client().get(f"/werkstatt/{workshop.ref}").get_data(as_text=True)
    )
    assert "Ausgebucht · 2 Personen warten" in public
    assert "Sie haben einen Platz" in body_of(mailbox.wait_for("eins@example.org"))
    assert "Platz 1 der Warteliste" in body_of(mailbox.wait_for("drei@example.org"))


def test_cancelling_gives_the_seat_to_the_first_waiting_and_tells_them(
    ws_a: Setup, mailbox: Mailbox
) -> None:
    workshop = make_workshop(ws_a.town, capacity=1)
    _register(ws_a, workshop.ref, "eins@example.org")
    _register(ws_a, workshop.ref, "zwei@example.org")
    _register(ws_a, workshop.ref, "drei@example.org")
    client = ws_a.town.client()
    login(client, "eins@example.org")
    assert client.post(f"/werkstatt/{workshop.ref}/abmelden").status_code == 302
    states = _states(ws_a, workshop.ref)
    assert states == {
        "eins@example.org": RegState.CANCELLED,
        "zwei@example.org": RegState.CONFIRMED,
        "drei@example.org": RegState.WAITING,
    }
    promoted = mailbox.wait_for("zwei@example.org", count=2)
    assert promoted["Subject"] == f"Ein Platz für Sie: {workshop.title}"
    page = ws_a.town.client()
    login(page, "drei@example.org")
    assert "Sie stehen auf Platz 1 der Warteliste." in page.get(
        f"/werkstatt/{workshop.ref}"
    ).get_data(as_text=True)


def test_the_cancel_link_in_every_mail_works_and_needs_no_login(
    ws_a: Setup, mailbox: Mailbox
) -> None:
    workshop = make_workshop(ws_a.town, capacity=1)
    _register(ws_a, workshop.ref, "eins@example.org")
    _register(ws_a, workshop.ref, "zwei@example.org")
    mail = mailbox.wait_for("eins@example.org")
    link = re.search(r"https?://[^/\s]+(/werkstatt/teilnahme/\S+)", body_of(mail))
    assert link is not None
    visitor = ws_a.town.client()
    page = visitor.get(link.group(1))
    assert page.status_code == 200
    assert "Abmelden" in page.get_data(as_text=True)
    visitor.post(link.group(1), data={"action": "cancel"})
    assert _states(ws_a, workshop.ref)["zwei@example.org"] == RegState.CONFIRMED
    assert _states(ws_a, workshop.ref)["eins@example.org"] == RegState.CANCELLED


def test_without_an_account_the_address_is_confirmed_first(ws_a: Setup, mailbox: Mailbox) -> None:
    workshop = make_workshop(ws_a.town, capacity=5)
    client = ws_a.town.client()
    response = client.post(
        f"/werkstatt/{workshop.ref}/anmelden",
        data={"name": "Gast Person", "email": "gast@example.org", "attendance": "online"},
    )
    assert response.status_code == 302
    assert _states(ws_a, workshop.ref) == {"gast@example.org": RegState.UNCONFIRMED}
    # Unconfirmed addresses hold no seat.
    assert "5 freie Plätze" in visible_text(
        client.get(f"/werkstatt/{workshop.ref}").get_data(as_text=True)
    )
    mail = mailbox.wait_for("gast@example.org")
    assert mail["Subject"].startswith("Bitte bestätigen Sie Ihre Anmeldung")
    path = re.search(r"https?://[^/\s]+(/werkstatt/teilnahme/\S+)", body_of(mail))
    assert path is not None
    # Opening the link changes nothing (mail scanners open links); the button does.
    assert client.get(path.group(1)).status_code == 200
    assert _states(ws_a, workshop.ref) == {"gast@example.org": RegState.UNCONFIRMED}
    client.post(path.group(1), data={"action": "confirm"})
    assert _states(ws_a, workshop.ref) == {"gast@example.org": RegState.CONFIRMED}
    welcome = mailbox.wait_for("gast@example.org", count=2)
    assert "/registrieren" in body_of(welcome)  # invited to create an account
    assert "4 freie Plätze" in visible_text(
        client.get(f"/werkstatt/{workshop.ref}").get_data(as_text=True)
    )


def test_bad_registration_input_keeps_what_was_typed(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town, online_url="")
    client = ws_a.town.client()
    response = client.post(
        f"/werkstatt/{workshop.ref}/anmelden",
        data={"name": "Gast", "email": "kein-at-zeichen", "attendance": "online", "needs": "Rampe"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in page
    assert "Rampe" in page and "kein-at-zeichen" in page
    assert _states(ws_a, workshop.ref) == {}


def test_the_same_address_cannot_register_twice(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town)
    _register(ws_a, workshop.ref, "eins@example.org")
    response = ws_a.town.client().post(
        f"/werkstatt/{workshop.ref}/anmelden",
        data={"name": "Noch mal", "email": "EINS@example.org", "attendance": "onsite"},
    )
    assert response.status_code == 422
    assert "schon jemand für die Werkstatt angemeldet" in response.get_data(as_text=True)


def test_registration_closes_at_the_deadline(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town, registration_deadline=utcnow() - timedelta(hours=1))
    page = ws_a.town.client().get(f"/werkstatt/{workshop.ref}").get_data(as_text=True)
    assert "Die Anmeldung für diese Werkstatt ist geschlossen." in page
    response = ws_a.town.client().post(
        f"/werkstatt/{workshop.ref}/anmelden",
        data={"name": "Spät", "email": "spaet@example.org", "attendance": "onsite"},
    )
    assert response.status_code == 422
    assert _states(ws_a, workshop.ref) == {}


def test_reminders_go_out_once_a_day_before(ws_a: Setup, mailbox: Mailbox) -> None:
    soon = make_workshop(
        ws_a.town,
        starts_at=utcnow() + timedelta(hours=20),
        ends_at=utcnow() + timedelta(hours=23),
        capacity=1,
    )
    later = make_workshop(ws_a.town, title="Später")
    _register(ws_a, soon.ref, "eins@example.org")
    _register(ws_a, soon.ref, "zwei@example.org")  # waiting: no reminder
    _register(ws_a, later.ref, "drei@example.org")
    runner = ws_a.town.app.test_cli_runner()
    result = runner.invoke(args=["workshops", "remind", "--tenant", ws_a.town.slug])
    assert result.exit_code == 0, result.output
    assert f"{ws_a.town.slug}: 1 reminder(s)" in result.output
    again = runner.invoke(args=["workshops", "remind"])
    assert f"{ws_a.town.slug}: 0 reminder(s)" in again.output
    reminder = mailbox.wait_for("eins@example.org", count=2)
    assert reminder["Subject"] == f"Morgen: {soon.title}"
    assert "/werkstatt/teilnahme/" in body_of(reminder)  # the cancel link
    assert all(not m["Subject"].startswith("Morgen") for m in mailbox.to("zwei@example.org"))
    assert all(not m["Subject"].startswith("Morgen") for m in mailbox.to("drei@example.org"))


def test_the_reminder_command_refuses_a_town_with_workshops_off(ws_a: Setup, town_b) -> None:  # type: ignore[no-untyped-def]
    result = ws_a.town.app.test_cli_runner().invoke(
        args=["workshops", "remind", "--tenant", town_b.slug]
    )
    assert result.exit_code != 0
    assert "switched off" in result.output


def test_a_change_of_time_tells_everyone_and_raises_the_calendar_sequence(
    ws_a: Setup, mailbox: Mailbox
) -> None:
    workshop = make_workshop(ws_a.town)
    _register(ws_a, workshop.ref, "eins@example.org")
    admin = ws_a.town.client()
    login(admin, ws_a.admin.email)
    form = admin.get(f"/werkstatt/verwaltung/{workshop.ref}").get_data(as_text=True)
    assert "Projektwerkstatt Test" in form
    response = admin.post(
        f"/werkstatt/verwaltung/{workshop.ref}",
        data={
            "title": workshop.title,
            "day": (workshop.starts_at + timedelta(days=7)).date().isoformat(),
            "start": "18:00",
            "end": "21:00",
            "place": "Bürgerhaus",
            "online_url": "",
            "capacity": "10",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    changed = mailbox.wait_for("eins@example.org", count=2)
    assert changed["Subject"] == f"Geändert: {workshop.title}"
    assert "Bürgerhaus" in body_of(changed)
    assert reload(ws_a.town, workshop.ref).sequence == 1
    ics = ws_a.town.client().get(f"/werkstatt/{workshop.ref}/kalender.ics").get_data(as_text=True)
    assert "SEQUENCE:1" in ics


def test_cancelling_the_workshop_tells_everyone(ws_a: Setup, mailbox: Mailbox) -> None:
    workshop = make_workshop(ws_a.town, capacity=1)
    _register(ws_a, workshop.ref, "eins@example.org")
    _register(ws_a, workshop.ref, "zwei@example.org")
    admin = ws_a.town.client()
    login(admin, ws_a.admin.email)
    response = admin.post(f"/werkstatt/verwaltung/{workshop.ref}/absagen", follow_redirects=True)
    assert "2 Personen wurden informiert" in response.get_data(as_text=True)
    assert reload(ws_a.town, workshop.ref).state == WorkshopState.CANCELLED
    for address in ("eins@example.org", "zwei@example.org"):
        assert mailbox.wait_for(address, count=2)["Subject"] == f"Abgesagt: {workshop.title}"
    ics = ws_a.town.client().get("/werkstatt/kalender.ics").get_data(as_text=True)
    assert "STATUS:CANCELLED" in ics


def test_lowering_the_capacity_below_the_seats_taken_is_refused(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town, capacity=3)
    _register(ws_a, workshop.ref, "eins@example.org")
    _register(ws_a, workshop.ref, "zwei@example.org")
    with ws_a.town.request_context():
        found = services.find(workshop.ref)
        admin = db.session.get(User, ws_a.admin.id)
        assert found is not None and admin is not None
        details = services.Details(
            title=found.title, description="", day=found.starts_at.date(),
            start=found.starts_at.astimezone(services.town_zone()).time(),
            end=found.ends_at.astimezone(services.town_zone()).time(),
            place=found.place, accessibility="", online_url=found.online_url, capacity=1,
            deadline_days=None, topics="", invited_projects=[], moderator=None,
        )  # fmt: skip
        try:
            services.change(found, details, admin)
        except services.WorkshopError as error:
            assert "2 Personen haben schon einen Platz" in error.message
        else:
            raise AssertionError("the capacity was lowered below the seats taken")
        db.session.rollback()
