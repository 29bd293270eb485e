"""The marketplace: publishing, finding, supporting, discussing, moderating."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from projektfabrik import workercache
from projektfabrik.accounts.models import Kind, Role, User
from projektfabrik.extensions import db
from projektfabrik.mail.outbox import deliver_due
from projektfabrik.marketplace import services
from projektfabrik.marketplace.listing import Filters, list_projects
from projektfabrik.marketplace.models import Comment
from projektfabrik.notifications.models import Notification
from projektfabrik.projects import access
from projektfabrik.projects.models import Category, Project, Status
from projektfabrik.testing import Mailbox, Town, body_of, login


def _publish(town: Town, author: User, title: str, pitch: str = "Eine gute Idee.", **kw) -> Project:  # type: ignore[no-untyped-def]
    with town.request_context():
        project = services.publish_idea(
            author, services.ProjectInput(title=title, pitch=pitch, **kw)
        )
        db.session.commit()
        return project


def _client(town: Town, email: str, **kw) -> tuple:  # type: ignore[no-untyped-def]
    user = town.user(email, **kw)
    client = town.client()
    login(client, email)
    return user, client


# --- publishing -------------------------------------------------------------------


def test_publish_an_idea_in_one_form(town_a: Town) -> None:
    _, client = _client(town_a, "a@example.org")
    response = client.post(
        "/projekte/neu",
        data={"title": "Garten am Hafen", "pitch": "Hochbeete für alle.", "category": "",
              "district": "Hafen", "lead": "y", "looking_for_members": "y",
              "wanted_skills": "Gärtnern, Holz"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.headers["Location"] == "/projekte/1"
    page = client.get("/projekte/1").get_data(as_text=True)
    assert "Garten am Hafen" in page and "Hochbeete für alle." in page
    assert "Gärtnern, Holz" in page


def test_pitch_too_long_keeps_what_was_typed(town_a: Town) -> None:
    _, client = _client(town_a, "a@example.org")
    response = client.post(
        "/projekte/neu",
        data={"title": "Mein Titel", "pitch": "x" * 281, "category": "", "district": ""},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'value="Mein Titel"' in page and "x" * 281 in page and "aria-invalid" in page
    with town_a.context():
        assert db.session.scalar(select(Project)) is None


def test_publishing_needs_login(town_a: Town) -> None:
    response = town_a.client().get("/projekte/neu")
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]


@pytest.mark.storage
def test_a_project_image_is_stored_for_the_town(town_a: Town, town_b: Town) -> None:
    _, client = _client(town_a, "a@example.org")
    picture = io.BytesIO()
    Image.new("RGB", (1200, 800), "green").save(picture, "JPEG")
    picture.seek(0)
    client.post(
        "/projekte/neu",
        data={"title": "Mit Bild", "pitch": "P", "category": "", "district": "",
              "image": (picture, "garten.jpg")},
        content_type="multipart/form-data",
    )  # fmt: skip
    with town_a.context():
        project = db.session.scalar(select(Project))
    url = f"/projekte/{project.number}/bild/{project.image_file}"
    assert client.get(url).status_code == 200
    assert town_b.client().get(url).status_code == 404


def test_numbers_count_per_town(town_a: Town, town_b: Town) -> None:
    a = town_a.user()
    b = town_b.user()
    assert _publish(town_a, a, "A1").number == 1
    assert _publish(town_a, a, "A2").number == 2
    assert _publish(town_b, b, "B1").number == 1


def test_only_owners_and_admins_edit(town_a: Town) -> None:
    owner, owner_client = _client(town_a, "owner@example.org")
    _publish(town_a, owner, "Projekt")
    _, other = _client(town_a, "other@example.org")
    _, admin = _client(town_a, "admin@example.org", role=Role.ADMIN)
    assert other.get("/projekte/1/bearbeiten").status_code == 404
    assert other.post("/projekte/1/status", data={"status": "running"}).status_code == 403
    assert owner_client.get("/projekte/1/bearbeiten").status_code == 200
    assert admin.get("/projekte/1/bearbeiten").status_code == 200
    response = owner_client.post(
        "/projekte/1/bearbeiten",
        data={"title": "Neuer Titel", "pitch": "Neu", "category": "", "district": ""},
    )
    assert response.status_code == 302
    assert "Neuer Titel" in owner_client.get("/projekte/1").get_data(as_text=True)


def test_status_change_keeps_history_and_notifies_followers(town_a: Town, mailbox: Mailbox) -> None:
    owner, client = _client(town_a, "owner@example.org")
    _publish(town_a, owner, "Projekt")
    fan, fan_client = _client(town_a, "fan@example.org")
    fan_client.post("/projekte/1/folgen")
    client.post("/projekte/1/status", data={"status": "planning"})
    page = client.get("/projekte/1").get_data(as_text=True)
    assert page.count("<li><time") == 2  # idea, then planning
    assert "Projekt" in mailbox.last_to("fan@example.org")["Subject"]
    assert not mailbox.to("owner@example.org")  # not told about one's own change


def test_an_idea_without_team_can_be_adopted(town_a: Town) -> None:
    author = town_a.user("author@example.org")
    _publish(town_a, author, "Jemand sollte…")  # lead defaults to True in the service
    with town_a.context():
        project = access.find_project(1)
        for m in project.memberships:
            db.session.delete(m)
        db.session.commit()
    lead, client = _client(town_a, "lead@example.org")
    assert client.post("/projekte/1/uebernehmen").status_code == 302
    with town_a.context():
        project = access.find_project(1)
        assert project.status == Status.TEAM_FORMING
        assert [m.user_id for m in project.memberships] == [lead.id]
    _, late = _client(town_a, "late@example.org")
    late.post("/projekte/1/uebernehmen")
    with town_a.context():
        assert len(access.find_project(1).memberships) == 1


# --- support, follow, comments -------------------------------------------------------


def test_support_once_per_person(town_a: Town) -> None:
    owner = town_a.user()
    _publish(town_a, owner, "Projekt")
    _, client = _client(town_a, "fan@example.org")
    client.post("/projekte/1/unterstuetzen")
    with town_a.context():
        assert access.find_project(1).support_count == 1
    client.post("/projekte/1/unterstuetzen")  # second click takes it back
    with town_a.context():
        assert access.find_project(1).support_count == 0
    assert town_a.client().post("/projekte/1/unterstuetzen").status_code == 302  # to login


def test_comments_replies_and_edit_window(town_a: Town, mailbox: Mailbox) -> None:
    owner, owner_client = _client(town_a, "owner@example.org")
    _publish(town_a, owner, "Projekt")
    _, client = _client(town_a, "c@example.org")
    assert client.post("/projekte/1/kommentare", data={"body": "Tolle Idee!"}).status_code == 302
    assert "Tolle Idee!" in body_of(mailbox.last_to("owner@example.org")) or mailbox.to(
        "owner@example.org"
    )
    with town_a.context():
        first = db.session.scalar(select(Comment))
    owner_client.post("/projekte/1/kommentare", data={"body": "Danke!", "parent": first.ref})
    with town_a.context():
        reply = db.session.scalar(select(Comment).where(Comment.parent_id == first.id))
        assert reply.body == "Danke!"
    edit_url = f"/projekte/1/kommentare/{first.ref}/bearbeiten"
    assert client.post(edit_url, data={"body": "Sehr tolle Idee!"}).status_code == 302
    assert owner_client.get(edit_url).status_code == 403  # not the author
    with town_a.context():
        old = db.session.get(Comment, first.id)
        old.created_at = old.created_at - timedelta(minutes=16)
        db.session.commit()
    assert client.get(edit_url).status_code == 403  # the window has closed
    assert client.post("/projekte/1/kommentare", data={"body": "   "}).status_code == 400


def test_report_hide_and_notify_the_author(town_a: Town, mailbox: Mailbox) -> None:
    owner = town_a.user("owner@example.org")
    _publish(town_a, owner, "Projekt")
    _, troll = _client(town_a, "troll@example.org")
    troll.post("/projekte/1/kommentare", data={"body": "Beleidigung"})
    with town_a.context():
        comment = db.session.scalar(select(Comment))
    _, reader = _client(town_a, "reader@example.org")
    reader.post(f"/projekte/1/kommentare/{comment.ref}/melden", data={"reason": "beleidigend"})
    _, moderator = _client(town_a, "mod@example.org", role=Role.MODERATOR)
    queue = moderator.get("/moderation").get_data(as_text=True)
    assert "Beleidigung" in queue and "beleidigend" in queue
    assert reader.get("/moderation").status_code == 403
    with town_a.context():
        from projektfabrik.marketplace.models import Report

        report = db.session.scalar(select(Report))
    response = moderator.post(
        f"/moderation/{report.ref}/ausblenden", data={"reason": "Beleidigung"}
    )
    assert response.status_code == 302
    page = reader.get("/projekte/1").get_data(as_text=True)
    assert "Beleidigung</p>" not in page.split("Diskussion")[-1].split("comment-hidden")[0]
    assert "comment-hidden" in page
    assert "ausgeblendet" in body_of(mailbox.last_to("troll@example.org"))
    with town_a.context():
        notes = db.session.scalars(select(Notification.kind)).all()
    assert "comment_hidden" in notes
    assert "No open reports" in moderator.get("/moderation").get_data(as_text=True) or (
        "Keine offenen Meldungen" in moderator.get("/moderation").get_data(as_text=True)
    )


# --- finding ---------------------------------------------------------------------------


@pytest.fixture
def catalogue(town_a: Town) -> Town:
    a = town_a.user("a@example.org")
    b = town_a.user("b@example.org", kind=Kind.BUSINESS)
    with town_a.context():
        db.session.add(Category(name="Umwelt"))
        db.session.add(Category(name="Kultur"))
        db.session.commit()
    _publish(town_a, a, "Gemeinschaftsgarten", "Wir legen Gärten an.", category="Umwelt",
             district="Hafen", wanted_skills="Gärtnern, Buchhaltung")  # fmt: skip
    _publish(town_a, b, "Sommerkino", "Filme unter freiem Himmel.", category="Kultur",
             district="Altstadt", looking_for_members=False)  # fmt: skip
    _publish(town_a, a, "Reparaturcafé", "Wir reparieren Geräte im Gartenhaus.",
             wanted_skills="Elektronik")  # fmt: skip
    return town_a


def _titles(town: Town, **filters: object) -> list[str]:
    with town.context():
        return [c.project.title for c in list_projects(Filters(**filters)).cards]  # type: ignore[arg-type]


def test_search_finds_german_words_and_their_parts(catalogue: Town) -> None:
    # The title first, then "Gartenhaus" in a pitch (more in tests/test_search.py).
    assert _titles(catalogue, q="Garten") == ["Gemeinschaftsgarten", "Reparaturcafé"]
    assert _titles(catalogue, q="filme himmel") == ["Sommerkino"]
    assert _titles(catalogue, q="reparatur") == ["Reparaturcafé"]  # part of a compound
    assert _titles(catalogue, q="reparieren") == ["Reparaturcafé"]


def test_filters(catalogue: Town) -> None:
    assert _titles(catalogue, category="Kultur") == ["Sommerkino"]
    assert _titles(catalogue, district="Hafen") == ["Gemeinschaftsgarten"]
    assert set(_titles(catalogue, looking=True)) == {"Gemeinschaftsgarten", "Reparaturcafé"}
    assert _titles(catalogue, skill="buchhaltung") == ["Gemeinschaftsgarten"]
    assert _titles(catalogue, skill="Buch") == []
    assert _titles(catalogue, status="running") == []


def test_sorting(catalogue: Town) -> None:
    assert _titles(catalogue)[0] == "Reparaturcafé"  # newest first
    fan = catalogue.user("fan@example.org")
    with catalogue.context():
        services.toggle_support(access.find_project(2), fan)
        db.session.commit()
    assert _titles(catalogue, sort="supported")[0] == "Sommerkino"


def test_filters_live_in_the_url(catalogue: Town) -> None:
    page = catalogue.client().get("/projekte?kategorie=Umwelt&sortierung=supported")
    html = page.get_data(as_text=True)
    assert "Gemeinschaftsgarten" in html and "Sommerkino" not in html
    assert '<option value="Umwelt" selected>' in html


def test_active_filters_show_as_chips_that_each_drop_one(catalogue: Town) -> None:
    import re
    from html import unescape

    url = "/projekte?kategorie=Umwelt&ortsteil=Hafen&sucht=1&sortierung=supported&seite=2"
    html = catalogue.client().get(url).get_data(as_text=True)
    chips = {
        unescape(text).strip(): unescape(href)
        for href, text in re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)<', html)
    }
    assert chips == {
        "Kategorie: Umwelt": "/projekte?ortsteil=Hafen&sucht=1&sortierung=supported",
        "Ortsteil: Hafen": "/projekte?kategorie=Umwelt&sucht=1&sortierung=supported",
        "Sucht Leute": "/projekte?kategorie=Umwelt&ortsteil=Hafen&sortierung=supported",
    }
    assert "(3 aktiv)" in html  # the folded filters say how many are on
    # A status chip names the status in the page's language (its labels are
    # translated only when something shows them).
    html = catalogue.client().get("/projekte?status=running").get_data(as_text=True)
    assert re.search(r'<a class="chip"[^>]*>Status: Läuft', html), re.findall(
        r'class="chip".{0,200}', html
    )
    # Following a chip's link drops exactly that filter.
    wider = catalogue.client().get(chips["Ortsteil: Hafen"]).get_data(as_text=True)
    assert "Ortsteil: Hafen" not in wider and "Kategorie: Umwelt" in wider
    # No filter, no chips; the form is still there, folded into <details>.
    plain = catalogue.client().get("/projekte").get_data(as_text=True)
    assert 'class="chip"' not in plain and '<details class="filter-fold">' in plain


def test_chips_without_a_request() -> None:
    chips = Filters(q="Garten", status="idea", mine=True).chips()
    assert [(c.key, c.value, c.args) for c in chips] == [
        ("q", "Garten", {"status": "idea", "fuer-mich": "1"}),
        ("status", "idea", {"suche": "Garten", "fuer-mich": "1"}),
        ("mine", "", {"suche": "Garten", "status": "idea"}),
    ]


def test_pagination(town_a: Town) -> None:
    author = town_a.user()
    for i in range(30):
        _publish(town_a, author, f"Projekt {i:02d}")
    first = town_a.client().get("/projekte").get_data(as_text=True)
    second = town_a.client().get("/projekte?seite=2").get_data(as_text=True)
    assert "Projekt 29" in first and "Projekt 00" not in first
    assert "Projekt 00" in second and 'rel="prev"' in second


@pytest.mark.parametrize("sort", ["", "active", "supported"])
def test_every_project_is_on_exactly_one_page_in_its_order(town_a: Town, sort: str) -> None:
    """The page's ids come from the sort index first (a deferred join): the pages
    together list every project once, in the sort's order, ties by newest id."""
    import re

    author = town_a.user()
    for i in range(30):
        _publish(town_a, author, f"Projekt {i:02d}")
    with town_a.context():
        for project in db.session.scalars(select(Project)):
            # Activity in a shuffled order, some equal; supports: five ties of six.
            project.last_activity_at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
                days=(project.number * 7) % 11
            )
            project.support_count = project.number % 5
        db.session.commit()
        expected = {
            "": sorted(range(1, 31), reverse=True),
            "active": sorted(range(1, 31), key=lambda n: ((n * 7) % 11, n), reverse=True),
            "supported": sorted(range(1, 31), key=lambda n: (n % 5, n), reverse=True),
        }[sort]
    client = town_a.client()
    shown = []
    for page in (1, 2):
        html = client.get(f"/projekte?sortierung={sort}&seite={page}").get_data(as_text=True)
        shown += [int(n) for n in re.findall(r'href="/projekte/(\d+)"', html)]
    assert shown == expected


def test_marketplace_query_count_is_constant(town_a: Town, count_queries) -> None:  # type: ignore[no-untyped-def]
    author = town_a.user(kind=Kind.ADMINISTRATION)
    helper = town_a.user(kind=Kind.BUSINESS)
    _publish(town_a, author, "Erstes")
    with town_a.context():
        from projektfabrik.projects.models import Membership

        # The baseline already has one of everything; more must not cost more.
        db.session.add(Membership(project_id=1, user_id=helper.id))
        db.session.add(Comment(project_id=1, author_id=helper.id, body="Erster Kommentar"))
        db.session.commit()
    client = town_a.client()
    login(client, author.email)

    def count(path: str) -> int:
        # What a page costs when the worker keeps nothing yet (the list, the
        # bell, the cards): both sides of the comparison start from the same.
        workercache.init_app(client.application)
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return len(counter)

    few = (count("/projekte"), count("/projekte/1"), count("/projekte?suche=erstes"))
    for i in range(15):
        commenter = town_a.user(kind=Kind.CITIZEN)
        project = _publish(town_a, author, f"Mehr {i}")
        with town_a.context():
            db.session.add(Membership(project_id=project.id, user_id=helper.id))
            db.session.add(Membership(project_id=1, user_id=commenter.id))
            db.session.add(Comment(project_id=1, author_id=commenter.id, body=f"K {i}"))
            db.session.commit()
    many = (count("/projekte"), count("/projekte/1"), count("/projekte?suche=mehr"))
    assert few == many, (few, many)


# --- open data ----------------------------------------------------------------------


def test_api_feed_and_csv_show_public_data_of_this_town_only(catalogue: Town, town_b: Town) -> None:
    b = town_b.user()
    _publish(town_b, b, "Nur in B")
    client = catalogue.client()
    api = client.get("/api/v1/projects").json
    assert api["total"] == 3 and "Nur in B" not in str(api)
    assert "a@example.org" not in str(api)
    one = client.get("/api/v1/projects/1").json
    assert one["title"] == "Gemeinschaftsgarten" and one["team"]["citizen"] == 1
    assert client.get("/api/v1/projects/99").status_code == 404
    assert client.get("/api/v1/projects?kategorie=Kultur").json["total"] == 1
    assert client.get("/api/v1/openapi.json").json["openapi"].startswith("3.")
    feed = client.get("/projekte/feed.atom").get_data(as_text=True)
    assert "Sommerkino" in feed and "Nur in B" not in feed
    csv = client.get("/projekte.csv").get_data(as_text=True)
    assert "Reparaturcafé" in csv and "Nur in B" not in csv
    b_api = town_b.client().get("/api/v1/projects").json
    assert [i["title"] for i in b_api["items"]] == ["Nur in B"]


def test_the_open_data_csv_is_machine_readable_and_has_no_formulas(town_a: Town) -> None:
    import csv as csvlib
    import io

    _publish(town_a, town_a.user(), "=HYPERLINK(1)", "-1+2 Gärten")
    response = town_a.client().get("/projekte.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="projekte.csv"'
    text = response.get_data(as_text=True)
    assert not text.startswith("\ufeff")  # documented: plain UTF-8, "," and "."
    header, row = list(csvlib.reader(io.StringIO(text)))
    assert header[:3] == ["ref", "title", "pitch"]
    assert row[1:3] == ["'=HYPERLINK(1)", "'-1+2 Gärten"] and row[6] == "1"


# --- cross-tenant -------------------------------------------------------------------


def test_town_b_never_reaches_town_a_projects(town_a: Town, town_b: Town) -> None:
    a = town_a.user("a@example.org")
    _publish(town_a, a, "Geheim in A")
    with town_a.context():
        comment = services.add_comment(access.find_project(1), a, "Kommentar in A")
        db.session.commit()
        ref = comment.ref
    intruder = town_b.user("b@example.org", role=Role.ADMIN)
    client = town_b.client()
    login(client, intruder.email)
    for path in ("/projekte/1", "/projekte/1/drucken", "/projekte/1/bearbeiten",
                 f"/projekte/1/kommentare/{ref}/melden", f"/projekte/1/kommentare/{ref}/bearbeiten",
                 "/api/v1/projects/1"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    for path in ("/projekte/1/unterstuetzen", "/projekte/1/folgen", "/projekte/1/uebernehmen",
                 "/projekte/1/status", "/projekte/1/neuigkeiten", "/projekte/1/kommentare"):  # fmt: skip
        assert client.post(path, data={"body": "x", "status": "running"}).status_code == 404, path
    assert "Geheim in A" not in client.get("/projekte").get_data(as_text=True)
    assert "Geheim in A" not in client.get("/projekte?suche=geheim").get_data(as_text=True)
    with town_a.context():
        assert access.find_project(1).support_count == 0
        assert access.find_project(1).status == Status.IDEA


def test_moderators_of_town_b_never_see_or_decide_town_a_reports(
    town_a: Town, town_b: Town, mailbox: Mailbox
) -> None:
    a = town_a.user("a@example.org")
    town_a.user("mod-a@example.org", role=Role.MODERATOR)
    _publish(town_a, a, "Projekt")
    with town_a.context(), town_a.app.test_request_context(base_url="http://stadt-a.test"):
        comment = services.add_comment(access.find_project(1), a, "Böse")
        report = services.report_comment(comment, a, "melden")
        db.session.commit()
        report_ref = report.ref
    deliver_due()
    assert mailbox.to("mod-a@example.org")
    town_b.user("mod-b@example.org", role=Role.MODERATOR)
    assert not mailbox.to("mod-b@example.org")  # not told about town A's report
    client = town_b.client()
    login(client, "mod-b@example.org")
    assert "Böse" not in client.get("/moderation").get_data(as_text=True)
    assert (
        client.post(f"/moderation/{report_ref}/ausblenden", data={"reason": "x"}).status_code == 404
    )
    assert client.post(f"/moderation/{report_ref}/ablehnen").status_code == 404


def test_categories_are_per_town(town_a: Town, town_b: Town) -> None:
    _, admin_a = _client(town_a, "admin@example.org", role=Role.ADMIN)
    _, admin_b = _client(town_b, "admin@example.org", role=Role.ADMIN)
    assert admin_a.post("/verwaltung/kategorien", data={"name": "Umwelt"}).status_code == 302
    assert "Umwelt" not in admin_b.get("/verwaltung/kategorien").get_data(as_text=True)
    assert (
        admin_b.post("/verwaltung/kategorien/loeschen", data={"name": "Umwelt"}).status_code == 404
    )
    assert admin_a.post("/verwaltung/kategorien", data={"name": "Umwelt"}).status_code == 400
    b_user = town_b.user()
    with town_b.context(), pytest.raises(services.MarketplaceError):
        services.publish_idea(
            b_user, services.ProjectInput(title="X", pitch="Y", category="Umwelt")
        )
    db.session.rollback()


def test_the_admin_overview_links_the_lists_and_only_admins_reach_them(town_a: Town) -> None:
    _, admin = _client(town_a, "admin@example.org", role=Role.ADMIN)
    page = admin.get("/verwaltung/").get_data(as_text=True)
    assert 'href="/verwaltung/kategorien"' in page
    assert 'href="/verwaltung/ortsteile"' in page
    _, member = _client(town_a, "member@example.org", role=Role.MEMBER)
    assert member.get("/verwaltung/ortsteile").status_code == 403
    visitor = town_a.client().get("/verwaltung/ortsteile")
    assert visitor.status_code == 302 and "/anmelden" in visitor.headers["Location"]


def test_a_project_picture_has_the_description_its_team_wrote(town_a: Town) -> None:
    """WCAG 1.1.1: the description is the picture's alt; empty means decorative."""
    _, client = _client(town_a, "a@example.org")
    picture = io.BytesIO()
    Image.new("RGB", (1200, 800), "green").save(picture, "JPEG")
    picture.seek(0)
    client.post(
        "/projekte/neu",
        data={"title": "Mit Bild", "pitch": "P", "category": "", "district": "",
              "image": (picture, "garten.jpg"), "lead": "y",
              "image_alt": "  Kinder pflanzen   einen Baum <im> Schulgarten "},
        content_type="multipart/form-data",
    )  # fmt: skip
    page = client.get("/projekte/1").get_data(as_text=True)
    assert 'alt="Kinder pflanzen einen Baum &lt;im&gt; Schulgarten"' in page
    response = client.get("/projekte/1/bearbeiten")
    edit = response.get_data(as_text=True)
    assert response.status_code == 200, response.headers
    assert "Was das Bild zeigt" in edit and "Kinder pflanzen einen Baum" in edit


def test_the_support_button_shows_its_state_in_words(town_a: Town) -> None:
    """Not only aria-pressed: the page says so, and the pressed style is the core's."""
    owner = town_a.user()
    _publish(town_a, owner, "Projekt")
    _, client = _client(town_a, "fan@example.org")
    before = client.get("/projekte/1").get_data(as_text=True)
    assert 'aria-pressed="false">Ich unterstütze das' in before
    assert "Sie unterstützen dieses Projekt." not in before
    client.post("/projekte/1/unterstuetzen")
    after = client.get("/projekte/1").get_data(as_text=True)
    assert 'class="button" aria-pressed="true">Ich unterstütze das' in after
    assert "Sie unterstützen dieses Projekt." in after
