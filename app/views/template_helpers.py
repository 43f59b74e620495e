"""Jinja filters and globals: labels in the user's language, numbers, dates, search URLs."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from flask import Flask, request, url_for
from markupsafe import Markup, escape
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l

from ..services.catalog import FACET_FIELDS
from ..services.notes import note_text
from ..services.tables import CHART_KINDS, column_description, column_label
from .branding import logo_url

# The parameters the search and table pages read: links carry these on, and nothing else a URL
# brought (20,000 unknown parameters once came back in every facet link: a 12 MB page).
PAGE_PARAMS = frozenset({"q", "year_from", "year_to", "sort", "desc", "page", "per_page", "after", "before",
                         "fields", "version", "chart_x", "chart_y", "chart_type", *FACET_FIELDS})


HERE_MAX_CHARS = 2000
# A table filter's fields: its value(s), its comparison, the "to" of a between.
TABLE_FILTER_PREFIXES = ("f.", "op.", "to.")


def _kept_args() -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.args.items(multi=True) if k in PAGE_PARAMS or k.startswith(TABLE_FILTER_PREFIXES)]


def kept_args(*dropped: str) -> list[tuple[str, str]]:
    """The current page's own parameters (for a form that keeps them), without `dropped`."""
    return [(k, v) for k, v in _kept_args() if k not in dropped]


def here() -> str:
    """This page's path and own parameters, to come back to (the language switch's `next`);
    the bare path when those parameters are too long to repeat in a link."""
    query = urlencode(_kept_args())
    return request.path + ("?" + query if query and len(query) <= HERE_MAX_CHARS else "")

STATE_LABELS = {"draft": _l("draft"), "pending": _l("waiting for review"), "published": _l("published"),
                "deleted": _l("deleted")}
TYPE_LABELS = {"integer": _l("integer"), "decimal": _l("decimal"), "year": _l("year"), "date": _l("date"),
               "text": _l("text"), "region_code": _l("region code")}
ROLE_LABELS = {"sysadmin": _l("system administrator"), "org_admin": _l("organization admin"), "editor": _l("editor")}
PRIVACY_LABELS = {"ok": _l("clean"), "blocked": _l("personal data: blocked"), "overridden": _l("overridden")}
SKIPPED_LABELS = {"title": _l("title row"), "numbering": _l("column numbering row"), "total": _l("total row"),
                  "blank": _l("empty row"), "header": _l("header row")}
ACTION_LABELS = {"create": _l("created"), "update": _l("updated"), "upload": _l("uploaded"),
                 "publish": _l("published"), "unpublish": _l("unpublished"), "delete": _l("deleted"),
                 "submit": _l("submitted for review"), "override": _l("overrode a privacy finding on"),
                 "reread": _l("re-read"), "revoke": _l("revoked"), "takedown": _l("took down"),
                 "purge": _l("purged the files of"), "quarantine": _l("quarantined")}
# The audit page's entries ("action:object_type", services.activity.AUDITED_ACTIONS).
AUDIT_LABELS = {
    "publish:dataset": _l("published a dataset"), "unpublish:dataset": _l("unpublished a dataset"),
    "delete:dataset": _l("deleted a dataset"), "takedown:dataset": _l("took down a dataset (personal data)"),
    "override:resource": _l("overrode a privacy refusal"), "delete:resource": _l("deleted a table"),
    "delete:resource_version": _l("deleted an upload"), "purge:resource_version": _l("purged a refused upload"),
    "create:user": _l("created an account"), "change_role:user": _l("changed an account's role"),
    "deactivate:user": _l("deactivated an account"), "reactivate:user": _l("reactivated an account"),
    "reset_password:user": _l("reset an account's password"),
    "send_password_link:user": _l("sent a password link"),
    "reset_password_by_email:user": _l("chose a new password from an e-mailed link"),
    "change_password:user": _l("changed their own password"),
    "enable_totp:user": _l("turned on two-step verification"),
    "disable_totp:user": _l("turned off two-step verification"),
    "create:api_token": _l("created an API token"), "revoke:api_token": _l("revoked an API token"),
    "request_fulfil:info_request": _l("fulfilled an information request"),
    "request_refuse:info_request": _l("refused an information request"),
    "request_extend:info_request": _l("extended an information request"),
    "request_not_held:info_request": _l("answered an information request: not held"),
    "request_forward:info_request": _l("passed on an information request"),
    "request_answer_objection:info_request": _l("answered an objection"),
}
# A dataset's history, one phrase per "action:object_type" (services record the pair), so the
# reader never sees a bare object type ("uploaded resource") and each language words it whole.
ACTIVITY_LABELS = {
    "create:dataset": _l("created a dataset"), "update:dataset": _l("changed the metadata"),
    "publish:dataset": _l("published a dataset"), "unpublish:dataset": _l("unpublished a dataset"),
    "submit:dataset": _l("submitted a dataset for review"), "delete:dataset": _l("deleted a dataset"),
    "takedown:dataset": _l("took down a dataset (personal data)"),
    "upload:resource": _l("uploaded a table"), "reread:resource": _l("re-read a table"),
    "override:resource": _l("overrode a privacy refusal"), "delete:resource": _l("deleted a table"),
    "delete:resource_version": _l("deleted an upload"), "purge:resource_version": _l("purged a refused upload"),
    "quarantine:resource_version": _l("quarantined a damaged upload"),
}
# The form fields a service's ValidationError names, as the forms label them: a message reads
# "Title: too short", never "title: ..." (a key of ours). Keys not here show the message alone.
FIELD_LABELS = {"title": _l("Title"), "name": _l("Address (URL) of the dataset"), "notes": _l("Description"),
                "organization": _l("Publisher"), "topics": _l("Topics"), "tags": _l("Tags"),
                "years": _l("Years covered"), "unit": _l("Unit"), "measure": _l("Measure"),
                "frequency": _l("Frequency"), "level": _l("Presentation level"), "coverage": _l("Coverage"),
                "definition": _l("Concept and definition"), "method": _l("Calculation method"),
                "source": _l("Source"), "license_id": _l("License"), "contact_name": _l("Contact name"),
                "contact_email": _l("Contact email"), "private": _l("Private"),
                "suppress_small_cells": _l("Suppress small counts"), "reason": _l("Reason"),
                "justification": _l("Justification"), "resource_name": _l("Table name")}
VOCAB_LABELS = {"provinsi": _l("province"), "kabupaten-kota": _l("regency/city"), "kecamatan": _l("district"),
                "desa": _l("village"), "tahunan": _l("yearly"), "semesteran": _l("half-yearly"),
                "triwulanan": _l("quarterly"), "bulanan": _l("monthly"), "tidak-tentu": _l("irregular")}


def activity_label(action: str, object_type: str) -> str:
    """What an activity entry did, in the reader's language (the action alone when the pair is new)."""
    label = ACTIVITY_LABELS.get(f"{action}:{object_type}") or ACTION_LABELS.get(action)
    return str(label or action)


def field_message(field: str, message: str) -> str:
    """A form error with its field's label in the reader's language ("Judul: ..."), or alone."""
    label = FIELD_LABELS.get(field)
    return f"{label}: {message}" if label else message


def nav_current(href: str) -> str | None:
    """The `aria-current` of a header link: "page" on the page it leads to, "true" on a page inside its
    section (a dataset under Datasets, the accounts list under Admin), nothing elsewhere."""
    path, target = request.path.rstrip("/"), href.rstrip("/")
    if path == target:
        return "page"
    if target and path.startswith(target + "/"):
        return "true"
    return None


def current_lang() -> str:
    return str(get_locale() or "id")


def year_span(years: list[int] | None) -> str:
    """2019-2024 for a run of years, else a comma list."""
    years = sorted(set(years or []))
    if not years:
        return ""
    if len(years) > 2 and years[-1] - years[0] + 1 == len(years):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)


# The two languages' number symbols: (thousands, decimal). Babel's format_decimal looks the
# locale up on every call, which was a third of a table page's rendering time.
_NUMBER_SYMBOLS = {"id": (".", ","), "en": (",", ".")}


def cell(value: Any, ctype: str = "text") -> str:
    """A cell as the reader expects it: 47.799 in Indonesian, 47,799 in English."""
    if value is None:
        return ""
    if ctype in ("integer", "decimal") and isinstance(value, (int, float)) and not isinstance(value, bool):
        thousands, point = _NUMBER_SYMBOLS.get(current_lang(), (",", "."))
        if ctype == "decimal" or isinstance(value, float):
            if value != value:
                return "NaN"
            text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
        else:
            text = f"{value:,}"
        if thousands == ",":
            return text
        return text.translate({ord(","): thousands, ord("."): point})
    return str(value)


def number(value: Any) -> str:
    """A count with the reader's thousands separator (1.234 / 1,234)."""
    return cell(value, "integer") if isinstance(value, int) else ("" if value is None else str(value))


def table_body(columns: list[dict[str, Any]], rows: list[list[Any]]) -> Markup:
    """The <tbody> rows of a data table, built in Python: a page of 25 x N cells through
    Jinja macros and filters cost more than the database query behind it."""
    numeric = [c["type"] in ("integer", "decimal") for c in columns]
    types = [c["type"] for c in columns]
    parts = []
    for row in rows:
        parts.append("<tr>")
        for v, num, t in zip(row, numeric, types):
            opening = '<td class="num">' if num else '<td class="">'
            text = '<span class="hint">–</span>' if v is None else escape(cell(v, t))
            parts.append(f"{opening}{text}</td>")
        parts.append("</tr>")
    return Markup("".join(parts))


def datetime_local(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return format_datetime(value, "medium")


def date_local(value: datetime | None) -> str:
    """A calendar day ("12 Maret 2026"): deadlines counted in working days."""
    return format_date(value.date(), "long") if value is not None else ""


def _args_with(**overrides: Any) -> list[tuple[str, str]]:
    items = [(k, v) for k, v in _kept_args() if k not in overrides]
    for k, v in overrides.items():
        if v is None:
            continue
        items.append((k, str(v)))
    return items


def search_url(**overrides: Any) -> str:
    return url_for("public.dataset_search") + "?" + urlencode(_args_with(**overrides))


def toggle_filter_url(field: str, value: str) -> str:
    """The search URL with one facet value added or removed (page reset)."""
    items = [(k, v) for k, v in _kept_args() if k != "page"]
    if (field, str(value)) in items:
        items.remove((field, str(value)))
    else:
        items.append((field, str(value)))
    return url_for("public.dataset_search") + "?" + urlencode(items)


def facet_item_label(field: str, item: dict) -> str:
    """How a facet value is named to the reader, in the facet list and in its chip alike."""
    if field == "level":
        return str(VOCAB_LABELS.get(item["name"], item["name"]))
    if field == "topic" and current_lang() == "en" and item.get("display_name_en"):
        return item["display_name_en"]
    return item.get("display_name") or item["name"]


def facet_display(facets: dict, field: str, value: str) -> str:
    """The chip's label for an active filter value."""
    for item in facets.get(field, []):
        if item["name"] == value:
            return facet_item_label(field, item)
    return facet_item_label(field, {"name": value})


def table_url(**overrides: Any) -> str:
    return request.path + "?" + urlencode(_args_with(**overrides))


def download_url(fmt: str) -> str:
    """The download link of the current (possibly filtered) table view."""
    args = [(k, v) for k, v in _kept_args() if k not in ("after", "before", "page", "chart_x", "chart_y", "chart_type")]
    args.append(("format", fmt))
    ext = {"csv-excel": "csv"}.get(fmt, fmt)
    view = request.view_args or {}
    return url_for("public.resource_download", name=view.get("name"), resource_id=view.get("resource_id"),
                   filename=f"{view.get('name')}.{ext}") + "?" + urlencode(args)


def chart_url(ext: str, chart: Any, name: str | None = None, resource_id: str | None = None,
              version: int | None = None, **extra: Any) -> str:
    """The SVG or PNG file of a chart: this table view's filters (on a resource page) and the
    chart's own choice, so the picture and the page's table of figures agree."""
    view = request.view_args or {}
    args: list[tuple[str, Any]] = []
    if name is None:
        args = [(k, v) for k, v in _kept_args() if k in ("version", "q") or k.startswith(("f.", "op.", "to."))]
    elif version is not None:
        args = [("version", version)]
    args += [("chart_y", chart.measure), ("chart_x", chart.group), ("chart_type", chart.kind)]
    args += [(k, v) for k, v in extra.items() if v is not None]
    return url_for("public.resource_chart", name=name or view.get("name"),
                   resource_id=resource_id or view.get("resource_id"), ext=ext) + "?" + urlencode(args)


def now_year() -> int:
    """This year (the footer's copyright line)."""
    return datetime.now(timezone.utc).year


def topic_title(topic) -> str:
    if current_lang() == "en" and getattr(topic, "title_en", ""):
        return topic.title_en
    return topic.title


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(year_span=year_span, cell=cell, datetime_local=datetime_local, date_local=date_local,
                                 number=number)

    def label(table):
        return lambda key: str(table.get(key, key or ""))

    app.jinja_env.globals.update(
        current_lang=current_lang,
        logo_url=logo_url,
        now_year=now_year,
        nav_current=nav_current,
        table_body=table_body,
        note_text=note_text,
        search_url=search_url,
        toggle_filter_url=toggle_filter_url,
        facet_display=facet_display,
        facet_item_label=facet_item_label,
        table_url=table_url,
        kept_args=kept_args,
        here=here,
        download_url=download_url,
        chart_url=chart_url,
        column_label=column_label,
        column_description=column_description,
        chart_kinds=CHART_KINDS,
        topic_title=topic_title,
        state_label=label(STATE_LABELS),
        type_label=label(TYPE_LABELS),
        role_label=label(ROLE_LABELS),
        privacy_label=label(PRIVACY_LABELS),
        skipped_label=label(SKIPPED_LABELS),
        action_label=label(ACTION_LABELS),
        activity_label=activity_label,
        vocab_label=label(VOCAB_LABELS),
        audit_label=label(AUDIT_LABELS),
    )
