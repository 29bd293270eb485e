"""The hooks written once for every plugin (projektfabrik.plugins.package): what they find
and whom the admin link is for."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from projektfabrik.api import NavArea, nav_links, package_hooks, project_tab


def test_package_hooks_find_the_blueprint_migrations_and_translations() -> None:
    blueprints, migrations, translations = package_hooks("projektfabrik_funding.plugin")
    from projektfabrik_funding.views import bp

    assert blueprints() == [bp]
    assert migrations().is_dir() and migrations().parts[-2:] == ("migrations", "versions")
    assert (translations() / "de" / "LC_MESSAGES" / "messages.po").is_file()


def test_package_hooks_refuse_a_module_outside_a_package() -> None:
    with pytest.raises(ValueError):
        package_hooks("plugin")


def _person(authenticated: bool, admin: bool) -> SimpleNamespace:
    return SimpleNamespace(is_authenticated=authenticated, is_admin=admin)


def _links(user: SimpleNamespace, **extra: object) -> list[tuple[str, NavArea]]:
    items = nav_links(
        user,
        order=60,
        label="Öffentlich",
        endpoint="x.index",
        admin_label="Verwaltung",
        admin_endpoint="x.admin",
        **extra,  # type: ignore[arg-type]
    )
    return [(item.endpoint, item.area) for item in items]


def test_the_admin_link_is_for_admins_only() -> None:
    public = [("x.index", NavArea.MAIN)]
    assert _links(_person(False, False)) == public
    assert _links(_person(True, False)) == public
    assert _links(_person(True, True)) == [*public, ("x.admin", NavArea.ADMIN)]


def test_manages_names_who_gets_the_admin_link() -> None:
    clerk = _person(True, False)
    assert _links(clerk, manages=lambda user: user is clerk)[-1] == ("x.admin", NavArea.ADMIN)
    assert len(_links(_person(True, True), manages=lambda user: False)) == 1


def test_project_tab_links_with_the_projects_ref() -> None:
    project = SimpleNamespace(ref="7")
    (tab,) = project_tab(project, key="k", label="Tab", endpoint="x.tab", order=5)
    assert tab.values == {"project_ref": "7"} and tab.order == 5
    (tab,) = project_tab(project, key="k", label="Tab", endpoint="x.tab", order=5, param="ref")
    assert tab.values == {"ref": "7"}
