"""Helpers for the planning tests: a team, finding rows, German texts (fixtures: conftest.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.planning import exports
from projektfabrik.projects.models import Membership, Project, TeamRole
from projektfabrik.testing import Town, login


def publish(town: Town, author: User, title: str = "Nachbarschaftsgarten") -> Project:
    with town.request_context():
        project = marketplace.publish_idea(
            author, marketplace.ProjectInput(title=title, pitch="Wir gärtnern zusammen.")
        )
        db.session.commit()
        return project


@dataclass
class Team:
    town: Town
    project: Project
    owner_user: User
    member_user: User
    owner: FlaskClient
    member: FlaskClient

    def login(self, user: User) -> FlaskClient:
        client = self.town.client()
        login(client, user.email)
        return client

    def find(self, model: type, **where: Any) -> Any:
        return find(self.town, model, **where)


def find(town: Town, model: type, **where: Any) -> Any:
    """The first row of ``model`` in ``town`` (by id), or None."""
    with town.context():
        statement = select(model).order_by(model.id)  # type: ignore[attr-defined]
        for name, value in where.items():
            statement = statement.where(getattr(model, name) == value)
        found = db.session.scalar(statement)
        if found is not None:
            db.session.expunge(found)
        return found


def make_team(town: Town, prefix: str = "") -> Team:
    owner = town.user(f"{prefix}owner@example.org", name="Olga Owner")
    member = town.user(f"{prefix}member@example.org", name="Mia Member")
    project = publish(town, owner)
    with town.context():
        db.session.add(Membership(project_id=project.id, user_id=member.id, role=TeamRole.MEMBER))
        db.session.commit()
    team = Team(town, project, owner, member, town.client(), town.client())
    login(team.owner, owner.email)
    login(team.member, member.email)
    return team


def pdf_or_skip() -> None:
    """PDF tests need WeasyPrint and Pango: skipped without them, except under CI."""
    if exports.pdf_available():
        return
    message = "WeasyPrint cannot be loaded here (Pango missing?); PDF export is off"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def de(message: str, **values: Any) -> str:
    """``message`` as a German reader sees it: translated once the catalogue has it,
    English until then. Tests compare pages with this, not with the msgid."""
    from flask_babel import force_locale, gettext

    with force_locale("de"):
        return gettext(message, **values)


def de_html(message: str, **values: Any) -> str:
    """:func:`de`, escaped the way templates escape it."""
    from markupsafe import escape

    return str(escape(de(message, **values)))
