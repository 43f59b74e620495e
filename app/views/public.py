"""The public door: home, search, dataset and resource pages, downloads (CKAN's URL scheme)."""
from __future__ import annotations

import re

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

from ..services import catalog, datasets, info_requests, resources, tables, vocabulary
from ..services.errors import Unavailable
from .requests import actor, base_url, same_site_path, search_params, table_field, table_query

bp = Blueprint("public", __name__)


@bp.route("/login")
@bp.route("/masuk")
def login_shortcut():
    """The addresses people type for the login page."""
    return redirect(url_for("auth.login", next=same_site_path(request.args.get("next"))))


@bp.route("/")
def home():
    counts = catalog.public_counts_by_topic()
    topics = [(t, counts.get(t.id, 0)) for t in vocabulary.list_topics()]
    by_publisher = catalog.public_counts_by_organization()  # one publisher a dataset: their sum is the total
    figures = {"datasets": sum(by_publisher.values()), "topics": sum(1 for _t, n in topics if n),
               "publishers": sum(1 for n in by_publisher.values() if n)}
    return render_template("home.html", topics=topics, latest=catalog.latest_public(6), figures=figures)


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
    ds = datasets.show(actor(), name)
    if ds.name != name:  # reached by id: send to the canonical URL
        return redirect(url_for("public.dataset_read", name=ds.name))
    pkg = datasets.package(ds, base_url())
    first = None
    preview = None
    suppressed: list[str] = []
    unavailable = None
    chart = None
    visible = resources.readable_in(actor(), ds)
    if visible:
        first = visible[0]
        version = resources.show(actor(), first.id, dataset=ds)
        query = tables.Query(limit=10, after=request.args.get("after"), before=request.args.get("before"))
        try:
            try:
                preview, suppressed = tables.page(actor(), version, query)
            except tables.BadQuery:  # a page token from an older table: start from the first row
                preview, suppressed = tables.page(actor(), version, tables.Query(limit=10))
        except Unavailable as exc:  # the metadata is still worth reading; the status says "come back"
            unavailable = str(exc.message)
        if preview is not None:
            chart = tables.chart(actor(), version, tables.Query())
    body = render_template("dataset_read.html", ds=ds, pkg=pkg, resources_list=visible, first=first,
                           preview=preview, suppressed=suppressed, unavailable=unavailable, chart=chart,
                           chart_version=version.number if first else None,
                           feedback=info_requests.dataset_feedback(ds.id) if ds.is_public else [])
    return (body, 503, {"Retry-After": "3600"}) if unavailable else body


@bp.route("/dataset/<name>/resource/<resource_id>")
def resource_read(name: str, resource_id: str):
    ds = datasets.show(actor(), name)
    number = request.args.get("version", type=int)
    version = resources.show(actor(), resource_id, number, dataset=ds)
    query = table_query(request.args, page_size=25)
    try:
        shown = tables.view(actor(), version, query, _chart_choice())
    except tables.BadQuery as exc:
        return render_template("error.html", code=400, message=str(exc)), 400
    # What could not be applied is said beside its field; the rest of the view is shown (status 400).
    errors: dict[str, str] = {}
    unplaced: list[str] = []  # about no field of the form (a column the table does not have)
    names = {c["name"] for c in version.columns}
    for problem in shown.problems:
        if problem.column is not None and problem.column not in names:
            unplaced.append(str(problem))
        else:
            errors.setdefault(table_field(problem), str(problem))
    history = resources.version_history(actor(), version.resource)
    body = render_template("resource_read.html", ds=ds, resource=version.resource, version=version,
                           page=shown.page, query=query, history=history, suppressed=shown.hidden,
                           summary=shown.summary, chart=shown.chart, errors=errors, unplaced=unplaced,
                           operators=tables.TYPE_OPERATORS, max_rows=tables.FILTERED_COUNT_CAP,
                           original_allowed=tables.original_allowed(actor(), version))
    return (body, 400) if errors or unplaced else body


def _chart_choice() -> tables.ChartChoice:
    """The chart the reader picked (measure, grouping, type); empty fields mean the default."""
    return tables.ChartChoice(measure=request.args.get("chart_y") or None, group=request.args.get("chart_x") or None,
                              kind=request.args.get("chart_type") or None)


@bp.route("/dataset/<name>/resource/<resource_id>/chart.<ext>")
def resource_chart(name: str, resource_id: str, ext: str):
    """The chart of the (possibly filtered) table view as an SVG or PNG file, always an attachment:
    the page shows the SVG through an <img>, which runs nothing and keeps the page's CSP strict."""
    if ext not in ("svg", "png"):
        abort(404)
    ds = datasets.show(actor(), name)
    version = resources.show(actor(), resource_id, request.args.get("version", type=int), dataset=ds)
    try:
        chart = tables.chart(actor(), version, table_query(request.args, page_size=0), _chart_choice())
    except tables.BadQuery as exc:
        return render_template("error.html", code=400, message=str(exc)), 400
    if chart is None or not chart.points:
        abort(404)
    narrow = request.args.get("size") == "narrow"
    if ext == "svg":
        body, mimetype = tables.chart_svg(chart, narrow), "image/svg+xml"
    else:
        body, mimetype = tables.chart_png(chart, narrow), "image/png"
    resp = Response(body, mimetype=mimetype)
    filename = f"{ds.name}-v{version.number}-{chart.measure}-{chart.group}.{ext}"
    resp.headers["Content-Disposition"] = f'attachment; filename="{_ascii_name(filename)}"'
    # Opened on its own, the file runs no script and loads nothing (its styles are its own).
    resp.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return resp


def _ascii_name(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", filename)[:150]


@bp.route("/dataset/<name>/resource/<resource_id>/download/<filename>")
def resource_download(name: str, resource_id: str, filename: str):
    """The normalized table (or the filtered view) as CSV, Excel CSV, JSON or XLSX."""
    ds = datasets.show(actor(), name)
    version = resources.show(actor(), resource_id, request.args.get("version", type=int), dataset=ds)
    fmt = request.args.get("format") or _format_from_name(filename)
    if fmt not in tables.FORMATS:
        abort(404)
    query = table_query(request.args, page_size=0)
    try:
        download = tables.stream_rows(actor(), version, query, fmt, legend=_("x: hidden to protect confidentiality"))
    except tables.BadQuery as exc:
        return render_template("error.html", code=400, message=str(exc)), 400
    base = f"{ds.name}-v{version.number}" + ("-filtered" if query.filters or query.q else "")
    if fmt == "csv-excel":
        base += "-excel"
    resp = Response(stream_with_context(download.stream), content_type=download.content_type)
    resp.headers["Content-Disposition"] = f'attachment; filename="{base}.{download.extension}"'
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
    ds = datasets.show(actor(), name)
    version = resources.show(actor(), resource_id, request.args.get("version", type=int), dataset=ds)
    path = tables.original_path(actor(), version)
    tables.count_download(version)
    return send_file(path, as_attachment=True, download_name=version.filename,
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
