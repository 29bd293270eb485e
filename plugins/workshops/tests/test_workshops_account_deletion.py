"""Deleting an account: the page says registrations go; upcoming seats are given to
the next person waiting; no registration names the person any more."""

from __future__ import annotations

from projektfabrik_workshops.models import Registration, RegState
from sqlalchemy import select
from workshops_support import Setup, make_workshop

from projektfabrik.extensions import db
from projektfabrik.testing import TEST_PASSWORD, login

DELETE = {"delete-current_password": TEST_PASSWORD, "delete-confirm": "y"}


def test_deleting_an_account_frees_the_seat_and_forgets_the_person(ws_a: Setup) -> None:
    workshop = make_workshop(ws_a.town, capacity=1)
    leaving = ws_a.town.user(email="geht@example.org", name="Gesa Geht")
    waiting = ws_a.town.user(email="wartet@example.org")
    clients = {}
    for person in (leaving, waiting):
        client = ws_a.town.client()
        login(client, person.email)
        client.post(
            f"/werkstatt/{workshop.ref}/anmelden", data={"attendance": "onsite", "needs": "Rampe"}
        )
        clients[person.email] = client
    page = clients["geht@example.org"].get("/konto/loeschen").get_data(as_text=True)
    assert "Ihre Anmeldung für 1 Werkstatt" in page
    response = clients["geht@example.org"].post("/konto/loeschen", data=DELETE)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with ws_a.town.context():
        rows = list(db.session.scalars(select(Registration).order_by(Registration.id)))
        assert [r.state for r in rows] == [RegState.CANCELLED, RegState.CONFIRMED]
        gone = rows[0]
        assert (gone.user_id, gone.name, gone.email, gone.needs) == (None, "", "", "")
        assert rows[1].email == "wartet@example.org"
