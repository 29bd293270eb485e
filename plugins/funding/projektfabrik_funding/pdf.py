"""PDFs (application, decision notice), made by the core's PDF helper.

``projektfabrik.api.pdf_response`` renders the templates (which extend
``pdf/base.html``) with the town's name, logo and colour, page numbers, a
title and the language, tagged, and fetches nothing but the town's own files.
Where WeasyPrint cannot be loaded the PDF links answer with a page that says
so (503); everything else works.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from projektfabrik.api import _, pdf_available, pdf_response


def available() -> bool:
    return pdf_available()


def response(template: str, filename: str, *, title: str, **context: Any) -> Response:
    if not available():
        return Response(
            _("PDF files cannot be made on this server at the moment (WeasyPrint is missing)."),
            status=503,
            mimetype="text/plain",
        )
    return pdf_response(template, filename, title=title, **context)
