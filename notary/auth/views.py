"""Sign-in, sign-out, own profile, and the administrator's user pages."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from notary.auth import admin_bp, bp, services
from notary.auth.forms import (
    EmptyForm,
    LanguageForm,
    LoginForm,
    PasswordChangeForm,
    PracticeForm,
    UserForm,
)
from notary.auth.models import User
from notary.core.errors import DomainError
from notary.core.forms import run_service
from notary.core.models import office_today
from notary.core.params import reads
from notary.core.permissions import Permission, Role, login_only, permission_required, public
from notary.extensions import db


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site (no open redirect)."""
    # Browsers read "\\" as "/" and drop tabs and newlines, so "/\\evil.example" and
    # "/\t/evil.example" would leave the site: refuse both outright.
    if target and any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return url_for("home.index")
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@reads("next")
@public
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit() and (user := run_service(form, lambda: services.authenticate(
            form.username.data or "", form.password.data or "",
            client_ip=request.remote_addr or "unknown"))):
        next_url = _safe_next(request.args.get("next"))
        session.clear()  # a fresh session at sign-in: no fixation
        login_user(user)
        # The cookie names a session row: ending the row ends the cookie everywhere.
        session["_sid"] = services.open_session(user, client_ip=request.remote_addr)
        # The idle clock (app_setup.expire_idle_session) and a new form token start at
        # sign-in: the sign-in's cookie is whole, and the pages after it do not re-sign and
        # re-send it (until the clock moves a minute on).
        session["last_seen"] = datetime.now(UTC).timestamp()
        # The sign-in form already signed its token for this request (kept in g): dropped,
        # so that generate_csrf puts a new one in the fresh session.
        g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
        generate_csrf()
        session.permanent = True
        return redirect(next_url)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_only
def logout() -> Response:
    form = EmptyForm()
    if form.validate_on_submit():
        token = session.get("_sid")
        logout_user()
        session.clear()
        services.end_session(token)  # a copy of the cookie is refused from now on
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_only
def profile() -> str | Response:
    form = PasswordChangeForm()
    language_form = LanguageForm(locale=current_user.locale)
    if form.validate_on_submit() and run_service(form, lambda: services.change_own_password(
            current_user, form.current_password.data or "", form.new_password.data or "")):
        flash(_("Your password has been changed. Please sign in again."), "success")
        logout_user()  # every session of the user, this one too, ended with the change
        return redirect(url_for("auth.login"))
    return render_template("auth/profile.html", form=form, language_form=language_form,
                           **_token_panel(current_user))


@bp.route("/profile/language", methods=["POST"])
@login_only
def set_language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        services.set_own_locale(current_user, form.locale.data or "zh_Hans_CN")
    return redirect(_safe_next(request.form.get("next")))


@admin_bp.route("/")
@permission_required(Permission.USER_MANAGE)
def index() -> str:
    users = db.session.scalars(sa.select(User).order_by(User.is_enabled.desc(), User.role,
                                                        User.username)).all()
    return render_template("auth/users.html", users=users, form=EmptyForm(),
                           today=office_today(), notary_roles=(Role.NOTARY, Role.DIRECTOR))


@admin_bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def create() -> str | Response:
    form = UserForm()
    if form.validate_on_submit() and (
            user := run_service(form, lambda: services.create_user(form.to_data(),
                                                                   actor=current_user))):
        flash(_("User %(name)s created.", name=user.username), "success")
        return redirect(url_for("users.index"))
    return render_template("auth/user_form.html", form=form, user=None)


@admin_bp.route("/<int:user_id>", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def edit(user_id: int) -> str | Response:
    user = services.get_user(user_id)
    form = UserForm(obj=user, role=user.role.value)
    if form.validate_on_submit() and run_service(
            form, lambda: services.update_user(user, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return redirect(url_for("users.index"))
    return render_template("auth/user_form.html", form=form, user=user,
                           sessions=services.open_sessions_of(user), button_form=EmptyForm(),
                           **_token_panel(user))


@admin_bp.route("/<int:user_id>/sign-out-everywhere", methods=["POST"])
@permission_required(Permission.USER_MANAGE)
def sign_out_everywhere(user_id: int) -> Response:
    user = services.get_user(user_id)
    if EmptyForm().validate_on_submit():
        ended = services.sign_out_everywhere(user, actor=current_user)
        flash(ngettext("%(num)d session of %(name)s ended: every browser must sign in again.",
                       "%(num)d sessions of %(name)s ended: every browser must sign in again.",
                       ended, name=user.full_name), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@admin_bp.route("/<int:user_id>/practice", methods=["GET", "POST"])
@permission_required(Permission.USER_MANAGE)
def practice(user_id: int) -> str | Response:
    user = services.get_user(user_id)
    form = PracticeForm(data={"certificate_number": user.practice_certificate_number,
                              "suspended_from": user.suspended_from,
                              "suspended_until": user.suspended_until,
                              "suspension_reason": user.suspension_reason,
                              "may_approve": user.may_approve})
    if form.validate_on_submit() and run_service(
            form, lambda: services.set_practice(user, form.to_data(), actor=current_user)):
        flash(_("Saved."), "success")
        return redirect(url_for("users.index"))
    return render_template("auth/practice_form.html", form=form, user=user)


def _token_panel(user: User) -> dict[str, object]:
    """What the API-token panel of a profile or user page shows."""
    from notary.api.forms import TokenForm
    from notary.api.services import tokens_of

    return {"tokens": tokens_of(user), "token_form": TokenForm(formdata=None),
            "revoke_form": EmptyForm(formdata=None), "token_user": user}


@admin_bp.route("/<int:user_id>/enabled", methods=["POST"])
@permission_required(Permission.USER_MANAGE)
def toggle_enabled(user_id: int) -> Response:
    user = services.get_user(user_id)
    if EmptyForm().validate_on_submit():
        try:
            services.set_user_enabled(user, not user.is_enabled, actor=current_user)
        except DomainError as exc:
            flash(exc.message, "danger")
    return redirect(url_for("users.index"))
