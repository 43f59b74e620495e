"""The public door: home, search, dataset and resource pages, downloads (CKAN's URL scheme)."""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)

from flask_babel import gettext as _

from .. import datastore, exports
from ..services import catalog, datasets, resources, vocabulary
from ..services.errors import NotFound
from .requests import actor, base_url, same_site_path, search_params, table_query

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    counts = catalog.public_counts_by_topic()
    topics = [(t, counts.get(t.id, 0)) for t in vocabulary.list_topics()]
    return render_template("home.html", topics=topics, latest=catalog.latest_public(6))


@bp.route("/dataset")
def dataset_search():
    params = search_params(request.args)
    found = catalog.search(actor(), params)
    if request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json":
        return jsonify(_search_json(found, params))
    return render_template("dataset_search.html", found=found, params=params)


def _search_json(found: catalog.DatasetPage, params: catalog.SearchParams) -> dict:
    return {
        "count": found.count,
        "page": params.page,
        "per_page": params.per_page,
        "suggestion": found.suggestion,
        "fuzzy": found.fuzzy,
        "detected_year": found.detected_year,
        "results": datasets.packages(found.datasets, base_url()),
        "facets": found.facets,
    }


@bp.route("/dataset/<name>")
def dataset_read(name: str):
    ds = datasets.get(actor(), name)
    if ds.name != name:  # reached by id: send to the canonical URL
        return redirect(url_for("public.dataset_read", name=ds.name))
    pkg = datasets.package(ds, base_url())
    first = None
    preview = None
    suppressed: list[str] = []
    visible = [r for r in ds.resources if _readable(ds, r.id)]
    if visible:
        first = visible[0]
        version = resources.readable_version(actor(), ds, first.id)
        with resources.open_table(version, actor()) as table:
            preview = table.page(datastore.Query(limit=10, after=request.args.get("after"),
                                                 before=request.args.get("before")))
            suppressed = table.suppressed_names()
    return render_template("dataset_read.html", ds=ds, pkg=pkg, resources_list=visible, first=first,
                           preview=preview, suppressed=suppressed)


def _readable(ds, resource_id: str) -> bool:
    try:
        resources.readable_version(actor(), ds, resource_id)
        return True
    except NotFound:
        return False


@bp.route("/dataset/<name>/resource/<resource_id>")
def resource_read(name: str, resource_id: str):
    ds = datasets.get(actor(), name)
    number = request.args.get("version", type=int)
    version = resources.readable_version(actor(), ds, resource_id, number)
    query = table_query(request.args, page_size=25)
    try:
        with resources.open_table(version, actor()) as table:
            page = table.page(query)
            suppressed = table.suppressed_names()
            summary = table.column_summary(version.summary or {})
            chart = _chart(table, query)
    except datastore.BadQuery as exc:
        return render_template("error.html", code=400, message=str(exc)), 400
    history = resources.version_history(actor(), version.resource)
    return render_template("resource_read.html", ds=ds, resource=version.resource, version=version, page=page,
                           query=query, history=history, suppressed=suppressed, summary=summary, chart=chart,
                           original_allowed=resources.original_allowed(actor(), version))


def _chart(table: datastore.Table, query: datastore.Query) -> dict | None:
    """Bars of a numeric column summed per category, for the current filtered view
    (without the cells hidden from this reader, and saying so)."""
    labels = [c["name"] for c in table.columns if c["type"] in ("text", "region_code", "year")]
    values = [c["name"] for c in table.columns if c["type"] in ("integer", "decimal")]
    if not labels or not values:
        return None
    x = request.args.get("chart_x") if request.args.get("chart_x") in labels else labels[0]
    y = request.args.get("chart_y") if request.args.get("chart_y") in values else values[0]
    bars = table.group_sums(x, y, datastore.Query(filters=query.filters, q=query.q))
    chart = {"x": x, "y": y, "labels": labels, "values": values, "bars": [],
             "too_many_rows": bars is None, "max_rows": datastore.FILTERED_COUNT_CAP,
             "without_hidden": table.sums_without_hidden(y)}
    if bars:
        top = max(abs(v) for _, v in bars) or 1
        chart["bars"] = [{"label": label, "value": v, "width": round(100 * abs(v) / top, 1)} for label, v in bars]
    return chart


@bp.route("/dataset/<name>/resource/<resource_id>/download/<filename>")
def resource_download(name: str, resource_id: str, filename: str):
    """The normalized table (or the filtered view) as CSV, Excel CSV, JSON or XLSX."""
    ds = datasets.get(actor(), name)
    version = resources.readable_version(actor(), ds, resource_id, request.args.get("version", type=int))
    fmt = request.args.get("format") or _format_from_name(filename)
    if fmt not in exports.STREAMERS:
        abort(404)
    query = table_query(request.args, page_size=0)
    table = resources.open_table(version, actor())
    try:
        columns = table.selected_columns(query) if query.fields else table.columns
        rows = table.iter_rows(query)
        stream = exports.STREAMERS[fmt](columns, rows, suppressed=table.suppressed_positions(query),
                                        legend=_("x: hidden to protect confidentiality"))
    except datastore.BadQuery as exc:
        table.close()
        return render_template("error.html", code=400, message=str(exc)), 400
    resources.count_download(version)

    def generate():
        try:
            yield from stream
        finally:
            table.close()

    mimetype, ext = exports.FORMATS[fmt]
    base = f"{ds.name}-v{version.number}" + ("-filtered" if query.filters or query.q else "")
    if fmt == "csv-excel":
        base += "-excel"
    resp = Response(stream_with_context(generate()), content_type=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{base}.{ext}"'
    return resp


def _format_from_name(filename: str) -> str:
    lower = filename.lower()
    for fmt in ("json", "xlsx"):
        if lower.endswith("." + fmt):
            return fmt
    return "csv"


@bp.route("/dataset/<name>/resource/<resource_id>/original")
def resource_original(name: str, resource_id: str):
    """The file exactly as uploaded, always as an attachment."""
    ds = datasets.get(actor(), name)
    version = resources.readable_version(actor(), ds, resource_id, request.args.get("version", type=int))
    if not resources.original_allowed(actor(), version):
        abort(404)
    resources.count_download(version)
    return send_file(resources.original_path(version), as_attachment=True, download_name=version.filename,
                     mimetype="application/octet-stream", conditional=True)


@bp.route("/organization")
def organization_index():
    counts = catalog.public_counts_by_organization()
    orgs = [(o, counts.get(o.id, 0)) for o in vocabulary.list_organizations()]
    return render_template("organization_index.html", orgs=orgs)


@bp.route("/organization/<name>")
def organization_read(name: str):
    org = vocabulary.get_organization(name)
    return render_template("group_read.html", group=org, kind="organization",
                           datasets_list=catalog.of_organization(actor(), org))


@bp.route("/group")
def group_index():
    counts = catalog.public_counts_by_topic()
    topics = [(t, counts.get(t.id, 0)) for t in vocabulary.list_topics()]
    return render_template("group_index.html", topics=topics)


@bp.route("/group/<name>")
def group_read(name: str):
    topic = vocabulary.get_topic(name)
    return render_template("group_read.html", group=topic, kind="group",
                           datasets_list=catalog.in_topic(actor(), topic))


@bp.route("/lang/<code>")
def set_language(code: str):
    """Switch the interface language and go back where the reader was."""
    from flask import session

    if code in ("id", "en"):
        session["lang"] = code
    return redirect(same_site_path(request.args.get("next")) or url_for("public.home"))
