"""Fixtures of the strategy tests (helpers: strategy_helpers.py)."""

from __future__ import annotations

import pytest
from strategy_helpers import Setup, setup

from projektfabrik.testing import Town


@pytest.fixture
def strat(town_a: Town) -> Setup:
    return setup(town_a)
