"""Issue #23: units never mix and a project reported twice is never counted twice,
checked with hypothesis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete
from strategy_helpers import Setup, indicator, link, publish

from projektfabrik.extensions import db
from projektfabrik.formatting import format_number
from projektfabrik.projects.models import Project
from projektfabrik.strategy import contributions, figures
from projektfabrik.strategy.figures import Quantity, UnitMismatch, total
from projektfabrik.strategy.models import Contribution, ReportedResult
from projektfabrik.strategy.values import MAX_VALUE, parse_value

fixture_ok = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None, max_examples=25
)
values = st.decimals(min_value=0, max_value=Decimal("99999999"), places=2)
units = st.sampled_from(["t CO₂", "Bäume", "Menschen", "m²"])


@given(amounts=st.lists(values, max_size=20), unit=units)
def test_a_sum_in_one_unit_is_the_exact_sum_of_its_values(
    amounts: list[Decimal], unit: str
) -> None:
    result = total((Quantity(a, unit) for a in amounts), unit)
    assert result == Quantity(sum(amounts, Decimal(0)), unit)


@given(amounts=st.lists(st.tuples(values, units), min_size=2, max_size=20))
def test_values_of_two_units_never_add_up(amounts: list[tuple[Decimal, str]]) -> None:
    unit = amounts[0][1]
    if all(u == unit for _a, u in amounts):
        assert total((Quantity(a, u) for a, u in amounts), unit).unit == unit
    else:
        with pytest.raises(UnitMismatch):
            total((Quantity(a, u) for a, u in amounts), unit)


@given(value=values, locale=st.sampled_from(["de", "en"]))
@fixture_ok
def test_a_shown_value_reads_back_the_same(strat: Setup, value: Decimal, locale: str) -> None:
    from flask_babel import force_locale

    with strat.town.request_context(), force_locale(locale):
        assert parse_value(format_number(value, 2)) == value
    assert value <= MAX_VALUE


reports = st.lists(
    st.tuples(
        st.integers(0, 2),  # which project
        st.sampled_from(["trees", "co2"]),
        st.integers(2023, 2025),  # year
        values,
        st.booleans(),  # confirmed
    ),
    max_size=15,
)


@given(steps=reports)
@fixture_ok
def test_repeated_reports_replace_and_each_indicator_sums_its_own_unit(
    strat: Setup, steps: list[tuple[int, str, int, Decimal, bool]]
) -> None:
    with strat.town.request_context():
        db.session.execute(delete(ReportedResult))
        db.session.execute(delete(Contribution))
        db.session.commit()
        numbers = [p.number for p in db.session.scalars(db.select(Project).order_by(Project.id))]
    while len(numbers) < 3:
        project = publish(strat.town, strat.owner, f"Projekt {len(numbers)}")
        link(strat.town, project, strat.goal_ref)
        numbers.append(project.number)
    link(strat.town, strat.project, strat.goal_ref)

    expected: dict[tuple[int, str, int], tuple[Decimal, bool]] = {}
    with strat.town.request_context():
        staff = db.session.get(type(strat.staff), strat.staff.id)
        refs = {"trees": strat.trees_ref, "co2": strat.co2_ref}
        for which, name, year, value, confirm in steps:
            project = db.session.scalar(db.select(Project).where(Project.number == numbers[which]))
            assert project is not None
            row = contributions.report(
                project, indicator(refs[name]), value=value,
                achieved_on=date(year, 6, 1), actor=None,
            )  # fmt: skip
            db.session.flush()
            if confirm:
                contributions.confirm(row, actor=staff)
            expected[(which, name, year)] = (value, confirm)
        db.session.commit()
        [goal] = figures.gather()

    by_name = {"trees": goal.indicators[0], "co2": goal.indicators[1]}
    for name, found in by_name.items():
        mine = [(v, c) for (_p, n, _y), (v, c) in expected.items() if n == name]
        assert found.reported.value == sum((v for v, _c in mine), Decimal(0))
        assert found.confirmed.value == sum((v for v, c in mine if c), Decimal(0))
        assert found.reported.unit == found.indicator.unit
        assert sum((v for _y, v in found.per_year), Decimal(0)) == found.confirmed.value
