"""The workbook and the PDF: their contents, read back.

LibreOffice is not installed on the development machines or in CI, so the
workbook's formulas are recalculated here by a small evaluator for the few
functions the workbook uses (SUM, ROUND, ROUNDUP, MAX, IF, + - * /), with
exact decimals, and compared with the numbers module to the cent.
"""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

import pytest
from businessplan_support import Setup
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string
from projektfabrik_businessplan import numbers as n
from projektfabrik_businessplan.workbook import workbook

from projektfabrik.testing import Town, assert_safe_download

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

REF = re.compile(
    r"(?:'(?P<sheet>[^']+)'!)?\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d+)(?::\$?(?P<c2>[A-Z]{1,3})\$?(?P<r2>\d+))?"
)


class Evaluator:
    """Computes a workbook's formula cells the way a spreadsheet would, with Decimals."""

    def __init__(self, content: bytes) -> None:
        self.book = load_workbook(io.BytesIO(content))
        self.cache: dict[tuple[str, str], Any] = {}

    def value(self, sheet: str, cell: str) -> Any:
        key = (sheet, cell)
        if key not in self.cache:
            raw = self.book[sheet][cell].value
            if isinstance(raw, str) and raw.startswith("="):
                self.cache[key] = self.formula(sheet, raw[1:])
            elif isinstance(raw, int | float):
                self.cache[key] = Decimal(str(raw))
            elif raw is None:
                self.cache[key] = Decimal(0)
            else:
                self.cache[key] = raw
        return self.cache[key]

    def cells(self, sheet: str, c1: str, r1: int, c2: str, r2: int) -> list[Any]:
        found = []
        for row in range(r1, r2 + 1):
            for column in range(column_index_from_string(c1), column_index_from_string(c2) + 1):
                letter = self.book[sheet].cell(row=row, column=column).column_letter
                found.append(self.value(sheet, f"{letter}{row}"))
        return found

    def formula(self, sheet: str, text: str) -> Any:
        names: dict[str, Any] = {}

        def replace(match: re.Match[str]) -> str:
            target = match["sheet"] or sheet
            name = f"v{len(names)}"
            if match["c2"]:
                names[name] = self.cells(
                    target, match["c1"], int(match["r1"]), match["c2"], int(match["r2"])
                )
            else:
                names[name] = self.value(target, f"{match['c1']}{match['r1']}")
            return name

        expression = REF.sub(replace, text)
        expression = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)", r"D('\1')", expression)
        expression = expression.replace("<=", " <= ").replace('"–"', "'–'")
        return eval(  # noqa: S307 - the test's own workbook, known functions only
            expression,
            {"__builtins__": {}},
            {
                **names,
                "D": Decimal,
                "SUM": lambda *args: sum(
                    (x for a in args for x in (a if isinstance(a, list) else [a])), Decimal(0)
                ),
                "ROUND": lambda x, d: x.quantize(Decimal(1).scaleb(-int(d)), ROUND_HALF_UP),
                "ROUNDUP": lambda x, d: x.quantize(Decimal(1).scaleb(-int(d)), ROUND_UP),
                "MAX": lambda *args: max(args),
                "IF": lambda c, a, b: a if c else b,
            },
        )


def euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def cafe() -> n.Inputs:
    return n.Inputs(
        investments=(n.Investment("Werkzeug", 1_200_000, 4), n.Investment("Regal", 99_999, 3)),
        startup_costs=(n.Item("Gründung", 150_000),),
        cash_reserve=300_000,
        own_funds=450_000,
        loans=(
            n.Loan("Mikrokredit", 1_000_000, 600, 36),
            n.Loan('=HYPERLINK("x")', 333_333, 475, 48, grace_months=5),
        ),
        grants=(n.Item("Stiftung", 200_000),),
        donations=(n.Item("Spenden", 12_345),),
        products=(
            n.Product("Reparatur", 2_500, 800, (1501, 1799, 2101)),
            n.Product("Kurs", 3_333, 500, (7, 0, 13)),
        ),
        staff=(1_200_001, 1_400_000, 1_600_007),
        rent=(480_000, 480_000, 480_000),
        other=(100_003, 100_000, 100_000),
        tax_rate_bp=1525,
    )


@pytest.fixture
def german(town_a: Town) -> Any:
    with town_a.request_context():
        yield


def sheet_rows(book: Any, title: str) -> dict[str, int]:
    return {
        str(row[0].value): row[0].row for row in book[title].iter_rows() if row[0].value is not None
    }


def test_the_workbooks_formulas_reproduce_the_computed_plans(german: None) -> None:
    inputs = cafe()
    result = n.compute(inputs)
    content = workbook(inputs, "Repair-Café")
    calc = Evaluator(content)
    book = calc.book
    assert book.sheetnames == [
        "Eingaben",
        "Kapitalbedarf",
        "Monate",
        "Rentabilität",
        "Liquidität",
        "Gewinnschwelle",
    ]
    # Real formulas, not typed totals.
    profit = sheet_rows(book, "Rentabilität")
    assert str(book["Rentabilität"]["B" + str(profit["Umsatz"])].value).startswith("=SUM(")
    labels = {
        "revenue": "Umsatz",
        "material": "Material und Waren",
        "gross_profit": "Rohertrag",
        "staff": "Personal",
        "depreciation": "Abschreibungen",
        "interest": "Zinsen",
        "profit_before_tax": "Gewinn vor Steuern",
        "taxes": "Steuern",
        "net_profit": "Gewinn nach Steuern",
    }
    for key, label in labels.items():
        for year, column in enumerate("BCD"):
            got = calc.value("Rentabilität", f"{column}{profit[label]}")
            assert got == euros(result.yearly_profit(key)[year]), (key, year)
    cash = sheet_rows(book, "Liquidität")
    for key, label in (
        ("total_in", "Einzahlungen"),
        ("total_out", "Auszahlungen"),
        ("closing", "Kontostand am Ende"),
        ("opening", "Kontostand am Anfang"),
    ):
        for year, column in enumerate("BCD"):
            got = calc.value("Liquidität", f"{column}{cash[label]}")
            assert got == euros(result.yearly_cash(key)[year]), (key, year)
    # Every month's closing balance, to the cent.
    months = sheet_rows(book, "Monate")
    row = months["Kontostand am Ende"]
    for month in range(n.MONTHS):
        letter = book["Monate"].cell(row=row, column=2 + month).column_letter
        assert calc.value("Monate", f"{letter}{row}") == euros(
            result.monthly_cash["closing"][month]
        )
    capital = sheet_rows(book, "Kapitalbedarf")
    assert calc.value("Kapitalbedarf", f"B{capital['Kapitalbedarf']}") == euros(
        result.capital.total
    )
    assert calc.value("Kapitalbedarf", f"B{capital['Finanzierung']}") == euros(
        result.capital.financing
    )
    # Break-even: the same cent (rounded up) as the pages show.
    be = sheet_rows(book, "Gewinnschwelle")
    for year, column in enumerate("BCD"):
        needed = result.break_even[year].revenue_needed
        got = calc.value("Gewinnschwelle", f"{column}{be['Umsatz an der Gewinnschwelle']}")
        assert got == (euros(needed) if needed is not None else "–")


def test_the_workbook_reads_as_german_and_keeps_names_as_text(german: None) -> None:
    book = load_workbook(io.BytesIO(workbook(cafe(), "=Café")))
    inputs = book["Eingaben"]
    assert inputs["A1"].value == "Businessplan: =Café"
    assert inputs["A1"].data_type == "s"
    names = [c.value for c in inputs["A"] if c.value]
    assert '=HYPERLINK("x")' in names  # a loan's name stays text
    cell = next(c for c in inputs["A"] if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s" and cell.quotePrefix
    money = next(c for c in inputs["B"] if c.value == Decimal("12000"))
    assert money.number_format == '#,##0.00 "€"'
    percent = next(c for c in inputs["C"] if c.value is not None and c.value == pytest.approx(0.06))
    assert percent.number_format == "0.00%"
    formula = book["Monate"]["B3"]
    assert formula.number_format == '#,##0.00 "€"' or isinstance(formula.value, int)


def test_the_pdf_has_cover_contents_sections_tables_and_chart(setup_a: Setup) -> None:
    from pypdf import PdfReader

    setup_a.start()
    setup_a.save_numbers()
    response = setup_a.team.get(setup_a.base + "/businessplan.pdf")
    if response.status_code == 503:
        pytest.skip("WeasyPrint cannot be loaded here")
    assert response.status_code == 200
    assert_safe_download(response, "application/pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.metadata is not None and reader.metadata.title == "Businessplan: Repair-Café"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert root["/MarkInfo"]["/Marked"]  # tagged
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Repair-Café",
        "Inhalt",
        "Zusammenfassung",
        "Angebot und Alleinstellungsmerkmal",
        "Ein Repair-Café mit Werkstatt",
        "Kapitalbedarf",
        "16.500,00",
        "Rentabilitätsvorschau",
        "Liquiditätsplan",
        "Gewinnschwelle",
        "Eingetragener Verein",
    ):
        assert expected in text, expected
    assert len(reader.pages) >= 4


def test_the_xlsx_download_is_the_plans_workbook(setup_a: Setup) -> None:
    setup_a.start()
    setup_a.save_numbers()
    response = setup_a.team.get(setup_a.base + "/businessplan.xlsx")
    assert response.status_code == 200
    assert_safe_download(response, XLSX)
    book = load_workbook(io.BytesIO(response.data))
    inputs = [c.value for c in book["Eingaben"]["A"]]
    assert "Werkzeug" in inputs and "Mikrokredit" in inputs and "Reparatur" in inputs
