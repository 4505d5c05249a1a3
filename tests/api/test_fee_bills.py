"""Fees over the API as the rules stand: the tariff's pricing regime and confirmation, agreed
prices, the official bill of a payment, and the no-charge record that lets a free case issue."""

from __future__ import annotations

from notary.cases.rules import CaseStatus
from notary.core.models import office_today
from notary.core.permissions import Role
from tests.cases.samples import advance
from tests.factories import create_staff, register_case
from tests.fees.helpers import seed_hunan_tariffs


def test_agreed_price_official_bill_and_a_free_case(app, client, token_for):
    seed_hunan_tariffs()
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    case = advance(register_case(desk, matters=("evidence_preservation",)),
                   CaseStatus.ACCEPTED, notary=notary, director=director)
    headers = token_for(notary)
    items = client.get(f"/api/v1/cases/{case.id}/fee-items", headers=headers).get_json()
    line = next(i for i in items if i["code"] == "evidence_preservation")
    assert (line["basis"], line["pricing"], line["is_confirmed"]) == (
        "agreed", "market_regulated", False)
    missing = client.post(f"/api/v1/cases/{case.id}/charges", headers=headers,
                          json={"item_id": line["id"]})
    assert missing.status_code == 422
    assert {"amount", "reason"} <= {e["field"] for e in missing.get_json()["errors"]}
    charge = client.post(f"/api/v1/cases/{case.id}/charges", headers=headers, json={
        "item_id": line["id"], "amount": "1200.00", "reason": "现场保全半天，协商定价"})
    assert charge.status_code == 201
    assert charge.get_json()["basis_reason"] == "现场保全半天，协商定价"
    paid = client.post(f"/api/v1/cases/{case.id}/payments", headers=headers, json={
        "amount": "1200.00", "method": "transfer", "payer": "张三"})
    assert paid.status_code == 201 and paid.get_json()["bill_number"] is None
    bill = {"kind": "e_invoice", "number": "26432000000099990001",
            "bill_date": office_today().isoformat(), "system": "全国统一电子发票服务平台"}
    entered = client.put(f"/api/v1/cases/{case.id}/payments/{paid.get_json()['id']}/bill",
                         headers=headers, json=bill)
    assert entered.status_code == 200, entered.get_json()
    assert entered.get_json()["bill_number"] == "26432000000099990001"
    again = client.put(f"/api/v1/cases/{case.id}/payments/{paid.get_json()['id']}/bill",
                       headers=headers, json={**bill, "number": "26432000000099990002"})
    assert again.status_code == 422  # a correction needs its reason

    free = advance(register_case(desk, matters=("will",)), CaseStatus.APPROVED, notary=notary,
                   director=director)
    issue = client.post(f"/api/v1/cases/{free.id}/steps/issue", headers=headers, json={})
    assert issue.status_code in (409, 422)
    recorded = client.post(f"/api/v1/cases/{free.id}/no-charge", headers=headers, json={
        "ground": "free_by_rule", "basis": "发改价格〔2021〕1081号：80周岁以上首次遗嘱免收"})
    assert recorded.status_code == 201, recorded.get_json()
    issued = client.post(f"/api/v1/cases/{free.id}/steps/issue", headers=headers, json={})
    assert issued.status_code == 200, issued.get_json()
