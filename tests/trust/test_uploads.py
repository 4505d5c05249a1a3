"""Uploads: the content decides the type, the size is limited, the client's name never
becomes a path, and a stored file only ever comes back as a sandboxed download."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from notary.cases.models import Material
from notary.core.permissions import Role
from notary.extensions import db
from tests.cases.samples import pdf_bytes
from tests.factories import register_case

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
