"""CKAN's package_search over the database, for the API and harvesters.

The API's filters (fq) can say what the index cannot (negation, date ranges, sorting by id),
so the database decides which datasets match and in what order; the index is asked only
for the text relevance of `q`. Drafts never match; private datasets only with
`include_private` for members of their organization.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select

from .. import db
from ..models import Dataset, Organization, Resource, Topic
from .permissions import Actor, visible_organizations
from .search import load_visible, search_index


PACKAGE_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "name", "id",
                  "year", "level", "metadata_modified", "metadata_created", "capacity", "dataset_type",
                  "state")
PACKAGE_SORTS = ("score", "id", "name", "title_string", "metadata_modified", "metadata_created",
                 "views_recent", "views_total")
PACKAGE_FACETS = ("organization", "groups", "tags", "res_format", "license_id", "year", "level")


@dataclass(frozen=True)
class Term:
    """One condition of a package query: `field` is one of `values`, or within [low, high]."""

    field: str
    values: tuple[str, ...] = ()
    low: Any = None  # datetime or int; None = open
    high: Any = None
    is_range: bool = False
    negate: bool = False


@dataclass
class PackageQuery:
    """A CKAN package_search, already parsed: text, AND-ed clauses of OR-ed terms, sort, page."""

    q: str = ""
    clauses: list[list[Term]] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    start: int = 0
    rows: int | None = 10  # None = all
    include_private: bool = False
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = 50  # < 0 = all


@dataclass
class PackageResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[dict[str, Any]]]  # field -> [{"name", "display_name", "count"}]


_PUBLISHABLE = ("ok", "overridden")


def _term_sql(term: Term, s):
    """The SQL condition of one term (years are matched in Python: they are a JSON list)."""
    from sqlalchemy import false, or_, true

    from ..models import Tag, dataset_tags, dataset_topics

    f, vals = term.field, list(term.values)
    if f == "organization":
        org_ids = select(Organization.id).where(or_(Organization.name.in_(vals), Organization.id.in_(vals)))
        cond = Dataset.organization_id.in_(org_ids)
    elif f == "groups":
        ids = (select(dataset_topics.c.dataset_id).join(Topic, Topic.id == dataset_topics.c.topic_id)
               .where(or_(Topic.name.in_(vals), Topic.id.in_(vals))))
        cond = Dataset.id.in_(ids)
    elif f == "tags":
        ids = (select(dataset_tags.c.dataset_id).join(Tag, Tag.id == dataset_tags.c.tag_id)
               .where(Tag.name.in_(vals)))
        cond = Dataset.id.in_(ids)
    elif f == "res_format":
        wanted = {v.upper() for v in vals}
        cond = Dataset.id.in_([ds_id for ds_id, fmts in _formats_by_dataset(s).items() if fmts & wanted])
    elif f in ("license_id", "name", "id", "level"):
        cond = getattr(Dataset, f).in_(vals)
    elif f in ("metadata_modified", "metadata_created"):
        col = Dataset.modified if f == "metadata_modified" else Dataset.created
        if term.is_range:
            parts = []
            if term.low is not None:
                parts.append(col >= term.low)
            if term.high is not None:
                parts.append(col <= term.high)
            cond = parts[0] & parts[1] if len(parts) == 2 else (parts[0] if parts else true())
        else:
            cond = col.in_(vals)
    elif f == "year":
        cond = Dataset.id.in_(_ids_with_years(s, term))
    elif f == "capacity":
        wants = {v.lower() for v in vals}
        cond = or_(*([Dataset.private.is_(False)] if "public" in wants else [])
                   + ([Dataset.private.is_(True)] if "private" in wants else [])) if wants & {"public", "private"} else false()
    elif f == "dataset_type":
        cond = true() if "dataset" in vals else false()
    elif f == "state":
        cond = true() if "active" in vals else false()  # only published (active) datasets ever match
    else:  # pragma: no cover - the parser only builds known fields
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


def _formats_by_dataset(s, dataset_ids=None) -> dict[str, set[str]]:
    """Dataset id -> formats of its resources' public versions (what the package dict shows)."""
    from ..models import ResourceVersion

    stmt = (select(Resource.dataset_id, Resource.id, ResourceVersion.number, ResourceVersion.format)
            .join(ResourceVersion, ResourceVersion.resource_id == Resource.id)
            .where(ResourceVersion.privacy_status.in_(_PUBLISHABLE)))
    if dataset_ids is not None:
        stmt = stmt.where(Resource.dataset_id.in_(dataset_ids))
    newest: dict[str, tuple[int, str, str]] = {}
    for ds_id, res_id, number, fmt in s.execute(stmt):
        if res_id not in newest or number > newest[res_id][0]:
            newest[res_id] = (number, ds_id, (fmt or "").upper())
    out: dict[str, set[str]] = {}
    for _number, ds_id, fmt in newest.values():
        if fmt:
            out.setdefault(ds_id, set()).add(fmt)
    return out


def _visible_condition(actor: Actor, include_private: bool):
    from sqlalchemy import or_

    public = Dataset.private.is_(False)
    if not include_private:
        return public
    orgs = visible_organizations(actor)
    if orgs is None:
        return Dataset.id.is_not(None)
    return or_(public, Dataset.organization_id.in_(orgs)) if orgs else public


def search_packages(actor: Actor, query: PackageQuery) -> PackageResult:
    """Run a CKAN package_search: published datasets matching text, filters and sort.

    The database applies every filter (including negations and date ranges) and the
    sort; the index only ranks the text of `q` (score). Private datasets appear only
    with `include_private` and only for members of their organization.
    """
    from sqlalchemy import and_, func, or_

    s = db.session()
    conds = [Dataset.state == "published", _visible_condition(actor, query.include_private)]
    for clause in query.clauses:
        parts = [_term_sql(t, s) for t in clause]
        conds.append(parts[0] if len(parts) == 1 else or_(*parts))
    ranked: list[str] | None = None
    if query.q.strip():
        visible = visible_organizations(actor) if query.include_private else []
        if visible:
            visible = list(s.scalars(select(Organization.name).where(Organization.id.in_(visible))))
        ranked = search_index().all_matching_ids(q=query.q, sort="relevance", visible_orgs=visible)
        # Inlined, not bound: a common word can match more ids than a driver takes parameters.
        conds.append(Dataset.id.in_(bindparam("ranked_ids", ranked, expanding=True, literal_execute=True)))
    where = and_(*conds)
    count = s.scalar(select(func.count()).select_from(Dataset).where(where)) or 0

    sort = [(f, d) for f, d in query.sort if f != "score" or ranked is not None] or [("metadata_modified", True)]
    start = max(0, query.start)
    if sort[0][0] == "score":
        # Relevance order comes from the index; the remaining keys only break its ties.
        matching = set(s.scalars(select(Dataset.id).where(where)))
        ordered = [i for i in ranked if i in matching]
        page_ids = ordered[start:] if query.rows is None else ordered[start:start + query.rows]
    else:
        columns = {"id": Dataset.id, "name": Dataset.name, "title_string": Dataset.title,
                   "metadata_modified": Dataset.modified, "metadata_created": Dataset.created,
                   "views_recent": Dataset.downloads, "views_total": Dataset.downloads}
        order = [columns[f].desc() if d else columns[f].asc() for f, d in sort if f in columns]
        stmt = select(Dataset.id).where(where).order_by(*order, Dataset.id.asc()).offset(start)
        if query.rows is not None:
            stmt = stmt.limit(query.rows)
        page_ids = list(s.scalars(stmt))
    facets = _package_facets(s, where, query.facet_fields, query.facet_limit) if query.facet_fields else {}
    return PackageResult(count=count, datasets=load_visible(actor, page_ids), facets=facets)


def _package_facets(s, where, fields: list[str], limit: int) -> dict[str, list[dict[str, Any]]]:
    """Counts of matching datasets per value of each facet field, most frequent first."""
    from collections import Counter

    from sqlalchemy import func

    from ..models import Tag, dataset_tags, dataset_topics

    ids = select(Dataset.id).where(where)
    out: dict[str, list[dict[str, Any]]] = {}
    for fname in fields:
        titles: dict[str, str] = {}
        counts: Counter = Counter()
        if fname == "organization":
            rows = s.execute(select(Organization.name, Organization.title, func.count())
                             .join(Dataset, Dataset.organization_id == Organization.id)
                             .where(Dataset.id.in_(ids)).group_by(Organization.name, Organization.title))
            for name, title, n in rows:
                counts[name], titles[name] = n, title
        elif fname == "groups":
            rows = s.execute(select(Topic.name, Topic.title, func.count())
                             .join(dataset_topics, dataset_topics.c.topic_id == Topic.id)
                             .where(dataset_topics.c.dataset_id.in_(ids)).group_by(Topic.name, Topic.title))
            for name, title, n in rows:
                counts[name], titles[name] = n, title
        elif fname == "tags":
            rows = s.execute(select(Tag.name, func.count()).join(dataset_tags, dataset_tags.c.tag_id == Tag.id)
                             .where(dataset_tags.c.dataset_id.in_(ids)).group_by(Tag.name))
            counts.update(dict(rows.all()))
        elif fname == "res_format":
            matched = list(s.scalars(ids))
            for fmts in _formats_by_dataset(s, matched).values():
                counts.update(fmts)
        elif fname in ("license_id", "level"):
            col = getattr(Dataset, fname)
            rows = s.execute(select(col, func.count()).where(Dataset.id.in_(ids), col != "").group_by(col))
            counts.update({str(v): n for v, n in rows if v})
        elif fname == "year":
            for years in s.scalars(select(Dataset.years).where(Dataset.id.in_(ids))):
                counts.update(str(y) for y in set(years or []))
        else:
            continue
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if limit >= 0:
            items = items[:limit]
        out[fname] = [{"name": k, "display_name": titles.get(k, k), "count": n} for k, n in items]
    return out


def public_tags(q: str = "", limit: int | None = None) -> list:
    """The tags used by public datasets, alphabetically (optionally those containing `q`)."""
    from ..models import Tag, dataset_tags

    stmt = (select(Tag).join(dataset_tags, dataset_tags.c.tag_id == Tag.id)
            .join(Dataset, Dataset.id == dataset_tags.c.dataset_id)
            .where(Dataset.state == "published", Dataset.private.is_(False)).distinct().order_by(Tag.name))
    if q:
        stmt = stmt.where(Tag.name.ilike(f"%{q}%"))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session().scalars(stmt))


def public_names(limit: int | None = None, offset: int = 0) -> list[str]:
    """Names of public datasets, alphabetically (CKAN's package_list)."""
    stmt = (select(Dataset.name).where(Dataset.state == "published", Dataset.private.is_(False))
            .order_by(Dataset.name).offset(max(0, offset)))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session().scalars(stmt))
