"""Fee pages through the client: the case panel, forms with Chinese errors that keep what was
typed, the receipt PDF (text and embedded fonts), the issue step, the totals, the tariff admin."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from notary.cases.rules import CaseStatus
from notary.core.models import office_today
from notary.extensions import db
from notary.fees import queries, services
from notary.fees.models import Charge, FeeItem, Payment, Reduction, ReliefKind
from tests.cases.samples import advance, pdf_bytes
from tests.factories import register_case
from tests.fees.helpers import item

D = Decimal


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_fonts(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def case(tariff: Any, desk: Any, notary: Any, director: Any) -> Any:
    found = register_case(desk, matters=("inheritance",))
    advance(found, CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    return found


def test_the_case_page_shows_the_fee_panel_and_suggests_the_matter(case, login_as, desk):
    html = login_as(desk).get(f"/cases/{case.id}").get_data(as_text=True)
    assert 'id="fees"' in html and "继承（按受益额）" in html
    assert f"/fees/cases/{case.id}/charges/new?item=" in html


def test_charge_form_keeps_input_and_shows_chinese_errors(case, login_as, desk, tariff):
    client = login_as(desk)
    inheritance = item(tariff, "inheritance")
    response = client.post(f"/fees/cases/{case.id}/charges/new",
                           data={"item_id": inheritance.id, "quantity": "1", "value": "12万"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-field-error="value"' in html and 'value="12万"' in html
    response = client.post(f"/fees/cases/{case.id}/charges/new",
                           data={"item_id": inheritance.id, "quantity": "1",
                                 "value": "1,200,000"})
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Charge.amount)).one() == D("24000.00")
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "24,000.00" in html and "继承（按受益额）" in html


def test_payment_and_receipt_pdf(case, login_as, desk, tariff, tmp_path):
    services.add_charge(case, services.ChargeData(item_id=item(tariff, "inheritance").id,
                                                  value=D("1200000")), actor=desk)
    client = login_as(desk)
    response = client.post(f"/fees/cases/{case.id}/payments/new",
                           data={"amount": "30000", "method": "cash", "payer": "张三"})
    assert 'data-field-error="amount"' in response.get_data(as_text=True)  # more than due
    response = client.post(f"/fees/cases/{case.id}/payments/new",
                           data={"amount": "24,000", "method": "wechat", "payer": "张三"})
    assert response.status_code == 302
    payment = db.session.scalars(sa.select(Payment)).one()
    response = client.get(f"/fees/cases/{case.id}/payments/{payment.id}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    data = response.get_data()
    text = pdf_text(data, tmp_path)
    for expected in ("公证收费凭证", payment.receipt_number, "继承（按受益额）", "24,000.00",
                     "贰万肆仟元整", "微信支付", "尚欠 0.00 元", case.acceptance_number):
        assert expected in text, expected
    fonts = pdf_fonts(data, tmp_path)
    assert "WenQuanYi" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # all embedded
    assert len(data) < 120_000


def test_reduction_through_the_pages_shows_on_receipt_and_totals(case, login_as, desk,
                                                                 director, tariff, tmp_path):
    services.add_charge(case, services.ChargeData(item_id=item(tariff, "inheritance").id,
                                                  value=D("1200000")), actor=desk)
    client = login_as(desk)
    html = client.get(f"/fees/cases/{case.id}/reductions/new?ground=minimum_living").get_data(
        as_text=True)
    assert 'value="50"' in html  # the rules' minimum for 低保 is proposed
    response = client.post(f"/fees/cases/{case.id}/reductions/new", data={
        "kind": "reduce", "ground": "minimum_living", "percent": "50", "reason": "低保户"})
    assert 'data-field-error="evidence"' in response.get_data(as_text=True)
    response = client.post(f"/fees/cases/{case.id}/reductions/new", data={
        "kind": "reduce", "ground": "minimum_living", "percent": "50", "reason": "低保户",
        "evidence": (io.BytesIO(pdf_bytes()), "低保证.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    reduction = db.session.scalars(sa.select(Reduction)).one()
    boss = login_as(director)
    assert "低保" in boss.get("/fees/reductions").get_data(as_text=True)
    response = boss.post(f"/fees/cases/{case.id}/reductions/{reduction.id}/decide",
                         data={"decision": "approve", "note": "同意减收"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Reduction, reduction.id).amount == D("12000.00")
    evidence = boss.get(f"/fees/cases/{case.id}/attachments/{reduction.attachment_id}")
    assert evidence.get_data() == pdf_bytes()
    evidence.close()
    statement = boss.get(f"/fees/cases/{case.id}/statement.pdf").get_data()
    text = pdf_text(statement, tmp_path)
    assert "减收（低保对象） 50%" in text and "12,000.00" in text and "壹万贰仟元整" in text
    today = office_today()
    totals = boss.get(f"/fees/totals?date_from={today.replace(day=1)}&date_to={today}")
    html = totals.get_data(as_text=True)
    assert "12,000.00" in html and "低保" in html


def test_the_requester_cannot_decide_through_the_page(case, login_as, director, tariff):
    services.add_charge(case, services.ChargeData(item_id=item(tariff, "will").id),
                        actor=director)
    reduction = services.request_reduction(case, services.ReductionData(
        kind=ReliefKind.REDUCE, ground=services.ReductionGround.PUBLIC_INTEREST,
        percent=D(20), reason="公益"), actor=director)
    client = login_as(director)
    page = client.get(f"/fees/cases/{case.id}/reductions/{reduction.id}/decide")
    assert "another director must decide" in page.get_data(as_text=True) or \
        "须由其他主任审批" in page.get_data(as_text=True)
    response = client.post(f"/fees/cases/{case.id}/reductions/{reduction.id}/decide",
                           data={"decision": "approve"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Reduction, reduction.id).status.value == "pending"


def test_issuing_through_the_page_is_refused_while_unpaid(tariff, login_as, desk, notary,
                                                         director):
    found = register_case(desk, matters=("will",))
    advance(found, CaseStatus.APPROVED, notary=notary, director=director)
    services.add_charge(found, services.ChargeData(item_id=item(tariff, "will").id),
                        actor=desk)
    client = login_as(notary)
    response = client.post(f"/cases/{found.id}/step/issue")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "800.00" in html
    db.session.expire_all()
    assert db.session.get(type(found), found.id).status is CaseStatus.APPROVED


def test_a_refund_after_refusal(tariff, login_as, desk, notary, director):
    # Not a will: a will's file is confidential (密卷) to the front desk, which refunds from
    # the fee pages without opening the file.
    from notary.cases.rules import Action
    from notary.cases.workflow import StepData, perform

    found = register_case(desk, matters=("adoption",))
    advance(found, CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    services.add_charge(found, services.ChargeData(item_id=item(tariff, "adoption").id), actor=desk)
    services.record_payment(found, services.PaymentData(D(1000), services.PaymentMethod.CASH,
                                                        "张三"), actor=desk)
    perform(found, Action.REFUSE, StepData(ground="7", reason="事项不真实"), actor=director)
    client = login_as(desk)
    assert "decide the refund" in client.get(f"/cases/{found.id}").get_data(as_text=True) or \
        "退费" in client.get(f"/cases/{found.id}").get_data(as_text=True)
    response = client.post(f"/fees/cases/{found.id}/refunds/new", data={
        "fault": "shared", "amount": "1100", "method": "cash", "reason": "部分退费"})
    assert 'data-field-error="amount"' in response.get_data(as_text=True)
    response = client.post(f"/fees/cases/{found.id}/refunds/new", data={
        "fault": "shared", "amount": "300", "method": "cash", "reason": "已完成部分核实工作"})
    assert response.status_code == 302
    assert queries.case_balance(found.id).received == D("700.00")


def test_tariff_admin_pages(tariff, login_as, admin):
    client = login_as(admin)
    assert "2010" in client.get("/admin/tariffs/").get_data(as_text=True)
    assert "已废止" in client.get(f"/admin/tariffs/{tariff.id}").get_data(as_text=True)
    response = client.post(f"/admin/tariffs/new?copy={tariff.id}", data={
        "name": "湖南省现行标准", "effective_from": "2026-01-01",
        "note": "湘发改价费规〔2025〕737号"})
    assert response.status_code == 302
    new_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    form = {"code": "birth", "name": "出生", "kind": "matter", "basis": "tiered",
            "pricing": "government_guided", "sort_order": "5", "is_active": "y",
            "tiers-0-upper": "100", "tiers-0-rate": "1",
            "tiers-1-upper": "50", "tiers-1-rate": "abc"}
    response = client.post(f"/admin/tariffs/{new_id}/items/new", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="abc"' in html
    assert 'data-field-error="tiers-1-rate"' in html
    form.update({"basis": "fixed", "unit_amount": "150", "tiers-0-upper": "", "tiers-0-rate": "",
                 "tiers-1-upper": "", "tiers-1-rate": ""})
    assert client.post(f"/admin/tariffs/{new_id}/items/new", data=form).status_code == 302
    assert db.session.scalars(sa.select(FeeItem.unit_amount).where(
        FeeItem.schedule_id == new_id, FeeItem.code == "birth")).one() == D(150)
    page = client.get(f"/admin/tariffs/{new_id}/minimums").get_data(as_text=True)
    assert 'value="50.00"' in page or 'value="50"' in page
    rows = {f"rows-{i}-ground": g for i, g in enumerate(
        ["legal_aid", "minimum_living", "extreme_poverty", "severe_disability",
         "preferential_care", "elderly_first_will", "pension_relief", "public_interest",
         "support_agreement", "other"])}
    response = client.post(f"/admin/tariffs/{new_id}/minimums",
                           data={**rows, "rows-1-percent": "150"})
    assert 'data-field-error="rows-1-percent"' in response.get_data(as_text=True)
    response = client.post(f"/admin/tariffs/{new_id}/minimums",
                           data={**rows, "rows-1-percent": "60", "rows-0-percent": "100"})
    assert response.status_code == 302
    assert date(2026, 1, 1) == queries.schedule_in_force(date(2026, 2, 1)).effective_from
