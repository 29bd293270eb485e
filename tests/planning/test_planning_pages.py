"""Project planning through its pages: editing, visibility, offers, history, conflicts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from planning_helpers import de, de_html
from sqlalchemy import select

from projektfabrik import workercache
from projektfabrik.accounts.models import Role
from projektfabrik.extensions import db
from projektfabrik.planning import services
from projektfabrik.planning.models import (
    CostItem,
    FinancingLine,
    OfferStatus,
    PlanVersion,
    Requirement,
    ResourceOffer,
    Section,
    Task,
    WorkPackage,
)
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town

if TYPE_CHECKING:
    from planning_helpers import Team


def test_an_owner_writes_the_profile_and_sees_the_next_step(team: Team) -> None:
    page = team.owner.get("/projekte/1/plan").get_data(as_text=True)
    assert de_html("%(done)d of %(total)d steps done", done=0, total=17) in page
    assert 'href="/projekte/1/plan/profil#problem"' in page
    response = team.owner.post(
        "/projekte/1/plan/profil",
        data={"version": "0", "problem": "Kein Grün im Viertel", "goal": "Ein Garten für alle"},
    )
    assert response.status_code == 302
    page = team.owner.get("/projekte/1/plan").get_data(as_text=True)
    assert de_html("%(done)d of %(total)d steps done", done=2, total=17) in page
    assert 'href="/projekte/1/plan/profil#vision"' in page
    page = team.owner.get("/projekte/1/plan/profil").get_data(as_text=True)
    assert "Kein Grün im Viertel" in page and 'name="version" type="hidden" value="1"' in page


def test_a_member_edits_the_plan_but_only_owners_publish_and_restore(team: Team) -> None:
    response = team.member.post(
        "/projekte/1/plan/eintraege/arbeitspakete/neu",
        data={"name": "Beete bauen", "description": "", "responsible": ""},
    )
    assert response.status_code == 302
    assert (
        team.member.post("/projekte/1/plan/sichtbarkeit", data={"profile": "y"}).status_code == 403
    )
    assert (
        team.member.post(
            "/projekte/1/plan/arbeitsplan/versionen/1/wiederherstellen", data={"version": "1"}
        ).status_code
        == 403
    )
    assert team.member.get("/projekte/1/plan/arbeitsplan/versionen").status_code == 200


def test_a_town_admin_edits_any_plan(team: Team, town_a: Town) -> None:
    admin = team.login(town_a.user("admin@example.org", role=Role.ADMIN))
    assert admin.get("/projekte/1/plan/profil").status_code == 200
    assert (
        admin.post(
            "/projekte/1/plan/eintraege/meilensteine/neu",
            data={"title": "Eröffnung", "due": "2026-06-01", "description": ""},
        ).status_code
        == 302
    )


def test_sections_are_private_until_an_owner_makes_them_public(team: Team, town_a: Town) -> None:
    team.owner.post("/projekte/1/plan/profil", data={"version": "0", "goal": "Ein Garten"})
    outsider = team.login(town_a.user("outsider@example.org"))
    anonymous = town_a.client()
    for client in (outsider, anonymous):
        assert client.get("/projekte/1/plan").status_code == 404
        assert client.get("/projekte/1/plan/profil").status_code == 404
        assert "/projekte/1/plan" not in client.get("/projekte/1").get_data(as_text=True)
    team.owner.post("/projekte/1/plan/sichtbarkeit", data={"profile": "y"})
    assert "/anmelden?next=" in anonymous.get("/projekte/1/plan").get_data(as_text=True)
    assert 'name="description"' in outsider.get("/projekte/1/plan").get_data(as_text=True)
    for client in (outsider, anonymous):
        assert client.get("/projekte/1/plan").status_code == 200
        page = client.get("/projekte/1/plan/profil").get_data(as_text=True)
        assert "Ein Garten" in page and "<textarea" not in page
        assert client.get("/projekte/1/plan/finanzen").status_code == 404
        assert client.get("/projekte/1/plan/arbeitsplan").status_code == 404
        assert 'href="/projekte/1/plan"' in client.get("/projekte/1").get_data(as_text=True)
    # Public is for reading: an outsider's save is refused.
    assert (
        outsider.post("/projekte/1/plan/profil", data={"version": "1", "goal": "Meins"}).status_code
        == 404
    )


def test_bad_money_keeps_what_was_typed(team: Team) -> None:
    response = team.owner.post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "own_funds", "description": "Vereinskasse", "amount": "12,3,4"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="12,3,4"' in page and 'value="Vereinskasse"' in page
    assert (
        de_html("This is not an amount. Please write it like %(example)s.", example="1.234,56")
        in page
    )
    response = team.owner.post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "own_funds", "description": "", "amount": "-5"},
    )
    assert de_html("Negative amounts are not possible here.") in response.get_data(as_text=True)
    team.owner.post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "own_funds", "description": "", "amount": "1.234,56"},
    )
    with team.town.context():
        assert db.session.scalar(select(FinancingLine.amount_cents)) == 123456


def test_english_readers_type_english_amounts(team: Team) -> None:
    team.owner.post("/language", data={"locale": "en", "next": "/"})
    with team.town.context():
        from projektfabrik.accounts.models import User

        db.session.scalar(select(User).where(User.email == "owner@example.org")).locale = "en"
        db.session.commit()
    team.owner.post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "donations", "description": "", "amount": "1,234.50"},
    )
    page = team.owner.get("/projekte/1/plan/finanzen").get_data(as_text=True)
    assert "€1,234.50" in page
    edit = team.find(FinancingLine)
    form = team.owner.get(f"/projekte/1/plan/eintraege/finanzierung/{edit.ref}").get_data(
        as_text=True
    )
    assert 'value="1,234.50"' in form


def test_finance_page_shows_totals_balance_and_share(team: Team) -> None:
    post = team.owner.post
    post(
        "/projekte/1/plan/eintraege/ressourcen/neu",
        data={"description": "Holz", "kind": "material", "quantity": "10", "unit": "Bretter",
              "cost": "400", "cost_type": "material", "source": "funding", "task": ""},
    )  # fmt: skip
    post(
        "/projekte/1/plan/eintraege/ressourcen/neu",
        data={"description": "Gemeinschaftsraum", "kind": "room", "quantity": "1", "unit": "",
              "cost": "150", "cost_type": "rent", "source": "in_kind", "task": ""},
    )  # fmt: skip
    post(
        "/projekte/1/plan/eintraege/kosten/neu",
        data={"description": "Versicherung", "cost_type": "administrative", "amount": "100"},
    )
    post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "own_funds", "description": "", "amount": "125"},
    )
    page = team.owner.get("/projekte/1/plan/finanzen").get_data(as_text=True)
    assert "500,00\xa0€" in page  # 400 material + 100 administrative; the room is given in kind
    assert de_html("%(amount)s of the costs are not financed yet", amount="375,00\xa0€") in page
    assert "25\xa0%" in page
    post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "requested_funding", "description": "Bürgerfonds", "amount": "375"},
    )
    page = team.owner.get("/projekte/1/plan/finanzen").get_data(as_text=True)
    assert de_html("balanced: costs equal financing") in page


def test_the_schedule_is_a_table_by_month(team: Team) -> None:
    team.owner.post(
        "/projekte/1/plan/eintraege/aufgaben/neu",
        data={"title": "Beete bauen", "work_package": "", "description": "", "expected_result": "",
              "responsible": "", "start": "2026-03-10", "end": "2026-05-02", "status": "open"},
    )  # fmt: skip
    team.owner.post(
        "/projekte/1/plan/eintraege/meilensteine/neu",
        data={"title": "Eröffnung", "due": "2026-06-20", "description": ""},
    )
    page = team.owner.get("/projekte/1/plan/zeitplan").get_data(as_text=True)
    assert page.count('<th scope="col" class="month">') == 4  # March to June
    assert page.count('class="cell on"') == 3
    assert page.count('class="cell milestone"') == 1
    ics = team.owner.get("/projekte/1/plan/zeitplan/meilensteine.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert "DTSTART;VALUE=DATE:20260620" in body and "Eröffnung" in body


def test_task_dates_must_be_in_order(team: Team) -> None:
    response = team.owner.post(
        "/projekte/1/plan/eintraege/aufgaben/neu",
        data={"title": "Rückwärts", "work_package": "", "description": "", "expected_result": "",
              "responsible": "", "start": "2026-05-01", "end": "2026-04-01", "status": "open"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert de_html("The end cannot be before the start.") in page and 'value="Rückwärts"' in page


def test_responsible_must_be_in_the_team(team: Team, town_a: Town) -> None:
    stranger = town_a.user("stranger@example.org")
    response = team.owner.post(
        "/projekte/1/plan/eintraege/arbeitspakete/neu",
        data={"name": "WP", "description": "", "responsible": stranger.ref},
    )
    assert response.status_code == 400
    response = team.owner.post(
        "/projekte/1/plan/eintraege/arbeitspakete/neu",
        data={"name": "WP", "description": "", "responsible": team.member_user.ref},
    )
    assert response.status_code == 302
    with team.town.context():
        assert team.find(WorkPackage).responsible_id == team.member_user.id


def test_edit_move_and_delete_items(team: Team) -> None:
    for name in ("Erstes", "Zweites"):
        team.owner.post(
            "/projekte/1/plan/eintraege/arbeitspakete/neu",
            data={"name": name, "description": "", "responsible": ""},
        )
    with team.town.context():
        first, second = db.session.scalars(select(WorkPackage).order_by(WorkPackage.position))
        db.session.expunge_all()
    url = f"/projekte/1/plan/eintraege/arbeitspakete/{second.ref}"
    form = team.owner.get(url).get_data(as_text=True)
    assert 'value="Zweites"' in form
    team.owner.post(url + "/verschieben", data={"richtung": "hoch"})
    page = team.owner.get("/projekte/1/plan/arbeitsplan").get_data(as_text=True)
    assert page.index("Zweites") < page.index("Erstes")
    second = team.find(WorkPackage, id=second.id)
    team.owner.post(url + "/loeschen", data={"revision": str(second.revision)})
    page = team.owner.get("/projekte/1/plan/arbeitsplan").get_data(as_text=True)
    assert "Zweites" not in page and "Erstes" in page


# --- concurrent edits ----------------------------------------------------------------------------


def test_a_stale_profile_save_is_refused_and_keeps_what_was_typed(team: Team) -> None:
    team.owner.post("/projekte/1/plan/profil", data={"version": "0", "goal": "Erste Fassung"})
    # Both open the form at version 1.
    team.owner.post("/projekte/1/plan/profil", data={"version": "1", "goal": "Fassung der Chefin"})
    response = team.member.post(
        "/projekte/1/plan/profil", data={"version": "1", "goal": "Fassung des Mitglieds"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'class="conflict"' in page
    assert "Fassung des Mitglieds" in page  # what they typed, still in the form
    assert "Fassung der Chefin" in page  # what is saved now
    assert 'name="version" type="hidden" value="2"' in page
    with team.town.context():
        assert services.profile(team.find(Project)).goal == "Fassung der Chefin"
    # Sending again on purpose saves it.
    assert (
        team.member.post(
            "/projekte/1/plan/profil", data={"version": "2", "goal": "Fassung des Mitglieds"}
        ).status_code
        == 302
    )


def test_a_stale_item_save_is_refused(team: Team) -> None:
    team.owner.post(
        "/projekte/1/plan/eintraege/finanzierung/neu",
        data={"kind": "own_funds", "description": "Kasse", "amount": "100"},
    )
    line = team.find(FinancingLine)
    url = f"/projekte/1/plan/eintraege/finanzierung/{line.ref}"
    base = {"kind": "own_funds", "revision": str(line.revision)}
    assert (
        team.owner.post(url, data={**base, "description": "Kasse", "amount": "200"}).status_code
        == 302
    )
    response = team.member.post(url, data={**base, "description": "Kasse", "amount": "300"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'value="300"' in page and "200,00" in page
    # Adding something else meanwhile is no conflict.
    assert (
        team.member.post(
            "/projekte/1/plan/eintraege/finanzierung/neu",
            data={"kind": "donations", "description": "", "amount": "5"},
        ).status_code
        == 302
    )


def test_a_stale_delete_is_refused(team: Team) -> None:
    team.owner.post(
        "/projekte/1/plan/eintraege/kosten/neu",
        data={"description": "Porto", "cost_type": "administrative", "amount": "10"},
    )
    item = team.find(CostItem)
    team.owner.post(
        f"/projekte/1/plan/eintraege/kosten/{item.ref}",
        data={"description": "Porto", "cost_type": "administrative", "amount": "12",
              "revision": str(item.revision)},
    )  # fmt: skip
    response = team.member.post(
        f"/projekte/1/plan/eintraege/kosten/{item.ref}/loeschen",
        data={"revision": str(item.revision)},
        follow_redirects=True,
    )
    assert de_html(
        "Someone else changed this entry in the meantime; it was not deleted. Please look again."
    ) in response.get_data(as_text=True)
    assert team.find(CostItem) is not None


# --- history --------------------------------------------------------------------------------------


def test_history_shows_who_changed_what_and_an_owner_restores(team: Team) -> None:
    team.owner.post("/projekte/1/plan/profil", data={"version": "0", "goal": "Alt"})
    team.member.post("/projekte/1/plan/profil", data={"version": "1", "goal": "Neu", "vision": "V"})
    page = team.owner.get("/projekte/1/plan/profil/versionen").get_data(as_text=True)
    assert de_html("Version %(number)d", number=2) in page and "Mia Member" in page
    assert de_html("changed: %(field)s", field=de("Vision")) in page
    assert team.owner.get("/projekte/1/plan/profil/versionen/1").status_code == 200
    response = team.owner.post(
        "/projekte/1/plan/profil/versionen/1/wiederherstellen", data={"version": "2"}
    )
    assert response.status_code == 302
    with team.town.context():
        project = team.find(Project)
        assert services.profile(project).goal == "Alt"
        assert services.profile(project).vision == ""
        latest = services.versions(project, Section.PROFILE)[0]
        assert (latest.number, latest.restored_from) == (3, 1)


def test_restoring_the_work_plan_brings_items_back_with_their_refs(team: Team) -> None:
    team.owner.post(
        "/projekte/1/plan/eintraege/arbeitspakete/neu",
        data={"name": "Beete", "description": "", "responsible": team.owner_user.ref},
    )
    package = team.find(WorkPackage)
    team.owner.post(
        "/projekte/1/plan/eintraege/aufgaben/neu",
        data={"title": "Holz kaufen", "work_package": package.ref, "description": "",
              "expected_result": "", "responsible": "", "start": "2026-03-01",
              "end": "2026-03-31", "status": "open"},
    )  # fmt: skip
    task = team.find(Task)
    team.owner.post(
        f"/projekte/1/plan/eintraege/aufgaben/{task.ref}/loeschen",
        data={"revision": str(task.revision)},
    )
    team.owner.post(
        f"/projekte/1/plan/eintraege/arbeitspakete/{package.ref}",
        data={"name": "Umbenannt", "description": "", "responsible": "",
              "revision": str(package.revision)},
    )  # fmt: skip
    assert team.find(Task) is None
    team.owner.post(
        "/projekte/1/plan/arbeitsplan/versionen/2/wiederherstellen", data={"version": "4"}
    )
    restored = team.find(Task)
    assert restored.ref == task.ref and restored.title == "Holz kaufen"
    with team.town.context():
        package = db.session.get(WorkPackage, package.id)
        assert package.name == "Beete" and package.responsible_id == team.owner_user.id
        assert restored.work_package_id == package.id


def test_a_restore_on_a_stale_history_page_is_refused(team: Team) -> None:
    team.owner.post("/projekte/1/plan/profil", data={"version": "0", "goal": "A"})
    team.owner.post("/projekte/1/plan/profil", data={"version": "1", "goal": "B"})
    team.owner.post("/projekte/1/plan/profil", data={"version": "2", "goal": "C"})
    response = team.owner.post(
        "/projekte/1/plan/profil/versionen/1/wiederherstellen",
        data={"version": "2"},
        follow_redirects=True,
    )
    assert de_html(
        "Someone else saved this section in the meantime. Please look at the history again."
    ) in response.get_data(as_text=True)
    with team.town.context():
        assert services.profile(team.find(Project)).goal == "C"
    with team.town.context():
        assert db.session.scalar(select(db.func.count()).select_from(PlanVersion)) == 3


def test_a_version_or_revision_that_is_no_number_matches_none(team: Team) -> None:
    team.owner.post("/projekte/1/plan/profil", data={"version": "0", "goal": "A"})
    team.owner.post(
        "/projekte/1/plan/eintraege/kosten/neu",
        data={"description": "Porto", "cost_type": "administrative", "amount": "10"},
    )
    item = team.find(CostItem)
    posts = [
        ("/projekte/1/plan/profil/versionen/1/wiederherstellen", {"version": "zwei"}),
        (f"/projekte/1/plan/eintraege/kosten/{item.ref}/loeschen", {"revision": "eins"}),
        (f"/projekte/1/plan/eintraege/kosten/{item.ref}/loeschen", {}),
    ]
    for url, data in posts:
        assert team.owner.post(url, data=data).status_code == 302, (url, data)
    assert team.find(CostItem) is not None
    with team.town.context():
        assert db.session.scalar(select(db.func.count()).select_from(PlanVersion)) == 2


# --- offers ---------------------------------------------------------------------------------------


def test_people_offer_resources_and_the_team_decides(team: Team, town_a: Town, mailbox) -> None:  # type: ignore[no-untyped-def]
    team.owner.post(
        "/projekte/1/plan/eintraege/ressourcen/neu",
        data={"description": "Anhänger", "kind": "material", "quantity": "1", "unit": "",
              "cost": "80", "cost_type": "rent", "source": "funding", "task": ""},
    )  # fmt: skip
    team.owner.post("/projekte/1/plan/sichtbarkeit", data={"resources": "y"})
    requirement = team.find(Requirement)
    helper = team.login(town_a.user("helper@example.org", name="Hanna Helfer"))
    page = helper.get("/projekte/1/plan/ressourcen").get_data(as_text=True)
    assert 'name="requirement"' in page and "Anhänger" in page
    response = helper.post(
        "/projekte/1/plan/angebote",
        data={"kind": "material", "description": "Mein Anhänger am Wochenende",
              "requirement": requirement.ref, "message": "Gern!"},
    )  # fmt: skip
    assert response.status_code == 302
    helper.post(
        "/projekte/1/plan/angebote",
        data={"kind": "room", "description": "Vereinsraum dienstags", "requirement": "",
              "message": ""},
    )  # fmt: skip
    assert mailbox.to("owner@example.org")
    page = team.member.get("/projekte/1/plan/ressourcen").get_data(as_text=True)
    assert "Mein Anhänger am Wochenende" in page and "Vereinsraum dienstags" in page
    with team.town.context():
        trailer, room = (
            db.session.scalar(select(ResourceOffer).where(ResourceOffer.description.like(w + "%")))
            for w in ("Mein", "Verein")
        )
    team.member.post(f"/projekte/1/plan/angebote/{trailer.ref}/annehmen")
    team.member.post(f"/projekte/1/plan/angebote/{room.ref}/annehmen")
    page = team.member.get("/projekte/1/plan/ressourcen").get_data(as_text=True)
    assert de_html("Covered: %(name)s offered it.", name="Hanna Helfer") in page
    with team.town.context():
        db.session.expire_all()
        rows = list(db.session.scalars(select(Requirement).order_by(Requirement.position)))
        assert [r.description for r in rows] == ["Anhänger", "Vereinsraum dienstags"]
        assert rows[1].source.value == "in_kind" and rows[1].cost_cents == 0
        assert {o.status for o in db.session.scalars(select(ResourceOffer))} == {
            OfferStatus.ACCEPTED
        }
    mail = mailbox.last_to("helper@example.org")
    expected = de(
        "The team of “%(title)s” accepted your offer. Thank you!", title="Nachbarschaftsgarten"
    )
    assert expected in mail["Subject"] + mail.get_body().get_content()
    # Deciding twice is refused; the team does not offer to itself.
    response = team.member.post(
        f"/projekte/1/plan/angebote/{room.ref}/ablehnen", follow_redirects=True
    )
    assert de_html("This offer was decided already.") in response.get_data(as_text=True)
    assert (
        team.member.post(
            "/projekte/1/plan/angebote", data={"kind": "room", "description": "x"}
        ).status_code
        == 403
    )


def test_an_offer_cannot_name_a_hidden_requirement(team: Team, town_a: Town) -> None:
    team.owner.post(
        "/projekte/1/plan/eintraege/ressourcen/neu",
        data={"description": "Geheim", "kind": "material", "quantity": "1", "unit": "",
              "cost": "", "cost_type": "material", "source": "funding", "task": ""},
    )  # fmt: skip
    team.owner.post("/projekte/1/plan/sichtbarkeit", data={"profile": "y"})
    requirement = team.find(Requirement)
    helper = team.login(town_a.user("helper@example.org"))
    response = helper.post(
        "/projekte/1/plan/angebote",
        data={"kind": "material", "description": "Ich", "requirement": requirement.ref},
    )
    assert response.status_code == 400
    with team.town.context():
        assert db.session.scalar(select(ResourceOffer)) is None


@pytest.mark.parametrize("path", ["/projekte/1/plan/angebote"])
def test_offering_needs_a_login(team: Team, town_a: Town, path: str) -> None:
    response = town_a.client().post(path, data={"kind": "room", "description": "x"})
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]


def test_plan_tab_on_the_project_page(team: Team) -> None:
    page = team.member.get("/projekte/1").get_data(as_text=True)
    assert 'href="/projekte/1/plan"' in page


def test_overview_query_count_does_not_grow_with_the_plan(team: Team, count_queries) -> None:  # type: ignore[no-untyped-def]
    def add_tasks(n: int) -> None:
        for i in range(n):
            team.owner.post(
                "/projekte/1/plan/eintraege/aufgaben/neu",
                data={"title": f"T{i}", "work_package": "", "description": "",
                      "expected_result": "", "responsible": team.owner_user.ref,
                      "start": "2026-01-01", "end": "2026-02-01", "status": "open"},
            )  # fmt: skip

    add_tasks(2)
    # Each count starts with nothing kept in the worker (the bell's count is
    # kept per person after the first page, workercache.person_value).
    workercache.init_app(team.owner.application)
    with count_queries() as few:
        team.owner.get("/projekte/1/plan/arbeitsplan")
    add_tasks(6)
    workercache.init_app(team.owner.application)
    with count_queries() as many:
        team.owner.get("/projekte/1/plan/arbeitsplan")
    assert len(many) == len(few)


def test_a_new_resource_presets_no_cost_type_and_free_lines_say_so(team: Team) -> None:
    """Issue #22: "0,00 € · Verwaltungskosten" for volunteer hours nobody typed as such."""
    form = team.owner.get("/projekte/1/plan/eintraege/ressourcen/neu").get_data(as_text=True)
    assert "selected" not in form.split('name="cost_type"')[1].split("</select>")[0]
    assert de_html("Please choose") in form
    data = {"description": "Helfer beim Aufbau", "kind": "skill", "quantity": "12"}
    data.update({"unit": "Stunden", "cost": "", "source": "in_kind", "task": ""})
    refused = team.owner.post("/projekte/1/plan/eintraege/ressourcen/neu", data=data)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert de_html("Please choose a cost type.") in page
    assert 'value="Helfer beim Aufbau"' in page  # nothing typed is lost
    data["cost_type"] = "personnel"
    assert (
        team.owner.post("/projekte/1/plan/eintraege/ressourcen/neu", data=data).status_code == 302
    )
    listing = team.owner.get("/projekte/1/plan/ressourcen").get_data(as_text=True)
    assert "kostenlos" in listing
    assert "0,00" not in listing and de("Personnel costs") not in listing.split("Helfer")[1][:400]
