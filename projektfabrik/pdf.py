"""PDFs from HTML templates (WeasyPrint), the one way the core and plugins make them.

:func:`render_pdf` renders a template as an A4 document of the current town:

- its branding: the template gets ``pdf_town`` (the town's name),
  ``pdf_logo_url`` (its logo, or ``None``) and ``pdf_title``; the stylesheet
  ``css/pdf-base.css`` and a generated one give ``--brand``, ``--on-brand`` and
  ``--accent`` (readable colours from :mod:`projektfabrik.tenancy.branding`)
  and "Seite 3 von 7" / "Page 3 of 7" at the bottom right, in the reader's
  language;
- accessible: tagged (PDF/UA-1: structure tree, ``/MarkInfo``), with the
  document's title and language in its metadata;
- locked: WeasyPrint fetches nothing but the town's own logo and files in the
  core's and the plugins' static folders (:class:`LockedFetcher`). No
  ``http://``, no file elsewhere, no other town's logo, whatever a template
  or the people's text in it contains.

WeasyPrint needs Pango from the operating system. Where it cannot be loaded
:func:`available` is false; callers then say so and offer their print view
(:func:`pdf_response` answers 503 with a short text).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import Response, current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from projektfabrik.downloads import send_download
from projektfabrik.tenancy.branding import palette
from projektfabrik.tenancy.context import current_tenant

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
BASE_CSS = STATIC / "css" / "pdf-base.css"
#: The PDF variant: tagged, with title and language (WeasyPrint's PDF/UA-1).
PDF_VARIANT = "pdf/ua-1"


class FetchRefused(ValueError):
    """WeasyPrint asked for something outside the allowed files."""


@cache
def available() -> bool:
    """Whether WeasyPrint and the system libraries it needs can be loaded here."""
    try:
        import weasyprint  # noqa: F401
    except Exception as error:  # ImportError, or OSError when Pango is missing
        log.warning("PDFs are off: WeasyPrint cannot be loaded (%s)", error)
        return False
    return True


# --- what may be read ---------------------------------------------------------------


def town_logo() -> Path | None:
    """The current town's logo file, if it has one inside its own tenant folder."""
    tenant = current_tenant()
    if not tenant.logo_file:
        return None
    folder = (Path(current_app.config["TENANTS_DIR"]) / tenant.slug).resolve()
    path = (folder / tenant.logo_file).resolve()
    if folder not in path.parents or not path.is_file():
        return None
    return path


def static_folders() -> list[Path]:
    """The core's static folder and every blueprint's (the plugins' included)."""
    folders = []
    if current_app.static_folder:
        folders.append(Path(current_app.static_folder))
    for blueprint in current_app.blueprints.values():
        if blueprint.static_folder:
            folders.append(Path(blueprint.static_folder))
    return [f.resolve() for f in folders if f.is_dir()]


def _path_of(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    try:
        return Path(url2pathname(unquote(parts.path))).resolve()
    except (OSError, ValueError):
        return None


def _fetcher_base() -> type:
    from weasyprint.urls import URLFetcher

    return URLFetcher


class LockedFetcher:
    """A URL fetcher for WeasyPrint that reads only ``files`` and files below ``folders``.

    Everything else (``http(s)://``, ``data:``, any other path) raises
    :class:`FetchRefused`; WeasyPrint then leaves the resource out.
    """

    _fail_on_errors = False  # WeasyPrint reads it: a refusal leaves the resource out

    def __init__(self, files: Iterable[Path] = (), folders: Iterable[Path] = ()) -> None:
        self.files = {Path(f).resolve() for f in files}
        self.folders = [Path(f).resolve() for f in folders]
        self._inner: Any = None

    def allows(self, url: str) -> bool:
        path = _path_of(url)
        if path is None:
            return False
        if path in self.files:
            return True
        return path.is_file() and any(folder in path.parents for folder in self.folders)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not self.allows(url):
            log.info("PDF: not fetched: %s", url[:200])
            raise FetchRefused(f"not fetched: {url[:200]}")
        if self._inner is None:
            self._inner = _fetcher_base()(allowed_protocols={"file"})
        return self._inner.fetch(url, headers)

    def __call__(self, url: str) -> Any:  # WeasyPrint calls fetchers too
        return self.fetch(url)


def town_fetcher() -> LockedFetcher:
    """The fetcher for the current town: its logo and the static folders, nothing else."""
    logo = town_logo()
    return LockedFetcher(files=[logo] if logo else [], folders=static_folders())


# --- rendering ----------------------------------------------------------------------------


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_numbers_css() -> str:
    """``@page`` content for "Seite 3 von 7" in the reader's language."""
    words = _("Page %(page)s of %(pages)s", page="{page}", pages="{pages}")
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    content = " ".join(
        counters.get(part) or _css_string(part)
        for part in re.split(r"(\{page\}|\{pages\})", words)
        if part
    )
    return f"@page {{ @bottom-right {{ content: {content}; }} }}\n"


def brand_css() -> str:
    """The town's colours as CSS variables and the page numbers."""
    colours = palette(current_tenant().primary_color)
    return (
        f":root {{ --brand: {colours.brand}; --on-brand: {colours.on_brand}; "
        f"--accent: {colours.accent}; }}\n" + page_numbers_css()
    )


def language() -> str:
    return str(get_locale() or current_tenant().default_locale or "de").replace("_", "-")


def render_pdf(
    template: str, *, title: str, stylesheets: Sequence[Path] = (), **context: Any
) -> bytes:
    """Render ``template`` as a tagged A4 PDF of the current town, titled ``title``.

    ``stylesheets`` are extra CSS files (inside a static folder) after the base
    one. The template gets ``pdf_town``, ``pdf_logo_url``, ``pdf_title``,
    ``pdf_lang`` and ``context``; it may extend ``pdf/base.html``.
    """
    from weasyprint import CSS, HTML

    fetcher = town_fetcher()
    logo = town_logo()
    html = render_template(
        template,
        pdf_town=current_tenant().name,
        pdf_logo_url=logo.as_uri() if logo else None,
        pdf_title=title,
        pdf_lang=language(),
        **context,
    )
    sheets = [CSS(filename=str(BASE_CSS), url_fetcher=fetcher)]
    sheets += [CSS(filename=str(path), url_fetcher=fetcher) for path in stylesheets]
    sheets.append(CSS(string=brand_css(), url_fetcher=fetcher))
    document = HTML(string=html, url_fetcher=fetcher, base_url=str(STATIC) + "/").render(
        stylesheets=sheets, pdf_variant=PDF_VARIANT
    )
    document.metadata.title = title
    document.metadata.lang = language()
    document.metadata.authors = [current_tenant().name]
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def unavailable_message() -> str:
    return _("PDF files cannot be made on this server at the moment (WeasyPrint is missing).")


def pdf_response(template: str, filename: str, *, title: str, **context: Any) -> Response:
    """A download of :func:`render_pdf` as ``<filename>.pdf``; without WeasyPrint a 503
    that says so (link the print view instead where there is one)."""
    if not available():
        return Response(unavailable_message(), status=503, mimetype="text/plain")
    safe = re.sub(r"[^\w.-]", "-", filename, flags=re.ASCII)[:100] or "dokument"
    return send_download(
        render_pdf(template, title=title, **context), f"{safe}.pdf", "application/pdf"
    )


__all__ = [
    "FetchRefused",
    "LockedFetcher",
    "available",
    "pdf_response",
    "render_pdf",
    "town_fetcher",
    "town_logo",
]
