"""Regional pots: Stadt A opens a pot to its region, a team of Stadt B applies from
B's site, A decides, B's team sees the outcome. Only the snapshot crosses."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from funding_support import Round, find, make_round
from projektfabrik_funding.models import (
    Application,
    NeighbourPot,
    Pot,
    PotState,
    RegionalApplication,
)
from sqlalchemy import select, update

from projektfabrik.db import utcnow
from projektfabrik.extensions import db
from projektfabrik.marketplace.models import Comment
from projektfabrik.planning.models import PlanSection, Profile, Section, Task
from projektfabrik.projects.models import Project
from projektfabrik.regions.messages import SentMessage
from projektfabrik.teams.models import TeamPost
from projektfabrik.testing import Town, login, make_region, make_town, take_part_in_region

SECRETS = ("GEHEIM-ARBEITSPLAN", "GEHEIM-KOMMENTAR", "GEHEIM-TEAMRAUM", "geheim@example.org")


@pytest.fixture
def town_c(app: Flask) -> Town:
    return make_town(app, "stadt-c", "Stadt C", ["stadt-c.test"])


@pytest.fixture
def rounds(town_a: Town, town_b: Town, town_c: Town) -> tuple[Round, Round]:
    make_region("testkreis", "region-test.test", ("stadt-a", "stadt-b"))
    take_part_in_region(town_a)
    take_part_in_region(town_b)
    owning = make_round(town_a)
    applying = make_round(town_b)
    return owning, applying


def _regional_pot(owning: Round, **extra: str) -> Pot:
    form = {
        "name": "Regionaltopf Testkreis",
        "description": "Für Projekte im ganzen Kreis.",
        "sponsor": "Stadt A",
        "budget": "20.000",
        "min_grant": "500",
        "max_grant": "5.000",
        "min_own_share": "0",
        "opens_on": "2026-01-01",
        "closes_on": "2099-12-31",
        "criteria": "Gemeinwohl",
        "questions": "Wer macht mit? | Namen oder Gruppen | 300",
        "body": "admin",
        "jurors_per_application": "1",
        "state": "active",
        "show_funded": "y",
        "regional": "y",
        **extra,
    }
    response = owning.admin.post("/foerderung/verwaltung/neu", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return find(owning.town, Pot)


def _copy(town: Town) -> NeighbourPot:
    return find(town, NeighbourPot)


def _apply(applying: Round, copy: NeighbourPot, **extra: Any) -> Any:
    data = {
        "requested": "2.000",
        "answer-0": "Zwölf Leute aus dem Dorf.",
        "sections": ["profile"],
        "share_contact": "y",
        **extra,
    }
    return applying.team.post(
        f"/foerderung/projekte/{applying.project.ref}/region/{copy.ref}", data=data
    )


def _seed_secrets(applying: Round) -> None:
    """A public profile, and around it what must stay in Stadt B."""
    with applying.town.context():
        project_id = applying.project.id
        db.session.add(Profile(project_id=project_id, goal="Ein Ort zum Reparieren"))
        db.session.add(
            PlanSection(project_id=project_id, section=Section.WORK_PLAN, is_public=False)
        )
        db.session.add(Task(project_id=project_id, title="GEHEIM-ARBEITSPLAN"))
        db.session.add(Comment(project_id=project_id, body="GEHEIM-KOMMENTAR", hidden_at=utcnow()))
        db.session.add(TeamPost(project_id=project_id, body="GEHEIM-TEAMRAUM"))
        db.session.commit()
    applying.town.user("geheim@example.org", name="Geheime Person")


def _every_row_of(town: Town) -> str:
    """Every row the town holds, as text (bypassing the wall on purpose, as truncate_all)."""
    dump = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if "tenant_id" in table.c:
                rows = conn.execute(table.select().where(table.c.tenant_id == town.tenant.id))
                dump.extend(repr(tuple(row)) for row in rows)
    return "\n".join(dump)


def test_a_regional_round_from_opening_to_the_outcome(rounds: tuple[Round, Round]) -> None:
    owning, applying = rounds
    _seed_secrets(applying)
    pot = _regional_pot(owning)
    assert pot.regional

    # Stadt B holds a read-only copy and shows it on its own pages.
    copy = _copy(applying.town)
    assert (copy.name, copy.from_town, copy.pot_ref) == (
        "Regionaltopf Testkreis",
        "Stadt A",
        pot.ref,
    )
    index = applying.town.client().get("/foerderung/").get_data(as_text=True)
    assert "Fördertöpfe der Nachbargemeinden" in index and "Regionaltopf Testkreis" in index
    tab = applying.team.get(f"/foerderung/projekte/{applying.project.ref}").get_data(as_text=True)
    assert f"/region/{copy.ref}" in tab

    form = applying.team.get(f"/foerderung/projekte/{applying.project.ref}/region/{copy.ref}")
    assert form.status_code == 200
    assert "Wer macht mit?" in form.get_data(as_text=True)

    response = _apply(applying, copy)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    # Stadt A stores it as an application of a regional applicant, beside its own.
    application = find(owning.town, Application, pot_id=pot.id)
    assert application.project_id is None
    assert application.regional_town == "Stadt B"
    assert application.state.value == "submitted"
    assert application.requested_cents == 200_000
    assert set(application.snapshot["sections"]) == {"profile"}
    assert application.snapshot["contact"] == {"name": "Olga Owner", "email": "owner@example.org"}
    assert application.snapshot["project_url"].startswith("http://stadt-b.test/projekte/")
    admin_page = owning.admin.get(f"/foerderung/antraege/{application.ref}").get_data(as_text=True)
    assert "Stadt B" in admin_page and "Ein Ort zum Reparieren" in admin_page
    assert "Zwölf Leute aus dem Dorf." in admin_page

    # Nothing but the snapshot crossed: no secret anywhere in Stadt A's rows.
    rows = _every_row_of(owning.town)
    for secret in SECRETS:
        assert secret not in rows, secret

    # Stadt A decides with its own flow; the outcome goes back to Stadt B.
    steps = f"/foerderung/antraege/{application.ref}/schritt"
    # The team has no account here to answer a question: the step is refused, not a 500.
    asked = owning.admin.post(f"{steps}/nachfragen", data={"message": "Mehr bitte"})
    assert asked.status_code == 303
    assert find(owning.town, Application, pot_id=pot.id).state.value == "submitted"
    assert owning.admin.get(f"/foerderung/antraege/{application.ref}/antrag.pdf").status_code == 404
    export = owning.admin.get(f"/foerderung/verwaltung/toepfe/{pot.ref}/antraege.csv")
    assert export.status_code == 200 and "Nachbarschaftsgarten" in export.get_data(as_text=True)
    assert owning.admin.post(f"{steps}/pruefen").status_code == 302
    assert owning.admin.post(f"{steps}/bewilligen", data={"amount": "2.000"}).status_code == 302
    assert find(owning.town, Application, pot_id=pot.id).approved_cents == 200_000
    record = find(applying.town, RegionalApplication)
    assert (record.outcome, record.approved_cents) == ("approved", 200_000)
    tab = applying.team.get(f"/foerderung/projekte/{applying.project.ref}").get_data(as_text=True)
    assert "Förderung aus Stadt A: bewilligt, 2.000,00" in tab
    public = owning.town.client().get(f"/foerderung/toepfe/{pot.ref}").get_data(as_text=True)
    assert "Nachbarschaftsgarten</a> (Stadt B): 2.000,00" in public
    assert (
        owning.admin.get(f"/foerderung/antraege/{application.ref}/bescheid.pdf").status_code == 404
    )
    # Payouts are recorded in Stadt A only.
    assert owning.admin.post(f"{steps}/auszahlen", data={"amount": "2.000"}).status_code == 302
    assert find(owning.town, Application, pot_id=pot.id).paid_cents == 200_000


def test_the_snapshot_stays_frozen_when_the_project_changes(rounds: tuple[Round, Round]) -> None:
    owning, applying = rounds
    pot = _regional_pot(owning)
    _apply(applying, _copy(applying.town))
    before = find(owning.town, Application, pot_id=pot.id).snapshot
    with applying.town.context():
        db.session.execute(
            update(Project)
            .where(Project.id == applying.project.id)
            .values(title="Neuer Titel", pitch="Neuer Pitch")
        )
        db.session.commit()
    after = find(owning.town, Application, pot_id=pot.id).snapshot
    assert after == before
    assert after["title"] == "Nachbarschaftsgarten"


def test_bad_input_is_explained_and_keeps_what_was_typed(rounds: tuple[Round, Round]) -> None:
    owning, applying = rounds
    pot = _regional_pot(owning)
    copy = _copy(applying.town)
    response = _apply(applying, copy, **{"answer-0": "", "requested": "zwei Euro"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Bitte beantworten Sie diese Frage." in page
    assert "Bitte geben Sie einen Betrag in Euro ein" in page
    assert 'value="zwei Euro"' in page
    response = _apply(applying, copy, requested="99.000", sections=["profile", "nonsense"])
    assert response.status_code == 422
    assert "innerhalb der Grenzen" in response.get_data(as_text=True)
    assert find(owning.town, Application, pot_id=pot.id) is None
    assert find(applying.town, RegionalApplication) is None


def test_a_pot_closed_meanwhile_refuses_and_the_team_is_told(rounds: tuple[Round, Round]) -> None:
    owning, applying = rounds
    pot = _regional_pot(owning)
    copy = _copy(applying.town)
    with owning.town.context():  # closed without telling the neighbours (their copy is stale)
        db.session.execute(update(Pot).where(Pot.id == pot.id).values(state=PotState.FINISHED))
        db.session.commit()
    assert _apply(applying, copy).status_code == 302
    assert find(owning.town, Application, pot_id=pot.id) is None
    sent = find(applying.town, SentMessage, purpose="funding.application")
    assert sent.state == "refused" and "no applications" in sent.reason
    tab = applying.team.get(f"/foerderung/projekte/{applying.project.ref}").get_data(as_text=True)
    assert "hat den Antrag nicht angenommen" in tab


def test_closing_the_pot_to_the_region_withdraws_the_copy(rounds: tuple[Round, Round]) -> None:
    owning, applying = rounds
    pot = _regional_pot(owning)
    copy = _copy(applying.town)
    response = owning.admin.post(
        f"/foerderung/verwaltung/toepfe/{pot.ref}",
        data={
            "name": "Regionaltopf Testkreis",
            "budget": "20.000",
            "min_grant": "500",
            "max_grant": "5.000",
            "min_own_share": "0",
            "body": "admin",
            "jurors_per_application": "1",
            "state": "active",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert not find(owning.town, Pot).regional
    assert not _copy(applying.town).open
    url = f"/foerderung/projekte/{applying.project.ref}/region/{copy.ref}"
    assert applying.team.get(url).status_code == 404
    assert applying.town.client().get(f"/foerderung/region/{copy.ref}").status_code == 404


def test_routes_answer_only_in_their_own_town(rounds: tuple[Round, Round], town_c: Town) -> None:
    owning, applying = rounds
    _regional_pot(owning)
    copy = _copy(applying.town)
    make_round(town_c)
    assert applying.town.client().get(f"/foerderung/region/{copy.ref}").status_code == 200
    for town in (owning.town, town_c):
        assert town.client().get(f"/foerderung/region/{copy.ref}").status_code == 404
    # B's project and B's copy are nobody's on A's site, even for A's admin.
    url = f"/foerderung/projekte/{applying.project.ref}/region/{copy.ref}"
    assert owning.admin.get(url).status_code == 404
    # A person of B who is not in the team; a visitor is sent to log in.
    stranger = applying.town.user("fremd@example.org")
    client = applying.town.client()
    login(client, stranger.email)
    assert client.get(url).status_code == 404
    assert applying.town.client().get(url).status_code == 302
    # A's regional application is not to be found on B's site.
    _apply(applying, copy)
    application = find(owning.town, Application)
    assert applying.team.get(f"/foerderung/antraege/{application.ref}").status_code == 404
    # Town C is outside the region: no copy, no offer to open a pot to the region.
    assert find(town_c, NeighbourPot) is None
    page = make_town_admin_form(town_c)
    assert 'name="regional"' not in page


def make_town_admin_form(town: Town) -> str:
    from projektfabrik.accounts.models import Role

    admin = town.user("c-admin@example.org", role=Role.ADMIN)
    client = town.client()
    login(client, admin.email)
    return client.get("/foerderung/verwaltung/neu").get_data(as_text=True)


def test_a_town_that_leaves_the_region_offers_no_neighbour_pots(
    rounds: tuple[Round, Round],
) -> None:
    owning, applying = rounds
    _regional_pot(owning)
    copy = _copy(applying.town)
    take_part_in_region(applying.town, opted_in=False)
    assert "Regionaltopf" not in applying.town.client().get("/foerderung/").get_data(as_text=True)
    url = f"/foerderung/projekte/{applying.project.ref}/region/{copy.ref}"
    assert applying.team.get(url).status_code == 404
    with owning.town.context():
        assert db.session.scalars(select(Application)).all() == []


def test_an_outcome_from_another_town_is_refused(rounds: tuple[Round, Round]) -> None:
    """Only the pot's own town may answer an application (B's record names it)."""
    owning, applying = rounds
    _regional_pot(owning)
    _apply(applying, _copy(applying.town))
    record = find(applying.town, RegionalApplication)
    from projektfabrik_funding import regional

    from projektfabrik.regions.messages import SendingTown, TownMessage

    forged = TownMessage(
        ref="x",
        purpose="funding.outcome",
        sender=SendingTown(applying.town.tenant.id + 99, "stadt-x", "Stadt X"),
        payload={"application_ref": record.ref, "approved": True, "amount_cents": 1},
        sent_at=utcnow(),
    )
    from projektfabrik.refusal import Refusal

    with applying.town.context(), pytest.raises(Refusal):
        regional.receive_outcome(forged)
    db.session.rollback()
    assert find(applying.town, RegionalApplication).outcome == ""


def test_the_demo_has_a_regional_pot_in_musterstadt(app_config: dict[str, Any]) -> None:
    from projektfabrik.app import create_app
    from projektfabrik.config import REPO_ROOT
    from projektfabrik.demo import seed
    from projektfabrik.tenancy.context import tenant_context
    from projektfabrik.tenancy.models import Tenant
    from projektfabrik.testing import truncate_all

    demo = create_app({**app_config, "TENANTS_DIR": str(REPO_ROOT / "tenants")})
    with demo.app_context():
        try:
            list(seed())
            list(seed())  # a second run adds nothing
            towns = {t.slug: t for t in db.session.scalars(select(Tenant))}
            with tenant_context(towns["musterstadt"]):
                regional_pots = db.session.scalars(select(Pot).where(Pot.regional)).all()
                assert [p.name for p in regional_pots] == ["Regionaltopf Musterkreis"]
            with tenant_context(towns["beispielhausen"]):
                copies = db.session.scalars(select(NeighbourPot)).all()
                assert [(c.name, c.from_town, c.open) for c in copies] == [
                    ("Regionaltopf Musterkreis", "Musterstadt", True)
                ]
                assert db.session.scalars(select(Pot).where(Pot.regional)).all() == []
            db.session.rollback()
            page = demo.test_client().get(
                "/foerderung/", base_url="http://beispielhausen.localhost"
            )
            assert "Regionaltopf Musterkreis" in page.get_data(as_text=True)
        finally:
            db.session.remove()
            truncate_all()


def test_a_plan_section_crosses_only_when_the_team_ticks_it(rounds: tuple[Round, Round]) -> None:
    """The control for the secrets check above: ticked, the work plan does cross
    (without B's people refs); the comment and the team space still do not."""
    owning, applying = rounds
    _seed_secrets(applying)
    _regional_pot(owning)
    _apply(applying, _copy(applying.town), sections=["profile", "work_plan"], share_contact="")
    rows = _every_row_of(owning.town)
    assert "GEHEIM-ARBEITSPLAN" in rows
    for secret in (
        "GEHEIM-KOMMENTAR",
        "GEHEIM-TEAMRAUM",
        "geheim@example.org",
    ):
        assert secret not in rows, secret
    snapshot = find(owning.town, Application).snapshot
    assert snapshot["contact"] is None
    assert "responsible" not in repr(snapshot["sections"]["work_plan"])
