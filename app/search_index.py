"""Whoosh full-text index of published datasets: write, rebuild, check and faceted search.

The index only answers "which dataset ids, in which order, with which facet counts";
the services re-read the rows from the database. No Flask or model imports here.

How a search runs (fast enough for 100,000 datasets on two cores):

* Every document carries a compact JSON blob in a Whoosh column (topics, years, publisher,
  formats, tags, level, private flag, modified time, downloads, title sort key). For each
  index segment the blob column is decoded once into numpy arrays (cached by segment id;
  segments never change except for deletions), and the arrays of the current generation
  are concatenated into a snapshot indexed by global docnum.
* Query words are analysed (stemmed, synonyms expanded) into an AND of groups, each an OR
  of alternatives (a stem or a phrase) searched in every text field. Posting lists are read
  block by block into numpy arrays (cached per segment) and scored in numpy with a BM25
  saturation of term frequency, field boosts and idf (no length normalisation).
* Filters and facets are boolean masks over docnums; a facet's counts use every active
  filter except its own (disjunctive faceting), counted with ``np.bincount``.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
import uuid
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable

import numpy as np
from whoosh import highlight as highlight_module
from whoosh.highlight import highlight as highlight_text
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Phrase

from app import search_text
from app.search_text import STOPWORDS, Synonyms, indonesian_analyzer, is_year, spelling_analyzer, stem

__all__ = ["SearchIndex", "SearchResult", "IdSet", "IdValues", "IndexWriteError", "FACET_FIELDS", "SORTS"]

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
# Names the API or the views may use for the same facets (CKAN's spelling).
FACET_ALIASES = {
    "topics": "topic", "groups": "topic", "years": "year", "tahun": "year",
    "org": "organization", "publisher": "organization", "res_format": "format",
    "formats": "format", "tags": "tag", "levels": "level",
}
SORTS = ("relevance", "newest", "title", "downloads")
_BLOB_KEYS = {"topic": "t", "year": "y", "organization": "o", "format": "f", "tag": "g", "level": "l"}
_CURRENT_FILE = "CURRENT"
_BM25_K1 = 1.2
_SYNONYM_WEIGHT = 0.8  # a synonym scores a little below the word the user typed
_MAX_FUZZY_TERMS = 12
_POSTINGS_CACHE_BYTES = 64 * 1024 * 1024


class IndexWriteError(Exception):
    """The index could not be written (lock timeout or I/O error); roll the change back."""


@dataclass
class SearchResult:
    ids: list[str]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    fuzzy: bool = False
    highlights: dict[str, str] = field(default_factory=dict)
    title_highlights: dict[str, str] = field(default_factory=dict)
    detected_year: int | None = None
    terms: frozenset[str] = frozenset()  # the stems to mark in titles and snippets


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


# --- converting a search document ---------------------------------------------------------


def _as_list(value) -> list:
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


def _document_fields(doc: dict) -> dict:
    """Turn a search document (the service's dict) into Whoosh field values."""
    if not doc.get("id"):
        raise ValueError("search document without id")
    title = str(doc.get("title") or "")
    tags = [str(t).strip() for t in _as_list(doc.get("tags")) if str(t).strip()]
    topics = [str(t) for t in _as_list(doc.get("topics"))]
    topic_titles = [str(t) for t in _as_list(doc.get("topic_titles"))]
    years = sorted({int(y) for y in _as_list(doc.get("years"))})
    formats = sorted({str(f).strip().upper() for f in _as_list(doc.get("formats")) if str(f).strip()})
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
        "s": search_text.sort_key(title),
    }
    return {
        "id": str(doc["id"]),
        "title": title,
        "name": str(doc.get("name") or "").replace("-", " ").replace("_", " "),
        "tags": "\n".join(tags),
        "topics": "\n".join(topic_titles + [t.replace("-", " ") for t in topics]),
        "organization_title": org_title,
        "columns": "\n".join(str(c).replace("_", " ") for c in _as_list(doc.get("columns"))),
        "description": description,
        "notes": notes,
        "spell": "\n".join([title, *tags, *topic_titles, org_title]),
        "facets": json.dumps(blob, separators=(",", ":")).encode("utf-8"),
        "stored_title": title,
        "stored_summary": (description or notes)[:4000],
        "modified": str(doc.get("metadata_modified") or ""),
    }


# --- per-segment and per-generation arrays --------------------------------------------------


class _Interner:
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
class _SegmentData:
    size: int
    doc_ids: list[str]
    entries: dict[str, tuple[np.ndarray, np.ndarray]]  # facet -> (local docnums, value ids)
    org: np.ndarray
    private: np.ndarray
    modified: np.ndarray
    downloads: np.ndarray
    title_keys: list[str]


@dataclass
class _Snapshot:
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


@dataclass
class _Alt:
    """One way to satisfy a query group: a stem, or a phrase of stems."""

    stems: tuple[str, ...]
    weight: float = 1.0


@dataclass
class _Plan:
    groups: list[list[_Alt]]
    words: list[str]  # the user's words (folded, unstemmed), for the suggestion
    detected_year: int | None


class SearchIndex:
    """A Whoosh index of published datasets, searched with numpy facets."""

    def __init__(self, path: str, synonyms_path: str | None = None, writer_timeout: float = 30.0):
        self.path = path
        self.synonyms_path = synonyms_path or search_text.DEFAULT_SYNONYMS_PATH
        self.synonyms = Synonyms.load(self.synonyms_path)
        self.writer_timeout = writer_timeout
        self._storage: FileStorage | None = None
        self._indexes: dict[str, object] = {}
        self._local = threading.local()
        self._lock = threading.RLock()
        self._interners = {f: _Interner() for f in FACET_FIELDS}
        self._segments: dict[str, _SegmentData] = {}
        self._snapshot: _Snapshot | None = None
        self._postings_cache: OrderedDict = OrderedDict()
        self._postings_bytes = 0
        self._within_cache: OrderedDict = OrderedDict()
        self._lexicons: OrderedDict = OrderedDict()
        self._mask_cache: OrderedDict = OrderedDict()

    # --- storage and index names ------------------------------------------------------

    @property
    def storage(self) -> FileStorage:
        if self._storage is None:
            os.makedirs(self.path, exist_ok=True)
            self._storage = FileStorage(self.path)
        return self._storage

    def _current_name(self) -> str | None:
        try:
            with open(os.path.join(self.path, _CURRENT_FILE), encoding="ascii") as fh:
                return fh.read().strip() or None
        except FileNotFoundError:
            return None

    def _set_current(self, name: str) -> None:
        tmp = os.path.join(self.path, f".{_CURRENT_FILE}.{uuid.uuid4().hex}")
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(name)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, os.path.join(self.path, _CURRENT_FILE))

    def _next_name(self) -> str:
        numbers = [0]
        for filename in self.storage.list():
            if filename.startswith("_ix") and filename.endswith(".toc"):
                try:
                    numbers.append(int(filename[3:9]))
                except ValueError:
                    pass
        return "ix%06d" % (max(numbers) + 1)

    def _open(self, name: str):
        ix = self._indexes.get(name)
        if ix is None:
            ix = self._indexes[name] = self.storage.open_index(indexname=name)
        return ix

    def ensure(self) -> None:
        """Create the index directory and an empty index if there is none."""
        if self._current_name():
            return
        lock = self.storage.lock("ENSURE_LOCK")
        lock.acquire(blocking=True)
        try:
            if self._current_name():
                return
            name = self._next_name()
            self.storage.create_index(build_schema(), indexname=name)
            self._set_current(name)
        finally:
            lock.release()

    # --- writing ------------------------------------------------------------------------

    # Writers use compound=False: opening a reader on a compound segment copies the whole
    # file into a BytesIO (whoosh BufferFile), ~100 ms per new generation at 100,000 docs;
    # separate segment files open in well under a millisecond. Searchers are reopened rather
    # than refresh()ed, because refresh() reuses readers by segment id and would keep their
    # old deletions.
    def _writer(self):
        """Open a writer on the current index, waiting up to writer_timeout for the lock."""
        self.ensure()
        deadline = time.monotonic() + self.writer_timeout
        while True:
            name = self._current_name()
            ix = self._open(name)
            remaining = max(0.0, deadline - time.monotonic())
            try:
                writer = ix.writer(timeout=remaining, delay=0.05, compound=False)
            except LockError:
                raise IndexWriteError(f"search index busy for {self.writer_timeout:.1f} s") from None
            except (EmptyIndexError, OSError) as exc:
                # We waited on the lock of an index that a rebuild has just replaced and removed.
                self._indexes.pop(name, None)
                if self._current_name() != name and time.monotonic() < deadline:
                    continue
                raise IndexWriteError(f"search index unavailable: {exc}") from exc
            # A rebuild may have swapped the index while we waited for the old one's lock.
            if self._current_name() == name:
                return writer
            writer.cancel()
            if time.monotonic() > deadline:
                raise IndexWriteError("search index was rebuilt while waiting to write")

    def upsert(self, docs: list[dict]) -> None:
        """Add or replace documents by id; committed before returning.

        :raises IndexWriteError: the lock timed out or the write failed.
        """
        if not docs:
            return
        fields = [_document_fields(d) for d in docs]
        writer = self._writer()
        try:
            for f in fields:
                writer.update_document(**f)
            writer.commit()
        except Exception as exc:
            _cancel(writer)
            raise IndexWriteError(f"search index write failed: {exc}") from exc

    def delete(self, ids: list[str]) -> None:
        """Remove documents by id (unknown ids are ignored).

        :raises IndexWriteError: the lock timed out or the write failed.
        """
        if not ids:
            return
        writer = self._writer()
        try:
            for doc_id in ids:
                writer.delete_by_term("id", str(doc_id))
            writer.commit()
        except Exception as exc:
            _cancel(writer)
            raise IndexWriteError(f"search index delete failed: {exc}") from exc

    def expunge(self, ids: list[str]) -> None:
        """Remove documents and merge the index, so their stored text and words leave the disk
        (a plain delete only marks them). Slower than `delete`: for a takedown.

        :raises IndexWriteError: the lock timed out or the write failed.
        """
        writer = self._writer()
        try:
            for doc_id in ids:
                writer.delete_by_term("id", str(doc_id))
            writer.commit(optimize=True)
        except Exception as exc:
            _cancel(writer)
            raise IndexWriteError(f"search index expunge failed: {exc}") from exc

    def rebuild(self, docs: Iterable[dict]) -> int:
        """Build a fresh index from ``docs`` and switch to it; return the number indexed.

        Writers of the old index wait (up to their timeout) while the new one is built, so
        no change is written to an index that is about to be dropped.
        """
        self.ensure()
        deadline = time.monotonic() + self.writer_timeout
        while True:
            old = self._current_name()
            old_lock = self.storage.lock(f"{old}_WRITELOCK")
            while not old_lock.acquire(blocking=False):
                if time.monotonic() > deadline:
                    raise IndexWriteError("search index busy; rebuild not started")
                time.sleep(0.05)
            if self._current_name() == old:
                break
            old_lock.release()
        new = self._next_name()
        try:
            ix = self.storage.create_index(build_schema(), indexname=new)
            writer = ix.writer(limitmb=256, compound=False)
            count = 0
            try:
                for doc in docs:
                    writer.add_document(**_document_fields(doc))
                    count += 1
                writer.commit(optimize=True)
            except BaseException:
                _cancel(writer)
                raise
            self._set_current(new)
        except BaseException as exc:
            self._remove_index_files(new)
            old_lock.release()
            if isinstance(exc, Exception):
                raise IndexWriteError(f"search index rebuild failed: {exc}") from exc
            raise
        old_lock.release()
        self._remove_index_files(old)
        return count

    def _remove_index_files(self, name: str) -> None:
        self._indexes.pop(name, None)
        for filename in list(self.storage.list()):
            if filename.startswith(f"{name}_") or filename.startswith(f"_{name}_") or filename.startswith(f"{name}.tmp"):
                try:
                    self.storage.delete_file(filename)
                except OSError:
                    pass

    # --- reading ------------------------------------------------------------------------

    def _searcher(self):
        """Return this thread's searcher on the latest generation, reopening when it changed."""
        self.ensure()
        local = self._local
        for attempt in range(3):
            name = self._current_name()
            try:
                ix = self._open(name)
                current = getattr(local, "searcher", None)
                if current is not None and local.name == name and local.generation == ix.latest_generation():
                    return current
                latest = ix.latest_generation()
                searcher = ix.searcher()
            except Exception:
                # A rebuild may have removed the index between reading CURRENT and opening.
                self._indexes.pop(name, None)
                if attempt == 2:
                    raise
                time.sleep(0.05)
                continue
            if current is not None:
                current.close()
            for stale in [n for n in self._indexes if n != name]:
                self._indexes.pop(stale, None)
            local.searcher, local.name = searcher, name
            generation = searcher.reader().generation()
            local.generation = latest if generation is None else generation  # None: empty index
            return searcher
        raise RuntimeError("unreachable")

    def indexed(self) -> dict[str, str]:
        """Return id -> metadata_modified of every indexed document."""
        searcher = self._searcher()
        return {f["id"]: f.get("modified", "") for f in searcher.all_stored_fields()}

    def indexed_facts(self) -> dict[str, dict]:
        """Return id -> {"modified", "private", "organization"} of every indexed document."""
        searcher = self._searcher()
        snap = self._snapshot_for(searcher)
        modified = {f["id"]: f.get("modified", "") for f in searcher.all_stored_fields()}
        orgs = self._interners["organization"].values
        out = {}
        for d in np.flatnonzero(snap.live):
            doc_id = snap.doc_ids[d]
            out[doc_id] = {"modified": modified.get(doc_id, ""), "private": bool(snap.private[d]),
                           "organization": orgs[snap.org[d]] if snap.org[d] >= 0 else None}
        return out

    def _snapshot_for(self, searcher) -> _Snapshot:
        key = (self._local.name, self._local.generation)
        snap = self._snapshot
        if snap is not None and snap.key == key:
            return snap
        with self._lock:
            snap = self._snapshot
            if snap is not None and snap.key == key:
                return snap
            snap = self._build_snapshot(searcher, key)
            if self._snapshot is None or self._snapshot.key < key or self._snapshot.key[0] != key[0]:
                self._snapshot = snap
            return snap

    def _build_snapshot(self, searcher, key) -> _Snapshot:
        leaves = _leaves(searcher)
        parts: list[tuple[int, _SegmentData, np.ndarray]] = []
        offsets: dict[str, int] = {}
        seen = set()
        for reader, offset in leaves:
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
        return _Snapshot(
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
        )

    def _read_segment(self, reader) -> _SegmentData:
        size = reader.doc_count_all()
        column = reader.column_reader("facets", translate=False)
        interners = self._interners
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
            for facet, short in _BLOB_KEYS.items():
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
        return _SegmentData(size, doc_ids, entries, org, private, modified, downloads, title_keys)

    # --- postings -------------------------------------------------------------------------

    def _postings(self, reader, segid: str, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (local docnums, term frequencies) of one term in one segment (cached)."""
        key = (segid, fieldname, text)
        hit = self._postings_cache.get(key)
        if hit is not None:
            self._postings_cache.move_to_end(key)
            return hit
        try:
            matcher = reader.postings(fieldname, text)
        except Exception:  # TermNotFound
            result = (_EMPTY_IDS, _EMPTY_TF)
        else:
            result = _read_matcher(matcher)
        self._remember(key, result)
        return result

    def _phrase_postings(self, searcher, reader, segid: str, fieldname: str, stems: tuple[str, ...]):
        key = (segid, fieldname, stems)
        hit = self._postings_cache.get(key)
        if hit is not None:
            self._postings_cache.move_to_end(key)
            return hit
        if any(reader.doc_frequency(fieldname, s) == 0 for s in stems):
            result = (_EMPTY_IDS, _EMPTY_TF)
        else:
            matcher = Phrase(fieldname, list(stems)).matcher(searcher)
            deleted = reader.deleted_docs_set
            ids = np.fromiter((i for i in matcher.all_ids() if i not in deleted), dtype=np.int64)
            result = (ids, np.ones(len(ids), dtype=np.float64))
        self._remember(key, result)
        return result

    def _remember(self, key, result) -> None:
        with self._lock:
            self._postings_cache[key] = result
            self._postings_bytes += result[0].nbytes + result[1].nbytes
            while self._postings_bytes > _POSTINGS_CACHE_BYTES and self._postings_cache:
                _, (ids, tf) = self._postings_cache.popitem(last=False)
                self._postings_bytes -= ids.nbytes + tf.nbytes

    # --- query planning -------------------------------------------------------------------

    def _plan(self, q: str, detect_year: bool) -> _Plan:
        parts = search_text.split_query(q)
        words = [w for _, ws in parts for w in ws]
        detected_year = None
        if detect_year:
            years = [p[1][0] for p in parts if p[0] == "word" and is_year(p[1][0])]
            if years:
                detected_year = int(years[0])
                parts = [p for p in parts if not (p[0] == "word" and p[1][0] == years[0])]
        keep_stopwords = all(p[0] == "word" and p[1][0] in STOPWORDS for p in parts)
        groups: list[list[_Alt]] = []
        i = 0
        while i < len(parts):
            kind, ws = parts[i]
            if kind == "phrase":
                groups.append([_Alt(tuple(stem(w) for w in ws))])
                i += 1
                continue
            # Look for the longest synonym entry over the following plain words.
            run = []
            for k2, ws2 in parts[i:]:
                if k2 != "word":
                    break
                run.append(stem(ws2[0]))
            match = self.synonyms.match(run, 0)
            if match:
                length, group = match
                typed = tuple(run[:length])
                groups.append([_Alt(entry, 1.0 if entry == typed else _SYNONYM_WEIGHT) for entry in group])
                i += length
                continue
            if ws[0] in STOPWORDS and not keep_stopwords:
                i += 1
                continue
            groups.append([_Alt((run[0],))])
            i += 1
        return _Plan(groups, words, detected_year)

    def _match(self, searcher, snap: _Snapshot, groups: list[list[_Alt]], mode: str):
        """Return (mask, scores) over all docnums for an AND/OR of groups."""
        n = snap.size
        total = np.zeros(n, dtype=np.float64)
        mask = np.ones(n, dtype=bool) if mode == "and" else np.zeros(n, dtype=bool)
        leaves = _leaf_searchers(searcher)
        live = snap.live
        live_count = max(1, int(live.sum()))
        for group in groups:
            gscore = np.zeros(n, dtype=np.float64)
            for alt in group:
                for fieldname, boost in TEXT_FIELDS.items():
                    hits = []
                    for sub, reader, offset in leaves:
                        segid = reader.segment().segment_id()
                        if len(alt.stems) == 1:
                            ids, tf = self._postings(reader, segid, fieldname, alt.stems[0])
                        else:
                            ids, tf = self._phrase_postings(sub, reader, segid, fieldname, alt.stems)
                        if len(ids):
                            # Cached postings keep documents deleted since they were read (a
                            # replaced version, possibly by another process): they must not
                            # count in the document frequency, or the idf of a word found in
                            # every live document goes negative and the word matches nothing.
                            ids = ids + offset
                            keep = live[ids]
                            if not keep.all():
                                ids, tf = ids[keep], tf[keep]
                            if len(ids):
                                hits.append((ids, tf))
                    if not hits:
                        continue
                    df = sum(len(h[0]) for h in hits)
                    idf = math.log(1.0 + (live_count - df + 0.5) / (df + 0.5))
                    for ids, tf in hits:
                        gscore[ids] += alt.weight * boost * idf * (tf * (_BM25_K1 + 1) / (tf + _BM25_K1))
            hit = gscore > 0
            mask = (mask & hit) if mode == "and" else (mask | hit)
            total += gscore
        return mask, total

    def _within(self, reader, fieldname: str, word: str, maxdist: int) -> list[str]:
        """Return the terms of one segment's field within ``maxdist`` edits of ``word`` (cached)."""
        segid = reader.segment().segment_id()
        key = (segid, fieldname, word, maxdist)
        hit = self._within_cache.get(key)
        if hit is None:
            # What reader.terms_within(fieldname, word, maxdist, prefix=1) gives (Levenshtein
            # distance, no transpositions), from the segment's terms kept in memory: whoosh
            # walks an automaton over the on-disk term list (~10 ms a word); here terms whose
            # length or letters already differ by more than ``maxdist`` (lower bounds of the
            # distance) are skipped before the distance is computed.
            bag, n = Counter(word), len(word)
            hit = sorted(
                term for term, letters in self._lexicon(reader, segid, fieldname, word[:1])
                if abs(len(term) - n) <= maxdist
                and sum((letters - bag).values()) <= maxdist and sum((bag - letters).values()) <= maxdist
                and _within_edits(term, word, maxdist))
            with self._lock:
                self._within_cache[key] = hit
                while len(self._within_cache) > 5000:
                    self._within_cache.popitem(last=False)
        return hit

    def _lexicon(self, reader, segid: str, fieldname: str, initial: str) -> list[tuple[str, Counter]]:
        """The terms of one segment's field that start with ``initial``, each with its letters
        (cached; the letters of a first letter's terms are counted when first asked for)."""
        key = (segid, fieldname)
        terms = self._lexicons.get(key)
        if terms is None:
            terms = {}
            try:
                from_bytes = reader.schema[fieldname].from_bytes
                for btext in reader.lexicon(fieldname):
                    term = from_bytes(btext)
                    terms.setdefault(term[:1], []).append(term)
            except Exception:  # no such field in this segment
                terms = {}
            with self._lock:
                self._lexicons[key] = terms
                while len(self._lexicons) > 64:
                    self._lexicons.popitem(last=False)
        bucket = terms.get(initial)
        if not bucket:
            return []
        if isinstance(bucket[0], str):
            bucket = terms[initial] = [(t, Counter(t)) for t in bucket]
        return bucket

    def _fuzzy_groups(self, searcher, groups: list[list[_Alt]], visible: np.ndarray) -> list[list[_Alt]] | None:
        """Add to each single-word alternative the indexed words within 1-2 edits.

        Candidates come from the spelling field (title, tags, topics, publisher; stemmed
        here), then from the description if that found none, never from every text
        field: the edit-distance walk over an on-disk term list is the slow part. Only
        words of documents in ``visible`` count, so a private word never steers the results.
        """
        leaves = _leaf_searchers(searcher)
        out, changed = [], False
        for group in groups:
            new_group = list(group)
            for alt in group:
                if len(alt.stems) != 1 or len(alt.stems[0]) < 4 or alt.stems[0].isdigit():
                    continue
                word = alt.stems[0]
                maxdist = 1 if len(word) < 8 else 2
                found: set[str] = set()
                for _, reader, _ in leaves:
                    found.update(stem(w) for w in self._within(reader, "spell", word, maxdist)
                                 if self._visible_has(leaves, "spell", w, visible))
                found.discard(word)
                if not found:
                    for _, reader, _ in leaves:
                        found.update(w for w in self._within(reader, "description", word, maxdist)
                                     if self._visible_has(leaves, "description", w, visible))
                found.discard(word)
                for term in sorted(found)[:_MAX_FUZZY_TERMS]:
                    new_group.append(_Alt((term,), alt.weight * 0.7))
                    changed = True
            out.append(new_group)
        return out if changed else None

    def _visible_postings(self, leaves, fieldname: str, text: str, visible: np.ndarray):
        for _, reader, offset in leaves:
            ids, _ = self._postings(reader, reader.segment().segment_id(), fieldname, text)
            if len(ids):
                yield visible[ids + offset]

    def _visible_has(self, leaves, fieldname: str, text: str, visible: np.ndarray) -> bool:
        """True if a document in ``visible`` has the term."""
        return any(hits.any() for hits in self._visible_postings(leaves, fieldname, text, visible))

    def _visible_df(self, leaves, fieldname: str, text: str, visible: np.ndarray) -> int:
        """Return how many documents in ``visible`` have the term."""
        return sum(int(hits.sum()) for hits in self._visible_postings(leaves, fieldname, text, visible))

    def _suggest(self, searcher, plan: _Plan, visible: np.ndarray) -> str | None:
        """Return the query with unknown words replaced by the closest indexed word.

        Known and suggested words are those of documents in ``visible`` (what the reader
        may see): a word found only in a private dataset is neither confirmed nor offered.
        """
        leaves = _leaf_searchers(searcher)
        corrected, changed = [], False
        for word in plan.words:
            if (len(word) < 3 or word.isdigit() or word in STOPWORDS
                    or self._visible_has(leaves, "spell", word, visible)):
                corrected.append(word)
                continue
            s = stem(word)
            if self.synonyms.match([s], 0) or any(self._visible_has(leaves, f, s, visible) for f in TEXT_FIELDS):
                corrected.append(word)
                continue
            best = None
            for maxdist in (1, 2) if len(word) >= 5 else (1,):
                candidates: dict[str, int] = {}
                for _, leaf, _ in leaves:
                    for c in self._within(leaf, "spell", word, maxdist):
                        if c not in candidates:
                            candidates[c] = self._visible_df(leaves, "spell", c, visible)
                candidates = {c: n for c, n in candidates.items() if n}
                if candidates:
                    best = max(sorted(candidates), key=candidates.__getitem__)
                    break
            if best and best != word:
                corrected.append(best)
                changed = True
            else:
                corrected.append(word)
        return " ".join(corrected) if changed else None

    # --- searching ------------------------------------------------------------------------

    def _cached_array(self, key, build):
        """An array of one snapshot (read-only: callers copy before changing), kept while used."""
        hit = self._mask_cache.get(key)
        if hit is None:
            hit = build()
            hit.flags.writeable = False
            with self._lock:
                self._mask_cache[key] = hit
                while len(self._mask_cache) > _MASK_CACHE_ENTRIES:
                    self._mask_cache.popitem(last=False)
        else:
            with self._lock:
                if key in self._mask_cache:
                    self._mask_cache.move_to_end(key)
        return hit

    def _docnums_of(self, snap: _Snapshot, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (docnums, positions in ``ids``) of the ids that are live documents."""
        sorted_ids, docnums = snap.id_lookup()
        if not len(ids) or not len(sorted_ids):
            return _EMPTY_IDS, _EMPTY_IDS
        pos = np.searchsorted(sorted_ids, ids)
        pos[pos >= len(sorted_ids)] = 0
        hit = sorted_ids[pos] == ids
        return docnums[pos[hit]], np.flatnonzero(hit)

    def _allowed_mask(self, snap: _Snapshot, allowed: IdSet) -> np.ndarray:
        def build():
            mask = np.zeros(snap.size, dtype=bool)
            mask[self._docnums_of(snap, allowed.ids)[0]] = True
            return mask

        return self._cached_array(("allowed", snap.key, allowed.key), build)

    def _values_array(self, snap: _Snapshot, values: IdValues) -> np.ndarray:
        def build():
            out = np.zeros(snap.size, dtype=np.float64)
            docnums, positions = self._docnums_of(snap, values.ids)
            out[docnums] = np.asarray(values.values, dtype=np.float64)[positions]
            return out

        return self._cached_array(("values", snap.key, values.key), build)

    def _run(self, q, filters, year_from, year_to, visible_orgs, allowed: IdSet | None, want_facets: bool,
             facet_limit: int = 50) -> "_Run":
        searcher = self._searcher()
        snap = self._snapshot_for(searcher)
        filters = _normalise_filters(filters)
        explicit_year = bool(filters.get("year")) or year_from is not None or year_to is not None
        plan = self._plan(q or "", detect_year=not explicit_year)
        if plan.detected_year is not None:
            filters["year"] = [str(plan.detected_year)]

        # What the reader may see: the index's own flags AND, when given, the caller's ids
        # (the database's truth). Both must agree, so a stale entry on either side hides.
        base = snap.live.copy()
        if visible_orgs is not None:  # None = every organization (a sysadmin)
            org_ids = self._interners["organization"].ids
            vis = ~snap.private
            visible_ids = [org_ids[o] for o in visible_orgs if o in org_ids]
            if visible_ids:
                vis |= np.isin(snap.org, visible_ids)
            base &= vis
        if allowed is not None:
            base &= self._allowed_mask(snap, allowed)
        visible = base.copy()

        field_masks = {f: self._filter_mask(snap, f, vals) for f, vals in filters.items() if f in FACET_FIELDS}
        if year_from is not None or year_to is not None:
            ymask = self._year_range_mask(snap, year_from, year_to)
            field_masks["year"] = ymask if "year" not in field_masks else field_masks["year"] & ymask
        filtered = base.copy()
        for m in field_masks.values():
            filtered &= m

        scores = None
        fuzzy = False
        if plan.groups:
            text_mask, scores = self._match(searcher, snap, plan.groups, "and")
            if not (text_mask & filtered).any() and len(plan.groups) > 1:
                text_mask, scores = self._match(searcher, snap, plan.groups, "or")
            if not (text_mask & filtered).any():
                fuzzy_groups = self._fuzzy_groups(searcher, plan.groups, visible)
                if fuzzy_groups:
                    for mode in ("and", "or") if len(fuzzy_groups) > 1 else ("and",):
                        text_mask, scores = self._match(searcher, snap, fuzzy_groups, mode)
                        if (text_mask & filtered).any():
                            fuzzy = True
                            plan.groups = fuzzy_groups
                            break
            base &= text_mask
        final = base.copy()
        for m in field_masks.values():
            final &= m

        facets = {}
        if want_facets:
            for facet in FACET_FIELDS:
                if facet in field_masks:
                    mask = base.copy()
                    for other, m in field_masks.items():
                        if other != facet:
                            mask &= m
                else:
                    mask = final
                facets[facet] = self._count(snap, facet, mask, filters.get(facet, []), facet_limit)
        return _Run(searcher, snap, plan, visible, final, scores, facets, fuzzy)

    def _filter_mask(self, snap: _Snapshot, facet: str, values: list[str]) -> np.ndarray:
        interner = self._interners[facet]
        wanted = sorted({interner.ids[v] for v in values if v in interner.ids})

        def build():
            mask = np.zeros(snap.size, dtype=bool)
            if wanted:
                docs, vals = snap.entries[facet]
                mask[docs[np.isin(vals, wanted)]] = True
            return mask

        return self._cached_array(("filter", snap.key, facet, tuple(wanted)), build)

    def _year_range_mask(self, snap: _Snapshot, year_from: int | None, year_to: int | None) -> np.ndarray:
        interner = self._interners["year"]
        lo = -math.inf if year_from is None else int(year_from)
        hi = math.inf if year_to is None else int(year_to)
        wanted = [i for v, i in interner.ids.items() if lo <= int(v) <= hi]
        mask = np.zeros(snap.size, dtype=bool)
        if wanted:
            docs, vals = snap.entries["year"]
            mask[docs[np.isin(vals, wanted)]] = True
        return mask

    def _count(self, snap: _Snapshot, facet: str, mask: np.ndarray, selected: list[str], limit: int):
        docs, vals = snap.entries[facet]
        values = self._interners[facet].values
        counts = np.bincount(vals[mask[docs]], minlength=len(values)) if len(docs) else np.zeros(len(values), int)
        nonzero = np.flatnonzero(counts)
        pairs = [(values[i], int(counts[i])) for i in nonzero]
        pairs.sort(key=lambda p: (-p[1], p[0]))
        pairs = pairs[:limit]
        shown = {v for v, _ in pairs}
        for v in selected:
            if v not in shown:
                i = self._interners[facet].ids.get(v)
                pairs.append((v, int(counts[i]) if i is not None and i < len(counts) else 0))
                shown.add(v)
        return pairs

    def _order(self, run: "_Run", sort: str, downloads: IdValues | None) -> np.ndarray:
        snap, final, scores = run.snap, run.final, run.scores
        docnums = np.flatnonzero(final)
        if sort not in SORTS:
            sort = "relevance"
        modified = snap.modified[docnums]
        if sort == "relevance" and run.plan.groups and scores is not None:
            order = np.lexsort((docnums, -modified, -np.round(scores[docnums], 9)))
        elif sort == "title":
            order = np.lexsort((docnums, snap.title_rank()[docnums]))
        elif sort == "downloads":
            counts = snap.downloads if downloads is None else self._values_array(snap, downloads)
            order = np.lexsort((docnums, -modified, -counts[docnums]))
        else:  # newest, and relevance without words
            order = np.lexsort((docnums, -modified))
        return docnums[order]

    def search(
        self,
        q: str = "",
        filters: dict[str, list[str]] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        visible_orgs: list[str] | None = None,
        facet_limit: int = 50,
        allowed: IdSet | None = None,
        downloads: IdValues | None = None,
        highlight: bool = True,
    ) -> SearchResult:
        """Search published datasets; return one page of ids with facet counts.

        Words AND together (falling back to OR, then to fuzzy matching, when nothing is
        found); Indonesian stopwords are ignored; a bare year in ``q`` becomes a year filter
        when no year filter is given. Facet counts of a field use every active filter except
        that field's own. Private documents match only when their organization is in
        ``visible_orgs``; ``None`` means every organization (as
        ``permissions.visible_organizations`` returns for a sysadmin), ``[]`` means public only.
        ``allowed`` further limits every count, facet, suggestion and result to those ids;
        ``downloads`` replaces the indexed download counts for the "downloads" sort.
        ``highlight=False`` leaves highlighting to the caller (see ``highlight()``).
        """
        run = self._run(q, filters, year_from, year_to, visible_orgs, allowed, True, facet_limit)
        page = max(1, int(page))
        per_page = max(1, int(per_page))
        ordered = self._order(run, sort, downloads)
        page_docnums = ordered[(page - 1) * per_page : page * per_page]
        ids = [run.snap.doc_ids[d] for d in page_docnums]
        terms = frozenset(s for group in run.plan.groups for alt in group for s in alt.stems)
        highlights, title_highlights = self._highlight(run.searcher, page_docnums, terms) if highlight else ({}, {})
        return SearchResult(
            ids=ids,
            total=int(run.final.sum()),
            facets=run.facets,
            suggestion=self._suggest(run.searcher, run.plan, run.visible) if run.plan.words else None,
            fuzzy=run.fuzzy,
            highlights=highlights,
            title_highlights=title_highlights,
            detected_year=run.plan.detected_year,
            terms=terms,
        )

    def all_matching_ids(
        self,
        q: str = "",
        filters: dict[str, list[str]] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        sort: str = "relevance",
        visible_orgs: list[str] | None = None,
        allowed: IdSet | None = None,
        downloads: IdValues | None = None,
    ) -> list[str]:
        """Return the ids of every matching document, in ``sort`` order."""
        run = self._run(q, filters, year_from, year_to, visible_orgs, allowed, False)
        return [run.snap.doc_ids[d] for d in self._order(run, sort, downloads)]

    def _highlight(self, searcher, docnums, terms: frozenset[str]) -> tuple[dict[str, str], dict[str, str]]:
        highlights, titles = {}, {}
        for docnum in docnums:
            stored = searcher.stored_fields(int(docnum))
            doc_id = stored["id"]
            titles[doc_id], highlights[doc_id] = highlight(
                terms, stored.get("stored_title", ""), stored.get("stored_summary", ""))
        return highlights, titles


@dataclass
class _Run:
    searcher: object
    snap: _Snapshot
    plan: _Plan
    visible: np.ndarray  # what the reader may see, before words and filters
    final: np.ndarray
    scores: np.ndarray | None
    facets: dict
    fuzzy: bool


def highlight(terms: Iterable[str], title: str, summary: str) -> tuple[str, str]:
    """Return (title, snippet) as HTML: words whose stem is in ``terms`` in <mark>, the rest escaped."""
    terms = frozenset(terms)
    analyzer = indonesian_analyzer()
    formatter = _MarkFormatter()
    title_html = (
        highlight_text(title, terms, analyzer, highlight_module.WholeFragmenter(), formatter, top=1) if terms else ""
    ) or _escape(title)
    snippet = ""
    if terms and summary:
        snippet = highlight_text(
            summary, terms, analyzer, highlight_module.ContextFragmenter(maxchars=240, surround=60), formatter, top=2
        )
    return title_html, snippet or _escape(_shorten(summary, 240))


# --- helpers -------------------------------------------------------------------------------

_EMPTY_IDS = np.zeros(0, dtype=np.int64)
# Allowed-id masks, download arrays and filter masks (topic=x, year=y...) of the current
# snapshot: one byte per document each, so 256 of them are 25 MB at 100,000 datasets.
_MASK_CACHE_ENTRIES = 256
_EMPTY_TF = np.zeros(0, dtype=np.float64)


def _cancel(writer) -> None:
    try:
        writer.cancel()
    except Exception:
        pass


def _leaves(searcher):
    """Return [(segment reader, docnum offset)] of a searcher (empty for an empty index)."""
    reader = searcher.reader()
    if reader.is_atomic():
        return [(reader, 0)] if _has_segment(reader) else []
    return [(r, off) for r, off in reader.leaf_readers() if _has_segment(r)]


def _has_segment(reader) -> bool:
    return getattr(reader, "segment", None) is not None and reader.segment() is not None


def _leaf_searchers(searcher):
    out = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if _has_segment(reader):
            out.append((sub, reader, offset))
    return out


def _within_edits(a: str, b: str, k: int) -> bool:
    """True if the Levenshtein distance of ``a`` and ``b`` is at most ``k``."""
    if abs(len(a) - len(b)) > k:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > k:
            return False
        previous = current
    return previous[-1] <= k


def _read_matcher(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Read a whole posting list into numpy arrays, a block at a time when possible.

    Deleted documents are not filtered here: the snapshot's live mask removes them.
    """
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids_parts, tf_parts = [], []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):  # W3LeafMatcher (whoosh 2.7)
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids_parts.append(np.asarray(matcher._ids, dtype=np.int64))
            tf_parts.append(np.asarray(matcher._weights, dtype=np.float64))
            matcher._next_block()
        if not ids_parts:
            return _EMPTY_IDS, _EMPTY_TF
        return np.concatenate(ids_parts), np.concatenate(tf_parts)
    ids, tfs = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        tfs.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(tfs, dtype=np.float64)


def _normalise_filters(filters: dict | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, values in (filters or {}).items():
        facet = FACET_ALIASES.get(key, key)
        if facet not in FACET_FIELDS:
            continue
        vals = [str(v).strip() for v in _as_list(values) if str(v).strip()]
        if facet == "format":
            vals = [v.upper() for v in vals]
        if vals:
            out.setdefault(facet, [])
            out[facet].extend(v for v in vals if v not in out[facet])
    return out


def _escape(text: str) -> str:
    from html import escape

    return escape(text or "", quote=False)


def _shorten(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


class _MarkFormatter(highlight_module.HtmlFormatter):
    """Wrap matched words in <mark>; escape everything else."""

    def __init__(self):
        super().__init__(between=" … ")

    def format_token(self, text, token, replace=False):
        return "<mark>%s</mark>" % self._text(highlight_module.get_text(text, token, replace))
