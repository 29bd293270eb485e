"""Fixtures of the Kneipentools tests; the helpers live in pubtools_support.py (a
unique module name: several test folders have a conftest.py)."""

from __future__ import annotations

import pytest
from pubtools_support import Team, make_team

from projektfabrik.testing import Town


@pytest.fixture
def team_a(town_a: Town) -> Team:
    return make_team(town_a)
