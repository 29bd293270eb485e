"""Fixtures for the plugin system's tests.

The example plugin (``plugins/example``, name ``pinnwand``) must be installed
in the environment (``pip install -e plugins/example``; dev.py does it): it is
found through its entry point exactly like a third-party plugin. Extra test
plugins are made the same way: a module and a ``*.dist-info`` folder with an
entry point, put on ``sys.path`` for one test.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from projektfabrik.extensions import db
from projektfabrik.plugins.state import apply_plugin_table
from projektfabrik.testing import Town

Switch = Callable[..., None]


@pytest.fixture
def allow() -> Switch:
    """``allow(town, pinnwand=True, other=False, settings={...})``: write the town's
    ``[plugins]`` table as ``tenant sync`` would (True/False: the first switch)."""

    def _allow(
        town: Town, settings: Mapping[str, Mapping[str, Any]] | None = None, **plugins: bool
    ) -> None:
        table = {
            name: {"enabled": on, "settings": dict((settings or {}).get(name, {}))}
            for name, on in plugins.items()
        }
        with town.context():
            apply_plugin_table(table)
            db.session.commit()

    return _allow


def write_plugin(folder: Path, name: str, source: str, version: str = "0.1") -> None:
    """A plugin as pip would leave it: module plus dist-info with the entry point."""
    module = f"pf_test_{name}"
    (folder / f"{module}.py").write_text(textwrap.dedent(source))
    info = folder / f"pf_test_{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: pf-test-{name}\nVersion: {version}\n"
    )
    (info / "entry_points.txt").write_text(f"[projektfabrik.plugins]\n{name} = {module}\n")


@pytest.fixture
def extra_plugins(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Callable[[dict[str, str]], None]:
    """Install test plugins ``{name: module source}`` for this test (before ``app``)."""

    def _install(plugins: dict[str, str]) -> None:
        folder = tmp_path_factory.mktemp("site")
        for name, source in plugins.items():
            write_plugin(folder, name, source)
        monkeypatch.syspath_prepend(str(folder))

    return _install


@pytest.fixture
def plugin_writer() -> Callable[..., None]:
    """``write_plugin(folder, name, source)`` for tests that need the files only."""
    return write_plugin
