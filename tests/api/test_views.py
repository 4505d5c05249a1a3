"""The browser pages for API tokens: create (shown once), list, revoke; the administrator's."""

from __future__ import annotations

import re

import sqlalchemy as sa

from notary.api.models import ApiToken
from notary.api.services import create_token
from notary.core.permissions import Role
from notary.extensions import db
from tests.factories import create_staff


def secret_in(html: str) -> str:
    match = re.search(r"<code>(nt_[A-Za-z0-9_-]+)</code>", html)
    assert match, html[:2000]
    return match.group(1)


def test_a_user_creates_a_token_sees_it_once_and_revokes_it(app, login_as):
    client = login_as(Role.NOTARY)
    created = client.post("/api-tokens/new", data={"name": "报表脚本"})
    assert created.status_code == 200
    secret = secret_in(created.get_data(as_text=True))
    api = app.test_client()  # no session: the token alone
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code \
        == 200
    profile = client.get("/profile").get_data(as_text=True)
    assert "报表脚本" in profile and secret not in profile and secret[:10] in profile
    token = db.session.scalars(sa.select(ApiToken)).one()
    revoked = client.post(f"/api-tokens/{token.id}/revoke")
    assert revoked.status_code == 302
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code \
        == 401


def test_a_user_cannot_revoke_someone_elses_token(app, login_as):
    from notary.api.services import create_token

    owner = create_staff(Role.NOTARY)
    token = create_token(owner, "x", actor=owner).token
    response = login_as(Role.NOTARY).post(f"/api-tokens/{token.id}/revoke")
    assert response.status_code == 403
    db.session.refresh(token)
    assert token.revoked_at is None


def test_an_administrator_lists_and_revokes_a_users_tokens_but_cannot_create_one(app,
                                                                                  login_as):
    director = create_staff(Role.DIRECTOR)
    token = create_token(director, "报表脚本", actor=director).token
    admin = login_as(Role.ADMIN)
    page = admin.get(f"/admin/users/{director.id}").get_data(as_text=True)
    assert "报表脚本" in page and "/api-tokens/new" not in page
    # The only creation route makes a token for whoever is signed in: the administrator's own.
    created = admin.post("/api-tokens/new", data={"name": "冒充", "user_id": str(director.id)})
    assert created.status_code == 200
    assert [t.user_id for t in db.session.scalars(sa.select(ApiToken).where(
        ApiToken.name == "冒充"))] == [admin.user.id]
    assert admin.post(f"/api-tokens/users/{director.id}/new",
                      data={"name": "冒充"}).status_code == 404
    assert admin.post(f"/api-tokens/{token.id}/revoke").status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None


def test_a_token_needs_a_name(app, login_as):
    client = login_as(Role.NOTARY)
    response = client.post("/api-tokens/new", data={"name": ""}, follow_redirects=True)
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0
