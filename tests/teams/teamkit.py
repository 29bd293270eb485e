"""Helpers for the teams tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient

from projektfabrik.accounts.models import User
from projektfabrik.cli import main
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as marketplace
from projektfabrik.projects.models import Membership, Project, TeamRole
from projektfabrik.testing import Town, login


def publish(town: Town, author: User, title: str = "Garten am Hafen", **kw: Any) -> Project:
    with town.request_context():
        project = marketplace.publish_idea(
            author, marketplace.ProjectInput(title=title, pitch="Hochbeete für alle.", **kw)
        )
        db.session.commit()
        return project


def add_member(town: Town, project: Project, user: User, owner: bool = False) -> None:
    with town.context():
        db.session.add(
            Membership(
                project_id=project.id,
                user_id=user.id,
                role=TeamRole.OWNER if owner else TeamRole.MEMBER,
            )
        )
        db.session.commit()


def person(town: Town, email: str, name: str | None = None, **kw: Any) -> tuple[User, FlaskClient]:
    user = town.user(email, name=name, **kw)
    client = town.client()
    login(client, email)
    return user, client


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def run_cli(app: Flask, *args: str, input: bytes | None = None) -> Result:  # noqa: A002
    return CliRunner().invoke(main, list(args), input=input, obj=ScriptInfo(create_app=lambda: app))


@dataclass
class Team:
    town: Town
    project: Project
    owner: User
    owner_client: FlaskClient
    member: User
    member_client: FlaskClient


def shown(app: Flask, msgid: str, **values: Any) -> str:
    """A message as the towns' pages show it (German, HTML-escaped)."""
    from flask_babel import force_locale, gettext
    from markupsafe import escape

    with app.test_request_context(), force_locale("de"):
        return str(escape(gettext(msgid, **values)))
