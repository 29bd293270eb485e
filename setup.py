"""Build steps the declarative setup.cfg cannot express.

A wheel must hold everything an installed site needs (deploy/README.md, step 2,
"install from wheels"), but two things live beside the package in the
repository, where the developer's tools expect them: the message catalogues
(``translations/``, whose compiled ``.mo`` files are not in git) and the demo
towns' folders (``tenants/``). Building copies them into the package:
``projektfabrik/translations/`` (compiled with Babel here) and
``projektfabrik/demo_tenants/``. ``projektfabrik/config.py`` looks there when
the folders beside the package are missing, i.e. in an installed copy.

Compiled, because every worker would otherwise compile the core's large
catalogue in memory at its start (plugins/i18n.py can, and does for the
plugins' small ones, which their wheels carry as ``.po``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithCataloguesAndDemo(build_py):
    def run(self) -> None:
        super().run()
        # Imported here: Babel is a build requirement (pyproject.toml), not of setup.py's
        # other commands.
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        package = Path(self.build_lib) / "projektfabrik"
        for po in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
            target = package / "translations" / po.relative_to(ROOT / "translations")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parent.parent.name)
            with target.with_suffix(".mo").open("wb") as out:
                write_mo(out, catalogue)
        demo = package / "demo_tenants"
        shutil.rmtree(demo, ignore_errors=True)
        shutil.copytree(ROOT / "tenants", demo)


setup(cmdclass={"build_py": BuildWithCataloguesAndDemo})
