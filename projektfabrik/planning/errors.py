"""Refusals of the planning services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from projektfabrik.accounts.models import User
from projektfabrik.refusal import Refusal


class PlanError(Refusal):
    """Planning refused input; see ``projektfabrik.refusal``."""


class StaleEdit(PlanError):
    """Someone else saved the same section (or item) since the form was shown.

    ``current`` is what is saved now (a dict of field -> value), ``version``
    the number the form should carry when the person sends it again, and
    ``by``/``at`` who saved it and when (if known).
    """

    def __init__(
        self,
        current: Mapping[str, Any] | None,
        version: int,
        by: User | None = None,
        at: Any = None,
    ) -> None:
        super().__init__(
            _(
                "Someone else saved this section in the meantime. Your entries are kept below; "
                "compare them with what is saved now and send the form again to keep yours."
            )
        )
        self.current = dict(current or {})
        self.version = version
        self.by = by
        self.at = at
