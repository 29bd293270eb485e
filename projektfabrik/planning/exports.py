"""The plan as files: A4 PDF (WeasyPrint), XLSX (openpyxl), CSV, and milestones as ICS.

Every export renders a :class:`~projektfabrik.planning.services.PlanView`: the
sections the person who downloads it may see (the team: everything; everyone
else: what the team made public). The formats are offered through the
``pf_export_formats`` hook for the subject :data:`SUBJECT`.

WeasyPrint needs Pango from the operating system. Where it cannot be loaded,
PDF is simply not offered and its link says so; the rest works.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from projektfabrik import formatting, pdf
from projektfabrik.db import utcnow
from projektfabrik.planning import services
from projektfabrik.planning.models import CostType, FinancingKind, Section
from projektfabrik.planning.money import format_cents, format_share, to_decimal
from projektfabrik.plugins.types import ExportFormat
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import external_url_for
from projektfabrik.xmlout import xml_text

log = logging.getLogger(__name__)

SUBJECT = "planning.plan"
STATIC = Path(__file__).resolve().parents[1] / "static"
PRINT_CSS = STATIC / "css" / "planning-print.css"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO_FORMAT = '#,##0.00 "€"'


def pdf_available() -> bool:
    """Whether PDFs can be made here (WeasyPrint and Pango load); see :mod:`projektfabrik.pdf`."""
    return pdf.available()


def formats() -> list[ExportFormat]:
    found = []
    if pdf_available():
        found.append(
            ExportFormat(
                key="pdf",
                label="PDF",
                mimetype="application/pdf",
                extension="pdf",
                render=render_pdf,
                order=10,
            )
        )
    found += [
        ExportFormat(
            key="xlsx",
            label="XLSX",
            mimetype=XLSX_MIMETYPE,
            extension="xlsx",
            render=render_xlsx,
            order=20,
        ),
        ExportFormat(
            key="csv",
            label="CSV",
            mimetype="text/csv",
            extension="csv",
            render=render_csv,
            order=30,
        ),
    ]
    return found


def formats_for_page() -> list[ExportFormat]:
    from projektfabrik.plugins.runtime import export_formats

    return export_formats(SUBJECT)


# --- HTML: print view and PDF ----------------------------------------------------------------------


def document_context(view: services.PlanView) -> dict[str, Any]:
    tenant = current_tenant()
    return {
        "view": view,
        "project": view.project,
        "tenant": tenant,
        "Section": Section,
        "fields": services.PROFILE_FIELDS,
        "profile_labels": services.PROFILE_LABELS,
        "labels": {
            "kind": services.kind_label,
            "cost_type": services.cost_type_label,
            "source": services.source_label,
            "financing": services.financing_label,
            "status": services.task_status_label,
        },
        "cost_types": list(CostType),
        "financing_kinds": list(FinancingKind),
        "section_label": services.section_label,
        "generated": utcnow(),
        "share_url": external_url_for("planning.overview", number=view.project.number),
        "format_share": format_share,
    }


def render_pdf(view: services.PlanView) -> bytes:
    """The plan as an A4 PDF with the town's name, colour and logo and page numbers
    (made by :mod:`projektfabrik.pdf`: tagged, titled, fetches nothing else)."""
    title = _("Project plan") + ": " + view.project.title
    return pdf.render_pdf(
        "planning/pdf.html", title=title, stylesheets=[PRINT_CSS], **document_context(view)
    )


# --- spreadsheets ------------------------------------------------------------------------------------


def _rows(view: services.PlanView) -> dict[str, list[list[Any]]]:
    """Each visible section as rows of plain values (money as Decimal euros)."""
    sheets: dict[str, list[list[Any]]] = {}
    if view.shows(Section.PROFILE):
        sheets[services.section_label(Section.PROFILE)] = [[_("Field"), _("Text")]] + [
            [str(services.PROFILE_LABELS[name]), view.profile[name]]
            for name in services.PROFILE_FIELDS
        ]
    if view.shows(Section.WORK_PLAN):
        rows: list[list[Any]] = [
            [
                _("Work package"),
                _("Task"),
                _("Description"),
                _("Expected result"),
                _("Responsible"),
                _("Start"),
                _("End"),
                _("Status"),
            ]
        ]
        for wp in view.work_packages:
            rows.append(
                [
                    wp.name,
                    "",
                    wp.description,
                    "",
                    wp.responsible.display_name if wp.responsible else "",
                    None,
                    None,
                    "",
                ]
            )
        for task in view.tasks:
            rows.append(
                [
                    task.work_package.name if task.work_package else "",
                    task.title,
                    task.description,
                    task.expected_result,
                    task.responsible.display_name if task.responsible else "",
                    task.start,
                    task.end,
                    services.task_status_label(task.status),
                ]
            )
        sheets[_("Work plan")] = rows
        sheets[_("Milestones")] = [[_("Milestone"), _("Date"), _("Description")]] + [
            [m.title, m.due, m.description] for m in view.milestones
        ]
    if view.shows(Section.RESOURCES):
        sheets[services.section_label(Section.RESOURCES)] = [
            [
                _("What is needed"),
                _("Kind"),
                _("Quantity"),
                _("Unit"),
                _("Cost"),
                _("Cost type"),
                _("Paid from"),
                _("For the task"),
            ]
        ] + [
            [
                r.description,
                services.kind_label(r.kind),
                r.quantity,
                r.unit,
                to_decimal(r.cost_cents),
                services.cost_type_label(r.cost_type),
                services.source_label(r.source),
                r.task.title if r.task else "",
            ]
            for r in view.requirements
        ]
    if view.shows(Section.FINANCE) and view.summary is not None:
        s = view.summary
        rows = [[_("Costs"), _("Amount")]]
        rows += [[services.cost_type_label(t), to_decimal(s.costs_by_type[t])] for t in CostType]
        rows.append([_("Total costs"), to_decimal(s.total_costs)])
        rows.append([])
        rows.append([_("Cost items entered by hand"), _("Amount")])
        rows += [
            [
                f"{c.description} ({services.cost_type_label(c.cost_type)})",
                to_decimal(c.amount_cents),
            ]
            for c in view.cost_items
        ]
        rows.append([])
        rows.append([_("Financing"), _("Amount")])
        rows += [
            [
                services.financing_label(f.kind) + (f": {f.description}" if f.description else ""),
                to_decimal(f.amount_cents),
            ]
            for f in view.financing
        ]
        rows.append([_("Total financing"), to_decimal(s.total_financing)])
        rows.append([_("Balance (financing minus costs)"), to_decimal(s.balance)])
        rows.append(
            [
                _("Own contribution share"),
                Decimal(s.own_share_bp) / 10000 if s.own_share_bp is not None else "",
            ]
        )
        sheets[services.section_label(Section.FINANCE)] = rows
    return sheets


def render_xlsx(view: services.PlanView) -> bytes:
    """One sheet per visible section; amounts are numbers in euros with a currency format."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, rows in _rows(view).items():
        sheet = book.create_sheet(_sheet_title(title))
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, Decimal):
                    label = str(row[0].value or "")
                    cell.number_format = (
                        "0.00%" if label == _("Own contribution share") else EURO_FORMAT
                    )
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    if not book.worksheets:
        book.create_sheet(_sheet_title(view.project.title))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: str) -> str:
    for char in "[]:*?/\\":
        text = text.replace(char, " ")
    return text[:31]


def render_csv(view: services.PlanView) -> str:
    """The whole plan as one long CSV: ``section, item, number, field, value``.

    One row per value, so every section fits one table. Amounts are euros with
    a decimal point (``1234.56``), dates ISO 8601; the file starts with a BOM
    so spreadsheet programs read the umlauts.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "item", "number", "field", "value"])

    def row(section: str, item: str, number: int | str, name: str, value: Any) -> None:
        if isinstance(value, date):
            value = formatting.iso(value)  # data files: the machine-readable form
        writer.writerow([section, item, number, name, "" if value is None else value])

    def euros(cents: int) -> str:
        return f"{to_decimal(cents):.2f}"

    if view.shows(Section.PROFILE):
        for name in services.PROFILE_FIELDS:
            row("profile", "profile", "", name, view.profile[name])
    if view.shows(Section.WORK_PLAN):
        for n, wp in enumerate(view.work_packages, 1):
            row("work_plan", "work_package", n, "name", wp.name)
            row("work_plan", "work_package", n, "description", wp.description)
            row("work_plan", "work_package", n, "responsible", _person(wp.responsible))
        for n, task in enumerate(view.tasks, 1):
            row("work_plan", "task", n, "title", task.title)
            row(
                "work_plan",
                "task",
                n,
                "work_package",
                task.work_package.name if task.work_package else "",
            )
            row("work_plan", "task", n, "description", task.description)
            row("work_plan", "task", n, "expected_result", task.expected_result)
            row("work_plan", "task", n, "responsible", _person(task.responsible))
            row("work_plan", "task", n, "start", task.start)
            row("work_plan", "task", n, "end", task.end)
            row("work_plan", "task", n, "status", task.status.value)
        for n, m in enumerate(view.milestones, 1):
            row("work_plan", "milestone", n, "title", m.title)
            row("work_plan", "milestone", n, "date", m.due)
            row("work_plan", "milestone", n, "description", m.description)
    if view.shows(Section.RESOURCES):
        for n, r in enumerate(view.requirements, 1):
            row("resources", "requirement", n, "description", r.description)
            row("resources", "requirement", n, "kind", r.kind.value)
            row("resources", "requirement", n, "quantity", r.quantity)
            row("resources", "requirement", n, "unit", r.unit)
            row("resources", "requirement", n, "cost_eur", euros(r.cost_cents))
            row("resources", "requirement", n, "cost_type", r.cost_type.value)
            row("resources", "requirement", n, "source", r.source.value)
            row("resources", "requirement", n, "task", r.task.title if r.task else "")
    if view.shows(Section.FINANCE) and view.summary is not None:
        for n, c in enumerate(view.cost_items, 1):
            row("finance", "cost_item", n, "description", c.description)
            row("finance", "cost_item", n, "cost_type", c.cost_type.value)
            row("finance", "cost_item", n, "amount_eur", euros(c.amount_cents))
        for n, f in enumerate(view.financing, 1):
            row("finance", "financing", n, "kind", f.kind.value)
            row("finance", "financing", n, "description", f.description)
            row("finance", "financing", n, "amount_eur", euros(f.amount_cents))
        s = view.summary
        for t in CostType:
            row("finance", "total", "", f"costs_{t.value}_eur", euros(s.costs_by_type[t]))
        row("finance", "total", "", "total_costs_eur", euros(s.total_costs))
        for k in FinancingKind:
            row("finance", "total", "", f"financing_{k.value}_eur", euros(s.financing_by_kind[k]))
        row("finance", "total", "", "total_financing_eur", euros(s.total_financing))
        row("finance", "total", "", "balance_eur", euros(s.balance))
        row("finance", "total", "", "in_kind_eur", euros(s.in_kind_cents))
        row(
            "finance",
            "total",
            "",
            "own_share_percent",
            f"{Decimal(s.own_share_bp) / 100:.2f}" if s.own_share_bp is not None else "",
        )
    return "\ufeff" + buffer.getvalue()


def _person(user: Any) -> str:
    return user.display_name if user is not None else ""


# --- calendar -------------------------------------------------------------------------------------------


def milestones_ics(project: Any, milestone_list: list[Any]) -> bytes:
    """The milestones as all-day events (iCalendar), for any calendar program."""
    from icalendar import Calendar, Event

    tenant = current_tenant()
    calendar = Calendar()
    calendar.add("prodid", "-//Projektfabrik//Projektplanung//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", xml_text(f"{project.title} – {_('Milestones')}"))
    stamp = utcnow()
    for milestone in milestone_list:
        event = Event()
        event.add("uid", f"{milestone.ref}@{tenant.canonical_host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", milestone.due)
        event.add("dtend", milestone.due + timedelta(days=1))
        # iCalendar forbids control characters in text (icalendar escapes the rest).
        event.add("summary", xml_text(f"{milestone.title} ({project.title})"))
        if milestone.description:
            event.add("description", xml_text(milestone.description))
        calendar.add_component(event)
    return calendar.to_ical()


# --- helpers templates use ---------------------------------------------------------------------------------


def month_label(value: date) -> str:
    return formatting.format_month(value)


def locale_code() -> str:
    return str(get_locale() or "de")


__all__ = [
    "SUBJECT",
    "document_context",
    "format_cents",
    "formats",
    "formats_for_page",
    "milestones_ics",
    "month_label",
    "pdf_available",
    "render_csv",
    "render_pdf",
    "render_xlsx",
]
