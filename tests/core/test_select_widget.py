"""The app's select widget writes exactly what WTForms' own select writes."""

from __future__ import annotations

from typing import Any

import pytest
import wtforms
from flask import Flask
from wtforms.fields.choices import SelectChoice

from notary.core.forms import BaseForm, SelectField

CHOICES: list[Any] = [
    SelectChoice("", "全部"), SelectChoice(1, "一"), SelectChoice("a&b", '引号"<x>'),
    SelectChoice(True, "是"), SelectChoice("x", ""),
    SelectChoice("k", "带属性", render_kw={"disabled": True}),
]


@pytest.mark.parametrize("data", [None, "1", "a&b", "True", "k", "x"])
def test_options_match_wtforms(app: Flask, data: str | None) -> None:
    class Ours(BaseForm):
        class Meta:
            csrf = False

        field = SelectField("选择", choices=CHOICES)

    class Theirs(wtforms.Form):
        field = wtforms.SelectField("选择", choices=CHOICES)

    with app.test_request_context(query_string={"field": data} if data else None):
        from flask import request

        ours, theirs = Ours(request.args), Theirs(request.args)
        rendered = str(ours.field(class_="form-select"))
        assert rendered == str(theirs.field(class_="form-select"))
        assert "<option disabled " in rendered  # extra attributes: WTForms' own path
        if data in ("1", "a&b"):
            assert "<option selected value=" in rendered
