"""The PPID's two lists (UU 14/2008 Pasal 9-11 and 17): the Daftar Informasi Publik - what the
office publishes periodically (berkala), immediately (serta merta) and at any time on request
(setiap saat) - and the Daftar Informasi yang Dikecualikan with each entry's Pasal 17 ground and
consequence test.

Every published public dataset is in the first list by itself, in the group its update frequency
gives; the rest comes from two office-editable files (app/data/dip.json and
app/data/exempt_information.json), each replaced by a file of the same name in the instance
folder. A broken instance file is logged and the shipped one used: the page never fails on it.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..models import Dataset
from . import catalog, vocabulary
from .info_requests import EXEMPTIONS

log = logging.getLogger("portal.ppid")

DATA = Path(__file__).resolve().parent.parent / "data"
GROUPS = {
    "berkala": _l("Published periodically"),
    "serta_merta": _l("Published immediately"),
    "setiap_saat": _l("Available at any time, on request"),
}
GROUP_NOTES = {
    "berkala": _l("UU 14/2008 Pasal 9: published at least every six months, without a request."),
    "serta_merta": _l("UU 14/2008 Pasal 10: information that may threaten lives or public order, announced at once."),
    "setiap_saat": _l("UU 14/2008 Pasal 11: kept ready and given to anyone who asks."),
}
# The portal's own pages an entry may link to (`"page": "ppid.report"`).
PAGES = ("ppid.dip", "ppid.exempt", "ppid.report", "ppid.register", "ppid.contact", "ppid.request_form")


def _data_file(name: str) -> dict[str, Any]:
    """The instance's own copy of a data file, else the one shipped (also when the own is broken)."""
    own = Path(current_app.instance_path) / name
    if own.exists():
        try:
            data = json.loads(own.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
            log.error("%s in the instance folder is not a JSON object; using the shipped list", name)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            log.error("%s in the instance folder cannot be read (%s); using the shipped list", name, exc)
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("id") or next(iter(value.values()), ""))
    return "" if value is None else str(value)


def _organizations() -> dict[str, str]:
    return {o.name: o.title for o in vocabulary.list_organizations()}


def _dataset_entry(ds: Dataset) -> dict[str, Any]:
    formats = sorted({r.public_version.format.upper() for r in ds.resources
                      if r.public_version is not None and r.public_version.format})
    return {"kind": "dataset", "title": ds.title, "summary": ds.notes, "held_by": ds.organization.title, "years": list(ds.years or []),
            "frequency_code": ds.frequency, "period": "", "frequency": "", "form": ", ".join(formats),
            "dataset": ds.name, "url": None, "page": None, "modified": ds.modified}


def daftar_informasi(lang: str = "id") -> dict[str, list[dict[str, Any]]]:
    """The Daftar Informasi Publik: group -> entries, the office's own entries first, then the
    datasets by title. A dataset's group: its override in dip.json, else its frequency's."""
    data = _data_file("dip.json")
    by_frequency = data.get("frequency_groups") or {}
    overrides = data.get("datasets") or {}
    orgs = _organizations()
    public = {ds.name: ds for ds in catalog.every_public()}
    groups: dict[str, list[dict[str, Any]]] = {g: [] for g in GROUPS}
    for item in data.get("entries") or []:
        group = item.get("group") if isinstance(item, dict) else None
        if group not in groups:
            log.warning("dip.json: an entry without a known group is left out: %r", item)
            continue
        linked = item.get("dataset")
        groups[group].append({
            "kind": "entry", "title": _text(item.get("title"), lang), "summary": _text(item.get("summary"), lang),
            "held_by": orgs.get(item.get("held_by"), _text(item.get("held_by"), lang)), "years": [],
            "frequency_code": "", "period": _text(item.get("period"), lang),
            "frequency": _text(item.get("frequency"), lang), "form": _text(item.get("form"), lang),
            "dataset": linked if linked in public else None, "url": item.get("url") or None,
            "page": item.get("page") if item.get("page") in PAGES else None, "modified": None})
    for ds in sorted(public.values(), key=lambda d: d.title.lower()):
        group = overrides.get(ds.name) or by_frequency.get(ds.frequency) or "setiap_saat"
        groups[group if group in groups else "setiap_saat"].append(_dataset_entry(ds))
    return groups


def exempt_list(lang: str = "id") -> dict[str, Any]:
    """The Daftar Informasi yang Dikecualikan: the decree note and the entries, each with its
    Pasal 17 grounds (letter and wording), legal basis, consequence test and public interest."""
    data = _data_file("exempt_information.json")
    orgs = _organizations()
    public = {ds.name for ds in catalog.every_public()}
    entries = []
    for item in data.get("entries") or []:
        if not isinstance(item, dict):
            continue
        grounds = [g for g in item.get("grounds") or [] if g in EXEMPTIONS]
        if not grounds:
            log.warning("exempt_information.json: an entry without a Pasal 17 ground is left out: %r", item)
            continue
        entries.append({
            "title": _text(item.get("title"), lang), "grounds": [(g, str(EXEMPTIONS[g])) for g in grounds],
            "held_by": orgs.get(item.get("held_by"), _text(item.get("held_by"), lang)),
            "basis": _text(item.get("basis"), lang), "consequence": _text(item.get("consequence"), lang),
            "public_interest": _text(item.get("public_interest"), lang), "period": _text(item.get("period"), lang),
            "dataset": item.get("dataset") if item.get("dataset") in public else None})
    return {"decree": _text(data.get("decree"), lang), "entries": entries}
