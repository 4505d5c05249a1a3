"""notary: case management for a Chinese notary office (公证处)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from notary.config import load_config

__all__ = ["create_app"]


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, errors, commands, helpers."""
    import os

    from notary.paths import default_instance, site_root

    root = site_root()
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("NOTARY_INSTANCE_PATH", str(default_instance())),
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    load_config(app, test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # JSON answers in readable UTF-8
    os.makedirs(app.instance_path, exist_ok=True)

    from notary.app_setup import (
        register_blueprints,
        register_commands,
        register_error_handlers,
        register_extensions,
        register_request_hooks,
        register_template_helpers,
    )

    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_commands(app)
    register_template_helpers(app)
    if app.config["GC_FREEZE_AT_START"] and not app.testing:
        import gc

        gc.collect()
        gc.freeze()
    return app
