"""Small, exact edits of a town's ``tenant.toml`` for the operator console: its host
names, and which plugins it may use. Everything else in the file (comments,
order, the operator's other settings) stays as written; the operator's file
remains the truth, and ``tenant sync`` reads the edit like any other.

No TOML writer rewrites the file (it would drop the comments); these are the
only two kinds of line the console changes, and a test reads the result back
with ``tomllib``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_HOSTS_LINE = re.compile(r"^hosts\s*=\s*\[[^\]]*\]", re.MULTILINE)
_HEADER = re.compile(r"^\s*\[", re.MULTILINE)


def set_hosts(path: Path, hosts: list[str]) -> None:
    """``hosts = [...]`` says these hosts now (the first canonical)."""
    listed = ", ".join(json.dumps(h) for h in hosts)
    content = path.read_text(encoding="utf-8")
    new, found = _HOSTS_LINE.subn(f"hosts = [{listed}]", content, count=1)
    path.write_text(new if found else f"hosts = [{listed}]\n" + content, encoding="utf-8")


def _plugin_table(name: str) -> re.Pattern[str]:
    # [plugins.NAME] and its sub-tables ([plugins.NAME.settings]) up to the next table.
    return re.compile(
        rf"^\[plugins\.{re.escape(name)}(\.[^\]]+)?\][^\n]*\n(?:(?!\s*\[).*\n?)*", re.MULTILINE
    )


def lists_plugin(path: Path, name: str) -> bool:
    return bool(_plugin_table(name).search(path.read_text(encoding="utf-8")))


def list_plugin(path: Path, name: str) -> None:
    """Make the plugin available to the town, switched off until its admin switches it on."""
    if lists_plugin(path, name):
        return
    content = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{content}\n\n[plugins.{name}]\nenabled = false\n", encoding="utf-8")


def unlist_plugin(path: Path, name: str) -> None:
    """The town may no longer use the plugin (its data and switch stay in the database)."""
    content = path.read_text(encoding="utf-8")
    path.write_text(_plugin_table(name).sub("", content), encoding="utf-8")
