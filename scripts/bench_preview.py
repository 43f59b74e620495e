"""Benchmark table preview pages and the full CSV download over HTTP, against Datasette.

    python scripts/bench_preview.py                    # 1,000,000 rows
    python scripts/bench_preview.py --rows 2000 --no-compare

An N-row CSV (the ingest benchmark's realistic table) is uploaded through
`resources.upload` and published; the portal is served by `portal serve` (waitress) on
a free port. Measured over HTTP with a keep-alive client:

* 25-row pages, as HTML (the resource page) and as JSON (`datastore_search`): the first
  page, a deep keyset page (a token for a row near the end, `tables.encode_token`), and
  both sorted by the count column; p50/p95 over --requests requests each after a warm-up;
* page-number jumps on the resource page (`?page=N`, mapped to a keyset position): the last
  page, page 40,000 (the last of 1M rows), the page of row 900,001, and the last page sorted
  by the count column; filters that compare: `jumlah_penerima > 24,900` (about 4,000 rows,
  counted exactly) and its last page, a between on `tahun` and a contains on the category
  (both over the count cap), and the same `> 24,900` through `datastore_search`. Each is
  compared with the first and deep keyset pages of the same run ("within the preview
  speed": p50 at most 1.25x the slower of the two, or 2 ms more, for the jumps; the filtered
  pages are reported beside them). The jump page's "Baris ... dari ..." text is kept as read;
* the full CSV download: rows/s, and the server's RSS before, at its peak during and after.

Where datasette is installed, the same rows are copied into a SQLite file (same per-column
indexes) served by `datasette serve -i` with max_returned_rows 1000 and CSV streaming on:
the same pages as its HTML table page and as `.json` (`_next` keyset pages, `_sort`), and
`.csv?_stream=on`. Each kind is compared like for like: HTML with HTML, JSON with JSON.

Targets: preview pages (first and deep) no slower than Datasette's; page jumps within the
keyset pages' speed; the CSV download >= 5x Datasette's rows/s in constant memory (peak -
before of a few MB).
"""
from __future__ import annotations

import argparse
import html
import json
import re
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
PAGE_SIZE = 25  # the resource page's
JUMP_PAGE = 40_000  # the last page of 1M rows
GT_VALUE = 24_900  # jumlah_penerima is 5..25,000: about 0.4 % of the rows are above
JUMP_SLACK = 1.25  # a jump's p50 within this factor of the keyset pages' (or JUMP_SLACK_MS more)
JUMP_SLACK_MS = 2.0
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
            table_path = table.source
            columns = table.columns
            n = table.row_count
            ci = table.col(SORT_COLUMN)
            deep_at = max(0, n - 100)
            db = table.db
            (deep_id,) = db.execute(f"SELECT _id FROM {db.data} ORDER BY _id LIMIT 1 OFFSET ?", (deep_at,)).fetchone()
            sort_value, sort_id = db.execute(
                f"SELECT c{ci}, _id FROM {db.data} ORDER BY c{ci}, _id LIMIT 1 OFFSET ?", (deep_at,)).fetchone()
            (above,) = db.execute(f"SELECT count(*) FROM {db.data} WHERE c{ci} > ?", (GT_VALUE,)).fetchone()
        out = {
            "name": ds.name, "resource_id": result.resource.id, "rows": n, "ingest_seconds": ingest_s,
            "rows_above": above,
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


def _pages(rows: int) -> int:
    return max(1, -(-rows // PAGE_SIZE))


def jump_pages(info: dict) -> dict[str, int]:
    """The page numbers jumped to: the last, page 40,000 (or the last of a smaller table), the page of row 900,001."""
    last = _pages(info["rows"])
    return {"last": last, "page_40000": min(JUMP_PAGE, last), "row_900001": min(last, 900_000 // PAGE_SIZE + 1)}


def portal_urls(base: str, info: dict) -> dict[str, str]:
    """The resource page (HTML) and the DataStore API (JSON), 25 rows each."""
    page = f"{base}/dataset/{info['name']}/resource/{info['resource_id']}"
    api = f"{base}/api/3/action/datastore_search?resource_id={info['resource_id']}&limit=25"
    jumps = jump_pages(info)
    above = f"op.{SORT_COLUMN}=gt&f.{SORT_COLUMN}={GT_VALUE}"
    return {
        "first_page": page,
        "deep_page": f"{page}?after={info['deep_token']}",
        "sorted_first_page": f"{page}?sort={SORT_COLUMN}",
        "sorted_deep_page": f"{page}?sort={SORT_COLUMN}&after={info['sorted_token']}",
        "json_first_page": api,
        "json_deep_page": f"{api}&cursor={info['deep_token']}",
        "json_sorted_first_page": f"{api}&sort={SORT_COLUMN}",
        "json_sorted_deep_page": f"{api}&sort={SORT_COLUMN}&cursor={info['sorted_token']}",
        "jump_last_page": f"{page}?page={jumps['last']}",
        "jump_page_40000": f"{page}?page={jumps['page_40000']}",
        "jump_row_900001_page": f"{page}?page={jumps['row_900001']}",
        "jump_sorted_last_page": f"{page}?sort={SORT_COLUMN}&desc=1&page={jumps['last']}",
        "filtered_gt_first_page": f"{page}?{above}",
        "filtered_gt_last_page": f"{page}?{above}&page={_pages(info['rows_above'])}",
        "filtered_between_capped": f"{page}?op.tahun=between&f.tahun=2020&to.tahun=2021",
        "filtered_contains_capped": f"{page}?op.kategori_pmks=contains&f.kategori_pmks=anak",
        "json_filtered_gt": f"{api}&filters=" + urllib.parse.quote(
            json.dumps({SORT_COLUMN: {"gt": GT_VALUE}}), safe=""),
    }


JUMP_KINDS = ("jump_last_page", "jump_page_40000", "jump_row_900001_page", "jump_sorted_last_page")
FILTERED_KINDS = ("filtered_gt_first_page", "filtered_gt_last_page", "filtered_between_capped",
                  "filtered_contains_capped", "json_filtered_gt")


def row_range_text(session, url: str) -> str | None:
    """The "Baris 900.001–900.025 dari 1.000.000" a jumped page says."""
    _t, status, body = bc.timed_get(session, url)
    found = re.search(r'id="row-range">([^<]*)<', body.decode() if body else "")
    return html.unescape(found.group(1)).strip() if status == 200 and found else None


def jump_figures(ours: dict, info: dict, session, urls: dict[str, str]) -> dict:
    """The jumps and filtered pages beside the keyset pages of the same run."""
    def p50(kind):
        return ours[kind]["p50_ms"]

    keyset = max(p50("first_page"), p50("deep_page"))
    within = {kind: p50(kind) <= max(keyset * JUMP_SLACK, keyset + JUMP_SLACK_MS) for kind in JUMP_KINDS}
    return {
        "pages": jump_pages(info),
        "rows_above_gt": info["rows_above"],
        "row_range_text": row_range_text(session, urls["jump_row_900001_page"]),
        "keyset_p50_ms": {"first_page": p50("first_page"), "deep_page": p50("deep_page"),
                          "sorted_deep_page": p50("sorted_deep_page")},
        "p50_ratio_over_slower_keyset_page": {k: bc.ratio(p50(k), keyset) for k in JUMP_KINDS + FILTERED_KINDS},
        "jumps_within_keyset_speed": within,
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
        urls = portal_urls(base, info)
        ours = measure_pages(session, urls, args.requests)
        jumps = jump_figures(ours, info, session, urls)
        bc.log(f"  jump page says {jumps['row_range_text']!r}")
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
            "page_jumps": jumps,
            "datasette_version": version,
            "datasette_settings": DATASETTE_SETTINGS if theirs else None,
            "datasette": {"pages": theirs, "csv": theirs_csv} if theirs else None,
            "page_p50_ratio_datasette_over_portal": {
                k: bc.ratio(p(theirs, k), p(ours, k)) for k in ours if k in theirs} if theirs else None,
            "csv_rows_per_s": ours_csv["rows_per_s"],
            "datasette_csv_rows_per_s": theirs_csv["rows_per_s"] if theirs_csv else None,
            "csv_ratio": csv_ratio,
            "targets_met": {
                **page_targets,
                "page_jumps_within_keyset_speed": all(jumps["jumps_within_keyset_speed"].values()),
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
