"""Filters and facet counts as boolean masks over a snapshot's docnums.

A facet's counts use every active filter except its own (disjunctive faceting), counted
with ``np.bincount``.
"""

from __future__ import annotations

import math

import numpy as np

from .schema import FACET_FIELDS, as_list
from .snapshot import ArrayCache, Snapshot

# Names the API or the views may use for the same facets (CKAN's spelling).
FACET_ALIASES = {
    "topics": "topic", "groups": "topic", "years": "year", "tahun": "year",
    "org": "organization", "publisher": "organization", "res_format": "format",
    "formats": "format", "tags": "tag", "levels": "level",
}


def normalise_filters(filters: dict | None) -> dict[str, list[str]]:
    """Return the filters keyed by facet name, without unknown facets or empty values."""
    out: dict[str, list[str]] = {}
    for key, values in (filters or {}).items():
        facet = FACET_ALIASES.get(key, key)
        if facet not in FACET_FIELDS:
            continue
        vals = [str(v).strip() for v in as_list(values) if str(v).strip()]
        if facet == "format":
            vals = [v.upper() for v in vals]
        if vals:
            out.setdefault(facet, [])
            out[facet].extend(v for v in vals if v not in out[facet])
    return out


def visible_mask(snap: Snapshot, visible_orgs: list[str] | None) -> np.ndarray:
    """Return the live documents a reader may see: public ones and those of ``visible_orgs``.

    ``None`` means every organization (a sysadmin).
    """
    base = snap.live.copy()
    if visible_orgs is not None:
        org_ids = snap.interners["organization"].ids
        vis = ~snap.private
        visible_ids = [org_ids[o] for o in visible_orgs if o in org_ids]
        if visible_ids:
            vis |= np.isin(snap.org, visible_ids)
        base &= vis
    return base


def filter_mask(arrays: ArrayCache, snap: Snapshot, facet: str, values: list[str]) -> np.ndarray:
    """Return the mask of the documents with any of ``values`` in ``facet`` (cached)."""
    interner = snap.interners[facet]
    wanted = sorted({interner.ids[v] for v in values if v in interner.ids})

    def build():
        mask = np.zeros(snap.size, dtype=bool)
        if wanted:
            docs, vals = snap.entries[facet]
            mask[docs[np.isin(vals, wanted)]] = True
        return mask

    return arrays.get(("filter", snap.key, facet, tuple(wanted)), build)


def year_range_mask(snap: Snapshot, year_from: int | None, year_to: int | None) -> np.ndarray:
    """Return the mask of the documents with a year in [year_from, year_to] (open ends: None)."""
    interner = snap.interners["year"]
    lo = -math.inf if year_from is None else int(year_from)
    hi = math.inf if year_to is None else int(year_to)
    wanted = [i for v, i in interner.ids.items() if lo <= int(v) <= hi]
    mask = np.zeros(snap.size, dtype=bool)
    if wanted:
        docs, vals = snap.entries["year"]
        mask[docs[np.isin(vals, wanted)]] = True
    return mask


def facet_counts(snap: Snapshot, base: np.ndarray, final: np.ndarray, field_masks: dict[str, np.ndarray],
                 filters: dict[str, list[str]], limit: int) -> dict[str, list[tuple[str, int]]]:
    """Return every facet's (value, count) pairs, each counted without its own filter.

    ``base`` is what matches before the facet filters, ``final`` after all of them.
    """
    facets = {}
    for facet in FACET_FIELDS:
        if facet in field_masks:
            mask = base.copy()
            for other, m in field_masks.items():
                if other != facet:
                    mask &= m
        else:
            mask = final
        facets[facet] = _count(snap, facet, mask, filters.get(facet, []), limit)
    return facets


def _count(snap: Snapshot, facet: str, mask: np.ndarray, selected: list[str], limit: int):
    docs, vals = snap.entries[facet]
    values = snap.interners[facet].values
    counts = np.bincount(vals[mask[docs]], minlength=len(values)) if len(docs) else np.zeros(len(values), int)
    nonzero = np.flatnonzero(counts)
    pairs = [(values[i], int(counts[i])) for i in nonzero]
    pairs.sort(key=lambda p: (-p[1], p[0]))
    pairs = pairs[:limit]
    shown = {v for v, _ in pairs}
    for v in selected:
        if v not in shown:
            i = snap.interners[facet].ids.get(v)
            pairs.append((v, int(counts[i]) if i is not None and i < len(counts) else 0))
            shown.add(v)
    return pairs
