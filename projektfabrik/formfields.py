"""Form fields the core's and plugins' forms share."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from wtforms import DateField

#: What a date field accepts: what a browser's date picker sends first (and what
#: the field shows), then dates as people type them in German.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]

_EXAMPLE = date(2026, 5, 15)


def date_example(value: date = _EXAMPLE) -> str:
    """A date as the reader types it: 15.05.2026 in German, 2026-05-15 otherwise."""
    locale = get_locale()
    if locale is not None and locale.language == "de":
        return value.strftime("%d.%m.%Y")
    return value.isoformat()


def _hint() -> str:
    return _("Date, e.g. %(example)s", example=date_example())


class LocalDateField(DateField):
    """A date typed as people write it (15.05.2026) or sent by a date picker (2026-05-15).

    Browsers without a date picker show a text box: the hint under the field
    says how to write the date in the reader's language, and both forms work.
    """

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", DATE_FORMATS)
        kwargs.setdefault("description", LazyString(_hint))
        super().__init__(label, validators, **kwargs)
