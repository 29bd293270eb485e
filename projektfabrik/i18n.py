"""Languages, dates and money: German first, English complete.

Message ids in the code are English; ``translations/de`` holds the German
text. The town's default locale applies unless the person chose another.
"""

from __future__ import annotations

import functools

from babel import support
from flask import Flask, Request, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from projektfabrik import formatting
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
    return formatting.town_zone().key


@functools.lru_cache(maxsize=len(LOCALES) + 1)
def wtforms_catalogue(locale: str) -> support.NullTranslations:
    """WTForms' own messages ("This field is required.") in ``locale``, read once
    per worker."""
    from wtforms.i18n import messages_path

    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class AppRequest(Request):
    """Flask's request, with WTForms' messages from the worker's memory.

    Flask-WTF reads WTForms' catalogue from disk for the first form of every
    request and keeps it in ``request.wtforms_translations``
    (``flask_wtf.i18n``): 4 % of a logged-in project page's CPU
    (docs/benchmarks.md). Answering that attribute here means it never loads.
    """

    @property
    def wtforms_translations(self) -> support.NullTranslations:
        return wtforms_catalogue(str(get_locale()))


def init_app(app: Flask) -> None:
    app.request_class = AppRequest
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app.config["TRANSLATIONS_DIR"]
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    formatting.init_app(app)  # date, datetime, time, period, iso, number, money, ... filters
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["get_locale"] = get_locale
