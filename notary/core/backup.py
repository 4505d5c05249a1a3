"""Online backups and restores: the database, the uploaded materials and the issued PDFs.

A backup is one .tar.gz holding the database (SQLite's online backup API, or `pg_dump -Fc`),
the upload and certificate folders, and a manifest with the SHA-256 of every file. It is
consistent while the office works: stored files are written once under new names BEFORE the
row that names them commits, so every file the database snapshot refers to is already on disk
when the folders are copied after it (a newer file is merely extra).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

MANIFEST = "manifest.json"
FOLDERS = {"uploads": "UPLOAD_FOLDER", "certificates": "CERTIFICATE_FOLDER"}


class BackupError(Exception):
    """The backup or restore could not be done; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    files: int  # stored files besides the database
    size: int  # bytes of the archive


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq_url(url: sa.URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def find_pg_tool(name: str, server_major: int) -> str:
    """Return a pg_dump/pg_restore whose major version is at least the server's."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                        else 0, reverse=True)
    if found := shutil.which(name):
        candidates.append(Path(found))
    for tool in candidates:
        out = subprocess.run([str(tool), "--version"], capture_output=True, text=True).stdout
        if (m := re.search(r"(\d+)(?:\.\d+)?", out)) and int(m.group(1)) >= server_major:
            return str(tool)
    raise BackupError(f"no {name} of version {server_major} or newer (install postgresql-client)")


def _server_major(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000


def _dump_database(engine: sa.Engine, target_dir: Path) -> Path:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        target = target_dir / "database.sqlite3"
        source = sqlite3.connect(str(url.database))
        dest = sqlite3.connect(str(target))
        try:
            # SQLite's online backup: a consistent copy while other connections write.
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        return target
    target = target_dir / "database.pgdump"
    tool = find_pg_tool("pg_dump", _server_major(engine))
    done = subprocess.run([tool, "-Fc", "--no-owner", "-f", str(target), _libpq_url(url)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return target


def create_backup(engine: sa.Engine, config: dict[str, Any], output: Path) -> BackupResult:
    """Write a consistent backup archive of the database and the stored files to output/."""
    output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    with tempfile.TemporaryDirectory(prefix="notary-backup-") as tmp:
        staging = Path(tmp)
        database = _dump_database(engine, staging)  # first: see the module docstring
        files: dict[str, str] = {database.name: _sha256(database)}
        for folder, key in FOLDERS.items():
            source = Path(config[key])
            if source.is_dir():
                shutil.copytree(source, staging / folder)
            for path in sorted((staging / folder).rglob("*")) if source.is_dir() else []:
                if path.is_file():
                    files[path.relative_to(staging).as_posix()] = _sha256(path)
        manifest = {"created_at": datetime.now(UTC).isoformat(), "backend":
                    engine.url.get_backend_name(), "database": database.name,
                    "revision": _revision(engine), "files": files}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        archive = output / f"notary-backup-{stamp}.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            for path in sorted(staging.iterdir()):
                tar.add(path, arcname=path.name)
    return BackupResult(archive, len(files) - 1, archive.stat().st_size)


def _revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def database_is_empty(engine: sa.Engine) -> bool:
    """True when no application table holds a row (a fresh or wiped database)."""
    with engine.connect() as conn:
        inspector = sa.inspect(conn)
        for name in inspector.get_table_names():
            if name == "alembic_version":
                continue
            if conn.execute(sa.text(f'SELECT 1 FROM "{name}" LIMIT 1')).first():
                return False
    return True


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    return [m for m in tar.getmembers() if m.isfile() or m.isdir()]


def restore_backup(engine: sa.Engine, config: dict[str, Any], archive: Path, *,
                   force: bool = False) -> dict[str, Any]:
    """Bring back a backup: check every file's hash first, then the database, then the files."""
    if not force and not database_is_empty(engine):
        raise BackupError("the database is not empty: pass --force to overwrite it")
    with tempfile.TemporaryDirectory(prefix="notary-restore-") as tmp:
        staging = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, links and names leaving the folder.
            tar.extractall(staging, members=_safe_members(tar), filter="data")
        manifest = json.loads((staging / MANIFEST).read_text())
        for name, digest in manifest["files"].items():
            path = staging / name
            if not path.is_file() or _sha256(path) != digest:
                raise BackupError(f"the archive is damaged: {name} does not match its hash")
        if manifest["backend"] != engine.url.get_backend_name():
            raise BackupError(f"a {manifest['backend']} backup cannot be restored into "
                              f"{engine.url.get_backend_name()}")
        engine.dispose()
        _restore_database(engine, staging / manifest["database"])
        for folder, key in FOLDERS.items():
            target = Path(config[key])
            if target.exists():
                shutil.rmtree(target)
            if (staging / folder).is_dir():
                shutil.copytree(staging / folder, target)
            else:
                target.mkdir(parents=True, exist_ok=True)
    return manifest


def _restore_database(engine: sa.Engine, dump: Path) -> None:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(str(dump))
        dest = sqlite3.connect(str(url.database))
        try:
            source.backup(dest)  # replaces every page of the live file, under its lock
        finally:
            dest.close()
            source.close()
        return
    tool = find_pg_tool("pg_restore", _server_major(engine))
    done = subprocess.run([tool, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           "-d", _libpq_url(url), str(dump)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
