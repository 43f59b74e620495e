"""The snapshot: one index generation as numpy arrays indexed by global docnum.

For each index segment the blob column (see schema.py) is decoded once into numpy arrays,
cached by segment id (segments never change except for deletions), and the arrays of the
current generation are concatenated into a snapshot. Ids from outside the index (IdSet,
IdValues) become arrays over the snapshot's docnums here too.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

from .schema import BLOB_KEYS, FACET_FIELDS

EMPTY_IDS = np.zeros(0, dtype=np.int64)
# Allowed-id masks, download arrays and filter masks (topic=x, year=y...) of the current
# snapshot: one byte per document each, so 256 of them are 25 MB at 100,000 datasets.
_MASK_CACHE_ENTRIES = 256


def id_array(ids: Iterable[str]) -> np.ndarray:
    """Return document ids as a numpy byte-string array (compact and sortable)."""
    ids = list(ids)
    try:
        return np.array(ids, dtype="S") if ids else np.zeros(0, dtype="S1")
    except UnicodeEncodeError:
        return np.array([i.encode("utf-8") for i in ids])


@dataclass(frozen=True)
class IdSet:
    """Document ids the caller allows (e.g. what the database says a reader may see).

    ``key`` names this exact set: equal keys must mean equal ids, so the docnum mask built
    from it can be cached until the index or the key changes.
    """

    key: object
    ids: np.ndarray  # id_array()


@dataclass(frozen=True)
class IdValues:
    """A number per document id from outside the index (e.g. download counts); same key rule."""

    key: object
    ids: np.ndarray  # id_array()
    values: np.ndarray


class Interner:
    """Map facet values to small ints, shared by all segments of one SearchIndex."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.values: list[str] = []

    def get(self, value: str) -> int:
        i = self.ids.get(value)
        if i is None:
            i = self.ids[value] = len(self.values)
            self.values.append(value)
        return i


@dataclass
class SegmentData:
    size: int
    doc_ids: list[str]
    entries: dict[str, tuple[np.ndarray, np.ndarray]]  # facet -> (local docnums, value ids)
    org: np.ndarray
    private: np.ndarray
    modified: np.ndarray
    downloads: np.ndarray
    title_keys: list[str]


@dataclass
class Snapshot:
    key: tuple[str, int]
    size: int
    offsets: dict[str, int]  # segment id -> docnum offset
    doc_ids: np.ndarray
    live: np.ndarray
    entries: dict[str, tuple[np.ndarray, np.ndarray]]
    org: np.ndarray
    private: np.ndarray
    modified: np.ndarray
    downloads: np.ndarray
    title_keys: list[str]
    interners: dict[str, Interner]  # shared by every snapshot of one SearchIndex
    _title_rank: np.ndarray | None = None
    _id_lookup: tuple[np.ndarray, np.ndarray] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def id_lookup(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (sorted ids of the live documents, their docnums), to map ids to docnums."""
        with self._lock:
            if self._id_lookup is None:
                live = np.flatnonzero(self.live)
                ids = id_array(self.doc_ids[live].tolist())
                order = np.argsort(ids, kind="stable")
                self._id_lookup = (ids[order], live[order])
            return self._id_lookup

    def title_rank(self) -> np.ndarray:
        with self._lock:
            if self._title_rank is None:
                order = sorted(range(self.size), key=self.title_keys.__getitem__)
                rank = np.empty(self.size, dtype=np.int64)
                rank[np.asarray(order, dtype=np.int64)] = np.arange(self.size)
                self._title_rank = rank
            return self._title_rank

    def docnums_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (docnums, positions in ``ids``) of the ids that are live documents."""
        sorted_ids, docnums = self.id_lookup()
        if not len(ids) or not len(sorted_ids):
            return EMPTY_IDS, EMPTY_IDS
        pos = np.searchsorted(sorted_ids, ids)
        pos[pos >= len(sorted_ids)] = 0
        hit = sorted_ids[pos] == ids
        return docnums[pos[hit]], np.flatnonzero(hit)


class Snapshots:
    """The latest snapshot of one index and the decoded segments it is built from."""

    def __init__(self):
        self.interners = {f: Interner() for f in FACET_FIELDS}
        self._segments: dict[str, SegmentData] = {}
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def get(self, searcher, key: tuple[str, int]) -> Snapshot:
        """Return the snapshot of ``searcher``'s generation ``key`` (index name, generation)."""
        snap = self._snapshot
        if snap is not None and snap.key == key:
            return snap
        with self._lock:
            snap = self._snapshot
            if snap is not None and snap.key == key:
                return snap
            snap = self._build(searcher, key)
            if self._snapshot is None or self._snapshot.key < key or self._snapshot.key[0] != key[0]:
                self._snapshot = snap
            return snap

    def _build(self, searcher, key) -> Snapshot:
        parts: list[tuple[int, SegmentData, np.ndarray]] = []
        offsets: dict[str, int] = {}
        seen = set()
        for reader, offset in leaves(searcher):
            segid = reader.segment().segment_id()
            seen.add(segid)
            data = self._segments.get(segid)
            if data is None:
                data = self._segments[segid] = self._read_segment(reader)
            live = np.ones(data.size, dtype=bool)
            deleted = reader.deleted_docs_set
            if deleted:
                live[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
            offsets[segid] = offset
            parts.append((offset, data, live))
        for segid in list(self._segments):
            if segid not in seen:
                del self._segments[segid]
        size = sum(d.size for _, d, _ in parts)

        def cat(arrays, dtype):
            return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.zeros(0, dtype=dtype)

        entries = {}
        for facet in FACET_FIELDS:
            docs = cat([d.entries[facet][0] + off for off, d, _ in parts], np.int64)
            vals = cat([d.entries[facet][1] for _, d, _ in parts], np.int64)
            entries[facet] = (docs, vals)
        doc_ids = np.empty(size, dtype=object)
        title_keys: list[str] = []
        for off, d, _ in parts:
            doc_ids[off : off + d.size] = d.doc_ids
            title_keys.extend(d.title_keys)
        return Snapshot(
            key=key,
            size=size,
            offsets=offsets,
            doc_ids=doc_ids,
            live=cat([lv for _, _, lv in parts], bool),
            entries=entries,
            org=cat([d.org for _, d, _ in parts], np.int64),
            private=cat([d.private for _, d, _ in parts], bool),
            modified=cat([d.modified for _, d, _ in parts], np.float64),
            downloads=cat([d.downloads for _, d, _ in parts], np.int64),
            title_keys=title_keys,
            interners=self.interners,
        )

    def _read_segment(self, reader) -> SegmentData:
        size = reader.doc_count_all()
        column = reader.column_reader("facets", translate=False)
        interners = self.interners
        e_docs = {f: [] for f in FACET_FIELDS}
        e_vals = {f: [] for f in FACET_FIELDS}
        org = np.full(size, -1, dtype=np.int64)
        private = np.zeros(size, dtype=bool)
        modified = np.zeros(size, dtype=np.float64)
        downloads = np.zeros(size, dtype=np.int64)
        doc_ids: list[str] = []
        title_keys: list[str] = []
        loads = json.loads
        for docnum, raw in enumerate(column):
            blob = loads(raw) if raw else {}
            doc_ids.append(blob.get("id", ""))
            title_keys.append(blob.get("s", ""))
            private[docnum] = blob.get("p", False)
            modified[docnum] = blob.get("m", 0.0)
            downloads[docnum] = blob.get("d", 0)
            for facet, short in BLOB_KEYS.items():
                value = blob.get(short)
                if value is None:
                    continue
                values = value if isinstance(value, list) else [value]
                get = interners[facet].get
                for v in values:
                    e_docs[facet].append(docnum)
                    e_vals[facet].append(get(str(v)))
            if blob.get("o"):
                org[docnum] = interners["organization"].get(str(blob["o"]))
        entries = {
            f: (np.asarray(e_docs[f], dtype=np.int64), np.asarray(e_vals[f], dtype=np.int64)) for f in FACET_FIELDS
        }
        return SegmentData(size, doc_ids, entries, org, private, modified, downloads, title_keys)


def leaves(searcher):
    """Return [(segment reader, docnum offset)] of a searcher (empty for an empty index)."""
    reader = searcher.reader()
    if reader.is_atomic():
        return [(reader, 0)] if _has_segment(reader) else []
    return [(r, off) for r, off in reader.leaf_readers() if _has_segment(r)]


def _has_segment(reader) -> bool:
    return getattr(reader, "segment", None) is not None and reader.segment() is not None


def leaf_searchers(searcher):
    """Return [(sub-searcher, segment reader, docnum offset)] of a searcher."""
    out = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if _has_segment(reader):
            out.append((sub, reader, offset))
    return out


# --- arrays over a snapshot's docnums, kept while used ---------------------------------------


class ArrayCache:
    """Arrays of one snapshot (read-only: callers copy before changing), least recently used out."""

    def __init__(self):
        self._arrays: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, build):
        hit = self._arrays.get(key)
        if hit is None:
            hit = build()
            hit.flags.writeable = False
            with self._lock:
                self._arrays[key] = hit
                while len(self._arrays) > _MASK_CACHE_ENTRIES:
                    self._arrays.popitem(last=False)
        else:
            with self._lock:
                if key in self._arrays:
                    self._arrays.move_to_end(key)
        return hit


def allowed_mask(cache: ArrayCache, snap: Snapshot, allowed: IdSet) -> np.ndarray:
    """Return the mask of the live documents whose id is in ``allowed``."""

    def build():
        mask = np.zeros(snap.size, dtype=bool)
        mask[snap.docnums_of(allowed.ids)[0]] = True
        return mask

    return cache.get(("allowed", snap.key, allowed.key), build)


def values_array(cache: ArrayCache, snap: Snapshot, values: IdValues) -> np.ndarray:
    """Return ``values`` by docnum (0 for a document without a value)."""

    def build():
        out = np.zeros(snap.size, dtype=np.float64)
        docnums, positions = snap.docnums_of(values.ids)
        out[docnums] = np.asarray(values.values, dtype=np.float64)[positions]
        return out

    return cache.get(("values", snap.key, values.key), build)
