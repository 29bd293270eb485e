"""The sheets: blank and prefilled, A4 and A3, with a QR code and a short code that
open the right page on the town's own host, and only for the project's team."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pubtools_support import Team, make_team, pdf_text, qr_codes
from pypdf import PdfReader

from projektfabrik.testing import Town, use_plugin

STEPS = ["teamfindung", "teamprofil", "projektprofil", "vision", "arbeitsplan", "ressourcen"]
CODE = re.compile(r"\b([2-9A-HJKMNP-Z]{4})-([2-9A-HJKMNP-Z]{4})\b")


def _pdf(client, path: str) -> bytes:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    return response.data


def _short_code(text: str) -> str:
    found = CODE.search(text)
    assert found, text[:500]
    return found.group(1) + found.group(2)


def test_prefilled_profile_sheet_carries_the_projects_texts(team_a: Team) -> None:
    client = team_a.client(team_a.member)
    content = _pdf(client, f"/kneipentools/projekt/{team_a.project.ref}/bogen/projektprofil/a4.pdf")
    text = pdf_text(content)
    assert "Nachbarschaftsgarten" in text
    assert "Im Viertel fehlt ein Treffpunkt im Grünen." in text
    assert "Ein Gemeinschaftsgarten für alle Nachbarn." in text
    assert "Projektprofil" in text  # German, the town's language
    assert (
        "Gedruckt aus dem Plan: Projektprofil, Version 1" in text
    )  # the plan version it was printed from
    assert "Stadt A" in text


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ("teamfindung", ["Mia Member", "Gärtnern, Tischlern", "Buchhaltung, Grafik"]),
        ("teamprofil", ["Olga Owner", "Mia Member"]),
        ("vision", ["Kinder ernten Tomaten"]),
        ("arbeitsplan", ["Beete bauen", "Hochbeet 1 zimmern", "01.03.2027", "Erste Ernte"]),
        ("ressourcen", ["Lärchenholz", "480,00 €", "Pflanzerde", "250,50 €", "Spenden vom"]),
    ],
)
def test_each_prefilled_sheet_prints_what_the_team_has(
    team_a: Team, step: str, expected: list[str]
) -> None:
    client = team_a.client(team_a.owner)
    text = pdf_text(_pdf(client, f"/kneipentools/projekt/{team_a.project.ref}/bogen/{step}/a4.pdf"))
    for words in expected:
        assert words in text, (words, text[:1500])


def test_pdf_is_tagged_with_language_and_title(team_a: Team) -> None:
    client = team_a.client(team_a.owner)
    for size in ("a4", "a3"):
        reader = PdfReader(
            __import__("io").BytesIO(
                _pdf(client, f"/kneipentools/projekt/{team_a.project.ref}/bogen/vision/{size}.pdf")
            )
        )
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "de"
        assert root["/MarkInfo"]["/Marked"]
        assert "/StructTreeRoot" in root
        assert reader.metadata.title == "Vision: Nachbarschaftsgarten"
        width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
        # A4 is 595 x 842 points, A3 842 x 1191
        assert (round(width), round(height)) == ((595, 842) if size == "a4" else (842, 1191))


def test_qr_code_and_short_code_open_the_typing_in_page_on_the_towns_host(
    team_a: Team, tmp_path: Path
) -> None:
    client = team_a.client(team_a.member)
    content = _pdf(client, f"/kneipentools/projekt/{team_a.project.ref}/bogen/projektprofil/a3.pdf")
    code = _short_code(pdf_text(content))
    assert qr_codes(content, tmp_path) == [f"http://stadt-a.test/kneipentools/k/{code}"]
    page = client.get(f"/kneipentools/k/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'href="/projekte/{team_a.project.number}/plan/profil"' in html
    # typed in by hand, in lower case with a space: the same place
    typed = client.post("/kneipentools/code", data={"code": f"{code[:4].lower()} {code[4:]}"})
    assert typed.status_code == 302
    assert typed.headers["Location"] == f"/kneipentools/k/{code}"


def test_blank_sheet_for_everyone_leads_to_new_idea(town_a: Town, tmp_path: Path) -> None:
    use_plugin(town_a, "pubtools")
    visitor = town_a.client()
    for step in STEPS:
        for size in ("a4", "a3"):
            content = _pdf(visitor, f"/kneipentools/bogen/{step}/{size}.pdf")
    # the last one: A3 of the resources sheet
    code = _short_code(pdf_text(content))
    assert qr_codes(content, tmp_path) == [f"http://stadt-a.test/kneipentools/k/{code}"]
    opened = visitor.get(f"/kneipentools/k/{code}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == "/projekte/neu"


def test_blank_print_view_is_the_same_sheet(town_a: Town) -> None:
    use_plugin(town_a, "pubtools")
    page = town_a.client().get("/kneipentools/bogen/projektprofil/a4")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Projektprofil</h1>" in html
    assert "1. Herausforderung" in html and "10. Partner" in html
    assert '<svg role="img" aria-label="QR-Code' in html


def test_codes_work_only_on_their_towns_host(team_a: Team, town_b: Town) -> None:
    team_b = make_team(town_b, prefix="b-")
    client = team_a.client(team_a.owner)
    text = pdf_text(
        _pdf(client, f"/kneipentools/projekt/{team_a.project.ref}/bogen/arbeitsplan/a4.pdf")
    )
    code = _short_code(text)
    blank = _short_code(pdf_text(_pdf(team_a.town.client(), "/kneipentools/bogen/vision/a4.pdf")))
    b_client = team_b.client(team_b.owner)
    assert b_client.get(f"/kneipentools/k/{code}").status_code == 404
    assert b_client.get(f"/kneipentools/k/{blank}").status_code == 404
    refused = b_client.post("/kneipentools/code", data={"code": code})
    assert refused.status_code == 400
    assert "gehört zu keinem Bogen" in refused.get_data(as_text=True)


def test_prefilled_sheet_of_town_a_cannot_be_had_through_town_b(team_a: Team, town_b: Town) -> None:
    team_b = make_team(town_b, prefix="b-")
    # the same project number exists in town B: its own project, never town A's
    assert team_b.project.number == team_a.project.number
    path = f"/kneipentools/projekt/{team_a.project.ref}/bogen/projektprofil/a4.pdf"
    a_owner_on_b = team_a.town.client(host="stadt-b.test")
    # a session of town A is anonymous on town B
    response = a_owner_on_b.get(path)
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
    # town B's team gets its own project's sheet, without town A's texts
    text = pdf_text(_pdf(team_b.client(team_b.owner), path))
    assert "Nachbarschaftsgarten" in text  # town B's project has the same title
    assert "b-owner" not in text


def test_outsiders_get_no_prefilled_sheet_and_no_landing(team_a: Team) -> None:
    owner = team_a.client(team_a.owner)
    text = pdf_text(_pdf(owner, f"/kneipentools/projekt/{team_a.project.ref}/bogen/vision/a4.pdf"))
    code = _short_code(text)
    outsider = team_a.client(team_a.outsider)
    for path in (
        f"/kneipentools/projekt/{team_a.project.ref}/",
        f"/kneipentools/projekt/{team_a.project.ref}/bogen/vision/a4.pdf",
        f"/kneipentools/projekt/{team_a.project.ref}/bogen/vision/a4",
        f"/kneipentools/projekt/{team_a.project.ref}/stammtisch/aufsteller.pdf",
        f"/kneipentools/k/{code}",
    ):
        assert outsider.get(path).status_code == 404, path
    visitor = team_a.town.client()
    assert visitor.get(f"/kneipentools/k/{code}").status_code == 302  # to the login


def test_landing_says_when_the_plan_changed_since_printing(team_a: Team) -> None:
    from projektfabrik.extensions import db
    from projektfabrik.planning import services as planning
    from projektfabrik.projects.models import Project

    client = team_a.client(team_a.owner)
    path = f"/kneipentools/projekt/{team_a.project.ref}/bogen/projektprofil/a4.pdf"
    code = _short_code(pdf_text(_pdf(client, path)))
    page = client.get(f"/kneipentools/k/{code}").get_data(as_text=True)
    assert "Seit dem Druck hat sich im Plan nichts geändert." in page
    # the same plan gives the same code again
    assert _short_code(pdf_text(_pdf(client, path))) == code
    with team_a.town.request_context():
        project = db.session.get(Project, team_a.project.id)
        planning.save_profile(project, team_a.owner, {"goal": "Zwei Gärten."}, 1)
        db.session.commit()
    page = client.get(f"/kneipentools/k/{code}").get_data(as_text=True)
    assert "Der Plan hat sich geändert, seit dieser Bogen gedruckt wurde." in page
    assert "gedruckt aus Version 1, jetzt Version 2" in page
    history = f"/projekte/{team_a.project.number}/plan/profil/versionen"
    assert f'href="{history}"' in page
    assert client.get(history).status_code == 200
    assert _short_code(pdf_text(_pdf(client, path))) != code


def test_sheet_not_offered_by_the_town_is_not_there(town_a: Town) -> None:
    use_plugin(town_a, "pubtools", offer_vision=False, footer_text="Mitmachen lohnt sich!")
    visitor = town_a.client()
    assert visitor.get("/kneipentools/bogen/vision/a4.pdf").status_code == 404
    assert "Vision" not in visitor.get("/kneipentools/").get_data(as_text=True)
    text = pdf_text(_pdf(visitor, "/kneipentools/bogen/projektprofil/a4.pdf"))
    assert "Mitmachen lohnt sich!" in text


def test_unknown_steps_sizes_and_codes_are_404(team_a: Team) -> None:
    visitor = team_a.town.client()
    assert visitor.get("/kneipentools/bogen/quatsch/a4.pdf").status_code == 404
    assert visitor.get("/kneipentools/bogen/vision/a5.pdf").status_code == 404
    assert visitor.get("/kneipentools/k/ABCDEFGH").status_code == 404
    assert visitor.get("/kneipentools/k/%3Cscript%3E").status_code == 404
    empty = visitor.post("/kneipentools/code", data={"code": ""})
    assert empty.status_code == 400
    assert "Bitte geben Sie den Code vom Bogen ein." in empty.get_data(as_text=True)


def test_the_making_page_starts_the_download_without_script(team_a: Team) -> None:
    client = team_a.client(team_a.member)
    ref = team_a.project.ref
    page = client.get(f"/kneipentools/projekt/{ref}/bogen/arbeitsplan/a3/pdf")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    pdf = f"/kneipentools/projekt/{ref}/bogen/arbeitsplan/a3.pdf"
    assert f'<meta http-equiv="refresh" content="0; url={pdf}">' in html
    assert "wird aus dem aktuellen Plan erstellt" in html
    assert (
        team_a.client(team_a.outsider)
        .get(f"/kneipentools/projekt/{ref}/bogen/arbeitsplan/a3/pdf")
        .status_code
        == 404
    )


def test_resources_landing_offers_the_finance_plan_too(team_a: Team) -> None:
    client = team_a.client(team_a.owner)
    path = f"/kneipentools/projekt/{team_a.project.ref}/bogen/ressourcen/a4.pdf"
    code = _short_code(pdf_text(_pdf(client, path)))
    html = client.get(f"/kneipentools/k/{code}").get_data(as_text=True)
    number = team_a.project.number
    assert f'href="/projekte/{number}/plan/ressourcen"' in html
    assert f'href="/projekte/{number}/plan/finanzen"' in html


def test_an_english_reader_gets_an_english_sheet(team_a: Team) -> None:
    client = team_a.client(team_a.member)
    client.post("/language", data={"locale": "en", "next": "/"})
    content = _pdf(client, f"/kneipentools/projekt/{team_a.project.ref}/bogen/arbeitsplan/a4.pdf")
    reader = PdfReader(__import__("io").BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = pdf_text(content)
    assert "Work plan and schedule" in text and "Work packages" in text
    assert "3/1/27" in text or "Mar 1, 2027" in text  # the English date format
    assert "Arbeitspaket" not in text


def test_a_prefilled_sheet_reads_the_plan_in_few_queries(team_a: Team, count_queries) -> None:  # type: ignore[no-untyped-def]
    client = team_a.client(team_a.owner)
    path = f"/kneipentools/projekt/{team_a.project.ref}/bogen/arbeitsplan/a4"
    client.get(path)  # the code is issued on the first print
    with count_queries() as few:
        assert client.get(path).status_code == 200
    with team_a.town.request_context():
        from projektfabrik.extensions import db
        from projektfabrik.planning import services as planning
        from projektfabrik.planning.models import Task
        from projektfabrik.projects.models import Project

        project = db.session.get(Project, team_a.project.id)
        for number in range(20):
            planning.add_item(project, team_a.owner, Task, planning.TaskInput(f"Noch {number}"))
        db.session.commit()
    client.get(path)
    with count_queries() as many:
        assert client.get(path).status_code == 200
    # twenty more tasks cost no query more: the plan is read in whole sections
    assert len(many) == len(few), (len(few), len(many))
