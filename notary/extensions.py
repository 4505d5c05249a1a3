"""Flask extensions, created unbound and bound to the app in create_app."""

import hashlib

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from notary.core.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def rate_limit_key() -> str:
    """Requests are counted per API token (by its hash), or per client address without one."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "ip:" + (request.remote_addr or "")


limiter = Limiter(key_func=rate_limit_key)
