"""The search index: its generations on disk, the writer, and the search entry points.

The index only answers "which dataset ids, in which order, with which facet counts";
the services re-read the rows from the database. No Flask or model imports in app/search/.

Each rebuild writes a new index (a generation) beside the old one and names it in the
CURRENT file, so readers in every process switch to it and writers never write to an
index that is about to be dropped. A search runs on the snapshot of the current
generation (snapshot.py): words are scored (scoring.py), filters and facet counts are
masks (facets.py), near words stand in when nothing matches (suggestions.py).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
from whoosh.filedb.filestore import FileStorage
from whoosh.index import EmptyIndexError, LockError

from .facets import facet_counts, filter_mask, normalise_filters, visible_mask, year_range_mask
from .highlighting import highlight_stored
from .schema import FACET_FIELDS, build_schema, document_fields
from .scoring import Plan, Postings, make_plan, match, order
from .snapshot import ArrayCache, IdSet, IdValues, Snapshot, Snapshots, allowed_mask
from .suggestions import NearWords, fuzzy_groups, suggest
from .text import DEFAULT_SYNONYMS_PATH, Synonyms

_CURRENT_FILE = "CURRENT"
_NODE_FILE = "NODE"  # this folder's own id: the log entries its writers already applied name it
_APPLIED_FILE = "APPLIED"  # the newest entry of the database's log of changes this index holds


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


class SearchIndex:
    """A Whoosh index of published datasets, searched with numpy facets."""

    def __init__(self, path: str, synonyms_path: str | None = None, writer_timeout: float = 30.0):
        self.path = path
        self.synonyms_path = synonyms_path or DEFAULT_SYNONYMS_PATH
        self.synonyms = Synonyms.load(self.synonyms_path)
        self.writer_timeout = writer_timeout
        self._storage: FileStorage | None = None
        self._indexes: dict[str, object] = {}
        self._local = threading.local()
        self._snapshots = Snapshots()
        self._postings = Postings()
        self._near_words = NearWords()
        self._arrays = ArrayCache()
        self._node: str | None = None

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
        self._write_small(_CURRENT_FILE, name)

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

    # --- this index's place in the database's log of changes (services/index_log.py) -------

    def node_id(self) -> str:
        """This index folder's own id, made the first time it is asked for."""
        if self._node is None:
            path = os.path.join(self.path, _NODE_FILE)
            lock = self.storage.lock("ENSURE_LOCK")
            lock.acquire(blocking=True)
            try:
                try:
                    with open(path, encoding="ascii") as fh:
                        self._node = fh.read().strip() or None
                except FileNotFoundError:
                    pass
                if self._node is None:
                    self._node = uuid.uuid4().hex
                    self._write_small(_NODE_FILE, self._node)
            finally:
                lock.release()
        return self._node

    def applied_seq(self) -> int | None:
        """The newest log entry this index holds; None for a folder that never applied the log."""
        try:
            with open(os.path.join(self.path, _APPLIED_FILE), encoding="ascii") as fh:
                return int(fh.read().strip())
        except (FileNotFoundError, ValueError):
            return None

    def set_applied(self, seq: int) -> None:
        """Record that this index holds every log entry up to ``seq`` (call under ``log_lock``)."""
        self._write_small(_APPLIED_FILE, str(int(seq)))

    @contextmanager
    def log_lock(self):
        """Hold this folder's lock on applying the log: one process at a time reads what is new
        and records how far it got (re-entrant in one thread: a catch-up may rebuild).

        :raises IndexWriteError: another process held it for longer than writer_timeout.
        """
        if getattr(self._local, "log_depth", 0):
            self._local.log_depth += 1
            try:
                yield
            finally:
                self._local.log_depth -= 1
            return
        lock = self.storage.lock("LOG_LOCK")
        deadline = time.monotonic() + self.writer_timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise IndexWriteError(f"search index busy for {self.writer_timeout:.1f} s")
            time.sleep(0.02)
        self._local.log_depth = 1
        try:
            yield
        finally:
            self._local.log_depth = 0
            lock.release()

    def _write_small(self, filename: str, text: str) -> None:
        os.makedirs(self.path, exist_ok=True)
        tmp = os.path.join(self.path, f".{filename}.{uuid.uuid4().hex}")
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, os.path.join(self.path, filename))

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
        fields = [document_fields(d) for d in docs]
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
                    writer.add_document(**document_fields(doc))
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

    def doc_count(self) -> int:
        """How many documents the current generation holds."""
        return self._searcher().doc_count()

    def indexed(self) -> dict[str, str]:
        """Return id -> metadata_modified of every indexed document."""
        searcher = self._searcher()
        return {f["id"]: f.get("modified", "") for f in searcher.all_stored_fields()}

    def indexed_facts(self) -> dict[str, dict]:
        """Return id -> {"modified", "private", "organization"} of every indexed document."""
        searcher = self._searcher()
        snap = self._snapshot_for(searcher)
        modified = {f["id"]: f.get("modified", "") for f in searcher.all_stored_fields()}
        orgs = snap.interners["organization"].values
        out = {}
        for d in np.flatnonzero(snap.live):
            doc_id = snap.doc_ids[d]
            out[doc_id] = {"modified": modified.get(doc_id, ""), "private": bool(snap.private[d]),
                           "organization": orgs[snap.org[d]] if snap.org[d] >= 0 else None}
        return out

    def _snapshot_for(self, searcher) -> Snapshot:
        return self._snapshots.get(searcher, (self._local.name, self._local.generation))

    # --- searching ------------------------------------------------------------------------

    def _run(self, q, filters, year_from, year_to, visible_orgs, allowed: IdSet | None, want_facets: bool,
             facet_limit: int = 50) -> "_Run":
        searcher = self._searcher()
        snap = self._snapshot_for(searcher)
        filters = normalise_filters(filters)
        explicit_year = bool(filters.get("year")) or year_from is not None or year_to is not None
        plan = make_plan(q or "", self.synonyms, detect_year=not explicit_year)
        if plan.detected_year is not None:
            filters["year"] = [str(plan.detected_year)]

        # What the reader may see: the index's own flags AND, when given, the caller's ids
        # (the database's truth). Both must agree, so a stale entry on either side hides.
        base = visible_mask(snap, visible_orgs)
        if allowed is not None:
            base &= allowed_mask(self._arrays, snap, allowed)
        visible = base.copy()

        field_masks = {f: filter_mask(self._arrays, snap, f, vals) for f, vals in filters.items() if f in FACET_FIELDS}
        if year_from is not None or year_to is not None:
            ymask = year_range_mask(snap, year_from, year_to)
            field_masks["year"] = ymask if "year" not in field_masks else field_masks["year"] & ymask
        filtered = base.copy()
        for m in field_masks.values():
            filtered &= m

        scores = None
        fuzzy = False
        if plan.groups:
            text_mask, scores = match(self._postings, searcher, snap, plan.groups, "and")
            if not (text_mask & filtered).any() and len(plan.groups) > 1:
                text_mask, scores = match(self._postings, searcher, snap, plan.groups, "or")
            if not (text_mask & filtered).any():
                near_groups = fuzzy_groups(self._near_words, self._postings, searcher, plan.groups, visible)
                if near_groups:
                    for mode in ("and", "or") if len(near_groups) > 1 else ("and",):
                        text_mask, scores = match(self._postings, searcher, snap, near_groups, mode)
                        if (text_mask & filtered).any():
                            fuzzy = True
                            plan.groups = near_groups
                            break
            base &= text_mask
        final = base.copy()
        for m in field_masks.values():
            final &= m

        facets = facet_counts(snap, base, final, field_masks, filters, facet_limit) if want_facets else {}
        return _Run(searcher, snap, plan, visible, final, scores, facets, fuzzy)

    def _order(self, run: "_Run", sort: str, downloads: IdValues | None) -> np.ndarray:
        return order(run.snap, run.final, run.scores, run.plan, sort, downloads, self._arrays)

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
        highlights, title_highlights = highlight_stored(run.searcher, page_docnums, terms) if highlight else ({}, {})
        return SearchResult(
            ids=ids,
            total=int(run.final.sum()),
            facets=run.facets,
            suggestion=(suggest(self._near_words, self._postings, self.synonyms, run.searcher, run.plan, run.visible)
                        if run.plan.words else None),
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


@dataclass
class _Run:
    searcher: object
    snap: Snapshot
    plan: Plan
    visible: np.ndarray  # what the reader may see, before words and filters
    final: np.ndarray
    scores: np.ndarray | None
    facets: dict
    fuzzy: bool


def _cancel(writer) -> None:
    try:
        writer.cancel()
    except Exception:
        pass
