"""Benchmark the personal-data scanner: what it catches, what it wrongly stops, what it costs.

    python scripts/bench_privacy.py                # corpus, holdout, speed on 1,000,000 rows
    python scripts/bench_privacy.py --quick        # speed on 100,000 rows
    python scripts/bench_privacy.py --rows 250000

(a) Every file of the labelled corpus (tests/files/privacy/corpus/manifest.json) goes through the
    real reader with the scanner, `read_table(path, name, inspectors=[PersonalDataScanner()])`. A
    file is flagged when `scanner.findings()` is not empty (small cells are not findings); a file
    the reader refuses is not flagged (it is listed). Recall is over the "personal" files, the
    false-alarm rate over the "aggregate" ones, overall and per variant; misses and false alarms
    are listed on stderr.
(b) The same figures for a holdout corpus written by someone else, when
    tests/files/privacy/holdout/manifest.json exists (same manifest format).
(c) Speed, on a generated 6-column aggregate table of --rows rows: seconds per million rows of
    the scanner alone (fed in the reader's chunks), and the whole-process ingest ratio: the time of
    `read_table(..., inspectors=[PersonalDataScanner()], sink=TableWriter(...))` plus
    `writer.finish(...)` over the time of the same without the scanner, on the same CSV file in the
    same run (each timed --repeat times, alternating; the best of each is kept, as the machine's
    other work only ever adds time).

Progress goes to stderr; the figures are ONE JSON object on stdout's last line.

Targets: recall 1.0 on the person-level files and no false alarm on the aggregate files (corpus,
and holdout when present); ingest with the scanner at most 1.15x the ingest without it.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

from app.ingest import TableRefused, read_table  # noqa: E402
from app.ingest.privacy import PersonalDataScanner  # noqa: E402
from app.tables import TableWriter  # noqa: E402

CORPUS = bc.ROOT / "tests" / "files" / "privacy" / "corpus"
HOLDOUT = bc.ROOT / "tests" / "files" / "privacy" / "holdout"
TARGET_RECALL = 1.0
TARGET_FALSE_ALARMS = 0
TARGET_INGEST_RATIO = 1.15
CHUNK_ROWS = 4096  # what the reader hands the scanner at once (app.ingest.CHUNK_ROWS)

COLUMNS = [
    "kode_kabupaten_kota", "nama_kabupaten_kota", "jenis_layanan", "jumlah", "satuan", "tahun",
]
REGIONS = [
    ("52.01", "Kabupaten Lombok Barat"), ("52.02", "Kabupaten Lombok Tengah"),
    ("52.03", "Kabupaten Lombok Timur"), ("52.04", "Kabupaten Sumbawa"),
    ("52.05", "Kabupaten Dompu"), ("52.06", "Kabupaten Bima"),
    ("52.07", "Kabupaten Sumbawa Barat"), ("52.08", "Kabupaten Lombok Utara"),
    ("52.71", "Kota Mataram"), ("52.72", "Kota Bima"),
]
SERVICES = ["Anak", "Lanjut Usia", "Penyandang Disabilitas", "Korban NAPZA", "Fakir Miskin"]


def make_rows(start: int, n: int) -> list[list[str]]:
    """Rows start..start+n of the aggregate table (all cells text, as the CSV reader passes them)."""
    rows = []
    for i in range(start, start + n):
        code, name = REGIONS[i % 10]
        rows.append([code, name, SERVICES[(i // 10) % 5], str((i * 7919) % 100_000),
                     "orang", str(2000 + (i // 50) % 25)])
    return rows


# -- (a), (b): the labelled corpora --------------------------------------------------------------

def is_small_cell(finding: Any) -> bool:
    """Small counts are disclosure control, not personal data: they never flag a file here."""
    return "small" in finding.kind or "small_cell" in finding.reason.code


def scan_file(path: Path) -> tuple[list[Any] | None, str | None]:
    """(findings, None) from the real reader and scanner, or (None, why) when the file is refused."""
    scanner = PersonalDataScanner()
    try:
        read_table(path, path.name, inspectors=[scanner])
    except TableRefused as refused:
        return None, refused.note.code
    return [f for f in scanner.findings() if not is_small_cell(f)], None


def describe(findings: list[Any]) -> str:
    return "; ".join(f"{f.column!r}: {f.kind} ({f.reason.code})" for f in findings[:4]) + (
        f"; +{len(findings) - 4} more" if len(findings) > 4 else "")


def measure_corpus(folder: Path, title: str) -> dict[str, Any]:
    """Recall and false alarms of the scanner over one labelled corpus."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    per_variant: dict[str, dict[str, Any]] = {}
    totals = {"personal": 0, "aggregate": 0, "caught": 0, "false_alarms": 0, "refused": 0}
    misses: list[str] = []
    alarms: list[str] = []
    started = time.perf_counter()
    for entry in manifest:
        label = entry["label"]
        if label not in ("personal", "aggregate"):
            raise SystemExit(f"{title}: {entry['file']} has label {label!r}")
        findings, refused = scan_file(folder / entry["file"])
        flagged = bool(findings)
        v = per_variant.setdefault(entry["variant"], {"label": label, "files": 0, "flagged": 0})
        v["files"] += 1
        v["flagged"] += flagged
        totals[label] += 1
        if refused:
            totals["refused"] += 1
            bc.log(f"{title}: REFUSED to read {entry['file']} ({label}): {refused}")
        if label == "personal":
            totals["caught"] += flagged
            if not flagged:
                misses.append(f"{entry['variant']}: {entry['file']}" + (f" (refused: {refused})" if refused else ""))
        elif flagged:
            totals["false_alarms"] += 1
            alarms.append(f"{entry['variant']}: {entry['file']}: {describe(findings)}")
    for v in per_variant.values():
        key = "recall" if v["label"] == "personal" else "false_alarm_rate"
        v[key] = round(v["flagged"] / v["files"], 3)
    personal, aggregate = totals["personal"], totals["aggregate"]
    recall = round(totals["caught"] / personal, 3) if personal else None
    far = round(totals["false_alarms"] / aggregate, 3) if aggregate else None
    bc.log(f"{title}: {len(manifest)} files in {time.perf_counter() - started:.1f} s; "
           f"recall {totals['caught']}/{personal}, false alarms {totals['false_alarms']}/{aggregate}")
    for name, v in sorted(per_variant.items(), key=lambda kv: (kv[1]["label"], kv[0])):
        bc.log(f"  {v['label']:9s} {name:28s} flagged {v['flagged']:2d}/{v['files']:2d}")
    for line in misses:
        print(f"[{title}] missed: {line}", file=sys.stderr)
    for line in alarms:
        print(f"[{title}] false alarm: {line}", file=sys.stderr)
    return {
        "personal": personal, "aggregate": aggregate, "recall": recall, "false_alarm_rate": far,
        "missed": personal - totals["caught"], "false_alarms": totals["false_alarms"],
        "refused": totals["refused"], "per_variant": dict(sorted(per_variant.items())),
    }


# -- (c): speed ---------------------------------------------------------------------------------

def scanner_seconds(rows: int) -> tuple[float, int]:
    """Seconds the scanner alone spends on `rows` rows, fed in the reader's chunks with their columns."""
    scanner = PersonalDataScanner()
    spent = 0.0
    t0 = time.perf_counter()
    scanner.start(COLUMNS)
    spent += time.perf_counter() - t0
    done = 0
    while done < rows:
        chunk = make_rows(done, min(CHUNK_ROWS, rows - done))
        cols = list(zip(*chunk))  # the reader has the columns already (for type inference)
        t0 = time.perf_counter()
        scanner.feed_many(chunk, cols)
        spent += time.perf_counter() - t0
        done += len(chunk)
    t0 = time.perf_counter()
    findings = scanner.findings()
    spent += time.perf_counter() - t0
    return spent, len(findings)


def write_csv(path: Path, rows: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        done = 0
        while done < rows:
            chunk = make_rows(done, min(50_000, rows - done))
            writer.writerows(chunk)
            done += len(chunk)


def ingest_seconds(csv_path: Path, table_path: Path, with_scanner: bool) -> tuple[float, int]:
    """Time one whole ingest as the upload service does it: read + typed table + finish."""
    table_path.unlink(missing_ok=True)
    inspectors = [PersonalDataScanner()] if with_scanner else []
    started = time.perf_counter()
    with TableWriter(table_path) as writer:
        parsed = read_table(csv_path, csv_path.name, inspectors=inspectors, sink=writer)
        columns = [c.as_dict() for c in parsed.columns]
        writer.finish(columns, small_cell_threshold=5)
    elapsed = time.perf_counter() - started
    findings = len(inspectors[0].findings()) if with_scanner else 0
    return elapsed, findings


def measure_speed(rows: int, repeat: int) -> dict[str, Any]:
    bc.log(f"speed: scanner alone on {rows:,} rows")
    alone, findings = scanner_seconds(rows)
    if findings:
        bc.log(f"speed: the generated aggregate table has {findings} finding(s) (a false alarm)")
    per_million = alone * 1_000_000 / rows
    bc.log(f"speed: scanner {alone:.2f} s = {per_million:.2f} s per million rows")
    with tempfile.TemporaryDirectory(prefix="bench-privacy-") as tmp:
        work = Path(tmp)
        csv_path = work / "agregat.csv"
        write_csv(csv_path, rows)
        bc.log(f"speed: ingest of {csv_path.stat().st_size / bc.MB:.1f} MB CSV, with and without the scanner "
               f"({repeat}x each, alternating)")
        times: dict[bool, list[float]] = {True: [], False: []}
        for i in range(repeat):
            for with_scanner in ((False, True) if i % 2 == 0 else (True, False)):
                elapsed, found = ingest_seconds(csv_path, work / "table.sqlite", with_scanner)
                times[with_scanner].append(elapsed)
                bc.log(f"  ingest {'with' if with_scanner else 'without'} scanner: {elapsed:.2f} s"
                       + (f" ({found} finding(s))" if found else ""))
    best_with, best_without = min(times[True]), min(times[False])
    return {
        "rows": rows,
        "scanner_seconds": round(alone, 3),
        "scanner_s_per_million_rows": round(per_million, 3),
        "scanner_findings_on_aggregate": findings,
        "ingest_s_with_scanner": round(best_with, 3),
        "ingest_s_without_scanner": round(best_without, 3),
        "ingest_runs_s": {"with_scanner": [round(t, 3) for t in times[True]],
                          "without_scanner": [round(t, 3) for t in times[False]]},
        "ingest_ratio_with_scanner": bc.ratio(best_with, best_without, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated table (default 1,000,000)")
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    parser.add_argument("--repeat", type=int, default=None,
                        help="ingest runs per setting, the best kept (default 3; 5 with --quick)")
    args = parser.parse_args()
    rows = 100_000 if args.quick else args.rows

    corpus = measure_corpus(CORPUS, "corpus")
    holdout = measure_corpus(HOLDOUT, "holdout") if (HOLDOUT / "manifest.json").exists() else None
    if holdout is None:
        bc.log("holdout: none (tests/files/privacy/holdout/manifest.json does not exist)")
    repeat = args.repeat if args.repeat is not None else (5 if args.quick else 3)
    speed = measure_speed(rows, max(1, repeat))

    def corpus_met(c: dict[str, Any] | None) -> bool:
        return c is None or (c["recall"] is not None and c["recall"] >= TARGET_RECALL
                             and c["false_alarms"] <= TARGET_FALSE_ALARMS)

    ratio = speed["ingest_ratio_with_scanner"]
    bc.emit({
        "corpus": corpus,
        "holdout": holdout,
        "rows": rows,
        "scanner_s_per_million_rows": speed["scanner_s_per_million_rows"],
        "ingest_ratio_with_scanner": ratio,
        "speed": speed,
        "targets": {"recall": TARGET_RECALL, "false_alarms": TARGET_FALSE_ALARMS, "ingest_ratio_max": TARGET_INGEST_RATIO},
        "targets_met": bool(corpus_met(corpus) and corpus_met(holdout) and ratio is not None
                            and ratio <= TARGET_INGEST_RATIO),
    })


if __name__ == "__main__":
    main()
