"""The core's browser fixtures (Chromium, live server, axe-core checks), reused here.

tests/browser/conftest.py is not an importable module, so it is loaded from
its path and its fixtures are re-exported for this folder.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[4] / "tests" / "browser" / "conftest.py"
_spec = importlib.util.spec_from_file_location("projektfabrik_browser_fixtures", _PATH)
assert _spec is not None and _spec.loader is not None
_core = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _core  # dataclasses look their module up there
_spec.loader.exec_module(_core)

app_config = _core.app_config
live_server = _core.live_server
town_a = _core.town_a
town_b = _core.town_b
browser = _core.browser
page = _core.page
check_page = _core.check_page
