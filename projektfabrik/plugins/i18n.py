"""One message catalogue per language: the core's merged with every plugin's.

Flask-Babel looks up translations through a "domain". The app gets one
:class:`MergedDomain` that loads, for the request's language, each installed
plugin's catalogue and then the core's (so the core wins where msgids
collide). Each catalogue is read from ``messages.mo`` when that is at least as
new as ``messages.po``, and otherwise compiled from ``messages.po`` in memory,
so a plugin installed from source needs no compile step. The merged catalogue
is kept per language and re-read when a file changes (checked at most once a
second per worker).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any, cast

from babel import Locale, support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, has_app_context
from flask.signals import appcontext_pushed
from flask_babel import Domain, get_babel, get_locale, get_translations

DOMAIN = "messages"
EXTENSION = "projektfabrik.i18n_domain"
_PER_REQUEST = "_pf_translations"
_LAST = "_pf_translations_last"
#: How often a worker looks whether a catalogue file changed (seconds).
CHECK_SECONDS = 1.0


def _files(folder: Path, locale: Locale) -> tuple[Path | None, Path | None]:
    """The (.mo, .po) files of a folder for a locale: the full code first, then the language."""
    for code in dict.fromkeys((str(locale), locale.language)):
        base = folder / code / "LC_MESSAGES"
        mo, po = base / f"{DOMAIN}.mo", base / f"{DOMAIN}.po"
        if mo.is_file() or po.is_file():
            return (mo if mo.is_file() else None, po if po.is_file() else None)
    return None, None


def _mtime(path: Path | None) -> float:
    return path.stat().st_mtime if path is not None else 0.0


def load_catalogue(folder: Path, locale: Locale) -> support.NullTranslations | None:
    mo, po = _files(folder, locale)
    if mo is not None and (po is None or _mtime(mo) >= _mtime(po)):
        with mo.open("rb") as fp:
            return support.Translations(fp=fp, domain=DOMAIN)
    if po is not None:
        with po.open("rb") as fp:
            catalog = read_po(fp, locale=str(locale))
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return support.Translations(fp=buffer, domain=DOMAIN)
    return None


class MergedDomain(Domain):
    """The app's translations: plugin catalogues first, the core's over them."""

    def __init__(self, core_folders: Sequence[str | Path], plugin_folders: Sequence[Path]):
        self._folders = [Path(p) for p in plugin_folders] + [Path(p) for p in core_folders]
        super().__init__(translation_directories=[str(p) for p in self._folders], domain=DOMAIN)
        self._merged: dict[str, tuple[tuple[float, ...], support.Translations]] = {}
        self._checked: dict[str, float] = {}

    def get_translations(self) -> support.NullTranslations:
        try:
            locale = get_locale()
        except RuntimeError:
            # The app's locale selector needs a request (session, user); the
            # command line has none and speaks the msgids' English.
            return support.NullTranslations()
        if locale is None:
            return support.NullTranslations()
        # Every _() asks (a page has a few hundred). The last answer of this
        # app context stands if it was for this very locale object (get_locale
        # keeps one per request; force_locale makes another): two attribute
        # reads instead of a key built from str(locale).
        if not has_app_context():
            return self._translations(locale)
        last = g.get(_LAST)
        if last is not None and last[0] is locale and last[1] is self:
            return last[2]
        # Look at the files once per request and language.
        per_request = g.setdefault(_PER_REQUEST, {})
        key = (id(self), str(locale))
        if key not in per_request:
            per_request[key] = self._translations(locale)
        setattr(g, _LAST, (locale, self, per_request[key]))
        return per_request[key]

    def _translations(self, locale: Locale) -> support.Translations:
        cached = self._merged.get(str(locale))
        now = time.monotonic()
        # Looking at every catalogue file costs a few dozen stat() calls
        # (2-4 % of a kept marketplace page in the profile, docs/benchmarks.md)
        # on every request; once a second is as good for someone editing a .po.
        if cached is not None and now - self._checked.get(str(locale), -CHECK_SECONDS) < (
            CHECK_SECONDS
        ):
            return cached[1]
        self._checked[str(locale)] = now
        files = [path for folder in self._folders for path in _files(folder, locale)]
        signature = tuple(_mtime(path) for path in files)
        if cached is not None and cached[0] == signature:
            return cached[1]
        merged = support.Translations()
        for folder in self._folders:
            catalogue = load_catalogue(folder, locale)
            if catalogue is None:
                continue
            merged.merge(catalogue)  # type: ignore[arg-type]  # Babel reads any gettext catalogue
            # merge() copies messages only, not the plural rule.
            if hasattr(catalogue, "plural"):
                merged.plural = catalogue.plural
        self._merged[str(locale)] = (signature, merged)
        return merged


def translations() -> support.NullTranslations:
    """Flask-Babel's ``get_translations()``, made cheap for the templates' ``_()``.

    A page calls ``_()`` a hundred times and more; each of Flask-Babel's calls
    reaches ``g`` through Flask's proxy about eight times (12 % of a kept
    marketplace page's CPU, docs/benchmarks.md). Here the app context's own
    ``g`` is taken once and the last answer of :meth:`MergedDomain.get_translations`
    stands when it was for the very locale object and domain in use now:
    ``force_locale`` (a mail in the reader's language) sets another locale
    object, so it is never answered with the page's language.
    """
    if has_app_context():
        found = vars(g._get_current_object())
        babel_context = found.get("_flask_babel")
        last = found.get(_LAST)
        if babel_context is not None and last is not None:
            locale = getattr(babel_context, "babel_locale", None)
            domain = getattr(babel_context, "babel_domain", None)
            if locale is not None and last[0] is locale and last[1] is domain:
                return cast(support.NullTranslations, last[2])
    return get_translations()


def _install_template_callables(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )


def _use_merged_domain(sender: Flask, **extra: Any) -> None:
    sender.extensions[EXTENSION].as_default()


def init_app(app: Flask, plugin_folders: Sequence[Path]) -> None:
    """Make every app context of ``app`` translate with the merged catalogues."""
    core_folders = get_babel(app).translation_directories
    app.extensions[EXTENSION] = MergedDomain(core_folders, plugin_folders)
    appcontext_pushed.connect(_use_merged_domain, app)
    _install_template_callables(app)
