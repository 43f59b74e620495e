"""Benchmark `portal serve --workers 2` (gunicorn) against one process (waitress) on this machine.

    python scripts/bench_workers.py                    # 20 connections, 20 s per run
    python scripts/bench_workers.py --duration 5 --connections 10

The demo catalogue is published into temporary folders; each server then answers, for
--duration seconds at --connections open connections, the search page (`/dataset?q=bencana`)
and a dataset page (`/dataset/korban-bencana-sosial-2019-2024`). The load tool is `wrk` (one
thread, so it takes little of the cores the servers share with it) when installed, else a Python
client of threads (which takes a core of its own, so its ratio says less). Counted as errors:
non-2xx answers, connection errors and timeouts. The machine's load average is reported before
and after (other work on the machine takes cores from the servers).

Target: requests/s with 2 workers >= 1.4 x one process on two cores, for both pages, 0 errors.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

TARGET_RATIO = 1.4
PAGES = {"search": "/dataset?q=bencana", "dataset_page": "/dataset/korban-bencana-sosial-2019-2024"}


def _wrk(url: str, connections: int, duration: int) -> dict:
    done = subprocess.run([bc.tool("wrk"), "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", url],
                          capture_output=True, text=True, timeout=duration + 60)
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)) else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(g) for g in sock.groups()) if sock else 0
    return {"rps": round(rps, 1), "requests": total, "errors": non_2xx + socket_errors}


def _python_load(url: str, connections: int, duration: int) -> dict:
    import requests

    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client() -> None:
        with requests.Session() as session:
            while time.monotonic() < stop_at:
                try:
                    ok = session.get(url, timeout=10).status_code < 400
                except requests.RequestException:
                    ok = False
                with lock:
                    counts["ok" if ok else "errors"] += 1

    threads = [threading.Thread(target=client) for _ in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    total = counts["ok"] + counts["errors"]
    return {"rps": round(counts["ok"] / elapsed, 1), "requests": total, "errors": counts["errors"]}


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--duration", type=int, default=20, help="seconds per page and server")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--datasets", type=int, default=8, help="how many of the demo datasets to publish (1-8)")
    parser.add_argument("--python-client", action="store_true", help="use the Python load tool even with wrk")
    parser.add_argument("--no-compare", action="store_true", help="accepted for the other scripts' sake (no comparison here)")
    args = parser.parse_args()
    use_wrk = bc.tool("wrk") is not None and not args.python_client
    measure = _wrk if use_wrk else _python_load
    figures: dict = {"tool": "wrk -t1" if use_wrk else "python threads", "connections": args.connections,
                     "datasets": args.datasets,
                     "duration_s": args.duration, "cpus": os.cpu_count(), "load_before": _load()}
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp:
        work = Path(tmp)
        app = bc.make_app(work)
        with app.app_context():
            from app.services import demo

            entries = sorted(demo.catalog_entries(), key=lambda e: not e["file"].startswith("korban"))
            n = demo.seed(bc.make_sysadmin(), entries=entries[:max(1, args.datasets)])
        app.extensions["db_engine"].dispose()
        bc.log(f"published {n} demo datasets")
        results: dict[int, dict] = {}
        for workers in (1, args.workers):
            serve_args = ["--workers", str(workers)] if workers > 1 else []
            proc, base = bc.start_portal(work, serve_args=serve_args, log_path=work / f"serve-{workers}.log")
            with bc.running(proc):
                results[workers] = {}
                for page, path in PAGES.items():
                    measure(base + path, args.connections, min(2, args.duration))  # warm every worker's caches
                    results[workers][page] = measure(base + path, args.connections, args.duration)
                    bc.log(f"workers={workers} {page}: {results[workers][page]}")
    targets = {}
    for page in PAGES:
        one, many = results[1][page], results[args.workers][page]
        ratio = bc.ratio(many["rps"], one["rps"])
        errors = one["errors"] + many["errors"]
        figures[page] = {"workers_1_rps": one["rps"], f"workers_{args.workers}_rps": many["rps"], "ratio": ratio,
                         "errors": errors, "requests": one["requests"] + many["requests"]}
        targets[f"{page}_ratio_ge_{TARGET_RATIO}x"] = ratio is not None and ratio >= TARGET_RATIO
        targets[f"{page}_no_errors"] = errors == 0
    figures.update({"load_after": _load(), "targets_met": targets})
    bc.emit(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
