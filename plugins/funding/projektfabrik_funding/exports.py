"""A pot's applications as a table for the town: CSV and XLSX, through the core's export writer."""

from __future__ import annotations

from typing import Any

from projektfabrik.api import Money, Sheet, _, csv_for_people, xlsx_workbook
from projektfabrik_funding.access import applications, project_of
from projektfabrik_funding.labels import state_label
from projektfabrik_funding.models import Pot


def export_columns() -> list[str]:
    """The export's header in the reader's language."""
    return [
        _("Reference number"),
        _("Project"),
        _("Title"),
        _("State"),
        _("Submitted"),
        _("Requested (€)"),
        _("Approved (€)"),
        _("Paid (€)"),
        _("Reclaimed (€)"),
    ]


def _money(cents: int | None) -> Money | None:
    return None if cents is None else Money(cents)


def export_rows(pot: Pot) -> list[list[Any]]:
    """One row per application: translated state, real dates, amounts as Money."""
    rows: list[list[Any]] = []
    for a in applications(pot):
        project = project_of(a)
        rows.append(
            [
                a.ref,
                project.ref if project else "",
                a.title,
                state_label(a.state),
                a.submitted_at,
                _money(a.requested_cents),
                _money(a.approved_cents),
                _money(a.paid_cents),
                _money(a.reclaimed_cents),
            ]
        )
    return rows


def as_csv(pot: Pot) -> str:
    """For people: the core's export writer (German: ``;``, decimal comma, BOM)."""
    return csv_for_people([export_columns(), *export_rows(pot)])


def as_xlsx(pot: Pot) -> bytes:
    """Amounts as numbers with a euro format, dates as dates (the core's export writer)."""
    return xlsx_workbook(
        [Sheet(title=_("Applications"), rows=[export_columns(), *export_rows(pot)])]
    )
