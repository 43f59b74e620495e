"""Which documents match the words, how well, and in which order.

Query words are analysed (stemmed, synonyms expanded) into an AND of groups, each an OR
of alternatives (a stem or a phrase) searched in every text field. Posting lists are read
block by block into numpy arrays (cached per segment) and scored in numpy with a BM25
saturation of term frequency, field boosts and idf (no length normalisation).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import Phrase

from .schema import TEXT_FIELDS
from .snapshot import EMPTY_IDS, ArrayCache, IdValues, Snapshot, leaf_searchers, values_array
from .text import STOPWORDS, Synonyms, is_year, split_query, stem

SORTS = ("relevance", "newest", "title", "downloads")
_BM25_K1 = 1.2
_SYNONYM_WEIGHT = 0.8  # a synonym scores a little below the word the user typed
_POSTINGS_CACHE_BYTES = 64 * 1024 * 1024
EMPTY_TF = np.zeros(0, dtype=np.float64)


@dataclass
class Alt:
    """One way to satisfy a query group: a stem, or a phrase of stems."""

    stems: tuple[str, ...]
    weight: float = 1.0


@dataclass
class Plan:
    groups: list[list[Alt]]
    words: list[str]  # the user's words (folded, unstemmed), for the suggestion
    detected_year: int | None


def make_plan(q: str, synonyms: Synonyms, detect_year: bool) -> Plan:
    """Analyse a query into groups of alternatives (and the bare year it names, if asked)."""
    parts = split_query(q)
    words = [w for _, ws in parts for w in ws]
    detected_year = None
    if detect_year:
        years = [p[1][0] for p in parts if p[0] == "word" and is_year(p[1][0])]
        if years:
            detected_year = int(years[0])
            parts = [p for p in parts if not (p[0] == "word" and p[1][0] == years[0])]
    keep_stopwords = all(p[0] == "word" and p[1][0] in STOPWORDS for p in parts)
    groups: list[list[Alt]] = []
    i = 0
    while i < len(parts):
        kind, ws = parts[i]
        if kind == "phrase":
            groups.append([Alt(tuple(stem(w) for w in ws))])
            i += 1
            continue
        # Look for the longest synonym entry over the following plain words.
        run = []
        for k2, ws2 in parts[i:]:
            if k2 != "word":
                break
            run.append(stem(ws2[0]))
        match = synonyms.match(run, 0)
        if match:
            length, group = match
            typed = tuple(run[:length])
            groups.append([Alt(entry, 1.0 if entry == typed else _SYNONYM_WEIGHT) for entry in group])
            i += length
            continue
        if ws[0] in STOPWORDS and not keep_stopwords:
            i += 1
            continue
        groups.append([Alt((run[0],))])
        i += 1
    return Plan(groups, words, detected_year)


# --- postings -------------------------------------------------------------------------------


class Postings:
    """Posting lists of terms and phrases per segment as numpy arrays, cached up to a size."""

    def __init__(self):
        self._cache: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def term(self, reader, segid: str, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Return (local docnums, term frequencies) of one term in one segment (cached)."""
        key = (segid, fieldname, text)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        try:
            matcher = reader.postings(fieldname, text)
        except Exception:  # TermNotFound
            result = (EMPTY_IDS, EMPTY_TF)
        else:
            result = _read_matcher(matcher)
        self._remember(key, result)
        return result

    def phrase(self, searcher, reader, segid: str, fieldname: str, stems: tuple[str, ...]):
        """Return (local docnums, ones) of the live documents with the phrase (cached)."""
        key = (segid, fieldname, stems)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        if any(reader.doc_frequency(fieldname, s) == 0 for s in stems):
            result = (EMPTY_IDS, EMPTY_TF)
        else:
            matcher = Phrase(fieldname, list(stems)).matcher(searcher)
            deleted = reader.deleted_docs_set
            ids = np.fromiter((i for i in matcher.all_ids() if i not in deleted), dtype=np.int64)
            result = (ids, np.ones(len(ids), dtype=np.float64))
        self._remember(key, result)
        return result

    def _remember(self, key, result) -> None:
        with self._lock:
            self._cache[key] = result
            self._bytes += result[0].nbytes + result[1].nbytes
            while self._bytes > _POSTINGS_CACHE_BYTES and self._cache:
                _, (ids, tf) = self._cache.popitem(last=False)
                self._bytes -= ids.nbytes + tf.nbytes


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
            return EMPTY_IDS, EMPTY_TF
        return np.concatenate(ids_parts), np.concatenate(tf_parts)
    ids, tfs = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        tfs.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(tfs, dtype=np.float64)


# --- scoring and ordering ---------------------------------------------------------------------


def match(postings: Postings, searcher, snap: Snapshot, groups: list[list[Alt]], mode: str):
    """Return (mask, scores) over all docnums for an AND/OR of groups."""
    n = snap.size
    total = np.zeros(n, dtype=np.float64)
    mask = np.ones(n, dtype=bool) if mode == "and" else np.zeros(n, dtype=bool)
    leaves = leaf_searchers(searcher)
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
                        ids, tf = postings.term(reader, segid, fieldname, alt.stems[0])
                    else:
                        ids, tf = postings.phrase(sub, reader, segid, fieldname, alt.stems)
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


def order(snap: Snapshot, final: np.ndarray, scores: np.ndarray | None, plan: Plan, sort: str,
          downloads: IdValues | None, arrays: ArrayCache) -> np.ndarray:
    """Return the docnums of ``final`` in ``sort`` order (an unknown sort is relevance)."""
    docnums = np.flatnonzero(final)
    if sort not in SORTS:
        sort = "relevance"
    modified = snap.modified[docnums]
    if sort == "relevance" and plan.groups and scores is not None:
        ordering = np.lexsort((docnums, -modified, -np.round(scores[docnums], 9)))
    elif sort == "title":
        ordering = np.lexsort((docnums, snap.title_rank()[docnums]))
    elif sort == "downloads":
        counts = snap.downloads if downloads is None else values_array(arrays, snap, downloads)
        ordering = np.lexsort((docnums, -modified, -counts[docnums]))
    else:  # newest, and relevance without words
        ordering = np.lexsort((docnums, -modified))
    return docnums[ordering]
