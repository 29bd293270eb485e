"""Fixtures of the planning tests: a town with a project and its team (an owner and a
member, both logged in). Helpers are in ``planning_helpers``."""

from __future__ import annotations

import pytest
from planning_helpers import Team, make_team, pdf_or_skip

from projektfabrik.testing import Town


@pytest.fixture
def team(town_a: Town) -> Team:
    return make_team(town_a)


@pytest.fixture
def needs_pdf() -> None:
    pdf_or_skip()
