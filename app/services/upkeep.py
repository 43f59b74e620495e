"""Removing what stopped processes leave behind in the file stores.

An upload writes its files before the row that names them (see app/storage.py), so a process
killed on the way leaves files no row names: a staging folder, a version folder, a folder of a
resource that was never recorded, a re-read table the version never pointed at. None of them
is data anybody can lose: the row is the commit point. An upload may still be running,
though, so only what has not changed for twice the upload time limit (UPLOAD_TIME_LIMIT_S)
is taken for a leftover. The start-up of the server and `portal check --repair` call this.
"""
from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from .. import db
from ..models import Resource, ResourceVersion
from ..storage import file_store, quarantine as quarantine_store, stale_entries
from ..tables import pg_engine
from . import datastore, ingest_jobs

log = logging.getLogger("portal.upkeep")


@dataclass
class Cleanup:
    """What an upkeep pass removed (or, for a dry run, would remove)."""

    removed: list[Path] = field(default_factory=list)
    bytes: int = 0


def cutoff() -> float:
    """Files last changed before this time (a Unix time) belong to no running upload."""
    return time.time() - 2 * current_app.config["UPLOAD_TIME_LIMIT_S"]


def leftovers(older_than: float | None = None) -> list[Path]:
    """Every file or folder of the stores that no row names and that is older than `older_than`
    (default: `cutoff()`), sorted."""
    before = cutoff() if older_than is None else older_than
    store, hold = file_store(), quarantine_store()
    found = stale_entries(hold.staging, before) + stale_entries(store.root / ".incoming", before)
    found += _public_leftovers(store.root, before)
    found += _quarantine_leftovers(hold.root, before)
    found += ingest_jobs.leftover_folders(before)  # files of uploads whose job is over (or gone)
    return sorted(found, key=str) + _database_leftovers()


def _database_leftovers() -> list[pg_engine.PgTable]:
    """PostgreSQL tables of the datastore schema that no version names (a drop after a delete
    that waited too long for a reader). A table is named by the commit that makes it visible,
    so any table no row names is a leftover, whatever its age."""
    schema = datastore.datastore_schema()
    if schema is None:
        return []
    named = {v[len(datastore.PG_PREFIX):] for v in db.session().scalars(select(ResourceVersion.table_file))
             if datastore.in_database(v)}
    with db.engine().connect() as con:
        found = pg_engine.table_names(con.connection.driver_connection, schema)
    return [pg_engine.PgTable(schema, name) for name in sorted(found - named)]


def remove_leftovers(older_than: float | None = None) -> Cleanup:
    """Remove `leftovers()`; say what went and how many bytes that freed."""
    done = Cleanup()
    for path in leftovers(older_than):
        if isinstance(path, pg_engine.PgTable):
            if datastore.drop_table(db.engine(), path):
                done.removed.append(path)
            continue
        size = _size(path)
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:  # another process cleaned it meanwhile
            continue
        done.removed.append(path)
        done.bytes += size
    if done.removed:
        log.info("removed %d leftovers of stopped uploads (%d bytes)", len(done.removed), done.bytes)
    return done


def _public_leftovers(root: Path, before: float) -> list[Path]:
    """Resource folders without a resource, version folders without a public version, and
    tables beside a version's own one."""
    s = db.session()
    resources = set(s.scalars(select(Resource.id)))
    tables = {(rid, number): name for rid, number, name in s.execute(
        select(ResourceVersion.resource_id, ResourceVersion.number, ResourceVersion.table_file)
        .where(ResourceVersion.storage == "public"))}
    out: list[Path] = []
    for folder in _folders(root):
        if folder.name not in resources:
            if _old(folder, before):
                out.append(folder)
            continue
        for version in _folders(folder):
            number = _version_number(version.name)
            if number is None:
                continue
            table = tables.get((folder.name, number))
            if table is None:
                if _old(version, before):
                    out.append(version)
            else:
                out += _other_tables(version, table, before)
    return out


def _quarantine_leftovers(root: Path, before: float) -> list[Path]:
    s = db.session()
    tables = dict(s.execute(select(ResourceVersion.id, ResourceVersion.table_file)
                            .where(ResourceVersion.storage == "quarantine")).all())
    out: list[Path] = []
    for folder in _folders(root):
        table = tables.get(folder.name)
        if table is None:
            if _old(folder, before):
                out.append(folder)
        else:
            out += _other_tables(folder, table, before)
    return out


def _other_tables(version_dir: Path, table: str, before: float) -> list[Path]:
    """Re-read tables (table-*.sqlite, or their half-copied .table-*) the version does not use."""
    return [p for p in stale_entries(version_dir, before)
            if p.name != table and p.name.lstrip(".").startswith("table") and p.name.endswith(".sqlite")]


def _folders(folder: Path) -> list[Path]:
    """Sub-folders of `folder`, leaving out the stores' own hidden ones (staging)."""
    try:
        entries = [Path(e.path) for e in os.scandir(folder) if e.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return []
    return [p for p in entries if not p.name.startswith(".")]


def _old(path: Path, before: float) -> bool:
    try:
        return path.stat().st_mtime < before
    except FileNotFoundError:
        return False


def _version_number(name: str) -> int | None:
    if name.startswith("v") and name[1:].isdigit():
        return int(name[1:])
    return None


def _size(path: Path) -> int:
    if not path.is_dir():
        try:
            return path.stat().st_size
        except FileNotFoundError:
            return 0
    total = 0
    for base, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(base) / name).stat().st_size
            except FileNotFoundError:
                continue
    return total
