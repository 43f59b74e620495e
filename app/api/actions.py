"""CKAN actions: one function per action, each a thin translation onto the services.

A function's docstring is its `help_show` text; `@action(...)` registers it with the
parameters the documentation page and the OpenAPI description list.
"""
from __future__ import annotations

import csv
import inspect
import io
import json
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode

from flask import current_app
from flask_babel import gettext

from ..models import Dataset
from ..schemas import LICENSE_URLS, OrganizationOutSchema, ResourceOutSchema, TagOutSchema, TopicOutSchema
from ..schemas import catalog as catalog_data
from ..services import catalog, datasets, ingest_jobs, resources, tables, vocabulary
from ..services.errors import NotAuthorized, NotFound, ValidationError
from ..services.permissions import Actor
from . import fq as fq_parser
from . import params
from .datastore_filters import datastore_filters as _datastore_filters
from .datastore_filters import filter_json as _filter_json
from .envelope import SearchQueryError

CKAN_VERSION = "2.10.0"
ROWS_MAX = 1000
DATASTORE_LIMIT_DEFAULT = 100
DATASTORE_LIMIT_MAX = 32000
FACET_FIELDS_MAX = 20
DATASTORE_TYPES = {"integer": "int", "year": "int", "decimal": "numeric", "date": "date",
                   "text": "text", "region_code": "text"}


@dataclass
class Call:
    """One action call: who, with what, and how they proved it."""

    actor: Actor
    data: dict[str, Any]
    base_url: str
    via_token: bool = False
    address: str = "unknown"  # the client's IP address, for the per-address limits


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "string"  # string, integer, boolean, array, object, file
    description: str = ""
    required: bool = False


@dataclass
class Action:
    name: str
    func: Callable[[Call], Any]
    write: bool
    params: list[Param] = field(default_factory=list)
    token: bool = True  # a write needs an API token (create_datarequest does not: anyone may ask)

    @property
    def needs_token(self) -> bool:
        return self.write and self.token

    @property
    def doc(self) -> str:
        """The English help text (help_show, OpenAPI): the docstring, cleaned."""
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def description(self) -> str:
        """The help text in the reader's language, for the API page (the docstring is the msgid,
        extracted by app/api/doc_messages.py)."""
        return gettext(self.doc) if self.doc else ""

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.name


ACTIONS: dict[str, Action] = {}


def action(name: str, *, write: bool = False, token: bool = True, params: list[Param] | None = None):
    def register(func: Callable[[Call], Any]) -> Callable[[Call], Any]:
        ACTIONS[name] = Action(name, func, write, list(params or []), token)
        return func

    return register


def _required(data: dict[str, Any], *keys: str) -> str:
    """The first of `keys` present, as a string; else CKAN's "Missing value"."""
    for key in keys:
        value = data.get(key)
        if value not in (None, ""):
            return str(value)
    raise ValidationError({keys[0]: ["Missing value"]})


def _require_token(call: Call) -> None:
    # A cookie session could be ridden by another site's form; writes need a token.
    if not call.via_token:
        raise NotAuthorized("send an API token in the Authorization header to use this action")


# -- site ------------------------------------------------------------------------------------

@action("status_show")
def status_show(call: Call) -> dict[str, Any]:
    """Return the portal's name, URL, CKAN API version and extensions."""
    return {
        "site_title": "Portal Data Sosial NTB",
        "site_description": "Open data of Dinas Sosial Provinsi Nusa Tenggara Barat",
        "site_url": call.base_url,
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": current_app.config.get("BABEL_DEFAULT_LOCALE", "id"),
        "extensions": ["datastore", "dcat"],
    }


@action("site_read")
def site_read(call: Call) -> bool:
    """Return true: the portal may be read."""
    return True


@action("help_show", params=[Param("name", description="The action's name.", required=True)])
def help_show(call: Call) -> str:
    """Return the help text of an action."""
    name = _required(call.data, "name")
    if name not in ACTIONS:
        raise NotFound("Action function not found")
    return ACTIONS[name].doc


@action("license_list")
def license_list(call: Call) -> list[dict[str, Any]]:
    """List the licenses datasets may carry."""
    return [{"id": key, "title": title, "url": LICENSE_URLS.get(key, ""), "status": "active",
             "od_conformance": "approved", "osd_conformance": "not reviewed"}
            for key, title in catalog_data()["licenses"].items()]


# -- datasets --------------------------------------------------------------------------------

SEARCH_PARAMS = [
    Param("q", description="Words to search for (Solr-style `field:value` terms are filters)."),
    Param("fq", description="Filters: `organization:x`, `groups:x`, `tags:x`, `res_format:CSV`, `license_id:x`, "
                            "`year:2024`, `metadata_modified:[2024-01-01T00:00:00Z TO *]`, `-organization:x`, "
                            "`a OR b`, parentheses."),
    Param("fq_list", "array", "Several fq strings, AND-ed."),
    Param("sort", description="Comma-separated `field asc|desc`: score, id, name, title_string, metadata_modified, "
                              "metadata_created, views_recent. Default `score desc, metadata_modified desc`."),
    Param("rows", "integer", f"Datasets per page (default 10); more than {ROWS_MAX} is lowered to {ROWS_MAX}."),
    Param("start", "integer", "Offset of the first dataset (default 0)."),
    Param("facet.field", "array", "JSON list of fields to count: organization, groups, tags, res_format, "
                                  "license_id, year, level."),
    Param("facet.limit", "integer", "Values per facet (default 50, -1 for all)."),
    Param("include_private", "boolean", "Also private datasets of your organization (needs a token)."),
    Param("fl", description="Comma-separated keys to return for each dataset (default: the whole package dict)."),
]


def _sort(raw: Any) -> list[tuple[str, bool]]:
    text = str(raw or "score desc, metadata_modified desc").strip()
    out = []
    for part in text.split(","):
        bits = part.split()
        if not bits:
            continue
        if len(bits) > 2 or (len(bits) == 2 and bits[1].lower() not in ("asc", "desc")):
            raise SearchQueryError(f"invalid sort {part.strip()!r}")
        name = bits[0]
        if name == "title":
            name = "title_string"
        if name not in catalog.PACKAGE_SORTS:
            raise SearchQueryError(f"cannot sort by {bits[0]!r}")
        out.append((name, len(bits) == 2 and bits[1].lower() == "desc"))
    return out


def package_query(call: Call) -> tuple[catalog.DatasetQuery, str]:
    """Translate package_search's parameters into the search service's query."""
    data = call.data
    q_raw = data.get("q") or ""
    if not isinstance(q_raw, str):
        raise SearchQueryError("q must be a string")
    parsed_q = fq_parser.parse(q_raw, strict=False)
    fq_parser.check_size(parsed_q.clauses)
    clauses = list(parsed_q.clauses)
    text = list(parsed_q.text)
    fqs = []
    if data.get("fq"):
        fqs.append(data["fq"])
    fq_list = params.json_value(data, "fq_list", [])
    fqs.extend(fq_list if isinstance(fq_list, list) else [fq_list])
    if len(fqs) > fq_parser.MAX_FQS:
        raise SearchQueryError(f"too many filters: at most {fq_parser.MAX_FQS} fq and fq_list items")
    for fq in fqs:
        if not isinstance(fq, str):
            raise SearchQueryError("fq must be a string")
        parsed = fq_parser.parse(fq)
        clauses.extend(parsed.clauses)
        text.extend(parsed.text)
        fq_parser.check_size(clauses)
    facet_fields = params.json_value(data, "facet.field", [])
    if isinstance(facet_fields, str):
        facet_fields = [facet_fields]
    if not isinstance(facet_fields, list):
        raise SearchQueryError("facet.field must be a JSON list")
    if len(facet_fields) > FACET_FIELDS_MAX:
        raise SearchQueryError(f"at most {FACET_FIELDS_MAX} facet.field entries")
    sort_text = str(data.get("sort") or "score desc, metadata_modified desc")
    query = catalog.DatasetQuery(
        q=" ".join(text)[:500],
        clauses=clauses,
        sort=_sort(sort_text),
        start=params.integer(data, "start", 0, error=SearchQueryError),
        rows=params.integer(data, "rows", 10, cap=ROWS_MAX, error=SearchQueryError),
        include_private=params.boolean(data, "include_private", False) and call.actor is not None,
        facet_fields=[str(f) for f in facet_fields],
        facet_limit=params.integer(data, "facet.limit", 50, minimum=-1, error=SearchQueryError),
    )
    return query, sort_text


@action("package_search", params=SEARCH_PARAMS)
def package_search(call: Call) -> dict[str, Any]:
    """Search datasets; returns count, results (package dicts), facets and search_facets.

    Only published datasets are found: public ones for everyone, and private ones of
    your organization with `include_private=true` and an API token. Drafts never.
    """
    query, sort_text = package_query(call)
    found = catalog.find(call.actor, query)
    results = datasets.packages(found.datasets, call.base_url)
    fl = call.data.get("fl")
    if fl:
        keys = [k for k in str(fl).replace(",", " ").split() if k]
        results = [{k: r.get(k) for k in keys} for r in results]
    facets = {f: {i["name"]: i["count"] for i in items} for f, items in found.facets.items()}
    for f in query.facet_fields:
        facets.setdefault(f, {})
    search_facets = {f: {"title": f, "items": found.facets.get(f, [])} for f in query.facet_fields}
    return {"count": found.count, "results": results, "facets": facets, "search_facets": search_facets,
            "sort": sort_text}


@action("package_show", params=[Param("id", description="The dataset's id or name.", required=True)])
def package_show(call: Call) -> dict[str, Any]:
    """Return a dataset as a CKAN package dict (by id or name)."""
    ds = datasets.show(call.actor, _required(call.data, "id", "name_or_id", "name"))
    return datasets.package(ds, call.base_url)


@action("package_list", params=[Param("limit", "integer", "How many names."),
                                Param("offset", "integer", "Skip this many names.")])
def package_list(call: Call) -> list[str]:
    """List the names of all public datasets, alphabetically."""
    return catalog.public_names(limit=params.integer(call.data, "limit", None),
                               offset=params.integer(call.data, "offset", 0) or 0)


# -- organizations, groups (topics), tags ------------------------------------------------------

GROUP_LIST_PARAMS = [
    Param("all_fields", "boolean", "Return dicts instead of names."),
    Param("sort", description="`name asc` (default), `title asc` or `package_count desc`."),
    Param("limit", "integer", "How many."),
    Param("offset", "integer", "Skip this many."),
]
GROUP_SHOW_PARAMS = [
    Param("id", description="Id or name.", required=True),
    Param("include_datasets", "boolean", "Include the package dicts of its datasets."),
]


def _group_list(call: Call, items: list, counts: dict[str, int], schema) -> list:
    data = call.data
    sort = str(data.get("sort") or data.get("order_by") or "name asc").strip()
    key, _sep, direction = sort.partition(" ")
    if key not in ("name", "title", "package_count", "packages"):
        raise ValidationError({"sort": [f"Cannot sort by {key}"]})
    wanted = params.string_list(data, "organizations") or params.string_list(data, "groups")
    if wanted:
        items = [i for i in items if i.name in wanted or i.id in wanted]
    keyf = {"name": lambda i: i.name, "title": lambda i: i.title.lower()}.get(
        key, lambda i: counts.get(i.id, 0))
    items = sorted(items, key=keyf, reverse=(direction.strip().lower() == "desc") or key in ("package_count", "packages") and not direction)
    offset = params.integer(data, "offset", 0) or 0
    limit = params.integer(data, "limit", None)
    items = items[offset:offset + limit] if limit is not None else items[offset:]
    if not params.boolean(data, "all_fields", False):
        return [i.name for i in items]
    out = []
    for i in items:
        d = schema.dump(i)
        d["package_count"] = counts.get(i.id, 0)
        out.append(d)
    return out


def _group_show(call: Call, obj, count: int, schema, members: Callable[[], list[Dataset]]) -> dict[str, Any]:
    d = schema.dump(obj)
    d.update({"package_count": count, "users": [], "extras": [], "tags": [], "groups": [],
              "num_followers": 0})
    if params.boolean(call.data, "include_datasets", False):
        d["packages"] = datasets.packages(members(), call.base_url)
    return d


@action("organization_list", params=GROUP_LIST_PARAMS)
def organization_list(call: Call) -> list:
    """List the publishing organizations (names, or dicts with all_fields)."""
    return _group_list(call, vocabulary.list_organizations(), catalog.public_counts_by_organization(),
                       OrganizationOutSchema())


@action("organization_show", params=GROUP_SHOW_PARAMS)
def organization_show(call: Call) -> dict[str, Any]:
    """Return an organization, optionally with its datasets."""
    org = vocabulary.get_organization(_required(call.data, "id"))
    return _group_show(call, org, catalog.public_counts_by_organization().get(org.id, 0), OrganizationOutSchema(),
                       lambda: catalog.of_organization(call.actor, org))


@action("group_list", params=GROUP_LIST_PARAMS)
def group_list(call: Call) -> list:
    """List the topics (CKAN groups) (names, or dicts with all_fields)."""
    return _group_list(call, vocabulary.list_topics(), catalog.public_counts_by_topic(), TopicOutSchema())


@action("group_show", params=GROUP_SHOW_PARAMS)
def group_show(call: Call) -> dict[str, Any]:
    """Return a topic (CKAN group), optionally with its datasets."""
    topic = vocabulary.get_topic(_required(call.data, "id"))
    return _group_show(call, topic, catalog.public_counts_by_topic().get(topic.id, 0), TopicOutSchema(),
                       lambda: catalog.in_topic(call.actor, topic))


@action("tag_list", params=[Param("query", description="Only tags containing this text."),
                            Param("all_fields", "boolean", "Return dicts instead of names.")])
def tag_list(call: Call) -> list:
    """List the tags of public datasets."""
    tags = catalog.public_tags(q=str(call.data.get("query") or call.data.get("q") or "")[:100])
    if params.boolean(call.data, "all_fields", False):
        return TagOutSchema(many=True).dump(tags)
    return [t.name for t in tags]


# -- resources and their tables ------------------------------------------------------------------

@action("resource_show", params=[Param("id", description="The resource's id.", required=True)])
def resource_show(call: Call) -> dict[str, Any]:
    """Return a resource (a table of a dataset) as a CKAN resource dict."""
    resource = resources.show(call.actor, _required(call.data, "id")).resource
    return ResourceOutSchema(base_url=call.base_url).dump(resource)


DATASTORE_PARAMS = [
    Param("resource_id", description="The resource's id.", required=True),
    Param("q", description="Text to find in any text column."),
    Param("filters", "object", 'JSON object {"column": value or [values]} (exact matches, as CKAN). Beyond CKAN, a '
                               'value may compare: {"gt": v}, {"lt": v}, {"between": [from, to]} (both included; '
                               'null leaves an end open) on numbers and dates, {"contains": "text"} on text.'),
    Param("fields", "array", "Columns to return (JSON list or comma-separated); `_id` included by default."),
    Param("sort", description="`column` or `column desc` (one column)."),
    Param("limit", "integer", f"Rows (default {DATASTORE_LIMIT_DEFAULT}); more than {DATASTORE_LIMIT_MAX} is "
                                  "lowered to it (the result's `limit` is the one applied)."),
    Param("offset", "integer", "Skip this many rows (walks pages: prefer `cursor` for deep pages)."),
    Param("cursor", description="Continue after the page that returned this `_links.next` cursor."),
    Param("include_total", "boolean", "Count matching rows (default true)."),
    Param("records_format", description="objects (default), lists, csv or tsv."),
]


def _datastore_sort(raw: Any, names: list[str]) -> tuple[str | None, bool]:
    if raw in (None, ""):
        return None, False
    if isinstance(raw, list):
        if len(raw) != 1:
            raise ValidationError({"sort": ["Sort by one column only"]})
        raw = raw[0]
    parts = [p.strip() for p in str(raw).split(",") if p.strip()]
    if len(parts) != 1:
        raise ValidationError({"sort": ["Sort by one column only"]})
    bits = parts[0].split()
    column = bits[0].strip('"')
    direction = bits[1].lower() if len(bits) > 1 else "asc"
    if len(bits) > 2 or direction not in ("asc", "desc"):
        raise ValidationError({"sort": [f"Invalid sort: {parts[0]}"]})
    if column != "_id" and column not in names:
        raise ValidationError({"sort": [f'field "{column}" not in table']})
    return (None if column == "_id" else column), direction == "desc"


@action("datastore_search", params=DATASTORE_PARAMS)
def datastore_search(call: Call) -> dict[str, Any]:
    """Read rows of a resource's table: filters, text search, sort, pages.

    Pages are keyset-based: `_links.next` carries a `cursor`, so every page costs the
    same however deep. `offset` works too, by walking the pages before it.

    `filters` match exactly, as CKAN's do; beyond CKAN a filter value may compare:
    `{"tahun": {"between": [2020, 2023]}, "jumlah": {"gt": 100}, "kabupaten": {"contains": "bima"}}`.

    Cells hidden to protect confidentiality (small counts, and the cells that keep
    them from being worked out from a total) are null in `objects` and `lists`
    records, never a text in a number field, and each record then has
    `_suppressed`: the names of its hidden fields (declared last in `fields`). In
    `csv` and `tsv` records they are `x`, as in the CSV download. A field with
    hidden cells says so in its `info.notes`; it cannot be filtered or sorted.
    """
    data = call.data
    resource_id = _required(data, "resource_id", "id")
    version = resources.show(call.actor, resource_id)
    resource = version.resource
    fmt = str(data.get("records_format") or "objects")
    if fmt not in ("objects", "lists", "csv", "tsv"):
        raise ValidationError({"records_format": ["Must be objects, lists, csv or tsv"]})
    q = data.get("q") or ""
    if not isinstance(q, str):
        raise ValidationError({"q": ["Search one text in all columns (per-column search is not supported)"]})
    limit = params.integer(data, "limit", DATASTORE_LIMIT_DEFAULT, cap=DATASTORE_LIMIT_MAX)
    offset = params.integer(data, "offset", 0)
    include_total = params.boolean(data, "include_total", True)
    cursor = data.get("cursor") or None
    names = [c["name"] for c in version.columns]
    fields = params.string_list(data, "fields")
    unknown = [f for f in fields if f != "_id" and f not in names]
    if unknown:
        raise ValidationError({"fields": [f'field "{unknown[0]}" not in table']})
    with_id = not fields or "_id" in fields
    chosen = [f for f in fields if f != "_id"] if fields else list(names)
    sort_column, desc = _datastore_sort(data.get("sort"), names)
    filters = _datastore_filters(params.json_value(data, "filters", {}), names)
    query = tables.Query(filters=filters, q=q.strip()[:200], sort=sort_column, desc=desc, after=cursor,
                         fields=chosen)
    try:
        window = tables.read_rows(call.actor, version, query, offset=offset, limit=limit)
    except tables.BadQuery as exc:
        key = "cursor" if exc.column is None else ("sort" if exc.column == sort_column else "filters")
        raise ValidationError({key: [str(exc)]}) from None
    rows, token = window.rows, window.next_cursor
    out_names = (["_id"] if with_id else []) + chosen
    out_rows = [([i] if with_id else []) + r for i, r in zip(window.row_ids, rows)]
    out_fields = ([{"id": "_id", "type": "int"}] if with_id else []) + [
        # CKAN's data dictionary slot: the column's human label (the raw name stays the id)
        {"id": c["name"], "type": DATASTORE_TYPES.get(c["type"], "text"), "info": tables.column_info(c)}
        for c in window.columns]
    for f in out_fields:
        if f["id"] in window.hidden:
            # and what a null in this column means
            f["info"]["notes"] = tables.FIELD_NOTE
    hidden_at = [k for k, n in enumerate(out_names) if n in window.hidden]
    if hidden_at and fmt in ("objects", "lists"):
        out_fields.append({"id": "_suppressed", "type": "_text",
                           "info": {"notes": "The fields of this record hidden to protect confidentiality."}})
        out_rows = [_typed_hidden(r, hidden_at, out_names) for r in out_rows]
    if fmt == "objects":
        records: Any = [dict(zip(out_names + (["_suppressed"] if hidden_at else []), r)) for r in out_rows]
    elif fmt == "lists":
        records = out_rows
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
        # As in the CSV download: a text cell a spreadsheet would run as a formula is defused.
        writer.writerows([tables.spreadsheet_safe(v) for v in r] for r in out_rows)
        records = buf.getvalue()
    shown_filters = {k: ([_filter_json(x) for x in v] if len(v) > 1 else _filter_json(v[0])) for k, v in filters.items()}
    link = {"resource_id": resource.id, "limit": limit}
    for key in ("q", "sort", "records_format"):
        if data.get(key):
            link[key] = data[key]
    if filters:
        link["filters"] = json.dumps(shown_filters, ensure_ascii=False)
    if fields:
        link["fields"] = ",".join(fields)
    start_link = "/api/3/action/datastore_search?" + urlencode(link)
    next_params = dict(link)
    if token:
        next_params["cursor"] = token
    elif rows or offset:
        next_params["offset"] = offset + len(rows)
    result: dict[str, Any] = {
        "resource_id": resource.id,
        "fields": out_fields,
        "records": records,
        "records_format": fmt,
        "limit": limit,
        "offset": offset,
        "filters": shown_filters,
        "include_total": include_total,
        "_links": {"start": start_link, "next": "/api/3/action/datastore_search?" + urlencode(next_params)},
    }
    if q:
        result["q"] = q
    if data.get("sort"):
        result["sort"] = data["sort"]
    if include_total:
        result["total"] = window.total
        result["total_was_estimated"] = window.total_capped
    return result


def _typed_hidden(row: list[Any], hidden_at: list[int], names: list[str]) -> list[Any]:
    """A record's hidden cells as null, with the list of their fields at the end."""
    hidden = [names[k] for k in hidden_at if tables.is_hidden(row[k])]
    row = list(row)
    for k in hidden_at:
        if tables.is_hidden(row[k]):
            row[k] = None
    return row + [hidden]


# -- writing (an API token is required) -------------------------------------------------------

PACKAGE_WRITE_PARAMS = [
    Param("name", description="URL name: 2-100 lowercase letters, digits, - or _."),
    Param("title", description="Title (required to create).", required=False),
    Param("notes", description="Description."),
    Param("owner_org", description="Organization name or id (default: yours)."),
    Param("groups", "array", 'Topics: ["bencana-sosial"] or [{"name": "bencana-sosial"}].'),
    Param("tags", "array", 'Tags: ["a", "b"] or [{"name": "a"}].'),
    Param("license_id", description="CC-BY-4.0 (default), CC0-1.0 or ODbL-1.0."),
    Param("private", "boolean", "Visible only to your organization once published."),
    Param("extras", "array", "Satu Data fields as [{key, value}]: satuan, ukuran, frekuensi, tingkat_penyajian, "
                             "cakupan, konsep_definisi, cara_perhitungan, sumber, tahun."),
    Param("state", description="package_update/patch only: `active` publishes (organization admins), `draft` "
                               "unpublishes, `deleted` deletes."),
]


def _target_state(ds: Dataset, state: Any) -> str | None:
    """Our state for the CKAN state asked for; None when nothing is to change."""
    state = str(state or "").strip().lower()
    if state in ("", ds.state) or (state == "active" and ds.state == "published"):
        return None
    if state == "active":
        return "published"
    if state == "draft":
        return "draft" if ds.state == "published" else None
    if state in ("pending", "deleted"):
        return state
    raise ValidationError({"state": ["Must be active, draft, pending or deleted"]})


def _metadata(data: dict[str, Any], ds: Dataset | None = None) -> dict[str, Any]:
    """The metadata of a create/update call; `resources` may only repeat the dataset's own tables
    (a package_show dict sent back to package_update), which are kept as they are."""
    own = {r.id for r in ds.resources} if ds is not None else set()
    sent = data.get("resources") or []
    if not isinstance(sent, list) or any(not isinstance(r, dict) or r.get("id") not in own for r in sent):
        raise ValidationError({"resources": ["Add tables with resource_create (a CSV or XLSX upload); "
                                             "links to remote files are not supported"]})
    return {k: v for k, v in data.items() if k not in ("id", "state", "resources")}


@action("package_create", write=True, params=PACKAGE_WRITE_PARAMS)
def package_create(call: Call) -> dict[str, Any]:
    """Create a dataset as a draft; add tables with resource_create, then publish with
    package_patch(id, state="active").

    A name another dataset has is refused (409) with `existing_dataset`: its name, and its id
    and title when you may see it (add a version with resource_update instead).

    Needs an API token of a member of the organization.
    """
    _require_token(call)
    ds = datasets.create(call.actor, _metadata(call.data))
    return datasets.package(datasets.show(call.actor, ds.id), call.base_url)


def _update(call: Call, partial: bool) -> dict[str, Any]:
    _require_token(call)
    ref = _required(call.data, "id", "name")
    ds = datasets.for_update(call.actor, ref)
    values = _metadata(call.data, ds)
    state = _target_state(ds, call.data.get("state"))
    if not partial or values or state:
        # One service call, one transaction: a refused publish leaves the metadata unchanged too.
        ds = datasets.update(call.actor, ds.id, values, partial=partial, state=state)
    return datasets.package(datasets.show(call.actor, ds.id), call.base_url)


@action("package_update", write=True, params=[Param("id", description="Id or name.", required=True)]
        + PACKAGE_WRITE_PARAMS)
def package_update(call: Call) -> dict[str, Any]:
    """Replace a dataset's metadata (keys left out are reset); `state: "active"` publishes it.

    Needs an API token; publishing needs an organization admin's token.
    """
    return _update(call, partial=False)


@action("package_patch", write=True, params=[Param("id", description="Id or name.", required=True)]
        + PACKAGE_WRITE_PARAMS)
def package_patch(call: Call) -> dict[str, Any]:
    """Change only the given keys of a dataset; `state: "active"` publishes it.

    Needs an API token; publishing needs an organization admin's token.
    """
    return _update(call, partial=True)


@action("package_delete", write=True, params=[Param("id", description="Id or name.", required=True)])
def package_delete(call: Call) -> None:
    """Delete a dataset (its files are kept, out of public reach). Needs an API token."""
    _require_token(call)
    datasets.delete(call.actor, _required(call.data, "id", "name"))
    return None


@action("dataset_purge", write=True, params=[
    Param("id", description="Id or name.", required=True),
    Param("reason", description="Why it is taken down (at least 10 characters; kept in the incident record).",
          required=True)])
def dataset_purge(call: Call) -> None:
    """Take a dataset holding personal data down for good (system administrators only).

    Every version's files and tables, the search entry and the DCAT entry are removed;
    the dataset then answers 404 and is no longer listed. An incident record keeps what
    it was, who took it down, the reason, its versions with their download counts, and
    the deadline to notify (72 hours, UU 27/2022 Pasal 46). Needs a sysadmin's API token.
    """
    _require_token(call)
    datasets.takedown(call.actor, _required(call.data, "id", "name"), str(call.data.get("reason") or ""))
    return None


RESOURCE_PARAMS = [
    Param("package_id", description="The dataset's id or name.", required=True),
    Param("upload", "file", "The CSV or XLSX file (multipart/form-data).", required=True),
    Param("name", description="The table's name (default: the file name)."),
    Param("description", description="A description of the table."),
    Param("wait", "boolean", "false: answer at once with the ingest job (follow it with ingest_job_show); "
                             "true (default): answer when the file is read, with `ingest_job_id`."),
]


def _upload(call: Call, dataset_ref: str, resource_id: str | None) -> dict[str, Any]:
    upload = call.data.get("upload")
    if upload is None or not hasattr(upload, "stream"):
        raise ValidationError({"upload": ["Send the CSV or XLSX file as the multipart field `upload`; "
                                          "links (url) are not supported"]})
    wait = params.boolean(call.data, "wait", True)
    result = resources.upload(call.actor, dataset_ref, upload.stream, upload.filename or "upload.csv",
                              resource_id=resource_id, name=call.data.get("name") or None,
                              description=str(call.data.get("description") or ""), keep_blocked=False, wait=wait)
    if not wait:
        return ingest_jobs.status(call.actor, result.id)
    return dict(ResourceOutSchema(base_url=call.base_url).dump(result.resource), ingest_job_id=result.job_id)


@action("resource_create", write=True, params=RESOURCE_PARAMS)
def resource_create(call: Call) -> dict[str, Any]:
    """Add a table to a dataset by uploading a CSV or XLSX file (field `upload`).

    The file is read and scanned first: a file with personal data (NIK, names with
    addresses, phone numbers...) is refused with a Validation Error listing the masked
    findings, and nothing is stored. With `wait=false` the answer is the ingest job, at once
    (see ingest_job_show). Needs an API token.
    """
    _require_token(call)
    return _upload(call, _required(call.data, "package_id"), None)


@action("resource_update", write=True, params=[Param("id", description="The resource's id.", required=True)]
        + RESOURCE_PARAMS[1:])
def resource_update(call: Call) -> dict[str, Any]:
    """Upload a new version of a table (field `upload`); scanned like resource_create. Needs an API token."""
    _require_token(call)
    resource = resources.for_update(call.actor, _required(call.data, "id"))
    return _upload(call, resource.dataset_id, resource.id)


@action("resource_delete", write=True, params=[Param("id", description="The resource's id.", required=True)])
def resource_delete(call: Call) -> None:
    """Delete a table with all its versions. Needs an API token."""
    _require_token(call)
    resource = resources.for_update(call.actor, _required(call.data, "id"))
    resources.delete_resource(call.actor, resource.id)
    return None
