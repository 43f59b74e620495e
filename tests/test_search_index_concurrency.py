"""Several server processes write one index: every write lands, or fails loudly."""
from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from app.search_index import IndexWriteError, SearchIndex


def _doc(prefix: str, i: int) -> dict:
    return {
        "id": f"{prefix}-{i:03d}",
        "name": f"{prefix}-{i}",
        "title": f"Data {prefix} nomor {i}",
        "topics": ["lks"],
        "organization": prefix,
        "years": [2024],
        "formats": ["CSV"],
        "metadata_modified": "2024-01-01T00:00:00+00:00",
    }


def _upsert_many(path: str, prefix: str, count: int, start: multiprocessing.Event) -> None:
    index = SearchIndex(path, writer_timeout=60)
    start.wait(10)
    for i in range(count):
        index.upsert([_doc(prefix, i)])


def test_two_processes_upserting_at_once_both_land(tmp_path):
    path = str(tmp_path / "search_index")
    SearchIndex(path).ensure()
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_upsert_many, args=(path, p, 20, start)) for p in ("alpha", "beta")]
    for p in procs:
        p.start()
    time.sleep(0.5)
    start.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    index = SearchIndex(path)
    indexed = index.indexed()
    assert len(indexed) == 40
    assert set(indexed) == {f"{p}-{i:03d}" for p in ("alpha", "beta") for i in range(20)}
    r = index.search(visible_orgs=None)
    assert r.total == 40 and dict(r.facets["organization"]) == {"alpha": 20, "beta": 20}


def _slow_docs(release: threading.Event):
    yield _doc("rebuilt", 0)
    release.wait(10)
    yield _doc("rebuilt", 1)


def test_upsert_waits_for_rebuild_then_writes_into_the_new_index(tmp_path):
    path = str(tmp_path / "search_index")
    builder = SearchIndex(path)
    builder.upsert([_doc("old", 0)])
    release = threading.Event()
    rebuild = threading.Thread(target=builder.rebuild, args=(_slow_docs(release),))
    rebuild.start()
    time.sleep(0.3)

    impatient = SearchIndex(path, writer_timeout=0.3)
    with pytest.raises(IndexWriteError):
        impatient.upsert([_doc("late", 0)])

    patient = SearchIndex(path, writer_timeout=20)
    writer = threading.Thread(target=patient.upsert, args=([_doc("late", 1)],))
    writer.start()
    time.sleep(0.3)
    release.set()
    rebuild.join(20)
    writer.join(20)
    assert set(SearchIndex(path).indexed()) == {"rebuilt-000", "rebuilt-001", "late-001"}


def test_failed_write_raises_for_the_caller_to_roll_back(tmp_path):
    index = SearchIndex(str(tmp_path / "search_index"))
    with pytest.raises((IndexWriteError, ValueError)):
        index.upsert([{"title": "no id"}])
    index.upsert([_doc("ok", 1)])
    assert list(index.indexed()) == ["ok-001"]
