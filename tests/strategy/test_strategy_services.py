"""Issue #23: goals, indicators, contributions and results as services (no request
pages), the sums of the dashboard and their constant number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from strategy_helpers import Setup, indicator, link, publish, setup

from projektfabrik.audit.models import AuditEntry
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project, Status
from projektfabrik.refusal import Refusal
from projektfabrik.strategy import contributions, figures, services
from projektfabrik.strategy.models import Contribution, Goal, ReportedResult
from projektfabrik.strategy.values import ValueRefused, parse_value
from projektfabrik.testing import QueryCounter, Town


def _project(strat: Setup) -> Project:
    found = db.session.get(Project, strat.project.id)
    assert found is not None
    return found


def test_admin_changes_are_audited_and_titles_are_unique(strat: Setup) -> None:
    with strat.town.request_context():
        with pytest.raises(Refusal):
            services.save_goal(
                None, title=" Klimaschutz ", summary="", source_url="", group=None, actor=None
            )
        db.session.rollback()
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"strategy.goal_added", "strategy.indicator_added", "strategy.target_set"} <= actions


def test_goals_can_be_ordered(strat: Setup) -> None:
    with strat.town.request_context():
        second = services.save_goal(
            None, title="Nachbarschaft", summary="", source_url="", group=None, actor=None
        )
        db.session.commit()
        services.move_goal(second, -1, actor=None)
        db.session.commit()
        assert [g.title for g in services.goals()] == ["Nachbarschaft", "Klimaschutz"]
        services.move_goal(second, -1, actor=None)  # already first: nothing moves
        assert [g.title for g in services.goals()] == ["Nachbarschaft", "Klimaschutz"]


def test_a_project_states_contributions_only_for_goals_it_serves(strat: Setup) -> None:
    with strat.town.request_context():
        project = _project(strat)
        with pytest.raises(Refusal):
            contributions.set_expected(
                project, indicator(strat.trees_ref), Decimal("12"), "", actor=None
            )
    link(strat.town, strat.project, strat.goal_ref)
    with strat.town.request_context():
        project = _project(strat)
        contributions.set_expected(
            project, indicator(strat.trees_ref), Decimal("12"), "12 Bäume im Hof", actor=None
        )
        contributions.set_expected(
            project, indicator(strat.trees_ref), Decimal("15"), "15 Bäume", actor=None
        )
        db.session.commit()
        rows = list(db.session.scalars(select(Contribution)))
    assert [(r.expected, r.basis) for r in rows] == [(Decimal("15.00"), "15 Bäume")]


def test_a_second_report_of_a_year_replaces_the_first_and_needs_confirming_again(
    strat: Setup,
) -> None:
    link(strat.town, strat.project, strat.goal_ref)
    with strat.town.request_context():
        project = _project(strat)
        trees = indicator(strat.trees_ref)
        first = contributions.report(
            project, trees, value=Decimal("10"), achieved_on=date(2025, 5, 1), actor=None
        )
        db.session.commit()
        staff = db.session.get(type(strat.staff), strat.staff.id)
        contributions.confirm(first, actor=staff)
        db.session.commit()
        again = contributions.report(
            project, trees, value=Decimal("12"), achieved_on=date(2025, 9, 1), actor=None
        )
        contributions.report(
            project, trees, value=Decimal("4"), achieved_on=date(2026, 3, 1), actor=None,
            today=date(2026, 12, 1),
        )  # fmt: skip
        db.session.commit()
        assert again.id == first.id and not again.confirmed
        count = db.session.scalar(select(func.count()).select_from(ReportedResult))
        [goal] = figures.gather()
    assert count == 2
    trees_figures = goal.indicators[0]
    assert trees_figures.reported.value == Decimal("16.00")
    assert trees_figures.confirmed.value == Decimal("0.00")


def test_only_town_staff_confirm(strat: Setup) -> None:
    link(strat.town, strat.project, strat.goal_ref)
    with strat.town.request_context():
        project = _project(strat)
        result = contributions.report(
            project,
            indicator(strat.trees_ref),
            value=Decimal("3"),
            achieved_on=date(2025, 1, 2),
            actor=None,
        )
        owner = db.session.get(type(strat.owner), strat.owner.id)
        with pytest.raises(Refusal):
            contributions.confirm(result, actor=owner)
        admin = db.session.get(type(strat.admin), strat.admin.id)
        contributions.confirm(result, actor=admin)
        assert result.confirmed


def test_a_goal_with_results_stays_linked(strat: Setup) -> None:
    link(strat.town, strat.project, strat.goal_ref)
    with strat.town.request_context():
        project = _project(strat)
        contributions.report(
            project,
            indicator(strat.trees_ref),
            value=Decimal("3"),
            achieved_on=date(2025, 1, 2),
            actor=None,
        )
        db.session.commit()
        with pytest.raises(Refusal):
            contributions.set_goals(project, set(), actor=None)


def test_unlinking_a_goal_drops_its_expected_contributions(strat: Setup) -> None:
    link(strat.town, strat.project, strat.goal_ref)
    with strat.town.request_context():
        project = _project(strat)
        contributions.set_expected(
            project, indicator(strat.co2_ref), Decimal("4.8"), "12 × 0,4 t", actor=None
        )
        db.session.commit()
        contributions.set_goals(project, set(), actor=None)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Contribution)) == 0
        assert contributions.goal_ids(project) == set()


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [("1.234,5", "de", "1234.50"), ("1,234.5", "en", "1234.50"), ("0,4", "de", "0.40")],
)
def test_values_are_read_in_the_readers_language(
    town_a: Town, text: str, locale: str, expected: str
) -> None:
    with town_a.request_context():
        from flask_babel import force_locale

        with force_locale(locale):
            assert parse_value(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "-3", "1,234", "1.2.3", "0,001", "1e5", "NaN"])
def test_bad_values_are_refused_with_a_message(town_a: Town, text: str) -> None:
    with town_a.request_context(), pytest.raises(ValueRefused) as refused:
        parse_value(text)
    assert refused.value.message


def test_sums_are_per_town(town_a: Town, town_b: Town) -> None:
    a, b = setup(town_a), setup(town_b, "b-")
    for s in (a, b):
        link(s.town, s.project, s.goal_ref)
    with town_b.request_context():
        project = db.session.get(Project, b.project.id)
        assert project is not None
        contributions.set_expected(project, indicator(b.trees_ref), Decimal("99"), "", actor=None)
        db.session.commit()
    with town_a.request_context():
        [goal] = figures.gather()
    assert goal.indicators[0].expected.value == Decimal("0.00")
    assert goal.project_count == 1


def test_the_dashboard_costs_the_same_queries_at_3_and_30_projects(strat: Setup) -> None:
    def add_projects(count: int) -> None:
        for i in range(count):
            project = publish(strat.town, strat.owner, f"Projekt {i}")
            link(strat.town, project, strat.goal_ref)
            with strat.town.request_context():
                found = db.session.get(Project, project.id)
                assert found is not None
                found.status = Status.RUNNING if i % 2 else Status.IDEA
                contributions.set_expected(
                    found, indicator(strat.trees_ref), Decimal(i), "", actor=None
                )
                contributions.report(
                    found, indicator(strat.trees_ref), value=Decimal(i),
                    achieved_on=date(2024 + i % 2, 1, 1), actor=None,
                )  # fmt: skip
                db.session.commit()

    def queries() -> int:
        with strat.town.request_context(), QueryCounter() as counter:
            figures.gather()
        return len(counter)

    add_projects(3)
    few = queries()
    add_projects(27)
    assert queries() == few <= 9
    with strat.town.context():
        assert db.session.scalar(select(func.count()).select_from(Goal)) == 1
