"""/verwaltung/ links every admin page, and every admin page has the one breadcrumb
trail back to it (issue #22)."""

from __future__ import annotations

import re

from projektfabrik.accounts.models import Role
from projektfabrik.testing import Town, login, use_plugin

#: Every admin page of the core and the repository's plugins, as linked from /verwaltung/.
ADMIN_PAGES = {
    "/verwaltung/module": "Module",
    "/verwaltung/kategorien": "Kategorien",
    "/verwaltung/ortsteile": "Ortsteile",
    "/moderation": "Moderation",
    "/foerderung/verwaltung/": "Fördertöpfe und Anträge",
    "/verwaltung/erscheinungsbild": "Erscheinungsbild und Kontakt",
    "/verwaltung/rechtstexte": "Rechtstexte",
    "/verwaltung/personen": "Personen und Rollen",
    "/verwaltung/protokoll": "Protokoll",
    "/verwaltung/statistik": "Statistik",
}


def _crumbs(html: str) -> list[str]:
    nav = re.search(r'<nav class="breadcrumbs" aria-label="[^"]+">(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumbs"
    return [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li[^>]*>(.*?)</li>", nav.group(1), re.S)
    ]


def _admin(town: Town):  # type: ignore[no-untyped-def]
    town.user("admin@example.org", role=Role.ADMIN, name="Anna Admin")
    client = town.client()
    login(client, "admin@example.org")
    return client


def test_the_overview_links_every_admin_page_and_each_leads_back(town_a: Town) -> None:
    use_plugin(town_a, "funding")
    client = _admin(town_a)
    overview = client.get("/verwaltung/").get_data(as_text=True)
    assert _crumbs(overview) == ["Verwaltung"]
    for path, title in ADMIN_PAGES.items():
        assert f'href="{path}"' in overview, path
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        assert _crumbs(html)[0] == "Verwaltung" and _crumbs(html)[-1] == title, path
        assert '<li><a href="/verwaltung/">Verwaltung</a></li>' in html, path
    new_pot = client.get("/foerderung/verwaltung/neu").get_data(as_text=True)
    assert _crumbs(new_pot) == ["Verwaltung", "Fördertöpfe und Anträge", "Neuer Fördertopf"]


def test_a_switched_off_module_is_not_linked(town_a: Town) -> None:
    client = _admin(town_a)
    overview = client.get("/verwaltung/").get_data(as_text=True)
    assert "/foerderung/" not in overview and 'href="/moderation"' in overview


def test_a_moderator_gets_no_link_to_the_admin_overview(town_a: Town) -> None:
    town_a.user("mod@example.org", role=Role.MODERATOR)
    client = town_a.client()
    login(client, "mod@example.org")
    html = client.get("/moderation").get_data(as_text=True)
    assert _crumbs(html) == ["Moderation"] and 'href="/verwaltung/"' not in html


def test_another_towns_modules_are_not_linked(town_a: Town, town_b: Town) -> None:
    use_plugin(town_a, "funding")  # on in town A only
    assert 'href="/foerderung/verwaltung/"' in _admin(town_a).get("/verwaltung/").get_data(
        as_text=True
    )
    overview_b = _admin(town_b).get("/verwaltung/").get_data(as_text=True)
    assert "/foerderung/" not in overview_b
    assert _admin_b_gets_404(town_b)


def _admin_b_gets_404(town_b: Town) -> bool:
    client = town_b.client()
    login(client, "admin@example.org")
    return client.get("/foerderung/verwaltung/").status_code == 404
