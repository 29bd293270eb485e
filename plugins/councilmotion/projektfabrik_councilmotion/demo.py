"""The demo town's example: one motion collecting signatures, with a paper list."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from projektfabrik.api import User, db, find_project, project_team
from projektfabrik_councilmotion import services
from projektfabrik_councilmotion.models import Motion, State

RESOLUTION = (
    "Die Verwaltung wird beauftragt, dem Projekt die städtische Brachfläche am Hafen "
    "für fünf Jahre mietfrei als Gemeinschaftsgarten zu überlassen und dort bis zum "
    "Frühjahr einen Wasseranschluss einzurichten."
)


def _project_with_team() -> tuple[object, object] | None:
    for number in range(1, 40):
        project = find_project(number)
        if project is None:
            continue
        team = project_team(project)
        if team:
            return project, team[0]
    return None


def seed() -> None:
    """Once: a second run finds the motion and adds nothing."""
    if db.session.scalar(select(Motion.id).limit(1)) is not None:
        return
    found = _project_with_team()
    if found is None:
        return
    project, owner = found
    motion = services.start_draft(project, owner)
    services.save_text(
        motion,
        owner,
        {**services.text_of(motion), "resolution": RESOLUTION},
        motion.version,
    )
    if services.problems(motion):
        return  # the demo's plan does not make a complete motion; leave the draft
    services.start_collecting(motion, owner)
    services.add_list(motion, None, 37)
    assert motion.state == State.COLLECTING
    team = {u.id for u in project_team(project)}
    for person in db.session.scalars(select(User).order_by(User.id)):
        if person.id in team or not services.online_open(motion):
            continue
        first, _sep, family = (person.display_name or "Demo Person").partition(" ")
        services.support(
            motion,
            person,
            family_name=family or first,
            first_name=first,
            birth_date=date(1985, 4, 12),
            address="Hafenstraße 5, Musterstadt",
        )
        break  # one online supporter shows how it is counted apart
