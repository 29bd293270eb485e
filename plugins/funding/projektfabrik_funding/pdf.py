"""PDFs (application, decision notice) rendered from HTML with WeasyPrint.

WeasyPrint needs Pango from the operating system. Where it cannot be loaded,
the PDF links answer with a page that says so (503); everything else works.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from flask import Response

from projektfabrik.api import _, render_template

log = logging.getLogger(__name__)


@cache
def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception as error:  # ImportError, or OSError when Pango is missing
        log.warning("funding PDFs are off: WeasyPrint cannot be loaded (%s)", error)
        return False
    return True


def render(template: str, **context: Any) -> bytes:
    from weasyprint import HTML

    html = render_template(template, **context)
    # The templates are self-contained (no images, no stylesheets to fetch) and
    # everything people typed is escaped, so nothing is fetched from anywhere.
    return HTML(string=html).write_pdf()


def response(template: str, filename: str, **context: Any) -> Response:
    if not available():
        return Response(
            _("PDF files cannot be made on this server at the moment (WeasyPrint is missing)."),
            status=503,
            mimetype="text/plain",
        )
    return Response(
        render(template, **context),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}.pdf"'},
    )
