"""The file stores: the public one under DATASETS_DIR and the private QUARANTINE_DIR, reached by id only.

Public layout: <root>/<resource id>/v<number>/original.<ext> and table.sqlite.
Quarantine layout: <quarantine>/<version id>/ (the same two files), for uploads refused
for personal data; no page, API, export or index reads it.

Every upload is first written under <quarantine>/.incoming/<random>/: bytes nobody has
scanned yet are private. A staged folder is then moved into place with one os.replace
(through a staging folder of the target's own file system when the two roots are on
different ones), so a version directory is either complete or absent.

The install protocol (services/resources.py): the version's number is taken under the
resource's row lock, the staged folder is renamed into place, and the transaction that
records it commits. The row is the commit point: files exist before a row names them, and a
process killed between the rename and the commit leaves a folder no row names. The next
upload of that number replaces it (`clear_leftover`, under the same lock), and the upkeep
(services/upkeep.py: start-up and `portal check --repair`) removes any that is older than
twice the upload time limit, as it does staging folders.

Shared-volume mode (several machines, docs/deploy.md): every machine mounts one volume (NFS)
at the same path and points both DATASETS_DIR and QUARANTINE_DIR into it, so an install stays
one rename on one file system (`same_file_system` tells; otherwise each install is a copy to a
staging folder beside the target, then a rename). What that rename gives on NFS: the server
performs it as one operation and commits it to its disk before it answers, so every machine
sees the old name or the new one, never half a folder; the files inside were fsynced and
closed before it, and NFS's close-to-open consistency then gives another machine that opens
them the complete bytes. The database commit names a version only after its rename, so no
machine looks a version up before it exists, except through a directory listing it cached:
mount with `lookupcache=positive` (or `noac`) so a folder another machine has just made is
seen at once. Table files are opened immutable (no file locks; see app/tables/store.py). The
search index is never put on the shared volume: each machine keeps its own
(services/index_log.py). Keep the machines' clocks in sync (NTP): the upkeep compares the
volume's modification times with its own clock.
"""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

CHUNK = 1024 * 1024


class UploadTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"upload larger than {limit} bytes")


@dataclass
class Incoming:
    """A staging directory holding one upload until it is installed."""

    path: Path
    original: Path
    sha256: str
    size: int

    @property
    def table(self) -> Path:
        return self.path / "table.sqlite"

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def move_dir(source: Path, final: Path, staging_root: Path) -> None:
    """Move a directory to `final` in one rename; across file systems, copy it into
    `staging_root` (beside `final`) first, so `final` still appears complete or not at all."""
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, final)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    staging_root.mkdir(parents=True, exist_ok=True)
    copy = staging_root / uuid.uuid4().hex
    try:
        shutil.copytree(source, copy)
        for f in copy.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(copy, final)
    except BaseException:
        shutil.rmtree(copy, ignore_errors=True)
        raise
    shutil.rmtree(source, ignore_errors=True)


def same_file_system(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when two folders are on one file system (a missing one: where it would be made), so a
    move between them is one rename."""
    def existing(path: Path) -> Path:
        while not path.exists() and path.parent != path:
            path = path.parent
        return path

    return os.stat(existing(Path(a).resolve())).st_dev == os.stat(existing(Path(b).resolve())).st_dev


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def stale_entries(folder: Path, older_than: float) -> list[Path]:
    """Entries of `folder` last changed before the time `older_than` (a listing and a stat each)."""
    out = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    for entry in entries:
        try:
            if entry.stat(follow_symlinks=False).st_mtime < older_than:
                out.append(Path(entry.path))
        except FileNotFoundError:  # removed meanwhile
            continue
    return out


class FileStore:
    def __init__(self, root: str | os.PathLike, staging: str | os.PathLike | None = None) -> None:
        self.root = Path(root)
        # Where uploads are received: the quarantine's staging folder (see the module docstring).
        self.staging = Path(staging) if staging is not None else self.root / ".incoming"

    def ensure(self) -> None:
        (self.root / ".incoming").mkdir(parents=True, exist_ok=True)

    def receive(self, stream: BinaryIO, extension: str, max_bytes: int) -> Incoming:
        """Copy an upload into a fresh staging directory, hashing as it goes."""
        self.ensure()
        _private_dir(self.staging)
        staging = self.staging / uuid.uuid4().hex
        staging.mkdir(mode=0o700)
        target = staging / f"original{extension}"
        digest = hashlib.sha256()
        size = 0
        try:
            with open(target, "wb") as out:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > max_bytes:
                        raise UploadTooLarge(max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return Incoming(staging, target, digest.hexdigest(), size)

    def stage_copy(self, version_dir: Path) -> Incoming:
        """Stage a copy of an installed version's original (to re-read it with new options)."""
        original = self.original_path(version_dir)
        with open(original, "rb") as fh:
            return self.receive(fh, original.suffix, max_bytes=1 << 62)

    def resource_dir(self, resource_id: str) -> Path:
        return self.root / resource_id

    def version_dir(self, resource_id: str, number: int) -> Path:
        return self.resource_dir(resource_id) / f"v{number}"

    def clear_leftover(self, resource_id: str, number: int) -> bool:
        """Remove the folder of version `number` that a killed upload left behind; the caller
        knows no row names it (it took the number under the resource's lock). True if one was there."""
        folder = self.version_dir(resource_id, number)
        if not folder.exists():
            return False
        shutil.rmtree(folder)
        return True

    def install(self, incoming: Incoming, resource_id: str, number: int) -> Path:
        """Move a staged upload to its final place in one rename."""
        final = self.version_dir(resource_id, number)
        move_dir(incoming.path, final, self.root / ".incoming")
        return final

    def install_dir(self, source: Path, resource_id: str, number: int) -> Path:
        """Move a complete version directory (a released quarantine folder) to its public place."""
        final = self.version_dir(resource_id, number)
        move_dir(source, final, self.root / ".incoming")
        return final

    def add_table(self, incoming: Incoming, version_dir: Path) -> str:
        """Put a re-read table beside an installed version's current one, under a new name.

        The current table stays until the caller's commit points the version at the new
        one (then the old is removed); should the commit fail, only the new file goes.
        """
        name = f"table-{uuid.uuid4().hex[:12]}.sqlite"
        final = version_dir / name
        try:
            os.replace(incoming.table, final)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            copy = version_dir / f".{name}"
            try:
                shutil.copyfile(incoming.table, copy)
                with open(copy, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(copy, final)
            except BaseException:
                copy.unlink(missing_ok=True)
                raise
        _fsync_dir(version_dir)
        incoming.discard()
        return name

    def remove(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    @staticmethod
    def original_path(version_dir: Path) -> Path:
        for p in version_dir.iterdir():
            if p.name.startswith("original"):
                return p
        raise FileNotFoundError(version_dir)

    @staticmethod
    def table_path(version_dir: Path, name: str = "table.sqlite") -> Path:
        return version_dir / name


class Quarantine:
    """The private folder of uploads refused for personal data: <root>/<version id>/.

    Created on first use, readable by its owner only. Its folders' modification time is
    the time of the last action on the upload (stored, or read again), which is all a purge
    of old ones needs to look at.
    """

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    @property
    def staging(self) -> Path:
        return self.root / ".incoming"

    def version_dir(self, version_id: str) -> Path:
        if not version_id or "/" in version_id or version_id.startswith("."):
            raise ValueError(f"not a version id: {version_id!r}")
        return self.root / version_id

    def install(self, incoming: Incoming, version_id: str) -> Path:
        """Move a staged upload into quarantine in one rename."""
        _private_dir(self.root)
        final = self.version_dir(version_id)
        move_dir(incoming.path, final, self.staging)
        os.utime(final)  # the clock of its purge starts now
        return final

    def install_dir(self, source: Path, version_id: str) -> Path:
        """Move an installed public version directory into quarantine."""
        _private_dir(self.root)
        final = self.version_dir(version_id)
        move_dir(source, final, self.staging)
        os.utime(final)
        return final

    def touch(self, version_id: str) -> None:
        """Restart the purge clock of an upload someone acted on."""
        try:
            os.utime(self.version_dir(version_id))
        except FileNotFoundError:
            pass

    def expired(self, older_than: float) -> list[str]:
        """Version ids of the quarantined uploads nobody acted on since the time `older_than`."""
        return sorted(p.name for p in stale_entries(self.root, older_than) if not p.name.startswith("."))

    def stale_staging(self, older_than: float) -> list[Path]:
        """Staging folders left behind (a process stopped while receiving a file)."""
        return stale_entries(self.staging, older_than)

    def remove(self, version_id: str) -> None:
        shutil.rmtree(self.version_dir(version_id), ignore_errors=True)


def _private_dir(path: Path) -> None:
    """Make a folder (and its parents) that only the portal's own user can read, also when it was
    already there with wider rights (an operator's mkdir with the usual 0755)."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError:  # pragma: no cover - a file system without modes
            pass


def file_store() -> FileStore:
    return current_app.extensions["file_store"]


def quarantine() -> Quarantine:
    return current_app.extensions["quarantine"]


def init_app(app) -> None:
    hold = Quarantine(app.config["QUARANTINE_DIR"])  # created on first use
    store = FileStore(app.config["DATASETS_DIR"], staging=hold.staging)
    store.ensure()
    app.extensions["file_store"] = store
    app.extensions["quarantine"] = hold
