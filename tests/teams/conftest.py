"""Fixtures for the teams area: a project in town A with its owner and a member."""

from __future__ import annotations

import pytest

from projektfabrik.accounts.models import Kind
from projektfabrik.testing import Town

from .teamkit import Team, add_member, person, publish


@pytest.fixture
def team(town_a: Town) -> Team:
    """Olga (citizen) owns project 1 in town A; Max (business) is a member."""
    owner, owner_client = person(town_a, "olga@example.org", "Olga Owner")
    member, member_client = person(town_a, "max@example.org", "Max Member", kind=Kind.BUSINESS)
    project = publish(town_a, owner, wanted_skills="Gärtnern, Buchhaltung")
    add_member(town_a, project, member)
    return Team(town_a, project, owner, owner_client, member, member_client)
