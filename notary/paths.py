"""Where the application's templates, static files and migrations are.

In a checkout (and an editable install) they sit beside the package; a wheel carries them
inside it as `notary/_site/` (copied there by setup.py's build hook).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def site_root() -> Path:
    """The folder holding `templates/`, `static/` and `migrations/`."""
    checkout = PACKAGE.parent
    if (checkout / "templates").is_dir() and (checkout / "migrations").is_dir():
        return checkout
    return PACKAGE / "_site"


def default_instance() -> Path:
    """The instance folder (config, the SQLite database, uploads) unless NOTARY_INSTANCE_PATH
    names one: `instance/` of the checkout, or of the working folder for an installed wheel."""
    root = site_root()
    return (PACKAGE.parent if root != PACKAGE / "_site" else Path.cwd()) / "instance"
