"""The ledger upload page: check (dry run) first, then import all rows or none."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

from flask import current_app, render_template, send_file, stream_with_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from notary.core import audit_labels
from notary.core.permissions import Permission, permission_required
from notary.ledger import bp, services
from notary.ledger.forms import LedgerForm

audit_labels.register_audit_labels(actions={"ledger.import": _l("Ledger imported")},
                                   fields={"source": _l("File"), "cases": _l("Cases"),
                                           "consultations": _l("Consultations"),
                                           "skipped": _l("Already imported")})


CHECKED_FILE_HOURS = 24  # a checked file never confirmed is deleted after this


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "ledger"


def _store(name: str, content: bytes) -> str:
    """Keep the checked file until the import is confirmed; its name is its hash.

    The file holds personal data (names, ID numbers): it is deleted as soon as the import
    reads it back (whatever comes of the import), and one left unconfirmed for
    CHECKED_FILE_HOURS is deleted the next time a file is checked.
    """
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - CHECKED_FILE_HOURS * 3600
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = hashlib.sha256(content).hexdigest() + Path(name).suffix.lower()
    (folder / token).write_bytes(content)
    return token


def _take_stored(token: str) -> bytes | None:
    """The checked file's content, deleting the file (it is read once, for the import)."""
    if not token or "/" in token or "\\" in token or token.startswith("."):
        return None
    path = _folder() / token
    if not path.is_file():
        return None
    content = path.read_bytes()
    path.unlink(missing_ok=True)
    return content


@bp.route("/", methods=["GET", "POST"])
@permission_required(Permission.LEDGER_IMPORT)
def index() -> str | Response:
    form = LedgerForm()
    result, token, name = None, None, None
    if form.validate_on_submit():
        if form.token.data:  # the confirmed import of a file checked before
            content = _take_stored(form.token.data)
            name = form.name.data or form.token.data
            if content is not None:
                return _stream_import(name, content)
            form.file.errors = [_("The checked file is no longer available; choose it again.")]
        elif form.file.data is not None and bool(getattr(form.file.data, "filename", None)):
            name = form.file.data.filename or "ledger"
            content = form.file.data.read()
            ledger = services.read_ledger([(name, content)])
            result = services.import_ledger(ledger, actor=current_user, dry_run=True)
            if result.ok and (result.cases or result.consultations):
                token = _store(name, content)
        else:
            form.file.errors = [_("Choose an XLSX or CSV file.")]
    return render_template("ledger/index.html", form=form, result=result, token=token,
                           name=name)


def _stream_import(name: str, content: bytes) -> Response:
    """Import while the page shows progress: the page is sent in pieces as batches are
    written (no script needed); one transaction, committed after the last batch."""
    ledger = services.read_ledger([(name, content)])
    page = render_template("ledger/importing.html", name=name)
    head, tail = page.split("<!-- progress -->", 1)

    def generate() -> Iterator[str]:
        yield head
        for step in services.import_steps(ledger, actor=current_user):
            if isinstance(step, services.ImportResult):
                yield render_template("ledger/_result.html", result=step, token=None,
                                      name=name, form=None)
            else:
                done, total = step
                yield (f'<div class="ledger-progress" role="status"><progress max="{total}" '
                       f'value="{done}"></progress> {done} / {total}</div>\n')
        yield tail

    response = Response(stream_with_context(generate()), mimetype="text/html")
    response.headers["X-Accel-Buffering"] = "no"  # a proxy must pass the pieces on at once
    return response


@bp.route("/template.xlsx")
@permission_required(Permission.LEDGER_IMPORT)
def template() -> Response:
    return send_file(BytesIO(services.template_xlsx()), as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     download_name="ledger-template.xlsx")
