"""Benchmark the search engine on synthetic datasets; print one JSON object on the last line.

    python scripts/bench_search_engine.py --sizes 1000,10000,100000 --queries 200

Documents use a Zipf-skewed vocabulary (so a few words match most documents, as "sosial"
does in the real portal). Each query has one or two words, a topic filter and a year
filter, asks for 20 results with all facet counts, and is timed end to end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from app.search import SearchIndex  # noqa: E402

TOPICS = ["bencana-sosial", "kepegawaian", "lks", "pmks", "psks", "bansos", "kemiskinan", "kinerja",
          "disabilitas", "lansia", "anak", "rehabilitasi"]
FORMATS = ["CSV", "XLSX", "JSON", "PDF", "ODS"]
LEVELS = ["provinsi", "kabupaten-kota", "kecamatan", "desa"]
SYLLABLES = ["ba", "ka", "la", "ma", "na", "ra", "sa", "ta", "di", "ri", "ku", "lu", "po", "se", "nga", "wi"]


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def zipf_sampler(rng: random.Random, vocab: list[str], s: float = 1.1):
    weights = [1.0 / (rank + 1) ** s for rank in range(len(vocab))]
    cum, total = [], 0.0
    for w in weights:
        total += w
        cum.append(total)

    def sample(k: int) -> list[str]:
        return rng.choices(vocab, cum_weights=cum, k=k)

    return sample


def make_docs(n: int, seed: int = 7):
    rng = random.Random(seed)
    vocab = make_vocabulary(rng, 8000)
    sample = zipf_sampler(rng, vocab)
    orgs = [f"bidang-{i}" for i in range(max(5, n // 2000))]
    tags = vocab[:400]
    base = datetime(2020, 1, 1, tzinfo=timezone.utc)
    docs = []
    for i in range(n):
        first = rng.randint(2015, 2024)
        docs.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128))),
                "name": f"dataset-{i}",
                "title": " ".join(sample(rng.randint(4, 9))).capitalize(),
                "description": " ".join(sample(rng.randint(20, 60))),
                "notes": " ".join(sample(rng.randint(0, 30))),
                "tags": rng.sample(tags[:100], 1) + rng.sample(tags, rng.randint(0, 3)),
                "topics": rng.sample(TOPICS, rng.choice([1, 1, 1, 2])),
                "topic_titles": [],
                "organization": rng.choice(orgs),
                "organization_title": "Bidang " + rng.choice(vocab[:50]),
                "formats": rng.sample(FORMATS, rng.randint(1, 3)),
                "years": list(range(first, min(2024, first + rng.randint(0, 5)) + 1)),
                "level": rng.choice(LEVELS),
                "columns": sample(rng.randint(4, 10)),
                "private": rng.random() < 0.05,
                "metadata_modified": (base + timedelta(minutes=rng.randint(0, 2_000_000))).isoformat(),
                "metadata_created": base.isoformat(),
                "downloads": int(rng.paretovariate(1.2) * 10),
            }
        )
    return docs, vocab, sample


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, int(round(pct / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]


def bench(n: int, queries: int, keep: str | None) -> dict:
    docs, vocab, sample = make_docs(n)
    path = keep or tempfile.mkdtemp(prefix=f"bench-search-{n}-")
    try:
        index = SearchIndex(path)
        t0 = time.perf_counter()
        index.rebuild(docs)
        build_s = time.perf_counter() - t0
        rng = random.Random(11)
        t0 = time.perf_counter()
        index.search("")  # first search decodes the facet arrays of the new generation
        first_ms = (time.perf_counter() - t0) * 1000
        timings, totals = [], []
        for _ in range(queries):
            q = " ".join(sample(rng.choice([1, 1, 2])))
            year = rng.randint(2015, 2024)
            t0 = time.perf_counter()
            result = index.search(
                q, filters={"topic": [rng.choice(TOPICS)], "year": [str(year)]}, per_page=20,
                visible_orgs=["bidang-0"],
            )
            timings.append((time.perf_counter() - t0) * 1000)
            totals.append(result.total)
        return {
            "docs": n,
            "build_s": round(build_s, 2),
            "first_search_ms": round(first_ms, 1),
            "queries": queries,
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(percentile(timings, 95), 2),
            "max_ms": round(max(timings), 2),
            "median_total": statistics.median(totals),
        }
    finally:
        if not keep:
            shutil.rmtree(path, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", help="build the index in this folder and keep it")
    args = parser.parse_args()
    results = []
    for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
        results.append(bench(n, args.queries, args.keep))
        print(f"# {results[-1]}", file=sys.stderr, flush=True)
    print(json.dumps({"cpu_count": os.cpu_count(), "results": results}))


if __name__ == "__main__":
    main()
