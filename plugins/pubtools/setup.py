"""Compiles the plugin's message catalogues into the wheel (the .mo files are not in git).

The .po files are package data (setup.cfg); each gets its .mo beside it in the
build folder, so an installed plugin speaks German without a compile step.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        # Babel is a build requirement (pyproject.toml).
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in Path(self.build_lib).glob("*/translations/*/LC_MESSAGES/messages.po"):
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as out:
                write_mo(out, catalogue)


setup(cmdclass={"build_py": BuildWithCatalogues})
