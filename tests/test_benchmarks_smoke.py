"""The benchmark scripts run standalone at a tiny size and end with their JSON figures."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"

pytest.importorskip("psutil")
pytest.importorskip("requests")


def _run(script: str, *args: str, timeout: float = 120) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    for key in ("DATABASE_URL", "DATASETS_DIR", "SEARCH_INDEX_DIR", "PORTAL_INSTANCE_PATH"):
        env.pop(key, None)  # the script makes its own temporary folders
    done = subprocess.run([sys.executable, str(SCRIPTS / script), *args, "--no-compare"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    last = done.stdout.strip().splitlines()[-1]
    return json.loads(last)


def test_ingest_benchmark_reports_rows_per_second_and_memory():
    figures = _run("bench_ingest.py", "--generate", "2000")
    assert figures["rows"] == 2000
    assert figures["portal_rows_per_s"] > 0
    assert figures["portal_peak_rss_mb"] > 0
    assert figures["sqlite_utils_rows_per_s"] is None and figures["ratio"] is None
    assert set(figures["targets_met"]) == {"ratio_ge_4x_sqlite_utils", "rows_per_s_ge_50k", "peak_rss_lt_200mb"}


def test_preview_benchmark_reports_pages_and_download():
    figures = _run("bench_preview.py", "--rows", "2000", "--requests", "3")
    assert figures["rows"] == 2000
    pages = figures["portal"]["pages"]
    for kind in ("first_page", "deep_page", "sorted_deep_page", "jump_last_page", "jump_sorted_last_page",
                 "filtered_gt_first_page", "filtered_gt_last_page", "json_filtered_gt"):
        assert pages[kind]["errors"] == 0 and pages[kind]["p50_ms"] > 0
    jumps = figures["page_jumps"]
    assert jumps["pages"] == {"last": 80, "page_40000": 80, "row_900001": 80}
    assert jumps["row_range_text"] == "Baris 1.976–2.000 dari 2.000"
    assert figures["portal"]["csv"]["rows"] == 2000
    assert figures["portal"]["csv_second"]["rows"] == 2000
    assert figures["csv_rows_per_s"] > 0
    assert figures["datasette"] is None and figures["csv_ratio"] is None
    assert figures["targets_met"]["csv_complete"] is True


def test_datastore_benchmark_compares_postgresql_with_sqlite():
    url = os.environ.get("TEST_DATABASE_URL") or ""
    if not url.startswith("postgres"):
        pytest.skip("the DataStore benchmark needs the PostgreSQL pass's server")
    figures = _run("bench_datastore.py", "--rows", "2000", "--requests", "2", "--pg", url)
    assert figures["rows"] == 2000 and figures["ingest_pg_table"].startswith("pg:")
    assert figures["read_pg"]["engine"] == "postgresql" and figures["read_sqlite"]["engine"] == "sqlite"
    assert figures["http_all_ok"] is True and figures["http_pg"]["csv"]["rows"] == 2000
    assert figures["typed_copy_rows_per_s"] is None and figures["ingest_vs_typed_copy"] is None
    assert set(figures["targets_met"]) == {"ingest_ge_50pct_typed_copy", "peak_rss_lt_200mb",
                                           "http_reads_le_1_5x_sqlite", "in_process_reads_le_1_5x_sqlite"}


def test_search_benchmark_reports_latency_per_size():
    figures = _run("bench_search.py", "--sizes", "200", "--queries", "10")
    (result,) = figures["results"]
    assert result["datasets"] == 200 and result["indexed"] == 200
    portal = result["portal"]
    assert portal["n"] == 10 and portal["timeouts"] == 0 and portal["errors"] == 0
    assert portal["p95_ms"] > 0 and portal["peak_rss_mb"] > 0
    assert portal["facets_timed_out"] == 0
    assert result["index_build_peak_rss_mb"] >= result["index_build_rss_before_mb"] > 0
    assert result["datasette"] is None
    targets = figures["targets_met"]["200"]
    assert targets["zero_hangs"] is True
    assert targets["p95_ge_4x_datasette"] is None and targets["datasette_like_for_like"] is None


def test_hostile_workbook_benchmark_reports_each_refusal_and_its_memory():
    figures = _run("bench_hostile_xlsx", "--only", "many_shared_strings", "--only", "huge_dimension_claim")
    bomb, claim = figures["files"]
    assert bomb["file"] == "many_shared_strings" and bomb["size_mb"] > 10
    for door in ("cli", "server"):
        assert bomb[door]["refused"] is True and "500000" in bomb[door]["message"]
        assert claim[door]["refused"] is False
    assert 0 < bomb["cli"]["peak_rss_mb"] < 300 and 0 < bomb["server"]["server_peak_rss_mb"] < 300
    assert figures["targets_met"] == {"all_refused_under_300mb": True}


def test_workers_benchmark_reports_requests_per_second_of_one_and_two_processes():
    figures = _run("bench_workers.py", "--duration", "1", "--connections", "4", "--datasets", "1")
    for page in ("search", "dataset_page"):
        assert figures[page]["workers_1_rps"] > 0 and figures[page]["workers_2_rps"] > 0
        assert figures[page]["errors"] == 0 and figures[page]["ratio"] > 0
    assert set(figures["targets_met"]) == {"search_ratio_ge_1.4x", "search_no_errors",
                                           "dataset_page_ratio_ge_1.4x", "dataset_page_no_errors"}
    assert len(figures["load_before"]) == 3
