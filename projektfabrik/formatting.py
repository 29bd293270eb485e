"""One way to show dates, times, numbers and money: the reader's language, the town's clock.

Every page, mail, PDF, calendar description and export of the core and the
plugins formats through these functions (plugins: ``projektfabrik.api``;
templates: the filters registered by ``init_app``). They use Babel with

- the **locale** in force (Flask-Babel's, which honours ``force_locale`` when
  a notification is written in each recipient's language), else the town's
  default language, else German;
- the **town's time zone** (``tenant.timezone``, default Europe/Berlin), read
  from the town in context each time, so code that handles several towns in
  one app context (the digest, the CLI) never uses another town's clock.

Stored datetimes are UTC (``db.UTCDateTime``); naive datetimes are taken as
UTC. JSON snapshots keep ISO strings; the functions accept those too, so a
template never slices an ISO string. ``iso`` is the one machine-readable form,
for ``<time datetime="...">`` and data files: ISO 8601 without microseconds.

Money is integer cents (``money``), shares are basis points (``percent_bp``),
and decimals are ``Decimal`` or float shown with at most ``digits`` places.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel import units as babel_units
from flask import Flask, g, has_app_context, has_request_context

DEFAULT_ZONE = "Europe/Berlin"
DEFAULT_LOCALE = "de"

DateLike = date | datetime | str | None


# --- the reader's locale and the town's clock ----------------------------------------


def _town() -> Any:
    from projektfabrik.tenancy.context import current_tenant_or_none

    town = current_tenant_or_none()
    if town is None and has_request_context():
        town = g.get("tenant")
    return town


def current_locale(locale: Locale | str | None = None) -> Locale:
    """``locale`` if given, else the locale in force, else the town's default, else German."""
    if locale is not None:
        return Locale.parse(locale)
    if has_app_context():
        from flask_babel import get_locale

        try:
            found = get_locale()
        except (KeyError, RuntimeError):  # Flask-Babel not set up on this app
            found = None
        if found is not None:
            return found
    town = _town()
    return Locale.parse(getattr(town, "default_locale", None) or DEFAULT_LOCALE)


def town_zone(zone: ZoneInfo | str | None = None) -> ZoneInfo:
    """The town's time zone (Europe/Berlin when there is no town or an unknown name)."""
    if isinstance(zone, ZoneInfo):
        return zone
    name = zone or getattr(_town(), "timezone", None) or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def _as_datetime(value: DateLike) -> datetime | date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not an ISO date or datetime: {value!r}") from None
    return value


def local(value: datetime, zone: ZoneInfo | str | None = None) -> datetime:
    """A stored (UTC or naive-as-UTC) datetime on the town's clock."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(town_zone(zone))


def local_date(value: DateLike, zone: ZoneInfo | str | None = None) -> date | None:
    """The calendar day in the town: a datetime's local date, a date as it is."""
    found = _as_datetime(value)
    if isinstance(found, datetime):
        return local(found, zone).date()
    return found


# --- dates and times for people --------------------------------------------------------


def format_date(
    value: DateLike, fmt: str = "medium", *, locale: Locale | str | None = None, zone: Any = None
) -> str:
    """``15.01.2027`` / ``Jan 15, 2027`` (fmt: short, medium, long, full or a pattern)."""
    day = local_date(value, zone)
    if day is None:
        return ""
    return babel_dates.format_date(day, fmt, locale=current_locale(locale))


def format_datetime(
    value: DateLike, fmt: str = "medium", *, locale: Locale | str | None = None, zone: Any = None
) -> str:
    """``15.01.2027, 19:00`` (medium) / ``15.01.27, 19:00`` (short) on the town's clock.

    ``medium`` and ``long`` leave out seconds and the zone's name: nobody
    needs them in a town whose clock everyone shares.
    """
    found = _as_datetime(value)
    if found is None:
        return ""
    if not isinstance(found, datetime):
        return format_date(found, fmt if fmt in ("short", "medium", "long", "full") else "medium")
    loc = current_locale(locale)
    moment = local(found, zone)
    if fmt in ("medium", "long", "full"):
        day = babel_dates.format_date(moment, fmt, locale=loc)
        clock = format_time(moment, locale=loc, zone=moment.tzinfo)
        pattern = loc.datetime_formats.get(fmt) or "{1}, {0}"
        return str(pattern).replace("{1}", day).replace("{0}", clock).replace("'", "")
    return babel_dates.format_datetime(moment, fmt, tzinfo=moment.tzinfo, locale=loc)


def format_time(
    value: datetime | time | str | None,
    *,
    locale: Locale | str | None = None,
    zone: Any = None,
) -> str:
    """``19:00`` / ``7:00 PM``: hours and minutes on the town's clock."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    loc = current_locale(locale)
    if isinstance(value, datetime):
        moment = local(value, zone)
        return babel_dates.format_time(moment, "short", tzinfo=moment.tzinfo, locale=loc)
    return babel_dates.format_time(value, "short", locale=loc)


def _hour_skeleton(loc: Locale) -> str:
    short = str(loc.time_formats["short"].pattern)
    return "hm" if "h" in short else "Hm"


def format_period(
    start: DateLike,
    end: DateLike = None,
    *,
    locale: Locale | str | None = None,
    zone: Any = None,
) -> str:
    """A span of time, said once: ``Fr., 15. Januar 2027, 19:00–21:30 Uhr``,
    ``15. Jan. – 24. Feb. 2027`` for two days, ``Fri, January 15, 2027, 7:00 – 9:30 PM``.

    Datetimes are shown on the town's clock; an end on another day shows both days.
    """
    first = _as_datetime(start)
    last = _as_datetime(end)
    if first is None:
        return ""
    loc = current_locale(locale)
    if not isinstance(first, datetime):
        if last is None or last == first:
            return babel_dates.format_date(first, "medium", locale=loc)
        return babel_dates.format_interval(first, last, "yMMMd", locale=loc)
    begin = local(first, zone)
    day = babel_dates.format_skeleton("yMMMMEd", begin, locale=loc)
    skeleton = _hour_skeleton(loc)
    if last is None:
        clock = babel_dates.format_interval(begin.time(), begin.time(), skeleton, locale=loc)
        return f"{day}, {clock}"
    finish = local(last if isinstance(last, datetime) else datetime.combine(last, time()), zone)
    if finish.date() == begin.date():
        clock = babel_dates.format_interval(begin.time(), finish.time(), skeleton, locale=loc)
        return f"{day}, {clock}"
    other = babel_dates.format_skeleton("yMMMMEd", finish, locale=loc)
    return (
        f"{day}, {format_time(begin, locale=loc, zone=begin.tzinfo)} – "
        f"{other}, {format_time(finish, locale=loc, zone=finish.tzinfo)}"
    )


def format_month(value: DateLike, *, locale: Locale | str | None = None) -> str:
    """``Jan. 27`` / ``Jan 27``: a month for narrow table headings."""
    day = local_date(value)
    return (
        "" if day is None else babel_dates.format_date(day, "MMM yy", locale=current_locale(locale))
    )


def iso(value: DateLike) -> str:
    """The machine-readable form for ``<time datetime>`` and data files.

    Datetimes: UTC, ISO 8601 without microseconds (``2026-12-02T05:00:00+00:00``);
    dates: ``2026-12-02``.
    """
    found = _as_datetime(value)
    if found is None:
        return ""
    if isinstance(found, datetime):
        if found.tzinfo is None:
            found = found.replace(tzinfo=UTC)
        return found.astimezone(UTC).replace(microsecond=0).isoformat()
    return found.isoformat()


# --- numbers and money ---------------------------------------------------------------


def format_number(
    value: int | float | Decimal | None,
    digits: int = 2,
    *,
    locale: Locale | str | None = None,
) -> str:
    """``7,33`` / ``7.33``; ``1.234`` / ``1,234``: at most ``digits`` decimals, rounded half up."""
    if value is None:
        return ""
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if digits >= 0:
        amount = amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return babel_numbers.format_decimal(amount, format=pattern, locale=current_locale(locale))


def format_money(cents: int | None, *, locale: Locale | str | None = None) -> str:
    """Integer cents: ``1.234,56 €`` / ``€1,234.56``; exact (no float on the way)."""
    if cents is None:
        return ""
    return babel_numbers.format_currency(Decimal(cents) / 100, "EUR", locale=current_locale(locale))


def format_money_input(cents: int | None, *, locale: Locale | str | None = None) -> str:
    """An amount as it goes back into a form field: ``1.234,56`` / ``1,234.56``."""
    if cents is None:
        return ""
    return babel_numbers.format_decimal(
        Decimal(cents) / 100, format="#,##0.00", locale=current_locale(locale)
    )


def format_percent_bp(basis_points: int | None, *, locale: Locale | str | None = None) -> str:
    """Hundredths of a percent: 1250 is ``12,5 %`` / ``12.5%``; a dash when there is none."""
    if basis_points is None:
        return "–"
    loc = current_locale(locale)
    pattern = str(loc.percent_formats[None].pattern).replace("#,##0", "#,##0.##")
    return babel_numbers.format_percent(Decimal(basis_points) / 10000, format=pattern, locale=loc)


def format_eur_plain(cents: int | None) -> str:
    """Euros for data files (CSV): ``1234.56``, the same in every language."""
    return "" if cents is None else f"{Decimal(cents) / 100:.2f}"


# --- spreadsheets for people (projektfabrik/exports.py) -------------------------------


def spreadsheet_number(
    value: int | float | Decimal, digits: int | None = None, *, locale: Locale | str | None = None
) -> str:
    """A number as a spreadsheet program of the reader's language reads it from CSV:
    ``-1234,56`` / ``-1234.56`` (no grouping, the locale's decimal sign, ASCII minus;
    ``digits`` fixed decimals, rounded half up, else as many as the value has)."""
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if digits is not None:
        amount = amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = format(amount, "f")
    return text.replace(".", babel_numbers.get_decimal_symbol(current_locale(locale)))


def spreadsheet_date_pattern(*, locale: Locale | str | None = None) -> str:
    """The date pattern spreadsheet programs of the reader's language read as a date:
    ``dd.MM.yyyy`` in German, ISO ``yyyy-MM-dd`` otherwise (every Excel reads it)."""
    return "dd.MM.yyyy" if current_locale(locale).language == "de" else "yyyy-MM-dd"


def spreadsheet_date(value: DateLike, *, locale: Locale | str | None = None) -> str:
    """``15.05.2026`` / ``2026-05-15``; a datetime adds `` 19:00`` on the town's clock."""
    found = _as_datetime(value)
    if found is None:
        return ""
    loc = current_locale(locale)
    pattern = spreadsheet_date_pattern(locale=loc)
    if isinstance(found, datetime):
        return babel_dates.format_datetime(local(found), pattern + " HH:mm", locale=loc)
    return babel_dates.format_date(found, pattern, locale=loc)


def format_file_size(size: int | None, *, locale: Locale | str | None = None) -> str:
    """``0 Byte``, ``12 kB``, ``1,4 MB``, ``2,1 GB`` (decimal units, as file managers show)."""
    if size is None:
        return ""
    loc = current_locale(locale)
    for unit, factor in (("gigabyte", 10**9), ("megabyte", 10**6), ("kilobyte", 10**3)):
        if size >= factor:
            value = Decimal(size) / factor
            digits = 1 if value < 10 else 0
            value = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
            return babel_units.format_unit(value, f"digital-{unit}", length="short", locale=loc)
    return babel_units.format_unit(size, "digital-byte", length="short", locale=loc)


FILTERS = {
    "date": format_date,
    "datetime": format_datetime,
    "time": format_time,
    "period": format_period,
    "month": format_month,
    "iso": iso,
    "number": format_number,
    "money": format_money,
    "money_input": format_money_input,
    "percent_bp": format_percent_bp,
    "filesize": format_file_size,
}


def init_app(app: Flask) -> None:
    """Register the Jinja filters (``date``, ``datetime``, ``time``, ``period``,
    ``month``, ``iso``, ``number``, ``money``, ``money_input``, ``percent_bp``)."""
    app.jinja_env.filters.update(FILTERS)
