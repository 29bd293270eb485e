"""The package map in docs/architecture.md, enforced: areas do not import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import projektfabrik

ROOT = Path(projektfabrik.__file__).parent
#: The areas of the core that build pages; each depends on projects/, not on another area.
AREAS = ("marketplace", "teams", "planning", "site", "admin", "strategy", "regions")
#: The allowed edges: the landing page shows the marketplace's newest projects; the
#: region's marketplace uses the marketplace's filters and its open-data document.
ALLOWED = {("site", "marketplace"), ("regions", "marketplace")}
#: What the lower layers must never import (they are below every area).
LOWER = ("projects", "tenancy", "accounts", "notifications", "mail", "audit")


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def package_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("area", AREAS)
def test_an_area_imports_no_other_area(area: str) -> None:
    others = [a for a in AREAS if a != area and (area, a) not in ALLOWED]
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in package_files(area)
        for module in imports_of(path)
        if any(
            module == f"projektfabrik.{o}" or module.startswith(f"projektfabrik.{o}.")
            for o in others
        )
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("package", LOWER)
def test_lower_layers_import_no_area(package: str) -> None:
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in package_files(package)
        for module in imports_of(path)
        if any(module.startswith(f"projektfabrik.{a}") for a in AREAS)
    ]
    assert not wrong, wrong


def test_the_tenancy_package_keeps_only_the_wall_the_town_and_hosts() -> None:
    assert not (ROOT / "tenancy" / "views.py").exists()
