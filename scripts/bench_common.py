"""What the benchmark scripts share: temp portal folders, servers on free ports, RSS sampling.

Every benchmark runs standalone, builds its own temporary folders and database (never the
repo's instance/, datasets/ or search_index/), starts real servers on 127.0.0.1 and stops
them at the end. Progress goes to stderr; the figures are ONE JSON object on stdout's last line.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1024 * 1024


def log(*parts: Any) -> None:
    """Progress for the human watching: stderr, so stdout ends with the JSON line."""
    print("[bench]", *parts, file=sys.stderr, flush=True)


def emit(figures: dict[str, Any]) -> None:
    """Print the figures as one JSON object on the last line of stdout."""
    sys.stdout.flush()
    print(json.dumps(figures, ensure_ascii=False, default=str), flush=True)


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def latency_stats(seconds: Sequence[float]) -> dict[str, float | int | None]:
    """p50/p95/max in milliseconds."""
    def ms(v):
        return None if v is None else round(v * 1000, 2)
    return {"n": len(seconds), "p50_ms": ms(percentile(seconds, 50)), "p95_ms": ms(percentile(seconds, 95)),
            "max_ms": ms(max(seconds) if seconds else None)}


def ratio(a: float | None, b: float | None, digits: int = 2) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return round(a / b, digits)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name: str) -> str | None:
    """The path of a command installed beside our Python (or on PATH), else None."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    return shutil.which(name)


# -- the portal in temporary folders ------------------------------------------------------------

def portal_env(work: Path) -> dict[str, str]:
    """Environment that points the portal at folders under `work` (never the repo's)."""
    work = Path(work)
    for sub in ("instance", "datasets", "search_index"):
        (work / sub).mkdir(parents=True, exist_ok=True)
    return {
        "DATABASE_URL": f"sqlite:///{work / 'instance' / 'portal.sqlite'}",
        "DATASETS_DIR": str(work / "datasets"),
        "SEARCH_INDEX_DIR": str(work / "search_index"),
        "PORTAL_INSTANCE_PATH": str(work / "instance"),
        "MAX_UPLOAD_MB": os.environ.get("BENCH_MAX_UPLOAD_MB", "2000"),
    }


def make_app(work: Path):
    """create_app() on the temporary folders, with the schema and catalog in place."""
    os.environ.update(portal_env(work))
    from app import create_app
    from app.cli import _init_db

    app = create_app()
    with app.app_context():
        _init_db()
    return app


def make_sysadmin(email: str = "bench@dinsos.ntbprov.go.id"):
    """A sysadmin created as the CLI does (inside an app context)."""
    from app.services import users

    return users.create_user(None, email, users.generate_password(), role="sysadmin", _system=True)


# -- servers ----------------------------------------------------------------------------------

def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Wait until `url` answers (any HTTP status), or fail if the process died."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                resp.read(1)
            return
        except urllib.error.HTTPError:
            return
        except Exception as exc:  # noqa: BLE001 - not up yet
            last = exc
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not answer in {timeout:.0f} s ({last})")


def start_portal(work: Path, port: int | None = None, log_path: Path | None = None,
                 serve_args: Sequence[str] = ()) -> tuple[subprocess.Popen, str]:
    """`portal serve` (waitress; `serve_args` such as --workers 2) in a subprocess on the temp
    folders; return (process, base URL)."""
    port = port or free_port()
    env = dict(os.environ)
    env.update(portal_env(work))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    portal = tool("portal")
    cmd = [portal] if portal else [sys.executable, "-c", "from app.cli import main; main()"]
    cmd += ["serve", "--host", "127.0.0.1", "--port", str(port), *serve_args]
    out = open(log_path or (Path(work) / "portal-server.log"), "ab")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=str(work),
                            start_new_session=True)
    out.close()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/dataset?format=json&per_page=1", proc)
    except BaseException:
        stop(proc)
        raise
    return proc, base


def start_datasette(db_path: Path, port: int | None = None, settings: dict[str, str] | None = None,
                    immutable: bool = True, log_path: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`datasette serve` on one database file in a subprocess; return (process, base URL)."""
    exe = tool("datasette")
    if exe is None:
        raise RuntimeError("datasette is not installed")
    port = port or free_port()
    cmd = [exe, "serve"]
    cmd += ["-i", str(db_path)] if immutable else [str(db_path)]
    cmd += ["--host", "127.0.0.1", "--port", str(port)]
    for key, value in (settings or {}).items():
        cmd += ["--setting", key, str(value)]
    out = open(log_path or (Path(db_path).parent / "datasette.log"), "ab")
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=str(Path(db_path).parent),
                            start_new_session=True)
    out.close()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/-/versions.json", proc)
    except BaseException:
        stop(proc)
        raise
    return proc, base


def stop(proc: subprocess.Popen | None, timeout: float = 10.0) -> None:
    """Stop a server we started (its own process group), politely then firmly."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
        proc.wait(timeout=timeout)


@contextmanager
def running(proc: subprocess.Popen | None) -> Iterator[subprocess.Popen | None]:
    try:
        yield proc
    finally:
        stop(proc)


# -- memory -----------------------------------------------------------------------------------

def rss_mb(pid: int, children: bool = False) -> float | None:
    """Resident memory of a process (plus its children) in MB, None if it is gone."""
    import psutil

    try:
        p = psutil.Process(pid)
        total = p.memory_info().rss
        if children:
            for c in p.children(recursive=True):
                try:
                    total += c.memory_info().rss
                except psutil.Error:
                    pass
        return total / MB
    except psutil.Error:
        return None


class RssSampler:
    """Poll a process's RSS in a thread; `peak` is the highest value seen (MB)."""

    def __init__(self, pid: int, interval: float = 0.05, children: bool = False) -> None:
        self.pid = pid
        self.interval = interval
        self.children = children
        self.peak = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            value = rss_mb(self.pid, self.children)
            if value is None:
                break
            self.peak = max(self.peak, value)
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def run_measured(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 3600.0,
                 stdout=subprocess.PIPE) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run a command; return (completed, wall seconds, peak RSS MB of it and its children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    with RssSampler(proc.pid, interval=0.02, children=True) as sampler:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise
    elapsed = time.perf_counter() - start
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), elapsed, sampler.peak


# -- HTTP -------------------------------------------------------------------------------------

def http_session():
    """A keep-alive HTTP session (requests), the same client for every server."""
    import requests

    s = requests.Session()
    s.headers["User-Agent"] = "portal-bench/1"
    return s


def timed_get(session, url: str, timeout: float = 30.0) -> tuple[float, int, bytes | None]:
    """GET a URL, reading the whole body; return (seconds, status, body). status 0 = timeout/error."""
    import requests

    start = time.perf_counter()
    try:
        resp = session.get(url, timeout=timeout)
        body = resp.content
        return time.perf_counter() - start, resp.status_code, body
    except requests.Timeout:
        return time.perf_counter() - start, 0, None
    except requests.RequestException:
        return time.perf_counter() - start, -1, None


def stream_lines(session, url: str, timeout: float = 600.0, on_chunk=None) -> tuple[float, int, int, int]:
    """Stream a body, counting newlines; return (seconds, status, lines, bytes)."""
    start = time.perf_counter()
    lines = nbytes = 0
    with session.get(url, stream=True, timeout=timeout) as resp:
        for chunk in resp.iter_content(chunk_size=256 * 1024):
            lines += chunk.count(b"\n")
            nbytes += len(chunk)
            if on_chunk is not None:
                on_chunk()
        status = resp.status_code
    return time.perf_counter() - start, status, lines, nbytes
