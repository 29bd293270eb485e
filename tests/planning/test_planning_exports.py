"""The plan as PDF, XLSX, CSV, print view and ICS: right figures, and only what the reader may see."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from openpyxl import load_workbook
from planning_helpers import de, de_html
from pypdf import PdfReader

from projektfabrik.planning import exports
from projektfabrik.planning.models import WorkPackage
from projektfabrik.testing import Town, login

if TYPE_CHECKING:
    from planning_helpers import Team


@pytest.fixture
def plan(team: Team) -> Team:
    post = team.owner.post
    post(
        "/projekte/1/plan/profil",
        data={"version": "0", "problem": "Brachfläche hinter der Schule", "goal": "Ein Garten"},
    )
    post("/projekte/1/plan/eintraege/arbeitspakete/neu", data={"name": "Beete bauen"})
    wp = team.find(WorkPackage)
    post(
        "/projekte/1/plan/eintraege/aufgaben/neu",
        data={"title": "Holz besorgen", "work_package": wp.ref, "start": "2026-03-01",
              "end": "2026-04-15", "status": "open", "responsible": team.member_user.ref},
    )  # fmt: skip
    post(
        "/projekte/1/plan/eintraege/meilensteine/neu",
        data={"title": "Eröffnung", "due": "2026-06-20"},
    )
    post(
        "/projekte/1/plan/eintraege/ressourcen/neu",
        data={"description": "Lärchenholz", "kind": "material", "quantity": "12", "unit": "Bretter",
              "cost": "1.234,56", "cost_type": "material", "source": "funding", "task": ""},
    )  # fmt: skip
    post(
        "/projekte/1/plan/eintraege/kosten/neu",
        data={"description": "Versicherung", "cost_type": "administrative", "amount": "65,44"},
    )
    post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "own_funds", "description": "Vereinskasse", "amount": "300"},
    )
    post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "requested_funding", "description": "Bürgerfonds", "amount": "1.000"},
    )
    return team


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


def test_the_pdf_is_a4_with_page_numbers_town_and_totals(plan: Team, needs_pdf: None) -> None:
    response = plan.owner.get("/projekte/1/plan/export/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="projektplan-1.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    # Made by the core's pdf.py: tagged, titled, in the reader's language.
    assert reader.metadata is not None and reader.metadata.title
    assert str(reader.trailer["/Root"]["/Lang"]).startswith("de")
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = _pdf_text(response.data)
    assert "Stadt A" in text and "Nachbarschaftsgarten" in text
    assert "Brachfläche hinter der Schule" in text and "Holz besorgen" in text
    assert "1.300,00 €" in text  # total costs: 1.234,56 + 65,44
    assert de("Page %(page)s of %(pages)s", page="1", pages=str(len(reader.pages))) in text
    assert "23,08 %" in text  # own funds 300 / 1.300


def test_the_print_view_is_html_with_the_same_plan(plan: Team) -> None:
    page = plan.owner.get("/projekte/1/plan/drucken").get_data(as_text=True)
    assert "Lärchenholz" in page and "1.300,00\xa0€" in page and "<style" not in page


def test_the_spreadsheet_has_a_sheet_per_section_and_money_as_numbers(plan: Team) -> None:
    response = plan.owner.get("/projekte/1/plan/export/xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == 5
    resources = book.worksheets[3]
    row = [c.value for c in resources[2]]
    assert row[0] == "Lärchenholz" and row[2] == 12
    assert Decimal(str(row[4])) == Decimal("1234.56")
    assert "€" in resources.cell(row=2, column=5).number_format
    finance = book.worksheets[4]
    rows = list(finance.iter_rows(values_only=True))
    # Header, six cost types, then the total (labels depend on the reader's language).
    assert Decimal(str(rows[7][1])) == Decimal("1300")
    total_financing, balance, own_share = (row[1] for row in rows[-3:])
    assert Decimal(str(total_financing)) == Decimal("1300")
    assert Decimal(str(balance)) == 0
    assert Decimal(str(own_share)) == Decimal("0.2308")  # 23,08 %, formatted as a percentage


def test_the_csv_opens_in_german_excel(plan: Team) -> None:
    response = plan.owner.get("/projekte/1/plan/export/csv")
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [de("Resource plan")] in rows and [de("Finance plan")] in rows  # a block per section
    timber = next(r for r in rows if r[:1] == ["Lärchenholz"])
    assert timber[2] == "12" and timber[4] == "1234,56"  # a number German Excel reads
    totals = {r[0]: r[1] for r in rows if len(r) == 2}
    assert (
        totals[de("Total costs")] == "1300,00" and totals[de("Own contribution share")] == "23,08"
    )
    task = next(r for r in rows if r[1:2] == ["Holz besorgen"])
    assert task[5:7] == ["01.03.2026", "15.04.2026"]


def test_hostile_plan_text_is_no_formula_in_any_export(plan: Team) -> None:
    hostile = '=HYPERLINK("http://evil.example","Klick")'
    plan.owner.post(
        "/projekte/1/plan/eintraege/kosten/neu",
        data={"description": hostile, "cost_type": "administrative", "amount": "1"},
    )
    plan.owner.post(
        "/projekte/1/plan/eintraege/meilensteine/neu",
        data={"title": "@SUM(A1)", "due": "2026-07-01"},
    )
    text = plan.owner.get("/projekte/1/plan/export/csv").get_data(as_text=True)
    cells = [c for r in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for c in r]
    assert "'@SUM(A1)" in cells and "@SUM(A1)" not in cells
    assert any(c.startswith("'" + hostile) for c in cells)
    book = load_workbook(io.BytesIO(plan.owner.get("/projekte/1/plan/export/xlsx").data))
    every = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in every if c.data_type == "f"]
    assert any(str(c.value).startswith(hostile) and c.data_type == "s" for c in every)
    assert any(c.value == "@SUM(A1)" and c.data_type == "s" for c in every)
    # The balance is now negative (costs 1.301 €, financing 1.300 €): still a number.
    balance = next(
        r
        for r in book.worksheets[-1].iter_rows()
        if r[0].value == de("Balance (financing minus costs)")
    )[1]
    assert balance.data_type == "n" and Decimal(str(balance.value)) == Decimal("-1")
    assert balance.number_format == '#,##0.00 "€"'
    assert [de("Balance (financing minus costs)"), "-1,00"] in list(
        csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")
    )


def test_outsiders_download_only_the_public_sections(
    plan: Team, needs_pdf: None, town_a: Town
) -> None:
    plan.owner.post("/projekte/1/plan/sichtbarkeit", data={"profile": "y"})
    outsider = town_a.client()
    login(outsider, town_a.user("outsider@example.org").email)
    text = _pdf_text(outsider.get("/projekte/1/plan/export/pdf").data)
    assert "Brachfläche hinter der Schule" in text
    assert "Holz besorgen" not in text and "1.300,00" not in text and "Lärchenholz" not in text
    book = load_workbook(io.BytesIO(outsider.get("/projekte/1/plan/export/xlsx").data))
    assert book.sheetnames == [de("Profile")]
    rows = outsider.get("/projekte/1/plan/export/csv").get_data(as_text=True)
    assert "Brachfläche" in rows and "Lärchenholz" not in rows and "finance" not in rows
    page = outsider.get("/projekte/1/plan/drucken").get_data(as_text=True)
    assert "Brachfläche" in page and "Lärchenholz" not in page
    assert outsider.get("/projekte/1/plan/zeitplan/meilensteine.ics").status_code == 404


def test_without_pdf_support_the_pdf_link_says_so(
    plan: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "pdf_available", lambda: False)
    page = plan.owner.get("/projekte/1/plan").get_data(as_text=True)
    assert de_html("PDF export is not available on this server.") in page
    assert "/plan/export/pdf" not in page and "/plan/export/xlsx" in page
    response = plan.owner.get("/projekte/1/plan/export/pdf")
    assert response.status_code == 503
    assert de_html("PDF export is not available on this server") in response.get_data(as_text=True)


def test_the_export_formats_come_through_the_hook(plan: Team, needs_pdf: None) -> None:
    with plan.town.app.test_request_context(base_url=f"http://{plan.town.host}"):
        from projektfabrik.plugins.runtime import export_formats

        with plan.town.context():
            keys = [f.key for f in export_formats(exports.SUBJECT)]
    assert keys == ["pdf", "xlsx", "csv"]


def test_the_pdf_shows_the_towns_logo(plan: Team, needs_pdf: None, town_a: Town) -> None:
    from PIL import Image

    from projektfabrik.extensions import db

    folder = plan.town.app.config["TENANTS_DIR"] + "/" + town_a.slug
    import os

    os.makedirs(folder, exist_ok=True)
    Image.new("RGB", (40, 40), "red").save(folder + "/logo.png")
    with town_a.context():
        tenant = db.session.merge(town_a.tenant)
        tenant.logo_file = "logo.png"
        db.session.commit()
    data = plan.owner.get("/projekte/1/plan/export/pdf").data
    reader = PdfReader(io.BytesIO(data))
    assert any(page.images for page in reader.pages)


def _made_files(town: Town) -> list[str]:
    from pathlib import Path

    folder = Path(town.app.config["UPLOADS_DIR"]) / str(town.tenant.id) / "made"
    return sorted(p.name for p in folder.glob("*.pdf")) if folder.exists() else []


def test_the_pdf_is_made_once_per_town_version_and_anew_after_a_change(
    plan: Team, needs_pdf: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from projektfabrik import pdf

    made: list[str] = []
    original = pdf.render_pdf

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(kwargs["title"])
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counting)
    first = plan.owner.get("/projekte/1/plan/export/pdf")
    second = plan.owner.get("/projekte/1/plan/export/pdf")
    assert first.status_code == second.status_code == 200
    assert second.data == first.data and len(made) == 1
    assert len(_made_files(plan.town)) == 1
    plan.owner.post("/projekte/1/plan/eintraege/arbeitspakete/neu", data={"name": "Zaun setzen"})
    third = plan.owner.get("/projekte/1/plan/export/pdf")
    assert len(made) == 2 and "Zaun setzen" in _pdf_text(third.data)
    assert len(_made_files(plan.town)) == 1  # the old version's file is gone


def test_a_stored_team_pdf_is_never_sent_to_an_outsider(
    plan: Team, needs_pdf: None, town_a: Town
) -> None:
    plan.owner.post("/projekte/1/plan/sichtbarkeit", data={"profile": "y"})
    assert "Lärchenholz" in _pdf_text(plan.owner.get("/projekte/1/plan/export/pdf").data)
    outsider = town_a.client()
    login(outsider, town_a.user("outsider@example.org").email)
    text = _pdf_text(outsider.get("/projekte/1/plan/export/pdf").data)
    assert "Brachfläche hinter der Schule" in text and "Lärchenholz" not in text
    assert len(_made_files(plan.town)) == 2  # one per set of sections shown


def test_the_pdf_link_leads_to_a_page_that_says_it_is_being_made(
    plan: Team, needs_pdf: None
) -> None:
    page = plan.owner.get("/projekte/1/plan").get_data(as_text=True)
    assert "/projekte/1/plan/export/pdf/erstellen" in page
    making = plan.owner.get("/projekte/1/plan/export/pdf/erstellen")
    html = making.get_data(as_text=True)
    assert making.status_code == 200
    assert '<meta http-equiv="refresh" content="0; url=/projekte/1/plan/export/pdf">' in html
    assert de_html("Your PDF is being made") in html
    plan.owner.get("/projekte/1/plan/export/pdf")
    # Made already: straight to the file.
    again = plan.owner.get("/projekte/1/plan/export/pdf/erstellen")
    assert again.status_code == 302 and again.location.endswith("/projekte/1/plan/export/pdf")
