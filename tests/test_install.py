"""The lock (requirements/*.txt): complete, agreeing with pyproject.toml, and installed."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def pins(name: str) -> dict[str, tuple[str, int]]:
    """Read a lock file: canonical name -> (version, number of hashes)."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        if m := PIN.match(line):
            current = canonicalize_name(m[1])
            found[current] = (m[2], 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


def declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return ([Requirement(r) for r in project["dependencies"]],
            [Requirement(r) for r in project["optional-dependencies"]["dev"]])


@pytest.mark.parametrize("lock", ["runtime.txt", "dev.txt"])
def test_every_pin_of_the_lock_carries_a_hash(lock: str) -> None:
    locked = pins(lock)
    assert len(locked) > 40
    assert [n for n, (_, hashes) in locked.items() if hashes == 0] == []


def test_every_declared_dependency_is_locked_within_its_range() -> None:
    runtime, dev = declared()
    for lock, reqs in (("runtime.txt", runtime), ("dev.txt", runtime + dev)):
        locked = pins(lock)
        for req in reqs:
            name = canonicalize_name(req.name)
            assert name in locked, f"{req.name} is missing from requirements/{lock}: make lock"
            assert req.specifier.contains(Version(locked[name][0]), prereleases=True), (
                f"requirements/{lock} pins {req.name}=={locked[name][0]} outside {req.specifier}")
    # The project is built with the locked setuptools (pip --no-build-isolation).
    assert "setuptools" in pins("runtime.txt")


def test_the_dev_lock_keeps_every_runtime_version() -> None:
    runtime, dev = pins("runtime.txt"), pins("dev.txt")
    assert {n: v for n, (v, _) in runtime.items()} == {
        n: dev[n][0] for n in runtime if n in dev}
    assert set(runtime) <= set(dev)


def test_what_is_installed_is_what_the_lock_says() -> None:
    wrong = {}
    for name, (version, _) in pins("dev.txt").items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed is None or Version(installed) != Version(version):
            wrong[name] = (version, installed)
    assert wrong == {}, "installed versions differ from requirements/dev.txt: make install-dev"


def run_strict(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_pyhanko_imports_under_warnings_as_errors() -> None:
    done = run_strict("import notary.certificates.signing")
    assert done.returncode == 0, done.stderr


def test_the_dsa_warning_is_ignored_only_while_pyhanko_is_imported() -> None:
    # The locked cryptography deprecates DSA; the ignore around pyHanko's import must not
    # outlive it: DSA read anywhere afterwards still fails.
    assert Version(metadata.version("cryptography")) >= Version("51")
    done = run_strict("import notary.certificates.signing\n"
                      "from cryptography.hazmat.primitives.asymmetric import dsa\n"
                      "dsa.DSAPrivateKey")
    assert done.returncode != 0
    assert "CryptographyDeprecationWarning: DSA is deprecated" in done.stderr


SERVE_FROM_WHEEL = """
import flask_migrate
from notary import create_app
from notary.paths import site_root

app = create_app()
assert str(site_root()).endswith("notary/_site"), site_root()
with app.app_context():
    flask_migrate.upgrade()
page = app.test_client().get("/login", headers={"Accept-Language": "zh-CN"})
text = page.get_data(as_text=True)
assert page.status_code == 200 and "登录" in text and "Sign in" not in text, text[:500]
css = app.test_client().get("/static/css/app.css")
assert css.status_code == 200, css.status_code
print("served")
"""


def test_an_installed_wheel_serves_the_office_in_chinese(tmp_path: Path) -> None:
    """`pip install .` (not editable) carries the compiled catalogs, the templates, the
    static files and the migrations (setup.py's build hook): the sign-in page in Chinese."""
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", str(ROOT), "--no-deps",
                    "--no-build-isolation", "-w", str(tmp_path / "dist")], check=True,
                   cwd=tmp_path, capture_output=True)
    wheel = next((tmp_path / "dist").glob("notary-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert "notary/translations/zh_Hans_CN/LC_MESSAGES/messages.mo" in names
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path / "site"),
           "SECRET_KEY": "wheel-test-only", "HOME": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'office.sqlite3'}"}
    run = subprocess.run([sys.executable, "-c", SERVE_FROM_WHEEL], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "served" in run.stdout, run.stderr[-3000:]
    assert (tmp_path / "instance").is_dir()  # the working folder's, not site-packages'
