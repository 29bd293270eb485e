"""The marketplace list and the bell's count from the worker's memory
(workercache.town_result, workercache.person_value): never another town's list,
never another person's count, and a change shows on the next request."""

from __future__ import annotations

import re
from typing import Any

from projektfabrik import workercache
from projektfabrik.accounts.models import User
from projektfabrik.extensions import db
from projektfabrik.notifications import services as notifications
from projektfabrik.notifications.models import Notification
from projektfabrik.testing import Town, page_text, signed_in
from tests.workercachekit import publish, same_version


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="project-card-title"><a [^>]*>([^<]*)</a>', html)


def _found(html: str) -> str:
    match = re.search(r'<p class="result-count" role="status">([^<]*)</p>', html)
    assert match is not None
    return match.group(1)


def _bell(html: str) -> str:
    match = re.search(r'class="bell"[^>]*>[^<]*(?:<span class="count">(\d+))?', html)
    assert match is not None
    return match.group(1) or "0"


# --- the list --------------------------------------------------------------------


def test_a_kept_list_sends_no_statement_for_count_page_or_teams(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    author, client = signed_in(town_a)
    for title in ("Eins", "Zwei", "Drei"):
        publish(town_a, author, title)
    first = page_text(client)
    assert workercache.stats()["results"] >= 1
    with count_queries() as counter:
        again = page_text(client)
    assert again.count('class="project-card"') == 3
    assert _titles(again) == _titles(first) == ["Drei", "Zwei", "Eins"]
    project_statements = [s for s in counter.statements if "project" in s.lower()]
    assert project_statements == [], project_statements
    # What is left: the town, the person, and nothing per card or per list.
    assert len(counter.statements) <= 3, counter.statements


def test_the_query_count_does_not_grow_with_the_cards(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Eins")
    page_text(client)
    with count_queries() as one:
        page_text(client)
    for n in range(5):
        publish(town_a, author, f"Mehr {n}")
    page_text(client)
    with count_queries() as six:
        assert page_text(client).count('class="project-card"') == 6
    assert len(six.statements) == len(one.statements)


def test_a_new_project_shows_on_the_next_request(town_a: Town) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Eins")
    assert _found(page_text(client)) == "1 Projekt gefunden"
    publish(town_a, author, "Zwei")
    page = page_text(client)
    assert _found(page) == "2 Projekte gefunden"
    assert _titles(page) == ["Zwei", "Eins"]


def test_a_team_change_shows_in_the_card_on_the_next_request(town_a: Town) -> None:
    author, client = signed_in(town_a)
    project = publish(town_a, author, "Garten")
    assert "1 Person im Team" in page_text(client)
    helper = town_a.user()
    with town_a.context():
        from projektfabrik.projects.models import Membership

        db.session.add(Membership(project_id=project.id, user_id=helper.id))
        db.session.commit()
    assert "2 Personen im Team" in page_text(client)


def test_town_b_never_gets_town_a_s_list(town_a: Town, town_b: Town) -> None:
    # The same filters (none) and the same page in both towns: only the town
    # in the key keeps the lists apart.
    author_a, client_a = signed_in(town_a)
    author_b, client_b = signed_in(town_b)
    publish(town_a, author_a, "Garten in A")
    publish(town_a, author_a, "Bank in A")
    publish(town_b, author_b, "Brunnen in B")
    same_version(town_a, town_b)
    assert _titles(page_text(client_a)) == ["Bank in A", "Garten in A"]
    page_b = page_text(client_b)
    assert _titles(page_b) == ["Brunnen in B"] and _found(page_b) == "1 Projekt gefunden"
    assert _titles(page_text(town_b.client())) == ["Brunnen in B"]  # a visitor of B neither


def test_my_skills_list_is_never_another_person_s(town_a: Town) -> None:
    author, _client = signed_in(town_a)
    publish(town_a, author, "Holzbank", skills="Holzbau")
    publish(town_a, author, "Webseite", skills="Webdesign")
    carpenter, carpenter_client = signed_in(town_a)
    designer, designer_client = signed_in(town_a)
    with town_a.context():
        for person, skills in ((carpenter, "Holzbau"), (designer, "Webdesign")):
            found = db.session.get(User, person.id)
            assert found is not None
            found.skills = skills
        db.session.commit()
    mine = "/projekte?fuer-mich=1"
    assert _titles(page_text(carpenter_client, mine)) == ["Holzbank"]
    assert _titles(page_text(designer_client, mine)) == ["Webseite"]
    assert _titles(page_text(carpenter_client, mine)) == ["Holzbank"]


def test_filters_and_pages_each_get_their_own_list(town_a: Town) -> None:
    author, client = signed_in(town_a)
    publish(town_a, author, "Holzbank", skills="Holzbau")
    publish(town_a, author, "Webseite")
    assert _titles(page_text(client, "/projekte?sucht=1")) == ["Holzbank"]
    assert _titles(page_text(client)) == ["Webseite", "Holzbank"]
    assert _titles(page_text(client, "/projekte?suche=Webseite")) == ["Webseite"]
    assert _titles(page_text(client, "/projekte?suche=Holzbank")) == ["Holzbank"]


def test_a_list_kept_in_one_language_shows_in_the_other(town_a: Town) -> None:
    # The list keeps ids and numbers only; the words come from the language.
    author, client = signed_in(town_a)
    publish(town_a, author, "Garten")
    assert _found(page_text(client)) == "1 Projekt gefunden"
    english = town_a.client()
    english.set_cookie("sprache", "en", domain=town_a.host)
    assert _found(page_text(english)) == "1 project found"


def test_a_kept_list_whose_cards_were_dropped_reads_its_rows_once(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    author, client = signed_in(town_a)
    for title in ("Eins", "Zwei"):
        publish(town_a, author, title)
    page_text(client)
    cache = client.application.extensions[workercache.EXTENSION]
    cache.fragments = workercache.Lru(10, 10**6, 300)  # the cards are gone, the list is kept
    with count_queries() as counter:
        page = page_text(client)
    assert _titles(page) == ["Zwei", "Eins"]
    assert len([s for s in counter.statements if "FROM project" in s]) == 1


# --- the bell ------------------------------------------------------------------------


def _notify(town: Town, person: User, text: str = "Neu", times: int = 1) -> None:
    with town.request_context():
        found = db.session.get(User, person.id)
        assert found is not None
        for _n in range(times):
            notifications.notify([found], "comment", lambda: text, "/projekte")
        db.session.commit()


def test_the_bell_count_is_each_person_s_own(town_a: Town) -> None:
    anna, anna_client = signed_in(town_a)
    ben, ben_client = signed_in(town_a)
    # Two in one commit: Anna's version is 1, as Ben's will be after one.
    _notify(town_a, anna, times=2)
    assert _bell(page_text(anna_client)) == "2"
    assert _bell(page_text(ben_client)) == "0"
    assert _bell(page_text(anna_client)) == "2"
    _notify(town_a, ben)
    assert _bell(page_text(ben_client)) == "1"  # a new one shows at once
    assert _bell(page_text(anna_client)) == "2"
    assert _bell(page_text(ben_client)) == "1"


def test_the_bell_count_is_kept_and_ends_with_the_person_s_version(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    anna, client = signed_in(town_a)
    _notify(town_a, anna)
    assert _bell(page_text(client)) == "1"
    with count_queries() as counter:
        assert _bell(page_text(client)) == "1"
    assert not any("FROM notification" in s for s in counter.statements)
    # Reading them (a bulk statement naming the person) ends the kept count.
    assert client.post("/benachrichtigungen/gelesen").status_code in (302, 303)
    assert _bell(page_text(client)) == "0"


def test_a_bulk_change_that_names_nobody_ends_every_count_of_the_town(
    town_a: Town, town_b: Town
) -> None:
    from sqlalchemy import update

    anna, client = signed_in(town_a)
    _notify(town_a, anna)
    assert _bell(page_text(client)) == "1"
    with town_a.context():
        db.session.execute(update(Notification).values(read_at=db.func.now()))
        db.session.commit()
    assert _bell(page_text(client)) == "0"


def test_the_bell_of_another_town_is_never_shown(town_a: Town, town_b: Town) -> None:
    anna, client_a = signed_in(town_a)
    bert, client_b = signed_in(town_b)
    _notify(town_a, anna, times=2)
    assert _bell(page_text(client_a)) == "2"
    assert _bell(page_text(client_b)) == "0"
    _notify(town_b, bert)
    assert _bell(page_text(client_b)) == "1"
    assert _bell(page_text(client_a)) == "2"


def test_a_notification_does_not_end_the_town_s_kept_pages(town_a: Town) -> None:
    # The bell has its own version: a notification must not raise the town's,
    # which would end every kept card and page of the town.
    anna, _client = signed_in(town_a)
    with town_a.context():
        from projektfabrik.tenancy.models import Tenant

        before = db.session.get(Tenant, town_a.tenant.id)
        assert before is not None
        version = before.content_version
    _notify(town_a, anna)
    with town_a.context():
        after = db.session.get(Tenant, town_a.tenant.id)
        assert after is not None
        assert after.content_version == version
        person = db.session.get(User, anna.id)
        assert person is not None and person.notifications_version >= 1


def test_a_request_with_its_own_new_notification_counts_afresh(town_a: Town) -> None:
    anna = town_a.user()
    with town_a.request_context():
        person = db.session.get(User, anna.id)
        assert person is not None
        assert notifications.unread_count(person) == 0
        assert notifications.unread_count(person) == 0  # kept
        notifications.notify([person], "comment", lambda: "x", "/")
        db.session.flush()
        assert notifications.unread_count(person) == 1  # its own change, not the kept 0
        db.session.rollback()
        person = db.session.get(User, anna.id)
        assert person is not None
        assert notifications.unread_count(person) == 0


# --- the strategy goals in the marketplace's filter -----------------------------------


def _new_goal(town: Town, title: str) -> None:
    from projektfabrik.strategy import services as strategy

    with town.request_context():
        strategy.save_goal(None, title=title, summary="", source_url="", group=None, actor=None)
        db.session.commit()


def test_the_goal_filter_is_kept_per_town_and_a_new_goal_shows_at_once(
    town_a: Town,
    town_b: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    _person, client_a = signed_in(town_a)
    _other, client_b = signed_in(town_b)
    _new_goal(town_a, "Klimaschutz in A")
    same_version(town_a, town_b)
    assert "Klimaschutz in A" in page_text(client_a)
    assert "Klimaschutz in A" not in page_text(client_b)
    with count_queries() as counter:
        page_text(client_a)
    assert not any("FROM goal" in s for s in counter.statements)
    _new_goal(town_a, "Mobilität in A")
    page = page_text(client_a)
    assert "Klimaschutz in A" in page and "Mobilität in A" in page


# --- the team on the project page ------------------------------------------------------


def test_the_project_page_asks_nothing_more_about_the_team(
    town_a: Town,
    count_queries,  # type: ignore[no-untyped-def]
) -> None:
    # The page loads the team with the project; whether the person is in it
    # comes from that list, not from a statement of its own.
    author, client = signed_in(town_a)
    publish(town_a, author, "Garten")
    page_text(client, "/projekte/1")
    with count_queries() as counter:
        page = page_text(client, "/projekte/1")
    assert "/projekte/1/bearbeiten" in page
    asked = [s for s in counter.statements if "membership.user_id =" in s]
    assert asked == [], asked
    stranger, stranger_client = signed_in(town_a)
    assert "/projekte/1/bearbeiten" not in page_text(stranger_client, "/projekte/1")


def test_a_member_added_in_the_same_request_counts_at_once(town_a: Town) -> None:
    from projektfabrik.projects import access
    from projektfabrik.projects.models import Membership

    author = town_a.user()
    project = publish(town_a, author, "Garten")
    newcomer = town_a.user()
    with town_a.request_context():
        found = access.find_project_for_page(project.number)
        assert found is not None
        person = db.session.get(User, newcomer.id)
        assert not access.is_member(found, person)  # from the loaded team
        db.session.add(Membership(project_id=found.id, user_id=newcomer.id))
        db.session.flush()
        assert access.is_member(found, person)  # the loaded team is behind: asked again
        db.session.rollback()


# --- translations ----------------------------------------------------------------------


def test_a_changed_catalogue_is_read_again_after_the_check_interval(
    town_a: Town, tmp_path: Any, monkeypatch: Any
) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po
    from flask_babel import gettext, refresh

    from projektfabrik.plugins import i18n

    def write(text: str) -> None:
        catalog = Catalog(locale="de")
        catalog.add("Only in the test", text)
        target = tmp_path / "de" / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        with open(target / "messages.po", "wb") as out:
            write_po(out, catalog)

    write("Erste Fassung")
    domain = i18n.MergedDomain([], [tmp_path])
    # A fresh app context each time, as each request has (g is per app context).
    with town_a.app.app_context(), town_a.request_context():
        domain.as_default()
        refresh()
        assert gettext("Only in the test") == "Erste Fassung"
    write("Zweite Fassung")
    import os

    os.utime(tmp_path / "de" / "LC_MESSAGES" / "messages.po", (1e10, 1e10))
    with town_a.app.app_context(), town_a.request_context():
        domain.as_default()
        refresh()
        # Within the interval the worker does not look at the files again.
        assert gettext("Only in the test") == "Erste Fassung"
    monkeypatch.setattr(i18n, "CHECK_SECONDS", 0.0)
    with town_a.app.app_context(), town_a.request_context():
        domain.as_default()
        refresh()
        assert gettext("Only in the test") == "Zweite Fassung"


def test_kept_lists_stay_within_their_budget() -> None:
    lru = workercache.Lru(max_entries=10**6, max_bytes=10_000, seconds=300)
    for n in range(100):
        lru.set(("list", n), n, 1_000)
    assert len(lru) == 10  # the oldest went first
    assert lru.get(("list", 99)) == 99 and lru.get(("list", 0)) is None
