"""A town with the business plan on and a project whose team has written a profile
and a finance plan. Test setup may use the core's internals to build the project;
the plugin itself imports ``projektfabrik.api`` only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from projektfabrik_businessplan.models import BusinessPlan

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.planning import services as planning
from projektfabrik.planning.models import CostItem, CostType, FinancingKind, FinancingLine
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town, login, use_plugin

PROFILE = {
    "problem": "Kaputte Dinge landen im Müll.",
    "goal": "Reparieren statt wegwerfen.",
    "vision": "Eine Stadt ohne Wegwerfgeräte.",
    "description": "Ein Repair-Café mit Werkstatt, offen an drei Tagen.",
    "target_groups": "Nachbarn, Schulen, Senioren.",
    "results": "200 Reparaturen im Jahr.",
    "effects": "Weniger Müll, mehr Begegnung.",
    "local_reference": "Im alten Bahnhof.",
}

NUMBERS = {
    "investments-0-name": "Werkzeug",
    "investments-0-amount": "12.000",
    "investments-0-years": "4",
    "startup_costs-0-name": "Gründung",
    "startup_costs-0-amount": "1.500",
    "cash_reserve": "3.000",
    "own_funds": "4.500",
    "loans-0-name": "Mikrokredit",
    "loans-0-amount": "10.000",
    "loans-0-rate": "6",
    "loans-0-months": "36",
    "loans-0-grace_months": "0",
    "grants-0-name": "Stiftung",
    "grants-0-amount": "2.000",
    "products-0-name": "Reparatur",
    "products-0-price": "25",
    "products-0-unit_cost": "8",
    "products-0-q1": "1500",
    "products-0-q2": "1800",
    "products-0-q3": "2100",
    "staff-y1": "12.000",
    "staff-y2": "14.000",
    "staff-y3": "16.000",
    "rent-y1": "4.800",
    "rent-y2": "4.800",
    "rent-y3": "4.800",
    "other-y1": "1.000",
    "other-y2": "1.000",
    "other-y3": "1.000",
    "tax_rate": "15",
}


def publish(town: Town, author: User, title: str = "Repair-Café") -> Project:
    with town.request_context():
        project = marketplace.publish_idea(
            author, marketplace.ProjectInput(title=title, pitch="Wir reparieren zusammen.")
        )
        db.session.commit()
        person = db.session.get(User, author.id)
        planning.save_profile(project, person, PROFILE, 0)
        planning.add_item(
            project,
            person,
            CostItem,
            planning.CostItemInput("Werkzeug", CostType.MATERIAL, 1_200_000),
        )
        planning.add_item(
            project,
            person,
            FinancingLine,
            planning.FinancingInput(FinancingKind.OWN_FUNDS, 1_200_000),
        )
        db.session.commit()
        db.session.refresh(project)
        db.session.expunge(project)
        return project


@dataclass
class Setup:
    town: Town
    project: Project
    owner: User
    team: FlaskClient  # not logged in when made with clients=False (browser tests: CSRF)

    @property
    def base(self) -> str:
        return f"/businessplan/projekte/{self.project.ref}"

    def client(self, user: User | None = None) -> FlaskClient:
        client = self.town.client()
        if user is not None:
            login(client, user.email)
        return client

    def start(self, outline: str = "classic") -> Any:
        response = self.team.post(f"{self.base}/anlegen", data={"outline": outline})
        assert response.status_code == 302, response.get_data(as_text=True)[:1000]
        return response

    def plan(self) -> BusinessPlan | None:
        from sqlalchemy import select

        with self.town.context():
            found = db.session.scalar(
                select(BusinessPlan).where(BusinessPlan.project_id == self.project.id)
            )
            if found is not None:
                db.session.expunge(found)
            return found

    def save_numbers(self, **changes: str) -> Any:
        plan = self.plan()
        assert plan is not None
        data = {**NUMBERS, "version": str(plan.version), **changes}
        return self.team.post(f"{self.base}/zahlen", data=data)


def make_setup(town: Town, clients: bool = True) -> Setup:
    use_plugin(town, "businessplan")
    owner = town.user("owner@example.org", name="Olga Owner")
    project = publish(town, owner)
    team = town.client()
    if clients:
        login(team, owner.email)
    return Setup(town=town, project=project, owner=owner, team=team)
