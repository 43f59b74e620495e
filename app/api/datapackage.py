"""A dataset as a Frictionless (Tabular) Data Package, built from its CKAN package dict."""
from __future__ import annotations

import re
from typing import Any, Iterable

from ..services.tables import column_description, column_label, spreadsheet_safe

# Our column types -> Table Schema field types.
FIELD_TYPES = {"integer": "integer", "year": "year", "decimal": "number", "date": "date", "text": "string",
               "region_code": "string"}
# Kemendagri region codes: 52, 52.01, 52.01.01, 52.01.01.2001.
REGION_CODE_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"


def _resource_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "table"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def table_schema(columns: list[dict[str, Any]], hidden_label: str | None = None,
                 suppressed: Iterable[str] = ()) -> dict[str, Any]:
    """The Table Schema of a table; field names are the CSV download's header cells.

    Cells hidden from the reader to protect confidentiality are written `x`
    (`hidden_label`) in the CSV: a missing value, so a typed reader gets null.
    """
    suppressed = set(suppressed)
    fields = []
    for col in columns:
        entry: dict[str, Any] = {"name": spreadsheet_safe(col["name"]), "type": FIELD_TYPES.get(col["type"], "string"),
                                 "title": column_label(col)}
        if column_description(col):
            entry["description"] = column_description(col)
        if col["type"] == "region_code":
            entry["constraints"] = {"pattern": REGION_CODE_PATTERN}
            entry["description"] = entry.get("description") or "Kemendagri region code"
        if col["name"] in suppressed:
            entry["description"] = (f"{hidden_label}: hidden to protect confidentiality (a missing value). "
                                    "Sums of this column published by the portal leave the hidden cells out.")
        fields.append(entry)
    missing = [""] + ([hidden_label] if suppressed and hidden_label else [])
    return {"fields": fields, "missingValues": missing}


def descriptor(pkg: dict[str, Any], suppression: dict[str, tuple[str, list[str]]] | None = None) -> dict[str, Any]:
    """The datapackage.json of a package dict; each resource's path is its CSV download URL.

    `suppression` maps a resource id to (hidden label, suppressed column names) for the reader.
    """
    suppression = suppression or {}
    taken: set[str] = set()
    out: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": pkg["name"],
        "id": pkg["id"],
        "title": pkg["title"],
        "homepage": pkg["url"],
        "created": (pkg.get("metadata_created") or "")[:19] + "Z" if pkg.get("metadata_created") else None,
        "keywords": [t["name"] for t in pkg.get("tags") or []],
        "licenses": [{"name": pkg["license_id"], "title": pkg.get("license_title") or pkg["license_id"],
                      **({"path": pkg["license_url"]} if pkg.get("license_url") else {})}],
        "contributors": [{"title": pkg["organization"]["title"], "role": "publisher"}] if pkg.get("organization") else [],
        "resources": [],
    }
    if pkg.get("notes"):
        out["description"] = pkg["notes"]
    if pkg.get("source"):
        out["sources"] = [{"title": pkg["source"]}]
    if out["created"] is None:
        del out["created"]
    for res in pkg.get("resources") or []:
        entry = {
            "profile": "tabular-data-resource",
            "name": _resource_name(res["name"], taken),
            "title": res["name"],
            "path": res["url"],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": table_schema(res.get("columns") or [], *suppression.get(res["id"], (None, []))),
        }
        if res.get("description"):
            entry["description"] = res["description"]
        out["resources"].append(entry)
    return out
