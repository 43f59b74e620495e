"""Benchmark the PostgreSQL DataStore: ingest against PostgreSQL's own COPY, and reading against
the SQLite engine, in one run.

    python scripts/bench_datastore.py --pg postgresql://portal@127.0.0.1:55432/portal_test
    python scripts/bench_datastore.py --rows 2000 --requests 3      # a quick look

The PostgreSQL server: --pg, else BENCH_DATABASE_URL or TEST_DATABASE_URL, else one started with
scripts/pg_throwaway (PG_THROWAWAY_PORT / PG_THROWAWAY_DIR). Everything is written in fresh
schemas of that database, dropped at the end.

1. Ingest: an N-row CSV (the ingest benchmark's 6-column table) through `resources.upload` in a
   child process on a PostgreSQL portal (types, privacy scan, typed table loaded with COPY, its
   indexes, summary, small-cell plans): rows/s until the review is ready, and peak RSS. The
   page keys the worker keeps after the commit come on top: how much later they are there, and
   the rate counting them too. The same file into SQLite table files
   (DATASTORE=sqlite, the metadata in PostgreSQL as well, so only the tables' engine differs), for
   the reading comparison (its rate is reported too).
2. PostgreSQL alone, on the same file: `COPY ... FROM STDIN (FORMAT csv)` into a typed table
   (text, bigint, double precision, an identity `_id`) followed by the same primary key and
   per-column indexes as ours; and a plain text COPY (every column text, no index: what CKAN's
   XLoader does).
3. Reading, on the PostgreSQL engine and on the SQLite engine: the resource page's first page, a
   deep keyset page (a token near the end) and the same sorted by the count column, p50 over
   --requests requests, and the full CSV download (rows/s), over HTTP from `portal serve` (what a
   reader gets: `http_*`), and in-process through the services the pages call (`services.tables`:
   the engine alone, without the page around it: `read_*`).

Targets: ingest >= 50% of the typed COPY's rows/s, peak RSS < 200 MB; PostgreSQL's pages and
download over HTTP no slower than 1.5x the SQLite engine's (the in-process ratios are reported
beside them). The figures are one JSON object on the last line.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402
from bench_ingest import HEADER, count_rows, generate  # noqa: E402

SORT_COLUMN = "jumlah_penerima"
TARGET_INGEST_RATIO = 0.5
TARGET_RSS_MB = 200
TARGET_READ_RATIO = 1.5
# The generated file's columns as PostgreSQL types (what the ingest infers: region code, text,
# year, count, decimal, text).
TYPED = ['text COLLATE "C"', 'text COLLATE "C"', "bigint", "bigint", "double precision", 'text COLLATE "C"']


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{_psycopg_url(url)}{sep}options=-csearch_path%3D{schema}"


def _app(work: Path, database_url: str, datastore: str = ""):
    from app import create_app
    from app.cli import _init_db

    for sub in ("instance", "datasets", "search_index"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    app = create_app({"DATABASE_URL": database_url, "DATASETS_DIR": str(work / "datasets"),
                      "SEARCH_INDEX_DIR": str(work / "search_index"), "INSTANCE_PATH": str(work / "instance"),
                      "QUARANTINE_DIR": str(work / "instance" / "quarantine"), "SECRET_KEY": "bench",
                      "MAX_CONTENT_LENGTH": 4000 * bc.MB, "DATASTORE": datastore})
    with app.app_context():
        _init_db()
    return app


# -- the child: one upload through the service ---------------------------------------------------

def child(file: Path, work: Path, database_url: str, datastore: str) -> None:
    from app.services import datasets, resources

    app = _app(work, database_url, datastore)
    with app.app_context():
        admin = bc.make_sysadmin()
        ds = datasets.create(admin, {"name": "bench-datastore", "title": "Bench datastore", "topics": ["pmks-ppks"]})
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        with open(file, "rb") as fh:
            result = resources.upload(admin, ds.id, fh, file.name, keep_blocked=False)
        elapsed = time.perf_counter() - start
        keys_after = _wait_for_page_keys(result.version.table_file)
        datasets.publish(admin, ds.id)
        print(json.dumps({"rows": result.version.row_count, "seconds": elapsed, "version_id": result.version.id,
                          "page_keys_after_seconds": keys_after,
                          "resource_id": result.resource.id,
                          "table_file": result.version.table_file, "status": result.version.privacy_status,
                          "maxrss_before_upload_mb": rss_before,
                          "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


def _wait_for_page_keys(table_file: str, timeout: float = 300) -> float | None:
    """Seconds until the worker has kept a PostgreSQL table's page keys after its commit (None for
    a SQLite file, which is written with them)."""
    from app.services import datastore

    if not datastore.in_database(table_file):
        return None
    start = time.perf_counter()
    while table_file in datastore.tables_without_page_keys():
        if time.perf_counter() - start > timeout:
            raise RuntimeError(f"no page keys for {table_file} after {timeout} s")
        time.sleep(0.05)
    return time.perf_counter() - start


def run_ingest(file: Path, work: Path, database_url: str, datastore: str = "") -> dict:
    cmd = [sys.executable, __file__, "--child", str(file), "--work", str(work), "--url", database_url,
           "--datastore", datastore]
    done, wall, peak = bc.run_measured(cmd)
    if done.returncode != 0:
        raise RuntimeError(f"ingest child failed ({done.returncode}):\n{done.stderr[-4000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["peak_rss_mb"] = max(peak, out["maxrss_mb"])
    return out


# -- PostgreSQL's own COPY -------------------------------------------------------------------------

def _copy_file(cur, sql: str, file: Path) -> None:
    with open(file, "rb") as fh, cur.copy(sql) as copy:
        while block := fh.read(1 << 20):
            copy.write(block)


def run_copies(url: str, schema: str, file: Path) -> dict:
    """The typed COPY with our indexes, and the plain text COPY; seconds each (one transaction each)."""
    import psycopg

    cols = [f"c{i}" for i in range(len(HEADER))]
    out = {}
    with psycopg.connect(_psycopg_url(url)) as con:
        con.execute(f'CREATE SCHEMA "{schema}"')
        con.commit()
        start = time.perf_counter()
        with con.transaction():
            con.execute(f'CREATE TABLE "{schema}".typed (_id bigint GENERATED ALWAYS AS IDENTITY, '
                        + ", ".join(f"{c} {t}" for c, t in zip(cols, TYPED)) + ")")
            _copy_file(con.cursor(), f'COPY "{schema}".typed ({", ".join(cols)}) FROM STDIN (FORMAT csv, HEADER true)',
                       file)
            con.execute(f'ALTER TABLE "{schema}".typed ADD PRIMARY KEY (_id)')
            for c in cols:
                con.execute(f'CREATE INDEX ON "{schema}".typed ({c} NULLS FIRST, _id)')
        out["typed_copy_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        with con.transaction():
            con.execute(f'CREATE TABLE "{schema}".plain (' + ", ".join(f"{c} text" for c in cols) + ")")
            _copy_file(con.cursor(), f'COPY "{schema}".plain FROM STDIN (FORMAT csv, HEADER true)', file)
        out["text_copy_seconds"] = time.perf_counter() - start
        con.execute(f'DROP SCHEMA "{schema}" CASCADE')
        con.commit()
    return out


# -- reading ---------------------------------------------------------------------------------------

def measure_reads(app, version_id: str, requests: int) -> dict:
    from app import db, tables
    from app.models import ResourceVersion, User
    from app.services import tables as table_service

    with app.app_context():
        admin = db.session().query(User).filter_by(role="sysadmin").first()
        version = db.session().get(ResourceVersion, version_id)
        with table_service.open_table(version, admin) as table:
            engine, n, ci = table.engine, table.row_count, table.col(SORT_COLUMN)
            d = table.db
            deep_at = max(0, n - 100)
            (deep_id,) = d.execute(f"SELECT _id FROM {d.data} ORDER BY _id LIMIT 1 OFFSET ?", (deep_at,)).fetchone()
            value, value_id = d.execute(f"SELECT c{ci}, _id FROM {d.data} ORDER BY c{ci}, _id LIMIT 1 OFFSET ?",
                                        (deep_at,)).fetchone()
        queries = {
            "first_page": tables.Query(limit=25),
            "deep_page": tables.Query(limit=25, after=tables.encode_token(deep_id, deep_id)),
            "sorted_deep_page": tables.Query(limit=25, sort=SORT_COLUMN, after=tables.encode_token(value, value_id)),
        }
        out: dict = {"engine": engine, "tokens": {"deep": queries["deep_page"].after,
                                                   "sorted": queries["sorted_deep_page"].after}}
        for name, query in queries.items():
            table_service.view(admin, version, query)  # warm-up
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                shown = table_service.view(admin, version, query)
                times.append(time.perf_counter() - start)
            assert len(shown.page.rows) == 25 or n < 200, (name, len(shown.page.rows))
            out[name] = bc.latency_stats(times)
        start = time.perf_counter()
        download = table_service.stream_rows(admin, version, tables.Query(), "csv", legend="x")
        size = lines = 0
        for chunk in download.stream:
            size += len(chunk)
            lines += chunk.count("\n")
        seconds = time.perf_counter() - start
        out["csv"] = {"seconds": round(seconds, 3), "rows": lines - 1, "mb": round(size / bc.MB, 1),
                      "rows_per_s": round((lines - 1) / seconds) if seconds else None}
    return out


def serve(work: Path, database_url: str, datastore: str = "") -> tuple[subprocess.Popen, str]:
    """`portal serve` (waitress) on a child's folders and database; (process, base URL)."""
    port = bc.free_port()
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "DATASETS_DIR": str(work / "datasets"),
                "SEARCH_INDEX_DIR": str(work / "search_index"), "PORTAL_INSTANCE_PATH": str(work / "instance"),
                "QUARANTINE_DIR": str(work / "instance" / "quarantine"), "SECRET_KEY": "bench",
                "DATASTORE": datastore, "PYTHONPATH": str(bc.ROOT) + os.pathsep + env.get("PYTHONPATH", "")})
    cmd = [sys.executable, "-c", "from app.cli import main; main()", "serve", "--host", "127.0.0.1",
           "--port", str(port)]
    out = open(work / "server.log", "ab")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=str(work), start_new_session=True)
    out.close()
    base = f"http://127.0.0.1:{port}"
    try:
        bc.wait_http(base + "/dataset?format=json&per_page=1", proc)
    except BaseException:
        bc.stop(proc)
        raise
    return proc, base


def measure_http(work: Path, database_url: str, ingest: dict, tokens: dict, requests: int,
                 datastore: str = "") -> dict:
    from urllib.parse import quote

    proc, base = serve(work, database_url, datastore)
    try:
        session = bc.http_session()
        page = f"{base}/dataset/bench-datastore/resource/{ingest['resource_id']}"
        urls = {"first_page": page, "deep_page": f"{page}?after={quote(tokens['deep'])}",
                "sorted_deep_page": f"{page}?sort={SORT_COLUMN}&after={quote(tokens['sorted'])}"}
        out: dict = {}
        for name, url in urls.items():
            bc.timed_get(session, url)  # warm-up
            times, statuses = [], set()
            for _ in range(requests):
                seconds, status, _body = bc.timed_get(session, url)
                times.append(seconds)
                statuses.add(status)
            out[name] = {**bc.latency_stats(times), "statuses": sorted(statuses)}
        seconds, status, lines, size = bc.stream_lines(session, f"{page}/download/bench-datastore.csv")
        out["csv"] = {"seconds": round(seconds, 3), "status": status, "rows": lines - 1, "mb": round(size / bc.MB, 1),
                      "rows_per_s": round((lines - 1) / seconds) if seconds else None}
        return out
    finally:
        bc.stop(proc)


def _start_throwaway() -> str:
    script = bc.ROOT / "scripts" / "pg_throwaway"
    done = subprocess.run([str(script), "start"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"no PostgreSQL server: give --pg URL ({done.stderr.strip()})")
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=30, help="calls per page kind (p50 over them)")
    ap.add_argument("--pg", help="PostgreSQL URL (default: BENCH_DATABASE_URL, TEST_DATABASE_URL, pg_throwaway)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--no-compare", action="store_true", help="skip PostgreSQL's own COPY (no ratios)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--datastore", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(Path(args.child), Path(args.work), args.url, args.datastore)
        return

    url = args.pg or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or _start_throwaway()
    if not url.startswith("postgres"):
        raise SystemExit(f"not a PostgreSQL URL: {url}")
    import psycopg

    tag = uuid.uuid4().hex[:8]
    portal_schema, lite_schema = f"bench_{tag}", f"bench_{tag}_lite"
    tmp = Path(tempfile.mkdtemp(prefix="bench-datastore-"))
    with psycopg.connect(_psycopg_url(url), autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{portal_schema}"')
        admin.execute(f'CREATE SCHEMA "{lite_schema}"')
        server = admin.execute("SHOW server_version").fetchone()[0]
    pg_url = _with_schema(url, portal_schema).replace("postgresql://", "postgresql+psycopg://", 1)
    # The SQLite engine's portal keeps its metadata in PostgreSQL too: only the tables' engine differs.
    lite_url = _with_schema(url, lite_schema).replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        file = tmp / f"pmks_{args.rows}.csv"
        bc.log(f"generating {args.rows:,} rows in {file}")
        generate(file, args.rows)
        lines = count_rows(file)
        bc.log("ingest on PostgreSQL through resources.upload")
        pg = run_ingest(file, tmp / "pg", pg_url)
        bc.log(f"portal on PostgreSQL: {pg['rows']:,} rows in {pg['seconds']:.2f} s, peak RSS {pg['peak_rss_mb']:.0f} MB")
        bc.log("ingest into SQLite table files (the reading comparison; metadata in PostgreSQL too)")
        lite = run_ingest(file, tmp / "sqlite", lite_url, "sqlite")
        bc.log("PostgreSQL's own COPY: typed with the same indexes, and plain text")
        copies = None if args.no_compare else run_copies(url, f"bench_{tag}_copy", file)
        bc.log("reading: pages and the CSV download on both engines")
        reads_pg = measure_reads(_app(tmp / "pg", pg_url), pg["version_id"], args.requests)
        reads_lite = measure_reads(_app(tmp / "sqlite", lite_url, "sqlite"), lite["version_id"], args.requests)
        bc.log("reading over HTTP: portal serve on each engine")
        http_pg = measure_http(tmp / "pg", pg_url, pg, reads_pg.pop("tokens"), args.requests)
        http_lite = measure_http(tmp / "sqlite", lite_url, lite, reads_lite.pop("tokens"), args.requests, "sqlite")
    finally:
        with psycopg.connect(_psycopg_url(url), autocommit=True) as admin:
            for schema in (portal_schema, f"{portal_schema}_datastore", lite_schema, f"bench_{tag}_copy"):
                admin.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        else:
            bc.log("kept", tmp)

    ingest_rate = pg["rows"] / pg["seconds"]
    typed_rate = lines / copies["typed_copy_seconds"] if copies else None
    text_rate = lines / copies["text_copy_seconds"] if copies else None
    read_ratios = {k: bc.ratio(reads_pg[k]["p50_ms"], reads_lite[k]["p50_ms"])
                   for k in ("first_page", "deep_page", "sorted_deep_page")}
    read_ratios["csv_seconds"] = bc.ratio(reads_pg["csv"]["seconds"], reads_lite["csv"]["seconds"])
    http_ratios = {k: bc.ratio(http_pg[k]["p50_ms"], http_lite[k]["p50_ms"])
                   for k in ("first_page", "deep_page", "sorted_deep_page")}
    http_ratios["csv_seconds"] = bc.ratio(http_pg["csv"]["seconds"], http_lite["csv"]["seconds"])
    http_ok = all(http[k]["statuses"] == [200] for http in (http_pg, http_lite)
                  for k in ("first_page", "deep_page", "sorted_deep_page"))
    http_ok = http_ok and http_pg["csv"]["rows"] == http_lite["csv"]["rows"] == pg["rows"]
    figures = {
        "rows": pg["rows"], "postgresql": server,
        "ingest_pg_seconds": round(pg["seconds"], 3), "ingest_pg_rows_per_s": round(ingest_rate),
        "ingest_pg_peak_rss_mb": round(pg["peak_rss_mb"], 1), "ingest_pg_table": pg["table_file"],
        # The page keys (page jumps' accelerator) are kept by the worker after the commit: how much later.
        "ingest_pg_page_keys_after_seconds": pg["page_keys_after_seconds"] and round(pg["page_keys_after_seconds"], 3),
        "ingest_pg_with_page_keys_rows_per_s": round(pg["rows"] / (pg["seconds"] + (pg["page_keys_after_seconds"] or 0))),
        "ingest_sqlite_seconds": round(lite["seconds"], 3), "ingest_sqlite_rows_per_s": round(lite["rows"] / lite["seconds"]),
        "typed_copy_seconds": copies and round(copies["typed_copy_seconds"], 3),
        "typed_copy_rows_per_s": typed_rate and round(typed_rate),
        "text_copy_seconds": copies and round(copies["text_copy_seconds"], 3),
        "text_copy_rows_per_s": text_rate and round(text_rate),
        "ingest_vs_typed_copy": bc.ratio(ingest_rate, typed_rate),
        "ingest_vs_text_copy": bc.ratio(ingest_rate, text_rate),
        "http_pg": http_pg, "http_sqlite": http_lite, "http_pg_vs_sqlite": http_ratios, "http_all_ok": http_ok,
        "read_pg": reads_pg, "read_sqlite": reads_lite, "read_pg_vs_sqlite": read_ratios,
        "targets_met": {
            "ingest_ge_50pct_typed_copy": None if typed_rate is None else ingest_rate >= TARGET_INGEST_RATIO * typed_rate,
            "peak_rss_lt_200mb": pg["peak_rss_mb"] < TARGET_RSS_MB,
            "http_reads_le_1_5x_sqlite": http_ok and all(r is not None and r <= TARGET_READ_RATIO
                                                         for r in http_ratios.values()),
            "in_process_reads_le_1_5x_sqlite": all(r is not None and r <= TARGET_READ_RATIO
                                                   for r in read_ratios.values()),
        },
    }
    bc.emit(figures)


if __name__ == "__main__":
    main()
