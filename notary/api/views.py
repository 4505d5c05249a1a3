"""Browser pages for API tokens: create one (its secret shown once) and revoke it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.api import services, tokens_bp
from notary.api.forms import TokenForm
from notary.auth.forms import EmptyForm
from notary.auth.services import get_user
from notary.core.forms import run_service
from notary.core.permissions import login_only


def _back(user_id: int) -> Response:
    if user_id == current_user.id:
        return redirect(url_for("auth.profile"))
    return redirect(url_for("users.edit", user_id=user_id))


@tokens_bp.route("/new", methods=["POST"])
@login_only
def create() -> str | Response:
    """Create a token for the signed-in user (nobody creates one for someone else)."""
    user = get_user(current_user.id)
    form = TokenForm()
    if form.validate_on_submit() and (new := run_service(form, lambda: services.create_token(
            user, form.name.data or "", actor=current_user,
            expires_in_days=form.expires_in_days.data))):
        # Rendered, never redirected or flashed: the secret must not sit in a session cookie.
        return render_template("api/token_created.html", new=new, user=user)
    for messages in form.errors.values():
        for message in messages:
            flash(str(message), "danger")
    return _back(user.id)


@tokens_bp.route("/<int:token_id>/revoke", methods=["POST"])
@login_only
def revoke(token_id: int) -> Response:
    token = services.get_token(token_id)
    if EmptyForm().validate_on_submit():
        services.revoke_token(token, actor=current_user)
        flash(_("The API token %(name)s is revoked.", name=token.name), "success")
    return _back(token.user_id)
