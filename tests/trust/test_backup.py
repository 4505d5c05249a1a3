"""`flask backup create` and `flask backup restore` round-trip the database, the uploaded
materials and the issued certificate PDFs, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from notary.cases import services as case_services
from notary.certificates.models import Certificate
from notary.certificates.services import stored_pdf
from notary.core.permissions import Role
from notary.extensions import db
from tests.certificates.conftest import inheritance_case
from tests.factories import create_staff, register_case
from tests.test_permissions import PNG
from tests.test_security import database_state


def stored_files(app: Flask) -> dict[str, str]:
    out = {}
    for key in ("UPLOAD_FOLDER", "CERTIFICATE_FOLDER"):
        root = Path(app.config[key])
        for path in sorted(root.rglob("*")):
            if path.is_file():
                out[f"{key}/{path.relative_to(root)}"] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return out


def run(app: Flask, *args: str) -> tuple[int, str]:
    db.session.remove()  # let the command drop and rewrite the tables
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def office_with_records(app: Flask) -> None:
    desk, notary, director = (create_staff(Role.FRONT_DESK), create_staff(Role.NOTARY),
                              create_staff(Role.DIRECTOR))
    issued = inheritance_case(desk, notary, director)
    case = register_case(desk)
    case_services.add_material(case, "户口簿", "hukou.png", io.BytesIO(PNG), actor=desk)
    cert = db.session.scalars(sa.select(Certificate).where(
        Certificate.case_id == issued.id)).one()
    stored_pdf(cert)  # the issued PDF is rendered and stored on first download
    assert cert.pdf_path


def test_backup_then_restore_brings_back_every_row_and_file(app, tmp_path):
    office_with_records(app)
    rows, files = database_state(), stored_files(app)
    assert any(k.startswith("CERTIFICATE_FOLDER/") for k in files)
    assert any(k.startswith("UPLOAD_FOLDER/") for k in files)

    code, output = run(app, "backup", "create", "--output", str(tmp_path / "backups"))
    assert code == 0, output
    archive = next((tmp_path / "backups").glob("notary-backup-*.tar.gz"))
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "manifest.json" in names
    assert {"database.sqlite3", "database.pgdump"} & names

    # Damage: more data, a lost upload, a changed certificate file.
    register_case(create_staff(Role.FRONT_DESK))
    upload = next(p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file())
    upload.unlink()
    pdf = next(p for p in Path(app.config["CERTIFICATE_FOLDER"]).rglob("*.pdf"))
    pdf.write_bytes(b"%PDF-1.7 overwritten")
    assert database_state() != rows

    code, output = run(app, "backup", "restore", str(archive))
    assert code != 0 and "--force" in output  # a database holding data is not overwritten
    assert stored_files(app) != files

    code, output = run(app, "backup", "restore", "--force", str(archive))
    assert code == 0, output
    assert database_state() == rows
    assert stored_files(app) == files
    assert run(app, "audit", "verify")[0] == 0


def test_a_damaged_archive_is_refused_before_anything_changes(app, tmp_path):
    office_with_records(app)
    assert run(app, "backup", "create", "--output", str(tmp_path))[0] == 0
    archive = next(tmp_path.glob("notary-backup-*.tar.gz"))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name.startswith("uploads/") and member.isfile():
                data = data[:-1] + b"!"
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    rows = database_state()
    code, output = run(app, "backup", "restore", "--force", str(damaged))
    assert code != 0 and "does not match its hash" in output
    assert database_state() == rows
