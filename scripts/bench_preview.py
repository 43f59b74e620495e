"""Benchmark table preview pages and the full CSV download over HTTP, against Datasette.

    python scripts/bench_preview.py                    # 1,000,000 rows
    python scripts/bench_preview.py --rows 2000 --no-compare

An N-row CSV (the ingest benchmark's realistic table) is uploaded through
`resources.upload` and published; the portal is served by `portal serve` (waitress) on
a free port. Measured over HTTP with a keep-alive client:

* 25-row pages, as HTML (the resource page) and as JSON (`datastore_search`): the first
  page, a deep keyset page (a token for a row near the end, `tables.encode_token`), and
  both sorted by the count column; p50/p95 over --requests requests each after a warm-up;
* the full CSV download: rows/s, and the server's RSS before, at its peak during and after.

Where datasette is installed, the same rows are copied into a SQLite file (same per-column
indexes) served by `datasette serve -i` with max_returned_rows 1000 and CSV streaming on:
the same pages as its HTML table page and as `.json` (`_next` keyset pages, `_sort`), and
`.csv?_stream=on`. Each kind is compared like for like: HTML with HTML, JSON with JSON.

Targets: preview pages (first and deep) no slower than Datasette's; the CSV download
>= 5x Datasette's rows/s in constant memory (peak - before of a few MB).
"""
from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402
from bench_ingest import generate  # noqa: E402

SORT_COLUMN = "jumlah_penerima"
TARGET_CSV_RATIO = 5.0
CONSTANT_MEMORY_MB = 16  # "a few MB" of growth during a download, with allocator slack
WARMUP = 3
DATASETTE_SETTINGS = {
    "max_returned_rows": "1000",
    "allow_csv_stream": "on",
    # Generous to Datasette: no facet suggestions computed on every table page.
    "suggest_facets": "off",
}


def build_portal(work: Path, rows: int) -> dict:
    """Generate, upload and publish the table; return names, paths and deep tokens."""
    from app import tables
    from app.services import datasets, resources
    from app.services import tables as table_service

    csv_path = work / f"pmks_{rows}.csv"
    bc.log(f"generating {rows:,} rows")
    generate(csv_path, rows)
    app = bc.make_app(work / "portal")
    with app.app_context():
        admin = bc.make_sysadmin()
        ds = datasets.create(admin, {"name": "bench-preview", "title": "Penerima bantuan per kabupaten",
                                     "topics": ["pmks-ppks"]})
        bc.log("uploading through resources.upload")
        start = time.perf_counter()
        with open(csv_path, "rb") as fh:
            result = resources.upload(admin, ds.id, fh, csv_path.name, keep_blocked=False)
        ingest_s = time.perf_counter() - start
        datasets.publish(admin, ds.id)
        version = result.version
        with table_service.open_table(version) as table:
            table_path = table.path
            columns = table.columns
            n = table.row_count
            ci = table.col(SORT_COLUMN)
            deep_at = max(0, n - 100)
            (deep_id,) = table.con.execute("SELECT _id FROM data ORDER BY _id LIMIT 1 OFFSET ?", (deep_at,)).fetchone()
            sort_value, sort_id = table.con.execute(
                f"SELECT c{ci}, _id FROM data ORDER BY c{ci}, _id LIMIT 1 OFFSET ?", (deep_at,)).fetchone()
        out = {
            "name": ds.name, "resource_id": result.resource.id, "rows": n, "ingest_seconds": ingest_s,
            "table_path": table_path, "columns": columns,
            "deep_token": tables.encode_token(deep_id, deep_id), "deep_id": deep_id,
            "sorted_token": tables.encode_token(sort_value, sort_id), "sort_value": sort_value,
            "sort_id": sort_id, "suppression": (version.small_cells or {}).get("suppression"),
        }
    csv_path.unlink()
    return out


def measure_pages(session, urls: dict[str, str], requests_each: int) -> dict:
    out = {}
    for label, url in urls.items():
        for _ in range(WARMUP):
            bc.timed_get(session, url)
        times, bad = [], 0
        for _ in range(requests_each):
            t, status, _body = bc.timed_get(session, url)
            if status != 200:
                bad += 1
            times.append(t)
        out[label] = {**bc.latency_stats(times), "errors": bad}
        bc.log(f"  {label}: p50 {out[label]['p50_ms']} ms, p95 {out[label]['p95_ms']} ms, errors {bad}")
    return out


def measure_download(session, url: str, pid: int) -> dict:
    time.sleep(0.5)
    before = bc.rss_mb(pid)
    with bc.RssSampler(pid, interval=0.02) as sampler:
        seconds, status, lines, nbytes = bc.stream_lines(session, url)
    time.sleep(0.5)
    after = bc.rss_mb(pid)
    peak = max(sampler.peak, before or 0, after or 0)
    rows = max(0, lines - 1)
    return {"status": status, "rows": rows, "mb": round(nbytes / bc.MB, 1), "seconds": round(seconds, 3),
            "rows_per_s": round(rows / seconds) if seconds else None,
            "rss_before_mb": round(before, 1), "rss_peak_mb": round(peak, 1), "rss_after_mb": round(after, 1),
            "rss_growth_mb": round(peak - before, 1)}


def portal_urls(base: str, info: dict) -> dict[str, str]:
    """The resource page (HTML) and the DataStore API (JSON), 25 rows each."""
    page = f"{base}/dataset/{info['name']}/resource/{info['resource_id']}"
    api = f"{base}/api/3/action/datastore_search?resource_id={info['resource_id']}&limit=25"
    return {
        "first_page": page,
        "deep_page": f"{page}?after={info['deep_token']}",
        "sorted_first_page": f"{page}?sort={SORT_COLUMN}",
        "sorted_deep_page": f"{page}?sort={SORT_COLUMN}&after={info['sorted_token']}",
        "json_first_page": api,
        "json_deep_page": f"{api}&cursor={info['deep_token']}",
        "json_sorted_first_page": f"{api}&sort={SORT_COLUMN}",
        "json_sorted_deep_page": f"{api}&sort={SORT_COLUMN}&cursor={info['sorted_token']}",
    }


def build_datasette_db(work: Path, info: dict) -> Path:
    """The same rows in a plain SQLite table named by their headers, with the same indexes."""
    db = work / "bench.db"
    names = [c["name"] for c in info["columns"]]
    con = sqlite3.connect(db)
    try:
        con.execute("ATTACH DATABASE ? AS src", (f"file:{info['table_path']}?mode=ro",))
        types = {"integer": "INTEGER", "year": "INTEGER", "decimal": "REAL"}
        cols = ", ".join(f"[{n}] {types.get(c['type'], 'TEXT')}" for n, c in zip(names, info["columns"]))
        con.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {cols})")
        con.execute(f"INSERT INTO t SELECT _id, {', '.join(f'c{i}' for i in range(len(names)))} FROM src.data")
        for n in names:
            con.execute(f"CREATE INDEX [ix_{n}] ON t ([{n}])")
        con.commit()
        con.execute("DETACH DATABASE src")
    finally:
        con.close()
    return db


def datasette_urls(session, base: str, info: dict) -> dict[str, str]:
    table = f"{base}/bench/t"
    page = f"{table}.json?_size=25"
    # Datasette's keyset token is the rowid, or "<sort value>,<rowid>" when sorted; check its
    # format on a real page before building the deep ones.
    _t, status, body = bc.timed_get(session, f"{page}&_sort={SORT_COLUMN}")
    import json

    nxt = json.loads(body).get("next") if status == 200 else None
    if not nxt or "," not in str(nxt):
        bc.log(f"unexpected datasette sorted next token {nxt!r}")
    sorted_next = urllib.parse.quote(f"{info['sort_value']},{info['sort_id']}", safe="")
    html = f"{table}?_size=25"
    return {
        "first_page": html,
        "deep_page": f"{html}&_next={info['deep_id']}",
        "sorted_first_page": f"{html}&_sort={SORT_COLUMN}",
        "sorted_deep_page": f"{html}&_sort={SORT_COLUMN}&_next={sorted_next}",
        "json_first_page": page,
        "json_deep_page": f"{page}&_next={info['deep_id']}",
        "json_sorted_first_page": f"{page}&_sort={SORT_COLUMN}",
        "json_sorted_deep_page": f"{page}&_sort={SORT_COLUMN}&_next={sorted_next}",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=30, help="timed requests per page kind")
    ap.add_argument("--no-compare", action="store_true", help="skip Datasette")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    portal = datasette = None
    figures: dict = {}
    try:
        info = build_portal(tmp, args.rows)
        bc.log(f"table of {info['rows']:,} rows built in {info['ingest_seconds']:.1f} s")
        portal, base = bc.start_portal(tmp / "portal")
        session = bc.http_session()
        bc.log("portal pages")
        ours = measure_pages(session, portal_urls(base, info), args.requests)
        bc.log("portal CSV download")
        ours_csv = measure_download(
            session, f"{base}/dataset/{info['name']}/resource/{info['resource_id']}/download/{info['name']}.csv",
            portal.pid)
        bc.log(f"  {ours_csv['rows']:,} rows at {ours_csv['rows_per_s']:,} rows/s, "
               f"RSS {ours_csv['rss_before_mb']} -> peak {ours_csv['rss_peak_mb']} -> {ours_csv['rss_after_mb']} MB")
        # A second download tells a one-off high-water mark (allocator, caches) from growth per download;
        # it may run on another waitress worker thread, whose malloc arena has its own high-water mark.
        ours_csv2 = measure_download(
            session, f"{base}/dataset/{info['name']}/resource/{info['resource_id']}/download/{info['name']}.csv",
            portal.pid)
        bc.log(f"  again: {ours_csv2['rows_per_s']:,} rows/s, RSS {ours_csv2['rss_before_mb']} -> "
               f"peak {ours_csv2['rss_peak_mb']} -> {ours_csv2['rss_after_mb']} MB")
        bc.stop(portal)
        portal = None

        theirs = theirs_csv = None
        version = None
        if not args.no_compare and bc.tool("datasette"):
            db = build_datasette_db(tmp, info)
            datasette, dbase = bc.start_datasette(db, settings=DATASETTE_SETTINGS)
            session = bc.http_session()
            _t, _s, body = bc.timed_get(session, f"{dbase}/-/versions.json")
            import json

            version = json.loads(body).get("datasette", {}).get("version") if body else None
            bc.log(f"datasette {version} pages")
            theirs = measure_pages(session, datasette_urls(session, dbase, info), args.requests)
            bc.log("datasette CSV stream")
            theirs_csv = measure_download(session, f"{dbase}/bench/t.csv?_stream=on&_size=max", datasette.pid)
            bc.log(f"  {theirs_csv['rows']:,} rows at {theirs_csv['rows_per_s']:,} rows/s, "
                   f"RSS {theirs_csv['rss_before_mb']} -> peak {theirs_csv['rss_peak_mb']} MB")
        elif not args.no_compare:
            bc.log("datasette not installed: no comparison")

        def p(figs, key, stat="p50_ms"):
            return figs[key][stat] if figs and key in figs else None

        csv_ratio = bc.ratio(ours_csv["rows_per_s"], theirs_csv["rows_per_s"] if theirs_csv else None)
        page_targets = {}
        # Like for like: our HTML page against Datasette's HTML table page, our DataStore
        # API against Datasette's JSON; first and deep (keyset) pages, plain and sorted.
        for key in ("first_page", "deep_page", "sorted_deep_page",
                    "json_first_page", "json_deep_page", "json_sorted_deep_page"):
            if theirs:
                page_targets[f"{key}_p50_no_slower"] = p(ours, key) <= p(theirs, key)
                page_targets[f"{key}_p95_no_slower"] = p(ours, key, "p95_ms") <= p(theirs, key, "p95_ms")
            else:
                page_targets[f"{key}_p50_no_slower"] = None
        figures = {
            "rows": info["rows"],
            "ingest_seconds": round(info["ingest_seconds"], 2),
            "portal": {"pages": ours, "csv": ours_csv, "csv_second": ours_csv2},
            "datasette_version": version,
            "datasette_settings": DATASETTE_SETTINGS if theirs else None,
            "datasette": {"pages": theirs, "csv": theirs_csv} if theirs else None,
            "page_p50_ratio_datasette_over_portal": {
                k: bc.ratio(p(theirs, k), p(ours, k)) for k in ours} if theirs else None,
            "csv_rows_per_s": ours_csv["rows_per_s"],
            "datasette_csv_rows_per_s": theirs_csv["rows_per_s"] if theirs_csv else None,
            "csv_ratio": csv_ratio,
            "targets_met": {
                **page_targets,
                "csv_ge_5x_datasette": None if csv_ratio is None else csv_ratio >= TARGET_CSV_RATIO,
                "csv_complete": ours_csv["rows"] == info["rows"],
                "csv_constant_memory": ours_csv["rss_growth_mb"] <= CONSTANT_MEMORY_MB,
                "csv_constant_memory_second_download": ours_csv2["rss_growth_mb"] <= CONSTANT_MEMORY_MB,
            },
        }
    finally:
        bc.stop(portal)
        bc.stop(datasette)
        if args.keep:
            bc.log("kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    bc.emit(figures)


if __name__ == "__main__":
    main()
