"""Residents' motions: online support, paper lists with scans, the quorum, duplicates,
who sees the signers' personal data, and its deletion after the town's deadline."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from councilmotion_support import Team, find, make_team
from projektfabrik_councilmotion import services
from projektfabrik_councilmotion.models import Motion, Signature
from sqlalchemy import select

from projektfabrik.extensions import db
from projektfabrik.testing import Town, assert_safe_download

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _support(team: Team, email: str, **values: str) -> object:
    client = team.client(team.town.user(email))
    data = {
        "family_name": "Müller",
        "first_name": "Mia",
        "birth_date": "1990-03-04",
        "address": "Hauptstraße 1",
        "resident": "y",
    }
    data.update(values)
    return client.post(f"/antraege/{team.motion().ref}/unterstuetzen", data=data)


def _enter_list(team: Team, ref: str, count: str, signers: str = "", scan: bytes | None = None):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"count": count, "signers": signers}
    if scan is not None:
        data["scan"] = (BytesIO(scan), "liste-1.pdf")
    return team.clerk.post(
        f"/antraege/verwaltung/{ref}/listen", data=data, content_type="multipart/form-data"
    )


def test_the_progress_counts_paper_and_shows_online_apart(team_a: Team) -> None:
    ref = team_a.collecting()
    assert _support(team_a, "mia@example.org").status_code == 302
    assert _enter_list(team_a, ref, "30").status_code == 302
    assert _enter_list(team_a, ref, "12").status_code == 302
    page = team_a.town.client().get(f"/antraege/{ref}").get_data(as_text=True)
    # 5 % of 1000 residents: 50
    assert "42 von 50 Unterschriften auf Papier" in page
    assert 'max="50" value="42"' in page
    assert "1 Person unterstützt ihn online" in page
    assert _enter_list(team_a, ref, "8").status_code == 302
    assert "Das Quorum ist erreicht." in team_a.town.client().get(f"/antraege/{ref}").get_data(
        as_text=True
    )


def test_online_support_is_refused_with_reasons_and_once_per_person(team_a: Team) -> None:
    ref = team_a.collecting()
    young = (date.today() - timedelta(days=365 * 15)).isoformat()
    response = _support(team_a, "kid@example.org", birth_date=young)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ab 16 Jahren" in page and 'value="Müller"' in page  # nothing typed is lost
    response = _support(team_a, "noaddr@example.org", address="")
    assert "Bitte geben Sie Ihre Anschrift an." in response.get_data(as_text=True)
    client = team_a.client(team_a.town.user("twice@example.org"))
    data = {
        "family_name": "A",
        "first_name": "B",
        "birth_date": "1980-01-01",
        "address": "C",
        "resident": "y",
    }
    assert client.post(f"/antraege/{ref}/unterstuetzen", data=data).status_code == 302
    again = client.post(f"/antraege/{ref}/unterstuetzen", data=data)
    assert again.status_code == 400
    assert "Sie unterstützen diesen Antrag bereits." in again.get_data(as_text=True)
    guest = team_a.town.client().post(f"/antraege/{ref}/unterstuetzen", data=data)
    assert guest.status_code == 302 and "/anmelden" in guest.headers["Location"]


def test_online_support_only_where_the_town_allows_it(town_a: Town) -> None:
    team = make_team(town_a, online_support=False)
    ref = team.collecting()
    assert "Online unterstützen" not in team.town.client().get(f"/antraege/{ref}").get_data(
        as_text=True
    )
    assert _support(team, "x@example.org").status_code == 400


def test_personal_data_is_for_clerks_only(team_a: Team) -> None:
    ref = team_a.collecting()
    _support(team_a, "mia@example.org")
    clerk_page = team_a.clerk.get(f"/antraege/verwaltung/{ref}").get_data(as_text=True)
    assert "Hauptstraße 1" in clerk_page and "04.03.1990" in clerk_page
    for client in (team_a.team, team_a.town.client(), team_a.client(team_a.town.user())):
        page = client.get(f"/antraege/{ref}").get_data(as_text=True)
        assert "Hauptstraße 1" not in page and "04.03.1990" not in page
        assert client.get(f"/antraege/verwaltung/{ref}").status_code in (302, 403)
    # the motion's PDF for the team has counts, never names
    assert team_a.team.get(f"/antraege/{ref}/antrag.pdf").status_code == 200


def test_duplicates_between_online_and_paper_are_flagged(team_a: Team) -> None:
    ref = team_a.collecting()
    _support(team_a, "mia@example.org")
    response = _enter_list(
        team_a,
        ref,
        "2",
        "Mueller; Mia; 04.03.1990; Hauptstr. 1\nSchmidt; Sam; 01.01.1970; Gartenweg 2",
    )
    assert response.status_code == 302
    page = team_a.clerk.get(f"/antraege/verwaltung/{ref}").get_data(as_text=True)
    assert "Müller, Mia (04.03.1990): online / Papier" in page
    assert "Schmidt, Sam" not in page.split('id="councilmotion-duplicates"')[1].split("</ul>")[0]


def test_a_bad_signer_line_is_refused_and_kept(team_a: Team) -> None:
    ref = team_a.collecting()
    response = _enter_list(team_a, ref, "1", "Schmidt; Sam; 1970-01-01; Weg 2")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Zeile 1: Schreiben Sie das Geburtsdatum als 31.12.1990." in page
    assert "Schmidt; Sam; 1970-01-01; Weg 2" in page
    assert services_count(team_a) == 0


def services_count(team: Team) -> int:
    with team.town.context():
        return len(db.session.scalars(select(Signature)).all())


@pytest.mark.storage
def test_a_scan_is_checked_stored_and_only_clerks_get_it(team_a: Team, town_b: Town) -> None:
    ref = team_a.collecting()
    bad = _enter_list(team_a, ref, "3", scan=b"<html>nope</html>")
    assert bad.status_code == 400
    assert _enter_list(team_a, ref, "3", scan=PDF).status_code == 302
    page = team_a.clerk.get(f"/antraege/verwaltung/{ref}").get_data(as_text=True)
    link = page.split('href="/antraege/verwaltung/' + ref + "/listen/")[1].split('"')[0]
    url = f"/antraege/verwaltung/{ref}/listen/{link}"
    response = team_a.clerk.get(url)
    assert_safe_download(response, "application/pdf")
    assert response.data == PDF
    assert team_a.team.get(url).status_code == 403
    b = make_team(town_b, prefix="b")
    assert b.clerk.get(url).status_code == 404


def test_personal_data_is_deleted_after_the_towns_deadline_counts_stay(team_a: Team) -> None:
    ref = team_a.collecting()
    _support(team_a, "mia@example.org")
    _enter_list(team_a, ref, "5", "Schmidt; Sam; 01.01.1970; Gartenweg 2")
    team_a.team.post(f"/antraege/{ref}/schritt", data={"state": "filed"})
    team_a.step(ref, "received")
    assert team_a.step(ref, "admissible", on="2026-01-10").status_code == 302
    with team_a.town.request_context():
        motion = db.session.scalar(select(Motion).where(Motion.ref == ref))
        assert services.purge_date(motion) == date(2026, 4, 10)  # 90 days
        assert services.purge_due(today=date(2026, 4, 9)) == 0
        assert services.purge_due(today=date(2026, 4, 10)) == 2
        db.session.commit()
    with team_a.town.context():
        rows = db.session.scalars(select(Signature)).all()
        assert len(rows) == 2
        assert all(r.purged and not r.family_name and r.birth_date is None for r in rows)
    page = team_a.clerk.get(f"/antraege/verwaltung/{ref}").get_data(as_text=True)
    assert "Gartenweg" not in page and "Hauptstraße 1" not in page
    assert "die Zahlen bleiben" in page
    assert "5 von 50 Unterschriften auf Papier" in page
    assert "1 Person unterstützt ihn online" in page


def test_the_purge_command_runs_per_town(team_a: Team, town_b: Town) -> None:
    ref = team_a.collecting()
    _support(team_a, "mia@example.org")
    with team_a.town.context():
        motion = db.session.scalar(select(Motion).where(Motion.ref == ref))
        motion.collect_until = date.today() - timedelta(days=200)
        db.session.commit()
    result = team_a.town.app.test_cli_runner().invoke(args=["councilmotion", "purge"])
    assert result.exit_code == 0, result.output
    assert "stadt-a: 1 signatures emptied" in result.output
    assert "stadt-b" not in result.output  # switched off there
    assert find(team_a.town, Signature).purged


def test_deleting_an_account_removes_support_still_collecting(team_a: Team) -> None:
    from projektfabrik.testing import TEST_PASSWORD

    ref = team_a.collecting()
    person = team_a.town.user("mia@example.org")
    client = team_a.client(person)
    data = {
        "family_name": "Müller",
        "first_name": "Mia",
        "birth_date": "1990-03-04",
        "address": "Hauptstraße 1",
        "resident": "y",
    }
    assert client.post(f"/antraege/{ref}/unterstuetzen", data=data).status_code == 302
    page = client.get("/konto/loeschen").get_data(as_text=True)
    assert "Ihre Online-Unterstützung des Antrags „Platz an der Bibliothek“" in page
    delete = {"delete-current_password": TEST_PASSWORD, "delete-confirm": "y"}
    assert client.post("/konto/loeschen", data=delete).status_code == 302
    assert find(team_a.town, Signature) is None
    assert "0 Personen unterstützen ihn online" in team_a.town.client().get(
        f"/antraege/{ref}"
    ).get_data(as_text=True)


def test_the_towns_admin_sets_the_rules_on_the_modules_page(team_a: Team) -> None:
    page = team_a.clerk.get("/verwaltung/module").get_data(as_text=True)
    assert "Stadtratsanträge" in page and "Anteil der Einwohnerinnen und Einwohner" in page
    assert 'name="councilmotion-quorum_kind"' in page


def test_the_clerks_export_the_counts_and_nobody_else(team_a: Team, town_b: Town) -> None:
    from io import BytesIO as _Bytes

    from openpyxl import load_workbook

    ref = team_a.collecting()
    _enter_list(team_a, ref, "30")
    _enter_list(team_a, ref, "=1+1")  # not a number: refused, never a formula
    response = team_a.clerk.get(f"/antraege/verwaltung/{ref}/unterschriften.csv")
    assert_safe_download(response, "text/csv")
    text = response.data.decode("utf-8-sig")
    assert "Liste;Gültige Unterschriften" in text and "1;30;" in text
    assert "Auf Papier, insgesamt;30" in text and "Quorum;50" in text
    xlsx = team_a.clerk.get(f"/antraege/verwaltung/{ref}/unterschriften.xlsx")
    sheet = load_workbook(_Bytes(xlsx.data)).active
    assert sheet is not None and sheet["B2"].value == 30
    assert team_a.clerk.get(f"/antraege/verwaltung/{ref}/unterschriften.pdf").status_code == 404
    assert team_a.team.get(f"/antraege/verwaltung/{ref}/unterschriften.csv").status_code == 403
    b = make_team(town_b, prefix="b")
    assert b.clerk.get(f"/antraege/verwaltung/{ref}/unterschriften.csv").status_code == 404
    assert b.clerk.get(f"/antraege/verwaltung/{ref}/unterschriften.xlsx").status_code == 404


def test_the_towns_rules_saved_on_the_modules_page_set_the_quorum(team_a: Team) -> None:
    data = {
        "councilmotion-council_name": "Gemeinderat",
        "councilmotion-offer_group": "y",
        "councilmotion-offer_residents": "y",
        "councilmotion-council_groups": "",
        "councilmotion-max_title": "200",
        "councilmotion-max_resolution": "3000",
        "councilmotion-max_justification": "6000",
        "councilmotion-quorum_kind": "share",
        "councilmotion-quorum_share_bp": "150",
        "councilmotion-quorum_count": "0",
        "councilmotion-quorum_cap": "2500",
        "councilmotion-eligible_residents": "240000",
        "councilmotion-min_age": "16",
        "councilmotion-residence_months": "3",
        "councilmotion-collection_days": "90",
        "councilmotion-council_deadline_months": "3",
        "councilmotion-ask_birth_date": "y",
        "councilmotion-retention_days": "30",
        "councilmotion-privacy_notice": "",
    }
    response = team_a.clerk.post("/verwaltung/module/councilmotion/einstellungen", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    ref = team_a.collecting()
    page = team_a.town.client().get(f"/antraege/{ref}").get_data(as_text=True)
    # Baden-Württemberg above 10,000: 1.5 % of 240,000 is 3,600, capped at 2,500
    assert "0 von 2.500 Unterschriften auf Papier" in page
    assert "Der Gemeinderat möge beschließen:" in page
    assert "seit mindestens 3 Monaten hier wohnen" in page
    assert "Online unterstützen" not in page  # switched off (unchecked)
