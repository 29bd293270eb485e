"""Planning workshops (series, publish, bad input), the board, the protocol and a
project's history."""

from __future__ import annotations

from datetime import date

from projektfabrik_workshops import services
from projektfabrik_workshops.models import ItemKind, Workshop, WorkshopState
from sqlalchemy import select
from workshops_support import Setup, make_workshop, reload

from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.testing import Mailbox, body_of, login, visible_text


def _form(**values: str) -> dict[str, str]:
    data = {
        "title": "Projektwerkstatt",
        "description": "Ideen treffen sich.",
        "day": "2027-01-05",  # the first Tuesday of January 2027
        "start": "17:00",
        "end": "20:00",
        "place": "Rathaus",
        "accessibility": "Stufenloser Zugang",
        "online_url": "",
        "capacity": "10",
        "repeat": "none",
        "count": "1",
    }
    data.update(values)
    return data


def test_a_series_every_first_tuesday(ws_a: Setup) -> None:
    client = ws_a.town.client()
    login(client, ws_a.admin.email)
    response = client.post(
        "/werkstatt/verwaltung/neu", data=_form(repeat="monthly_weekday", count="4")
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with ws_a.town.context():
        rows = list(db.session.scalars(select(Workshop).order_by(Workshop.starts_at)))
        days = [w.starts_at.astimezone(services.town_zone()).date() for w in rows]
        assert days == [date(2027, 1, 5), date(2027, 2, 2), date(2027, 3, 2), date(2027, 4, 6)]
        assert len({w.series_ref for w in rows}) == 1
        assert all(w.state == WorkshopState.DRAFT for w in rows)
        # 17:00 on the town's clock, winter time.
        assert rows[0].starts_at.astimezone(services.town_zone()).hour == 17
        first = rows[0].ref
    page = client.get(f"/werkstatt/verwaltung/{first}").get_data(as_text=True)
    assert "Termine dieser Reihe" in page
    assert client.get(f"/werkstatt/{first}").status_code == 200  # planners see drafts
    assert ws_a.town.client().get(f"/werkstatt/{first}").status_code == 404
    client.post(f"/werkstatt/verwaltung/{first}/veroeffentlichen")
    assert reload(ws_a.town, first).state == WorkshopState.PUBLISHED
    public = ws_a.town.client().get("/werkstatt/").get_data(as_text=True)
    assert "10 freie Plätze" in visible_text(public)


def test_weekly_series_helper() -> None:
    days = services.series_days(date(2027, 1, 5), "weekly", 3)
    assert days == [date(2027, 1, 5), date(2027, 1, 12), date(2027, 1, 19)]
    assert services.series_days(date(2027, 1, 29), "monthly_weekday", 2) == [
        date(2027, 1, 29),  # the fifth Friday: next month, the last Friday
        date(2027, 2, 26),
    ]


def test_bad_planning_input_is_explained_and_kept(ws_a: Setup) -> None:
    client = ws_a.town.client()
    login(client, ws_a.admin.email)
    cases = [
        (_form(end="16:00"), "Die Werkstatt muss nach ihrem Beginn enden."),
        (
            _form(place="", online_url=""),
            "Bitte geben Sie einen Ort, einen Online-Link oder beides an.",
        ),
        (_form(online_url="javascript:alert(1)"), "Der Online-Link muss mit https:// beginnen."),
        (_form(capacity="viele"), "Keine gültige, ganze Zahl."),
        (_form(capacity=""), "Bitte geben Sie ein, wie viele Menschen teilnehmen können."),
        (_form(day=""), "Bitte geben Sie das Datum ein."),
        (_form(day="gestern"), "Kein gültiges Datum"),
        (_form(invited_projects="999"), "Es gibt kein Projekt mit der Nummer 999."),
        (_form(moderator_email="niemand@example.org"), "Niemand in diesem Ort hat ein Konto"),
    ]
    for data, message in cases:
        response = client.post("/werkstatt/verwaltung/neu", data=data)
        assert response.status_code == 422, (data, response.status_code)
        page = response.get_data(as_text=True)
        assert message in page, message
        assert "Stufenloser Zugang" in page  # what was typed stays
    with ws_a.town.context():
        assert db.session.scalar(select(Workshop.id)) is None


def _project(setup: Setup, title: str = "Repair-Café") -> int:
    author = setup.town.user()
    with setup.town.request_context():
        project = marketplace.publish_idea(
            author, marketplace.ProjectInput(title=title, pitch="Wir reparieren zusammen.")
        )
        db.session.commit()
        return int(project.number)


def test_board_protocol_and_project_history(ws_a: Setup, mailbox: Mailbox) -> None:
    number = _project(ws_a)
    workshop = make_workshop(ws_a.town, invited_projects=[str(number)])
    page = ws_a.town.client().get(f"/werkstatt/{workshop.ref}").get_data(as_text=True)
    assert "Repair-Café" in page  # projects presenting
    participant = ws_a.town.user(email="teil@example.org", name="Tina Teil")
    shy = ws_a.town.user(email="leise@example.org", name="Leo Leise")
    for person, named in ((participant, "y"), (shy, "")):
        client = ws_a.town.client()
        login(client, person.email)
        client.post(
            f"/werkstatt/{workshop.ref}/anmelden",
            data={"attendance": "onsite", "named_in_protocol": named},
        )
    moderator = ws_a.town.client()
    login(moderator, ws_a.admin.email)
    # The moderator captures on the board (without JavaScript: post and reload).
    for kind, text, owner in (
        ("idea", "Werkzeugverleih", ""),
        ("agreement", "Treffen jeden ersten Dienstag", ""),
        ("task", "Raum anfragen", "Tina"),
    ):
        response = moderator.post(
            f"/werkstatt/{workshop.ref}/tafel",
            data={"kind": kind, "text": text, "owner": owner, "project_ref": str(number)},
        )
        assert response.status_code == 302
    # A participant with a seat adds a note; she cannot post agreements.
    client = ws_a.town.client()
    login(client, participant.email)
    assert (
        client.post(
            f"/werkstatt/{workshop.ref}/tafel", data={"kind": "agreement", "text": "Schmuggel"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            f"/werkstatt/{workshop.ref}/tafel", data={"kind": "note", "text": "Online dabei!"}
        ).status_code
        == 302
    )
    board = visible_text(client.get(f"/werkstatt/{workshop.ref}/tafel").get_data(as_text=True))
    assert "Werkzeugverleih" in board and "Online dabei!" in board and "übernimmt: Tina" in board
    assert "Schmuggel" not in board
    # An empty note is refused with a message, nothing lost.
    refused = client.post(f"/werkstatt/{workshop.ref}/tafel", data={"kind": "note", "text": " "})
    assert refused.status_code == 422
    assert "Bitte schreiben Sie etwas." in refused.get_data(as_text=True)

    draft = moderator.get(f"/werkstatt/{workshop.ref}/protokoll").get_data(as_text=True)
    assert "2 Personen" in draft
    assert "Tina Teil" in draft and "Leo Leise" not in draft  # named only with consent
    assert "Treffen jeden ersten Dienstag" in draft and "übernimmt: Tina" in draft
    with ws_a.town.request_context():
        found = services.find(workshop.ref)
        assert found is not None
        text = services.protocol_draft(found) + "\nErgänzt von der Moderation.\n"
        db.session.rollback()
    response = moderator.post(f"/werkstatt/{workshop.ref}/protokoll", data={"text": text})
    assert response.status_code == 302
    public = ws_a.town.client().get(f"/werkstatt/{workshop.ref}").get_data(as_text=True)
    assert "Ergänzt von der Moderation." in public
    mail = mailbox.wait_for("leise@example.org", count=2)
    assert mail["Subject"] == f"Protokoll: {workshop.title}"
    assert "Ergänzt von der Moderation." in body_of(mail)
    pdf = ws_a.town.client().get(f"/werkstatt/{workshop.ref}/protokoll.pdf")
    assert pdf.status_code in (200, 503)  # 503 only where WeasyPrint cannot run
    if pdf.status_code == 200:
        assert pdf.data.startswith(b"%PDF")
    # The project's page names the workshop.
    project_page = ws_a.town.client().get(f"/projekte/{number}").get_data(as_text=True)
    assert "In Projektwerkstätten" in project_page and workshop.title in project_page


def test_board_kinds_for_the_moderator(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town)
    with ws_a.town.request_context():
        found = services.find(workshop.ref)
        assert found is not None
        item = services.capture(found, ItemKind.QUESTION, "  Wer?  ", None)
        assert item.text == "Wer?"
        db.session.rollback()


def test_check_in_on_a_phone(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town)
    person = ws_a.town.user(email="da@example.org", name="Dora Da")
    client = ws_a.town.client()
    login(client, person.email)
    client.post(
        f"/werkstatt/{workshop.ref}/anmelden", data={"attendance": "onsite", "needs": "Rampe"}
    )
    moderator = ws_a.town.client()
    login(moderator, ws_a.admin.email)
    page = visible_text(
        moderator.get(f"/werkstatt/{workshop.ref}/teilnehmende").get_data(as_text=True)
    )
    assert "Dora Da" in page and "Unterstützung: Rampe" in page and "0 eingelassen" in page
    with ws_a.town.context():
        from projektfabrik_workshops.models import Registration

        reg_ref = db.session.scalar(select(Registration.ref))
    moderator.post(f"/werkstatt/{workshop.ref}/teilnehmende/{reg_ref}", data={"present": "1"})
    page = visible_text(
        moderator.get(f"/werkstatt/{workshop.ref}/teilnehmende").get_data(as_text=True)
    )
    assert "1 eingelassen" in page
    # Another workshop's page cannot check this registration in.
    other = make_workshop(ws_a.town, title="Andere")
    assert (
        moderator.post(
            f"/werkstatt/{other.ref}/teilnehmende/{reg_ref}", data={"present": "0"}
        ).status_code
        == 404
    )
