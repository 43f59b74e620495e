"""Several server processes write one index: every write lands, or fails loudly."""
from __future__ import annotations

import multiprocessing
import sys
import threading
import time

import pytest

from app.search import IndexWriteError, SearchIndex


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


def _upsert_many(path: str, prefix: str, count: int, ready: multiprocessing.Barrier) -> None:
    index = SearchIndex(path, writer_timeout=60)
    ready.wait(60)  # both processes start writing together
    for i in range(count):
        index.upsert([_doc(prefix, i)])


def test_two_processes_upserting_at_once_both_land(tmp_path):
    path = str(tmp_path / "search_index")
    SearchIndex(path).ensure()
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Barrier(3)  # the two writers and this test
    procs = [ctx.Process(target=_upsert_many, args=(path, p, 20, ready)) for p in ("alpha", "beta")]
    for p in procs:
        p.start()
    ready.wait(60)
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    index = SearchIndex(path)
    indexed = index.indexed()
    assert len(indexed) == 40
    assert set(indexed) == {f"{p}-{i:03d}" for p in ("alpha", "beta") for i in range(20)}
    r = index.search(visible_orgs=None)
    assert r.total == 40 and dict(r.facets["organization"]) == {"alpha": 20, "beta": 20}


def _slow_docs(building: threading.Event, release: threading.Event):
    building.set()  # the rebuild holds the old index's lock once it reads its documents
    yield _doc("rebuilt", 0)
    release.wait(10)
    yield _doc("rebuilt", 1)


def _wait_until_waiting_for_the_lock(thread: threading.Thread, deadline_s: float = 10.0) -> None:
    """Poll the thread's stack until it sits in whoosh's lock-retry loop (try_for)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        frame = sys._current_frames().get(thread.ident)
        while frame is not None:
            if frame.f_code.co_name == "try_for":
                return
            frame = frame.f_back
        time.sleep(0.005)  # polling a condition, not ordering by time
    raise AssertionError("the writer never waited for the index lock")


def test_upsert_waits_for_rebuild_then_writes_into_the_new_index(tmp_path):
    path = str(tmp_path / "search_index")
    builder = SearchIndex(path)
    builder.upsert([_doc("old", 0)])
    building, release = threading.Event(), threading.Event()
    rebuild = threading.Thread(target=builder.rebuild, args=(_slow_docs(building, release),))
    rebuild.start()
    assert building.wait(10)

    impatient = SearchIndex(path, writer_timeout=0.3)
    with pytest.raises(IndexWriteError):
        impatient.upsert([_doc("late", 0)])

    patient = SearchIndex(path, writer_timeout=20)
    writer = threading.Thread(target=patient.upsert, args=([_doc("late", 1)],))
    writer.start()
    _wait_until_waiting_for_the_lock(writer)
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
