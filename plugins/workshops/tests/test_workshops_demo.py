"""The demo seeds an upcoming workshop with 10 seats and three registrations, and a
past one with its protocol; a second run adds nothing."""

from __future__ import annotations

from projektfabrik_workshops import demo
from projektfabrik_workshops.models import Workshop
from sqlalchemy import func, select
from workshops_support import Setup

from projektfabrik.extensions import db
from projektfabrik.testing import visible_text


def test_the_demo_workshops(ws_a: Setup) -> None:
    for name in ("Lena", "Omar", "Jule", "Piet"):
        ws_a.town.user(name=name)
    for _ in range(2):
        with ws_a.town.request_context():
            demo.seed()
            db.session.commit()
    with ws_a.town.context():
        assert db.session.scalar(select(func.count(Workshop.id))) == 2
        upcoming = db.session.scalar(select(Workshop).where(Workshop.title == demo.UPCOMING))
        past = db.session.scalar(select(Workshop).where(Workshop.title == demo.PAST))
        assert upcoming is not None and past is not None
        upcoming_ref, past_ref = upcoming.ref, past.ref
    listing = visible_text(ws_a.town.client().get("/werkstatt/").get_data(as_text=True))
    assert "7 freie Plätze" in listing
    page = visible_text(ws_a.town.client().get(f"/werkstatt/{past_ref}").get_data(as_text=True))
    assert "Protokoll" in page and "4 Personen" in page and "Raum im Jugendhaus anfragen" in page
    assert "7 freie Plätze" in visible_text(
        ws_a.town.client().get(f"/werkstatt/{upcoming_ref}").get_data(as_text=True)
    )
