"""A pot's applications as a table for the town: CSV and XLSX."""

from __future__ import annotations

import csv
import io
from typing import Any

from projektfabrik_funding.access import applications, project_of
from projektfabrik_funding.models import (
    Pot,
)

EXPORT_COLUMNS = (
    "ref",
    "project",
    "title",
    "state",
    "submitted_at",
    "requested_eur",
    "approved_eur",
    "paid_eur",
    "reclaimed_eur",
)


def _eur(cents: int | None) -> str:
    return "" if cents is None else f"{cents / 100:.2f}"


def export_rows(pot: Pot) -> list[list[Any]]:
    rows = []
    for a in applications(pot):
        project = project_of(a)
        rows.append(
            [
                a.ref,
                project.ref if project else "",
                a.title,
                a.state.value,
                a.submitted_at.isoformat() if a.submitted_at else "",
                _eur(a.requested_cents),
                _eur(a.approved_cents),
                _eur(a.paid_cents),
                _eur(a.reclaimed_cents),
            ]
        )
    return rows


def as_csv(pot: Pot) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(export_rows(pot))
    return out.getvalue()


def as_xlsx(pot: Pot) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Antraege"
    sheet.append(list(EXPORT_COLUMNS))
    for row in export_rows(pot):
        sheet.append(
            [
                float(v) if i in (5, 6, 7, 8) and v != "" else v  # euro columns as numbers
                for i, v in enumerate(row)
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
