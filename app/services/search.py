"""Searching and indexing datasets: the index gives ids, the database gives rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import db
from ..models import Dataset, Organization, Resource, Topic
from ..schemas import ckan_time
from .permissions import Actor, can_view, visible_organizations

# URL parameter names (CKAN's res_format for formats, so `format=json` stays free).
FACET_FIELDS = ("topic", "year", "organization", "res_format", "tag", "level")
SORTS = ("relevance", "newest", "title", "downloads")


def search_index():
    return current_app.extensions["search_index"]


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
        "notes": " ".join(x for x in (ds.definition, ds.measure, ds.unit, ds.coverage, ds.source) if x),
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


def reindex(ds: Dataset) -> None:
    """Bring the index in line with one dataset: indexed iff published. Raises on failure."""
    if ds.state == "published":
        search_index().upsert([to_document(ds)])
    else:
        search_index().delete([ds.id])


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
    """Compare the database with the index: what is missing, extra or stale."""
    s = db.session()
    expected = {
        ds_id: ckan_time(modified)
        for ds_id, modified in s.execute(select(Dataset.id, Dataset.modified).where(Dataset.state == "published"))
    }
    indexed = search_index().indexed()
    return {
        "missing": sorted(set(expected) - set(indexed)),
        "extra": sorted(set(indexed) - set(expected)),
        "stale": sorted(k for k in set(expected) & set(indexed) if expected[k] != indexed[k]),
    }


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

    Returns the datasets of the page (re-read from the database and filtered by
    what the actor may see), the total, facets with counts and titles, and hints.
    """
    visible = visible_organizations(actor)
    if visible is not None:
        s = db.session()
        visible = list(s.scalars(select(Organization.name).where(Organization.id.in_(visible)))) if visible else []
    sort = params.sort if params.sort in SORTS else "relevance"
    result = search_index().search(
        q=params.q,
        filters={k: v for k, v in params.filters.items() if k in FACET_FIELDS and v},
        year_from=params.year_from,
        year_to=params.year_to,
        sort=sort,
        page=max(1, params.page),
        per_page=max(1, min(params.per_page, 1000)),
        visible_orgs=visible,
    )
    datasets = load_visible(actor, result.ids)
    return {
        "datasets": datasets,
        "count": result.total,
        "facets": _facet_titles(result.facets),
        "suggestion": result.suggestion,
        "fuzzy": result.fuzzy,
        "highlights": result.highlights,
        "title_highlights": getattr(result, "title_highlights", {}),
        "detected_year": getattr(result, "detected_year", None),
    }


def load_visible(actor: Actor, ids: Iterable[str]) -> list[Dataset]:
    """Fetch datasets by id in the given order, dropping any the actor may not see."""
    ids = list(ids)
    if not ids:
        return []
    s = db.session()
    rows = {
        d.id: d
        for d in s.scalars(
            select(Dataset)
            .where(Dataset.id.in_(ids), Dataset.state == "published")
            .options(selectinload(Dataset.topics), selectinload(Dataset.tags),
                     selectinload(Dataset.resources).selectinload(Resource.versions))
        )
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
