"""Measure the personal-data scanner on 1M rows of a 6-column aggregate table.

Usage: python scripts/bench_privacy.py [rows]
Prints progress, then {"rows_per_s": ...} as the last line (JSON).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.ingest.privacy import PersonalDataScanner  # noqa: E402

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


def make_rows(n: int) -> list[list[str]]:
    """Build n CSV-like rows (all cells text, as the CSV reader passes them)."""
    rows = []
    for i in range(n):
        code, name = REGIONS[i % 10]
        rows.append([code, name, SERVICES[(i // 10) % 5], str((i * 7919) % 100_000),
                     "orang", str(2000 + (i // 50) % 25)])
    return rows


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rows = make_rows(n)
    scanner = PersonalDataScanner()
    started = time.perf_counter()
    scanner.start(COLUMNS)
    feed = scanner.feed
    for row in rows:
        feed(row)
    findings = scanner.findings()
    elapsed = time.perf_counter() - started
    print(f"rows={n} seconds={elapsed:.3f} findings={len(findings)}", file=sys.stderr)
    print(json.dumps({"rows": n, "seconds": round(elapsed, 3), "findings": len(findings),
                      "rows_per_s": round(n / elapsed)}))


if __name__ == "__main__":
    main()
