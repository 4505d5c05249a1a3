"""Uploaded files: type detected from the content, size-limited, stored under instance/.

The client's file name is kept only as a label, cleaned of control and bidi characters
(`clean_filename`); the stored name is random, so a name can never become a path. Every
stored file goes back out through `send_file_safely`: typed by its content, never by its
name, as a sandboxed attachment with nosniff (RFC 6266 filename* for a non-ASCII name).
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

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


_MARKUP = re.compile(rb"<\s*(?:html|script|body|svg|iframe|!doctype)", re.IGNORECASE)


def _looks_complete(data: bytes, content_type: str) -> bool:
    """Whether the file is what its first bytes claim, whole.

    PDF: the end marker %%EOF in the last KB, no HTML/script/SVG markup in the first KB, and
    the file parses as a PDF (pyHanko's reader: startxref, the cross-reference table or
    stream, the trailer's /Root catalogue with its /Pages). JPEG and PNG: the end marker
    (EOI, IEND) in the last KB, and Pillow opens and verifies the image.
    """
    tail = data[-1024:]
    if content_type == "application/pdf":
        return (b"%%EOF" in tail and not _MARKUP.search(data[:1024])
                and _parses_as_pdf(data))
    end = b"\xff\xd9" if content_type == "image/jpeg" else b"IEND"
    return end in tail and _verifies_as_image(data)


def _parses_as_pdf(data: bytes) -> bool:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        return "/Pages" in reader.root
    except Exception:  # pyHanko raises many kinds for a file that is not a PDF
        return False


def _verifies_as_image(data: bytes) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except Exception:  # Pillow raises many kinds (and a decompression-bomb error) for bad data
        return False


# Names: drop control (Cc), format (Cf: bidi overrides U+202E, zero-width), surrogate, private
# use and unassigned characters, and line/paragraph separators; other spaces become " ".
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def clean_filename(name: str | None, default: str = "file") -> str:
    """The client's file name as a safe label: no path, no control or bidi characters.

    Used on the way in (before a name is stored) and on the way out (a record stored
    before names were cleaned still downloads). At most 255 characters, extension kept.
    """
    text = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text
                   if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    kept = " ".join(kept.split()).rstrip(" .")
    name_only = kept.lstrip(" .")  # no hidden (dot) files
    if not name_only.strip("._- "):
        return default
    kept = name_only if "." in name_only or kept == name_only else f"{default}.{name_only}"
    if len(kept) > 255:
        stem, dot, ext = kept.rpartition(".")
        kept = (stem[:254 - len(ext)] + dot + ext) if dot and len(ext) <= 16 else kept[:255]
    return kept


def content_disposition(filename: str) -> str:
    """An attachment header for a name (RFC 6266: ASCII filename, UTF-8 filename*)."""
    name = clean_filename(filename, "download")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r'["\\]', "_", ascii_name).strip()
    stem = ascii_name.rpartition(".")[0] if "." in ascii_name else ascii_name
    if not stem.strip("._- "):  # nothing of the name left in ASCII
        suffix = Path(name).suffix
        ascii_name = "download" + (suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix)
                                   else "")
    value = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


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


Sniffer = Callable[[bytes], tuple[str, str] | None]


def send_file_safely(path: Path, filename: str | None, *, sniff: Sniffer = detect_type
                     ) -> Response:
    """Send a stored file back: the one way every route serves a stored file.

    The type comes from the file's own first bytes (`sniff`: the upload types by default,
    the recording types for recordings), never from the name the client gave nor a stored
    claim; anything not recognised goes out as application/octet-stream. Always an
    attachment (never inline), with nosniff and a sandbox CSP: should a browser still open
    it in a tab, no script runs and it has no same-origin access to the office's pages.
    The name is cleaned again, so a record stored with a bad name still downloads.
    """
    with open(path, "rb") as fh:
        detected = sniff(fh.read(64))
    mimetype = detected[0] if detected else "application/octet-stream"
    response = send_file(path, mimetype=mimetype, as_attachment=True)
    response.headers["Content-Disposition"] = content_disposition(filename or "")
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def send_stored(record: Any) -> Response:
    """Send an uploaded file back (materials, attachments, fee evidence): send_file_safely.

    `record` is any stored upload (stored_path, original_filename).
    """
    root = Path(current_app.config["UPLOAD_FOLDER"])
    return send_file_safely(resolve_stored(root, record.stored_path), record.original_filename)
