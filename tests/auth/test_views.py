"""Sign-in, sign-out, session handling, the administrator's user pages, language, headers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from markupsafe import escape

from notary.auth.models import User
from notary.core.audit import AuditEntry
from notary.core.permissions import Role
from notary.extensions import db
from tests.factories import PASSWORD, create_staff


def says(html: str, msgid: str, **params: object) -> bool:
    """Whether the page shows the message, in English or in its Chinese translation."""
    english = msgid % params if params else msgid
    with force_locale("zh_Hans_CN"):
        chinese = gettext(msgid, **params)
    return any(str(escape(m)) in html for m in (english, chinese))


def field_errors(html: str, name: str) -> list[str]:
    """The error messages the form macro renders next to the named field."""
    return re.findall(rf'<div class="invalid-feedback d-block" data-field-error="{name}">'
                      r"(.*?)</div>", html, flags=re.S)


def input_value(html: str, name: str) -> str | None:
    """The value attribute of the named <input>, or None if it has none."""
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html)
    assert tag, f"no input named {name}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group())
    return value.group(1) if value else None


def sign_in(client, username: str, password: str = PASSWORD, next_url: str | None = None):
    query = {"next": next_url} if next_url is not None else None
    return client.post("/login", query_string=query,
                       data={"username": username, "password": password})


# --- sign-in ------------------------------------------------------------------------------


def test_sign_in_page_renders_a_form(client):
    response = client.get("/login")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'<form method="post"', html)
    assert re.search(r'<input[^>]*name="username"[^>]*type="text"', html)
    assert re.search(r'<input[^>]*name="password"[^>]*type="password"', html)


def test_sign_in_redirects_home_and_records_it(app, client):
    user = create_staff(Role.FRONT_DESK)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert db.session.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.target_type == "users", AuditEntry.target_id == user.id)
        .order_by(AuditEntry.id.desc())) == "user.login"


def test_wrong_password_shows_the_form_again(app, client):
    user = create_staff(Role.FRONT_DESK)
    response = sign_in(client, user.username, "Wrong-Horse-42")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert says(html, "Wrong user name or password. After %(n)d failed attempts in a row an "
                "account is locked for %(minutes)d minutes.", n=5, minutes=15)
    assert input_value(html, "username") == user.username
    assert input_value(html, "password") in (None, "")  # never echoed back
    assert client.get("/").status_code == 302


def test_locked_account_is_refused_with_a_message(app, client):
    user = create_staff(Role.FRONT_DESK)
    for _attempt in range(5):
        sign_in(client, user.username, "Wrong-Horse-42")
    response = sign_in(client, user.username)
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.locked_until is not None
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("next_url", ["/cases/", "/parties/?q=%E5%BC%A0", "/profile"])
def test_sign_in_follows_a_local_next(app, client, next_url):
    user = create_staff(Role.FRONT_DESK)
    response = sign_in(client, user.username, next_url=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == next_url


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",  # browsers read a backslash as a slash: //evil.example
        "\\\\evil.example/",
        "/\t/evil.example/",  # browsers drop tabs and newlines: //evil.example
        "/\n/evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "",
    ],
)
def test_sign_in_refuses_an_open_redirect(app, client, next_url):
    user = create_staff(Role.FRONT_DESK)
    response = sign_in(client, user.username, next_url=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signed_in_user_visiting_login_goes_home(login_as):
    client = login_as(Role.NOTARY)
    response = client.get("/login")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_sign_in_starts_a_new_session(app, client):
    user = create_staff(Role.FRONT_DESK)
    with client.session_transaction() as s:
        s["planted"] = "by-an-attacker"
    sign_in(client, user.username)
    with client.session_transaction() as s:
        assert "planted" not in s
        assert s["_user_id"] == user.get_id()


def test_session_cookie_is_httponly_and_samesite_lax(app, client):
    user = create_staff(Role.FRONT_DESK)
    response = sign_in(client, user.username)
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies
    attributes = {a.strip().split("=")[0].lower(): a.strip() for a in cookies[0].split(";")[1:]}
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=lax"


# --- sign-out and session end ---------------------------------------------------------------


def test_sign_out_is_post_only(login_as):
    client = login_as(Role.FRONT_DESK)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200  # still signed in
    response = client.post("/logout")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(("idle_minutes", "signed_in"), [(29, True), (31, False)])
def test_session_expires_after_idle_minutes(app, login_as, idle_minutes, signed_in):
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    client = login_as(Role.FRONT_DESK)
    assert client.get("/parties/").status_code == 200
    with client.session_transaction() as s:
        assert "last_seen" in s
        s["last_seen"] = (datetime.now(UTC) - timedelta(minutes=idle_minutes)).timestamp()
    response = client.get("/parties/")
    if signed_in:
        assert response.status_code == 200
        return
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/parties/"]
    assert client.get("/").status_code == 302  # the session is gone, not just this request


@pytest.mark.parametrize("csrf", [False, True], ids=["form-token-off", "form-token-on"])
def test_the_idle_clock_starts_at_sign_in(app, make_user, csrf):
    """The sign-in's cookie already holds the idle clock and a new form token: the pages
    after it send no new cookie until a minute has passed (a page that re-signs the cookie
    costs a tenth more). With form tokens on, as deployed, the sign-in form's own token was
    signed during the request: the new session still gets a token of its own."""
    app.config["WTF_CSRF_ENABLED"] = csrf
    user = make_user(Role.NOTARY)
    client = app.test_client()
    data = {"username": user.username, "password": PASSWORD}
    if csrf:
        page = client.get("/login").get_data(as_text=True)
        data["csrf_token"] = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        with client.session_transaction() as s:
            form_token = s["csrf_token"]
    before = datetime.now(UTC).timestamp()
    response = client.post("/login", data=data)
    assert response.status_code == 302
    with client.session_transaction() as s:
        assert before <= s["last_seen"] <= datetime.now(UTC).timestamp()
        assert s.get("csrf_token")
        if csrf:
            assert s["csrf_token"] != form_token  # a new token for the signed-in session
    for path in ("/", "/cases/", "/parties/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.headers.getlist("Set-Cookie"), path
    with client.session_transaction() as s:
        s["last_seen"] = (datetime.now(UTC) - timedelta(minutes=2)).timestamp()
    response = client.get("/parties/")
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie")  # the clock moved on: sent again


def test_deactivation_ends_the_users_open_session(app, login_as):
    notary = create_staff(Role.NOTARY)
    notary_client = login_as(notary)
    admin_client = login_as(Role.ADMIN)
    assert notary_client.get("/profile").status_code == 200

    response = admin_client.post(f"/admin/users/{notary.id}/enabled")
    assert response.status_code == 302

    db.session.refresh(notary)
    assert not notary.is_enabled
    response = notary_client.get("/profile")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


def test_password_change_signs_out(app, login_as):
    user = create_staff(Role.ASSISTANT)
    client = login_as(user)
    other_device = login_as(user)
    response = client.post("/profile", data={"current_password": PASSWORD,
                                             "new_password": "Quiet-River-2031"})
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert client.get("/").status_code == 302
    assert other_device.get("/").status_code == 302
    assert sign_in(client, user.username, "Quiet-River-2031").status_code == 302


def test_password_change_errors_sit_next_to_fields(app, login_as):
    client = login_as(Role.ASSISTANT)
    response = client.post("/profile", data={"current_password": "nope",
                                             "new_password": "123456"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert field_errors(html, "current_password")
    assert field_errors(html, "new_password")
    assert client.get("/profile").status_code == 200


# --- the administrator's user pages ---------------------------------------------------------


def test_user_list(app, login_as):
    admin = login_as(Role.ADMIN)
    others = [create_staff(role) for role in (Role.NOTARY, Role.FRONT_DESK)]
    response = admin.get("/admin/users/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for user in others:
        assert f'href="/admin/users/{user.id}"' in html
        assert f'action="/admin/users/{user.id}/enabled"' in html
    # No deactivate button for the administrator's own row.
    assert f'action="/admin/users/{admin.user.id}/enabled"' not in html


def test_create_user_through_the_page(app, login_as):
    admin = login_as(Role.ADMIN)
    assert admin.get("/admin/users/new").status_code == 200
    response = admin.post("/admin/users/new", data={
        "username": "wangfang", "full_name": "王芳", "role": "notary", "phone": "13812345678",
        "locale": "zh_Hans_CN", "password": "Tea-Garden-1987"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users/"
    user = db.session.scalars(sa.select(User).where(User.username == "wangfang")).one()
    assert (user.full_name, user.role, user.phone) == ("王芳", Role.NOTARY, "13812345678")
    assert sign_in(admin.application.test_client(), "wangfang", "Tea-Garden-1987"
                   ).status_code == 302


def test_create_user_errors_sit_next_to_fields_and_keep_the_input(app, login_as):
    admin = login_as(Role.ADMIN)
    create_staff(Role.NOTARY, username="wangfang")
    count = db.session.scalar(sa.select(sa.func.count(User.id)))
    response = admin.post("/admin/users/new", data={
        "username": "WangFang", "full_name": "王芳", "role": "assistant",
        "phone": "13812345678", "locale": "en", "password": "password123"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert says(" ".join(field_errors(html, "username")), "This user name is already taken.")
    assert field_errors(html, "password")
    assert not field_errors(html, "full_name")
    assert input_value(html, "username") == "WangFang"
    assert input_value(html, "full_name") == "王芳"
    assert input_value(html, "phone") == "13812345678"
    assert re.search(r'<option selected value="assistant">|<option value="assistant" selected',
                     html)
    assert "password123" not in html
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == count


def test_create_user_form_validation_keeps_the_input(app, login_as):
    admin = login_as(Role.ADMIN)
    response = admin.post("/admin/users/new", data={
        "username": "wang fang!", "full_name": "", "role": "notary", "locale": "zh_Hans_CN",
        "password": "Tea-Garden-1987"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert field_errors(html, "username") and field_errors(html, "full_name")
    assert input_value(html, "username") == "wang fang!"


def test_edit_user_through_the_page(app, login_as):
    admin = login_as(Role.ADMIN)
    user = create_staff(Role.FRONT_DESK, full_name="赵六")
    page = admin.get(f"/admin/users/{user.id}")
    assert page.status_code == 200
    assert input_value(page.get_data(as_text=True), "full_name") == "赵六"

    response = admin.post(f"/admin/users/{user.id}", data={
        "username": user.username, "full_name": "赵六六", "role": "assistant",
        "locale": "zh_Hans_CN", "password": ""})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.full_name, user.role) == ("赵六六", Role.ASSISTANT)
    entry = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "user.update", AuditEntry.target_id == user.id)).one()
    assert entry.actor_id == admin.user.id
    assert entry.after == {"full_name": "赵六六", "role": "assistant"}


def test_edit_unknown_user_is_404(login_as):
    assert login_as(Role.ADMIN).get("/admin/users/99999").status_code == 404


def test_deactivate_and_reactivate_through_the_page(app, login_as):
    admin = login_as(Role.ADMIN)
    user = create_staff(Role.NOTARY)
    assert admin.post(f"/admin/users/{user.id}/enabled").status_code == 302
    db.session.refresh(user)
    assert not user.is_enabled
    assert sign_in(admin.application.test_client(), user.username).status_code == 200

    assert admin.post(f"/admin/users/{user.id}/enabled").status_code == 302
    db.session.refresh(user)
    assert user.is_enabled
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.target_type == "users", AuditEntry.target_id == user.id,
        AuditEntry.action.in_(["user.disable", "user.enable"])).order_by(AuditEntry.id)).all()
    assert actions == ["user.disable", "user.enable"]


def test_administrator_cannot_deactivate_themselves_through_the_page(app, login_as):
    admin = login_as(Role.ADMIN)
    response = admin.post(f"/admin/users/{admin.user.id}/enabled", follow_redirects=True)
    assert response.status_code == 200
    assert says(response.get_data(as_text=True), "You cannot deactivate your own account.")
    db.session.refresh(admin.user)
    assert admin.user.is_enabled
    assert admin.get("/admin/users/").status_code == 200


# --- language and headers -------------------------------------------------------------------


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True))
    assert match
    return match.group(1)


def test_language_switch_changes_the_page_language(app, login_as):
    user = create_staff(Role.NOTARY)
    client = login_as(user)
    assert html_lang(client.get("/profile")) == "zh-CN"

    response = client.post("/profile/language", data={"locale": "en", "next": "/cases/"})
    assert response.status_code == 302 and response.headers["Location"] == "/cases/"
    assert html_lang(client.get("/profile")) == "en"
    db.session.refresh(user)
    assert user.locale == "en"

    client.post("/profile/language", data={"locale": "zh_Hans_CN"})
    assert html_lang(client.get("/profile")) == "zh-CN"


def test_language_switch_refuses_an_open_redirect(app, login_as):
    client = login_as(Role.NOTARY)
    response = client.post("/profile/language",
                           data={"locale": "en", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize(("query", "lang"), [("", "zh-CN"), ("?lang=en", "en"),
                                             ("?lang=xx", "zh-CN")])
def test_sign_in_page_language(client, query, lang):
    assert html_lang(client.get("/login" + query)) == lang


@pytest.mark.parametrize("path", ["/login", "/", "/parties/", "/admin/users/", "/no-such-page"])
def test_security_headers(app, login_as, path):
    client = login_as(Role.FRONT_DESK) if path != "/login" else app.test_client()
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer",
                                                   "strict-origin-when-cross-origin"}
    if path != "/login":
        assert response.headers["Cache-Control"] == "no-store"
