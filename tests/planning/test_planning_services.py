"""Planning services without HTTP: saves that cross, and what the funding module reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

from projektfabrik import workercache
from projektfabrik.extensions import db
from projektfabrik.planning import services
from projektfabrik.planning.models import (
    CostType,
    FinancingKind,
    FinancingLine,
    Section,
    Source,
)
from projektfabrik.projects.access import find_project_with_team

if TYPE_CHECKING:
    from planning_helpers import Team


@contextmanager
def session_of(team: Team) -> Iterator[Any]:
    """A request of its own (its own database session), as another worker would have."""
    app = team.town.app
    with (
        app.app_context(),
        app.test_request_context(base_url=f"http://{team.town.host}"),
        team.town.context(),
    ):
        yield find_project_with_team(1)


def test_two_profile_saves_at_the_same_moment(team: Team) -> None:
    team.owner.post("/projekte/1/plan/profil", data={"version": "0", "goal": "Anfang"})
    with session_of(team) as project_b:
        # B has read the section at version 1 and passed the check ...
        state_b = services.section_states(project_b)[Section.PROFILE]
        assert state_b.version == 1
        with session_of(team) as project_a:
            # ... when A saves and commits.
            services.save_profile(project_a, team.owner_user, {"goal": "Von A"}, 1)
            db.session.commit()
        # B's write finds the version moved on: refused, nothing overwritten.
        with pytest.raises(services.StaleEdit) as refused:
            services.save_profile(project_b, team.member_user, {"goal": "Von B"}, 1)
        db.session.rollback()
        current = services.stale_section(project_b, Section.PROFILE)
        assert current.version == 2 and current.current["goal"] == "Von A"
        # Refused by the guarded UPDATE itself; the view then shows ``stale_section``.
        assert refused.value.version == -1 and not refused.value.current
    with session_of(team) as project:
        assert services.profile(project).goal == "Von A"
        assert [v.number for v in services.versions(project, Section.PROFILE)] == [2, 1]


def test_two_saves_of_one_item_at_the_same_moment(team: Team) -> None:
    team.owner.post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "own_funds", "description": "Kasse", "amount": "100"},
    )
    ref = team.find(FinancingLine).ref
    data = services.FinancingInput(kind=FinancingKind.OWN_FUNDS, amount_cents=0)
    with session_of(team) as project_b:
        line_b = services.find_item(FinancingLine, project_b, ref)
        assert line_b.revision == 1
        with session_of(team) as project_a:
            line_a = services.find_item(FinancingLine, project_a, ref)
            services.update_item(
                project_a,
                team.owner_user,
                line_a,
                data.__class__(FinancingKind.OWN_FUNDS, 20000),
                1,
            )
            db.session.commit()
        with pytest.raises(services.StaleEdit):
            services.update_item(project_b, team.member_user, line_b, data, 1)
        db.session.rollback()
    assert team.find(FinancingLine).amount_cents == 20000


def test_finance_summary_for_the_funding_module(team: Team) -> None:
    post = team.owner.post
    post(
        "/projekte/1/plan/eintraege/ressourcen/neu",
        data={"description": "Holz", "kind": "material", "quantity": "1", "cost": "1.000",
              "cost_type": "investment", "source": "funding"},
    )  # fmt: skip
    post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "requested_funding", "amount": "800"},
    )
    post("/projekte/1/plan/eintraege/finanzierung/neu", data={"kind": "own_funds", "amount": "200"})
    with session_of(team) as project:
        summary = services.finance_summary(project)
    assert summary.total_costs == summary.total_financing == 100000
    assert summary.requested_funding == 80000
    assert summary.costs_by_type[CostType.INVESTMENT] == 100000
    assert summary.costs_by_source[Source.FUNDING] == 100000
    assert summary.own_share_bp == 2000 and summary.balanced


def test_plan_pages_need_few_queries(team: Team, count_queries: Any) -> None:
    """The number of statements does not grow with the plan's size."""

    def add(n: int) -> None:
        for i in range(n):
            team.owner.post(
                "/projekte/1/plan/eintraege/ressourcen/neu",
                data={"description": f"R{i}", "kind": "material", "quantity": "1",
                      "cost": "1", "cost_type": "material", "source": "funding"},
            )  # fmt: skip
            team.owner.post(
                "/projekte/1/plan/eintraege/finanzierung/neu",
                data={"kind": "donations", "amount": "1"},
            )

    pages = ("", "/ressourcen", "/finanzen", "/drucken", "/export/csv", "/ressourcen/versionen")
    add(1)
    before = {}
    for path in pages:
        url = "/projekte/1/plan" + path.replace("/ressourcen/versionen", "/ressourcen/versionen")
        # Nothing kept in the worker at either count (the bell's count is kept
        # per person after the first page, workercache.person_value).
        workercache.init_app(team.owner.application)
        with count_queries() as counted:
            assert team.owner.get(url).status_code == 200, url
        before[path] = len(counted)
    add(5)
    for path in pages:
        workercache.init_app(team.owner.application)
        with count_queries() as counted:
            team.owner.get("/projekte/1/plan" + path)
        assert len(counted) == before[path], path
    assert before[""] <= 25


def test_changes_between_snapshots_say_what_happened() -> None:
    before = {
        "goal": "Alt",
        "tasks": [
            {"ref": "a", "position": 1, "title": "Bleibt"},
            {"ref": "b", "position": 2, "title": "Geht"},
        ],
    }
    after = {
        "goal": "Neu",
        "tasks": [
            {"ref": "a", "position": 1, "title": "Bleibt, umbenannt"},
            {"ref": "c", "position": 2, "title": "Kommt"},
        ],
    }
    found = {(c.what, c.list_name, c.name) for c in services.changes(before, after)}
    assert found == {
        ("field", "", "goal"),
        ("changed", "tasks", "Bleibt, umbenannt"),
        ("added", "tasks", "Kommt"),
        ("removed", "tasks", "Geht"),
    }
    swapped = {
        "tasks": [before["tasks"][1] | {"position": 1}, before["tasks"][0] | {"position": 2}]
    }
    assert [(c.what, c.list_name) for c in services.changes(before | {"goal": ""}, swapped)] == [
        ("reordered", "tasks")
    ]
    assert services.changes(None, {"goal": ""}) == []
