"""Sheets and cards as PDF (the core's render_pdf: tagged, with language and title)
and as HTML print view: the same template body for both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from projektfabrik.api import (
    _,
    external_url_for,
    format_date,
    local_date,
    plan_label,
    plan_profile_fields,
    render_pdf,
    render_template,
    utcnow,
)
from projektfabrik_pubtools import codes
from projektfabrik_pubtools.services import settings
from projektfabrik_pubtools.sheets import SheetData, SheetKind

STATIC = Path(__file__).resolve().parent / "static"


def stylesheets(size: str) -> list[Path]:
    sheets = [STATIC / "sheet.css"]
    if size == "a3":
        sheets.append(STATIC / "sheet-a3.css")
    return sheets


def _common(code: str | None) -> dict[str, Any]:
    config = settings()
    context: dict[str, Any] = {
        "printed_on": format_date(local_date(utcnow())),
        "footer_text": config.get("footer_text", ""),
        "contact_line": config.get("contact_line", ""),
        "code": codes.display(code) if code else None,
        "code_page": "",
        "qr": "",
        "code_hint": "",
    }
    if code:
        url = codes.code_url(code)
        context["code_url"] = url
        context["qr"] = codes.qr_svg(url, _("QR code that opens %(url)s", url=url))
        entry = external_url_for("pubtools.enter_code").split("://", 1)[-1]
        context["code_page"] = entry
    return context


def version_line(data: SheetData) -> str:
    # A section never saved (version 0) has nothing printed from it.
    parts = [
        _("%(section)s version %(number)d", section=plan_label("section", name), number=number)
        for name, number in data.versions.items()
        if number
    ]
    if not parts:
        return ""
    return _("Printed from the plan: %(versions)s", versions=", ".join(parts))


def sheet_context(kind: SheetKind, size: str, data: SheetData, code: str) -> dict[str, Any]:
    context = _common(code)
    context.update(
        body="pubtools/_sheet.html",
        kind=kind,
        size=size,
        data=data,
        doc_title=str(kind.title),
        rows=kind.blank_rows + (3 if size == "a3" else 0),
        version_line=version_line(data),
        blank_fields=[
            {"name": n, "label": label, "value": ""} for n, label in plan_profile_fields()
        ],
        code_hint=(
            _("Scan the code or type it in to put this sheet online:")
            if data.project is not None
            else _("Scan the code or type it in to publish your idea online:")
        ),
    )
    return context


def pdf(context: dict[str, Any], title: str, size: str = "a4") -> bytes:
    return render_pdf("pubtools/pdf.html", title=title, stylesheets=stylesheets(size), **context)


def print_view(context: dict[str, Any], **page: Any) -> str:
    return render_template("pubtools/print.html", **context, **page)


def kit_context(body: str, title: str, code: str | None = None, **values: Any) -> dict[str, Any]:
    context = _common(code)
    context.update(body=body, doc_title=title, size="a4", version_line="", **values)
    return context
