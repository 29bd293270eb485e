"""The plugin API is versioned: a plugin written for another API stops the start."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from projektfabrik import api
from projektfabrik.app import create_app
from projektfabrik.plugins import PluginError
from projektfabrik.plugins.apiversion import fits, parse
from projektfabrik.plugins.manager import PluginManager, get_manager

DECLARES = """
from projektfabrik.api import PluginInfo, hookimpl

@hookimpl
def pf_plugin_info():
    return PluginInfo(title="Versioned", api={api!r})
"""

SILENT = """
from projektfabrik.api import hookimpl

@hookimpl
def pf_nav_items(user):
    return []
"""


def test_the_version_is_major_dot_minor() -> None:
    assert parse(api.API_VERSION) == (1, 2)
    assert api.API_VERSION == "1.2"


@pytest.mark.parametrize(
    ("required", "provided", "expected"),
    [
        ("1.0", "1.0", True),
        ("1.0", "1.3", True),  # minor steps only add
        ("1.2", "1.3", True),
        ("1.4", "1.3", False),  # needs something this core does not have yet
        ("2.0", "1.3", False),  # made for a later major version
        ("1.0", "2.0", False),  # made for an earlier major version
    ],
)
def test_same_major_and_at_least_the_minor_fits(
    required: str, provided: str, expected: bool
) -> None:
    assert fits(required, provided) is expected


@pytest.mark.parametrize("bad", ["1", "1.0.0", "v1.0", "01.0", "", "1.x"])
def test_a_malformed_version_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="MAJOR.MINOR"):
        parse(bad)


def test_a_plugin_that_fits_starts(app_config: dict[str, Any], extra_plugins: Any) -> None:
    extra_plugins({"versioned": DECLARES.format(api=api.API_VERSION)})
    app = create_app(app_config)
    assert get_manager(app).records["versioned"].info.api == api.API_VERSION


@pytest.mark.parametrize("required", ["2.0", "1.99", "0.9"])
def test_a_plugin_that_does_not_fit_stops_the_start_naming_both_versions(
    required: str, app_config: dict[str, Any], extra_plugins: Any
) -> None:
    # A module name per case: an imported plugin module stays in sys.modules.
    name = "needs_" + required.replace(".", "_")
    extra_plugins({name: DECLARES.format(api=required)})
    with pytest.raises(PluginError) as refused:
        create_app(app_config)
    message = str(refused.value)
    assert f"plugin {name!r} (pf-test-{name} 0.1)" in message
    assert f"needs plugin API {required}" in message
    assert f"provides plugin API {api.API_VERSION}" in message


def test_a_malformed_declaration_stops_the_start(
    app_config: dict[str, Any], extra_plugins: Any
) -> None:
    extra_plugins({"malformed": DECLARES.format(api="1")})
    with pytest.raises(PluginError, match=r"plugin 'malformed': PluginInfo\(api=...\)"):
        create_app(app_config)


def test_a_plugin_without_declaration_is_taken_to_need_1_0_and_warned_about(
    app_config: dict[str, Any], extra_plugins: Any, caplog: pytest.LogCaptureFixture
) -> None:
    extra_plugins({"silent": SILENT})
    with caplog.at_level(logging.WARNING, logger="projektfabrik.plugins"):
        create_app(app_config)
    assert any(
        "plugin silent declares no plugin API version" in r.getMessage() and "1.0" in r.getMessage()
        for r in caplog.records
    )


def test_a_plugin_without_declaration_is_refused_once_the_major_version_moves_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Silent:
        """A plugin with no pf_plugin_info at all."""

    monkeypatch.setattr("projektfabrik.plugins.apiversion.API_VERSION", "2.0")
    manager = PluginManager()
    record = manager.register("silent_old", Silent(), version="0.3", distribution="pf-silent")
    with pytest.raises(
        PluginError, match=r"plugin 'silent_old' \(pf-silent 0.3\) needs plugin API 1.0"
    ):
        manager._read_info(record)


def test_the_repositorys_plugins_declare_the_current_api(app_config: dict[str, Any]) -> None:
    app = create_app(app_config)
    records = get_manager(app).records
    for name in ("pinnwand", "funding"):
        assert records[name].info.api == api.API_VERSION, name
