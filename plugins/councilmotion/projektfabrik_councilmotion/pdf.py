"""PDFs: the motion as filed, and the signature list to print, made by the core's
PDF helper (tagged, with language, title and the town's head)."""

from __future__ import annotations

import re
from pathlib import Path

import segno
from flask import Response

from projektfabrik.api import (
    _,
    external_url_for,
    pdf_available,
    render_pdf,
    send_download,
)
from projektfabrik_councilmotion import services
from projektfabrik_councilmotion.models import Motion

CSS = Path(__file__).resolve().parent / "static" / "councilmotion_pdf.css"
#: Rows for signers on each sheet (a sheet is one A4 page in landscape).
ROWS_PER_SHEET = 10


def available() -> bool:
    return pdf_available()


def _unavailable() -> Response:
    return Response(
        _("PDF files cannot be made on this server at the moment (WeasyPrint is missing)."),
        status=503,
        mimetype="text/plain",
    )


def _send(content: bytes, name: str) -> Response:
    safe = re.sub(r"[^\w.-]", "-", name, flags=re.ASCII)[:100] or "antrag"
    return send_download(content, f"{safe}.pdf", "application/pdf")


def qr_svg(url: str) -> str:
    """The QR code as inline SVG (the PDF renderer fetches no data: URLs); level Q for
    sheets that get handled a lot, four modules of quiet zone (DOMAIN.md)."""
    code = segno.make(url, error="q")
    svg: str = code.svg_inline(scale=2, border=4, dark="#000", light="#fff")
    return svg  # the template marks it safe: it is made here, from a URL, never typed


def motion_bytes(motion: Motion, *, with_counts: bool) -> bytes:
    title = _("Council motion: %(title)s", title=motion.title)
    return render_pdf(
        "councilmotion/motion_pdf.html",
        title=title,
        stylesheets=[CSS],
        motion=motion,
        services=services,
        settings=services.settings(),
        counts=services.counts(motion) if with_counts else None,
        lists=services.lists_of(motion) if with_counts else [],
        today=services.town_today(),
    )


def motion(motion: Motion, *, with_counts: bool) -> Response:
    if not available():
        return _unavailable()
    return _send(motion_bytes(motion, with_counts=with_counts), f"antrag-{motion.ref}")


def signature_list_bytes(motion: Motion) -> bytes:
    url = external_url_for("councilmotion.motion", ref=motion.ref)
    return render_pdf(
        "councilmotion/signatures_pdf.html",
        title=_("Signature list: %(title)s", title=motion.title),
        stylesheets=[CSS],
        motion=motion,
        services=services,
        settings=services.settings(),
        url=url,
        qr=qr_svg(url),
        rows=range(1, ROWS_PER_SHEET + 1),
    )


def signature_list(motion: Motion) -> Response:
    if not available():
        return _unavailable()
    return _send(signature_list_bytes(motion), f"unterschriftenliste-{motion.ref}")
