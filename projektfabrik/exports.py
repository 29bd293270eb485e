"""The one writer of spreadsheets and CSV files, for the core and every plugin.

Nothing else in ``projektfabrik/`` or ``plugins/`` imports ``csv.writer`` or
openpyxl's ``Workbook`` (``tests/test_exports.py`` fails otherwise), so every
file people download from the platform passes two rules here:

- **No formula from people's text.** A text that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return (also after leading spaces) is a
  formula to Excel and LibreOffice. In CSV such a cell gets a leading ``'``
  (:func:`neutralise`, OWASP's advice); in XLSX it is written as a text cell
  with Excel's "quote prefix" style, so it shows exactly as typed and stays
  text even when someone edits the cell. Numbers stay numbers: only ``str``
  values are text, so a negative amount passed as a number is never touched.
- **Files for people read as their language.** :func:`csv_for_people` writes
  German CSV the way German Excel and LibreOffice open it with a double click:
  UTF-8 with a BOM, ``;`` between cells, a decimal comma, ``15.05.2026``.
  :func:`xlsx` writes real numbers and dates with number formats
  (``#,##0.00 "€"``). :func:`csv_for_machines` is for open data: ``,``, ``.``
  decimals, ISO dates, no BOM, and still neutralised.

Cells are plain Python values: ``str`` (text), ``int``/``Decimal``/``float``
(numbers), ``date``/``datetime`` (datetimes on the town's clock), ``bool``,
``None`` (empty), :class:`Money` (integer cents) and :class:`Percent` (basis
points). Number and date text for people comes from :mod:`projektfabrik.formatting`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel import numbers as babel_numbers
from flask_babel import gettext as _

from projektfabrik import formatting

#: What makes a spreadsheet program read a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: XML 1.0 cannot carry these; openpyxl refuses them (a 500 otherwise).
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv"
EURO_FORMAT = '#,##0.00 "€"'
PERCENT_FORMAT = "0.00%"
DECIMAL_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Money:
    """An amount in integer cents: a number in euros with a euro format."""

    cents: int


@dataclass(frozen=True)
class Percent:
    """A share in basis points (hundredths of a percent): 2308 is 23,08 %."""

    basis_points: int


@dataclass(frozen=True)
class Formula:
    """A spreadsheet formula the code builds (never people's text), e.g.
    ``Formula("SUM(B2:B13)", money=True)``: written with a leading ``=`` so the
    spreadsheet computes it; ``money`` gives it the euro format. Function names
    in English and ``,`` between arguments, as the file format stores them;
    German Excel and LibreOffice show them translated."""

    expression: str
    money: bool = False


@dataclass
class Sheet:
    """One sheet of a workbook: a title and rows, the first ``header_rows`` in bold."""

    title: str
    rows: Sequence[Sequence[Any]] = field(default_factory=list)
    header_rows: int = 1


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program would read ``text`` as a formula."""
    return text[:1] in FORMULA_TRIGGERS or text.lstrip(" \u00a0")[:1] in FORMULA_TRIGGERS


def neutralise(text: str) -> str:
    """``text`` for a CSV cell: with a leading ``'`` when it would be a formula."""
    return "'" + text if text and is_formula_like(text) else text


# --- CSV ----------------------------------------------------------------------------


def _people_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Money):
        return formatting.spreadsheet_number(Decimal(value.cents) / 100, 2)
    if isinstance(value, Percent):
        return formatting.spreadsheet_number(Decimal(value.basis_points) / 100, 2)
    if isinstance(value, int | float | Decimal):
        return formatting.spreadsheet_number(value)
    if isinstance(value, date):
        return formatting.spreadsheet_date(value)
    return neutralise(str(value))


def _machine_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Money):
        return formatting.format_eur_plain(value.cents)
    if isinstance(value, Percent):
        return f"{Decimal(value.basis_points) / 100:.2f}"
    if isinstance(value, int | float | Decimal):
        return format(Decimal(str(value)) if isinstance(value, float) else Decimal(value), "f")
    if isinstance(value, date):
        return formatting.iso(value)
    return neutralise(str(value))


def people_delimiter() -> str:
    """``;`` where the decimal sign is a comma (German), else ``,``, as Excel does."""
    decimal = babel_numbers.get_decimal_symbol(formatting.current_locale())
    return ";" if decimal == "," else ","


def csv_for_people(rows: Iterable[Sequence[Any]]) -> str:
    """CSV that opens right with a double click in the reader's Excel or LibreOffice:
    BOM, ``;`` and a decimal comma in German, dates as ``15.05.2026``, formulas neutralised.
    Pass the translated header as the first row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=people_delimiter(), lineterminator="\r\n")
    writer.writerows([_people_cell(v) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()


def csv_for_machines(rows: Iterable[Sequence[Any]]) -> str:
    """Open-data CSV (RFC 4180): ``,``, ``.`` decimals, ISO dates, no BOM, formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([_machine_cell(v) for v in row] for row in rows)
    return out.getvalue()


# --- XLSX -------------------------------------------------------------------------------


def _date_format(with_time: bool) -> str:
    pattern = formatting.spreadsheet_date_pattern()
    excel = pattern.replace("dd", "DD").replace("yyyy", "YYYY")  # MM stays months
    return excel + (" HH:MM" if with_time else "")


def sheet_title(text: str, taken: set[str] | None = None) -> str:
    """A title Excel accepts: without ``[]:*?/\\``, at most 31 characters, unique."""
    title = re.sub(r"[\[\]:*?/\\]", " ", _NOT_IN_XLSX.sub("", str(text))).strip("' ")[:31]
    title = title or _("Sheet")
    taken = taken if taken is not None else set()
    candidate, n = title, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = title[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _put(cell: Any, value: Any) -> None:
    """Write one value into an openpyxl cell: numbers and dates typed, text as text."""
    if value is None:
        return
    if isinstance(value, bool):
        cell.value = str(_("yes") if value else _("no"))
    elif isinstance(value, Formula):
        cell.value = "=" + value.expression
        if value.money:
            cell.number_format = EURO_FORMAT
    elif isinstance(value, Money):
        cell.value = Decimal(value.cents) / 100
        cell.number_format = EURO_FORMAT
    elif isinstance(value, Percent):
        cell.value = Decimal(value.basis_points) / 10000
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, int | float | Decimal):
        cell.value = value
        if isinstance(value, Decimal) and value != value.to_integral_value():
            cell.number_format = DECIMAL_FORMAT
    elif isinstance(value, datetime):
        cell.value = formatting.local(value).replace(tzinfo=None)  # XLSX has no time zones
        cell.number_format = _date_format(with_time=True)
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = _date_format(with_time=False)
    else:
        text = _NOT_IN_XLSX.sub("", str(value))
        cell.value = text
        # openpyxl makes any text starting with "=" a formula: force a text cell, and
        # Excel's quote prefix keeps it text when someone edits it.
        cell.data_type = "s"
        if is_formula_like(text):
            cell.quotePrefix = True


def xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per :class:`Sheet`: bold header rows frozen at the
    top, numbers and dates as numbers with formats, text never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for spec in sheets or [Sheet(title="")]:
        sheet = book.create_sheet(sheet_title(spec.title, taken))
        widths: dict[int, int] = {}
        for r, row in enumerate(spec.rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                _put(cell, value)
                if r <= spec.header_rows:
                    cell.font = Font(bold=True)
                shown = cell.value if not isinstance(cell.value, date) else "00.00.0000 00:00"
                widths[c] = max(widths.get(c, 0), len(str(shown if shown is not None else "")))
        if spec.header_rows and spec.rows:
            sheet.freeze_panes = sheet.cell(row=spec.header_rows + 1, column=1)
        for c, width in widths.items():
            sheet.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = [
    "CSV_MIMETYPE",
    "EURO_FORMAT",
    "FORMULA_TRIGGERS",
    "Formula",
    "Money",
    "Percent",
    "Sheet",
    "XLSX_MIMETYPE",
    "csv_for_machines",
    "csv_for_people",
    "is_formula_like",
    "neutralise",
    "sheet_title",
    "xlsx",
]
