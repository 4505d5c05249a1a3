"""Uploaded files: type detected from the content, size-limited, stored under instance/.

The client's file name is kept only as a label; the stored name is random, so a name can
never become a path. Files are served back only as downloads (see the views).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app, send_file
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from notary.core.errors import ValidationFailed

# Magic numbers of the accepted types; the extension and the browser's claim are ignored.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@dataclass(frozen=True)
class StoredFile:
    relative_path: str
    content_type: str
    size: int
    sha256: str


def detect_type(head: bytes) -> tuple[str, str] | None:
    """Return (content type, extension) from the first bytes, or None if not accepted."""
    for magic, content_type, ext in _SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def _looks_complete(data: bytes, content_type: str) -> bool:
    # A truncated or disguised file fails these end-markers (PDF %%EOF, JPEG EOI, PNG IEND).
    tail = data[-1024:]
    if content_type == "application/pdf":
        return b"%%EOF" in tail
    if content_type == "image/jpeg":
        return b"\xff\xd9" in tail
    return b"IEND" in tail


def store_upload(
    stream: BinaryIO, root: Path, *, max_bytes: int, field: str = "file"
) -> StoredFile:
    """Check and store an upload; raise ValidationFailed naming the field if it is refused."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise ValidationFailed({field: _("The file is empty.")})
    if len(data) > max_bytes:
        limit = (f"{max_bytes / (1024 * 1024):.0f} MB" if max_bytes >= 1024 * 1024
                 else f"{max_bytes / 1024:.0f} KB")
        raise ValidationFailed({field: _("The file is larger than %(limit)s.", limit=limit)})
    detected = detect_type(data[:16])
    if detected is None:
        raise ValidationFailed({field: _("Only PDF, JPEG and PNG files are accepted.")})
    content_type, ext = detected
    if not _looks_complete(data, content_type):
        raise ValidationFailed({field: _("The file is damaged or incomplete.")})
    digest = hashlib.sha256(data).hexdigest()
    relative = Path(digest[:2]) / f"{secrets.token_hex(16)}.{ext}"
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as fh:
        fh.write(data)
    return StoredFile(relative.as_posix(), content_type, len(data), digest)


def resolve_stored(root: Path, relative_path: str) -> Path:
    """Return the absolute path of a stored file, refusing anything outside root."""
    path = (root / relative_path).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError("stored path escapes the upload folder")
    return path


def send_stored(record: Any) -> Response:
    """Send an uploaded file back as a download (never inline), under its original name.

    `record` is any stored upload (stored_path, content_type, original_filename); the
    nosniff header is on every response (app_setup), so a browser never guesses a type.
    """
    root = Path(current_app.config["UPLOAD_FOLDER"])
    response = send_file(resolve_stored(root, record.stored_path), mimetype=record.content_type,
                         as_attachment=True, download_name=record.original_filename)
    # Should a browser still open it in a tab, the document runs sandboxed: no script, no
    # same-origin access to the office's pages.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
