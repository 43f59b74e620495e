"""What the index stores: the Whoosh schema, and a search document turned into its fields.

Every document carries a compact JSON blob in a Whoosh column (topics, years, publisher,
formats, tags, level, private flag, modified time, downloads, title sort key); the
snapshot decodes it into numpy arrays (see snapshot.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema

from .text import indonesian_analyzer, sort_key, spelling_analyzer

# Field -> boost used by our scoring (Whoosh's own scorer is not used).
TEXT_FIELDS: dict[str, float] = {
    "title": 5.0,
    "tags": 3.0,
    "topics": 2.5,
    "name": 2.0,
    "organization_title": 1.5,
    "columns": 1.2,
    "description": 1.0,
    "notes": 0.8,
}
FACET_FIELDS = ("topic", "year", "organization", "format", "tag", "level")
# Facet -> its key in the blob.
BLOB_KEYS = {"topic": "t", "year": "y", "organization": "o", "format": "f", "tag": "g", "level": "l"}


def build_schema() -> Schema:
    """Return the index schema (text fields analysed in Indonesian, facets in a column)."""
    text = {name: TEXT(analyzer=indonesian_analyzer(), phrase=True) for name in TEXT_FIELDS}
    return Schema(
        id=ID(stored=True, unique=True),
        spell=TEXT(analyzer=spelling_analyzer(), phrase=False),
        facets=COLUMN(),
        stored_title=STORED(),
        stored_summary=STORED(),
        modified=STORED(),
        **text,
    )


def as_list(value) -> list:
    """Return a value as a list without empty items (None -> [])."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [v for v in value if v not in (None, "")]
    return [value]


def _timestamp(iso: str | None) -> float:
    if not iso:
        return 0.0
    try:
        dt = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def document_fields(doc: dict) -> dict:
    """Turn a search document (the service's dict) into Whoosh field values."""
    if not doc.get("id"):
        raise ValueError("search document without id")
    title = str(doc.get("title") or "")
    tags = [str(t).strip() for t in as_list(doc.get("tags")) if str(t).strip()]
    topics = [str(t) for t in as_list(doc.get("topics"))]
    topic_titles = [str(t) for t in as_list(doc.get("topic_titles"))]
    years = sorted({int(y) for y in as_list(doc.get("years"))})
    formats = sorted({str(f).strip().upper() for f in as_list(doc.get("formats")) if str(f).strip()})
    description = str(doc.get("description") or "")
    notes = str(doc.get("notes") or "")
    org_title = str(doc.get("organization_title") or "")
    blob = {
        "id": str(doc["id"]),
        "t": topics,
        "y": years,
        "o": doc.get("organization") or None,
        "f": formats,
        "g": tags,
        "l": doc.get("level") or None,
        "p": bool(doc.get("private")),
        "m": _timestamp(doc.get("metadata_modified")),
        "d": int(doc.get("downloads") or 0),
        "s": sort_key(title),
    }
    return {
        "id": str(doc["id"]),
        "title": title,
        "name": str(doc.get("name") or "").replace("-", " ").replace("_", " "),
        "tags": "\n".join(tags),
        "topics": "\n".join(topic_titles + [t.replace("-", " ") for t in topics]),
        "organization_title": org_title,
        "columns": "\n".join(str(c).replace("_", " ") for c in as_list(doc.get("columns"))),
        "description": description,
        "notes": notes,
        "spell": "\n".join([title, *tags, *topic_titles, org_title]),
        "facets": json.dumps(blob, separators=(",", ":")).encode("utf-8"),
        "stored_title": title,
        "stored_summary": (description or notes)[:4000],
        "modified": str(doc.get("metadata_modified") or ""),
    }
