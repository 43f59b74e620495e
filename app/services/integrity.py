"""`portal check`: is everything the database names really there, and nothing else?

Every stored original is compared with the size and sha256 recorded at its upload, every typed
table is opened and counted, the search index is compared with the database, and what stopped
uploads left behind is listed (services/upkeep). A repair removes the leftovers, rebuilds the
index, keeps the page keys a PostgreSQL table is still without (the queue's task lost), and
builds a missing or damaged table again from its original (read with the options it was read
with, and scanned again). An original that is missing or changed cannot be repaired
here: the office uploads the file again; until then its pages say "temporarily unavailable".
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import db
from ..models import Resource, ResourceVersion
from ..storage import CHUNK, file_store
from ..tables import Table, TableUnreadable
from . import datastore, quarantine, resources, search, tables, upkeep
from .permissions import Actor


@dataclass
class Problem:
    kind: str  # original_missing, original_changed, table_unreadable, table_rows, index_<what>, leftover
    subject: str  # "<dataset name> / <resource name> v<n>", a dataset id, or a path
    detail: str = ""
    repairable: bool = False
    version_id: str | None = None


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    checked_versions: int = 0
    checked_bytes: int = 0

    @property
    def clean(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"clean": self.clean, "checked_versions": self.checked_versions,
                "checked_bytes": self.checked_bytes, "repaired": self.repaired,
                "problems": [asdict(p) for p in self.problems]}


def check() -> Report:
    """Look at every version's files, the index and the leftovers; change nothing."""
    report = Report()
    for version in _stored_versions():
        report.checked_versions += 1
        report.problems += _version_problems(version, report)
    for what, ids in search.check().items():
        report.problems += [Problem(f"index_{what}", ds_id, repairable=True) for ds_id in ids]
    report.problems += [Problem("leftover", str(path), repairable=True) for path in upkeep.leftovers()]
    return report


def repair(actor: Actor) -> Report:
    """Repair what `check` found that can be repaired, then check again (the report says what
    was done and what is left)."""
    found = check()
    done: list[str] = []
    for problem in found.problems:
        if problem.kind.startswith("table_") and problem.repairable:
            version = resources.rebuild_table(actor, problem.version_id)
            done.append(f"table rebuilt: {problem.subject} ({version.row_count} rows)")
    if any(p.kind.startswith("index_") for p in found.problems):
        done.append(f"index rebuilt: {search.rebuild()} datasets")
    # Not a problem (pages are right without them), but what the queue lost is made good here.
    kept = [t for t in datastore.tables_without_page_keys() if datastore.keep_page_keys(t)]
    if kept:
        done.append(f"page keys kept: {len(kept)} tables")
    if any(p.kind == "leftover" for p in found.problems):
        cleaned = upkeep.remove_leftovers()
        done.append(f"leftovers removed: {len(cleaned.removed)} ({cleaned.bytes} bytes)")
    after = check()
    after.repaired = done
    return after


def _stored_versions() -> list[ResourceVersion]:
    return list(db.session().scalars(
        select(ResourceVersion).where(ResourceVersion.storage != "purged")
        .options(selectinload(ResourceVersion.resource).selectinload(Resource.dataset))
        .order_by(ResourceVersion.resource_id, ResourceVersion.number)))


def _version_problems(version: ResourceVersion, report: Report) -> list[Problem]:
    subject = f"{version.resource.dataset.name} / {version.resource.name} v{version.number}"
    folder = quarantine.version_dir(version)
    original = _original(folder)
    if original is None:
        return [Problem("original_missing", subject, "upload the file again as a new version",
                        version_id=version.id)]
    size, digest = _measure(original)
    report.checked_bytes += size
    out = []
    intact = size == version.size and digest == version.sha256
    if not intact:
        out.append(Problem("original_changed", subject,
                           f"{size} bytes, sha256 {digest[:12]}; recorded {version.size} bytes, "
                           f"sha256 {(version.sha256 or '')[:12]}", version_id=version.id))
    try:
        with Table(tables.source(version)) as opened:
            rows = opened.count_rows()
    except TableUnreadable as exc:
        out.append(Problem("table_unreadable", subject, str(exc), repairable=intact, version_id=version.id))
        return out
    if rows != version.row_count:
        out.append(Problem("table_rows", subject, f"{rows} rows; recorded {version.row_count}",
                           repairable=intact, version_id=version.id))
    return out


def _original(folder: Path | None) -> Path | None:
    if folder is None:
        return None
    try:
        return file_store().original_path(folder)
    except FileNotFoundError:
        return None


def _measure(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()

