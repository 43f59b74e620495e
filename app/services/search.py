"""Keeping the search index true to the database: documents, reindex before commit, resync
after a rollback, rebuild and check. Finding datasets is `catalog.find`."""
from __future__ import annotations

import logging
from typing import Any, Iterable

from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, selectinload

from .. import db
from ..models import Dataset, IndexChange, Organization, Resource
from ..schemas import ckan_time
from ..search import IndexWriteError

log = logging.getLogger(__name__)

RESYNC_KEY = "search_resync"  # Session.info key: datasets written to the index in this transaction


def search_index():
    return current_app.extensions["search_index"]


def _extra_notes(ds: Dataset) -> str:
    return " ".join(x for x in (ds.definition, ds.measure, ds.unit, ds.coverage, ds.source) if x)


def summary_text(ds: Dataset) -> str:
    """The text a result's snippet is cut from (what the index stores as its summary)."""
    return (ds.notes or _extra_notes(ds))[:4000]


def to_document(ds: Dataset) -> dict[str, Any]:
    """The search document of a dataset (built from the same facts as its package dict)."""
    resources = [r for r in ds.resources if r.public_version is not None]
    columns: list[str] = []
    for r in resources:
        columns.extend(c["name"] for c in r.columns)
    return {
        "id": ds.id,
        "name": ds.name,
        "title": ds.title,
        "description": ds.notes or "",
        "notes": _extra_notes(ds),
        "tags": [t.name for t in ds.tags],
        "topics": [t.name for t in ds.topics],
        "topic_titles": [t.title for t in ds.topics],
        "organization": ds.organization.name,
        "organization_title": ds.organization.title,
        "formats": sorted({(r.format or "").upper() for r in resources if r.format}),
        "years": list(ds.years or []),
        "level": ds.level or "",
        "columns": columns,
        "private": bool(ds.private),
        "metadata_modified": ckan_time(ds.modified),
        "metadata_created": ckan_time(ds.created),
        "downloads": ds.downloads or 0,
    }


# --- keeping the index in line with the database -------------------------------------------


def reindex(ds: Dataset) -> None:
    """Bring the index in line with one dataset: indexed iff published. Raises on failure.

    Services call this before they commit. Should the transaction then roll back (the
    commit itself failed, or a later step raised), the dataset is reindexed from what the
    database kept, so the index never keeps a change the database refused.
    """
    index = search_index()
    if ds.state == "published":
        index.upsert([to_document(ds)])
    else:
        index.delete([ds.id])
    _app, ids = db.session().info.setdefault(RESYNC_KEY, (current_app._get_current_object(), set()))
    ids.add(ds.id)


def expunge(dataset_id: str) -> None:
    """Rewrite the index without a dataset `reindex` already took out (a takedown, after its
    commit): a delete only marks a document, and its words stay in the segment files until they
    are merged. Should the merge fail, the index is rebuilt from the database instead."""
    try:
        search_index().expunge([dataset_id])
        return
    except IndexWriteError:
        log.exception("search index could not be merged after a takedown; rebuilding it")
    try:
        rebuild()
    except IndexWriteError:
        log.exception("search index still holds the words of taken-down dataset %s: run `portal search rebuild`",
                      dataset_id)


def resync(ids: Iterable[str]) -> None:
    """Make the index agree with the database for these datasets (committed state)."""
    ids = list(ids)
    if not ids:
        return
    rows = {d.id: d for d in db.session().scalars(_published_query().where(Dataset.id.in_(ids)))}
    search_index().upsert([to_document(rows[i]) for i in ids if i in rows])
    search_index().delete([i for i in ids if i not in rows])


def _forget_resync(session: Session) -> None:
    pending = session.info.pop(RESYNC_KEY, None)
    if pending:  # this process changed what is published: reload visibility on the next search
        visibility = pending[0].extensions.get("search_visibility")
        if visibility is not None:
            visibility.expire()


def _resync_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    pending = session.info.pop(RESYNC_KEY, None)
    if not pending:
        return
    app, ids = pending
    try:
        # A new app context gives a new session: the rolled-back one is still unwinding.
        with app.app_context():
            resync(ids)
    except Exception:  # never hide the error that caused the rollback
        log.exception("search index could not be re-synced after a rollback (%d datasets); "
                      "run `portal search rebuild`", len(ids))


def init_app(app) -> None:
    """Resync the index after a portal session rolls back; only the portal's sessions, so
    importing this module changes nothing for other SQLAlchemy users."""
    sessions = app.extensions["db_sessionmaker"]
    event.listen(sessions, "after_commit", _forget_resync)
    event.listen(sessions, "after_soft_rollback", _resync_after_rollback)


def _published_query():
    return (
        select(Dataset)
        .where(Dataset.state == "published")
        .options(selectinload(Dataset.topics), selectinload(Dataset.tags),
                 selectinload(Dataset.resources).selectinload(Resource.versions))
        .execution_options(yield_per=500)
    )


def rebuild() -> int:
    """Rebuild the whole index from the database; it then holds every entry of the log of
    changes (services/index_log.py) committed before the rebuild read the database."""
    index = search_index()
    s = db.session()
    with index.log_lock():
        newest = s.scalar(select(func.max(IndexChange.seq))) or 0
        count = index.rebuild(to_document(ds) for ds in s.scalars(_published_query()))
        index.set_applied(newest)
    return count


def check() -> dict[str, list[str]]:
    """Compare the database with the index: what is missing, extra or stale.

    Stale: indexed with another modification time, privacy or publisher than the database's.
    Download counts are not compared: searches read them from the database.
    """
    s = db.session()
    expected = {
        ds_id: (ckan_time(modified), bool(private), org)
        for ds_id, modified, private, org in s.execute(
            select(Dataset.id, Dataset.modified, Dataset.private, Organization.name)
            .join(Organization, Organization.id == Dataset.organization_id)
            .where(Dataset.state == "published"))
    }
    indexed = {k: (v["modified"], v["private"], v["organization"]) for k, v in search_index().indexed_facts().items()}
    return {
        "missing": sorted(set(expected) - set(indexed)),
        "extra": sorted(set(indexed) - set(expected)),
        "stale": sorted(k for k in set(expected) & set(indexed) if expected[k] != indexed[k]),
    }
