"""Indicator values as people type them and as the pages show them.

A value is a ``Decimal`` with at most two places, never negative, below
:data:`MAX_VALUE`; parsing uses Babel's strict number parser in the reader's
language ("1.234,5" in German, "1,234.5" in English).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import gettext as _

from projektfabrik.formatting import current_locale, format_number
from projektfabrik.refusal import Refusal

PLACES = Decimal("0.01")
#: The column holds 14 digits, two of them after the separator.
MAX_VALUE = Decimal("999999999999.99")
#: Digits, separators and spaces only: Babel would also read "1e5" and "NaN".
_NUMBER_LIKE = re.compile(r"-?[0-9][0-9.,\s\u00a0\u202f]*")


class ValueRefused(Refusal):
    """Text that is not a value an indicator can hold."""

    default_field = "value"


def quantize(value: Decimal) -> Decimal:
    """``value`` with exactly two places; refuses more places than two."""
    if value != value.quantize(PLACES):
        raise ValueRefused(_("At most two decimal places, please."))
    return value.quantize(PLACES)


def checked(value: Decimal) -> Decimal:
    """A value as stored: two places, not negative, not too large."""
    if not value.is_finite():
        raise ValueRefused(_("Please enter a number."))
    if value < 0:
        raise ValueRefused(_("Negative values are not possible here."))
    if value > MAX_VALUE:
        raise ValueRefused(_("This number is too large."))
    return quantize(value)


def parse_value(text: str | None) -> Decimal:
    """The number in ``text`` (the reader's language), or :class:`ValueRefused`."""
    raw = " ".join((text or "").split())
    if not raw:
        raise ValueRefused(_("Please enter a number."))
    locale = current_locale()
    try:
        if not _NUMBER_LIKE.fullmatch(raw):
            raise NumberFormatError(raw)
        found = parse_decimal(raw, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation):
        example = format_number(Decimal("1234.5"), 2, locale=locale)
        raise ValueRefused(
            _("This is not a number. Please write it like %(example)s.", example=example)
        ) from None
    return checked(found)


def show(value: Decimal | None) -> str:
    """A value for people: the reader's separators, at most two places."""
    return format_number(value, 2) if value is not None else ""


def show_input(value: Decimal | None) -> str:
    """A value put back into a form field, so that saving it unchanged parses."""
    return format_number(value, 2) if value is not None else ""
