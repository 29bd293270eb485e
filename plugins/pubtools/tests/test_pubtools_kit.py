"""From paper back online: photos of filled sheets, the pub evening kit (table tent,
sign-in list with the invitation path, agenda card) and the idea postcards."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from projektfabrik_pubtools.models import SheetPhoto
from pubtools_support import Team, make_team, pdf_text, qr_codes
from sqlalchemy import select

from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.projects.models import Membership
from projektfabrik.teams import services as teams
from projektfabrik.teams.models import JoinRequest, TeamFile
from projektfabrik.testing import Mailbox, Town, body_of, links_in, login, use_plugin


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def _photo(client, team: Team, data: bytes, name: str = "bogen.jpg", step: str = "vision"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/kneipentools/projekt/{team.project.ref}/fotos",
        data={"step": step, "photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


# --- photos of filled sheets ----------------------------------------------------------


@pytest.mark.storage
def test_a_member_keeps_a_photo_with_the_teams_files(team_a: Team) -> None:
    client = team_a.client(team_a.member)
    response = _photo(client, team_a, _jpeg())
    assert response.status_code == 302
    with team_a.town.context():
        photo = db.session.scalar(select(SheetPhoto))
        assert photo is not None and photo.step == "vision"
        stored = db.session.scalar(select(TeamFile).where(TeamFile.ref == photo.file_ref))
        assert stored is not None and stored.project_id == team_a.project.id
    page = client.get(f"/kneipentools/projekt/{team_a.project.ref}/").get_data(as_text=True)
    assert "bogen.jpg" in page and "Vision" in page
    # the team's file page has it too, and the download works for the team only
    files = client.get(f"/projekte/{team_a.project.number}/teamraum/dateien").get_data(as_text=True)
    assert "bogen.jpg" in files
    link = f"/projekte/{team_a.project.number}/teamraum/dateien/{photo.file_ref}/bogen.jpg"
    assert client.get(link).status_code == 200
    assert team_a.client(team_a.outsider).get(link).status_code in (403, 404)


def test_what_is_no_picture_is_refused_with_a_message(team_a: Team) -> None:
    client = team_a.client(team_a.owner)
    response = _photo(client, team_a, b"<html>nope</html>", "bogen.jpg")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="error"' in page
    with team_a.town.context():
        assert db.session.scalar(select(SheetPhoto)) is None
    unknown_step = _photo(client, team_a, _jpeg(), step="quatsch")
    assert unknown_step.status_code == 400


def test_outsiders_and_other_towns_cannot_add_photos(team_a: Team, town_b: Town) -> None:
    assert _photo(team_a.client(team_a.outsider), team_a, _jpeg()).status_code == 404
    team_b = make_team(town_b, prefix="b-")
    # town B's owner posts to the same path on town B's host: it lands in town B's project
    response = _photo(team_b.client(team_b.owner), team_a, _jpeg())
    assert response.status_code == 302
    with team_a.town.context():
        assert db.session.scalar(select(SheetPhoto)) is None
    with town_b.context():
        assert db.session.scalar(select(SheetPhoto)).project_id == team_b.project.id


# --- the pub evening kit ------------------------------------------------------------------


def test_table_tent_carries_pitch_and_the_teams_join_code(team_a: Team, tmp_path: Path) -> None:
    client = team_a.client(team_a.owner)
    path = f"/kneipentools/projekt/{team_a.project.ref}/stammtisch/aufsteller.pdf"
    without = pdf_text(client.get(path).data)
    assert "Fragen Sie uns am Tisch" in without
    tab = client.get(f"/kneipentools/projekt/{team_a.project.ref}/").get_data(as_text=True)
    assert "Das Team hat noch keinen Beitrittscode." in tab
    assert f'href="/projekte/{team_a.project.number}/team/code"' in tab
    with team_a.town.request_context():
        from projektfabrik.projects.models import Project

        access = teams.access(db.session.get(Project, team_a.project.id))
        code = access.display_code
        db.session.commit()
    content = client.get(path).data
    text = pdf_text(content)
    assert "Wir gärtnern zusammen im Hinterhof." in text and code in text
    found = qr_codes(content, tmp_path)
    assert found and set(found) == {f"http://stadt-a.test/beitreten?code={code}"}


def test_sign_in_list_and_agenda(team_a: Team) -> None:
    client = team_a.client(team_a.member)
    ref = team_a.project.ref
    signin = pdf_text(client.get(f"/kneipentools/projekt/{ref}/stammtisch/anmeldeliste.pdf").data)
    assert "Anmeldeliste" in signin and "DSGVO" in signin and "E-Mail" in signin
    agenda = pdf_text(client.get(f"/kneipentools/projekt/{ref}/stammtisch/ablauf.pdf").data)
    assert "Hochbeet 1 zimmern" in agenda and "Buchhaltung" in agenda and "Grafik" in agenda
    view = client.get(f"/kneipentools/projekt/{ref}/stammtisch/ablauf")
    assert view.status_code == 200 and "Hochbeet 3 zimmern" in view.get_data(as_text=True)
    assert client.get(f"/kneipentools/projekt/{ref}/stammtisch/quatsch").status_code == 404


def test_invitations_from_a_sign_in_list_end_to_end(team_a: Team, mailbox: Mailbox) -> None:
    known = team_a.town.user("karla@example.org", name="Karla Kennt")
    owner = team_a.client(team_a.owner)
    path = f"/kneipentools/projekt/{team_a.project.ref}/stammtisch/einladen"
    # members who are not owners do not invite
    assert team_a.client(team_a.member).get(path).status_code == 403
    people = "Karla Kennt, karla@example.org\nNeu, Nina <nina@example.org>\nOhne Adresse\n"
    # without the consent box nothing is sent and nothing typed is lost
    refused = owner.post(path, data={"people": people, "message": "Schön war's!"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "nina@example.org" in page and "Schön war&#39;s!" in page
    assert not mailbox.messages
    response = owner.post(path, data={"people": people, "message": "Schön war's!", "consent": "y"})
    assert response.status_code == 200  # shows which line was not invited
    page = response.get_data(as_text=True)
    assert "2 Einladungen verschickt." in page
    assert "Zeile 3 (Ohne Adresse)" in page
    for address in ("karla@example.org", "nina@example.org"):
        mail = mailbox.wait_for(address)
        assert "Nachbarschaftsgarten" in mail["Subject"]
        assert "Schön war's!" in body_of(mail)
    # nobody got an account without consent
    with team_a.town.context():
        assert db.session.scalar(select(User).where(User.email == "nina@example.org")) is None
    # Karla confirms with her own account: a request to join, which the owner accepts
    (link,) = [u for u in links_in(mailbox.last_to("karla@example.org")) if "/einladung/" in u]
    assert link.startswith("http://stadt-a.test/")
    karla = team_a.town.client()
    login(karla, known.email)
    link_path = urlsplit(link).path
    asked = karla.post(link_path, data={"motivation": "Ich war am Stammtisch.", "skills": ""})
    assert asked.status_code == 302
    with team_a.town.context():
        item = db.session.scalar(select(JoinRequest).where(JoinRequest.user_id == known.id))
        assert item is not None and item.invited
        ref = item.ref
    decided = owner.post(
        f"/projekte/{team_a.project.number}/team/anfragen/{ref}/entscheiden",
        data={"decision": "accept", "message": ""},
    )
    assert decided.status_code == 302
    with team_a.town.context():
        assert db.session.scalar(
            select(Membership).where(
                Membership.user_id == known.id, Membership.project_id == team_a.project.id
            )
        )


def test_sign_in_list_with_no_address_keeps_the_text(team_a: Team, mailbox: Mailbox) -> None:
    owner = team_a.client(team_a.owner)
    path = f"/kneipentools/projekt/{team_a.project.ref}/stammtisch/einladen"
    response = owner.post(path, data={"people": "Nur ein Name", "consent": "y"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Keine Zeile der Liste hat eine gültige E-Mail-Adresse." in page
    assert "Nur ein Name" in page
    assert not mailbox.messages


# --- idea postcards ----------------------------------------------------------------------


def test_admin_prints_idea_postcards_with_the_towns_code(team_a: Team, tmp_path: Path) -> None:
    assert team_a.client(team_a.owner).get("/kneipentools/verwaltung/postkarten").status_code == 403
    admin = team_a.client(team_a.admin)
    assert admin.get("/kneipentools/verwaltung/postkarten").status_code == 200
    bad = admin.post("/kneipentools/verwaltung/postkarten", data={"pages": "500"})
    assert bad.status_code == 400 and "Zwischen 1 und 50 Seiten." in bad.get_data(as_text=True)
    response = admin.post("/kneipentools/verwaltung/postkarten", data={"pages": "2"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert text.count("Eine Idee für Stadt A?") == 8
    found = qr_codes(response.data, tmp_path, dpi=100)
    assert len(found) == 8 and len(set(found)) == 1
    (url,) = set(found)
    assert url.startswith("http://stadt-a.test/kneipentools/k/")
    opened = team_a.town.client().get(urlsplit(url).path)
    assert opened.status_code == 302 and opened.headers["Location"] == "/projekte/neu"


def test_plugin_switched_off_answers_404(town_a: Town) -> None:
    use_plugin(town_a, "pubtools", enabled=False)
    assert town_a.client().get("/kneipentools/").status_code == 404
    assert town_a.client().get("/kneipentools/bogen/vision/a4.pdf").status_code == 404


# --- the town's settings --------------------------------------------------------------


def test_the_towns_admin_chooses_sheets_footer_and_contact(team_a: Team) -> None:
    admin = team_a.client(team_a.admin)
    data = {
        "pubtools-footer_text": "Gemeinsam für Stadt A",
        "pubtools-contact_line": "Bürgerbüro, Zimmer 3",
    }
    data.update(
        {
            f"pubtools-offer_{key}": "y"
            for key in ("teamfindung", "teamprofil", "projektprofil", "arbeitsplan", "ressourcen")
        }
    )
    response = admin.post("/verwaltung/module/pubtools/einstellungen", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    visitor = team_a.town.client()
    assert visitor.get("/kneipentools/bogen/vision/a4.pdf").status_code == 404
    owner = team_a.client(team_a.owner)
    tab = owner.get(f"/kneipentools/projekt/{team_a.project.ref}/").get_data(as_text=True)
    assert "/bogen/vision/" not in tab and "/bogen/arbeitsplan/" in tab
    text = pdf_text(visitor.get("/kneipentools/bogen/teamprofil/a4.pdf").data)
    assert "Gemeinsam für Stadt A" in text and "Bürgerbüro, Zimmer 3" in text
    # too long a footer is refused with a message, and the typed text stays
    long = admin.post(
        "/verwaltung/module/pubtools/einstellungen",
        data={**data, "pubtools-footer_text": "x" * 200},
    )
    assert long.status_code == 400
    assert "x" * 200 in long.get_data(as_text=True)


def test_bad_input_gets_a_message_never_a_5xx(team_a: Team, mailbox: Mailbox) -> None:
    owner = team_a.client(team_a.owner)
    ref = team_a.project.ref
    invite = f"/kneipentools/projekt/{ref}/stammtisch/einladen"
    many = "\n".join(f"Person {i}, p{i}@example.org" for i in range(41))
    response = owner.post(invite, data={"people": many, "consent": "y"})
    assert response.status_code == 400
    assert "höchstens 40 Einladungen" in response.get_data(as_text=True)
    assert not mailbox.messages
    assert owner.post(invite, data={"people": "x" * 9000, "consent": "y"}).status_code == 400
    no_file = owner.post(
        f"/kneipentools/projekt/{ref}/fotos",
        data={"step": "vision"},
        content_type="multipart/form-data",
    )
    assert no_file.status_code == 400
    assert "Bitte wählen Sie ein Foto aus." in no_file.get_data(as_text=True)
    admin = team_a.client(team_a.admin)
    for pages in ("abc", "-1", "", "1e9"):
        answer = admin.post("/kneipentools/verwaltung/postkarten", data={"pages": pages})
        assert answer.status_code == 400, pages
    for path in (
        "/kneipentools/projekt/99999999999/",
        "/kneipentools/projekt/abc/bogen/vision/a4",
        f"/kneipentools/projekt/{ref}/bogen/vision/A4.pdf",
        "/kneipentools/k/" + "A" * 300,
        "/kneipentools/k/ÄÖÜ-ßßßß",
    ):
        assert owner.get(path).status_code == 404, path
    assert owner.post("/kneipentools/code", data={"code": "Ä" * 500}).status_code == 400
