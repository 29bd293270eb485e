"""Nothing English in the German interface, for the core and every plugin in plugins/.

Each package's message ids are extracted with Babel (its own ``babel.cfg``,
Python and Jinja) and compared with the German catalogue of *that* package:
an id used by a plugin but translated only in the core's catalogue (or the
other way round) counts as missing, because each catalogue ships on its own.
Untranslated and fuzzy entries fail too (a fuzzy entry is not used by gettext).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from projektfabrik.config import REPO_ROOT

KEYWORDS = {
    "_": None,
    "gettext": None,
    "_l": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}


@dataclass(frozen=True)
class Package:
    name: str
    source: Path  # the folder extracted (babel.cfg paths are relative to it)
    config: Path  # babel.cfg
    catalogue: Path  # translations/de/LC_MESSAGES/messages.po

    def __str__(self) -> str:
        return self.name


def packages() -> list[Package]:
    found = [
        Package(
            "projektfabrik",
            REPO_ROOT / "projektfabrik",
            REPO_ROOT / "babel.cfg",
            REPO_ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po",
        )
    ]
    for config in sorted((REPO_ROOT / "plugins").glob("*/babel.cfg")):
        for source in sorted(config.parent.iterdir()):
            po = source / "translations" / "de" / "LC_MESSAGES" / "messages.po"
            if po.is_file():
                found.append(Package(source.name, source, config, po))
    return found


def used_ids(package: Package) -> dict[str, str]:
    """Message id (singular for plurals) -> where it is used first."""
    with open(package.config) as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(package.source), method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        if key:
            found.setdefault(key, f"{filename}:{line}")
    return found


def catalogue(package: Package) -> Catalog:
    with open(package.catalogue, "rb") as po:
        return read_po(po, locale="de")


def test_every_plugin_with_strings_has_a_catalogue() -> None:
    names = {p.name for p in packages()}
    assert {"projektfabrik", "projektfabrik_funding", "projektfabrik_pinnwand"} <= names


@pytest.mark.parametrize("package", packages(), ids=str)
def test_every_id_in_the_code_is_in_its_packages_german_catalogue(package: Package) -> None:
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(package) if m.id}
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in used_ids(package).items()
                     if msgid not in known)  # fmt: skip
    assert not missing, (
        f"message ids missing from {package.catalogue.relative_to(REPO_ROOT)} "
        "(extract and update, see docs/i18n.md):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("package", packages(), ids=str)
def test_no_catalogue_entry_is_untranslated_or_fuzzy(package: Package) -> None:
    bad = []
    for message in catalogue(package):
        if not message.id:
            continue
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:
            bad.append(f"fuzzy: {message.id!r}")
        elif not all(forms):
            bad.append(f"untranslated: {message.id!r}")
    assert not bad, f"{package.catalogue.relative_to(REPO_ROOT)}:\n" + "\n".join(bad)


def test_the_check_notices_a_missing_id(tmp_path: Path) -> None:
    """The extraction really reads templates and Python (a check that finds nothing proves nothing)."""
    source = tmp_path / "pkg"
    (source / "templates").mkdir(parents=True)
    (source / "views.py").write_text('from x import _\n_("Only in Python")\n')
    (source / "templates" / "page.html").write_text('<p>{{ _("Only in a template") }}</p>\n')
    config = tmp_path / "babel.cfg"
    config.write_text("[python: **.py]\n[jinja2: **/templates/**.html]\n")
    ids = used_ids(Package("pkg", source, config, tmp_path / "none.po"))
    assert {"Only in Python", "Only in a template"} <= set(ids)
