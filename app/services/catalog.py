"""Finding datasets: the one catalogue query behind the search page, the Action API, topic and
publisher pages, the home page's counts and the linked-data catalogue.

The index gives ids, the database gives rows. The database decides what a reader may see: the
ids of published datasets (public, and private per organization) are read from it, cached until
a cheap stamp of the dataset table changes, and handed to the index, which counts, facets,
suggests and ranks only within them. A stale index entry (a draft pushed in behind the services'
back, a dataset made private elsewhere) therefore never contributes. Conditions the index cannot
say (a negation, a date range, a name) are answered by the database as a further set of allowed
ids, so every query, whatever door it came through, is counted and faceted by the same code.
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np
from flask import current_app
from sqlalchemy import and_, bindparam, false, func, or_, select, true
from sqlalchemy.orm import selectinload

from .. import db
from ..models import Dataset, Organization, Resource, ResourceVersion, Tag, Topic, dataset_tags, dataset_topics
from . import index_log
from .permissions import Actor, can_view, visible_datasets, visible_organizations
from ..search import IdSet, IdValues, highlight, id_array
from ..search.text import drop_year
from .search import search_index, summary_text

# The search page's URL parameters (CKAN's res_format for formats, so `format=json` stays free).
FACET_FIELDS = ("topic", "year", "organization", "res_format", "tag", "level")
SORTS = ("relevance", "newest", "title", "downloads")
# Fields a query may name, in the page's or CKAN's spelling, and the index facet each one is.
INDEX_FIELDS = {"topic": "topic", "groups": "topic", "year": "year", "organization": "organization",
                "res_format": "format", "format": "format", "tag": "tag", "tags": "tag", "level": "level"}
# What CKAN's package_search may filter on, sort by and facet.
PACKAGE_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "name", "id",
                  "year", "level", "metadata_modified", "metadata_created", "capacity", "dataset_type",
                  "state")
PACKAGE_SORTS = ("score", "id", "name", "title_string", "metadata_modified", "metadata_created",
                 "views_recent", "views_total")
PACKAGE_FACETS = ("organization", "groups", "tags", "res_format", "year", "level")
# Sorts the index orders itself; any other order is the database's, over the index's matches.
_INDEX_SORTS = {("score", True): "relevance", ("metadata_modified", True): "newest",
                ("title_string", False): "title", ("views_recent", True): "downloads",
                ("views_total", True): "downloads"}
_SQL_SORT_COLUMNS = {"id": Dataset.id, "name": Dataset.name, "title_string": Dataset.title,
                     "metadata_modified": Dataset.modified, "metadata_created": Dataset.created,
                     "views_recent": Dataset.downloads, "views_total": Dataset.downloads}
ALL = 10 ** 9  # "every row" / "every facet value"
# The stamp misses a commit that raced another one (an older `modified` committed last, in
# another process); reloading this often bounds how long its counts show.
VISIBILITY_MAX_AGE_S = 30.0


@dataclass(frozen=True)
class Term:
    """One condition of a query: `field` is one of `values`, or within [low, high]."""

    field: str
    values: tuple[str, ...] = ()
    low: Any = None  # datetime or int; None = open
    high: Any = None
    is_range: bool = False
    negate: bool = False


@dataclass
class DatasetQuery:
    """What a reader asks the catalogue: words, AND-ed clauses of OR-ed terms, an order, a page.

    `sort` is a list of (CKAN field, descending), or one of SORTS. `rows=None` means every match.
    """

    q: str = ""
    clauses: list[list[Term]] = field(default_factory=list)
    sort: list[tuple[str, bool]] | str = "relevance"
    start: int = 0
    rows: int | None = 20
    include_private: bool = True
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = 50  # < 0 = all


@dataclass
class DatasetPage:
    """One page of a catalogue query: datasets re-read from the database, the total, facets."""

    count: int
    datasets: list[Dataset]
    facets: dict[str, list[dict[str, Any]]]  # field -> [{"name", "display_name", "count"}]
    suggestion: str | None = None
    fuzzy: bool = False
    detected_year: int | None = None
    q_without_year: str = ""
    terms: frozenset[str] = frozenset()

    def __post_init__(self):
        marked: dict[str, tuple[str, str]] = {}
        self.highlights = _Highlights(self.terms, self.datasets, 1, marked)
        self.title_highlights = _Highlights(self.terms, self.datasets, 0, marked)


@dataclass
class SearchParams:
    """The search page's form: words, facet filters, a year range, an order and a page."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def query(self) -> DatasetQuery:
        clauses = [[Term(f, tuple(v))] for f, v in self.filters.items() if f in FACET_FIELDS and v]
        if self.year_from is not None or self.year_to is not None:
            clauses.append([Term("year", low=self.year_from, high=self.year_to, is_range=True)])
        per_page = max(1, min(self.per_page, 1000))
        return DatasetQuery(q=self.q, clauses=clauses, sort=self.sort if self.sort in SORTS else "relevance",
                            start=(max(1, self.page) - 1) * per_page, rows=per_page,
                            facet_fields=list(FACET_FIELDS))


def find(actor: Actor, query: DatasetQuery) -> DatasetPage:
    """Find published datasets the actor may see: words, filters, order, page and facet counts.

    Words AND together (falling back to OR, then to similar words, when nothing matches), and a
    bare year among them filters by that year unless the query names years. A facet's counts
    use every filter except its own field's (choosing a second value widens the result), counted
    only over what the actor may see. Private datasets are found only by members of their
    organization, and only with `include_private`. Drafts and deleted datasets never.
    """
    s = db.session()
    newest_change = index_log.catch_up()  # what other machines committed, into this one's index
    organizations = visible_organizations(actor) if query.include_private else []
    index_filters, year_range, sql_terms = _split_clauses(s, query.clauses)
    visibility = _visibility()
    visibility.changed(newest_change)
    allowed = visibility.allowed(s, organizations)
    if sql_terms:
        allowed = _narrowed(allowed, s, sql_terms)
    sort, sql_order = _index_sort(query.sort)
    start = max(0, query.start)
    rows = ALL if query.rows is None else max(0, query.rows)
    result = search_index().search(
        q=query.q,
        filters=index_filters,
        year_from=year_range[0],
        year_to=year_range[1],
        sort=sort,
        page=1,
        per_page=ALL if sql_order else max(1, start + rows),
        visible_orgs=None if organizations is None else _organization_names(s, organizations),
        facet_limit=ALL if query.facet_limit < 0 else query.facet_limit,
        allowed=allowed,
        downloads=visibility.downloads(s) if sort == "downloads" else None,
        highlight=False,
    )
    ids = result.ids
    if sql_order:
        ids = _sql_ordered(s, ids, sql_order)
    page_ids = ids[start:start + rows]
    year = result.detected_year
    return DatasetPage(
        count=result.total,
        datasets=load_visible(actor, page_ids),
        facets=_facets(result.facets, query.facet_fields),
        suggestion=result.suggestion,
        fuzzy=result.fuzzy,
        detected_year=year,
        q_without_year=drop_year(query.q, year) if year is not None else query.q,
        terms=result.terms,
    )


def search(actor: Actor, params: SearchParams) -> DatasetPage:
    """Run the search page's form."""
    return find(actor, params.query())


def every_public() -> list[Dataset]:
    """Every public dataset by name (the linked-data catalogue, the sitemap)."""
    return find(None, DatasetQuery(sort=[("name", False)], rows=None, include_private=False)).datasets


def latest_public(limit: int = 6) -> list[Dataset]:
    """The public datasets changed last (the home page)."""
    return find(None, DatasetQuery(sort="newest", rows=limit, include_private=False)).datasets


def in_topic(actor: Actor, topic: Topic) -> list[Dataset]:
    """Every dataset of a topic the actor may see, by title."""
    return find(actor, DatasetQuery(clauses=[[Term("topic", (topic.name,))]], sort="title", rows=None)).datasets


def of_organization(actor: Actor, organization: Organization) -> list[Dataset]:
    """Every dataset of a publisher the actor may see, by title."""
    query = DatasetQuery(clauses=[[Term("organization", (organization.name,))]], sort="title", rows=None)
    return find(actor, query).datasets


def public_counts_by_topic() -> dict[str, int]:
    """Topic id -> number of public datasets."""
    return _public_counts("topic", Topic)


def public_counts_by_organization() -> dict[str, int]:
    """Organization id -> number of public datasets."""
    return _public_counts("organization", Organization)


def _public_counts(fname: str, model) -> dict[str, int]:
    page = find(None, DatasetQuery(rows=0, include_private=False, facet_fields=[fname], facet_limit=-1))
    by_name = {item["name"]: item["count"] for item in page.facets.get(fname, [])}
    ids = dict(db.session().execute(select(model.name, model.id)).all())
    return {ids[name]: n for name, n in by_name.items() if name in ids}


# --- turning a query into the index's terms ------------------------------------------------------


def _split_clauses(s, clauses: list[list[Term]]):
    """Split the clauses into the index's facet filters, its year range, and the terms the
    database must answer (negations, ranges, other fields, a field's second clause)."""
    filters: dict[str, list[str]] = {}
    year_range: tuple[int | None, int | None] = (None, None)
    sql: list[list[Term]] = []
    for clause in clauses:
        first = clause[0]
        facet = INDEX_FIELDS.get(first.field)
        same_field = facet is not None and all(INDEX_FIELDS.get(t.field) == facet and not t.negate for t in clause)
        if same_field and not any(t.is_range for t in clause) and facet not in filters:
            filters[facet] = _index_values(s, facet, [v for t in clause for v in t.values])
        elif (same_field and facet == "year" and len(clause) == 1 and first.is_range
              and year_range == (None, None) and _is_int_or_none(first.low) and _is_int_or_none(first.high)):
            year_range = (first.low, first.high)
        else:
            sql.append(clause)
    return filters, year_range, sql


def _is_int_or_none(value) -> bool:
    return value is None or isinstance(value, int)


def _index_values(s, facet: str, values: list[str]) -> list[str]:
    """The index knows publishers and topics by name: a value that is an id becomes its name."""
    model = {"organization": Organization, "topic": Topic}.get(facet)
    if model is None:
        return [str(v) for v in values]
    names = dict(s.execute(select(model.id, model.name).where(model.id.in_(values))).all())
    return [names.get(v, v) for v in values]


def _narrowed(allowed: IdSet, s, clauses: list[list[Term]]) -> IdSet:
    """`allowed` limited to the published datasets the database says match every clause."""
    conds = [Dataset.state == "published"]
    for clause in clauses:
        parts = [_term_sql(t, s) for t in clause]
        conds.append(parts[0] if len(parts) == 1 else or_(*parts))
    matching = id_array(sorted(s.scalars(select(Dataset.id).where(and_(*conds)))))
    ids = np.intersect1d(allowed.ids, matching) if len(matching) and len(allowed.ids) else id_array([])
    digest = hashlib.blake2b(ids.tobytes(), digest_size=16).hexdigest()
    return IdSet(key=("narrowed", len(ids), digest), ids=ids)


def _term_sql(term: Term, s):
    """The SQL condition of one term (years are matched in Python: they are a JSON list)."""
    f, vals = term.field, list(term.values)
    if f == "organization":
        org_ids = select(Organization.id).where(or_(Organization.name.in_(vals), Organization.id.in_(vals)))
        cond = Dataset.organization_id.in_(org_ids)
    elif f in ("groups", "topic"):
        ids = (select(dataset_topics.c.dataset_id).join(Topic, Topic.id == dataset_topics.c.topic_id)
               .where(or_(Topic.name.in_(vals), Topic.id.in_(vals))))
        cond = Dataset.id.in_(ids)
    elif f in ("tags", "tag"):
        ids = (select(dataset_tags.c.dataset_id).join(Tag, Tag.id == dataset_tags.c.tag_id)
               .where(Tag.name.in_(vals)))
        cond = Dataset.id.in_(ids)
    elif f in ("res_format", "format"):
        wanted = {v.upper() for v in vals}
        cond = Dataset.id.in_([ds_id for ds_id, fmts in _formats_by_dataset(s).items() if fmts & wanted])
    elif f in ("license_id", "name", "id", "level"):
        cond = getattr(Dataset, f).in_(vals)
    elif f in ("metadata_modified", "metadata_created"):
        col = Dataset.modified if f == "metadata_modified" else Dataset.created
        if term.is_range:
            parts = ([col >= term.low] if term.low is not None else []) + \
                    ([col <= term.high] if term.high is not None else [])
            cond = and_(*parts) if parts else true()
        else:
            cond = col.in_(vals)
    elif f == "year":
        cond = Dataset.id.in_(_ids_with_years(s, term))
    elif f == "capacity":
        wants = {v.lower() for v in vals}
        cond = or_(*([Dataset.private.is_(False)] if "public" in wants else [])
                   + ([Dataset.private.is_(True)] if "private" in wants else [])) \
            if wants & {"public", "private"} else false()
    elif f == "dataset_type":
        cond = true() if "dataset" in vals else false()
    elif f == "state":
        cond = true() if "active" in vals else false()  # only published (active) datasets ever match
    else:  # pragma: no cover - the parsers only build known fields
        raise ValueError(f"unknown field {f}")
    return ~cond if term.negate else cond


def _ids_with_years(s, term: Term) -> list[str]:
    out = []
    wanted = {int(v) for v in term.values if str(v).isdigit()}
    for ds_id, years in s.execute(select(Dataset.id, Dataset.years).where(Dataset.state == "published")):
        years = years or []
        if term.is_range:
            if any((term.low is None or y >= term.low) and (term.high is None or y <= term.high) for y in years):
                out.append(ds_id)
        elif wanted & set(years):
            out.append(ds_id)
    return out


def _formats_by_dataset(s) -> dict[str, set[str]]:
    """Dataset id -> formats of its resources' public versions (what the package dict shows)."""
    stmt = (select(Resource.dataset_id, Resource.id, ResourceVersion.number, ResourceVersion.format)
            .join(ResourceVersion, ResourceVersion.resource_id == Resource.id)
            .where(ResourceVersion.privacy_status.in_(("ok", "overridden"))))
    newest: dict[str, tuple[int, str, str]] = {}
    for ds_id, res_id, number, fmt in s.execute(stmt):
        if res_id not in newest or number > newest[res_id][0]:
            newest[res_id] = (number, ds_id, (fmt or "").upper())
    out: dict[str, set[str]] = {}
    for _number, ds_id, fmt in newest.values():
        if fmt:
            out.setdefault(ds_id, set()).add(fmt)
    return out


def _index_sort(sort: list[tuple[str, bool]] | str) -> tuple[str, list[tuple[str, bool]]]:
    """The index's own order for `sort`, or relevance plus the order the database must apply."""
    if isinstance(sort, str):
        return (sort if sort in SORTS else "relevance"), []
    keys = list(sort) or [("score", True)]
    if keys[0] == ("score", True):  # relevance; later keys only break ties, as the index does
        return "relevance", []
    if len(keys) == 1 and keys[0] in _INDEX_SORTS:
        return _INDEX_SORTS[keys[0]], []
    return "relevance", [k for k in keys if k[0] in _SQL_SORT_COLUMNS]


def _sql_ordered(s, ids: list[str], order: list[tuple[str, bool]]) -> list[str]:
    if not ids:
        return []
    columns = [_SQL_SORT_COLUMNS[f].desc() if desc else _SQL_SORT_COLUMNS[f].asc() for f, desc in order]
    # Inlined, not bound: a common word can match more ids than a driver takes parameters.
    stmt = (select(Dataset.id).where(Dataset.id.in_(bindparam("ids", ids, expanding=True, literal_execute=True)))
            .order_by(*columns, Dataset.id.asc()))
    return list(s.scalars(stmt))


def _organization_names(s, organization_ids: list[str]) -> list[str]:
    if not organization_ids:
        return []
    return list(s.scalars(select(Organization.name).where(Organization.id.in_(organization_ids))))


# --- the page's rows and facets ------------------------------------------------------------------

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
    rows = {d.id: d for d in s.scalars(select(Dataset).where(Dataset.id.in_(ids)).options(*PAGE_LOAD_OPTIONS))
            if d.state == "published"}
    return [rows[i] for i in ids if i in rows and can_view(actor, rows[i])]


def _facets(index_facets: dict[str, list[tuple[str, int]]], fields: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The asked-for facets, under the asked-for names, with display titles."""
    s = db.session()
    wanted = {f: INDEX_FIELDS[f] for f in fields if f in INDEX_FIELDS}
    titles: dict[str, dict[str, str]] = {}
    english: dict[str, str] = {}
    if "topic" in wanted.values():
        rows = s.execute(select(Topic.name, Topic.title, Topic.title_en)).all()
        titles["topic"] = {name: title for name, title, _en in rows}
        english = {name: en or title for name, title, en in rows}
    if "organization" in wanted.values():
        titles["organization"] = dict(s.execute(select(Organization.name, Organization.title)).all())
    out: dict[str, list[dict[str, Any]]] = {}
    for fname, facet in wanted.items():
        names = titles.get(facet, {})
        items = [{"name": str(v), "display_name": names.get(str(v), str(v)), "count": n}
                 for v, n in index_facets.get(facet, [])]
        if facet == "topic":
            for item in items:
                item["display_name_en"] = english.get(item["name"], item["display_name"])
        if facet == "year":
            items.sort(key=lambda item: item["name"], reverse=True)
        out[fname] = items
    return out


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
            self._shared[ds_id] = highlight(self._terms, ds.title, summary_text(ds))
        return self._shared[ds_id][self._part]

    def __getitem__(self, ds_id: str) -> str:
        if ds_id not in self._datasets:
            raise KeyError(ds_id)
        return self.get(ds_id)


# --- lists outside the index ------------------------------------------------------------------


def public_tags(q: str = "", limit: int | None = None) -> list[Tag]:
    """The tags used by public datasets, alphabetically (optionally those containing `q`)."""
    stmt = (select(Tag).join(dataset_tags, dataset_tags.c.tag_id == Tag.id)
            .join(Dataset, Dataset.id == dataset_tags.c.dataset_id)
            .where(visible_datasets(None)).distinct().order_by(Tag.name))
    if q:
        stmt = stmt.where(Tag.name.ilike(f"%{q}%"))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session().scalars(stmt))


def public_names(limit: int | None = None, offset: int = 0) -> list[str]:
    """Names of public datasets, alphabetically (CKAN's package_list)."""
    stmt = select(Dataset.name).where(visible_datasets(None)).order_by(Dataset.name).offset(max(0, offset))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session().scalars(stmt))


# --- what a reader may see, from the database ------------------------------------------------


def _stamp(s) -> tuple:
    """A cheap fingerprint of which datasets are published: the newest `modified` (one look-up
    at the end of its index, whatever the size of the catalogue).

    Every service that publishes, unpublishes, deletes, or changes the privacy or publisher of
    a dataset sets its `modified` to now, so the newest one moves. What it can miss (a commit
    that raced another and landed an older time last) is bounded by VISIBILITY_MAX_AGE_S, is
    dropped at once in the process that committed it (see `search._forget_resync`), and only
    ever affects counts: every dataset shown is re-read and checked by `load_visible`. The log of
    index changes (`_Visibility.changed`) closes that gap: its numbers follow the commits.
    """
    return (s.scalar(select(func.max(Dataset.modified))),)


class _Visibility:
    """The published datasets' ids, public and private per organization, as the database has them."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._change = -1
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

    def changed(self, newest_change: int) -> None:
        """Forget the cached ids when the log of index changes has moved: a commit, in any
        process on any machine, that published, hid or changed a dataset."""
        with self._lock:
            if newest_change != self._change:
                self._change, self._stamp = newest_change, None

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


def expire_visibility(app) -> None:
    """Make the next search re-read what is published (this process just changed it)."""
    visibility = app.extensions.get("search_visibility")
    if visibility is not None:
        visibility.expire()
