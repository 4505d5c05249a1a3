"""Build hook: a wheel of notary carries what a checkout keeps beside the package.

`pip install .` (not editable) gets the compiled message catalogs (.mo, build output that a
checkout makes with `make translations`) and the templates, static files and migrations,
copied into the package as `notary/_site/` (see `notary/paths.py`). Everything else is in
pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
SHIPPED = ("templates", "static", "migrations")


class BuildWithSite(build_py):
    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        package = Path(self.build_lib) / "notary"
        for po in sorted((ROOT / "notary" / "translations").glob("*/LC_MESSAGES/*.po")):
            target = package / po.relative_to(ROOT / "notary").with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source, target.open("wb") as out:
                write_mo(out, read_po(source, locale=po.parent.parent.name), use_fuzzy=False)
        for name in SHIPPED:
            shutil.copytree(ROOT / name, package / "_site" / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithSite})
