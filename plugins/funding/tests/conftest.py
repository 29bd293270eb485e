"""Fixtures of the funding tests; the helpers live in funding_support.py (a unique
module name: several test folders have a conftest.py)."""

from __future__ import annotations

import pytest
from funding_support import Round, make_round

from projektfabrik.testing import Town


@pytest.fixture
def round_a(town_a: Town) -> Round:
    return make_round(town_a)
