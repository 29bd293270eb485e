"""The plan as files: A4 PDF (WeasyPrint), XLSX (openpyxl), CSV, and milestones as ICS.

Every export renders a :class:`~projektfabrik.planning.services.PlanView`: the
sections the person who downloads it may see (the team: everything; everyone
else: what the team made public). The formats are offered through the
``pf_export_formats`` hook for the subject :data:`SUBJECT`.

WeasyPrint needs Pango from the operating system. Where it cannot be loaded,
PDF is simply not offered and its link says so; the rest works.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from projektfabrik import formatting, madefiles, pdf
from projektfabrik.db import utcnow
from projektfabrik.exports import XLSX_MIMETYPE, Money, Percent, Sheet, csv_for_people, xlsx
from projektfabrik.planning import services
from projektfabrik.planning.models import CostType, FinancingKind, Section
from projektfabrik.planning.money import format_cents, format_share
from projektfabrik.plugins.types import ExportFormat
from projektfabrik.tenancy.context import current_tenant
from projektfabrik.tenancy.links import external_url_for
from projektfabrik.xmlout import xml_text

log = logging.getLogger(__name__)

SUBJECT = "planning.plan"
STATIC = Path(__file__).resolve().parents[1] / "static"
PRINT_CSS = STATIC / "css" / "planning-print.css"


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
    # A full plan takes seconds to lay out: made once per town version and
    # sections shown (the only thing about the person in it), then sent again.
    return madefiles.made_once(
        "plan",
        pdf_parts(view),
        ".pdf",
        lambda: pdf.render_pdf(
            "planning/pdf.html", title=title, stylesheets=[PRINT_CSS], **document_context(view)
        ),
    )


def pdf_parts(view: services.PlanView) -> tuple[Any, ...]:
    """What names one plan PDF besides the town's version and the language."""
    return (view.project.id, *sorted(s.value for s in view.sections))


# --- spreadsheets ------------------------------------------------------------------------------------


def _rows(view: services.PlanView) -> dict[str, list[list[Any]]]:
    """Each visible section as rows of cells for :mod:`projektfabrik.exports` (money as
    :class:`~projektfabrik.exports.Money`, the own share as a ``Percent``, dates as dates)."""
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
                Money(r.cost_cents),
                services.cost_type_label(r.cost_type),
                services.source_label(r.source),
                r.task.title if r.task else "",
            ]
            for r in view.requirements
        ]
    if view.shows(Section.FINANCE) and view.summary is not None:
        s = view.summary
        rows = [[_("Costs"), _("Amount")]]
        rows += [[services.cost_type_label(t), Money(s.costs_by_type[t])] for t in CostType]
        rows.append([_("Total costs"), Money(s.total_costs)])
        rows.append([])
        rows.append([_("Cost items entered by hand"), _("Amount")])
        rows += [
            [
                f"{c.description} ({services.cost_type_label(c.cost_type)})",
                Money(c.amount_cents),
            ]
            for c in view.cost_items
        ]
        rows.append([])
        rows.append([_("Financing"), _("Amount")])
        rows += [
            [
                services.financing_label(f.kind) + (f": {f.description}" if f.description else ""),
                Money(f.amount_cents),
            ]
            for f in view.financing
        ]
        rows.append([_("Total financing"), Money(s.total_financing)])
        rows.append([_("Balance (financing minus costs)"), Money(s.balance)])
        rows.append(
            [
                _("Own contribution share"),
                Percent(s.own_share_bp) if s.own_share_bp is not None else None,
            ]
        )
        sheets[services.section_label(Section.FINANCE)] = rows
    return sheets


def render_xlsx(view: services.PlanView) -> bytes:
    """One sheet per visible section; amounts are numbers in euros with a currency format,
    dates are dates (written by the core's one export writer)."""
    sheets = [Sheet(title=title, rows=rows) for title, rows in _rows(view).items()]
    return xlsx(sheets or [Sheet(title=view.project.title)])


def render_csv(view: services.PlanView) -> str:
    """The plan for a spreadsheet program in the reader's language: each visible
    section as a block (its name, its header, its rows, an empty line), the same
    cells as the XLSX. German: ``;``, decimal comma, ``15.05.2026``, BOM
    (:func:`projektfabrik.exports.csv_for_people`)."""
    rows: list[list[Any]] = []
    for title, section in _rows(view).items():
        rows.append([title])
        rows.extend(section)
        rows.append([])
    return csv_for_people(rows)


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
