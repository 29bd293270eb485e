"""The PDFs: the motion as filed and the signature list, read back with pypdf."""

from __future__ import annotations

from io import BytesIO

import pytest
from councilmotion_support import Team
from pypdf import PdfReader

from projektfabrik.pdf import available

pytestmark = pytest.mark.skipif(not available(), reason="WeasyPrint cannot be loaded")


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_motion_pdf_has_the_whole_motion_title_language_and_tags(team_a: Team) -> None:
    ref = team_a.collecting()
    team_a.clerk.post(f"/antraege/verwaltung/{ref}/listen", data={"count": "21"})
    response = team_a.team.get(f"/antraege/{ref}/antrag.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    text = _text(reader)
    assert "Stadtratsantrag: Platz an der Bibliothek" in text
    assert "Der Stadtrat möge beschließen:" in text
    assert "Die Verwaltung wird beauftragt, den Platz umzugestalten." in text
    assert "Der Platz ist grau und heiß." in text  # justification
    assert "Kosten: 12.000,00 €" in text  # financial effects
    assert "Olga Owner" in text  # submitters
    assert "21" in text and "Quorum: 50" in text  # counts for the team
    assert reader.metadata is not None
    assert reader.metadata.title == "Stadtratsantrag: Platz an der Bibliothek"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root  # tagged
    public = team_a.town.client().get(f"/antraege/{ref}/antrag.pdf")
    assert "Quorum" not in _text(PdfReader(BytesIO(public.data)))  # counts for team/clerks


def test_every_page_of_the_signature_list_carries_the_full_text_and_a_qr_code(
    team_a: Team,
) -> None:
    ref = team_a.collecting()
    response = team_a.town.client().get(f"/antraege/{ref}/unterschriftenliste.pdf")
    assert response.status_code == 200
    reader = PdfReader(BytesIO(response.data))
    for page in reader.pages:
        text = " ".join((page.extract_text() or "").split())
        assert "Einwohnerantrag: Platz an der Bibliothek" in text
        assert "Die Verwaltung wird beauftragt, den Platz umzugestalten." in text
        assert "Der Platz ist grau und heiß." in text
        assert "Vertrauenspersonen: Olga Owner" in text
        for column in ("Familienname, Vorname", "Geburtsdatum", "Anschrift", "Unterschrift"):
            assert column in text
        assert f"stadt-a.test/antraege/{ref}" in text.replace(" ", ""), text  # under the QR code
        assert "Datenschutz" in text
    assert reader.metadata is not None and reader.metadata.title.startswith("Unterschriftenliste")


def test_the_list_leaves_out_the_date_of_birth_where_the_town_does_not_ask(town_a) -> None:  # type: ignore[no-untyped-def]
    from councilmotion_support import make_team

    team = make_team(town_a, ask_birth_date=False)
    ref = team.collecting()
    reader = PdfReader(BytesIO(team.team.get(f"/antraege/{ref}/unterschriftenliste.pdf").data))
    assert "Geburtsdatum" not in _text(reader)


def test_no_signature_list_while_not_collecting_for_outsiders(team_a: Team) -> None:
    ref = team_a.ready()
    assert team_a.town.client().get(f"/antraege/{ref}/unterschriftenliste.pdf").status_code == 404
