"""Team events reach plugins after the commit, in the team's town, with refs only."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.plugins.hookspecs import hookimpl
from projektfabrik.plugins.manager import get_manager
from projektfabrik.teams.events import (
    JoinDecided,
    JoinRequested,
    MemberLeft,
    OwnershipHandedOver,
    TeamJoined,
)
from projektfabrik.teams.models import TeamAccess
from projektfabrik.tenancy.context import current_tenant

from .teamkit import Team, person


class Recorder:
    def __init__(self) -> None:
        self.seen: list[tuple[str, Any]] = []

    @hookimpl
    def pf_on_event(self, event: Any) -> None:
        self.seen.append((current_tenant().slug, event))


@pytest.fixture
def recorder(app: Flask) -> Recorder:
    found = Recorder()
    # Registered like the core's own areas: internal plugins get every event.
    get_manager(app).register("recorder", found, internal=True)
    return found


def test_each_step_of_a_team_is_an_event(team: Team, recorder: Recorder) -> None:
    helga, client = person(team.town, "helga@example.org", "Helga")
    client.post("/projekte/1/team/anfragen", data={"motivation": "Bitte"})
    ((slug, requested),) = recorder.seen
    assert slug == "stadt-a" and isinstance(requested, JoinRequested)
    assert requested == JoinRequested(
        project_number=1, user_ref=helga.ref, request_ref=requested.request_ref, invited=False
    )
    team.owner_client.post(
        f"/projekte/1/team/anfragen/{requested.request_ref}/entscheiden",
        data={"decision": "accept"},
    )
    team.owner_client.post(f"/projekte/1/team/mitglieder/{helga.ref}/uebergeben")
    team.owner_client.post("/projekte/1/team/verlassen")
    team.owner_client.post("/projekte/1/team/verlassen")  # refused now: no event
    events = [event for _slug, event in recorder.seen[1:]]
    assert events == [
        TeamJoined(project_number=1, user_ref=helga.ref, via="request"),
        JoinDecided(
            project_number=1, user_ref=helga.ref, request_ref=requested.request_ref,
            accepted=True, decided_by_ref=team.owner.ref,
        ),
        OwnershipHandedOver(project_number=1, from_user_ref=team.owner.ref, to_user_ref=helga.ref),
        MemberLeft(project_number=1, user_ref=team.owner.ref, removed_by_ref=None),
    ]  # fmt: skip


def test_a_refused_step_emits_nothing(team: Team, recorder: Recorder) -> None:
    team.owner_client.post("/projekte/1/team/verlassen")  # the last owner
    team.member_client.post("/beitreten", data={"code": "ZZZZ-ZZZZ"})
    assert recorder.seen == []
    helper, client = person(team.town, "h@example.org")
    team.owner_client.get("/projekte/1/team/code")
    with team.town.context():
        code = db.session.scalar(select(TeamAccess.join_code))
    client.post("/beitreten", data={"code": code})
    assert [e for _s, e in recorder.seen] == [
        TeamJoined(project_number=1, user_ref=helper.ref, via="code")
    ]
    team.owner_client.post(f"/projekte/1/team/mitglieder/{helper.ref}/entfernen")
    assert recorder.seen[-1][1] == MemberLeft(
        project_number=1, user_ref=helper.ref, removed_by_ref=team.owner.ref
    )
