"""Error pages are Chinese, carry no stack trace, and a server error is logged under a
reference the user can quote."""

from __future__ import annotations

import logging
import re

import pytest

from notary.core.permissions import Role


class Boom(RuntimeError):
    pass


@pytest.fixture
def failing_app(app):
    def explode() -> str:
        raise Boom("secret detail: /srv/notary/instance/config.py line 3")

    app.add_url_rule("/_boom", "boom_for_test", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the handler answers
    return app


def test_a_server_error_page_quotes_a_reference_that_is_in_the_log(failing_app, login_as,
                                                                    caplog):
    client = login_as(Role.FRONT_DESK)
    with caplog.at_level(logging.ERROR, logger="notary"):
        response = client.get("/_boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "系统内部错误" in html
    assert "Traceback" not in html and "secret detail" not in html and "Boom" not in html
    reference = re.search(r"[:：]\s*([0-9A-F]{8})", html)
    assert reference, html
    logged = [r for r in caplog.records if reference.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is Boom


@pytest.mark.parametrize(("code", "path", "role"), [
    (404, "/no-such-page", Role.FRONT_DESK),
    (404, "/cases/999999", Role.FRONT_DESK),
    (403, "/admin/users/", Role.FRONT_DESK),
    (405, "/logout", Role.FRONT_DESK),
])
def test_error_pages_are_in_chinese(app, login_as, code, path, role):
    response = login_as(role).get(path)
    assert response.status_code == code
    html = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html
    assert re.search(r"[\u4e00-\u9fff]{4,}", html)  # a Chinese sentence, not English
    assert "Traceback" not in html and "werkzeug" not in html.lower()


def test_a_bad_request_page_is_in_chinese(app, login_as):
    client = login_as(Role.FRONT_DESK)
    app.config["WTF_CSRF_ENABLED"] = True  # a form sent without its token
    response = client.post("/parties/new", data={"name": "x"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "无法处理该请求" in html
