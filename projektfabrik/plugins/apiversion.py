"""The version of the plugin API (``projektfabrik.api``) and whether a plugin fits it.

``API_VERSION`` is ``"MAJOR.MINOR"``. A minor step only adds (new names, hooks,
slots, optional arguments); a major step removes or changes something. A
plugin declares the lowest version it needs (``PluginInfo(api="1.0")``) and
fits a core with the same major version and the same or a higher minor one.
Every change is listed in docs/plugins.md, "Changelog".
"""

from __future__ import annotations

import re

#: The plugin API this core provides.
API_VERSION = "1.2"

#: What a plugin that declares nothing is taken to need: the first versioned API.
ASSUMED_API = "1.0"

_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


def parse(version: str) -> tuple[int, int]:
    """``"1.2"`` -> ``(1, 2)``; ``ValueError`` for anything else."""
    match = _VERSION.match(version) if isinstance(version, str) else None
    if match is None:
        raise ValueError(f"{version!r} is no API version of the form MAJOR.MINOR, e.g. '1.0'")
    return int(match.group(1)), int(match.group(2))


def fits(required: str, provided: str | None = None) -> bool:
    """Whether a plugin that needs ``required`` works with ``provided`` (default: this core)."""
    need_major, need_minor = parse(required)
    have_major, have_minor = parse(API_VERSION if provided is None else provided)
    return need_major == have_major and need_minor <= have_minor
