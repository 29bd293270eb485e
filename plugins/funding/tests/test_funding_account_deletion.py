"""Deleting an account: submitted applications are records the town keeps; the
drafts the person started go (pf_account_deletion, issue #22)."""

from __future__ import annotations

from funding_support import Round, make_pot, make_round
from projektfabrik_funding.models import Application, Document, State
from sqlalchemy import func, select

from projektfabrik.extensions import db
from projektfabrik.testing import TEST_PASSWORD, Town

DELETE = {"delete-current_password": TEST_PASSWORD, "delete-confirm": "y"}


def _two_applications(round_a: Round) -> tuple[str, str]:
    submitted = round_a.submitted(make_pot(round_a.town, name="Bürgerfonds"))
    draft = round_a.start(make_pot(round_a.town, name="Kulturtopf"))
    # The project closes, so its only lead may go.
    assert round_a.team.post("/projekte/1/team/schliessen").status_code == 302
    return submitted, draft


def _states(town: Town) -> dict[str, State]:
    with town.context():
        return {a.ref: a.state for a in db.session.scalars(select(Application))}


def test_the_page_says_what_the_town_keeps_and_what_goes(round_a: Round) -> None:
    submitted, draft = _two_applications(round_a)
    page = round_a.team.get("/konto/loeschen").get_data(as_text=True)
    keeps = page.index("Was die Stadt aufbewahrt")
    goes = page.index("Was gelöscht wird")
    assert "Eingereichte Förderanträge" in page[keeps:]
    assert f"/foerderung/antraege/{submitted}" in page[keeps:]
    assert "Ihr Antragsentwurf" in page[goes:keeps]
    assert f"/foerderung/antraege/{draft}" in page[goes:keeps]


def test_deleting_removes_drafts_and_keeps_submitted_applications(round_a: Round) -> None:
    submitted, draft = _two_applications(round_a)
    assert round_a.team.post("/konto/loeschen", data=DELETE).status_code == 302
    assert _states(round_a.town) == {submitted: State.SUBMITTED}
    with round_a.town.context():
        assert db.session.scalar(select(func.count()).select_from(Document)) == 0


def test_a_refused_deletion_keeps_the_drafts(round_a: Round) -> None:
    submitted, draft = _two_applications(round_a)
    wrong = {**DELETE, "delete-current_password": "wrong password"}
    assert round_a.team.post("/konto/loeschen", data=wrong).status_code == 400
    assert set(_states(round_a.town)) == {submitted, draft}


def test_another_towns_account_deletion_leaves_this_towns_drafts(
    round_a: Round, town_b: Town
) -> None:
    _submitted, draft = _two_applications(round_a)
    round_b = make_round(town_b)  # same address, separate account in town B
    page = round_b.team.get("/konto/loeschen").get_data(as_text=True)
    assert draft not in page
    assert round_b.team.post("/konto/loeschen", data=DELETE).status_code == 400  # leads alone
    assert round_b.team.post("/projekte/1/team/schliessen").status_code == 302
    assert round_b.team.post("/konto/loeschen", data=DELETE).status_code == 302
    assert draft in _states(round_a.town)
