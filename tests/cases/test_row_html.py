"""The case lists' rows, written by `cases.row_html` instead of Jinja: the same HTML, escaped
the same way, in both languages; and the first page of the register planned once on
PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import refresh

from notary.cases import queries
from notary.cases.models import Case, Urgency
from notary.cases.row_html import case_rows_html
from notary.core.permissions import Role
from notary.extensions import db
from notary.parties.models import Party
from tests.factories import create_staff, person, register_case

# The partial's rows as Jinja wrote them before `case_rows_html` (the reference).
JINJA_ROWS = """\
{% set status_labels, category_labels, urgency_labels = labels.CaseStatus, labels.Category, labels.Urgency %}
{% set case_url = url_for('cases.detail', case_id=1)[:-1] %}
  {% for c in rows %}
    <tr>
      <td><a href="{{ case_url }}{{ c.id }}">{{ c.number }}</a>{% if c.urgency != 'normal' %} <span class="badge bg-danger">{{ urgency_labels[c.urgency] }}</span>{% endif %}</td>
      <td data-content>{{ c.applicants }}</td>
      <td>{{ c.matters }}</td>
      <td>{{ category_labels[c.category] }}</td>
      <td><span class="badge status-{{ c.status.value }}">{{ status_labels[c.status] }}</span></td>
      <td data-content>{{ c.notary or '—' }}</td>
      <td>{{ c.applied_at|local_datetime }}</td>
    </tr>
  {% endfor %}
"""  # noqa: E501

NASTY = """<b>王"大'&amp;</b>"""


def _cases(desk: Any) -> list[int]:
    """Three cases: one whose applicant's name is markup with quotes (as an imported ledger
    might hold it), one urgent with a handling notary, one plain."""
    notary = create_staff(Role.NOTARY, full_name="谢<文>慧")
    nasty = register_case(desk, applicants=(person("王大"),))
    party_id = db.session.scalars(sa.select(Party.id).where(Party.name == "王大")).one()
    db.session.execute(sa.update(Party).where(Party.id == party_id).values(name=NASTY))
    urgent = register_case(desk, applicants=(person("李急"), person("赵二")),
                           matters=("property_division", "inheritance"))
    db.session.execute(sa.update(Case).where(Case.id == urgent.id)
                       .values(urgency=Urgency.EXPEDITED, handling_notary_id=notary.id))
    plain = register_case(desk, applicants=(person("张平"),))
    db.session.commit()
    return [nasty.id, urgent.id, plain.id]


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_rows_are_the_html_jinja_wrote(app: Flask, lang: str) -> None:
    ids = _cases(create_staff(Role.FRONT_DESK))
    with app.test_request_context(f"/cases/?lang={lang}"):
        refresh()  # the test's app context may hold the locale of an earlier request
        rows = list(queries.rows_by_id(ids).values())
        assert len(rows) == 3
        from notary.cases.models import Category
        from notary.cases.rules import CaseStatus
        from notary.core.paging import row_labels

        reference = app.jinja_env.from_string(JINJA_ROWS).render(
            rows=rows, labels=row_labels(CaseStatus, Category, Urgency))
        written = str(case_rows_html(rows))
        expedited = str(Urgency.EXPEDITED.label)
    assert written == reference
    # Escaped as Jinja escapes: no markup of a name reaches the page.
    assert "&lt;b&gt;王&#34;大&#39;&amp;amp;&lt;/b&gt;" in written
    assert "谢&lt;文&gt;慧" in written
    assert "<b>" not in written
    assert written.count("bg-danger") == 1
    assert f'<span class="badge bg-danger">{expedited}</span>' in written
    assert expedited == ("Expedited" if lang == "en" else "加急")


def test_the_list_page_shows_names_escaped(
        app: Flask, desk: Any, login_as: Callable[..., FlaskClient]) -> None:
    _cases(desk)
    client = login_as(Role.DIRECTOR)
    html = client.get("/cases/").get_data(as_text=True)
    assert "&lt;b&gt;王&#34;大&#39;&amp;amp;&lt;/b&gt;" in html
    assert NASTY not in html
    assert html.count("<tr>") == 4  # the header and three cases


def test_the_first_page_of_the_register_is_planned_once(
        app: Flask, backend: dict[str, Any], desk: Any) -> None:
    """The whole register's first page carries its size and offset in the SQL, not as
    parameters: PostgreSQL then plans its prepared statement once (a generic plan) instead
    of on every view, where a LIMIT it cannot see made every generic plan look dearer."""
    register_case(desk, applicants=(person("计划"),))
    db.session.commit()
    sent: list[str] = []

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    with app.test_request_context("/cases/"):
        sa.event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            for _ in range(12):  # 5 before the driver prepares, 5 custom plans, then generic
                rows, total, _capped = queries.register_page(offset=0, per_page=20, cap=10_000)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", on_execute)
        assert total == 1 and len(rows) == 1
        pages = [s for s in sent if "ORDER BY cases.applied_at DESC" in s]
        assert len(pages) == 12 and all(s.rstrip().endswith("LIMIT 20 OFFSET 0") for s in pages)
        if backend["name"] == "postgresql":
            plans = db.session.execute(sa.text(
                "SELECT generic_plans, statement FROM pg_prepared_statements "
                "WHERE statement LIKE '%ORDER BY cases.applied_at DESC%'")).all()
            assert any(generic > 0 for generic, _statement in plans), plans
