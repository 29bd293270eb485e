"""The refusals of the funding services: a change the rules refuse, with a message for the person."""

from __future__ import annotations

from projektfabrik.api import (
    Refusal,
)


class FundingError(Refusal):
    """A change the rules refuse; ``message`` is for the person."""


class OverBudget(FundingError):
    pass
