"""A town with the Kneipentools on and a project team with a full plan.

Test setup may use the core's internals (marketplace, planning and teams
services) to build the project; the plugin itself imports ``projektfabrik.api``
only.
"""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask.testing import FlaskClient

from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.planning import services as planning
from projektfabrik.planning.models import (
    CostItem,
    CostType,
    FinancingKind,
    FinancingLine,
    Milestone,
    Requirement,
    ResourceKind,
    Source,
    Task,
    WorkPackage,
)
from projektfabrik.projects.models import Project
from projektfabrik.teams import services as teams
from projektfabrik.testing import Town, login, use_plugin

PROFILE = {
    "problem": "Im Viertel fehlt ein Treffpunkt im Grünen.",
    "goal": "Ein Gemeinschaftsgarten für alle Nachbarn.",
    "vision": "Kinder ernten Tomaten, Ältere sitzen auf der Bank.",
    "description": "Wir legen Hochbeete an und treffen uns jeden Samstag.",
}


@dataclass
class Team:
    town: Town
    project: Project
    owner: User
    member: User
    outsider: User
    admin: User

    def client(self, user: User | None = None) -> FlaskClient:
        client = self.town.client()
        if user is not None:
            login(client, user.email)
        return client


def make_team(town: Town, prefix: str = "", full: bool = True, tasks: int = 3) -> Team:
    use_plugin(town, "pubtools")
    owner = town.user(f"{prefix}owner@example.org", name="Olga Owner")
    member = town.user(f"{prefix}member@example.org", name="Mia Member")
    outsider = town.user(f"{prefix}outsider@example.org", name="Otto Outsider")
    admin = town.user(f"{prefix}admin@example.org", role=Role.ADMIN, name="Anna Admin")
    with town.request_context():
        owner = db.session.get(User, owner.id)
        member_row = db.session.get(User, member.id)
        member_row.skills = "Gärtnern, Tischlern"
        project = marketplace.publish_idea(
            owner,
            marketplace.ProjectInput(
                title="Nachbarschaftsgarten", pitch="Wir gärtnern zusammen im Hinterhof."
            ),
        )
        project.wanted_skills = "Buchhaltung, Grafik"
        teams._add_member(project, member_row, via="code")
        if full:
            fill_plan(project, owner, tasks)
        db.session.commit()
        db.session.refresh(project)
        db.session.expunge(project)
    return Team(town, project, owner, member, outsider, admin)


def fill_plan(project: Project, owner: User, tasks: int = 3) -> None:
    planning.save_profile(project, owner, PROFILE, 0)
    package = planning.add_item(
        project, owner, WorkPackage, planning.WorkPackageInput("Beete bauen", "Holz und Erde")
    )
    db.session.flush()
    for number in range(tasks):
        planning.add_item(
            project,
            owner,
            Task,
            planning.TaskInput(
                f"Hochbeet {number + 1} zimmern",
                work_package=package.ref,
                start=date(2027, 3, 1),
                end=date(2027, 3, 31),
            ),
        )
    planning.add_item(
        project, owner, Milestone, planning.MilestoneInput("Erste Ernte", date(2027, 7, 15))
    )
    planning.add_item(
        project,
        owner,
        Requirement,
        planning.RequirementInput(
            "Lärchenholz",
            ResourceKind.MATERIAL,
            CostType.MATERIAL,
            Source.FUNDING,
            quantity=12,
            unit="Bretter",
            cost_cents=48_000,
        ),
    )
    planning.add_item(
        project,
        owner,
        CostItem,
        planning.CostItemInput("Pflanzerde", CostType.MATERIAL, 25_050),
    )
    planning.add_item(
        project,
        owner,
        FinancingLine,
        planning.FinancingInput(FinancingKind.OWN_FUNDS, 10_000, "Spenden vom Sommerfest"),
    )


def pdf_text(content: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def qr_codes(content: bytes, folder: Path, dpi: int = 150) -> list[str]:
    """Every QR code on every page of the PDF, decoded from a rendered picture."""
    import zxingcpp
    from PIL import Image

    source = folder / "sheet.pdf"
    source.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(source), str(folder / "page")], check=True
    )
    found = []
    for picture in sorted(folder.glob("page*.png")):
        with Image.open(picture) as image:
            found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found
