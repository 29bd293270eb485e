"""Achieved values in the proof of use (issue #23): the team types what the project
achieved for its goals' indicators once, in the proof, and they arrive as the
project's reported results (unconfirmed), as if reported on the impact tab."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from funding_support import Round, make_pot, make_round
from projektfabrik_funding import payouts
from projektfabrik_funding.errors import FundingError
from projektfabrik_funding.models import State
from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.strategy import contributions, services
from projektfabrik.strategy.models import ReportedResult
from projektfabrik.testing import Town

PROOF = {
    "report": "Der Garten blüht.",
    "participants": "40",
    "costs-material": "9.500",
    "financing-own_funds": "1.500",
    "financing-requested_funding": "8.000",
}


def _indicators(town: Town, project_id: int) -> list[str]:
    """A goal with two indicators, linked to the project; their refs."""
    with town.request_context():
        goal = services.save_goal(
            None, title="Klimaschutz", summary="", source_url="", group=None, actor=None
        )
        db.session.flush()
        trees = services.add_indicator(goal, name="Gepflanzte Bäume", unit="Bäume", actor=None)
        co2 = services.add_indicator(goal, name="CO₂ eingespart", unit="t", actor=None)
        project = db.session.get(Project, project_id)
        assert project is not None
        contributions.set_goals(project, {goal.id}, actor=None)
        db.session.commit()
        return [trees.ref, co2.ref]


def _paid(round_: Round) -> str:
    pot = make_pot(round_.town)
    ref = round_.submitted(pot)
    round_.admin.post(f"/foerderung/antraege/{ref}/schritt/pruefen")
    round_.admin.post(f"/foerderung/antraege/{ref}/schritt/bewilligen", data={"amount": "8.000"})
    round_.admin.post(f"/foerderung/antraege/{ref}/schritt/auszahlen", data={"amount": "8.000"})
    assert round_.application().state.value == "paid"
    return ref


def _results(town: Town) -> list[tuple[str, int, Decimal, bool]]:
    with town.context():
        rows = db.session.scalars(select(ReportedResult).order_by(ReportedResult.id))
        return [(r.indicator.ref, r.year, r.value, r.confirmed_at is not None) for r in rows]


def _proof(round_: Round, ref: str, **values: str) -> tuple[int, str]:
    response = round_.team.post(
        f"/foerderung/antraege/{ref}/verwendungsnachweis", data={**PROOF, **values}
    )
    return response.status_code, response.get_data(as_text=True)


def test_the_proof_form_asks_for_each_indicator(round_a: Round) -> None:
    trees, co2 = _indicators(round_a.town, round_a.project.id)
    ref = _paid(round_a)
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Erreicht: Gepflanzte Bäume (Bäume)" in page
    assert "Erreicht: CO₂ eingespart (t)" in page
    assert f'name="impact-{trees}"' in page and f'name="impact-{co2}"' in page


def test_values_arrive_as_unconfirmed_results_and_a_second_proof_replaces(
    round_a: Round,
) -> None:
    trees, co2 = _indicators(round_a.town, round_a.project.id)
    ref = _paid(round_a)
    status, _page = _proof(round_a, ref, **{f"impact-{trees}": "1.234,5", f"impact-{co2}": ""})
    assert status == 302
    assert round_a.application().state.value == "proof_submitted"
    year = date.today().year
    assert _results(round_a.town) == [(trees, year, Decimal("1234.50"), False)]
    # On the impact tab as unconfirmed, exactly as if reported there.
    tab = round_a.team.get(f"/projekte/{round_a.project.ref}/wirkung").get_data(as_text=True)
    assert "1.234,5" in tab and "noch nicht bestätigt" in tab
    dashboard = round_a.town.client().get("/wirkung").get_data(as_text=True)
    assert "1.234,5" in dashboard  # among the reported, not yet the confirmed values

    # The town asks for the proof again; the team corrects the value: replaced, not added.
    with round_a.town.context():
        db.session.merge(round_a.application()).state = State.PAID
        db.session.commit()
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert 'value="1.234,5"' in page  # prefilled with this year's report
    status, _page = _proof(round_a, ref, **{f"impact-{trees}": "1.300", f"impact-{co2}": "2,5"})
    assert status == 302
    assert _results(round_a.town) == [
        (trees, year, Decimal("1300.00"), False),
        (co2, year, Decimal("2.50"), False),
    ]


def test_an_unchanged_prefilled_value_keeps_its_confirmation(round_a: Round) -> None:
    [trees, _co2] = _indicators(round_a.town, round_a.project.id)
    with round_a.town.request_context():
        project = db.session.get(Project, round_a.project.id)
        indicator = services.find_indicator(trees)
        assert project is not None and indicator is not None
        result = contributions.report(
            project, indicator, value=Decimal(12), achieved_on=date.today(), actor=None
        )
        contributions.confirm(result, actor=db.session.merge(round_a.admin_user))
        db.session.commit()
    ref = _paid(round_a)
    status, _page = _proof(round_a, ref, **{f"impact-{trees}": "12"})
    assert status == 302
    assert _results(round_a.town) == [(trees, date.today().year, Decimal("12.00"), True)]


def test_a_bad_value_refuses_the_whole_proof_and_keeps_what_was_typed(round_a: Round) -> None:
    trees, co2 = _indicators(round_a.town, round_a.project.id)
    ref = _paid(round_a)
    status, page = _proof(round_a, ref, **{f"impact-{trees}": "12", f"impact-{co2}": "viel"})
    assert status == 422
    assert "Erreicht: CO₂ eingespart (t): Das ist keine Zahl." in page
    assert 'aria-invalid="true"' in page
    assert "Der Garten blüht." in page and 'value="viel"' in page and 'value="9.500"' in page
    assert round_a.application().state.value == "paid"
    assert _results(round_a.town) == []  # not even the good value


def test_a_project_without_goals_shows_no_such_fields(round_a: Round) -> None:
    ref = _paid(round_a)
    page = round_a.team.get(f"/foerderung/antraege/{ref}").get_data(as_text=True)
    assert "Erreicht:" not in page and 'name="impact-' not in page
    status, _page = _proof(round_a, ref)
    assert status == 302 and round_a.application().state.value == "proof_submitted"


def test_another_towns_indicator_is_refused(town_a: Town, town_b: Town) -> None:
    round_b = make_round(town_b, prefix="b-")
    [foreign, _co2] = _indicators(town_b, round_b.project.id)
    round_a = make_round(town_a)
    _indicators(town_a, round_a.project.id)
    ref = _paid(round_a)
    status, page = _proof(round_a, ref, **{f"impact-{foreign}": "5"})
    assert status == 422
    assert "Dieser Indikator gehört nicht zu den Zielen des Projekts." in page
    assert round_a.application().state.value == "paid"
    assert _results(town_a) == [] and _results(town_b) == []


def test_someone_outside_the_team_reports_nothing(round_a: Round) -> None:
    [trees, _co2] = _indicators(round_a.town, round_a.project.id)
    _paid(round_a)
    outsider = round_a.town.user("jutta@example.org", name="Jutta Jury")
    with round_a.town.request_context():
        application = db.session.merge(round_a.application())
        with pytest.raises(FundingError):
            payouts.submit_proof(
                application, db.session.merge(outsider), "Bericht", None, {}, {trees: "5"}
            )
        # Refused before anything was reported, not only rolled back afterwards.
        assert db.session.scalars(select(ReportedResult)).all() == []
        db.session.rollback()
