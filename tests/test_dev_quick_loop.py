"""``python3 dev.py test ARGS`` (the quick loop) leaves out slow and browser tests
unless the arguments choose for themselves; the full run selects nothing away."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest

from projektfabrik.config import REPO_ROOT


@pytest.fixture(scope="module")
def dev() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("dev_script", REPO_ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dev_script"] = module  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("dev_script", None)


@pytest.mark.parametrize(
    "args",
    [["tests/test_smoke.py", "-x"], ["-k", "login"], ["tests/plugins", "-q", "--maxfail=2"]],
)
def test_the_quick_loop_leaves_out_slow_and_browser_tests(dev: ModuleType, args: list[str]) -> None:
    assert dev.quick_loop_selection(args) == ["-m", "not slow and not browser"]


@pytest.mark.parametrize(
    "args",
    [
        ["-m", "slow"],
        ["-mslow"],
        ["tests/plugins", "-m", "slow or not slow"],
        ["tests/browser", "-x"],
        ["plugins/funding/tests/browser"],
    ],
)
def test_arguments_that_choose_decide_alone(dev: ModuleType, args: list[str]) -> None:
    assert dev.quick_loop_selection(args) == []


def test_the_marker_is_registered() -> None:
    setup = (REPO_ROOT / "setup.cfg").read_text(encoding="utf-8")
    assert "    slow:" in setup and "    browser:" in setup
