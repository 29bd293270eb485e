"""A town with the funding module on, its admin, and a project team whose finance
plan is balanced: costs 10.000 €, own funds 2.000 €, requested funding 8.000 €.

Test setup may use the core's internals (the marketplace and planning services)
to build the project; the plugin itself imports ``projektfabrik.api`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask.testing import FlaskClient
from projektfabrik_funding.models import Application, Body, Pot, PotState
from sqlalchemy import select

from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.planning import services as planning
from projektfabrik.planning.models import CostItem, CostType, FinancingKind, FinancingLine
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town, login, use_plugin

IBAN = "DE89370400440532013000"


def publish(town: Town, author: User, title: str = "Nachbarschaftsgarten") -> Project:
    with town.request_context():
        project = marketplace.publish_idea(
            author, marketplace.ProjectInput(title=title, pitch="Wir gärtnern zusammen.")
        )
        db.session.commit()
        return project


def finance(
    town: Town, project: Project, author: User, own: int, requested: int, unfinanced: int = 0
) -> None:
    """Add to the finance plan: costs own + requested + unfinanced, financed by own and requested."""
    with town.request_context():
        project = db.session.get(Project, project.id)
        person = db.session.get(User, author.id)
        planning.add_item(
            project,
            person,
            CostItem,
            planning.CostItemInput("Material", CostType.MATERIAL, own + requested + unfinanced),
        )
        planning.add_item(
            project, person, FinancingLine, planning.FinancingInput(FinancingKind.OWN_FUNDS, own)
        )
        planning.add_item(
            project,
            person,
            FinancingLine,
            planning.FinancingInput(FinancingKind.REQUESTED_FUNDING, requested),
        )
        db.session.commit()


def make_pot(town: Town, **values: Any) -> Pot:
    today = date.today()
    fields: dict[str, Any] = {
        "name": "Bürgerfonds",
        "description": "Für gute Ideen.",
        "sponsor": "Stadt",
        "budget_cents": 2_000_000,
        "min_grant_cents": 50_000,
        "max_grant_cents": 1_000_000,
        "min_own_share_bp": 1000,
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=30),
        "questions": [{"question": "Wer macht mit?", "help": "", "max_length": 500}],
        "jury_criteria": [{"name": "Wirkung", "weight": 2}, {"name": "Machbarkeit", "weight": 1}],
        "state": PotState.ACTIVE,
        "body": Body.ADMIN,
    }
    fields.update(values)
    with town.context():
        pot = Pot(**fields)
        db.session.add(pot)
        db.session.commit()
        db.session.refresh(pot)
        db.session.expunge(pot)
        return pot


def find(town: Town, model: type, **where: Any) -> Any:
    with town.context():
        stmt = select(model).order_by(model.id)  # type: ignore[attr-defined]
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        found = db.session.scalar(stmt)
        if found is not None:
            db.session.expunge(found)
        return found


@dataclass
class Round:
    town: Town
    project: Project
    owner: User
    admin_user: User
    team: FlaskClient
    admin: FlaskClient

    def client(self, user: User) -> FlaskClient:
        client = self.town.client()
        login(client, user.email)
        return client

    def application(self) -> Application:
        return find(self.town, Application, project_id=self.project.id)

    def fill(self, ref: str, client: FlaskClient | None = None, **extra: str) -> Any:
        data = {
            "title": "Nachbarschaftsgarten",
            "summary": "Ein Garten für alle.",
            "applicant_name": "Gartenverein e. V.",
            "legal_form": "association",
            "address": "Hauptstraße 1, 01234 Stadt A",
            "contact_person": "Olga Owner",
            "email": "owner@example.org",
            "phone": "",
            "signatory": "Olga Owner",
            "iban": IBAN,
            "declarations": "y",
            "answer-0": "Zwölf Nachbarn.",
            "action": "save",
        }
        data.update(extra)
        return (client or self.team).post(f"/foerderung/antraege/{ref}", data=data)

    def start(self, pot: Pot) -> str:
        response = self.team.post(f"/foerderung/projekte/{self.project.ref}/antrag/{pot.ref}")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response.headers["Location"].rsplit("/", 1)[1]

    def submitted(self, pot: Pot) -> str:
        ref = self.start(pot)
        response = self.fill(ref, action="submit")
        assert response.status_code == 302
        assert self.application().state.value == "submitted", self.application().state
        return ref


def make_round(town: Town, prefix: str = "", clients: bool = True) -> Round:
    """The town's team and admin; ``clients=False`` skips logging in test clients
    (the browser tests keep the CSRF check on)."""
    use_plugin(town, "funding")
    owner = town.user(f"{prefix}owner@example.org", name="Olga Owner")
    admin_user = town.user(f"{prefix}admin@example.org", role=Role.ADMIN, name="Anna Admin")
    project = publish(town, owner)
    finance(town, project, owner, own=200_000, requested=800_000)
    if not clients:
        return Round(town, project, owner, admin_user, town.client(), town.client())
    return Round(town, project, owner, admin_user, _client(town, owner), _client(town, admin_user))


def _client(town: Town, user: User) -> FlaskClient:
    client = town.client()
    login(client, user.email)
    return client
