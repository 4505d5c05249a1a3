"""Uploads: the content decides the type, the size is limited, the client's name never
becomes a path, and a stored file only ever comes back as a sandboxed download."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from notary.casefile import services as casefile
from notary.cases.models import Material
from notary.cases.rules import Action, CaseStatus
from notary.cases.workflow import perform
from notary.certificates import followup
from notary.core.permissions import Role
from notary.core.uploads import content_disposition
from notary.extensions import db
from tests.cases.samples import advance, pdf_bytes, step_data
from tests.certificates.conftest import inheritance_case
from tests.factories import create_staff, person, register_case

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def upload(client, case_id: int, data: bytes, name: str, content_type: str = "application/pdf"):
    return client.post(f"/cases/{case_id}/materials", content_type="multipart/form-data",
                       data={"title": "材料", "file": (io.BytesIO(data), name, content_type)})


def stored_files(app) -> list[Path]:
    return [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]


@pytest.mark.parametrize(("data", "name", "content_type"), [
    (HTML, "申请表.pdf", "application/pdf"),  # HTML renamed .pdf, claimed as a PDF
    (HTML, "scan.png", "image/png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "a.jpg", "image/jpeg"),
    (b"%PDF-1.7\n" + HTML, "half.pdf", "application/pdf"),  # a PDF header, no PDF end
    (b"MZ\x90\x00" + b"\x00" * 64, "setup.pdf", "application/pdf"),
])
def test_a_disguised_file_is_refused_and_nothing_is_stored(app, login_as, data, name,
                                                           content_type):
    client = login_as(Role.FRONT_DESK)
    case = register_case(client.user)
    page = client.get(upload(client, case.id, data, name, content_type).headers["Location"])
    assert "仅接受PDF、JPEG和PNG格式的文件" in page.get_data(as_text=True) or \
        "文件已损坏或不完整" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Material.id))) == 0
    assert stored_files(app) == []


def test_a_file_over_the_size_limit_is_refused(app, login_as):
    app.config["UPLOAD_MAX_BYTES"] = 1024
    client = login_as(Role.FRONT_DESK)
    case = register_case(client.user)
    big = pdf_bytes()[:-6] + b" " * 2048 + b"%%EOF\n"
    upload(client, case.id, big, "big.pdf")
    assert db.session.scalar(sa.select(sa.func.count(Material.id))) == 0
    assert stored_files(app) == []


def test_the_client_file_name_never_becomes_a_path(app, login_as):
    client = login_as(Role.FRONT_DESK)
    case = register_case(client.user)
    upload(client, case.id, pdf_bytes(), "../../../../etc/cron.d/evil.pdf")
    material = db.session.scalars(sa.select(Material)).one()
    assert material.original_filename == "evil.pdf"
    [path] = stored_files(app)
    assert path.resolve().is_relative_to(Path(app.config["UPLOAD_FOLDER"]).resolve())
    assert "evil" not in path.name and path.suffix == ".pdf"
    assert path.as_posix().endswith(material.stored_path)


def test_a_download_is_an_attachment_with_nosniff_and_a_sandbox(app, login_as):
    client = login_as(Role.FRONT_DESK)
    case = register_case(client.user)
    upload(client, case.id, pdf_bytes(), "申请表.pdf")
    material = db.session.scalars(sa.select(Material)).one()
    response = client.get(f"/cases/{case.id}/materials/{material.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    response.close()


BAD_NAMES = ["a\x0bb.pdf", "a\x00b.pdf", "a\x1fb\x7f.pdf", "a\x85b.pdf", "\u202efdp.exe.pdf",
             "a\u2028b.pdf", "a\r\nX-Injected: 1.pdf", "\u200b.pdf"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_a_stored_bad_name_still_downloads_under_a_clean_name(app, login_as, name):
    # A record stored before names were cleaned on the way in: the download still works.
    client = login_as(Role.FRONT_DESK)
    case = register_case(client.user)
    upload(client, case.id, pdf_bytes(), "x.pdf")
    material = db.session.scalars(sa.select(Material)).one()
    material.original_filename = name
    if "\x00" in name and db.engine.dialect.name == "postgresql":
        # PostgreSQL text cannot hold NUL: no such record can exist there to download.
        with pytest.raises(sa.exc.DataError):
            db.session.commit()
        db.session.rollback()
        return
    db.session.commit()
    response = client.get(f"/cases/{case.id}/materials/{material.id}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) < 0xa0 for c in disposition)
    assert "\u202e" not in disposition and "%E2%80%AE" not in disposition
    assert "X-Injected" not in response.headers
    response.close()


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + HTML + b"\n%%EOF\n",  # a PDF header and end over HTML
    b"%PDF-1.7\n" + HTML + b"\nstartxref\n9\n%%EOF\n",  # ... with a made-up startxref
    b"%PDF-1.4\n%" + b"x" * 600 + b"\n" + HTML + b"\n" + pdf_bytes()[9:],  # markup, then a PDF
    pdf_bytes()[:120] + b"\n%%EOF\n",  # a truncated PDF given an end marker
    b"\x89PNG\r\n\x1a\n" + HTML + b"IEND",  # a PNG header and end over HTML
    b"\xff\xd8\xff\xe0" + HTML + b"\xff\xd9",  # a JPEG header and end over HTML
])
def test_a_polyglot_with_real_headers_and_end_markers_is_refused(app, login_as, data):
    client = login_as(Role.FRONT_DESK)
    case = register_case(client.user)
    page = client.get(upload(client, case.id, data, "x.pdf").headers["Location"])
    assert "文件已损坏或不完整" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Material.id))) == 0
    assert stored_files(app) == []


@pytest.mark.parametrize("name", [n for n in BAD_NAMES if "\n" not in n])
def test_a_bad_name_is_cleaned_before_it_is_stored(app, login_as, name):
    client = login_as(Role.FRONT_DESK)
    case = register_case(client.user)
    upload(client, case.id, pdf_bytes(), name)
    stored = db.session.scalars(sa.select(Material.original_filename)).one()
    assert stored.endswith(".pdf")
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in stored)


def test_a_chinese_name_downloads_with_rfc_6266_filename_star(app, login_as):
    client = login_as(Role.FRONT_DESK)
    case = register_case(client.user)
    upload(client, case.id, pdf_bytes(), "申请表.pdf")
    material = db.session.scalars(sa.select(Material)).one()
    response = client.get(f"/cases/{case.id}/materials/{material.id}")
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"download.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.pdf")
    response.close()


def _served_safely(response, content_type: str) -> None:
    assert response.status_code == 200
    assert response.mimetype == content_type
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_a_delivery_receipt_is_typed_by_its_content_not_its_name(app, login_as):
    desk, director = create_staff(Role.FRONT_DESK), create_staff(Role.DIRECTOR)
    notary = create_staff(Role.NOTARY)
    case = inheritance_case(desk, notary, director, to=CaseStatus.ISSUED)
    perform(case, Action.DELIVER, step_data(Action.DELIVER, case), actor=notary)
    followup.record_receipt(case, "", io.BytesIO(pdf_bytes()), "r\x0b.html", actor=notary)
    response = login_as(notary).get(f"/certificates/cases/{case.id}/delivery/receipt")
    _served_safely(response, "application/pdf")
    assert 'filename="r.html"' in response.headers["Content-Disposition"]


def test_a_will_recording_is_typed_by_its_content_not_its_name(app, login_as):
    notary = create_staff(Role.NOTARY)
    case = register_case(create_staff(Role.FRONT_DESK), matters=("will",),
                         applicants=(person("刘奶奶", birth_date=date(1940, 1, 1)),))
    advance(case, CaseStatus.UNDER_REVIEW, notary=notary, director=create_staff(Role.DIRECTOR))
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    casefile.attach_recording(case, io.BytesIO(mp4), "谈话\u202e4pm.html", actor=notary)
    response = login_as(notary).get(f"/casefile/cases/{case.id}/recording/file")
    _served_safely(response, "video/mp4")
    assert "%E2%80%AE" not in response.headers["Content-Disposition"]


@pytest.mark.parametrize(("name", "header"), [
    ("receipt", 'attachment; filename="receipt"'),
    ("scan 1.pdf", 'attachment; filename="scan 1.pdf"'),
    ('a"b\\c.pdf', 'attachment; filename="c.pdf"'),  # a path part is never kept
    ('a"b.pdf', "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"),
    ("回执", "attachment; filename=\"download\"; filename*=UTF-8''%E5%9B%9E%E6%89%A7"),
    ("\u202e\x0b", 'attachment; filename="download"'),
])
def test_the_attachment_header_of_a_name(name, header):
    assert content_disposition(name) == header
