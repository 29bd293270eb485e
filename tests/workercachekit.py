"""What the worker-cache tests share: an idea published in a town, and two
towns given one content version (so only the town's id keeps their kept
entries apart)."""

from __future__ import annotations

from sqlalchemy import bindparam, text

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.marketplace import services
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town


def publish(town: Town, author: User, title: str, skills: str = "") -> Project:
    with town.request_context():
        project = services.publish_idea(
            author,
            services.ProjectInput(
                title=title,
                pitch=f"Der Pitch von {title}.",
                looking_for_members=bool(skills),
                wanted_skills=skills,
            ),
        )
        db.session.commit()
        return project


def same_version(*towns: Town) -> None:
    """Give the towns one content and shared version, so only the town's id tells
    their entries apart."""
    with towns[0].app.app_context():
        db.session.execute(
            text(
                "UPDATE tenant SET content_version = 1000, shared_version = 1000 WHERE id IN :ids"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": [t.tenant.id for t in towns]},
        )
        db.session.commit()
