"""Keeping uploads refused for personal data private: where a version's files are, what the
database may hold of a blocked one, and purging quarantined files (deleted, or left too long).

A blocked version's original and typed table live in QUARANTINE_DIR/<version id>/, which nothing
that serves the public reads; the database keeps only masked values of it. When the version
becomes publishable (read again clean, or overridden) its files move to the public store.
"""
from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path
from typing import Any, Iterable

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from .. import db
from ..ingest.privacy import mask, mask_column, mask_finding, mask_text
from ..ingest.privacy.names import find_names_in_text
from ..ingest.privacy.masks import mask_note
from ..models import Dataset, ResourceVersion
from ..storage import file_store, quarantine as quarantine_store
from ..tables import pg_engine
from . import datastore, upkeep
from .activity import record

log = logging.getLogger("portal.quarantine")

_VALUE_KINDS = ("nik", "kk", "npwp", "phone", "email")
_REMOVE = "quarantine_remove"  # Session.info key: folders to remove once the transaction commits


# -- where a version's files are --------------------------------------------------------------

def version_dir(version: ResourceVersion) -> Path | None:
    """The folder holding a version's original and table; None once purged."""
    if version.storage == "purged":
        return None
    if version.storage == "quarantine":
        return quarantine_store().version_dir(version.id)
    return file_store().version_dir(version.resource_id, version.number)


def remove_after_commit(s: Session, paths: Iterable[Path | pg_engine.PgTable | None]) -> None:
    """Remove these folders, files or PostgreSQL tables when the caller's transaction commits
    (kept if it rolls back)."""
    pending = s.info.setdefault(_REMOVE, [])
    pending.extend(p for p in paths if p is not None)


def _remove_committed(session: Session) -> None:
    for path in session.info.pop(_REMOVE, []):
        if isinstance(path, pg_engine.PgTable):
            datastore.drop_table(session.get_bind(), path)
        elif path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _keep_rolled_back(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_REMOVE, None)


def init_app(app) -> None:
    """Remove pending folders when a portal session commits; only the portal's sessions, so
    importing this module changes nothing for other SQLAlchemy users."""
    sessions = app.extensions["db_sessionmaker"]
    event.listen(sessions, "after_commit", _remove_committed)
    event.listen(sessions, "after_soft_rollback", _keep_rolled_back)


# -- what the database keeps of a blocked upload -----------------------------------------------

def masked_cell(value: Any, kind: str | None = None) -> Any:
    """A cell value of a blocked upload as the database may keep it: never whole.

    `kind` is the finding of its column (nik, phone, name...), when it has one; any other text has
    its identifiers and every word that could be part of a name masked. Small numbers stay.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and abs(value) < 10**8:
        return value
    text = str(value)
    if kind:
        return mask(text, kind)
    return mask_note(text, find_names_in_text(text))


def _masked_note(note: dict[str, Any] | None, kind: str | None = None) -> dict[str, Any] | None:
    """A note whose examples are cells of the table (a column's type reason, a row left out), and whose
    column names may be cells too (a file without a header row)."""
    if not note:
        return note
    params = dict(note.get("params") or {})
    for key in ("example", "examples"):
        if isinstance(params.get(key), str):
            params[key] = masked_cell(params[key], kind) if key == "example" else mask_text(params[key])
    for key in ("column", "columns"):
        if isinstance(params.get(key), str):
            params[key] = ", ".join(mask_column(part) for part in params[key].split(", "))
    return {**note, "params": params}


def _masked_summary(entry: dict[str, Any]) -> dict[str, Any]:
    """Only counts: top values, minimum, maximum and sums are cells (or give one away)."""
    return {k: entry[k] for k in ("nulls", "distinct") if k in entry}


def masked_facts(facts: dict[str, Any], findings: list[dict[str, Any]]) -> dict[str, Any]:
    """The facts of a reading as a blocked version stores them: no raw cell text at all.

    Summaries keep their counts only, type reasons' examples and rows left out are masked
    (a flagged column's example as its finding's kind), notes' examples too. The typed
    table and the original in quarantine keep the values, for a re-read or an override.
    """
    kinds: dict[str, str] = {}
    for f in sorted(findings, key=lambda f: f.get("kind") not in _VALUE_KINDS):  # a value's kind first
        kind = f.get("kind")
        if kind == "header":
            kind = ((f.get("reason") or {}).get("params") or {}).get("category")
        if kind in ("person_names", "person_rows", "names_in_text"):
            kind = "name"
        for column in f.get("columns") or [f.get("column")]:
            if column and kind in _VALUE_KINDS + ("name",):
                kinds.setdefault(column, kind)
    columns = [dict(c, name=mask_column(c["name"]), original=mask_column(c.get("original") or ""),
                    reason=_masked_note(c.get("reason"), kinds.get(c["name"]))) for c in facts["columns"]]
    review = dict(facts["review"])
    review["columns"] = columns
    review["skipped"] = [dict(r, values=[masked_cell(v) for v in r.get("values") or []])
                         for r in review.get("skipped") or []]
    review["notes"] = [_masked_note(n) for n in review.get("notes") or []]
    summary = {mask_column(name): _masked_summary(entry) for name, entry in (facts["summary"] or {}).items()}
    return {**facts, "columns": columns, "review": review, "summary": summary}


def masked_findings(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as a blocked version stores them: their column names masked like the columns'."""
    return [mask_finding(f) for f in findings]


def masked_small_cells(small: dict[str, Any] | None) -> dict[str, Any] | None:
    """The small-cell flags of a blocked version, keyed by the masked column names."""
    if not small or not isinstance(small.get("columns"), dict):
        return small
    return {**small, "columns": {mask_column(name): info for name, info in small["columns"].items()}}


# -- purging ---------------------------------------------------------------------------------

def purge_version(s: Session, actor, version: ResourceVersion, why: str) -> None:
    """Mark a quarantined version purged and remove its files once the caller commits."""
    if version.storage != "quarantine":
        return
    remove_after_commit(s, [quarantine_store().version_dir(version.id), datastore.stored_table(version)])
    version.storage = "purged"
    record(s, actor, "purge", "resource_version", version.id, version.resource.dataset_id,
           resource=version.resource_id, version=version.number, why=why)


def purge_dataset(s: Session, actor, ds: Dataset, why: str) -> None:
    """Purge the quarantined uploads of a dataset (it is being deleted)."""
    for resource in ds.resources:
        for version in resource.versions:
            purge_version(s, actor, version, why)


def purge_expired(days: int | None = None) -> list[str]:
    """Purge quarantined uploads nobody acted on for QUARANTINE_DAYS; return their version ids.

    A folder listing decides (its entries' modification times): nothing else is read when no
    upload is that old. A folder without a quarantined version behind it is removed too.
    """
    days = current_app.config["QUARANTINE_DAYS"] if days is None else days
    hold = quarantine_store()
    expired = hold.expired(time.time() - days * 86400)
    if not expired:
        return []
    with db.transaction() as s:
        versions = {v.id: v for v in s.scalars(select(ResourceVersion).where(ResourceVersion.id.in_(expired)))}
        for version in versions.values():
            purge_version(s, None, version, why=f"quarantine_days:{days}")
        # A folder whose version is gone or no longer quarantined (a move interrupted half-way).
        remove_after_commit(s, [hold.version_dir(i) for i in expired
                                if i not in versions or versions[i].storage != "quarantine"])
    log.info("purged %d quarantined uploads older than %d days", len(expired), days)
    return expired


def secure_legacy() -> int:
    """Move blocked uploads stored before the quarantine existed out of the public folder, and
    mask what the database kept of them; return how many. Their purge clock starts now."""
    found = list(db.session().scalars(select(ResourceVersion).where(ResourceVersion.privacy_status == "blocked",
                                                         ResourceVersion.storage == "public")))
    moved = 0
    for version in found:
        source = file_store().version_dir(version.resource_id, version.number)
        held = None
        try:
            with db.transaction() as s:
                facts = masked_facts({"columns": version.columns, "review": version.review or {},
                                      "summary": version.summary or {}}, version.findings or [])
                version.columns, version.review, version.summary = facts["columns"], facts["review"], facts["summary"]
                version.storage = "quarantine" if source.is_dir() else "purged"
                record(s, None, "quarantine", "resource_version", version.id, version.resource.dataset_id,
                       resource=version.resource_id, version=version.number)
                s.flush()
                if version.storage == "quarantine":
                    held = quarantine_store().install_dir(source, version.id)
        except BaseException:
            if held is not None:  # the database still says public: so must the files
                file_store().install_dir(held, version.resource_id, version.number)
            raise
        moved += 1
    if moved:
        db.compact()  # the raw values those rows held leave SQLite's log too
    return moved


def sweep(days: int | None = None) -> dict[str, Any]:
    """The start-up upkeep: secure blocked uploads of an older version of the portal, purge
    the expired ones, remove what stopped uploads left behind."""
    return {"secured": secure_legacy(), "purged": purge_expired(days),
            "leftovers_removed": len(upkeep.remove_leftovers().removed)}
