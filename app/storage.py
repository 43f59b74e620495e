"""The file store under DATASETS_DIR: originals and typed tables, reached by id only.

Layout: <root>/<resource id>/v<number>/original.<ext> and table.sqlite.
Everything is first written under <root>/.incoming/<random>/ (the same file
system), then moved into place with one os.replace, so a version directory is
either complete or absent.
"""
from __future__ import annotations

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


class FileStore:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def ensure(self) -> None:
        (self.root / ".incoming").mkdir(parents=True, exist_ok=True)

    def receive(self, stream: BinaryIO, extension: str, max_bytes: int) -> Incoming:
        """Copy an upload into a fresh staging directory, hashing as it goes."""
        self.ensure()
        staging = self.root / ".incoming" / uuid.uuid4().hex
        staging.mkdir()
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

    def version_dir(self, resource_id: str, number: int) -> Path:
        return self.root / resource_id / f"v{number}"

    def install(self, incoming: Incoming, resource_id: str, number: int) -> Path:
        """Move a staged upload to its final place in one rename."""
        final = self.version_dir(resource_id, number)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(incoming.path, final)
        return final

    def replace_table(self, incoming: Incoming, version_dir: Path) -> None:
        """Swap a re-read table into an installed version."""
        os.replace(incoming.table, version_dir / "table.sqlite")
        incoming.discard()

    def remove(self, path: Path) -> None:
        shutil.rmtree(path, ignore_errors=True)

    @staticmethod
    def original_path(version_dir: Path) -> Path:
        for p in version_dir.iterdir():
            if p.name.startswith("original"):
                return p
        raise FileNotFoundError(version_dir)

    @staticmethod
    def table_path(version_dir: Path) -> Path:
        return version_dir / "table.sqlite"


def file_store() -> FileStore:
    return current_app.extensions["file_store"]


def init_app(app) -> None:
    store = FileStore(app.config["DATASETS_DIR"])
    store.ensure()
    app.extensions["file_store"] = store
