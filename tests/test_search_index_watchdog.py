"""No query may hang the search (PyPI Whoosh 2.7.4 could, whoosh issue #446)."""
from __future__ import annotations

import concurrent.futures

import pytest

import whoosh
from app.search_index import SearchIndex

WORDS = ["bencana", "sosial", "kabupaten", "lembaga", "kesejahteraan", "penerima", "bantuan", "lansia",
         "pegawai", "disabilitas", "anak", "kota", "jumlah", "data", "tahun"]

QUERIES = [
    "", " ", "a", "b", "x", "sosial", "data", "tahun", "jumlah", "kabupaten kota", "di", "dan per",
    "bencna", "kesejahtraan", "pnerima bantuan", "zzzzzzzzzz", "lnsia disbilitas",
    " ".join(WORDS * 4), "bencana " * 50,
    '"', '""', '"bantuan sosial', '"bantuan sosial"', "*", "bencana*", "*sosial*", "?", "(", ")", "((((", "(a OR b",
    ":", "title:bencana", "tags:", "AND", "OR", "NOT", "AND OR NOT", "NOT bencana", "bencana AND NOT sosial",
    "bencana~2", "ben~", "[2019 TO 2024]", "{a TO}", "^", "bencana^5", "\\", "'", "+-!&|", "2023", "1900",
    "99999999999999999999", "Ünïcödé désâstre", "бедствие", "災害", "<script>alert(1)</script>", "%", "_",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    ix = SearchIndex(str(tmp_path_factory.mktemp("watchdog") / "search_index"))
    docs = []
    for i in range(300):
        words = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(6)]
        docs.append({
            "id": f"doc-{i}", "name": f"doc-{i}", "title": " ".join(words[:4]).title(),
            "description": " ".join(words * 3), "tags": words[:2], "topics": [f"t{i % 5}"],
            "organization": f"org{i % 3}", "years": [2019 + i % 6], "formats": ["CSV"],
            "private": i % 10 == 0, "metadata_modified": "2024-01-01T00:00:00+00:00",
        })
    ix.upsert(docs)
    return ix


def test_whoosh_is_the_reloaded_fork():
    assert whoosh.versionstring() == "2.7.5"


@pytest.mark.parametrize("sort", ["relevance", "newest", "title", "downloads"])
def test_no_query_hangs(index, sort):
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
    try:
        futures = {
            q: pool.submit(index.search, q, {"topic": ["t1"]} if i % 3 == 0 else None, None, None, sort, 1 + i % 3)
            for i, q in enumerate(QUERIES)
        }
        for q, future in futures.items():
            try:
                result = future.result(timeout=10)
            except concurrent.futures.TimeoutError:
                pytest.fail(f"search hung for 10 s on {q!r}")
            assert result.total >= len(result.ids)
            assert all("<script>" not in h for h in result.highlights.values())
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
