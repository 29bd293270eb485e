"""Fixtures of the business plan tests; helpers in businessplan_support.py (a unique
module name: several test folders have a conftest.py)."""

from __future__ import annotations

import pytest
from businessplan_support import Setup, make_setup

from projektfabrik.testing import Town


@pytest.fixture
def setup_a(town_a: Town) -> Setup:
    return make_setup(town_a)
