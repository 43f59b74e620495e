"""Turn request arguments into service inputs (shared by the HTML views and the API)."""
from __future__ import annotations

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from urllib.parse import urlsplit

from ..services.tables import OPERATORS, BadQuery, Condition, Query
from ..services.catalog import FACET_FIELDS, SearchParams
from ..services.errors import ValidationError

# What one page request may ask: more is refused with a message, not served slowly.
MAX_FILTER_VALUES = 50
MAX_VALUE_CHARS = 200


def actor():
    """The user acting: the API token's owner, the logged-in user, or None."""
    if getattr(g, "api_user", None) is not None:
        return g.api_user
    return current_user if current_user.is_authenticated else None


def same_site_path(target: str | None) -> str | None:
    """`target` when it is a path on this site ("/dataset?q=x"), else None.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so "/\t/evil.example"
    or "/\\evil.example" would leave the site: any control character, a backslash, a scheme or a
    host refuses it.
    """
    if not target or not target.startswith("/") or any(ord(c) < 32 or c in "\\\x7f" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def base_url() -> str:
    return current_app.config.get("SITE_URL") or request.url_root.rstrip("/")


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _capped(values: list[str]) -> list[str]:
    """The filter values of one request (all fields together), refused when there are too many."""
    if len(values) > MAX_FILTER_VALUES:
        raise ValidationError({"filters": [_("Too many filters: choose at most %(n)d values at once.",
                                             n=MAX_FILTER_VALUES)]})
    return values


def search_params(args: MultiDict) -> SearchParams:
    _capped([v for f in FACET_FIELDS for v in args.getlist(f) if v])
    filters = {f: [v[:MAX_VALUE_CHARS] for v in args.getlist(f) if v] for f in FACET_FIELDS}
    year_from = _int(args.get("year_from"))
    year_to = _int(args.get("year_to"))
    return SearchParams(
        q=(args.get("q") or "").strip()[:200],
        filters={k: v for k, v in filters.items() if v},
        year_from=year_from,
        year_to=year_to,
        sort=args.get("sort") or "relevance",
        page=max(1, _int(args.get("page"), 1)),
        per_page=max(1, min(_int(args.get("per_page"), 20), 100)),
    )


def table_query(args: MultiDict, page_size: int) -> Query:
    """Filters are `f.<column>=value` (repeatable: any of them) compared by `op.<column>` (eq, the
    default; gt, lt, contains; between, up to `to.<column>`); sort=<column>, desc=1, q=,
    after=/before=, page=<number>.

    An empty field means "no filter on this column", never "equals empty": the table form
    submits every column's fields, filled or not (a between with one end filled is open at the other).
    """
    filters: dict[str, list] = {}
    columns = dict.fromkeys(k.split(".", 1)[1] for k in args if k.startswith(("f.", "to.")))
    for name in columns:
        values = [v.strip()[:MAX_VALUE_CHARS] for v in args.getlist(f"f.{name}") if v.strip()]
        op = (args.get(f"op.{name}") or "eq").strip()
        if op == "between":
            upper = (args.get(f"to.{name}") or "").strip()[:MAX_VALUE_CHARS]
            if values or upper:
                filters[name] = [Condition("between", values[0] if values else None, upper or None)]
        elif values:
            filters[name] = values if op == "eq" else [Condition(op if op in OPERATORS else "unknown", values[0])]
    _capped([v for values in filters.values() for v in values])
    fields = [f for f in (args.get("fields") or "").split(",") if f] or None
    return Query(
        filters=filters,
        q=(args.get("q") or "").strip()[:200],
        sort=args.get("sort") or None,
        desc=args.get("desc") in ("1", "true", "yes"),
        after=args.get("after") or None,
        before=args.get("before") or None,
        limit=page_size or 25,
        fields=fields,
        page=(args.get("page") or "").strip()[:20] or None,
    )


def table_field(problem: BadQuery) -> str:
    """The table form's field a problem is about: f.<column>, to.<column>, op.<column>, sort or page."""
    if problem.column is not None and problem.part in ("value", "to", "op"):
        return {"value": "f.", "to": "to.", "op": "op."}[problem.part] + problem.column
    return problem.part or "page"
