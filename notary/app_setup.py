"""The register_* steps of create_app, each binding one concern to the application."""

from __future__ import annotations

import logging
import secrets
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import orm
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from notary.core import page_cache
from notary.core.errors import DomainError, NotFound, NotPermitted
from notary.core.models import utcnow
from notary.core.params import BadParameter, BoundedIntegerConverter, bad_parameters
from notary.extensions import (
    autocommit_engine,
    babel,
    csrf,
    db,
    install_idle_ping,
    limiter,
    login_manager,
    migrate,
)
from notary.paths import PACKAGE, site_root

log = logging.getLogger("notary")


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app and import every model for Alembic."""
    from notary.core.i18n import select_locale, select_timezone

    workers = app.config.get("PG_PARALLEL_WORKERS_PER_QUERY")
    if workers is not None and str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith(
            "postgresql"):
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        connect_args = dict(options.get("connect_args", {}))
        connect_args["options"] = (f"{connect_args.get('options', '')} "
                                   f"-c max_parallel_workers_per_gather={int(workers)}").strip()
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}
    db.init_app(app)
    with app.app_context():
        install_idle_ping(db.engine, float(app.config["DB_PING_AFTER_IDLE_SECONDS"]))
    migrate.init_app(app, db, directory=str(site_root() / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=str(PACKAGE / "translations"))
    login_manager.init_app(app)
    limiter.init_app(app)
    # Only the API is rate-limited: its check runs for the API blueprint alone, not before
    # every page (where it cost a fifth of a cached page's time); see register_blueprints.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the sign-in page explains itself
    login_manager.session_protection = "strong"
    import notary.models  # noqa: F401  (every model, so metadata is complete)

    @login_manager.user_loader
    def load_user(user_id: str) -> Any:
        from notary.auth.services import session_token_hash

        token = session.get("_sid")
        if not token or not (user_id.isascii() and user_id.isdigit() and len(user_id) < 19):
            return None  # every signed-in cookie names its session (auth.services.open_session)
        key = session_token_hash(str(token))
        # The data version is read before anything else of the request (for the page store
        # and what is kept per version, notary/core/page_cache.py), on a connection in
        # autocommit: one round trip, where the request's session would add BEGIN and
        # ROLLBACK around it. While it stands, the
        # session and its user read at that version stand too (page_cache.UserSnapshots):
        # ending a session writes an audit entry, which moves it. Else the open session and
        # its user come with the version in one statement. A stored page needs nothing more.
        # With the page store off every page reads on the request's own connection anyway:
        # the version and the user are read on it too (one connection a request, not two).
        max_age = float(current_app.config["USER_SNAPSHOT_SECONDS"])
        snapshots = page_cache.user_snapshots() if max_age > 0 else None
        found = None
        own = float(current_app.config["PAGE_CACHE_SECONDS"]) <= 0
        with (nullcontext(page_cache.reading_connection()) if own
              else autocommit_engine().connect()) as conn:
            if snapshots is not None and key in snapshots:
                data_version = int(conn.exec_driver_sql(page_cache.VERSION_SQL).scalar() or 0)
                found = snapshots.get(key, data_version, max_age)
            if found is None:
                with orm.Session(bind=conn) as reading:
                    row = reading.execute(_session_user_and_version(),
                                          {"uid": int(user_id), "token_hash": key}).first()
                if row is None:
                    return None  # signed out, signed out everywhere, or never signed in
                found, data_version = (row[0], row[1]), int(row[2] or 0)
                if snapshots is not None:
                    snapshots.put(key, data_version, found)
        g.data_version = data_version
        user, started = found
        limit = timedelta(hours=float(current_app.config["SESSION_MAX_HOURS"]))
        if not user.is_enabled or utcnow() - started > limit:  # the office's clock
            return None
        return db.session.merge(user, load=False)  # the request's own copy, no query


@cache
def _session_user_and_version() -> sa.Select[Any]:
    """The user loader's statement, built once: the open session's user, the session's start
    and the data version."""
    from notary.auth.models import User, UserSession

    return (sa.select(User, UserSession.created_at, page_cache.VERSION.scalar_subquery())
            .join(UserSession, UserSession.user_id == User.id)
            .where(UserSession.token_hash == sa.bindparam("token_hash"),
                   UserSession.ended_at.is_(None), User.id == sa.bindparam("uid")))


def register_blueprints(app: Flask) -> None:
    """Mount each domain's pages."""
    from notary.api import bp as api_bp
    from notary.api import tokens_bp
    from notary.auth import admin_bp as users_bp
    from notary.auth import bp as auth_bp
    from notary.casefile import bp as casefile_bp
    from notary.cases import admin_bp as matters_bp
    from notary.cases import bp as cases_bp
    from notary.certificates import bp as certificates_bp
    from notary.certificates import documents_bp, verify_bp, wording_bp
    from notary.complaints import bp as complaints_bp
    from notary.consultations import bp as consultations_bp
    from notary.consultations import lookup_bp
    from notary.deadlines import bp as deadlines_bp
    from notary.deadlines import calendar_bp
    from notary.fees import bp as fees_bp
    from notary.fees import tariff_bp
    from notary.home import bp as home_bp
    from notary.inheritance import bp as inheritance_bp
    from notary.investigations import bp as investigations_bp
    from notary.ledger import bp as ledger_bp
    from notary.legal_aid import bp as legal_aid_bp
    from notary.parties import bp as parties_bp
    from notary.statistics import bp as statistics_bp

    # Before any rule is added: an id in a path past 64 bits is no record (404), never an
    # overflow in the database driver.
    app.url_map.converters["int"] = BoundedIntegerConverter
    for bp in (auth_bp, users_bp, home_bp, parties_bp, cases_bp, matters_bp, deadlines_bp,
               calendar_bp, fees_bp, tariff_bp, legal_aid_bp, investigations_bp,
               inheritance_bp, consultations_bp, lookup_bp, statistics_bp, ledger_bp,
               certificates_bp, verify_bp, wording_bp, documents_bp, tokens_bp, casefile_bp,
               complaints_bp):
        app.register_blueprint(bp)
    # The API authenticates each request with a bearer token, never with the session cookie,
    # so a forged cross-site request has nothing to ride on: no CSRF token is needed there.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    # Before any API view: verify the bearer token, then count the request against the
    # limit of that token (or of the client address when there is no valid token).
    from notary.api.core import identify_client

    app.before_request_funcs.setdefault("api", [])[:0] = [identify_client,
                                                          limiter._check_request_limit]


def register_error_handlers(app: Flask) -> None:
    """Chinese error pages without stack traces; server errors logged with a reference."""

    from notary.api.core import is_api_request, problem_for

    def render_error(code: int, message: str | None = None) -> tuple[str, int]:
        return render_template("errors/error.html", code=code, message=message), code

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> Any:
        if is_api_request():
            db.session.rollback()  # nothing half-done outlives a refused request
            return problem_for(exc)
        if isinstance(exc, NotFound):
            return render_error(404, exc.message)
        if isinstance(exc, NotPermitted):
            # The role may use the page, but not on this record (an object-level rule): said
            # in a header so the route-table test can tell it from a role refused at the door.
            page, code = render_error(403, exc.message)
            return page, code, {"X-Denied-By": "object-rule"}
        return render_error(409, exc.message)

    @app.errorhandler(BadParameter)
    def bad_parameter(exc: BadParameter) -> Any:
        db.session.rollback()
        if is_api_request():
            from notary.api.core import problem

            return problem(400, _("The request has an invalid parameter."),
                           errors=[{"field": exc.parameter, "message": exc.message}])
        return render_error(400, _("The address has an invalid parameter “%(name)s”: "
                                   "%(message)s", name=exc.parameter, message=exc.message))

    @app.after_request
    def answer_bad_parameters(response: Response) -> Response:
        # A filter form refused a value (notary.core.forms.QueryField): the page was built
        # without it and shows why next to the field; the answer is still a 400. Anything
        # but a page (a PDF, a download) is replaced by the 400 page.
        refused = bad_parameters()
        if not refused or response.status_code >= 300:
            return response
        if response.mimetype == "text/html":
            response.status_code = 400
            return response
        page, code = render_error(400, _("The address has an invalid parameter “%(name)s”: "
                                         "%(message)s", name=refused[0].parameter,
                                         message=refused[0].message))
        return Response(page, code, mimetype="text/html")

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int]:
        return render_error(400, _("The form expired or was sent from elsewhere. Go back, "
                                   "reload the page and send it again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        if exc.code is None or exc.code < 400:
            return exc
        if is_api_request():
            return problem_for(exc)
        return render_error(exc.code)

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> Any:
        from notary.api.core import ApiProblem

        if isinstance(exc, ApiProblem):
            return problem_for(exc)
        reference = secrets.token_hex(4).upper()
        log.exception("server error %s on %s %s", reference, request.method, request.path)
        db.session.rollback()
        if is_api_request():
            return problem_for(exc)
        return render_template("errors/error.html", code=500, reference=reference), 500


def register_request_hooks(app: Flask) -> None:
    """Client address behind proxies, inactivity timeout, security headers on every response."""
    if proxies := int(app.config["TRUSTED_PROXIES"]):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]

    from notary.core.params import check_query_string

    # Every query string, on every page and the API, before any view reads it.
    app.before_request(check_query_string)

    # A read-only view's autocommit connection goes back with its request (page_cache).
    app.teardown_request(lambda exc: page_cache.end_reads_only())

    @app.before_request
    def expire_idle_session() -> Response | None:
        if not current_user.is_authenticated:
            return None
        now = datetime.now(UTC).timestamp()
        last = session.get("last_seen")
        idle = int(current_app.config["SESSION_IDLE_MINUTES"]) * 60
        if last is not None and now - float(last) > idle:
            from notary.auth.services import end_session

            page_cache.end_reads_only()  # ending the session writes
            end_session(session.get("_sid"), reason="idle")
            logout_user()
            session.clear()
            flash(_("You were signed out after a period of inactivity."), "info")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if last is None or now - float(last) >= 60:  # a minute's precision: the cookie is
            session["last_seen"] = now  # re-signed and re-sent only when it moves
        return None

    @app.after_request
    def security_headers(response: Response) -> Response:
        # Swagger UI sets style attributes from script: only its page allows inline styles.
        styles = "'self' 'unsafe-inline'" if request.endpoint == "api.docs" else "'self'"
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self'; style-src {styles}; img-src 'self' data:; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        if current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_commands(app: Flask) -> None:
    """Add the flask command groups."""
    from notary.cli import (
        audit_cli,
        backup_cli,
        demo_cli,
        fees_cli,
        ledger_cli,
        retention_cli,
        stats_cli,
        users_cli,
    )

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(stats_cli)
    app.cli.add_command(ledger_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(fees_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(retention_cli)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals for templates."""
    from notary.core.templating import register

    register(app)
