"""Marketplace and planning events reach plugins after the commit, in their own town.

For each event: a plugin enabled in town A hears it once the transaction is
committed (not before), never when the transaction is rolled back, and never
when the same thing happens in town B, where the plugin is switched off.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from projektfabrik.accounts.models import User
from projektfabrik.api import (
    PlanSectionSaved,
    PlanVersionRestored,
    ProjectAdopted,
    ProjectCreated,
    ProjectEdited,
    ProjectFollowed,
    ProjectStatusChanged,
    ProjectSupported,
)
from projektfabrik.extensions import db
from projektfabrik.marketplace import services as market
from projektfabrik.planning import services as planning
from projektfabrik.planning.models import Section
from projektfabrik.projects import access
from projektfabrik.projects import services as projects
from projektfabrik.projects.models import Project, Status
from projektfabrik.testing import Town, use_plugin

RECORDER = """
from projektfabrik.api import current_tenant, hookimpl

seen = []

@hookimpl
def pf_on_event(event):
    seen.append((current_tenant().slug, event))
"""

PROFILE = {"problem": "Zu wenig Grün", "goal": "Ein Garten"}


@pytest.fixture
def app_config(app_config: dict[str, Any], extra_plugins: Any) -> dict[str, Any]:
    extra_plugins({"evrec": RECORDER})
    return app_config


@pytest.fixture
def seen(app: Flask) -> list[tuple[str, Any]]:
    module = importlib.import_module("pf_test_evrec")
    module.seen.clear()
    return module.seen


@dataclass(frozen=True)
class World:
    """A town's owner, a second person and the owner's project (number), as plain values."""

    owner_id: int
    owner_ref: str
    other_id: int
    other_ref: str
    number: int
    idea_number: int  # published without a lead, waiting to be adopted


def make_world(town: Town) -> World:
    owner = town.user(name="Olga")
    other = town.user(name="Otto")
    with town.request_context():
        owner = db.session.get(User, owner.id)
        led = market.publish_idea(owner, market.ProjectInput(title="Garten", pitch="Grün"))
        idea = market.publish_idea(owner, market.ProjectInput(title="Bank", pitch="Sitzen"), False)
        db.session.commit()
        other = db.session.get(User, other.id)
        return World(owner.id, owner.ref, other.id, other.ref, led.number, idea.number)


@dataclass
class Ctx:
    """What an action works on, loaded inside the town's context."""

    owner: User
    other: User
    project: Project
    idea: Project


def load(world: World) -> Ctx:
    return Ctx(
        owner=db.session.get(User, world.owner_id),  # type: ignore[arg-type]
        other=db.session.get(User, world.other_id),  # type: ignore[arg-type]
        project=access.find_project(world.number),  # type: ignore[arg-type]
        idea=access.find_project(world.idea_number),  # type: ignore[arg-type]
    )


def _restore(c: Ctx) -> None:
    planning.save_profile(c.project, c.owner, PROFILE, 0)
    planning.save_profile(c.project, c.owner, {"problem": "anders"}, 1)
    planning.restore(c.project, c.owner, 1, Section.PROFILE, 2)


@dataclass(frozen=True)
class Case:
    name: str
    act: Callable[[Ctx], Any]
    #: The events expected in town A (given its World), in order.
    expect: Callable[[World], list[Any]]


CASES = [
    Case(
        "created",
        lambda c: market.publish_idea(c.other, market.ProjectInput(title="Neu", pitch="x")),
        lambda w: [ProjectCreated(project_number=3, author_ref=w.other_ref, leads=True)],
    ),
    Case(
        "edited",
        lambda c: market.update_project(c.project, market.ProjectInput(title="Neu", pitch="y")),
        lambda w: [ProjectEdited(project_number=w.number)],
    ),
    Case(
        "status changed",
        lambda c: projects.change_status(c.project, Status.PLANNING, c.owner),
        lambda w: [
            ProjectStatusChanged(
                project_number=w.number,
                from_status="idea",
                to_status="planning",
                by_user_ref=w.owner_ref,
            )
        ],
    ),
    Case(
        "adopted",
        lambda c: market.adopt(c.idea, c.other),
        lambda w: [
            ProjectStatusChanged(
                project_number=w.idea_number,
                from_status="idea",
                to_status="team_forming",
                by_user_ref=w.other_ref,
            ),
            ProjectAdopted(project_number=w.idea_number, user_ref=w.other_ref),
        ],
    ),
    Case(
        "supported and withdrawn",
        lambda c: (
            market.toggle_support(c.project, c.other),
            market.toggle_support(c.project, c.other),
        ),
        lambda w: [
            ProjectSupported(project_number=w.number, user_ref=w.other_ref, supported=True),
            ProjectSupported(project_number=w.number, user_ref=w.other_ref, supported=False),
        ],
    ),
    Case(
        "followed and unfollowed",
        lambda c: (
            projects.toggle_follow(c.project, c.other),
            projects.toggle_follow(c.project, c.other),
        ),
        lambda w: [
            ProjectFollowed(project_number=w.number, user_ref=w.other_ref, following=True),
            ProjectFollowed(project_number=w.number, user_ref=w.other_ref, following=False),
        ],
    ),
    Case(
        "plan section saved",
        lambda c: planning.save_profile(c.project, c.owner, PROFILE, 0),
        lambda w: [
            PlanSectionSaved(
                project_number=w.number, section="profile", version=1, author_ref=w.owner_ref
            )
        ],
    ),
    Case(
        "plan version restored",
        _restore,
        lambda w: [
            PlanSectionSaved(
                project_number=w.number, section="profile", version=1, author_ref=w.owner_ref
            ),
            PlanSectionSaved(
                project_number=w.number, section="profile", version=2, author_ref=w.owner_ref
            ),
            PlanSectionSaved(
                project_number=w.number,
                section="profile",
                version=3,
                author_ref=w.owner_ref,
                restored_from=1,
            ),
            PlanVersionRestored(
                project_number=w.number,
                section="profile",
                restored_from=1,
                version=3,
                author_ref=w.owner_ref,
            ),
        ],
    ),
]


def run(town: Town, world: World, case: Case, seen: list[Any], commit: bool = True) -> None:
    with town.request_context():
        case.act(load(world))
        assert seen == []  # not before the commit
        if commit:
            db.session.commit()
            assert seen == []  # delivered when the request ends, not inside the commit
        else:
            db.session.rollback()


@pytest.fixture
def worlds(town_a: Town, town_b: Town) -> tuple[World, World]:
    use_plugin(town_a, "evrec")
    use_plugin(town_b, "evrec", enabled=False)
    return make_world(town_a), make_world(town_b)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_delivered_after_commit_in_its_town(
    case: Case, town_a: Town, worlds: tuple[World, World], seen: list[Any]
) -> None:
    seen.clear()  # the worlds' own projects were announced already
    run(town_a, worlds[0], case, seen)
    assert seen == [("stadt-a", event) for event in case.expect(worlds[0])]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_not_delivered_when_rolled_back(
    case: Case, town_a: Town, worlds: tuple[World, World], seen: list[Any]
) -> None:
    seen.clear()
    run(town_a, worlds[0], case, seen, commit=False)
    assert seen == []


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_not_delivered_to_a_plugin_another_town_switched_off(
    case: Case, town_b: Town, worlds: tuple[World, World], seen: list[Any]
) -> None:
    seen.clear()
    run(town_b, worlds[1], case, seen)
    assert seen == []


def test_the_worlds_own_publishing_was_heard_in_town_a_only(
    seen: list[Any], worlds: tuple[World, World]
) -> None:
    world_a, _world_b = worlds
    assert seen == [
        ("stadt-a", ProjectCreated(project_number=1, author_ref=world_a.owner_ref, leads=True)),
        ("stadt-a", ProjectCreated(project_number=2, author_ref=world_a.owner_ref, leads=False)),
    ]
