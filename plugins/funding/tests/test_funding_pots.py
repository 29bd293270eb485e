"""Pots: the admin's form, the public page, navigation, the project tab, switching."""

from __future__ import annotations

from funding_support import Round, find, make_pot
from projektfabrik_funding.models import Pot
from projektfabrik_funding.services import iban_valid, mask_iban

from projektfabrik.testing import Town

POT_FORM = {
    "name": "Kiezfonds 2027",
    "description": "Kleine Projekte im Kiez.",
    "sponsor": "Stadt A",
    "budget": "20.000",
    "min_grant": "500",
    "max_grant": "5.000,50",
    "min_own_share": "10",
    "eligible_cost_types": ["material", "rent"],
    "opens_on": "2026-01-01",
    "closes_on": "2099-12-31",
    "criteria": "Gemeinwohl",
    "questions": "Wer macht mit? | Namen oder Gruppen | 300\nWas bleibt?",
    "required_attachments": "Satzung",
    "body": "jury",
    "jurors_per_application": "2",
    "jury_criteria": "Wirkung | 2\nMachbarkeit | 1",
    "state": "active",
    "show_funded": "y",
}


def test_iban_is_checked_with_mod_97_and_masked() -> None:
    assert iban_valid("DE89 3704 0044 0532 0130 00")
    assert not iban_valid("DE88 3704 0044 0532 0130 00")
    assert not iban_valid("DE89370400440532013")
    assert mask_iban("DE89370400440532013000") == "DE89 •••• •••• •••• •••• 00"


def test_the_admin_creates_and_edits_a_pot_and_its_public_page_shows_the_rules(
    round_a: Round,
) -> None:
    response = round_a.admin.post("/foerderung/verwaltung/neu", data=POT_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    pot = find(round_a.town, Pot)
    assert pot.budget_cents == 2_000_000 and pot.max_grant_cents == 500_050
    assert pot.min_own_share_bp == 1000
    assert pot.questions[0] == {
        "question": "Wer macht mit?",
        "help": "Namen oder Gruppen",
        "max_length": 300,
    }
    assert pot.jury_criteria == [
        {"name": "Wirkung", "weight": 2},
        {"name": "Machbarkeit", "weight": 1},
    ]
    assert pot.eligible_cost_types == ["material", "rent"]
    assert response.headers["Location"].endswith(f"/toepfe/{pot.ref}")

    page = round_a.admin.get(f"/foerderung/verwaltung/toepfe/{pot.ref}").get_data(as_text=True)
    assert "Kiezfonds 2027" in page and 'value="20.000,00"' in page
    response = round_a.admin.post(
        f"/foerderung/verwaltung/toepfe/{pot.ref}", data={**POT_FORM, "budget": "25.000"}
    )
    assert response.status_code == 302
    assert find(round_a.town, Pot).budget_cents == 2_500_000

    public = round_a.town.client().get(f"/foerderung/toepfe/{pot.ref}").get_data(as_text=True)
    assert "Kiezfonds 2027" in public and "Wer macht mit?" in public and "Satzung" in public
    assert "25.000,00" in public and "Materialkosten" in public
    assert "Geförderte Projekte" in public

    bad = round_a.admin.post(
        "/foerderung/verwaltung/neu", data={**POT_FORM, "min_grant": "6.000"}
    ).get_data(as_text=True)
    assert "nicht unter dem Minimum" in bad


def test_only_admins_manage_pots(round_a: Round) -> None:
    pot = make_pot(round_a.town)
    assert round_a.team.get("/foerderung/verwaltung/").status_code == 403
    assert round_a.team.post("/foerderung/verwaltung/neu", data=POT_FORM).status_code == 403
    assert round_a.team.get(f"/foerderung/verwaltung/toepfe/{pot.ref}").status_code == 403
    assert (
        round_a.team.get(f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.csv").status_code == 403
    )
    # A visitor is sent to log in, as on the core's admin pages.
    response = round_a.town.client().get("/foerderung/verwaltung/")
    assert response.status_code == 302
    assert response.location == "/anmelden?next=%2Ffoerderung%2Fverwaltung%2F"


def test_inactive_pots_are_hidden_from_the_public(round_a: Round) -> None:
    pot = make_pot(round_a.town, state="inactive", name="Geheimtopf")
    guest = round_a.town.client()
    assert guest.get(f"/foerderung/toepfe/{pot.ref}").status_code == 404
    assert "Geheimtopf" not in guest.get("/foerderung/").get_data(as_text=True)
    assert round_a.admin.get(f"/foerderung/toepfe/{pot.ref}").status_code == 200


def test_navigation_project_tab_and_admin_entry(round_a: Round) -> None:
    make_pot(round_a.town)
    home = round_a.town.client().get("/").get_data(as_text=True)
    assert 'href="/foerderung/"' in home
    project_page = round_a.team.get(f"/projekte/{round_a.project.ref}").get_data(as_text=True)
    assert f'href="/foerderung/projekte/{round_a.project.ref}"' in project_page
    tab = round_a.team.get(f"/foerderung/projekte/{round_a.project.ref}").get_data(as_text=True)
    assert "Bürgerfonds" in tab and "8.000,00" in tab
    admin_home = round_a.admin.get("/verwaltung/").get_data(as_text=True)
    assert 'href="/foerderung/verwaltung/"' in admin_home


def test_switching_the_plugin_off_hides_everything_and_on_brings_it_back(round_a: Round) -> None:
    pot = make_pot(round_a.town)
    ref = round_a.submitted(pot)
    urls = [
        "/foerderung/",
        f"/foerderung/toepfe/{pot.ref}",
        f"/foerderung/projekte/{round_a.project.ref}",
        f"/foerderung/antraege/{ref}",
        f"/foerderung/antraege/{ref}/antrag.pdf",
        "/foerderung/verwaltung/",
        f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.csv",
    ]
    _switch(round_a.town, False)
    for url in urls:
        assert round_a.admin.get(url).status_code == 404, url
    assert 'href="/foerderung/"' not in round_a.admin.get("/").get_data(as_text=True)
    page = round_a.team.get(f"/projekte/{round_a.project.ref}").get_data(as_text=True)
    assert "/foerderung/projekte/" not in page
    _switch(round_a.town, True)
    for url in urls:
        assert round_a.admin.get(url).status_code == 200, url
    assert round_a.application().state.value == "submitted"


def _switch(town: Town, on: bool) -> None:
    from projektfabrik.extensions import db
    from projektfabrik.plugins.state import set_enabled

    with town.context():
        set_enabled("funding", on)
        db.session.commit()


def test_the_budget_cannot_drop_below_what_is_approved(round_a: Round) -> None:
    from projektfabrik_funding.models import Application

    from projektfabrik.extensions import db

    pot = make_pot(round_a.town)
    with round_a.town.context():
        db.session.add(
            Application(
                pot_id=pot.id,
                project_id=round_a.project.id,
                state="approved",
                approved_cents=900_000,
            )
        )
        db.session.commit()
    page = round_a.admin.post(
        f"/foerderung/verwaltung/toepfe/{pot.ref}", data={**POT_FORM, "budget": "8.000"}
    ).get_data(as_text=True)
    assert "nicht kleiner sein als die schon bewilligten Beträge (9.000,00" in page
    assert find(round_a.town, Pot).budget_cents == 2_000_000


def test_public_pot_pages_are_cached_for_visitors_and_follow_changes(
    round_a: Round, town_b: Town
) -> None:
    from projektfabrik.pagecache import STATUS_HEADER

    pot = make_pot(round_a.town)
    paths = ["/foerderung/", f"/foerderung/toepfe/{pot.ref}"]
    for path in paths:
        assert round_a.town.client().get(path).headers[STATUS_HEADER] == "miss"
        assert round_a.town.client().get(path).headers[STATUS_HEADER] == "hit"
    # The admin renames the pot: visitors see the new name on the next view.
    with round_a.town.context():
        from projektfabrik.extensions import db

        db.session.get(Pot, pot.id).name = "Kiezfonds"
        db.session.commit()
    for path in paths:
        response = round_a.town.client().get(path)
        assert response.headers[STATUS_HEADER] == "miss"
        assert "Kiezfonds" in response.get_data(as_text=True)
    # Switched off, the pages are gone for visitors at once, cached or not.
    _switch(round_a.town, False)
    for path in paths:
        assert round_a.town.client().get(path).status_code == 404
    # Town B (funding off there) gets none of town A's pages, by any path.
    for path in paths:
        assert town_b.client().get(path).status_code == 404
