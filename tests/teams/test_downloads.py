"""Uploads are checked by content after their name is cleaned; every download leaves
through the one helper: a safe type, an attachment (RFC 6266 names), nosniff."""

from __future__ import annotations

import ast
import inspect
import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

import projektfabrik
from projektfabrik import downloads, images
from projektfabrik.extensions import db
from projektfabrik.projects.models import Project
from projektfabrik.teams.models import TeamFile
from projektfabrik.testing import Town, assert_safe_download
from projektfabrik.uploads import clean_name

from .teamkit import Team

# Run once more with PROJEKTFABRIK_TEST_STORAGE=s3 in CI (the marker's meaning: setup.cfg).
pytestmark = pytest.mark.storage

PDF = b"%PDF-1.4\n%test\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _upload(team: Team, content: bytes, name: str):  # type: ignore[no-untyped-def]
    return team.owner_client.post(
        "/projekte/1/teamraum/dateien",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _png(size: tuple[int, int] = (20, 20)) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", size, "red").save(data, "PNG")
    return data.getvalue()


def _only_file(team: Team) -> TeamFile:
    db.session.expire_all()
    with team.town.context():
        return db.session.scalars(select(TeamFile)).one()


# --- the name does not decide -----------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        HTML,
        b"  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"<?xml version='1.0'?>",
    ],
)
def test_markup_called_html_is_refused_and_nothing_is_stored(team: Team, content: bytes) -> None:
    response = _upload(team, content, "x.html")
    assert response.status_code == 400
    assert "nicht angenommen" in response.get_data(as_text=True)
    with team.town.context():
        assert db.session.scalars(select(TeamFile)).all() == []


def test_a_pdf_called_html_is_served_as_a_pdf_attachment(team: Team) -> None:
    assert _upload(team, PDF, "x.html").status_code == 302
    item = _only_file(team)
    assert item.filename == "x.pdf" and item.mimetype == "application/pdf"
    response = team.member_client.get(f"/projekte/1/teamraum/dateien/{item.ref}/{item.filename}")
    assert_safe_download(response, "application/pdf")
    assert response.headers["Content-Disposition"] == 'attachment; filename="x.pdf"'
    assert response.data == PDF


def test_a_hostile_name_is_cleaned_before_the_check_and_sent_per_rfc_6266(team: Team) -> None:
    name = "..\\..\\C:/tmp/Bericht\u202egnp.\tÜbersicht  final.pdf"
    assert _upload(team, PDF, name).status_code == 302
    item = _only_file(team)
    assert item.filename == "Berichtgnp. Übersicht final.pdf"
    response = team.owner_client.get(f"/projekte/1/teamraum/dateien/{item.ref}/x")
    assert_safe_download(response, "application/pdf")
    disposition = response.headers["Content-Disposition"]
    assert 'filename="Berichtgnp. Ubersicht final.pdf"' in disposition  # ASCII fallback
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == item.filename and " " not in encoded


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Plan.pdf", "Plan.pdf"),
        ("a\tb\nc.txt", "a b c.txt"),
        ("rechnung\u202efdp.exe", "rechnungfdp.exe"),  # no right-to-left override
        ("\u200bzero\u2066width\u2069.pdf", "zerowidth.pdf"),
        ("...versteckt", "versteckt"),
        ("Ｃ：／ｘ／voll.pdf", "voll.pdf"),  # full-width path characters
        ("<script>.pdf", "script.pdf"),
        ("", ""),
    ],
)
def test_names_are_cleaned(name: str, cleaned: str) -> None:
    assert clean_name(name) == cleaned


def test_an_overlong_name_keeps_its_extension() -> None:
    cleaned = clean_name("ä" * 500 + ".pdf")
    assert len(cleaned) == 120 and cleaned.endswith("ä.pdf")


# --- pictures go through the same check ---------------------------------------------


def test_pictures_are_checked_by_content_whatever_their_name(team: Team) -> None:
    client = team.owner_client
    response = client.post(
        "/profil",
        data={
            "display_name": "Olga",
            "kind": "citizen",
            "district": "",
            "avatar": (io.BytesIO(HTML), "bild.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 400)  # the form again, with the message
    assert "nicht angenommen" in response.get_data(as_text=True)
    with team.town.context():
        assert db.session.get(type(team.owner), team.owner.id).avatar_file is None
    response = client.post(
        "/profil",
        data={
            "display_name": "Olga",
            "kind": "citizen",
            "district": "",
            "avatar": (io.BytesIO(_png()), "x.html"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302  # a PNG, whatever it is called


def test_save_image_uses_the_upload_check(app: Flask, town_a: Town) -> None:
    with app.test_request_context(), town_a.context():
        with pytest.raises(images.ImageError):
            images.save_image(io.BytesIO(PDF), "avatars", (10, 10))
        with pytest.raises(images.ImageError):
            images.save_image(io.BytesIO(b""), "avatars", (10, 10))
        assert images.save_image(io.BytesIO(_png()), "avatars", (10, 10)).endswith(".webp")


# --- every download route ----------------------------------------------------------------

#: Every core route that sends a file; each is requested below with its headers checked.
#: The plugins' routes (funding documents and lists, the notice board's export) are
#: checked in their own tests with the same ``assert_safe_download``.
CORE_DOWNLOADS = {
    "teams.download",
    "teams.meeting_ics",
    "planning.milestones_ics",
    "planning.export",
    "opendata.projects_csv",
    "marketplace.image",
    "accounts.avatar",
    "accounts.export_data",
    "site.logo",
    "admin.statistics_csv",
}
PLUGIN_DOWNLOADS = {
    "funding.pot_export",
    "funding.download",
    "funding.application_pdf",  # through the plugin's pdf.response, i.e. pdf_response
    "funding.notice",
    "pinnwand.export",
    "councilmotion.clerk_scan",
    "councilmotion.clerk_export",
    # (councilmotion.motion_pdf and .signature_list send through the plugin's pdf.py)
    "businessplan.pdf",  # pdf_response
    "businessplan.xlsx",  # send_download
    "workshops.feed",
    "workshops.workshop_ics",
    "workshops.protocol_pdf",
}
#: The operator console's town export, checked in tests/operations/test_console.py.
CONSOLE_DOWNLOADS = {"console.export"}
#: The impact dashboard's CSV and a reported result's file, checked in
#: tests/strategy/test_strategy_pages.py.
STRATEGY_DOWNLOADS = {"strategy.dashboard_csv", "strategy_project.result_file"}
SENDERS = ("send_download(", "export_response(", "pdf_response(", "pdf.response(", "send_file(")


def test_every_route_that_sends_a_file_is_listed_here(app: Flask) -> None:
    found = set()
    for endpoint, view in app.view_functions.items():
        try:
            source = inspect.getsource(inspect.unwrap(view))
        except (OSError, TypeError):
            continue
        if any(sender in source for sender in SENDERS):
            found.add(endpoint)
    assert (
        found - CORE_DOWNLOADS - PLUGIN_DOWNLOADS - CONSOLE_DOWNLOADS - STRATEGY_DOWNLOADS == set()
    )
    assert found >= CORE_DOWNLOADS


def test_every_core_download_route_sends_safe_headers(team: Team, app: Flask) -> None:
    owner = team.owner_client
    # a team file and a meeting
    assert _upload(team, PDF, "Plan.pdf").status_code == 302
    item = _only_file(team)
    checked = {"teams.download"}
    assert_safe_download(owner.get(f"/projekte/1/teamraum/dateien/{item.ref}/x"), "application/pdf")
    owner.post(
        "/projekte/1/teamraum/treffen",
        data={"title": "Treffen", "day": "2030-05-14", "start": "18:30", "end": "20:00",
              "place": "Hafen"},
    )  # fmt: skip
    from projektfabrik.teams.models import TeamMeeting

    with team.town.context():
        meeting = db.session.scalars(select(TeamMeeting)).one()
    assert_safe_download(
        owner.get(f"/projekte/1/teamraum/treffen/{meeting.ref}.ics"), "text/calendar"
    )
    checked.add("teams.meeting_ics")
    # the plan
    owner.post(
        "/projekte/1/plan/eintraege/meilensteine/neu", data={"title": "Fest", "due": "2030-06-01"}
    )
    assert_safe_download(owner.get("/projekte/1/plan/zeitplan/meilensteine.ics"), "text/calendar")
    assert_safe_download(owner.get("/projekte/1/plan/export/csv"), "text/csv")
    assert_safe_download(owner.get("/projekte/1/plan/export/xlsx"), downloads.SAFE_TYPES and
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    checked |= {"planning.milestones_ics", "planning.export"}
    # open data
    assert_safe_download(team.town.client().get("/projekte.csv"), "text/csv")
    checked.add("opendata.projects_csv")
    # pictures the platform re-encoded are the only files shown inline
    owner.post(
        "/profil",
        data={
            "display_name": "Olga",
            "kind": "citizen",
            "district": "",
            "avatar": (io.BytesIO(_png()), "ich.png"),
        },
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    with team.town.context():
        user = db.session.get(type(team.owner), team.owner.id)
        with app.test_request_context():
            picture = images.save_image(io.BytesIO(_png((300, 200))), "projects", (64, 48))
        project = db.session.scalars(select(Project)).one()
        project.image_file = picture
        db.session.commit()
        avatar_url = f"/leute/{user.ref}/bild/{user.avatar_file}"
    assert_safe_download(team.town.client().get(avatar_url), "image/webp", inline=True)
    assert_safe_download(
        team.town.client().get(f"/projekte/1/bild/{picture}"), "image/webp", inline=True
    )
    checked |= {"accounts.avatar", "marketplace.image"}
    # the person's own data
    assert_safe_download(owner.get("/konto/daten.json"), "application/json")
    checked.add("accounts.export_data")
    # the town's logo (the operator's SVG, not re-encoded: an attachment, sandboxed)
    folder = Path(app.config["TENANTS_DIR"]) / team.town.slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with team.town.context():
        db.session.merge(team.town.tenant).logo_file = "logo.svg"
        db.session.commit()
    assert_safe_download(team.town.client().get("/branding/logo"), "image/svg+xml")
    checked.add("site.logo")
    # the admin's statistics
    from projektfabrik.accounts.models import Role
    from projektfabrik.testing import login

    team.town.user("stats-admin@example.org", role=Role.ADMIN)
    admin = team.town.client()
    login(admin, "stats-admin@example.org")
    assert_safe_download(admin.get("/verwaltung/statistik.csv"), "text/csv")
    checked.add("admin.statistics_csv")
    assert checked == CORE_DOWNLOADS


# --- the helper itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "sent"),
    [("text/html", "application/octet-stream"), ("application/javascript", "application/octet-stream"),
     ("application/xhtml+xml", "application/octet-stream"), ("", "application/octet-stream"),
     ("application/PDF", "application/pdf"), ("text/csv; charset=latin-1", "text/csv")],
)  # fmt: skip
def test_only_safe_types_leave(given: str, sent: str) -> None:
    assert downloads.safe_mimetype(given) == sent


def test_only_reencoded_pictures_are_inline(app: Flask) -> None:
    with app.test_request_context():
        html = downloads.send_download(HTML, "x.html", "text/html", inline_image=True)
        svg = downloads.send_download(b"<svg/>", "x.svg", "image/svg+xml", inline_image=True)
        png = downloads.send_download(_png(), "x.png", "image/png", inline_image=True)
    assert html.mimetype == "application/octet-stream"
    assert html.headers["Content-Disposition"].startswith("attachment;")
    assert svg.headers["Content-Disposition"].startswith("attachment;")
    assert png.headers["Content-Disposition"].startswith("inline;")


# --- nobody else sends files --------------------------------------------------------------

ROOT = Path(projektfabrik.__file__).resolve().parents[1]
HELPER = ROOT / "projektfabrik" / "downloads.py"


def sends_files_itself(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask.helpers"):
            names = {a.name for a in node.names} & {"send_file", "send_from_directory"}
            if names:
                found.append(f"line {node.lineno}: imports {names}")
        elif isinstance(node, ast.Attribute) and node.attr in ("send_file", "send_from_directory"):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Constant) and node.value == "Content-Disposition":
            found.append(f"line {node.lineno}: sets Content-Disposition")
    return found


def test_the_check_finds_a_view_that_sends_a_file_itself() -> None:
    assert sends_files_itself("from flask import send_file\n")
    assert sends_files_itself("import flask\nflask.send_from_directory('a', 'b')\n")
    assert sends_files_itself("r.headers['Content-Disposition'] = 'inline'\n")
    assert not sends_files_itself("from flask import abort\n")


def test_only_the_download_helper_sends_files() -> None:
    files = list((ROOT / "projektfabrik").rglob("*.py"))
    for plugin in (ROOT / "plugins").iterdir():
        files += [p for p in plugin.rglob("*.py") if "tests" not in p.relative_to(plugin).parts]
    files = [p for p in files if p not in (HELPER, ROOT / "projektfabrik" / "testing.py")]
    assert any("plugins" in p.parts for p in files)
    wrong = {
        str(p.relative_to(ROOT)): found
        for p in sorted(files)
        if (found := sends_files_itself(p.read_text("utf-8")))
    }
    assert not wrong, f"send files with projektfabrik.api.send_download: {wrong}"
