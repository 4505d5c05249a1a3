"""The fee story in a real browser: a fresh office's tariff (湘发改价费规〔2025〕737号, every
line awaiting the office's confirmation) prices a 继承 case of ¥1,200,000 from its estate, a 委托
case and a 出生 case; the front desk records payments with and without the official bill, prints
the receipt (rendered to PNG and read back), and clears the register's queue; the director
records why a will is issued free; the administrator confirms a line and gives a new matter its
fee line in the same flow as creating it.

Every page visited is checked (PageChecks) and screenshotted, the receipt rendered as receipt-1.png.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Browser, Page, expect

from notary.cases.rules import CaseStatus
from notary.core.models import office_today
from notary.core.permissions import Role
from notary.extensions import db
from notary.fees.models import Charge, FeeSchedule, NoChargeRecord, Payment
from tests.cases.samples import advance, pdf_bytes
from tests.e2e.conftest import PageChecks, open_signed_in
from tests.e2e.test_intake_to_approval import Steps, expect_success, shown_as
from tests.factories import create_staff, register_case
from tests.fees.helpers import seed_hunan_tariffs

pytestmark = pytest.mark.e2e
BILL_SYSTEM = "湖南省财政电子票据管理系统"


@pytest.fixture
def office(app: Flask, staff: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A fresh office's tariffs, an administrator, and four cases accepted today (an
    inheritance with its estate of ¥1,200,000, a power of attorney, a birth, a will)."""
    from notary.auth.models import User
    from tests.fees.test_tariff_in_force import estate_of

    seed_hunan_tariffs()
    admin = create_staff(Role.ADMIN, full_name="赵管理")
    desk, notary, director = (db.session.get(User, staff[k]["id"])
                              for k in ("desk", "notary", "director"))
    cases = {}
    for code in ("inheritance", "power_of_attorney", "birth", "will"):
        case = register_case(desk, matters=(code,))
        advance(case, CaseStatus.UNDER_REVIEW if code != "will" else CaseStatus.APPROVED,
                notary=notary, director=director)
        cases[code] = case.id
        if code == "inheritance":
            estate_of(case, notary, "1200000")
    out = {"cases": cases, "admin": {"username": admin.username, "full_name": admin.full_name,
                                     "password": staff["desk"]["password"]}}
    db.session.commit()
    db.session.remove()
    return out


def zh(app: Flask, text: str) -> str:
    """The text as the Chinese interface shows it."""
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        return str(gettext(text))


def label(app: Flask, page: Page, text: str) -> Any:
    return page.get_by_label(shown_as(app, text))


def button(app: Flask, page: Page, text: str) -> Any:
    return page.locator("main").get_by_role("button", name=shown_as(app, text))


def link(app: Flask, page: Page, text: str) -> Any:
    return page.locator("main").get_by_role("link", name=shown_as(app, text))


def fee_panel(page: Page) -> Any:
    return page.locator("#fees")


def charge_suggested(app: Flask, page: Page, case_id: int, item: str, amount: str) -> None:
    """Open the case, follow the fee line the matter suggests, and charge it as it stands."""
    page.goto(f"/cases/{case_id}")
    fee_panel(page).get_by_role("link", name=re.compile(rf"^\+ {item}$")).click()
    button(app, page, "Charge").click()
    expect_success(page)
    expect(fee_panel(page)).to_contain_text(amount)


def pdf_to_png_and_text(data: bytes, stem: Path) -> str:
    """Write the PDF, render its first page to PNG (to look at), and return its text."""
    pdf = stem.with_suffix(".pdf")
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(stem)], check=True, timeout=60)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, timeout=60,
                          capture_output=True, text=True).stdout


def test_charge_pay_with_the_official_bill_and_print_the_receipt(
        app: Flask, live_server: str, browser: Browser, staff: dict[str, dict[str, Any]],
        office: dict[str, Any], checks: PageChecks, tmp_path: Path) -> None:
    steps = Steps(checks)
    evidence = tmp_path / "低保证.pdf"
    evidence.write_bytes(pdf_bytes())
    contexts: list[Any] = []
    cases = office["cases"]
    today = office_today().isoformat()
    try:
        # --- Front desk: the inheritance of ¥1,200,000 -------------------------------------
        page = open_signed_in(browser, live_server, staff["desk"], checks, contexts)
        with steps("desk-opens-inheritance", page) as page:
            page.goto(f"/cases/{cases['inheritance']}")
            expect(fee_panel(page)).to_contain_text("湘发改价费规〔2025〕737号")
        with steps("charge-form-prefilled") as page:
            fee_panel(page).get_by_role("link", name=re.compile("继承（按受益额）")).click()
            # The estate's value, from the inheritance file, is the basis already.
            expect(label(app, page, "Amount charged on (yuan)")).to_have_value("1200000.00")
            expect(page.locator("main")).to_contain_text(zh(app, "unconfirmed"))
        with steps("inheritance-charged") as page:
            button(app, page, "Charge").click()
            expect_success(page)
            expect(fee_panel(page)).to_contain_text("4,600.00")
            expect(fee_panel(page)).to_contain_text("附件·证明法律行为类")
        with steps("payment-form") as page:
            link(app, page, "Record payment").click()
            expect(label(app, page, "Amount (yuan)")).to_have_value("4600.00")
            label(app, page, "Method").select_option("wechat")
            label(app, page, "Kind of bill").select_option("e_bill")
            label(app, page, "Bill number").fill("4304261205000001")
            label(app, page, "Date on the bill").fill(today)
            label(app, page, "Issued by (system)").fill(BILL_SYSTEM)
        with steps("paid-with-bill") as page:
            button(app, page, "Record payment").click()
            expect_success(page)
            expect(fee_panel(page)).to_contain_text("4304261205000001")
            fee_panel(page).screenshot(path=str(checks.file("panel-inheritance.png")))
            receipt = fee_panel(page).get_by_role("link", name=re.compile("耒证收字"))
            href = receipt.get_attribute("href")
            assert href is not None
            response = page.request.get(href)
            assert response.ok and response.headers["content-type"] == "application/pdf"
            text = pdf_to_png_and_text(response.body(), checks.file("receipt-1"))
            for shown in ("公证收费凭证", "继承（按受益额）", "按 1,200,000.00 元累进计收",
                          "湘发改价费规〔2025〕737号", "附件·证明法律行为类", "政府指导价",
                          "4,600.00", "肆仟陆佰元整", "4304261205000001", BILL_SYSTEM):
                assert shown in text, shown

        # --- The power of attorney, paid before its bill is issued ---------------------------
        with steps("proxy-charged") as page:
            charge_suggested(app, page, cases["power_of_attorney"], "委托", "300.00")
        with steps("proxy-paid-without-bill") as page:
            link(app, page, "Record payment").click()
            button(app, page, "Record payment").click()
            expect_success(page)
            expect(fee_panel(page)).to_contain_text(zh(app, "bill not entered"))
        with steps("register-queue") as page:
            page.goto("/fees/payments?missing=1")
            rows = page.locator("main table tbody tr")
            expect(rows).to_have_count(1)
            expect(rows.first).to_contain_text("300.00")
        with steps("bill-form") as page:
            rows.first.get_by_role("link", name=shown_as(app, "Enter the bill")).click()
            label(app, page, "Kind of bill").select_option("e_invoice")
            label(app, page, "Bill number").fill("26432000000012345678")
            label(app, page, "Date on the bill").fill(today)
            label(app, page, "Issued by (system)").fill("全国统一电子发票服务平台")
        with steps("queue-cleared") as page:
            button(app, page, "Save the bill").click()
            expect_success(page)
            expect(page.locator("main table tbody tr")).to_contain_text(zh(app, "No payments."))
            page.goto("/fees/payments")
            expect(page.locator("main table")).to_contain_text("26432000000012345678")

        # --- The birth, and a reduction asked for with its evidence ------------------------
        with steps("birth-charged") as page:
            charge_suggested(app, page, cases["birth"], "出生", "150.00")
            expect(fee_panel(page)).to_contain_text("证明法律事实类")
        with steps("reduction-form") as page:
            fee_panel(page).get_by_role("link", name=shown_as(app, "Request reduction")).click()
            label(app, page, "Request").select_option("reduce")
            label(app, page, "Ground").select_option("minimum_living")
            label(app, page, "Percentage off").fill("50")
            label(app, page, "Explanation").fill("申请人持耒阳市城乡居民最低生活保障证，家庭困难。")
        with steps("reduction-needs-evidence") as page:
            button(app, page, "Send to the director").click()
            expect(page.locator('[data-field-error="evidence"]')).to_be_visible()
        with steps("reduction-requested") as page:
            label(app, page, "Evidence (PDF, JPEG or PNG)").set_input_files(str(evidence))
            button(app, page, "Send to the director").click()
            expect_success(page)

        # --- Director: a will issued free, with the reason on file --------------------------
        page = open_signed_in(browser, live_server, staff["director"], checks, contexts)
        # The director's list says what each request is worth: the fee and what it takes off.
        with steps("reductions-waiting", page) as page:
            page.goto("/fees/reductions")
            row = page.locator(f'main table tbody tr:has(a[href$="/cases/{cases["birth"]}#fees"])')
            expect(row.locator("td.text-end").nth(0)).to_have_text("150.00")
            expect(row.locator("td.text-end").nth(2)).to_have_text("75.00")
            row.get_by_role("link", name=shown_as(app, "Decide")).click()
        with steps("reduction-approved") as page:
            label(app, page, "Decision").select_option("approve")
            button(app, page, "Record decision").click()
            expect_success(page)
            page.goto(f"/cases/{cases['birth']}")
            expect(fee_panel(page)).to_contain_text("75.00")
        # The half year's totals (read from the fee day book) carry today's two payments,
        # the approved reduction, and the notary who handles the four cases.
        with steps("fee-totals") as page:
            page.goto("/fees/totals")
            month = page.locator("main table").first.locator(
                f'tbody tr:has(td:text-is("{office_today():%Y-%m}"))')
            expect(month.locator("td")).to_have_text([
                f"{office_today():%Y-%m}", "2", "4,900.00", "0.00", "4,900.00"])
            notary = page.locator("main table").nth(2).locator("tbody tr")
            expect(notary).to_have_count(1)
            expect(notary.locator("td")).to_have_text([
                staff["notary"]["full_name"], "4,900.00", "0.00", "75.00", "1"])
            expect(page.locator(".fee-summary")).to_contain_text("75.00")
        with steps("will-needs-a-reason") as page:
            page.goto(f"/cases/{cases['will']}")
            expect(fee_panel(page).locator(".alert-warning")).to_be_visible()
        with steps("no-charge-form") as page:
            link(app, page, "Record why nothing is charged").click()
            label(app, page, "Why nothing is charged").select_option("waived")
            label(app, page, "Rule or decision").fill(
                "主任决定：立遗嘱人年满八十周岁，首次办理遗嘱公证，免收")
        with steps("no-charge-recorded") as page:
            button(app, page, "Record").click()
            expect_success(page)
            expect(fee_panel(page)).to_contain_text("首次办理遗嘱公证")
            fee_panel(page).screenshot(path=str(checks.file("panel-will.png")))
            expect(fee_panel(page).locator(".alert-warning")).to_have_count(0)

        # --- Administrator: the tariff, a confirmation, a new matter's fee line --------------
        page = open_signed_in(browser, live_server, office["admin"], checks, contexts)
        with steps("tariff-index", page) as page:
            page.goto("/admin/tariffs/")
            expect(page.locator("main")).to_contain_text("湘发改价费规〔2020〕818号")
            page.locator("main").get_by_role("link", name=re.compile("737号")).click()
        with steps("schedule-737") as page:
            expect(page.locator("main .alert-danger")).to_have_count(0)  # every matter priced
            page.locator("main table.tariff-lines").get_by_role("link", name="出生",
                                                                exact=True).click()
        with steps("line-confirmed") as page:
            label(app, page, "Article of the document").fill("附件·证明法律事实类第1项")
            label(app, page, "Source").fill("湘发改价费规〔2025〕737号附件（本处存档纸质文件）")
            label(app, page, "Checked against the document: the figures are confirmed").check()
            button(app, page, "Save").click()
            expect_success(page)
            row = page.locator("main table.tariff-lines tbody tr").filter(
                has_text="附件·证明法律事实类第1项")
            expect(row).to_contain_text(zh(app, "confirmed"))
        with steps("schedule-form") as page:
            link(app, page, "Edit").click()
            expect(label(app, page, "Document number (文号)")).to_have_value(
                "湘发改价费规〔2025〕737号")
            link(app, page, "Cancel").click()
        with steps("new-matter") as page:
            page.goto("/admin/matters/new")
            label(app, page, "Code").fill("lost_certificate")
            label(app, page, "Matter name").fill("证书遗失")
            button(app, page, "Save").click()
            # The same flow asks for the matter's fee line, in the schedule in force.
            expect(page).to_have_url(re.compile(r"/admin/tariffs/\d+/items/new\?matter="))
            expect(label(app, page, "Code")).to_have_value("lost_certificate")
            label(app, page, "Basis").select_option("agreed")
            label(app, page, "Pricing").select_option("market_regulated")
            label(app, page, "Class in the provincial table").select_option("legal_fact")
        with steps("new-matter-priced") as page:
            button(app, page, "Save").click()
            expect_success(page)
            expect(page.locator("main .alert-danger")).to_have_count(0)
            expect(page.locator("main table.tariff-lines")).to_contain_text("证书遗失")
    finally:
        for context in contexts:
            context.close()

    # --- What the server stored ----------------------------------------------------------------
    db.session.remove()
    charged = {c.case_id: c for c in db.session.scalars(sa.select(Charge))}
    assert charged[cases["inheritance"]].amount == Decimal("4600.00")
    assert charged[cases["inheritance"]].suggested_value == Decimal("1200000.00")
    assert charged[cases["power_of_attorney"]].amount == Decimal("300.00")
    assert charged[cases["birth"]].amount == Decimal("150.00")
    current = db.session.scalars(sa.select(FeeSchedule).where(
        FeeSchedule.effective_from == date(2025, 11, 13))).one()
    assert {c.schedule_id for c in charged.values()} == {current.id}
    bills = {p.case_id: p.bill_number for p in db.session.scalars(sa.select(Payment))}
    assert bills == {cases["inheritance"]: "4304261205000001",
                     cases["power_of_attorney"]: "26432000000012345678"}
    assert db.session.scalars(sa.select(NoChargeRecord.case_id)).one() == cases["will"]
    db.session.remove()
