"""No query may hang the search (PyPI Whoosh 2.7.4 could, whoosh issue #446)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import whoosh
from app.search import SearchIndex

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


ROOT = Path(__file__).resolve().parent.parent
BATCH_TIMEOUT_S = 90  # the whole batch; a healthy run of one sort takes a few seconds

# Runs every query on 4 threads against the index at argv[1], sorted by argv[2]; reports each
# query's start and end on stdout, so the parent can name the one that hung.
BATCH = textwrap.dedent("""
    import concurrent.futures, json, sys
    from app.search import SearchIndex

    path, sort = sys.argv[1], sys.argv[2]
    queries = json.loads(sys.stdin.read())
    index = SearchIndex(path)

    def run(i, q):
        sys.stdout.write(f"start {i}\\n"); sys.stdout.flush()
        r = index.search(q, {"topic": ["t1"]} if i % 3 == 0 else None, None, None, sort, 1 + i % 3)
        assert r.total >= len(r.ids), q
        assert all("<script>" not in h for h in r.highlights.values()), q
        sys.stdout.write(f"done {i}\\n"); sys.stdout.flush()

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(run, i, q) for i, q in enumerate(queries)]:
            future.result()
""")


def run_watched(script: str, args: list[str], queries: list[str], timeout: float) -> tuple[int | None, set, set, str]:
    """Run a batch in a child process; kill it after ``timeout`` s (a hung thread cannot be stopped).

    Returns (exit code or None if it was killed, started query numbers, finished ones, stderr).
    """
    proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(json.dumps(queries), timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        code = None
    seen = {"start": set(), "done": set()}
    for line in out.splitlines():
        kind, _, number = line.partition(" ")
        if kind in seen:
            seen[kind].add(int(number))
    return code, seen["start"], seen["done"], err


@pytest.fixture(scope="module")
def index_path(tmp_path_factory):
    """An index of 300 documents, made once: the batches only search it."""
    path = str(tmp_path_factory.mktemp("watchdog") / "search_index")
    docs = []
    for i in range(300):
        words = [WORDS[(i * 7 + k) % len(WORDS)] for k in range(6)]
        docs.append({
            "id": f"doc-{i}", "name": f"doc-{i}", "title": " ".join(words[:4]).title(),
            "description": " ".join(words * 3), "tags": words[:2], "topics": [f"t{i % 5}"],
            "organization": f"org{i % 3}", "years": [2019 + i % 6], "formats": ["CSV"],
            "private": i % 10 == 0, "metadata_modified": "2024-01-01T00:00:00+00:00",
        })
    SearchIndex(path).upsert(docs)
    return path


def test_whoosh_is_the_reloaded_fork():
    assert whoosh.versionstring() == "2.7.5"


@pytest.mark.parametrize("sort", ["relevance", "newest", "title", "downloads"])
def test_no_query_hangs(index_path, sort):
    code, started, done, err = run_watched(BATCH, [index_path, sort], QUERIES, BATCH_TIMEOUT_S)
    if code is None:
        hung = [QUERIES[i] for i in sorted(started - done)]
        pytest.fail(f"searches still running after {BATCH_TIMEOUT_S} s (process killed): {hung!r}")
    assert code == 0, err[-3000:]
    assert done == set(range(len(QUERIES)))


def test_the_watchdog_kills_a_batch_that_hangs():
    # A non-daemon thread that never returns: what a looping Whoosh search would do.
    spin = textwrap.dedent("""
        import sys, threading
        def forever():
            sys.stdout.write("start 1\\n"); sys.stdout.flush()
            while True:
                pass
        sys.stdout.write("start 0\\ndone 0\\n"); sys.stdout.flush()
        threading.Thread(target=forever).start()
    """)
    code, started, done, _err = run_watched(spin, [], ["ok", "hangs"], timeout=5)
    assert code is None
    assert started - done == {1}
