"""Languages, dates and money: German first, English complete.

Message ids in the code are English; ``translations/de`` holds the German
text. The town's default locale applies unless the person chose another.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, g, has_request_context, request
from flask_babel import format_currency, format_date, format_datetime, get_locale
from flask_login import current_user

from projektfabrik.extensions import babel
from projektfabrik.tenancy.context import current_tenant_or_none

LOCALES = {"de": "Deutsch", "en": "English"}
DEFAULT_LOCALE = "de"
#: The visitor's language choice. A cookie of its own, not in the session: a
#: visitor who picked English keeps an empty session, and so still gets pages
#: from the page cache (pagecache.py).
LOCALE_COOKIE = "sprache"


def select_locale() -> str:
    if not has_request_context():
        # Command line and background work: the town in context, else German.
        tenant = current_tenant_or_none()
        return town_locale(tenant.default_locale if tenant else None)
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    tenant = g.get("tenant")
    return visitor_locale(tenant.default_locale if tenant is not None else None)


def visitor_locale(town_default: str | None) -> str:
    """The language of someone not logged in: their cookie, else the town's."""
    chosen = request.cookies.get(LOCALE_COOKIE)
    return chosen if chosen in LOCALES else town_locale(town_default)


def town_locale(town_default: str | None) -> str:
    return town_default if town_default in LOCALES else DEFAULT_LOCALE


def select_timezone() -> str:
    tenant = g.get("tenant") if has_request_context() else current_tenant_or_none()
    return tenant.timezone if tenant is not None else "Europe/Berlin"


def money(cents: int | None) -> str:
    """Integer cents as the reader expects: "1.234,56 €" in German, "€1,234.56" in English."""
    if cents is None:
        return ""
    return format_currency(Decimal(cents) / 100, "EUR")  # exact: no float on the way


def datetime_filter(value: datetime | None, fmt: str = "medium") -> str:
    return format_datetime(value, fmt) if value else ""


def date_filter(value: datetime | None, fmt: str = "medium") -> str:
    return format_date(value, fmt) if value else ""


def machine_time(value: datetime | date | None) -> str:
    """For ``<time datetime="...">``: ISO 8601 to the second (HTML allows at most
    three digits of a fraction, and nobody needs microseconds), with the offset."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app.config["TRANSLATIONS_DIR"]
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["iso"] = machine_time
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["get_locale"] = get_locale
