"""Benchmark a big upload: the request that receives it, and the time until its review is ready.

    python scripts/bench_upload.py                 # a generated ~30 MB CSV
    python scripts/bench_upload.py --mb 5          # a smaller one (a quick look)

Side by side in one run, on the same generated file:
- background (today's path): `portal serve` (waitress, its in-process worker thread on the
  SQLite queue) receives the file through `resource_create` with `wait=false` (the API door)
  and through the admin's upload form (which waits INGEST_FORM_WAIT_S for a small file);
  the receiving request's time, then the time until `ingest_job_show` says done;
- synchronous (what an upload cost before the queue), once before and once after (the faster
  is compared, so a change of the machine's load does not flatter the queue): in a child process, the same service
  receives the file and the worker's `ingest_run.run` reads it at once in the same thread
  (no HTTP: the old request also parsed the multipart body, so this baseline is if anything
  faster than the old request was).

Targets: the receiving request < 2 s; review ready <= synchronous time + 10%.
The figures are one JSON object on the last line.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.request import HTTPCookieProcessor, Request, build_opener

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402
from bench_ingest import generate  # noqa: E402

TARGET_RECEIVE_S = 2.0
TARGET_READY_RATIO = 1.10
PASSWORD = "bench-upload-password-1"


def multipart(fields: dict[str, str], file_field: str, path: Path) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{path.name}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode())
    parts.append(path.read_bytes())
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def setup(work: Path) -> dict[str, str]:
    """A sysadmin with an API token, and a draft dataset to upload to (in this process)."""
    app = bc.make_app(work)
    with app.app_context():
        from app.services import datasets, users

        admin = users.create_user(None, "bench-upload@dinsos.ntbprov.go.id", PASSWORD, role="sysadmin", _system=True)
        _token, raw = users.create_token(admin, "bench")
        ds = datasets.create(admin, {"title": "Bench unggah besar", "name": "bench-unggah", "topics": []})
        out = {"token": raw, "dataset": ds.id, "email": admin.email}
    app.extensions["db_engine"].dispose()
    return out


def wait_done(base: str, token: str, job_id: str, started: float, timeout: float = 600) -> tuple[float, dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        req = Request(f"{base}/api/3/action/ingest_job_show?id={job_id}", headers={"Authorization": token})
        with build_opener().open(req, timeout=30) as resp:
            job = json.loads(resp.read())["result"]
        if job["state"] in ("done", "failed"):
            return time.perf_counter() - started, job
        time.sleep(0.1)
    raise RuntimeError(f"job {job_id} not done in {timeout} s")


def api_upload(base: str, token: str, dataset: str, path: Path) -> dict:
    body, ctype = multipart({"package_id": dataset, "wait": "false"}, "upload", path)
    started = time.perf_counter()
    req = Request(f"{base}/api/3/action/resource_create", data=body, method="POST",
                  headers={"Authorization": token, "Content-Type": ctype})
    with build_opener().open(req, timeout=600) as resp:
        job = json.loads(resp.read())["result"]
    received = time.perf_counter() - started
    ready, final = wait_done(base, token, job["id"], started)
    return {"receive_s": round(received, 3), "ready_s": round(ready, 3), "state": final["state"],
            "rows": final["rows_read"]}


def form_upload(base: str, token: str, email: str, path: Path) -> dict:
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/user/login", timeout=30).read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    opener.open(Request(f"{base}/user/login", data=urllib.parse.urlencode(
        {"csrf_token": csrf, "email": email, "password": PASSWORD}).encode(), method="POST"), timeout=30).read()
    page = opener.open(f"{base}/admin/upload", timeout=30).read().decode()
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body, ctype = multipart({"csrf_token": csrf, "title": f"Bench form {uuid.uuid4().hex[:6]}"}, "file", path)

    class NoRedirect(bc.urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    no_follow = build_opener(HTTPCookieProcessor(jar), NoRedirect())
    started = time.perf_counter()
    try:
        resp = no_follow.open(Request(f"{base}/admin/upload", data=body, method="POST",
                                      headers={"Content-Type": ctype}), timeout=600)
        location = resp.headers.get("Location", "")
    except bc.urllib.error.HTTPError as exc:  # the 302 itself
        location = exc.headers.get("Location", "")
    received = time.perf_counter() - started
    job_id = location.rstrip("/").rsplit("/", 1)[-1] if "/admin/upload/" in location else None
    out = {"receive_s": round(received, 3), "went_to": "progress page" if job_id else location}
    if job_id:
        ready, final = wait_done(base, token, job_id, started)
        out.update(ready_s=round(ready, 3), state=final["state"])
    return out


SYNC_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[3])
import bench_common as bc
import os
os.environ["INGEST_IN_PROCESS"] = "0"
from pathlib import Path
app = bc.make_app(Path(sys.argv[1]))
with app.app_context():
    from app.services import datasets, ingest_run, resources
    admin = bc.make_sysadmin()
    ds = datasets.create(admin, {"title": "Bench sinkron", "name": "bench-sinkron", "topics": []})
    path = Path(sys.argv[2])
    started = time.perf_counter()
    with open(path, "rb") as fh:
        job = resources.upload(admin, ds.id, fh, path.name, wait=False)
    received = time.perf_counter() - started
    ingest_run.run(job.id)
    total = time.perf_counter() - started
    result = resources.outcome(job.id)
    print(json.dumps({"receive_s": round(received, 3), "ready_s": round(total, 3), "rows": result.version.row_count}))
"""


def synchronous(path: Path, work: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", SYNC_CHILD, str(work), str(path), str(Path(__file__).parent)],
                          capture_output=True, text=True, cwd=str(bc.ROOT))
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=30.0, help="Size of the generated CSV (default 30 MB).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        tmp = Path(tmp)
        path = tmp / "penerima_besar.csv"
        rows = int(args.mb * bc.MB / 52)
        generate(path, rows)
        size_mb = round(path.stat().st_size / bc.MB, 1)
        bc.log(f"generated {path.name}: {rows} rows, {size_mb} MB")

        bc.log("synchronous: the service reads the file in the receiving thread")
        before = synchronous(path, tmp / "sync-before")
        bc.log(f"  {before}")

        work = tmp / "served"
        who = setup(work)
        proc, base = bc.start_portal(work)
        try:
            bc.log("background, API door (resource_create wait=false)")
            api = api_upload(base, who["token"], who["dataset"], path)
            bc.log(f"  {api}")
            bc.log("background, the admin's upload form")
            form = form_upload(base, who["token"], who["email"], path)
            bc.log(f"  {form}")
        finally:
            bc.stop(proc)
        bc.log("synchronous again (the machine's load changes: the faster of the two is compared)")
        after = synchronous(path, tmp / "sync-after")
        bc.log(f"  {after}")
        sync = min(before, after, key=lambda r: r["ready_s"])
    ratio = bc.ratio(api["ready_s"], sync["ready_s"], 3)
    bc.emit({
        "benchmark": "upload", "file_mb": size_mb, "rows": rows,
        "synchronous": sync, "synchronous_runs_s": [before["ready_s"], after["ready_s"]], "api": api, "form": form,
        "receive_s": api["receive_s"], "receive_target_s": TARGET_RECEIVE_S,
        "receive_ok": api["receive_s"] < TARGET_RECEIVE_S and form["receive_s"] < TARGET_RECEIVE_S,
        "ready_vs_sync": ratio, "ready_target_ratio": TARGET_READY_RATIO,
        "ready_ok": ratio is not None and ratio <= TARGET_READY_RATIO,
    })


if __name__ == "__main__":
    main()
