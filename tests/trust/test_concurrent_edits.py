"""Two people edit the same case or party: the second gets a clear message with the saved
values beside their own (kept in the form) and can merge; nothing is silently overwritten."""

from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa

from notary.cases.models import Case
from notary.core.audit import AuditEntry
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import Party
from notary.parties.services import create_party
from tests.cases.test_views import form_values
from tests.factories import create_staff, person, register_case

STALE = "您的修改未保存"  # in both stale-edit messages


def page_form(client, url: str) -> dict[str, list[str]]:
    return form_values(client.get(url).get_data(as_text=True))


def merge_table(html: str) -> list[tuple[str, str]]:
    return [(unescape(a), unescape(b)) for a, b in re.findall(
        r'<td data-merge="saved">(.*?)</td><td data-merge="yours">(.*?)</td>', html)]


def audits(action: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == action)) or 0


def test_a_stale_party_edit_shows_both_versions_and_merges_on_the_second_save(app, login_as):
    first, second = login_as(Role.FRONT_DESK), login_as(Role.NOTARY)
    party = create_party(person("张三"), actor=first.user)
    url = f"/parties/{party.id}/edit"
    mine, theirs = page_form(first, url), page_form(second, url)

    theirs.update(address=["耒阳市五一路1号"])
    assert second.post(url, data=theirs).status_code == 302

    mine.update(address=["耒阳市蔡子池街道"], phone=["13812345678"])
    response = first.post(url, data=mine)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert STALE in html
    assert ("耒阳市五一路1号", "耒阳市蔡子池街道") in merge_table(html)
    assert ("—", "13812345678") in merge_table(html)
    kept = form_values(html)
    assert kept["address"] == ["耒阳市蔡子池街道"] and kept["phone"] == ["13812345678"]
    db.session.expire_all()
    assert db.session.get(Party, party.id).address == "耒阳市五一路1号"  # not overwritten
    assert audits("party.update") == 1

    # The user has seen both: saving the form as it now stands (merged by hand) goes through.
    kept["address"] = ["耒阳市五一路1号（蔡子池街道）"]
    assert first.post(url, data=kept).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Party, party.id)
    assert (stored.address, stored.phone) == ("耒阳市五一路1号（蔡子池街道）", "13812345678")
    assert audits("party.update") == 2


def test_a_stale_case_edit_shows_both_versions_and_merges_on_the_second_save(app, login_as):
    desk = create_staff(Role.FRONT_DESK)
    case = register_case(desk)
    first, second = login_as(desk), login_as(Role.FRONT_DESK)
    url = f"/cases/{case.id}/edit"
    mine, theirs = page_form(first, url), page_form(second, url)

    theirs.update(copies=["5"])
    assert second.post(url, data=theirs).status_code == 302

    mine.update(copies=["2"], purpose=["办理房产过户"])
    response = first.post(url, data=mine)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert STALE in html
    assert ("5", "2") in merge_table(html)
    kept = form_values(html)
    assert kept["copies"] == ["2"] and kept["purpose"] == ["办理房产过户"]
    db.session.expire_all()
    assert db.session.get(Case, case.id).copies == 5
    assert audits("case.update") == 1

    assert first.post(url, data=kept).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.copies, stored.purpose) == (2, "办理房产过户")
    assert audits("case.update") == 2


def test_an_edit_without_a_competing_change_saves_at_once(app, login_as):
    client = login_as(Role.FRONT_DESK)
    party = create_party(person("张三"), actor=client.user)
    values = page_form(client, f"/parties/{party.id}/edit")
    values.update(address=["耒阳市"])
    assert client.post(f"/parties/{party.id}/edit", data=values).status_code == 302
