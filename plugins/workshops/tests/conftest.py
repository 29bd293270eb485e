"""Fixtures of the workshops tests; helpers live in workshops_support.py (a unique
module name: several test folders have a conftest.py)."""

from __future__ import annotations

import pytest
from workshops_support import Setup, setup_town

from projektfabrik.testing import Town


@pytest.fixture
def ws_a(town_a: Town) -> Setup:
    return setup_town(town_a)


@pytest.fixture
def ws_b(town_b: Town) -> Setup:
    return setup_town(town_b)
