"""The funding module's figure on the impact dashboard (pf_impact_indicators): euros
granted to the projects serving each goal, per town, beside the goal's indicators."""

from __future__ import annotations

from decimal import Decimal

from funding_support import make_pot, make_round
from projektfabrik_funding.models import Application, State
from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.strategy import contributions, figures, services
from projektfabrik.testing import QueryCounter, Town, use_plugin


def _goal_for(town: Town, project_id: int, title: str = "Klimaschutz") -> str:
    with town.request_context():
        goal = services.save_goal(
            None, title=title, summary="", source_url="", group=None, actor=None
        )
        db.session.flush()
        project = db.session.get(Project, project_id)
        assert project is not None
        contributions.set_goals(project, {goal.id}, actor=None)
        db.session.commit()
        return goal.ref


def test_euros_granted_per_goal_on_the_dashboard(town_a: Town) -> None:
    round_ = make_round(town_a)
    pot = make_pot(town_a, name="Kiezfonds", budget_cents=2_000_000)
    round_.submitted(pot)
    ref = _goal_for(town_a, round_.project.id)
    with town_a.context():
        application = db.session.scalars(select(Application)).one()
        application.state = State.APPROVED
        application.approved_cents = 750_050
        db.session.commit()
    with town_a.request_context():
        [figure] = figures.plugin_figures()[ref]
    assert (figure.value, figure.unit, figure.label) == (
        Decimal("7500.50"),
        "€",
        "Bewilligte Fördermittel",
    )
    page = town_a.client().get("/wirkung").get_data(as_text=True)
    assert "Bewilligte Fördermittel" in page and "7.500,5" in page


def test_another_town_and_a_town_without_the_module_see_none(town_a: Town, town_b: Town) -> None:
    round_b = make_round(town_b, prefix="b-")
    pot = make_pot(town_b, name="Fonds von B", budget_cents=2_000_000)
    round_b.submitted(pot)
    _goal_for(town_b, round_b.project.id)
    with town_b.context():
        application = db.session.scalars(select(Application)).one()
        application.state = State.APPROVED
        application.approved_cents = 100
        db.session.commit()
    with town_a.request_context():  # the module is off in town A
        assert figures.plugin_figures() == {}
    use_plugin(town_a, "funding")
    with town_a.request_context():  # on, and town B's money is not town A's
        assert figures.plugin_figures() == {}
    with town_b.request_context():
        assert [f.value for [f] in figures.plugin_figures().values()] == [Decimal("1")]


def test_one_query_however_many_goals(town_a: Town) -> None:
    use_plugin(town_a, "funding")

    def count() -> int:
        with town_a.request_context(), QueryCounter() as counter:
            figures.plugin_figures()
        return len(counter)

    count()
    few = count()
    round_ = make_round(town_a)
    for i in range(3):
        _goal_for(town_a, round_.project.id, f"Ziel {i}")
    assert count() == few
