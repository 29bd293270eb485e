"""The one way a service says no to what a person asked for."""

from __future__ import annotations


class Refusal(Exception):
    """A service refused input or an action.

    ``message`` is for the person, already in their language; ``field`` names
    the form field it concerns (``None``: the form as a whole). Views show it
    with ``show_refusal`` (``projektfabrik.viewhelpers``, ``projektfabrik.api``),
    which puts it beside that field or, when the field is not on the form,
    flashes it, so it is never lost. Each area subclasses it
    (``MarketplaceError``, ``TeamError``, ``PlanError``, …) so callers can
    catch one area's refusals without catching another's.
    """

    #: The field a subclass's refusals concern when none is given.
    default_field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field if field is not None else self.default_field
