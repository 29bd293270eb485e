"""The business plan's pages: prefilled sections with provenance and "changed since",
editing, visibility (team only by default), the numbers form, and who may see what."""

from __future__ import annotations

import pytest
from businessplan_support import PROFILE, Setup, make_setup

from projektfabrik.accounts.models import Role, User
from projektfabrik.extensions import db
from projektfabrik.planning import services as planning
from projektfabrik.projects.models import Project
from projektfabrik.testing import Town, login, visible_text


def html(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def pdf_words(response) -> str | None:  # type: ignore[no-untyped-def]
    """The PDF's text, or None where WeasyPrint cannot be loaded (503)."""
    import io

    from pypdf import PdfReader

    if response.status_code == 503:
        return None
    assert response.status_code == 200
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def test_a_started_plan_is_prefilled_from_the_project_with_its_source(setup_a: Setup) -> None:
    page = setup_a.team.get(setup_a.base + "/")
    assert page.status_code == 200
    assert "Businessplan beginnen" in html(page) or "Start the business plan" in html(page)
    setup_a.start()
    page = html(setup_a.team.get(setup_a.base + "/"))
    text = visible_text(page)
    assert PROFILE["description"] in text  # offer <- profile.description
    assert PROFILE["target_groups"] in text
    assert PROFILE["local_reference"] in text
    assert "Olga Owner" in text  # team
    plan = setup_a.plan()
    assert plan is not None and not plan.is_public
    assert plan.sections["offer"]["source"] == "profile.description"
    assert plan.sections["competition"]["source"] == ""
    assert "Übernommen aus" in text  # "Taken from" in German
    assert "Das Projekt hat sich hier geändert" not in text


def test_changed_since_and_taking_the_text_again(setup_a: Setup) -> None:
    setup_a.start()
    with setup_a.town.request_context():
        project = db.session.get(Project, setup_a.project.id)
        owner = db.session.get(User, setup_a.owner.id)
        values = {**PROFILE, "target_groups": "Alle in der Nachbarschaft."}
        planning.save_profile(project, owner, values, 1)
        db.session.commit()
    page = visible_text(html(setup_a.team.get(setup_a.base + "/")))
    assert page.count("Das Projekt hat sich hier geändert") == 1
    response = setup_a.team.post(setup_a.base + "/abschnitt/market/uebernehmen")
    assert response.status_code == 302
    page = visible_text(html(setup_a.team.get(setup_a.base + "/")))
    assert "Alle in der Nachbarschaft." in page
    assert "Das Projekt hat sich hier geändert" not in page


def test_editing_a_section_keeps_the_source_and_refuses_a_stale_save(setup_a: Setup) -> None:
    setup_a.start()
    plan = setup_a.plan()
    assert plan is not None
    url = setup_a.base + "/abschnitt/competition"
    form = html(setup_a.team.get(url))
    assert "Konkurrenz" in form or "Wettbewerb" in form
    response = setup_a.team.post(
        url, data={"text": "Kein Repair-Café im Umkreis von 10 km.", "version": str(plan.version)}
    )
    assert response.status_code == 302
    assert "Kein Repair-Café" in visible_text(html(setup_a.team.get(setup_a.base + "/")))
    # A second tab still has the old version: refused, and the text stays in the field.
    stale = setup_a.team.post(url, data={"text": "Mein neuer Text", "version": str(plan.version)})
    assert stale.status_code == 409
    assert "Mein neuer Text" in html(stale)
    assert "in der Zwischenzeit" in html(stale)


def test_the_legal_form_section_has_a_choice_and_the_guide(setup_a: Setup) -> None:
    setup_a.start()
    plan = setup_a.plan()
    assert plan is not None
    url = setup_a.base + "/abschnitt/legal_form"
    page = visible_text(html(setup_a.team.get(url)))
    for name in ("e. V.", "gGmbH", "UG", "eG"):
        assert name in page or name.replace(" ", "") in page
    response = setup_a.team.post(
        url, data={"text": "Wir gründen einen Verein.", "legal_form": "ev", "version": plan.version}
    )
    assert response.status_code == 302
    assert setup_a.plan().sections["legal_form"]["choice"] == "ev"  # type: ignore[union-attr]
    bad = setup_a.team.post(
        url,
        data={"text": "x", "legal_form": "ag", "version": setup_a.plan().version},  # type: ignore[union-attr]
    )
    assert bad.status_code == 400


def test_the_srs_outline_is_prefilled_from_the_profile(setup_a: Setup) -> None:
    setup_a.start("srs")
    plan = setup_a.plan()
    assert plan is not None
    assert plan.sections["problem"]["text"] == PROFILE["problem"]
    assert plan.sections["outputs"]["text"] == PROFILE["results"]
    assert plan.sections["outcomes"]["text"] == PROFILE["effects"]
    assert plan.sections["impact"]["text"] == PROFILE["vision"]
    # Switching keeps texts and adds the other outline's sections.
    setup_a.team.post(
        setup_a.base + "/abschnitt/problem", data={"text": "Eigener Text", "version": plan.version}
    )
    setup_a.team.post(setup_a.base + "/gliederung", data={"outline": "classic"})
    plan = setup_a.plan()
    assert plan is not None and plan.outline == "classic"
    assert plan.sections["problem"]["text"] == "Eigener Text"
    assert "offer" in plan.sections


def test_the_numbers_form_saves_and_the_plans_are_computed(setup_a: Setup) -> None:
    setup_a.start()
    response = setup_a.save_numbers()
    assert response.status_code == 302, html(response)[:2000]
    plan = setup_a.plan()
    assert plan is not None
    assert plan.numbers["investments"] == [{"name": "Werkzeug", "amount": 1_200_000, "years": 4}]
    assert plan.numbers["loans"][0]["rate_bp"] == 600
    assert plan.numbers["products"][0]["quantities"] == [1500, 1800, 2100]
    page = html(setup_a.team.get(setup_a.base + "/finanzplan"))
    text = visible_text(page)
    assert "16.500,00" in text  # capital need
    assert "37.500,00" in text  # revenue year 1
    assert "<svg" in page and "Gewinnschwelle" in text
    # The form shows the stored numbers the German way, with spare rows.
    form = html(setup_a.team.get(setup_a.base + "/zahlen"))
    assert 'value="12.000,00"' in form
    assert 'name="investments-2-name"' in form


def test_bad_numbers_are_explained_and_nothing_typed_is_lost(setup_a: Setup) -> None:
    setup_a.start()
    response = setup_a.save_numbers(
        **{"own_funds": "vier", "products-0-q1": "-5", "grants-1-amount": "300"}
    )
    assert response.status_code == 400
    page = html(response)
    assert 'value="vier"' in page
    assert "Bitte geben Sie einen Betrag" in page or "Betrag" in page
    assert "Bitte geben Sie dieser Zeile einen Namen." in page  # an amount without a name
    assert 'value="Werkzeug"' in page
    assert setup_a.plan().numbers == {}  # type: ignore[union-attr]


def test_warnings_appear_on_the_page(setup_a: Setup) -> None:
    setup_a.start()
    setup_a.save_numbers(**{"own_funds": "0", "products-0-price": "5"})
    text = visible_text(html(setup_a.team.get(setup_a.base + "/finanzplan")))
    assert "unter Null" in text
    assert "„Reparatur“" in text
    assert "nicht" in text


def test_the_plan_is_for_the_team_until_made_public(setup_a: Setup) -> None:
    setup_a.start()
    setup_a.save_numbers()
    outsider = setup_a.town.user("someone@example.org")
    visitor, member = setup_a.client(), setup_a.client(outsider)
    urls = ["/", "/finanzplan", "/businessplan.xlsx", "/businessplan.pdf"]
    for url in urls:
        assert visitor.get(setup_a.base + url).status_code == 404
        assert member.get(setup_a.base + url).status_code == 404
    project_page = html(member.get(f"/projekte/{setup_a.project.number}"))
    assert "/businessplan/projekte/" not in project_page  # no tab
    # The texts only: the plan and a PDF without the numbers; the numbers stay hidden.
    setup_a.team.post(setup_a.base + "/sichtbarkeit", data={"visibility": "texts"})
    assert member.get(setup_a.base + "/").status_code == 200
    assert "/businessplan/projekte/" in html(member.get(f"/projekte/{setup_a.project.number}"))
    page = html(member.get(setup_a.base + "/"))
    assert "finanzplan" not in page and "businessplan.xlsx" not in page
    assert member.get(setup_a.base + "/finanzplan").status_code == 404
    assert member.get(setup_a.base + "/businessplan.xlsx").status_code == 404
    pdf_text = pdf_words(member.get(setup_a.base + "/businessplan.pdf"))
    if pdf_text is not None:
        assert "Angebot und Alleinstellungsmerkmal" in pdf_text
        assert "Rentabilitätsvorschau" not in pdf_text and "16.500,00" not in pdf_text
    # Everything.
    setup_a.team.post(setup_a.base + "/sichtbarkeit", data={"visibility": "all"})
    for url in urls[:3]:
        assert member.get(setup_a.base + url).status_code == 200, url
    pdf_text = pdf_words(member.get(setup_a.base + "/businessplan.pdf"))
    if pdf_text is not None:
        assert "Rentabilitätsvorschau" in pdf_text
    # Reading is not editing.
    plan = setup_a.plan()
    assert plan is not None
    assert member.get(setup_a.base + "/zahlen").status_code == 403
    assert member.post(setup_a.base + "/abschnitt/summary", data={"text": "x"}).status_code == 403
    assert (
        member.post(setup_a.base + "/sichtbarkeit", data={"visibility": "team"}).status_code == 403
    )
    assert visitor.get(setup_a.base + "/zahlen").status_code == 302  # to the login
    # Back to the team only; a choice that does not exist changes nothing.
    setup_a.team.post(setup_a.base + "/sichtbarkeit", data={"visibility": "team"})
    assert member.get(setup_a.base + "/").status_code == 404
    setup_a.team.post(setup_a.base + "/sichtbarkeit", data={"visibility": "alle"})
    assert member.get(setup_a.base + "/").status_code == 404
    setup_a.team.post(setup_a.base + "/sichtbarkeit", data={"visibility": "all"})
    assert "bearbeiten" not in visible_text(html(member.get(setup_a.base + "/")))


def test_an_outsider_cannot_start_a_plan(setup_a: Setup) -> None:
    outsider = setup_a.town.user("someone@example.org")
    response = setup_a.client(outsider).post(setup_a.base + "/anlegen", data={"outline": "classic"})
    assert response.status_code == 404
    assert setup_a.plan() is None


def test_the_towns_admin_edits_like_the_team(setup_a: Setup) -> None:
    setup_a.start()
    admin = setup_a.town.user("admin@example.org", role=Role.ADMIN)
    assert setup_a.client(admin).get(setup_a.base + "/zahlen").status_code == 200


ROUTES = [
    ("get", "/"),
    ("post", "/anlegen"),
    ("post", "/gliederung"),
    ("post", "/sichtbarkeit"),
    ("get", "/abschnitt/summary"),
    ("post", "/abschnitt/summary"),
    ("post", "/abschnitt/summary/uebernehmen"),
    ("get", "/zahlen"),
    ("post", "/zahlen"),
    ("get", "/finanzplan"),
    ("get", "/businessplan.pdf"),
    ("get", "/businessplan.xlsx"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_town_as_plan_is_not_found_through_town_bs_host(
    town_a: Town, town_b: Town, method: str, path: str
) -> None:
    setup_a = make_setup(town_a)
    setup_a.start()
    setup_a.team.post(setup_a.base + "/sichtbarkeit", data={"visibility": "all"})
    setup_b = make_setup(town_b)  # town B has the plugin on and a project of its own
    assert setup_b.project.number == setup_a.project.number  # same number, other town
    # Town A's team member, logged in on town B's host (same e-mail: an account there).
    person_b = town_b.user("visitor@example.org")
    client = town_b.client()
    login(client, person_b.email)
    response = getattr(client, method)(setup_a.base + path, data={"outline": "classic"})
    # Town B's project of that number has no plan: nothing of town A's shows.
    assert response.status_code in (403, 404)
    assert "Kaputte Dinge" not in html(response)
    # And town A's own host still answers for its team.
    assert getattr(setup_a.team, method)(setup_a.base + path).status_code < 500


def test_a_project_only_town_a_has_is_not_found_on_town_bs_host(town_a: Town, town_b: Town) -> None:
    from businessplan_support import publish

    setup_b = make_setup(town_b)
    setup_a = make_setup(town_a)
    second = publish(town_a, setup_a.owner, title="Sommerkino")  # number 2: only in town A
    second_base = f"/businessplan/projekte/{second.number}"
    assert setup_a.team.post(second_base + "/anlegen", data={"outline": "srs"}).status_code == 302
    admin_b = town_b.user("admin-b@example.org", role=Role.ADMIN)
    client = setup_b.client(admin_b)  # town B's admin may read every plan of town B
    for method, path in ROUTES:
        response = getattr(client, method)(second_base + path, data={"outline": "classic"})
        assert response.status_code == 404, (method, path)


def test_a_full_list_and_odd_input_never_break_the_form(setup_a: Setup) -> None:
    from projektfabrik_businessplan.forms import MAX_ROWS

    setup_a.start()
    many = {f"donations-{i}-name": f"Spende {i}" for i in range(MAX_ROWS + 5)}
    many.update({f"donations-{i}-amount": "10" for i in range(MAX_ROWS + 5)})
    assert setup_a.save_numbers(**many).status_code == 302
    plan = setup_a.plan()
    assert plan is not None and len(plan.numbers["donations"]) == MAX_ROWS
    assert setup_a.team.get(setup_a.base + "/zahlen").status_code == 200
    odd = setup_a.save_numbers(
        **{
            "loans-0-rate": "101",
            "loans-0-grace_months": "36",
            "investments-0-years": "x",
            "tax_rate": "abc",
            "staff-y1": "1.2.3,4",
        }
    )
    assert odd.status_code == 400
    for status in (
        setup_a.team.post(setup_a.base + "/abschnitt/summary", data={"version": "x", "text": "a"}),
        setup_a.team.get(setup_a.base + "/abschnitt/nichts"),
        setup_a.team.post(setup_a.base + "/abschnitt/competition/uebernehmen"),
        setup_a.team.post(setup_a.base + "/gliederung", data={"outline": "nichts"}),
    ):
        assert status.status_code < 500


def test_the_plans_pages_ask_the_same_number_of_queries_for_a_larger_team(
    setup_a: Setup, count_queries: type
) -> None:
    from projektfabrik import workercache
    from projektfabrik.projects.models import Membership

    setup_a.start()
    setup_a.save_numbers()

    def counts() -> list[int]:
        found = []
        for path in ("/", "/finanzplan", "/abschnitt/team"):
            # Nothing kept in the worker at either count (the bell's count is
            # kept per person after the first page, workercache.person_value).
            workercache.init_app(setup_a.town.app)
            with count_queries() as counter:
                assert setup_a.team.get(setup_a.base + path).status_code == 200
            found.append(len(counter))
        return found

    before = counts()
    with setup_a.town.context():
        for number in range(5):
            person = setup_a.town.user(f"member{number}@example.org", name=f"Mitglied {number}")
            db.session.add(Membership(project_id=setup_a.project.id, user_id=person.id))
        db.session.commit()
    assert counts() == before
