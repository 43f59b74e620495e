"""`portal backup FILE` and `portal restore FILE`: the database and the stored files in one archive.

A backup takes a consistent copy of the database first (services/db_snapshot), then the files
its rows name: each stored version's original and typed table, from the public store or the
quarantine. A file is written before the row that names it and never changed in place (a re-read
writes a new table under a new name; a move between the stores writes a new folder), so every
file the copy names exists, unless a later commit moved or removed it meanwhile: then the whole
backup is taken again. Files installed after the copy are not taken (no row of the copy names
them), nor are staging folders, leftovers of stopped uploads (services/upkeep) or the search
index, which a restore builds again.

The archive (tar, gzip) is written to FILE.tmp, readable by its owner only, and renamed to FILE
when complete. Its manifest.json gives the format, the time, the portal's version, the database
dialect, and each member's path, size and sha256.

A restore writes nothing until the target is found empty (no dataset, no user, no stored file),
and every member of the archive is found where it may be (no `..`, no absolute path, no link)
with the size and sha256 of the manifest. It then puts the files in place, loads the database,
rebuilds the search index and runs `portal check`.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import inspect

from .. import db
from ..models import Base
from ..storage import CHUNK, file_store, quarantine as quarantine_store
from . import datastore, db_snapshot, integrity, search

FORMAT = 1
MANIFEST = "manifest.json"
ATTEMPTS = 3  # backups taken again when a concurrent commit moved a file the copy names


class BackupError(Exception):
    """A backup or restore that could not be done or was refused; nothing was changed."""


@dataclass
class Member:
    """One file of an archive: where it goes, and what it must be."""

    path: str
    size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    bytes: int
    attempts: int
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "bytes": self.bytes, "files": len(self.manifest["files"]),
                "dialect": self.manifest["dialect"], **self.manifest["counts"],
                "attempts": self.attempts, "missing": self.missing}


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    bytes: int
    indexed: int
    check: integrity.Report

    def as_dict(self) -> dict[str, Any]:
        return {"restored": True, "created": self.manifest["created"], "dialect": self.manifest["dialect"],
                **self.manifest["counts"], "files": self.files, "bytes": self.bytes, "indexed": self.indexed,
                "check": self.check.as_dict()}


# -- backup ---------------------------------------------------------------------------------------

def backup(path: str | os.PathLike) -> BackupResult:
    """Write a consistent archive of the database and the stored files to `path`."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give the archive's file name")
    partial = path.with_name(path.name + ".tmp")
    try:
        for attempt in range(1, ATTEMPTS + 1):
            manifest, missing = _write_archive(partial)
            if not missing:
                break
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the archive could not be written ({exc.strerror or exc}): {exc.filename or path}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return BackupResult(path, manifest, path.stat().st_size, attempt, missing)


def _write_archive(partial: Path) -> tuple[dict[str, Any], list[str]]:
    """Snapshot the database, then write it and the files it names to `partial` (0600)."""
    with db_snapshot.scratch(partial.parent) as folder:
        try:
            snap = db_snapshot.take(db.engine(), folder, datastore=datastore.datastore_schema())
        except db_snapshot.SnapshotError as exc:
            raise BackupError(str(exc)) from None
        members: list[Member] = []
        missing: list[str] = []
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # also when a FILE.tmp of an earlier attempt was there with other rights
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                members.append(_add(tar, f"database/{snap.path.name}", snap.path))
                for name, source in _stored_files(snap.versions):
                    try:
                        members.append(_add(tar, name, source))
                    except FileNotFoundError:
                        missing.append(name)
                manifest = _manifest(snap, members)
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
            raw.flush()
            os.fsync(raw.fileno())
    return manifest, missing


def _stored_files(versions: list[tuple]) -> list[tuple[str, Path]]:
    """(archive path, file) of each version's original and typed table."""
    store, hold = file_store(), quarantine_store()
    out: list[tuple[str, Path]] = []
    for version_id, resource_id, number, storage, table_file in versions:
        if storage == "quarantine":
            prefix, folder = f"quarantine/{version_id}", hold.version_dir(version_id)
        else:
            prefix, folder = f"datasets/{resource_id}/v{number}", store.version_dir(resource_id, number)
        try:
            originals = sorted(p.name for p in folder.iterdir() if p.name.startswith("original"))
        except FileNotFoundError:
            originals = []
        originals = originals or ["original"]  # reported missing below
        # A PostgreSQL table (pg:<name>) is in the database dump, with the datastore schema.
        names = originals + ([] if datastore.in_database(table_file) else [table_file])
        for name in names:
            out.append((f"{prefix}/{name}", folder / name))
    return out


def _add(tar: tarfile.TarFile, name: str, source: Path) -> Member:
    """Add one file, hashing the very bytes written."""
    with open(source, "rb") as fh:
        st = os.fstat(fh.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = st.st_size, int(st.st_mtime), 0o600
        hashing = _Hashing(fh)
        tar.addfile(info, hashing)
    return Member(name, st.st_size, hashing.digest.hexdigest())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _manifest(snap: db_snapshot.Snapshot, members: list[Member]) -> dict[str, Any]:
    return {"format": FORMAT, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "portal_version": _portal_version(), "dialect": snap.dialect, "schema": snap.schema,
            "datastore_schema": snap.datastore, "counts": snap.counts, "files": [m.as_dict() for m in members]}


class _Hashing(io.RawIOBase):
    """A reader that hashes what is read through it."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.digest.update(data)
        return data


# -- reading an archive ---------------------------------------------------------------------------

def verify(path: str | os.PathLike) -> dict[str, Any]:
    """Read the whole archive; return its manifest if every member is where it may be and has the
    manifest's size and sha256. :raises BackupError: saying what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file")
    found: dict[str, Member] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for info in tar:
                _check_member(info, found)
                fh = tar.extractfile(info)
                if info.name == MANIFEST:
                    manifest_bytes = fh.read(1 << 24)
                    continue
                found[info.name] = _measure(fh)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"the archive is damaged or truncated ({exc.__class__.__name__}: {exc})") from None
    manifest = _read_manifest(manifest_bytes)
    _compare(manifest, found)
    return manifest


def _check_member(info: tarfile.TarInfo, seen: dict[str, Member]) -> None:
    """Refuse a member that is not a plain file at a place the portal writes to."""
    name = info.name
    parts = PurePosixPath(name).parts
    if name.startswith("/") or "\\" in name or ".." in parts or "." in parts or name != "/".join(parts):
        raise BackupError(f"the archive holds a member outside its folders: {name!r}")
    if not info.isreg():
        raise BackupError(f"the archive holds a link or special file: {name!r}")
    if name in seen:
        raise BackupError(f"the archive holds {name!r} twice")
    if name == MANIFEST:
        seen[MANIFEST] = Member(MANIFEST, 0, "")  # to refuse a second one
        return
    shape = {"database": 2, "datasets": 4, "quarantine": 3}.get(parts[0])
    if shape != len(parts) or any(p.startswith(".") for p in parts):
        raise BackupError(f"the archive holds an unexpected member: {name!r}")


def _measure(fh: BinaryIO) -> Member:
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(CHUNK):
        size += len(chunk)
        digest.update(chunk)
    return Member("", size, digest.hexdigest())


def _read_manifest(data: bytes | None) -> dict[str, Any]:
    if data is None:
        raise BackupError("the archive has no manifest.json: it is not a portal backup")
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError("the archive's manifest.json is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"the archive's format is {manifest.get('format') if isinstance(manifest, dict) else None!r}; "
                          f"this portal reads format {FORMAT}")
    return manifest


def _compare(manifest: dict[str, Any], found: dict[str, Member]) -> None:
    """Every file of the manifest is in the archive with its size and sha256, and nothing else."""
    listed = {f["path"]: f for f in manifest.get("files", [])}
    found = {k: v for k, v in found.items() if k != MANIFEST}
    for name in sorted(set(listed) - set(found)):
        raise BackupError(f"the archive lacks {name}, which its manifest lists")
    for name in sorted(set(found) - set(listed)):
        raise BackupError(f"the archive holds {name}, which its manifest does not list")
    for name in sorted(listed):
        want, got = listed[name], found[name]
        if (want.get("size"), want.get("sha256")) != (got.size, got.sha256):
            raise BackupError(f"{name} is damaged: {got.size} bytes, sha256 {got.sha256[:12]}; "
                              f"the manifest says {want.get('size')} bytes, sha256 {str(want.get('sha256'))[:12]}")
    if sum(1 for n in listed if n.startswith("database/")) != 1:
        raise BackupError("the archive does not hold exactly one database")


# -- restore --------------------------------------------------------------------------------------

def restore(path: str | os.PathLike) -> RestoreResult:
    """Restore an archive into this empty portal: check everything first, then files, database,
    index; return what `integrity.check` says after. :raises BackupError: nothing was changed."""
    not_empty = target_contents()
    if not_empty:
        raise BackupError("this portal is not empty (" + ", ".join(not_empty) + "); "
                          "restore into a new, empty database and data folders")
    manifest = verify(path)
    _check_dialect(manifest)
    with db_snapshot.scratch(Path(current_app.config["DATASETS_DIR"]) / ".incoming") as folder:
        written: list[Path] = []
        db.session().close()
        try:
            dump, total = _extract(Path(path), manifest, folder, written)
            db_snapshot.load(db.engine(), dump, manifest["dialect"], manifest.get("schema"),
                             datastore=(manifest.get("datastore_schema"), datastore.datastore_schema()))
        except BaseException as exc:
            _remove(written)
            if isinstance(exc, db_snapshot.SnapshotError):
                raise BackupError(f"{exc}; the files were taken back") from None
            if isinstance(exc, OSError):
                raise BackupError(f"a file could not be written ({exc.strerror or exc}); "
                                  "the files were taken back, the database is unchanged") from None
            raise
    db.session().close()
    db.create_schema()  # a backup of an older portal gets the columns added since
    indexed = search.rebuild()
    visibility = current_app.extensions.get("search_visibility")
    if visibility is not None:
        visibility.expire()
    return RestoreResult(manifest, len(manifest["files"]), total, indexed, integrity.check())


# What `portal init-db` puts in a new portal: a restore replaces it.
CATALOG_TABLES = {"organization", "topic"}


def target_contents() -> list[str]:
    """What this portal already holds ("3 datasets", "2 rows in info_request", "files in
    DATASETS_DIR"...); empty when it holds nothing but the catalog `portal init-db` writes."""
    found = []
    engine = db.engine()
    tables = set(inspect(engine).get_table_names())
    named = {"dataset": "datasets", "resource_version": "versions", "user": "users"}
    with engine.connect() as con:
        others = sorted(tables & {t.name for t in Base.metadata.sorted_tables} - CATALOG_TABLES - set(named))
        for table in [t for t in named if t in tables] + others:
            n = db_snapshot.count_rows(con, table)
            if n:
                found.append(f"{n} {named[table]}" if table in named else f"{n} rows in {table}")
    for label, root in (("files in DATASETS_DIR", file_store().root), ("files in QUARANTINE_DIR", quarantine_store().root)):
        if root.is_dir() and any(not p.name.startswith(".") for p in root.iterdir()):
            found.append(label)
    return found


def _check_dialect(manifest: dict[str, Any]) -> None:
    engine = db.engine()
    here = engine.dialect.name
    if manifest.get("dialect") != here:
        raise BackupError(f"the backup is of a {manifest.get('dialect')} database and this portal uses {here}: "
                          "restore it into a portal on the same kind of database")
    schema, target = manifest.get("schema"), db_snapshot.current_schema(engine)
    if here == "postgresql" and target is None:
        raise BackupError("the database URL's schema does not exist: create it first")
    kept, ours = manifest.get("datastore_schema"), datastore.datastore_schema()
    if here == "postgresql" and kept and kept != ours and db_snapshot.schema_exists(engine, kept):
        raise BackupError(f"the backup's datastore schema {kept!r} already exists in this database beside "
                          f"{ours!r}: restore into a new database")
    if here == "postgresql" and schema != target and db_snapshot.schema_exists(engine, schema):
        raise BackupError(f"the backup's schema {schema!r} already exists in this database beside {target!r}: "
                          "restore into a new database")


def _extract(path: Path, manifest: dict[str, Any], folder: Path, written: list[Path]) -> tuple[Path, int]:
    """Write every file to its place (the database to `folder`), checking each sha256 again as it
    is written; return the database file and the bytes written."""
    listed = {f["path"]: f for f in manifest["files"]}
    dump, total = None, 0
    try:
        with tarfile.open(path, mode="r:*") as tar:
            for info in tar:
                if info.name == MANIFEST:
                    continue
                final, private = _destination(info.name, folder)
                _write_member(tar.extractfile(info), final, listed[info.name], private, written)
                total += info.size
                if info.name.startswith("database/"):
                    dump = final
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"the archive changed while it was restored ({exc})") from None
    return dump, total


def _destination(name: str, folder: Path) -> tuple[Path, bool]:
    """Where a member goes, and whether that place is private (the quarantine)."""
    parts = PurePosixPath(name).parts
    if parts[0] == "database":
        return folder / parts[1], True
    if parts[0] == "quarantine":
        return quarantine_store().root.joinpath(*parts[1:]), True
    return file_store().root.joinpath(*parts[1:]), False


def _write_member(fh: BinaryIO, final: Path, want: dict[str, Any], private: bool, written: list[Path]) -> None:
    _make_dirs(final.parent, private, written)
    partial = final.with_name(f".{final.name}.restoring")
    written.append(partial)
    digest = hashlib.sha256()
    with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644), "wb") as out:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != want["sha256"]:
        raise BackupError(f"{want['path']} changed while it was restored")
    os.replace(partial, final)
    written.append(final)


def _make_dirs(folder: Path, private: bool, written: list[Path]) -> None:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir(mode=0o700 if private else 0o755)
        written.append(made)


def _remove(written: list[Path]) -> None:
    """Take back what a failed restore wrote (files first, then the folders it made)."""
    for path in reversed(written):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _portal_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("portal-data-sosial-ntb")
    except PackageNotFoundError:
        return "unknown"


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
