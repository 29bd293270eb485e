"""Money as integer cents: reading what people type, writing it the way they read.

People type amounts the way their language writes them: German ``1.234,56``,
``1234,56``, ``1234`` or ``1.234`` (a thousand), English ``1,234.56``. The
reader's locale decides which character is the decimal separator, so
``1.234`` is a thousand euros in German and refused in English (three
decimal places). A currency sign (``€``, ``EUR``) and spaces are ignored.

Refused, each with a message in the reader's language: empty input, a minus
sign, more than two decimal places, separators in the wrong places
(``12,3,4``), anything that is not a number, and amounts above
:data:`MAX_CENTS`.

No float is involved anywhere: parsing works on the digits, formatting hands
Babel a :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel import Locale
from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from flask_babel import gettext as _

from projektfabrik import formatting

#: The largest amount one line may carry: ten million euros. Far above any
#: citizen project; it keeps typing mistakes ("1000000000") out of the plan.
MAX_CENTS = 10_000_000 * 100

_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_CURRENCY = re.compile(r"(€|eur(?:o|os)?)", re.IGNORECASE)
_MINUS = ("-", "\u2212", "\u2013")


class MoneyError(ValueError):
    """Input that is not an amount; ``message`` says why, in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _separators(locale: Locale | str | None) -> tuple[str, str]:
    """(decimal, group) separators: German style unless the language is English-like."""
    if get_decimal_symbol(_locale(locale)) == ".":
        return ".", ","
    return ",", "."


def _locale(locale: Locale | str | None) -> Locale:
    if locale is None:
        locale = get_locale() or "de"
    return Locale.parse(locale)


def parse_cents(text: str | None, locale: Locale | str | None = None) -> int:
    """The amount in ``text`` as integer cents, or :class:`MoneyError`."""
    decimal, group = _separators(locale)
    raw = (text or "").strip()
    if not raw:
        raise MoneyError(_("Please enter an amount."))
    cleaned = _SPACES.sub("", _CURRENCY.sub("", raw))
    if cleaned.startswith(_MINUS) or cleaned.endswith(_MINUS):
        raise MoneyError(_("Negative amounts are not possible here."))
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    example = format_input(123456, locale)
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned):
        raise MoneyError(_("Please enter an amount in numbers, e.g. %(example)s.", example=example))
    whole, sep, fraction = cleaned.rpartition(decimal)
    if not sep:
        whole, fraction = cleaned, ""
    elif decimal in whole:
        raise MoneyError(
            _("This is not an amount. Please write it like %(example)s.", example=example)
        )
    if sep and not fraction:
        raise MoneyError(_("Please write the cents after the decimal separator, or leave it out."))
    if not fraction.isdigit() and fraction:
        raise MoneyError(
            _("This is not an amount. Please write it like %(example)s.", example=example)
        )
    if len(fraction) > 2:
        raise MoneyError(_("At most two decimal places (cents), please."))
    if group in whole:
        groups = whole.split(group)
        if not (
            1 <= len(groups[0]) <= 3
            and groups[0].isdigit()
            and all(len(g) == 3 and g.isdigit() for g in groups[1:])
        ):
            raise MoneyError(
                _("This is not an amount. Please write it like %(example)s.", example=example)
            )
        whole = "".join(groups)
    if not whole:
        whole = "0"
    if not whole.isdigit():
        raise MoneyError(
            _("This is not an amount. Please write it like %(example)s.", example=example)
        )
    if len(whole) > 12:
        raise MoneyError(
            _("At most %(max)s per line, please.", max=format_cents(MAX_CENTS, locale))
        )
    cents = int(whole) * 100 + int(fraction.ljust(2, "0") or "0")
    if cents > MAX_CENTS:
        raise MoneyError(
            _("At most %(max)s per line, please.", max=format_cents(MAX_CENTS, locale))
        )
    return cents


def format_cents(cents: int | None, locale: Locale | str | None = None) -> str:
    """``"1.234,56 €"`` in German, ``"€1,234.56"`` in English (``formatting.format_money``)."""
    return formatting.format_money(cents, locale=locale)


def format_input(cents: int | None, locale: Locale | str | None = None) -> str:
    """The amount as it goes back into a form field: ``"1.234,56"`` / ``"1,234.56"``."""
    return formatting.format_money_input(cents, locale=locale)


def to_decimal(cents: int) -> Decimal:
    """Euros as an exact Decimal, for spreadsheets."""
    return Decimal(cents) / 100


def share_basis_points(part: int, whole: int) -> int | None:
    """``part / whole`` in hundredths of a percent, rounded half up; None when ``whole`` is 0.

    Integer arithmetic only: 1 of 3 is 3333 (33,33 %), 1 of 8 is 1250 (12,5 %),
    1 of 6 is 1667 (16,67 %).
    """
    if whole <= 0:
        return None
    return (part * 10000 * 2 + whole) // (2 * whole)


def format_share(basis_points: int | None, locale: Locale | str | None = None) -> str:
    """``"12,5 %"`` / ``"12.5%"`` (at most two decimals); a dash when there is no share."""
    return formatting.format_percent_bp(basis_points, locale=locale)
