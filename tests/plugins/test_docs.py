"""docs/plugins.md cannot drift from the code: every hook and API name is documented."""

from __future__ import annotations

import inspect
import re

from projektfabrik import api
from projektfabrik.config import REPO_ROOT
from projektfabrik.plugins import hookspecs
from projektfabrik.plugins.manager import iter_hooks
from projektfabrik.plugins.types import Slot

DOC = (REPO_ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
HOOK_HEADING = re.compile(r"^#### `(pf_\w+)\(([^)]*)\)`$", re.MULTILINE)


def _documented() -> dict[str, list[str]]:
    return {
        name: [arg.strip() for arg in args.split(",") if arg.strip()]
        for name, args in HOOK_HEADING.findall(DOC)
    }


def test_every_hookspec_is_documented_with_its_signature() -> None:
    specs = {
        name: list(inspect.signature(getattr(hookspecs, name)).parameters) for name in iter_hooks()
    }
    documented = _documented()
    missing = sorted(set(specs) - set(documented))
    assert not missing, f"hookspecs without a section in docs/plugins.md: {missing}"
    unknown = sorted(set(documented) - set(specs))
    assert not unknown, f"docs/plugins.md documents hooks that do not exist: {unknown}"
    wrong = {n: (documented[n], specs[n]) for n in specs if documented[n] != specs[n]}
    assert not wrong, f"documented arguments differ from the hookspecs: {wrong}"


def test_hooks_are_documented_under_their_kind() -> None:
    assembly, request = DOC.split("### App assembly", 1)[1].split("### Request time", 1)
    assert set(hookspecs.ASSEMBLY_HOOKS) | set(hookspecs.REQUEST_HOOKS) == set(iter_hooks())
    for name in hookspecs.ASSEMBLY_HOOKS:
        assert f"#### `{name}(" in assembly, name
    for name in hookspecs.REQUEST_HOOKS:
        assert f"#### `{name}(" in request, name


def test_every_api_name_and_slot_is_documented() -> None:
    missing = [name for name in api.__all__ if f"`{name}`" not in DOC]
    assert not missing, f"names of projektfabrik.api missing in docs/plugins.md: {missing}"
    for slot in Slot:
        assert f"`Slot.{slot.name}` | `{slot.value}`" in DOC, slot
