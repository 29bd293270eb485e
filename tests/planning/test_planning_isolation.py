"""Every planning route and export, asked by another town and by outsiders.

Town B (even its admin, even with a project of the same number) and people
outside the team get a 404 whatever number or ref they send; anonymous
visitors of the write routes are sent to the login page, the same way for a
project that exists and one that does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.planning import exports
from projektfabrik.planning.models import (
    CostItem,
    FinancingLine,
    Milestone,
    PlanVersion,
    Requirement,
    ResourceOffer,
    Task,
    WorkPackage,
)
from projektfabrik.testing import Town, login

if TYPE_CHECKING:
    from planning_helpers import Team


def _fill(team: Team, town: Town) -> dict[str, str]:
    """A plan with one item of each kind, an open offer and versions; returns the refs."""
    post = team.owner.post
    post("/projekte/1/plan/profil", data={"version": "0", "goal": "Ziel"})
    post("/projekte/1/plan/eintraege/arbeitspakete/neu", data={"name": "WP", "responsible": ""})
    wp = team.find(WorkPackage)
    post(
        "/projekte/1/plan/eintraege/aufgaben/neu",
        data={"title": "T", "work_package": wp.ref, "responsible": "", "start": "2026-01-01",
              "end": "2026-02-01", "status": "open"},
    )  # fmt: skip
    post("/projekte/1/plan/eintraege/meilensteine/neu", data={"title": "M", "due": "2026-03-01"})
    post(
        "/projekte/1/plan/eintraege/ressourcen/neu",
        data={"description": "R", "kind": "material", "quantity": "1", "cost": "10",
              "cost_type": "material", "source": "funding", "task": ""},
    )  # fmt: skip
    post(
        "/projekte/1/plan/eintraege/kosten/neu",
        data={"description": "C", "cost_type": "travel", "amount": "5"},
    )
    post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "own_funds", "description": "", "amount": "15"},
    )
    helper = town.client()
    login(helper, town.user("helper@example.org").email)
    # Offers need a public plan; the team hides it again below.
    post("/projekte/1/plan/sichtbarkeit", data={"resources": "y"})
    helper.post("/projekte/1/plan/angebote", data={"kind": "room", "description": "Raum"})
    post("/projekte/1/plan/sichtbarkeit", data={})
    refs = {
        "wp": wp.ref,
        "task": team.find(Task).ref,
        "milestone": team.find(Milestone).ref,
        "req": team.find(Requirement).ref,
        "cost": team.find(CostItem).ref,
        "fin": team.find(FinancingLine).ref,
        "offer": team.find(ResourceOffer).ref,
    }
    assert team.find(PlanVersion) is not None
    return refs


#: (method, path, form data) for every route; {..} are filled with town A's refs.
READ_ROUTES = [
    ("GET", "/projekte/1/plan", None),
    ("GET", "/projekte/1/plan/profil", None),
    ("GET", "/projekte/1/plan/arbeitsplan", None),
    ("GET", "/projekte/1/plan/zeitplan", None),
    ("GET", "/projekte/1/plan/zeitplan/meilensteine.ics", None),
    ("GET", "/projekte/1/plan/ressourcen", None),
    ("GET", "/projekte/1/plan/finanzen", None),
    ("GET", "/projekte/1/plan/drucken", None),
    ("GET", "/projekte/1/plan/export/pdf", None),
    ("GET", "/projekte/1/plan/export/pdf/erstellen", None),
    ("GET", "/projekte/1/plan/export/xlsx", None),
    ("GET", "/projekte/1/plan/export/csv", None),
]
TEAM_ROUTES = [
    ("POST", "/projekte/1/plan/sichtbarkeit", {"profile": "y"}),
    ("POST", "/projekte/1/plan/profil", {"version": "1", "goal": "Übernommen"}),
    ("GET", "/projekte/1/plan/eintraege/arbeitspakete/neu", None),
    ("POST", "/projekte/1/plan/eintraege/arbeitspakete/neu", {"name": "X"}),
    ("GET", "/projekte/1/plan/eintraege/arbeitspakete/{wp}", None),
    ("POST", "/projekte/1/plan/eintraege/arbeitspakete/{wp}", {"name": "X", "revision": "1"}),
    ("POST", "/projekte/1/plan/eintraege/arbeitspakete/{wp}/loeschen", {"revision": "1"}),
    ("POST", "/projekte/1/plan/eintraege/arbeitspakete/{wp}/verschieben", {"richtung": "hoch"}),
    ("GET", "/projekte/1/plan/eintraege/aufgaben/{task}", None),
    ("POST", "/projekte/1/plan/eintraege/aufgaben/{task}/loeschen", {"revision": "1"}),
    ("GET", "/projekte/1/plan/eintraege/meilensteine/{milestone}", None),
    ("POST", "/projekte/1/plan/eintraege/meilensteine/{milestone}/loeschen", {"revision": "1"}),
    ("GET", "/projekte/1/plan/eintraege/ressourcen/{req}", None),
    ("POST", "/projekte/1/plan/eintraege/ressourcen/{req}/loeschen", {"revision": "1"}),
    ("GET", "/projekte/1/plan/eintraege/kosten/{cost}", None),
    ("POST", "/projekte/1/plan/eintraege/kosten/{cost}/loeschen", {"revision": "1"}),
    ("GET", "/projekte/1/plan/eintraege/finanzierung/{fin}", None),
    ("POST", "/projekte/1/plan/eintraege/finanzierung/{fin}", {"kind": "own_funds", "amount": "1", "revision": "1"}),
    ("POST", "/projekte/1/plan/eintraege/finanzierung/{fin}/loeschen", {"revision": "1"}),
    ("POST", "/projekte/1/plan/angebote/{offer}/annehmen", None),
    ("POST", "/projekte/1/plan/angebote/{offer}/ablehnen", None),
    ("GET", "/projekte/1/plan/profil/versionen", None),
    ("GET", "/projekte/1/plan/profil/versionen/1", None),
    ("POST", "/projekte/1/plan/profil/versionen/1/wiederherstellen", {"version": "1"}),
    ("GET", "/projekte/1/plan/arbeitsplan/versionen", None),
    ("GET", "/projekte/1/plan/finanzen/versionen/1", None),
]  # fmt: skip
ALL_ROUTES = (
    READ_ROUTES
    + TEAM_ROUTES
    + [
        ("POST", "/projekte/1/plan/angebote", {"kind": "room", "description": "x"}),
    ]
)


def _call(
    client: Any, method: str, path: str, data: dict[str, str] | None, refs: dict[str, str]
) -> Any:
    url = path.format(**refs)
    return client.get(url) if method == "GET" else client.post(url, data=data or {})


def _unchanged(team: Team, refs: dict[str, str]) -> None:
    """Nothing of town A's plan was changed by the refused requests."""
    assert team.find(WorkPackage).name == "WP"
    assert team.find(WorkPackage).revision == 1
    assert team.find(FinancingLine).amount_cents == 1500
    assert team.find(ResourceOffer).status.value == "open"
    assert team.find(PlanVersion, section="profile", number=2) is None


@pytest.fixture
def plan(team: Team, town_a: Town) -> dict[str, str]:
    return _fill(team, town_a)


def test_another_town_gets_404_for_every_route(
    team: Team, plan: dict[str, str], town_b: Town
) -> None:
    admin_b = town_b.client()
    login(admin_b, town_b.user("admin@example.org", role=Role.ADMIN).email)
    for method, path, data in ALL_ROUTES:
        response = _call(admin_b, method, path, data, plan)
        assert response.status_code == 404, (method, path, response.status_code)
    _unchanged(team, plan)


def test_another_towns_team_gets_404_for_our_refs(
    team: Team, plan: dict[str, str], town_b: Town
) -> None:
    from planning_helpers import make_team

    team_b = make_team(town_b, prefix="b-")
    for client in (team_b.owner, team_b.member):
        for method, path, data in TEAM_ROUTES:
            if "{" not in path:
                continue  # B's own project 1: their business
            response = _call(client, method, path, data, plan)
            assert response.status_code == 404, (method, path, response.status_code)
    _unchanged(team, plan)


def test_outsiders_get_404_while_the_plan_is_private(
    team: Team, plan: dict[str, str], town_a: Town
) -> None:
    outsider = town_a.client()
    login(outsider, town_a.user("outsider@example.org").email)
    # ALL_ROUTES: sending an offer too, or it would tell that a hidden plan exists.
    for method, path, data in ALL_ROUTES:
        response = _call(outsider, method, path, data, plan)
        assert response.status_code == 404, (method, path, response.status_code)
    _unchanged(team, plan)
    with town_a.context():
        assert len(db.session.scalars(select(ResourceOffer)).all()) == 1


def test_outsiders_read_public_sections_but_change_nothing(
    team: Team, plan: dict[str, str], town_a: Town
) -> None:
    team.owner.post(
        "/projekte/1/plan/sichtbarkeit",
        data={"profile": "y", "work_plan": "y", "resources": "y", "finance": "y"},
    )
    outsider = town_a.client()
    login(outsider, town_a.user("outsider@example.org").email)
    anonymous = town_a.client()
    for client in (outsider, anonymous):
        for method, path, data in READ_ROUTES:
            response = _call(client, method, path, data, plan)
            expected = 503 if path.endswith("/pdf") and not exports.pdf_available() else 200
            if path.endswith("/erstellen"):
                expected = 302  # the PDF was just made: straight to it
            assert response.status_code == expected, (method, path, response.status_code)
    for method, path, data in TEAM_ROUTES:
        response = _call(outsider, method, path, data, plan)
        assert response.status_code == 404, (method, path, response.status_code)
    _unchanged(team, plan)


def test_anonymous_write_requests_go_to_login_whether_or_not_the_project_exists(
    team: Team, plan: dict[str, str], town_a: Town
) -> None:
    anonymous = town_a.client()
    for method, path, data in TEAM_ROUTES + ALL_ROUTES[-1:]:
        answers = []
        for number in ("1", "99"):
            response = _call(anonymous, method, path.replace("/1/", f"/{number}/", 1), data, plan)
            location = response.headers.get("Location", "").split("?")[0]
            answers.append((response.status_code, location))
        # The same answer either way: a login page, or 404 for a form that is
        # also shown to the public (the profile's, while it is private).
        assert answers[0] == answers[1], (method, path, answers)
        assert answers[0] in {(302, "/anmelden"), (404, "")}, (method, path, answers)
    _unchanged(team, plan)


def test_unknown_refs_numbers_and_kinds_are_404(team: Team, plan: dict[str, str]) -> None:
    for path in (
        "/projekte/2/plan",
        "/projekte/1/plan/eintraege/aufgaben/nichtda",
        "/projekte/1/plan/eintraege/gibtsnicht/neu",
        f"/projekte/1/plan/eintraege/aufgaben/{plan['wp']}",  # a ref of another kind
        "/projekte/1/plan/zeug/versionen",
        "/projekte/1/plan/profil/versionen/99",
        "/projekte/1/plan/export/docx",
    ):
        assert team.owner.get(path).status_code == 404, path
    assert (
        team.owner.post(f"/projekte/1/plan/angebote/{plan['offer']}/vielleicht").status_code == 404
    )


def test_an_outsider_cannot_name_a_requirement_whether_hidden_or_missing(
    team: Team, plan: dict[str, str], town_a: Town
) -> None:
    team.owner.post("/projekte/1/plan/sichtbarkeit", data={"profile": "y"})
    outsider = town_a.client()
    login(outsider, town_a.user("outsider@example.org").email)
    answers = set()
    for ref in (plan["req"], "gibtsnicht"):
        response = outsider.post(
            "/projekte/1/plan/angebote",
            data={"kind": "room", "description": "x", "requirement": ref},
        )
        answers.add(response.status_code)
    assert answers == {400}
