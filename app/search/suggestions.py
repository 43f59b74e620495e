"""Near words: fuzzy alternatives when nothing matches, and the "did you mean" query.

Only words of documents the reader may see count, so a private word never steers the
results nor is offered as a correction.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict

import numpy as np

from .schema import TEXT_FIELDS
from .scoring import Alt, Plan, Postings
from .snapshot import leaf_searchers
from .text import STOPWORDS, Synonyms, stem

_MAX_FUZZY_TERMS = 12


class NearWords:
    """The terms of a segment's field within a few edits of a word, from memory (cached)."""

    def __init__(self):
        self._within_cache: OrderedDict = OrderedDict()
        self._lexicons: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def within(self, reader, fieldname: str, word: str, maxdist: int) -> list[str]:
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


def _visible_postings(postings: Postings, leaves, fieldname: str, text: str, visible: np.ndarray):
    for _, reader, offset in leaves:
        ids, _ = postings.term(reader, reader.segment().segment_id(), fieldname, text)
        if len(ids):
            yield visible[ids + offset]


def _visible_has(postings: Postings, leaves, fieldname: str, text: str, visible: np.ndarray) -> bool:
    """True if a document in ``visible`` has the term."""
    return any(hits.any() for hits in _visible_postings(postings, leaves, fieldname, text, visible))


def _visible_df(postings: Postings, leaves, fieldname: str, text: str, visible: np.ndarray) -> int:
    """Return how many documents in ``visible`` have the term."""
    return sum(int(hits.sum()) for hits in _visible_postings(postings, leaves, fieldname, text, visible))


def fuzzy_groups(near: NearWords, postings: Postings, searcher, groups: list[list[Alt]],
                 visible: np.ndarray) -> list[list[Alt]] | None:
    """Add to each single-word alternative the indexed words within 1-2 edits.

    Candidates come from the spelling field (title, tags, topics, publisher; stemmed
    here), then from the description if that found none, never from every text
    field: the edit-distance walk over an on-disk term list is the slow part. Only
    words of documents in ``visible`` count, so a private word never steers the results.
    """
    leaves = leaf_searchers(searcher)
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
                found.update(stem(w) for w in near.within(reader, "spell", word, maxdist)
                             if _visible_has(postings, leaves, "spell", w, visible))
            found.discard(word)
            if not found:
                for _, reader, _ in leaves:
                    found.update(w for w in near.within(reader, "description", word, maxdist)
                                 if _visible_has(postings, leaves, "description", w, visible))
            found.discard(word)
            for term in sorted(found)[:_MAX_FUZZY_TERMS]:
                new_group.append(Alt((term,), alt.weight * 0.7))
                changed = True
        out.append(new_group)
    return out if changed else None


def suggest(near: NearWords, postings: Postings, synonyms: Synonyms, searcher, plan: Plan,
            visible: np.ndarray) -> str | None:
    """Return the query with unknown words replaced by the closest indexed word.

    Known and suggested words are those of documents in ``visible`` (what the reader
    may see): a word found only in a private dataset is neither confirmed nor offered.
    """
    leaves = leaf_searchers(searcher)
    corrected, changed = [], False
    for word in plan.words:
        if (len(word) < 3 or word.isdigit() or word in STOPWORDS
                or _visible_has(postings, leaves, "spell", word, visible)):
            corrected.append(word)
            continue
        s = stem(word)
        if synonyms.match([s], 0) or any(_visible_has(postings, leaves, f, s, visible) for f in TEXT_FIELDS):
            corrected.append(word)
            continue
        best = None
        for maxdist in (1, 2) if len(word) >= 5 else (1,):
            candidates: dict[str, int] = {}
            for _, leaf, _ in leaves:
                for c in near.within(leaf, "spell", word, maxdist):
                    if c not in candidates:
                        candidates[c] = _visible_df(postings, leaves, "spell", c, visible)
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
