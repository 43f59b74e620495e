"""Benchmark faceted dataset search over HTTP at several catalog sizes, against Datasette.

    python scripts/bench_search.py                          # sizes 1000,10000,100000
    python scripts/bench_search.py --sizes 200 --queries 20 --no-compare

For each size N: N synthetic published datasets with realistic metadata (a Zipf-skewed
vocabulary of Indonesian social-affairs words, so a few words match most datasets; the
catalog's topics and organizations; year ranges 2015-2025; tags, levels, CSV/XLSX
resources) are bulk-inserted with SQLAlchemy into a temporary database (not through the
per-dataset services: too slow at 100,000), and the index is built with
`app.services.search.rebuild()` (timed). `portal serve` then answers --queries requests
`/dataset?q=<word>&topic=<t>&year=<y>&format=json&per_page=20` (text + topic + year, all
facet counts, 20 results) with a mix of common, middling and rare words; reported:
p50/p95/max latency, timeouts (30 s per request), errors, peak server RSS while answering,
and the bench process's own peak RSS while `rebuild()` builds the index (before -> peak).

Where datasette is installed, the same documents go into a SQLite table with an FTS5 index
served by `datasette serve -i`, queried with the same words and filters:
`/bench/datasets.json?_search=<w>&topics__arraycontains=<t>&years__arraycontains=<y>
&_facet_array=topics&_facet_array=years&_size=20`. Datasette's default time limits
(facet_time_limit_ms=200, sql_time_limit_ms=1000) silently drop slow facets and counts; both
are raised to 60 s so it does the same work as the portal, and a response with a non-empty
`facets_timed_out` (or no row count) is counted as an error, not as a fast answer.

Targets: p95 <= 50 ms at 10,000 and <= 250 ms at 100,000 datasets, zero hangs, and (when
Datasette ran) Datasette's p95 / the portal's p95 >= 4 ("about 4x faster").
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

TIMEOUT_S = 30.0
TARGET_P95_MS = {10_000: 50.0, 100_000: 250.0}
TARGET_RATIO = 4.0  # "about 4x faster than Datasette", on p95
DATASETTE_TIME_LIMIT_MS = 60_000  # like-for-like: no silently dropped facets or counts
DATASETTE_SETTINGS = {
    "suggest_facets": "off",
    "default_page_size": "20",
    "facet_time_limit_ms": str(DATASETTE_TIME_LIMIT_MS),
    "sql_time_limit_ms": str(DATASETTE_TIME_LIMIT_MS),
}

# Ranked roughly by how often they appear in the office's dataset metadata: the head of a
# Zipf distribution, so "sosial" or "bantuan" match most datasets and the tail matches few.
WORDS = """
sosial data bantuan jumlah penerima kabupaten kota keluarga program anak provinsi penyandang
miskin lansia disabilitas bencana rehabilitasi lembaga kesejahteraan pemberdayaan perlindungan
jaminan pelayanan masyarakat korban terlantar pekerja relawan panti pendamping desa kecamatan
rumah tangga perempuan rawan ekonomi komunitas adat terpencil gelandangan pengemis pemulung napza
odha pkh bpnt kpm lks psks pmks pegawai kinerja anggaran realisasi kegiatan usulan verifikasi
validasi dtks sembako pangan beras tunai iuran pbi kesehatan pendidikan beasiswa yatim piatu
balita remaja pemuda karang taruna organisasi lanjut usia difabel netra rungu wicara daksa
grahita mental fisik psikososial trauma pengungsi banjir gempa longsor kebakaran kekeringan
angin puting beliung evakuasi logistik dapur umum shelter posko siaga mitigasi kerentanan
stunting gizi sanitasi bersih jamban listrik hunian layak huni bedah pelatihan keterampilan
usaha produktif kube modal koperasi penyuluh migran deportan trafficking perdagangan kekerasan
pelecehan hukum berhadapan klien residen asrama pengasuhan adopsi wali jompo santunan kematian
duka pemakaman pahlawan perintis kemerdekaan veteran nilai kejuangan restorasi makam taman
bakti sosial donasi sumbangan undian pengumpulan uang barang izin rekomendasi akreditasi
sertifikasi standar mutu survei sensus pendataan pemutakhiran graduasi mandiri sejahtera
""".split()
KABUPATEN = ["Lombok Barat", "Lombok Tengah", "Lombok Timur", "Sumbawa", "Dompu", "Bima",
             "Sumbawa Barat", "Lombok Utara", "Kota Mataram", "Kota Bima"]
SYLLABLES = ["ba", "ka", "la", "ma", "na", "ra", "sa", "ta", "di", "ri", "ku", "lu", "po", "se", "nga", "wi",
             "jo", "be", "gu", "mpu"]
FORMATS = ["CSV", "XLSX"]
COLUMN_NAMES = ["kode_wilayah", "kabupaten_kota", "kecamatan", "desa", "tahun", "jumlah", "laki_laki",
                "perempuan", "persentase", "kategori", "jenis_bantuan", "sumber_dana", "keterangan"]


def vocabulary(rng: random.Random, tail: int = 4000) -> list[str]:
    """Real words first (the Zipf head), then made-up place-like words (the rare tail)."""
    seen = set(WORDS)
    extra = []
    while len(extra) < tail:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))
        if w not in seen:
            seen.add(w)
            extra.append(w)
    return list(dict.fromkeys(WORDS)) + extra


def zipf(rng: random.Random, vocab: list[str], s: float = 1.05):
    cum, total = [], 0.0
    for rank in range(len(vocab)):
        total += 1.0 / (rank + 1) ** s
        cum.append(total)

    def sample(k: int) -> list[str]:
        return rng.choices(vocab, cum_weights=cum, k=k)

    return sample


def make_docs(n: int, seed: int = 2024):
    """N dataset descriptions (plain dicts), plus the vocabulary they were drawn from."""
    rng = random.Random(seed + n)
    vocab = vocabulary(rng)
    sample = zipf(rng, vocab)
    from app.schemas import catalog

    cat = catalog()
    topics = [t["name"] for t in cat["topics"]]
    orgs = [o["name"] for o in cat["organizations"]]
    levels = list(cat["levels"])
    base = datetime(2021, 1, 1)
    docs = []
    for i in range(n):
        first = rng.randint(2015, 2025)
        years = list(range(first, min(2025, first + rng.randint(0, 5)) + 1))
        words = sample(rng.randint(3, 7))
        title = (" ".join(words).capitalize() + " " + rng.choice(KABUPATEN))[:290]
        docs.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "name": f"data-{i:06d}-{'-'.join(words[:3])}"[:95],
            "title": title,
            "notes": " ".join(sample(rng.randint(15, 50))).capitalize() + ".",
            "definition": " ".join(sample(rng.randint(0, 15))),
            "measure": rng.choice(["jumlah", "persentase", "rasio", "indeks"]),
            "unit": rng.choice(["orang", "jiwa", "keluarga", "lembaga", "persen", "rupiah"]),
            "organization": rng.choice(orgs),
            "topics": rng.sample(topics, rng.choice([1, 1, 1, 2])),
            "tags": sorted(set(rng.sample(vocab[:120], rng.randint(1, 4)))),
            "years": years,
            "level": rng.choice(levels),
            "formats": rng.sample(FORMATS, rng.randint(1, 2)),
            "columns": rng.sample(COLUMN_NAMES, rng.randint(4, 8)),
            "modified": base + timedelta(minutes=rng.randint(0, 2_500_000)),
            "downloads": int(rng.paretovariate(1.3) * 5),
        })
    return docs, vocab


def insert_docs(docs: list[dict]) -> None:
    """Bulk-insert published datasets with their topics, tags, resources and versions."""
    from sqlalchemy import insert, select

    from app import db
    from app.models import (Dataset, Organization, Resource, ResourceVersion, Tag, Topic, dataset_tags,
                            dataset_topics)

    s = db.session()
    org_ids = dict(s.execute(select(Organization.name, Organization.id)).all())
    topic_ids = dict(s.execute(select(Topic.name, Topic.id)).all())
    tag_ids = {name: str(uuid.uuid4()) for name in sorted({t for d in docs for t in d["tags"]})}
    s.execute(insert(Tag), [{"id": i, "name": name} for name, i in tag_ids.items()])
    chunk = 5000
    for start in range(0, len(docs), chunk):
        part = docs[start:start + chunk]
        s.execute(insert(Dataset), [{
            "id": d["id"], "name": d["name"], "title": d["title"], "notes": d["notes"],
            "organization_id": org_ids[d["organization"]], "years": d["years"], "unit": d["unit"],
            "measure": d["measure"], "frequency": "tahunan", "level": d["level"], "coverage": "Provinsi NTB",
            "definition": d["definition"], "method": "", "source": "Dinas Sosial Provinsi NTB",
            "license_id": "CC-BY-4.0", "contact_name": "", "contact_email": "", "state": "published",
            "private": False, "suppress_small_cells": False, "downloads": d["downloads"],
            "created": d["modified"], "modified": d["modified"], "published": d["modified"],
        } for d in part])
        s.execute(insert(dataset_topics), [{"dataset_id": d["id"], "topic_id": topic_ids[t]}
                                           for d in part for t in d["topics"]])
        s.execute(insert(dataset_tags), [{"dataset_id": d["id"], "tag_id": tag_ids[t]}
                                         for d in part for t in d["tags"]])
        res, ver = [], []
        for d in part:
            for pos, fmt in enumerate(d["formats"]):
                rid = str(uuid.uuid4())
                res.append({"id": rid, "dataset_id": d["id"], "name": f"{d['title'][:80]} ({fmt})", "description": "",
                            "position": pos, "created": d["modified"], "modified": d["modified"]})
                ver.append({"id": str(uuid.uuid4()), "resource_id": rid, "number": 1,
                            "filename": f"{d['name'][:60]}.{fmt.lower()}", "format": fmt, "sha256": "0" * 64,
                            "size": 1000, "row_count": 10,
                            "columns": [{"name": c, "type": "text"} for c in d["columns"]],
                            "review": {}, "options": {}, "summary": {}, "findings": [], "small_cells": {},
                            "privacy_status": "ok", "original_public": True, "created": d["modified"]})
        s.execute(insert(Resource), res)
        s.execute(insert(ResourceVersion), ver)
    s.commit()


def make_queries(rng: random.Random, vocab: list[str], docs: list[dict], count: int) -> list[dict]:
    """Common (top 15), middling (rank 30-200) and rare (tail) words, with topic and year filters."""
    from app.schemas import catalog

    topics = [t["name"] for t in catalog()["topics"]]
    head, middle, tail = vocab[:15], vocab[30:200], vocab[len(WORDS):]
    out = []
    for i in range(count):
        kind = rng.choices(["common", "middle", "rare", "two"], weights=[40, 25, 20, 15])[0]
        if kind == "common":
            q = rng.choice(head)
        elif kind == "middle":
            q = rng.choice(middle)
        elif kind == "rare":
            q = rng.choice(tail)
        else:
            q = f"{rng.choice(head)} {rng.choice(middle)}"
        out.append({"kind": kind, "q": q, "topic": rng.choice(topics), "year": rng.randint(2015, 2025)})
    return out


def run_queries(base: str, urls: list[str], pid: int) -> dict:
    """Time every URL; a timeout is a hang, a non-200, unparsable or incomplete answer an error.

    Incomplete (Datasette): a facet listed in `facets_timed_out`, or no row count because the
    count query was interrupted; the portal always returns both, so those are not comparable.
    """
    session = bc.http_session()
    for url in urls[:3]:  # warm-up: the first search of a generation decodes the facet arrays
        bc.timed_get(session, url, timeout=TIMEOUT_S)
    times, timeouts, errors, facets_timed_out, counts = [], 0, 0, 0, []
    with bc.RssSampler(pid, interval=0.05) as sampler:
        for url in urls:
            t, status, body = bc.timed_get(session, url, timeout=TIMEOUT_S)
            times.append(t)
            if status == 0:
                timeouts += 1
                session = bc.http_session()
            elif status != 200:
                errors += 1
            else:
                try:
                    data = json.loads(body)
                except ValueError:
                    errors += 1
                    continue
                count = data.get("count", data.get("filtered_table_rows_count"))
                if data.get("facets_timed_out"):
                    facets_timed_out += 1
                    errors += 1
                elif not isinstance(count, int):
                    errors += 1
                else:
                    counts.append(count)
    return {**bc.latency_stats(times), "timeouts": timeouts, "errors": errors,
            "facets_timed_out": facets_timed_out, "peak_rss_mb": round(sampler.peak, 1),
            "median_count": sorted(counts)[len(counts) // 2] if counts else None}


def portal_urls(base: str, queries: list[dict]) -> list[str]:
    return [f"{base}/dataset?" + urllib.parse.urlencode({"q": q["q"], "topic": q["topic"], "year": q["year"],
                                                          "format": "json", "per_page": 20}) for q in queries]


def datasette_urls(base: str, queries: list[dict]) -> list[str]:
    return [f"{base}/bench/datasets.json?" + urllib.parse.urlencode([
        ("_search", q["q"]), ("topics__arraycontains", q["topic"]), ("years__arraycontains", str(q["year"])),
        ("_facet_array", "topics"), ("_facet_array", "years"), ("_size", "20")]) for q in queries]


def build_datasette_db(path: Path, docs: list[dict]) -> None:
    """The same documents in one table with an FTS5 index laid out as sqlite-utils enable-fts does."""
    con = sqlite3.connect(path)
    try:
        con.execute("""CREATE TABLE datasets (id TEXT PRIMARY KEY, name TEXT, title TEXT, description TEXT,
            notes TEXT, tags TEXT, topics TEXT, organization TEXT, formats TEXT, years TEXT, level TEXT,
            columns TEXT, modified TEXT, downloads INTEGER)""")
        con.executemany("INSERT INTO datasets VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [(
            d["id"], d["name"], d["title"], d["notes"],
            " ".join(x for x in (d["definition"], d["measure"], d["unit"]) if x),
            json.dumps(d["tags"]), json.dumps(d["topics"]), d["organization"], json.dumps(d["formats"]),
            json.dumps([str(y) for y in d["years"]]),  # strings: arraycontains compares text
            d["level"], json.dumps(d["columns"]), d["modified"].isoformat(), d["downloads"]) for d in docs])
        fts_cols = ["name", "title", "description", "notes", "tags", "topics", "organization", "columns"]
        con.execute(f"CREATE VIRTUAL TABLE [datasets_fts] USING FTS5 ({', '.join(f'[{c}]' for c in fts_cols)}, "
                    "content=[datasets])")
        con.execute(f"INSERT INTO datasets_fts (rowid, {', '.join(fts_cols)}) "
                    f"SELECT rowid, {', '.join(fts_cols)} FROM datasets")
        con.commit()
    finally:
        con.close()


def bench_size(n: int, queries_per_size: int, compare: bool, tmp: Path) -> dict:
    work = tmp / f"n{n}"
    work.mkdir()
    bc.log(f"--- {n:,} datasets")
    t0 = time.perf_counter()
    docs, vocab = make_docs(n)
    app = bc.make_app(work / "portal")
    with app.app_context():
        insert_docs(docs)
        insert_s = time.perf_counter() - t0
        bc.log(f"generated and inserted in {insert_s:.1f} s; rebuilding the index")
        from app.services import search

        build_rss_before = bc.rss_mb(os.getpid())
        t0 = time.perf_counter()
        with bc.RssSampler(os.getpid(), interval=0.05) as build_rss:
            indexed = search.rebuild()
        build_s = time.perf_counter() - t0
    build_peak = max(build_rss.peak, build_rss_before or 0)
    ru_maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KB; whole life so far
    bc.log(f"indexed {indexed:,} in {build_s:.1f} s; bench RSS {build_rss_before:.0f} -> peak {build_peak:.0f} MB")
    rng = random.Random(7 + n)
    queries = make_queries(rng, vocab, docs, queries_per_size)
    kinds = {k: sum(1 for q in queries if q["kind"] == k) for k in ("common", "middle", "rare", "two")}
    result = {"datasets": n, "indexed": indexed, "insert_seconds": round(insert_s, 2),
              "index_build_seconds": round(build_s, 2),
              "index_build_rss_before_mb": round(build_rss_before or 0, 1),
              "index_build_peak_rss_mb": round(build_peak, 1),
              "index_build_rss_growth_mb": round(build_peak - (build_rss_before or 0), 1),
              "bench_ru_maxrss_after_build_mb": round(ru_maxrss, 1),
              "queries": len(queries), "query_mix": kinds}
    proc = None
    try:
        proc, base = bc.start_portal(work / "portal")
        result["portal"] = run_queries(base, portal_urls(base, queries), proc.pid)
        bc.log(f"portal: {result['portal']}")
    finally:
        bc.stop(proc)
    result["datasette"] = None
    if compare and bc.tool("datasette"):
        db = work / "bench.db"
        build_datasette_db(db, docs)
        proc = None
        try:
            proc, base = bc.start_datasette(db, settings=DATASETTE_SETTINGS)
            result["datasette"] = run_queries(base, datasette_urls(base, queries), proc.pid)
            bc.log(f"datasette: {result['datasette']}")
        finally:
            bc.stop(proc)
    ours = result["portal"]
    theirs = result["datasette"]
    result["p95_ratio_datasette_over_portal"] = bc.ratio(theirs["p95_ms"], ours["p95_ms"]) if theirs else None
    result["p50_ratio_datasette_over_portal"] = bc.ratio(theirs["p50_ms"], ours["p50_ms"]) if theirs else None
    result["datasette_settings"] = DATASETTE_SETTINGS if theirs else None
    target = TARGET_P95_MS.get(n)
    p95_ratio = result["p95_ratio_datasette_over_portal"]
    result["targets_met"] = {
        "p95_target_ms": target,
        "p95_ok": None if target is None else ours["p95_ms"] <= target,
        # None when Datasette did not run; read with datasette_like_for_like (all its answers complete)
        "p95_ge_4x_datasette": None if p95_ratio is None else p95_ratio >= TARGET_RATIO,
        "datasette_like_for_like": None if not theirs else theirs["errors"] == 0 and theirs["timeouts"] == 0,
        "zero_hangs": ours["timeouts"] == 0,
        "no_errors": ours["errors"] == 0,
    }
    shutil.rmtree(work, ignore_errors=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=200, help="queries per size")
    ap.add_argument("--no-compare", action="store_true", help="skip Datasette")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
    results = []
    try:
        for n in sizes:
            results.append(bench_size(n, args.queries, not args.no_compare, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    bc.emit({
        "sizes": sizes,
        "results": results,
        "targets_met": {str(r["datasets"]): r["targets_met"] for r in results},
    })


if __name__ == "__main__":
    main()
