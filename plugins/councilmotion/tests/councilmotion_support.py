"""A town with council motions on, its clerk (an admin), a project team with a
profile and a finance plan, a follower, and helpers to walk a motion.

Test setup may use the core's internals (marketplace, planning, projects) to
build the project; the plugin itself imports ``projektfabrik.api`` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from projektfabrik_councilmotion.models import Motion
from sqlalchemy import select

from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.planning import services as planning
from projektfabrik.planning.models import CostItem, CostType, FinancingKind, FinancingLine
from projektfabrik.projects import services as projects
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town, login, use_plugin

GROUPS = "Fraktion Grün | gruen@rat.example\nBürgerfraktion | buerger@rat.example"
SETTINGS: dict[str, Any] = {
    "council_groups": GROUPS,
    "eligible_residents": 1000,
    "quorum_share_bp": 500,
}


def publish(town: Town, author: User, title: str = "Platz an der Bibliothek") -> Project:
    with town.request_context():
        project = marketplace.publish_idea(
            author, marketplace.ProjectInput(title=title, pitch="Ein Platz für alle.")
        )
        db.session.flush()
        person = db.session.get(User, author.id)
        planning.save_profile(
            project,
            person,
            {
                "problem": "Der Platz ist grau und heiß.",
                "goal": "Bänke, Schatten und ein Trinkbrunnen.",
                "description": "Wir pflanzen Bäume und bauen Bänke.",
            },
            0,
        )
        planning.add_item(
            project, person, CostItem, planning.CostItemInput("Bänke", CostType.MATERIAL, 1_200_000)
        )
        planning.add_item(
            project,
            person,
            FinancingLine,
            planning.FinancingInput(FinancingKind.REQUESTED_FUNDING, 1_000_000),
        )
        planning.add_item(
            project,
            person,
            FinancingLine,
            planning.FinancingInput(FinancingKind.OWN_FUNDS, 200_000),
        )
        db.session.commit()
        return project


def follow(town: Town, project: Project, user: User) -> None:
    with town.request_context():
        projects.follow(db.session.get(Project, project.id), db.session.get(User, user.id))
        db.session.commit()


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
class Team:
    town: Town
    project: Project
    owner: User
    clerk_user: User
    team: FlaskClient
    clerk: FlaskClient

    def client(self, user: User) -> FlaskClient:
        client = self.town.client()
        login(client, user.email)
        return client

    def motion(self) -> Motion:
        return find(self.town, Motion, project_id=self.project.id)

    def draft(self) -> str:
        response = self.team.post(f"/antraege/projekt/{self.project.ref}/entwurf")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return self.motion().ref

    def save(self, ref: str, **changes: str) -> Any:
        motion = self.motion()
        data = {
            "version": str(motion.version),
            "title": motion.title,
            "resolution": motion.resolution,
            "justification": motion.justification,
            "financial_effects": motion.financial_effects,
            "budget_line": motion.budget_line,
            "submitters": motion.submitters,
        }
        data.update(changes)
        return self.team.post(f"/antraege/{ref}/bearbeiten", data=data)

    def ready(self) -> str:
        """A draft that passes the checks."""
        ref = self.draft()
        response = self.save(
            ref,
            resolution="Die Verwaltung wird beauftragt, den Platz umzugestalten.",
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        return ref

    def collecting(self) -> str:
        ref = self.ready()
        response = self.team.post(f"/antraege/{ref}/schritt", data={"state": "collecting"})
        assert response.status_code == 302
        assert self.motion().state.value == "collecting"
        return ref

    def step(self, ref: str, state: str, **extra: str) -> Any:
        return self.clerk.post(
            f"/antraege/verwaltung/{ref}/schritt", data={"state": state, **extra}
        )


def make_team(town: Town, prefix: str = "", clients: bool = True, **settings: Any) -> Team:
    use_plugin(town, "councilmotion", **{**SETTINGS, **settings})
    owner = town.user(f"{prefix}owner@example.org", name="Olga Owner")
    clerk_user = town.user(f"{prefix}clerk@example.org", role=Role.ADMIN, name="Karl Clerk")
    project = publish(town, owner)
    if not clients:
        return Team(town, project, owner, clerk_user, town.client(), town.client())
    team = town.client()
    login(team, owner.email)
    clerk = town.client()
    login(clerk, clerk_user.email)
    return Team(town, project, owner, clerk_user, team, clerk)


def prepared(team: Team, way: str) -> str:
    """A complete motion of the team sent to "Fraktion Grün" (``way="group"``) or
    collecting signatures (``way="residents"``), made through the services (the
    browser tests keep the CSRF check on, so their test clients cannot post)."""
    from projektfabrik_councilmotion import services

    with team.town.request_context():
        owner = db.session.get(User, team.owner.id)
        project = db.session.get(Project, team.project.id)
        motion = services.start_draft(project, owner)
        services.save_text(
            motion,
            owner,
            {
                **services.text_of(motion),
                "resolution": "Die Verwaltung wird beauftragt, den Platz umzugestalten.",
            },
            motion.version,
        )
        if way == "group":
            services.send(motion, owner, ["Fraktion Grün"])
        else:
            services.start_collecting(motion, owner)
        db.session.commit()
        return motion.ref
