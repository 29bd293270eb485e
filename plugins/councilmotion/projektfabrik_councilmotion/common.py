"""What every part of the plugin needs: its name, its refusal, its settings and the town's today."""

from __future__ import annotations

from datetime import date
from typing import Any

from projektfabrik.api import Refusal, local_date, plugin_settings, utcnow
from projektfabrik_councilmotion import rules

NAME = "councilmotion"


class MotionError(Refusal):
    pass


def town_today() -> date:
    """Today on the town's calendar."""
    today = local_date(utcnow())
    assert today is not None
    return today


def settings() -> dict[str, Any]:
    return {**rules.DEFAULTS, **plugin_settings(NAME)}
