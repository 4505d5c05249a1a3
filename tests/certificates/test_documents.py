"""Documents that hold up: every name prints in every PDF (fonts embedded, text extractable),
the wording comes from the facts on the case, and a certificate's QR code points home."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from notary.cases.models import Category
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import StepData, perform
from notary.certificates import services
from notary.certificates.models import Certificate, VerificationAddress
from notary.core.errors import ValidationFailed
from notary.extensions import db
from notary.inheritance import services as inheritance
from notary.inheritance.models import AssetKind, DeathProof, LossGround
from notary.inheritance.rules import Relation
from tests.cases.samples import advance
from tests.certificates.conftest import pdf_fonts, pdf_text, qr_codes
from tests.factories import person, register_case

NAMES = ("李𠮷", "王𡒄")  # U+20BB7 and U+21484: CJK Extension B, in neither UMing nor Zen Hei


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_names_print(data: bytes, tmp_path: Path) -> set[str]:
    """Every font embedded (pdffonts), both names back from pdftotext; the font names."""
    fonts = pdf_fonts(data, tmp_path)
    assert fonts and all(row[-5] == "yes" for row in fonts), fonts  # emb
    assert all(row[-3] == "yes" for row in fonts), fonts  # uni: a ToUnicode map each
    text = flat(pdf_text(data, tmp_path))
    for name in NAMES:
        assert name in text, (name, text[:400])
    assert "₻" not in text  # U+20BB: what a five-digit ToUnicode entry gives back for 𠮷
    return {row[0].split("+")[-1] for row in fonts}


# --- every name prints ------------------------------------------------------------------------


def test_a_certificate_for_li_ji_and_wang_prints_both_names(app, desk, notary, director,
                                                            tmp_path: Path) -> None:
    case = register_case(desk, matters=("declaration",),
                         applicants=(person(NAMES[0]), person(NAMES[1])))
    advance(case, CaseStatus.ISSUED, notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    fonts = assert_names_print(services.stored_pdf(cert), tmp_path)
    assert "BabelStoneHan" in fonts and "UMingCN-0" in fonts  # the serif and its fallback


def test_a_record_for_li_ji_and_wang_prints_both_names(app, desk, notary, director, login_as,
                                                       tmp_path: Path) -> None:
    from notary.investigations import services as investigations
    from notary.investigations.models import Method, PersonRole

    case = advance(register_case(desk, matters=("declaration",), applicants=(
        person(NAMES[0]),)), CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    task = investigations.create_investigation(case, investigations.TaskData(
        Method.PHONE, f"电话核实{NAMES[0]}的身份", [notary.id]), actor=notary)
    record = investigations.add_record(task, investigations.RecordData(
        place="公证处", started_at=case.accepted_at, recorder_id=notary.id,
        persons=[investigations.PersonData(PersonRole.QUESTIONED, name) for name in NAMES],
        questions=[(f"{NAMES[1]}与{NAMES[0]}是什么关系？", "夫妻。")]), actor=notary)
    response = login_as(notary).get(f"/investigations/records/{record.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "WenQuanYiZenHei-0" in assert_names_print(response.data, tmp_path)


def test_a_receipt_for_li_ji_and_wang_prints_both_names(app, desk, notary, director, login_as,
                                                        tmp_path: Path) -> None:
    from notary.fees import services as fees
    from notary.fees.models import PaymentMethod
    from tests.fees.helpers import item, seed_example_tariff

    tariff = seed_example_tariff()
    case = advance(register_case(desk, matters=("declaration",), applicants=(
        person(NAMES[0]), person(NAMES[1]))), CaseStatus.UNDER_REVIEW, notary=notary,
        director=director)
    fees.add_charge(case, fees.ChargeData(item_id=item(tariff, "translation").id), actor=desk)
    payment = fees.record_payment(
        case, fees.PaymentData(Decimal("100"), PaymentMethod.CASH, NAMES[1]), actor=desk)
    response = login_as(desk).get(f"/fees/cases/{case.id}/payments/{payment.id}/receipt.pdf")
    assert response.status_code == 200
    assert_names_print(response.data, tmp_path)


def test_the_register_prints_both_names(app, desk, notary, director, login_as,
                                        tmp_path: Path) -> None:
    for name in NAMES:
        advance(register_case(desk, matters=("declaration",), applicants=(person(name),)),
                CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    response = login_as(notary).get("/cases/register.pdf?year=2026")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_names_print(response.data, tmp_path)
    assert "公证登记簿（2026年）" in flat(pdf_text(response.data, tmp_path))


def test_a_character_no_font_has_gets_the_same_page_from_every_pdf(
        app, desk, notary, director, login_as) -> None:
    # 𰁁 (U+30041, Extension G) is in none of the fonts: the receipt, the statement and the
    # draft certificate all answer with the one page naming it and leading back to the case.
    from notary.fees import services as fees
    from notary.fees.models import PaymentMethod
    from tests.fees.helpers import item, seed_example_tariff

    tariff = seed_example_tariff()
    case = advance(register_case(desk, matters=("declaration",), applicants=(
        person("𰁁春华"),)), CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    fees.add_charge(case, fees.ChargeData(item_id=item(tariff, "translation").id), actor=desk)
    payment = fees.record_payment(
        case, fees.PaymentData(Decimal("100"), PaymentMethod.CASH, "𰁁春华"), actor=desk)
    services.prepare_drafts(case, actor=notary)
    cert = services.certificates_of(case.id)[0]
    client = login_as(notary)
    for url in (f"/fees/cases/{case.id}/payments/{payment.id}/receipt.pdf",
                f"/fees/cases/{case.id}/statement.pdf", f"/certificates/{cert.id}/preview.pdf"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 409, url
        assert "𰁁" in html and "U+30041" in html, url
        assert f'href="/cases/{case.id}#' in html, url


# --- wording from the facts ------------------------------------------------------------------


def _inheritance_draft(desk: Any, notary: Any, director: Any, applicant: str,
                       family: Any) -> tuple[Any, Certificate]:
    case = register_case(desk, matters=("inheritance",), applicants=(person(applicant),))
    advance(case, CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    inheritance.save_decedent(case, inheritance.DecedentData(
        "李德胜", date(2024, 3, 1), DeathProof.MEDICAL, death_place="湖南省耒阳市"),
        actor=notary)
    family(case)
    services.prepare_drafts(case, actor=notary)
    return case, services.certificates_of(case.id)[0]


def _member(case: Any, name: str, relation: Relation, **kw: Any) -> int:
    inheritance.save_member(case, None, inheritance.MemberData(name, relation, **kw),
                            actor=case.handling_notary)
    return next(m.id for m in inheritance.members_of(case.id) if m.name == name)


def _table(case: Any) -> dict[str, str]:
    """The determination table as the inheritance panel shows it: name -> share."""
    summary = inheritance.determination_summary(case)
    assert summary is not None
    return {p["name"]: p["share"] for p in summary["people"] if p["final"]}


def test_a_widow_with_two_children_and_the_marital_home(app, desk, notary, director) -> None:
    def family(case: Any) -> None:
        _member(case, "王秀英", Relation.SPOUSE)
        _member(case, "李明", Relation.CHILD)
        _member(case, "李华", Relation.CHILD)
        inheritance.add_asset(case, inheritance.AssetData(
            AssetKind.REAL_ESTATE, "耒阳市蔡子池街道住房一套", Decimal("600000"),
            is_marital=True), actor=notary)
        inheritance.add_asset(case, inheritance.AssetData(
            AssetKind.DEPOSIT, "中国银行耒阳支行存款", Decimal("90000")), actor=notary)

    case, cert = _inheritance_draft(desk, notary, director, "王秀英", family)
    assert _table(case) == {"王秀英": "1/3", "李明": "1/3", "李华": "1/3"}
    body = cert.body
    # The spouse's own half comes out first (art. 1153), then three equal shares.
    assert ("耒阳市蔡子池街道住房一套为被继承人与其配偶王秀英的夫妻共同财产，"
            "其中一半为王秀英所有") in body
    assert "第一千一百五十三条" in body
    assert "被继承人的遗产由王秀英、李明、李华共同继承，各继承三分之一" in body
    assert ("耒阳市蔡子池街道住房一套：王秀英占三分之二（含其夫妻共同财产的一半）、"
            "李明占六分之一、李华占六分之一") in body
    assert "中国银行耒阳支行存款：王秀英占三分之一、李明占三分之一、李华占三分之一" in body


def test_a_predeceased_son_with_children(app, desk, notary, director) -> None:
    def family(case: Any) -> None:
        _member(case, "李华", Relation.CHILD)
        son = _member(case, "李建国", Relation.CHILD, death_date=date(2019, 5, 1))
        _member(case, "李小龙", Relation.DESCENDANT, via_id=son)
        _member(case, "李小凤", Relation.DESCENDANT, via_id=son)
        inheritance.add_asset(case, inheritance.AssetData(
            AssetKind.DEPOSIT, "农业银行存款", Decimal("120000")), actor=notary)

    case, cert = _inheritance_draft(desk, notary, director, "李华", family)
    assert _table(case) == {"李华": "1/2", "李小龙": "1/4", "李小凤": "1/4"}
    body = cert.body
    assert "被继承人的子女李建国于二〇一九年五月一日先于被继承人死亡" in body
    assert "由其晚辈直系血亲李小龙、李小凤代位继承" in body and "第一千一百二十八条" in body
    assert "被继承人的遗产由李华继承二分之一、李小龙继承四分之一、李小凤继承四分之一继承" in body
    assert "农业银行存款：李华占二分之一、李小龙占四分之一、李小凤占四分之一" in body


def test_a_renouncing_daughter_and_the_draft_follows_the_determination(
        app, desk, notary, director) -> None:
    ids: dict[str, int] = {}

    def family(case: Any) -> None:
        ids["son"] = _member(case, "李明", Relation.CHILD)
        _member(case, "李红", Relation.CHILD, renounced=True, renounced_on=date(2024, 6, 1))
        inheritance.add_asset(case, inheritance.AssetData(
            AssetKind.DEPOSIT, "建设银行存款", Decimal("50000")), actor=notary)

    case, cert = _inheritance_draft(desk, notary, director, "李明", family)
    assert _table(case) == {"李明": "1"}
    assert "被继承人的子女李红于二〇二四年六月一日以书面形式表示放弃继承" in cert.body
    assert "第一千一百二十四条" in cert.body
    assert "被继承人的遗产由李明一人继承" in cert.body
    assert "建设银行存款：李明占全部" in cert.body
    # A new heir recorded after drafting: the (unedited) draft follows the determination.
    _member(case, "李强", Relation.CHILD, lost_right_ground=LossGround.ABANDONED)
    _member(case, "王秀英", Relation.SPOUSE)
    db.session.refresh(cert)
    assert _table(case) == {"李明": "1/2", "王秀英": "1/2"}
    assert "李明、王秀英共同继承，各继承二分之一" in cert.body
    assert "被继承人的子女李强因遗弃被继承人，或者虐待被继承人情节严重，丧失继承权" in cert.body


def test_a_birth_certificate_states_place_and_parents(app, desk, notary, director) -> None:
    case = advance(register_case(desk, matters=("birth",), applicants=(person(
        "张小敏", birth_date=date(1995, 8, 9), birth_province="湖南省", birth_county="耒阳市",
        father_name="张建军", mother_name="刘桂兰"),)), CaseStatus.UNDER_REVIEW, notary=notary,
        director=director)
    body = services.prepare_drafts(case, actor=notary)[0].body
    assert body == ("兹证明张小敏（男）于一九九五年八月九日在湖南省耒阳市出生。"
                    "张小敏的父亲是张建军，母亲是刘桂兰。")


def test_a_birth_draft_without_the_birth_record_cannot_be_approved(
        app, desk, notary, director) -> None:
    case = advance(register_case(desk, matters=("birth",), applicants=(person(
        "张小敏", birth_province=None, birth_county=None, father_name=None,
        mother_name=None),)), CaseStatus.AWAITING_APPROVAL, notary=notary, director=director)
    with pytest.raises(ValidationFailed) as refused:
        perform(case, Action.APPROVE, StepData(), actor=director)
    assert "×××" in " ".join(refused.value.errors[""])


def test_a_marital_status_draft_is_a_declaration_not_a_fact(app, desk, notary,
                                                            director) -> None:
    case = advance(register_case(desk, matters=("unmarried",)), CaseStatus.UNDER_REVIEW,
                   notary=notary, director=director)
    body = services.prepare_drafts(case, actor=notary)[0].body
    assert "在前面的《未婚声明书》上签名" in body and "保证声明内容完全真实" in body
    assert "未曾登记结婚" not in body
    app.config["MARITAL_STATUS_FORM"] = "no_record"
    app.config["MARITAL_REGISTRY_NAME"] = "（耒阳市民政局婚姻登记处）"
    body = services.prepare_drafts(case, actor=notary)[0].body
    assert body == "兹证明张三在其户籍所在地婚姻登记机关（耒阳市民政局婚姻登记处）无婚姻登记记录。"


def test_below_the_marriage_age_the_substantive_wording_stays(app, desk, notary,
                                                              director) -> None:
    young = person("张小军", birth_date=date(2007, 1, 1))  # 19 in 2026: below 22 (art. 1047)
    case = advance(register_case(desk, matters=("unmarried",), applicants=(young,)),
                   CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    assert "张小军至" in services.prepare_drafts(case, actor=notary)[0].body
    assert "未曾登记结婚" in services.certificates_of(case.id)[0].body


def test_a_french_translation_case_says_french(app, desk, notary, director,
                                               tmp_path: Path) -> None:
    case = register_case(desk, matters=("birth",), category=Category.FOREIGN_CIVIL,
                         place_of_use="法国", translation_language="法语", applicants=(person(
                             "欧阳小明", birth_date=date(1990, 4, 2), father_name="欧阳建国",
                             mother_name="王丽"),))
    advance(case, CaseStatus.ISSUED, notary=notary, director=director)
    cert = services.certificates_of(case.id)[0]
    assert cert.language == "fr"
    assert cert.body_en == ("Il est certifié que Ouyang Xiaoming (masculin) est né(e) à "
                            "Leiyang, Hunan le 2 avril 1990. Le père de Ouyang Xiaoming est "
                            "Ouyang Jianguo et la mère est Wang Li.")
    assert "Requérant: Ouyang Xiaoming, masculin, né(e) le 2 avril 1990" in \
        cert.applicant_block_en
    text = flat(pdf_text(services.stored_pdf(cert), tmp_path))
    assert "ACTENOTARIÉ" in text and "Objet:Naissance" in text and "Notaire:" in text
    assert "兹证明前面的法文译文与中文原本内容相符" in text
    assert "英文" not in text and "English" not in text
    # Page 2, the French page, whole: number, labels, footer; no Chinese character.
    french_page = pdf_text(services.stored_pdf(cert), tmp_path).split("\f")[1]
    assert "ACTE NOTARIÉ" in french_page and "(2026) Xiang Heng Lei Zheng Zi No. 1" in \
        french_page and "Page 2" in french_page
    assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", french_page), french_page


def test_a_translation_page_with_chinese_left_cannot_be_approved(app, desk, notary,
                                                                 director, login_as) -> None:
    case = advance(register_case(desk, matters=("declaration",), category=Category.FOREIGN_CIVIL,
                                 place_of_use="美国", translation_language="英语"),
                   CaseStatus.UNDER_REVIEW, notary=notary, director=director)
    cert = services.prepare_drafts(case, actor=notary)[0]
    assert "Zhang San" in cert.body_en and "张三" not in cert.body_en
    response = login_as(notary).post(f"/certificates/{cert.id}/edit", data={
        "applicant_block": cert.applicant_block, "matter_text": "声明", "body": cert.body,
        "body_en": "This is to certify that 张三 signed."})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-field-error="body_en"' in html
    assert "张（U+5F20）" in html


# --- verification that points home -----------------------------------------------------------


def test_issuing_with_the_default_public_address_is_refused_saying_what_to_set(
        app, desk, notary, director) -> None:
    app.config["PUBLIC_BASE_URL"] = None  # the built-in default: not set
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.APPROVED,
                   notary=notary, director=director)
    with pytest.raises(ValidationFailed) as refused:
        perform(case, Action.ISSUE, StepData(), actor=notary)
    message = " ".join(refused.value.errors[""])
    assert "PUBLIC_BASE_URL" in message and "instance/config.py" in message
    assert case.status is CaseStatus.APPROVED
    assert db.session.scalar(sa.select(sa.func.count(VerificationAddress.id))) == 0


def test_a_certificate_never_points_elsewhere_than_the_office_recorded(
        app, desk, notary, director, tmp_path: Path) -> None:
    from notary.core.permissions import Role
    from tests.factories import create_staff

    admin = create_staff(Role.ADMIN)
    first = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                    notary=notary, director=director)
    cert = services.certificates_of(first.id)[0]
    assert cert.verify_base_url == "https://gz.leiyang.test"
    assert services.recorded_address().url == "https://gz.leiyang.test"
    # The same database served under another address (a copied configuration, a test
    # server): issuing is refused, and the certificate already issued keeps its address.
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    second = advance(register_case(desk, matters=("declaration",)), CaseStatus.APPROVED,
                     notary=notary, director=director)
    with pytest.raises(ValidationFailed) as refused:
        perform(second, Action.ISSUE, StepData(), actor=notary)
    assert "https://gz.leiyang.test" in " ".join(refused.value.errors[""])
    assert qr_codes(services.stored_pdf(cert), tmp_path) == [
        f"https://gz.leiyang.test/verify/{cert.verification_code}"]
    # The office has moved: the administrator records the new address; issuing resumes.
    services.move_address(actor=admin)
    perform(second, Action.ISSUE, StepData(), actor=notary)
    assert services.certificates_of(second.id)[0].verify_base_url == "http://127.0.0.1:5000"


def test_the_verification_page_answers_in_the_readers_language(app, desk, notary, director,
                                                               client) -> None:
    case = advance(register_case(desk, matters=("declaration",)), CaseStatus.ISSUED,
                   notary=notary, director=director)
    code = services.certificates_of(case.id)[0].verification_code
    english = client.get(f"/verify/{code}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    html = english.get_data(as_text=True)
    assert "Verify a notarial certificate" in html and "Leiyang Notary Public Office" in html
    chinese = client.get(f"/verify/{code}",
                         headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "公证书真伪查验" in chinese.get_data(as_text=True)
    french = client.get(f"/verify/{code}", headers={"Accept-Language": "fr-FR,en;q=0.5"})
    assert "Verify a notarial certificate" in french.get_data(as_text=True)
    # Pages for staff stay Chinese whatever the browser says.
    login = client.get("/login", headers={"Accept-Language": "en"})
    assert "Verify" not in login.get_data(as_text=True)
