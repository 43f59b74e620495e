"""Benchmark ingest: rows/s and peak memory of an upload through the real service.

    python scripts/bench_ingest.py FILE.csv
    python scripts/bench_ingest.py --generate 1000000      # a realistic 6-column CSV in a temp dir
    python scripts/bench_ingest.py --generate 2000 --no-compare

The upload runs in a child process (so its peak RSS is its own): create_app() on temporary
folders, a sysadmin, a draft dataset, then `resources.upload` (type inference, privacy
scan, typed table with indexes, summary, small-cell plans, index update). Where
sqlite-utils is installed, `sqlite-utils insert db t FILE --csv` with type detection is
timed on the same file. The figures are one JSON object on the last line.

Targets: ours >= 4x sqlite-utils rows/s and >= 50,000 rows/s, peak RSS < 200 MB.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

TARGET_RATIO = 4.0
TARGET_ROWS_PER_S = 50_000
TARGET_RSS_MB = 200

# Kabupaten/kota of Nusa Tenggara Barat with their BPS codes.
REGIONS = [
    ("52.01", "Lombok Barat"), ("52.02", "Lombok Tengah"), ("52.03", "Lombok Timur"),
    ("52.04", "Sumbawa"), ("52.05", "Dompu"), ("52.06", "Bima"), ("52.07", "Sumbawa Barat"),
    ("52.08", "Lombok Utara"), ("52.71", "Kota Mataram"), ("52.72", "Kota Bima"),
]
CATEGORIES = [
    "Anak Terlantar", "Anak Jalanan", "Lanjut Usia Terlantar", "Penyandang Disabilitas Fisik",
    "Penyandang Disabilitas Mental", "Fakir Miskin", "Keluarga Rentan", "Korban Bencana Alam",
    "Korban Bencana Sosial", "Perempuan Rawan Sosial Ekonomi", "Pekerja Migran Bermasalah Sosial",
    "Komunitas Adat Terpencil", "Gelandangan", "Pengemis", "Pemulung", "Tuna Susila",
]
HEADER = ["kode_wilayah", "kabupaten_kota", "tahun", "jumlah_penerima", "persentase", "kategori_pmks"]


def generate(path: Path, rows: int, seed: int = 52) -> None:
    """Write a realistic N-row CSV: region code, kabupaten, year, count (>= 5), decimal, category."""
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        batch = []
        for _ in range(rows):
            code, name = REGIONS[rng.randrange(len(REGIONS))]
            batch.append((code, name, rng.randint(2015, 2025), rng.randint(5, 25_000),
                          f"{rng.uniform(0, 100):.2f}", CATEGORIES[rng.randrange(len(CATEGORIES))]))
            if len(batch) >= 10_000:
                w.writerows(batch)
                batch.clear()
        w.writerows(batch)


def count_rows(path: Path) -> int:
    with open(path, "rb") as fh:
        return max(0, sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b"")) - 1)


# -- the child: one upload through the service ---------------------------------------------------

def child(file: Path, work: Path, profile: Path | None) -> None:
    app = bc.make_app(work)
    with app.app_context():
        from app.services import datasets, resources

        admin = bc.make_sysadmin()
        ds = datasets.create(admin, {"name": "bench-ingest", "title": "Bench ingest", "topics": ["pmks-ppks"]})
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.005)
            profiler.start()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        with open(file, "rb") as fh:
            result = resources.upload(admin, ds.id, fh, file.name, keep_blocked=True)
        elapsed = time.perf_counter() - start
        if profiler is not None:
            profiler.stop()
            profile.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
        review = result.as_review()
    print(json.dumps({
        "rows": review["rows"],
        "seconds": elapsed,
        "status": review["status"],
        "columns": review["columns"],
        "findings": len(review["findings"]),
        "maxrss_before_upload_mb": rss_before,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux: KB
    }), flush=True)


def run_portal(file: Path, work: Path, profile: Path | None) -> dict:
    cmd = [sys.executable, __file__, "--child", str(file), "--work", str(work)]
    if profile:
        cmd += ["--profile", str(profile)]
    done, wall, polled_peak = bc.run_measured(cmd)
    if done.returncode != 0:
        raise RuntimeError(f"ingest child failed ({done.returncode}):\n{done.stderr[-4000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["polled_peak_rss_mb"] = polled_peak
    out["wall_seconds"] = wall
    return out


def sqlite_utils_cmd(exe: str, db: Path, file: Path) -> list[str]:
    """`insert --csv` with type detection: a flag before 4.0, the default since."""
    help_text = subprocess.run([exe, "insert", "--help"], capture_output=True, text=True).stdout
    cmd = [exe, "insert", str(db), "t", str(file), "--csv"]
    if "--detect-types" in help_text.replace("--no-detect-types", ""):
        cmd.append("--detect-types")
    return cmd


def run_sqlite_utils(file: Path, work: Path) -> dict | None:
    exe = bc.tool("sqlite-utils")
    if exe is None:
        bc.log("sqlite-utils not installed: no comparison")
        return None
    db = work / "sqlite-utils.db"
    cmd = sqlite_utils_cmd(exe, db, file)
    bc.log("running", " ".join(cmd[1:]))
    done, wall, peak = bc.run_measured(cmd, stdout=subprocess.DEVNULL)
    if done.returncode != 0:
        bc.log("sqlite-utils failed:", done.stderr[-2000:])
        return None
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    return {"seconds": wall, "peak_rss_mb": peak, "version": version, "command": " ".join(cmd[1:])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", help="CSV file to ingest (default: generate one)")
    ap.add_argument("--generate", type=int, metavar="N", help="generate an N-row CSV (default 1,000,000)")
    ap.add_argument("--no-compare", action="store_true", help="skip sqlite-utils")
    ap.add_argument("--profile", metavar="OUT.txt", help="write a pyinstrument profile of the upload")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        child(Path(args.child), Path(args.work), Path(args.profile) if args.profile else None)
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        if args.file:
            file = Path(args.file).resolve()
        else:
            n = args.generate or 1_000_000
            file = tmp / f"pmks_{n}.csv"
            bc.log(f"generating {n:,} rows in {file}")
            generate(file, n)
        size_mb = file.stat().st_size / bc.MB
        lines = count_rows(file)
        bc.log(f"ingesting {file.name} ({size_mb:.1f} MB, ~{lines:,} rows) through resources.upload")
        ours = run_portal(file, tmp / "portal", Path(args.profile).resolve() if args.profile else None)
        rows = ours["rows"]
        portal_rate = rows / ours["seconds"] if ours["seconds"] else None
        peak = max(ours["maxrss_mb"], ours["polled_peak_rss_mb"])
        bc.log(f"portal: {rows:,} rows in {ours['seconds']:.2f} s = {portal_rate:,.0f} rows/s, peak RSS {peak:.0f} MB")

        su = None if args.no_compare else run_sqlite_utils(file, tmp)
        su_rate = lines / su["seconds"] if su else None
        if su:
            bc.log(f"sqlite-utils: {su['seconds']:.2f} s = {su_rate:,.0f} rows/s, peak RSS {su['peak_rss_mb']:.0f} MB")
        r = bc.ratio(portal_rate, su_rate)
        figures = {
            "rows": rows,
            "file": str(file) if args.file else file.name,
            "file_mb": round(size_mb, 1),
            "status": ours["status"],
            "columns": ours["columns"],
            "portal_seconds": round(ours["seconds"], 3),
            "portal_rows_per_s": round(portal_rate) if portal_rate else None,
            "portal_peak_rss_mb": round(peak, 1),
            "portal_peak_rss_ru_maxrss_mb": round(ours["maxrss_mb"], 1),
            "portal_rss_before_upload_mb": round(ours["maxrss_before_upload_mb"], 1),
            "portal_child_wall_seconds": round(ours["wall_seconds"], 2),
            "sqlite_utils_version": su["version"] if su else None,
            "sqlite_utils_seconds": round(su["seconds"], 3) if su else None,
            "sqlite_utils_rows_per_s": round(su_rate) if su_rate else None,
            "sqlite_utils_peak_rss_mb": round(su["peak_rss_mb"], 1) if su else None,
            "ratio": r,
            "targets_met": {
                "ratio_ge_4x_sqlite_utils": None if r is None else r >= TARGET_RATIO,
                "rows_per_s_ge_50k": bool(portal_rate and portal_rate >= TARGET_ROWS_PER_S),
                "peak_rss_lt_200mb": peak < TARGET_RSS_MB,
            },
        }
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
        else:
            bc.log("kept", tmp)
    bc.emit(figures)


if __name__ == "__main__":
    main()
