"""Helpers for the strategy tests: a town with a goal, two indicators and a project."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.projects.models import Project
from projektfabrik.strategy import contributions, services
from projektfabrik.strategy.models import Goal, Indicator
from projektfabrik.testing import Town


@dataclass
class Setup:
    town: Town
    admin: User
    owner: User
    staff: User
    project: Project
    goal_ref: str
    trees_ref: str
    co2_ref: str


def publish(town: Town, author: User, title: str = "Nachbarschaftsgarten") -> Project:
    with town.request_context():
        project = marketplace.publish_idea(
            author, marketplace.ProjectInput(title=title, pitch="Wir gärtnern zusammen.")
        )
        db.session.commit()
        return project


def goal(town: Town, title: str = "Klimaschutz") -> tuple[str, str, str]:
    """A goal with two indicators; returns the refs of goal, trees and CO₂."""
    with town.request_context():
        new = services.save_goal(
            None, title=title, summary="Weniger CO₂.", source_url="", group=None, actor=None
        )
        trees = services.add_indicator(new, name="Bäume", unit="Bäume", actor=None)
        co2 = services.add_indicator(new, name="CO₂-Einsparung", unit="t CO₂ pro Jahr", actor=None)
        services.set_target(co2, 2030, Decimal("500"), actor=None)
        db.session.commit()
        return new.ref, trees.ref, co2.ref


def setup(town: Town, prefix: str = "") -> Setup:
    admin = town.user(f"{prefix}admin@example.org", role=Role.ADMIN, name="Anna Admin")
    owner = town.user(f"{prefix}owner@example.org", name="Olga Owner")
    staff = town.user(f"{prefix}staff@example.org", name="Sam Staff", kind=Kind.ADMINISTRATION)
    with town.context():
        person = db.session.get(User, staff.id)
        assert person is not None
        person.staff_confirmed_at = utcnow()
        db.session.commit()
    project = publish(town, owner)
    goal_ref, trees_ref, co2_ref = goal(town)
    return Setup(town, admin, owner, staff, project, goal_ref, trees_ref, co2_ref)


def link(town: Town, project: Project, goal_ref: str) -> None:
    with town.request_context():
        found = db.session.get(Project, project.id)
        wanted = db.session.scalar(select(Goal).where(Goal.ref == goal_ref))
        assert found is not None and wanted is not None
        contributions.set_goals(found, contributions.goal_ids(found) | {wanted.id}, actor=None)
        db.session.commit()


def indicator(ref: str) -> Indicator:
    found = db.session.scalar(select(Indicator).where(Indicator.ref == ref))
    assert found is not None
    return found
