"""Searching and indexing datasets: the index gives ids, the database gives rows.

The database decides what a reader may see, for every part of a search result: the ids of
published datasets (public, and private per organization) are read from the database,
cached until a cheap stamp of the dataset table changes, and handed to the index, which
counts, facets, suggests and ranks only within them. A stale index entry (a draft pushed in
behind the services' back, a dataset made private elsewhere) therefore never contributes.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
from flask import current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, selectinload

from .. import db
from ..models import Dataset, Organization, Resource, ResourceVersion, Topic
from ..schemas import ckan_time
from ..search_index import IdSet, IdValues, IndexWriteError, highlight, id_array
from ..search_text import drop_year
from .permissions import Actor, can_view, visible_organizations

log = logging.getLogger(__name__)

# URL parameter names (CKAN's res_format for formats, so `format=json` stays free).
FACET_FIELDS = ("topic", "year", "organization", "res_format", "tag", "level")
SORTS = ("relevance", "newest", "title", "downloads")
# The stamp misses a commit that raced another one (an older `modified` committed last, in
# another process); reloading this often bounds how long its counts show.
VISIBILITY_MAX_AGE_S = 30.0
_RESYNC = "search_resync"  # Session.info key: datasets written to the index in this transaction


def search_index():
    return current_app.extensions["search_index"]


def _extra_notes(ds: Dataset) -> str:
    return " ".join(x for x in (ds.definition, ds.measure, ds.unit, ds.coverage, ds.source) if x)


def _summary(ds: Dataset) -> str:
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
    _app, ids = db.session().info.setdefault(_RESYNC, (current_app._get_current_object(), set()))
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


@event.listens_for(Session, "after_commit")
def _forget_resync(session: Session) -> None:
    pending = session.info.pop(_RESYNC, None)
    if pending:  # this process changed what is published: reload visibility on the next search
        visibility = pending[0].extensions.get("search_visibility")
        if visibility is not None:
            visibility.expire()


@event.listens_for(Session, "after_soft_rollback")
def _resync_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    pending = session.info.pop(_RESYNC, None)
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


def _published_query():
    return (
        select(Dataset)
        .where(Dataset.state == "published")
        .options(selectinload(Dataset.topics), selectinload(Dataset.tags),
                 selectinload(Dataset.resources).selectinload(Resource.versions))
        .execution_options(yield_per=500)
    )


def rebuild() -> int:
    """Rebuild the whole index from the database."""
    docs = (to_document(ds) for ds in db.session().scalars(_published_query()))
    return search_index().rebuild(docs)


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


# --- what a reader may see, from the database ------------------------------------------------


def _stamp(s) -> tuple:
    """A cheap fingerprint of which datasets are published: the newest `modified` (one look-up
    at the end of its index, whatever the size of the catalogue).

    Every service that publishes, unpublishes, deletes, or changes the privacy or publisher of
    a dataset sets its `modified` to now, so the newest one moves. What it can miss (a commit
    that raced another and landed an older time last) is bounded by VISIBILITY_MAX_AGE_S, is
    dropped at once in the process that committed it (see `_forget_resync`), and only ever
    affects counts: every dataset shown is re-read and checked by `load_visible`.
    """
    return (s.scalar(select(func.max(Dataset.modified))),)


class _Visibility:
    """The published datasets' ids, public and private per organization, as the database has them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._loaded = 0.0
        self._generation = 0
        self._public = id_array([])
        self._private: dict[str, np.ndarray] = {}
        self._sets: dict[tuple, IdSet] = {}
        self._downloads: IdValues | None = None

    def expire(self) -> None:
        """Forget the cached ids: the next search re-reads them from the database."""
        with self._lock:
            self._stamp = None

    def _refresh(self, s) -> None:
        stamp = _stamp(s)
        if stamp == self._stamp and time.monotonic() - self._loaded < VISIBILITY_MAX_AGE_S:
            return
        public: list[str] = []
        private: dict[str, list[str]] = {}
        rows = s.execute(select(Dataset.id, Dataset.organization_id, Dataset.private)
                         .where(Dataset.state == "published"))
        for ds_id, org_id, is_private in rows:
            (private.setdefault(org_id, []) if is_private else public).append(ds_id)
        self._public = id_array(public)
        self._private = {org: id_array(ids) for org, ids in private.items()}
        self._sets = {}
        self._downloads = None
        self._stamp, self._loaded = stamp, time.monotonic()
        self._generation += 1

    def allowed(self, s, organizations: list[str] | None) -> IdSet:
        """The ids a reader may find: public ones plus the private ones of ``organizations`` (None: all)."""
        with self._lock:
            self._refresh(s)
            key = ("all",) if organizations is None else tuple(sorted(set(organizations)))
            found = self._sets.get(key)
            if found is None:
                extra = list(self._private.values()) if organizations is None else [
                    self._private[o] for o in key if o in self._private]
                ids = np.concatenate([self._public, *extra]) if extra else self._public
                found = self._sets[key] = IdSet(key=(id(self), self._generation, key), ids=ids)
            return found

    def downloads(self, s) -> IdValues:
        """Download counts of the published datasets, re-read whenever their total changes."""
        total = s.scalar(select(func.coalesce(func.sum(Dataset.downloads), 0))) or 0
        with self._lock:
            self._refresh(s)
            current = self._downloads
            if current is not None and current.key[2] == total:
                return current
        rows = s.execute(select(Dataset.id, Dataset.downloads)
                         .where(Dataset.state == "published", Dataset.downloads > 0)).all()
        values = IdValues(key=(id(self), self._generation, total), ids=id_array([r[0] for r in rows]),
                          values=np.asarray([r[1] for r in rows], dtype=np.int64))
        with self._lock:
            if values.key[1] == self._generation:
                self._downloads = values
        return values


def _visibility() -> _Visibility:
    found = current_app.extensions.get("search_visibility")
    if found is None:
        found = current_app.extensions.setdefault("search_visibility", _Visibility())
    return found


class _Highlights:
    """Highlighted titles or snippets of a page's datasets, computed when first asked for.

    Highlighting stems every word of the text, the slowest part of a search; the JSON
    answer shows neither, so it never pays for it.
    """

    def __init__(self, terms: frozenset[str], datasets: list[Dataset], part: int, shared: dict):
        self._terms, self._part, self._shared = terms, part, shared
        self._datasets = {ds.id: ds for ds in datasets}

    def get(self, ds_id: str, default: str | None = None) -> str | None:
        ds = self._datasets.get(ds_id)
        if ds is None:
            return default
        if ds_id not in self._shared:
            self._shared[ds_id] = highlight(self._terms, ds.title, _summary(ds))
        return self._shared[ds_id][self._part]

    def __getitem__(self, ds_id: str) -> str:
        if ds_id not in self._datasets:
            raise KeyError(ds_id)
        return self.get(ds_id)


# --- searching -----------------------------------------------------------------------------


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


def search(actor: Actor, params: SearchParams) -> dict[str, Any]:
    """Search public (and, for members, private) published datasets.

    Returns the datasets of the page (re-read from the database and filtered by what the
    actor may see), the total and facets with counts and titles (counted only over what the
    actor may see, as the database says), did-you-mean and fuzzy hints, highlighted titles
    and snippets (from the database rows), and the year taken from the words, if any.
    """
    s = db.session()
    organizations = visible_organizations(actor)
    if organizations is None:
        org_names = None
    else:
        org_names = list(s.scalars(select(Organization.name).where(Organization.id.in_(organizations)))) \
            if organizations else []
    visibility = _visibility()
    sort = params.sort if params.sort in SORTS else "relevance"
    result = search_index().search(
        q=params.q,
        filters={k: v for k, v in params.filters.items() if k in FACET_FIELDS and v},
        year_from=params.year_from,
        year_to=params.year_to,
        sort=sort,
        page=max(1, params.page),
        per_page=max(1, min(params.per_page, 1000)),
        visible_orgs=org_names,
        allowed=visibility.allowed(s, organizations),
        downloads=visibility.downloads(s) if sort == "downloads" else None,
        highlight=False,
    )
    datasets = load_visible(actor, result.ids)
    marked: dict[str, tuple[str, str]] = {}
    year = result.detected_year
    return {
        "datasets": datasets,
        "count": result.total,
        "facets": _facet_titles(result.facets),
        "suggestion": result.suggestion,
        "fuzzy": result.fuzzy,
        "highlights": _Highlights(result.terms, datasets, 1, marked),
        "title_highlights": _Highlights(result.terms, datasets, 0, marked),
        "detected_year": year,
        "q_without_year": drop_year(params.q, year) if year is not None else params.q,
    }


# What a page of results reads: the package dict and the result card. A resource version's
# review, options, summary, findings and small-cell JSON are never shown in a result and are
# most of its row; they stay deferred (loaded on first access, should anything ask).
PAGE_LOAD_OPTIONS = (
    selectinload(Dataset.topics),
    selectinload(Dataset.tags),
    selectinload(Dataset.resources).selectinload(Resource.versions).load_only(
        ResourceVersion.id, ResourceVersion.resource_id, ResourceVersion.number, ResourceVersion.format,
        ResourceVersion.sha256, ResourceVersion.size, ResourceVersion.row_count, ResourceVersion.columns,
        ResourceVersion.privacy_status, ResourceVersion.created),
)


def load_visible(actor: Actor, ids: Iterable[str]) -> list[Dataset]:
    """Fetch datasets by id in the given order, dropping any the actor may not see."""
    ids = list(ids)
    if not ids:
        return []
    s = db.session()
    # The state is checked here, not in SQL: given `state = ...`, SQLite walks the state
    # index over every published dataset instead of looking the page's ids up.
    rows = {
        d.id: d
        for d in s.scalars(
            select(Dataset)
            .where(Dataset.id.in_(ids))
            .options(*PAGE_LOAD_OPTIONS)
        )
        if d.state == "published"
    }
    return [rows[i] for i in ids if i in rows and can_view(actor, rows[i])]


def _facet_titles(facets: dict[str, list[tuple[str, int]]]) -> dict[str, list[dict[str, Any]]]:
    """Attach display titles to topic and organization facet values."""
    s = db.session()
    titles: dict[str, dict[str, str]] = {}
    english: dict[str, str] = {}
    if facets.get("topic"):
        rows = s.execute(select(Topic.name, Topic.title, Topic.title_en)).all()
        titles["topic"] = {name: title for name, title, _en in rows}
        english = {name: en or title for name, title, en in rows}
    if facets.get("organization"):
        titles["organization"] = dict(s.execute(select(Organization.name, Organization.title)).all())
    out: dict[str, list[dict[str, Any]]] = {}
    for fname, values in facets.items():
        names = titles.get(fname, {})
        if fname == "format":
            fname = "res_format"
        items = [{"name": str(v), "display_name": names.get(str(v), str(v)), "count": n} for v, n in values]
        if fname == "topic":
            for item in items:
                item["display_name_en"] = english.get(item["name"], item["display_name"])
        if fname == "year":
            items.sort(key=lambda item: item["name"], reverse=True)
        out[fname] = items
    return out
