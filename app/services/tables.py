"""Reading a version's table as the actor may: the one door for every page, download, chart and
API call that shows rows.

Each function checks that the actor may read the version (a blocked upload, or a private
dataset's table, is NotFound to others) and opens it with the actor's small-cell suppression
plan, so hidden cells read as `x` and are left out of sums. Views and the API import this
module, never `app.tables`.

Where a version's table is (a SQLite file, or a PostgreSQL table) is services/datastore.py's.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterator

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from .. import db
from ..models import Dataset, ResourceVersion
from ..storage import file_store
from ..tables import (FILTERED_COUNT_CAP, OPERATORS, TYPE_OPERATORS, BadQuery, Condition, Page, Query, Suppressed,
                      Table, TableUnreadable, encode_token, exports, roles)
from ..tables.disclosure import FIELD_NOTE, SYMBOL as HIDDEN_SYMBOL
from ..tables.store import ENGINE_ERRORS
from . import chart_drawing, charts, datastore, quarantine
from .charts import Chart
from .errors import NotFound, Unavailable
from .permissions import Actor, can_download_original, can_read_tables, can_view, small_cells_hidden

__all__ = ["BadQuery", "Query", "Condition", "OPERATORS", "TYPE_OPERATORS", "Page", "Rows", "Download", "TableView", "FORMATS", "FIELD_NOTE", "HIDDEN_SYMBOL",
           "FILTERED_COUNT_CAP", "spreadsheet_safe", "is_hidden", "open_table", "page", "view", "read_rows",
           "stream_rows", "hidden_columns", "original_allowed", "original_path", "count_download", "suppression_plan",
           "Chart", "ChartChoice", "CHART_KINDS", "chart", "chart_svg", "chart_png", "column_label",
           "column_description", "column_info"]

log = logging.getLogger("portal.tables")

# Download formats: name -> (content type, file extension).
FORMATS = exports.FORMATS
# A text cell (or header) as the CSV download writes it: one a spreadsheet would run as a formula
# (=, +, -, @ first, and not a number) gets a leading apostrophe; numbers stay numbers.
spreadsheet_safe = exports.neutralize
# A column as people read it (the data dictionary's label, the file's header, its name made
# readable): every door shows this, and keeps the raw name as the key.
column_label = roles.label
column_description = roles.description
column_info = roles.info
CHART_KINDS = charts.KINDS
# Rows read from the engine at a time when an API call asks for many.
_CHUNK = 1000


def suppression_plan(actor: Actor, version: ResourceVersion) -> str | None:
    """Which small cells the actor sees hidden: none for the organization, else sensitive or all."""
    return small_cells_hidden(actor, version.resource.dataset)


def _files(version: ResourceVersion) -> Path:
    folder = quarantine.version_dir(version)
    if folder is None:
        raise NotFound(_l("The file of this upload was purged."))
    return folder


def source(version: ResourceVersion):
    """Where a version's table is read from: a PostgreSQL table, or its SQLite file."""
    if datastore.in_database(version.table_file):
        return datastore.pg_table(version.table_file)
    return file_store().table_path(_files(version), version.table_file)


def open_table(version: ResourceVersion, actor: Actor = None) -> Table:
    """Open a version's table with the actor's suppression plan, without checking access:
    for the services themselves (the review of a blocked upload masks what it shows)."""
    try:
        return Table(source(version), suppress=suppression_plan(actor, version))
    except TableUnreadable as exc:
        raise _unavailable(version, exc) from None


def _unavailable(version: ResourceVersion, problem: object) -> Unavailable:
    """What a reader gets when a stored file cannot be read; the log tells the operator."""
    log.error("resource %s v%d: stored file unreadable (%s); run `portal check`",
              version.resource_id, version.number, problem)
    return Unavailable(_l("This table is temporarily unavailable. Please try again later; the fault has been logged for the office."))


def _check(actor: Actor, version: ResourceVersion) -> None:
    ds = version.resource.dataset
    if not version.publishable or not can_view(actor, ds) or not can_read_tables(actor, ds):
        raise NotFound(_l("Resource not found."))


@contextmanager
def _open(actor: Actor, version: ResourceVersion) -> Iterator[Table]:
    """The version's table for this actor, closed after the block; a table found damaged while it
    is read (a PostgreSQL table whose rows were dropped) is Unavailable, as one that cannot open."""
    _check(actor, version)
    table = open_table(version, actor)
    try:
        yield table
    except ENGINE_ERRORS as exc:
        raise _unavailable(version, exc) from None
    finally:
        table.close()


def page(actor: Actor, version: ResourceVersion, query: Query) -> tuple[Page, list[str]]:
    """One page of rows for a table view, and the columns holding cells hidden from this actor."""
    with _open(actor, version) as table:
        return table.page(query), table.suppressed_names()


def hidden_columns(actor: Actor, version: ResourceVersion) -> list[str]:
    """The columns holding cells hidden from this actor (empty when none are)."""
    with _open(actor, version) as table:
        return table.suppressed_names() if table.suppress else []


def _chart(table: Table, version: ResourceVersion, query: Query, choice: "ChartChoice | None") -> Chart | None:
    """The chart of the query's filtered rows, chosen by the columns' roles and the reader's
    choice, without the cells hidden from this reader (and saying so)."""
    choice = choice or ChartChoice()
    ds = version.resource.dataset
    return charts.build(table, query, version.summary or {}, ds.title,
                        measure=choice.measure, group=choice.group, kind=choice.kind)


@dataclass
class ChartChoice:
    """What the reader picked for a chart; None or an unknown name means the default."""

    measure: str | None = None
    group: str | None = None
    kind: str | None = None


def chart(actor: Actor, version: ResourceVersion, query: Query, choice: ChartChoice | None = None) -> Chart | None:
    """The chart of a table view (the SVG and PNG downloads, the dataset page's default chart)."""
    with _open(actor, version) as table:
        return _chart(table, version, Query(filters=query.filters, q=query.q), choice)


def chart_svg(chart: Chart, narrow: bool = False) -> bytes:
    """A chart as an SVG file that runs no script (see `chart_drawing`)."""
    return chart_drawing.svg(chart, _lang(), narrow)


def chart_png(chart: Chart, narrow: bool = False) -> bytes:
    """A chart as a PNG image."""
    return chart_drawing.png(chart, _lang(), narrow)


def _lang() -> str:
    locale = get_locale()
    return locale.language if locale else "id"


@dataclass
class TableView:
    """What a resource page shows of its table: a page of rows, the summary and a chart."""

    page: Page
    hidden: list[str]  # columns with cells hidden from this actor
    summary: dict[str, dict[str, Any]]
    chart: Chart | None
    problems: list[BadQuery] = field(default_factory=list)  # what the query asked that the table could not answer


def view(actor: Actor, version: ResourceVersion, query: Query, choice: ChartChoice | None = None) -> TableView:
    """A resource page's table, read once: the query's page (and where it starts), the column
    summary, the chart. A filter, sort, page number or page link the table cannot answer is
    left out, and said in `problems` (each naming its column and field), so the reader keeps
    the rest of the view and sees what to correct."""
    with _open(actor, version) as table:
        problems = table.problems(query)
        query = _without(replace(query, locate=True), problems)
        try:
            shown = table.page(query)
        except BadQuery as exc:  # a page number past the last page, or in a view too big to count
            if exc.part != "page":
                raise
            problems.append(exc)
            query = replace(query, page=None)
            shown = table.page(query)
        return TableView(page=shown, hidden=table.suppressed_names(),
                         summary=table.column_summary(version.summary or {}),
                         chart=_chart(table, version, query, choice), problems=problems)


def _without(query: Query, problems: list[BadQuery]) -> Query:
    """The query without what `problems` name: those columns' filters, the sort, the page number, the page links."""
    if not problems:
        return query
    dropped = {p.column for p in problems if p.part in ("value", "to", "op")}
    parts = {p.part for p in problems}
    return replace(query, filters={k: v for k, v in query.filters.items() if k not in dropped},
                   sort=None if "sort" in parts else query.sort,
                   desc=False if "sort" in parts else query.desc,
                   page=None if "page" in parts else query.page,
                   after=None if None in parts else query.after,
                   before=None if None in parts else query.before)


@dataclass
class Rows:
    """A window of a table's rows (the DataStore API's answer before it is shaped)."""

    columns: list[dict[str, Any]]  # the chosen columns, in order
    rows: list[list[Any]]
    row_ids: list[int]
    total: int  # matching rows; FILTERED_COUNT_CAP when more than it are counted
    total_capped: bool
    next_cursor: str | None  # continue after the last row; None when no row was read
    hidden: list[str] = field(default_factory=list)  # chosen columns with cells hidden from this actor


def read_rows(actor: Actor, version: ResourceVersion, query: Query, *, offset: int = 0,
              limit: int = 100) -> Rows:
    """`limit` rows from `offset` (counted after `query.after`), whatever the engine's page size.

    Pages are keyset pages. The offset is found as a page jump finds its page (by the row's
    place: the table's page keys, or within a filtered view small enough to count), else walked
    page by page; the cursor returned continues after the last row (made of the sort column's
    value, read even when `query.fields` leaves it out).
    """
    with _open(actor, version) as table:
        chosen = list(query.fields) if query.fields else [c["name"] for c in table.columns]
        wanted = chosen + ([query.sort] if query.sort and query.sort not in chosen else [])
        query = replace(query, fields=wanted or [table.columns[0]["name"]])
        key_index = query.fields.index(query.sort) if query.sort else None
        token = query.after

        def read(after: str | None, n: int, start: int = 0) -> Page:
            return table.page(replace(query, after=after, start=start, limit=max(1, min(n, _CHUNK))))

        skip, start = offset, 0
        if offset > 0 and token is None:
            total, capped = table.count(query)
            if total is not None and not capped:
                skip, start = 0, offset
        while skip > 0:
            got = read(token, skip)
            if got.rows:
                token = _last_token(got, key_index)
            skip -= len(got.rows)
            if len(got.rows) < min(skip + len(got.rows), _CHUNK):
                break
        rows: list[list[Any]] = []
        ids: list[int] = []
        while True:
            want = limit - len(rows)
            got = read(token, want, start)
            start = 0
            total, capped = got.total, got.total_capped
            if want <= 0:
                break
            rows.extend(r[:len(chosen)] for r in got.rows)
            ids.extend(got.row_ids)
            if got.rows:
                token = _last_token(got, key_index)
            if len(got.rows) < min(want, _CHUNK) or len(rows) >= limit:
                break
        by_name = {c["name"]: c for c in table.columns}
        hidden = set(table.suppressed_names()) if table.suppress else set()
    return Rows(columns=[by_name[n] for n in chosen], rows=rows, row_ids=ids,
                total=total if total is not None else FILTERED_COUNT_CAP, total_capped=bool(capped),
                next_cursor=token, hidden=[n for n in chosen if n in hidden])


def _last_token(got: Page, key_index: int | None) -> str:
    last_id = got.row_ids[-1]
    value = last_id if key_index is None else got.rows[-1][key_index]
    return encode_token(value, last_id)


def is_hidden(value: Any) -> bool:
    """A cell hidden from this reader to protect confidentiality."""
    return isinstance(value, Suppressed)


@dataclass
class Download:
    stream: Iterator[bytes]  # closes the table when done (or when the response is closed)
    content_type: str
    extension: str


def stream_rows(actor: Actor, version: ResourceVersion, query: Query, fmt: str, legend: str) -> Download:
    """The query's rows (all of them: `query.limit` is ignored) as a download in `fmt`, with the
    cells hidden from this actor written `x` and explained by `legend`. Counts one download."""
    streamer: Callable[..., Iterator[bytes]] | None = exports.STREAMERS.get(fmt)
    if streamer is None:
        raise NotFound(_l("Resource not found."))
    _check(actor, version)
    table = open_table(version, actor)
    try:
        columns = table.selected_columns(query) if query.fields else table.columns
        stream = streamer(columns, table.iter_rows(query), suppressed=table.suppressed_positions(query),
                          legend=legend)
    except ENGINE_ERRORS as exc:
        table.close()
        raise _unavailable(version, exc) from None
    except BaseException:
        table.close()
        raise
    count_download(version)

    def generate() -> Iterator[bytes]:
        try:
            yield from stream
        finally:
            table.close()

    content_type, extension = FORMATS[fmt]
    return Download(generate(), content_type, extension)


def _plan_size(version: ResourceVersion, plan: str | None) -> int:
    if plan is None:
        return 0
    return int(((version.small_cells or {}).get("suppression") or {}).get(plan, 0))


def original_allowed(actor: Actor, version: ResourceVersion) -> bool:
    """Original bytes stay inside the organization when they ever held personal data,
    or when they hold small counts that the public sees suppressed."""
    return can_download_original(actor, version.resource.dataset,
                                 original_public=bool(version.original_public and version.publishable),
                                 hides_cells=bool(_plan_size(version, suppression_plan(actor, version))))


def original_path(actor: Actor, version: ResourceVersion) -> Path:
    """The uploaded file itself, when the actor may download it."""
    _check(actor, version)
    if not original_allowed(actor, version):
        raise NotFound(_l("Resource not found."))
    try:
        return file_store().original_path(_files(version))
    except FileNotFoundError as exc:
        raise _unavailable(version, f"no original in {exc}") from None


def count_download(version: ResourceVersion) -> None:
    """Count one download of a version (and of its dataset), in SQL: concurrent ones all count."""
    with db.transaction() as s:
        s.execute(update(ResourceVersion).where(ResourceVersion.id == version.id)
                  .values(downloads=ResourceVersion.downloads + 1))
        s.execute(update(Dataset).where(Dataset.id == version.resource.dataset_id)
                  .values(downloads=Dataset.downloads + 1))
