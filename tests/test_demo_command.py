"""`portal demo` and `portal serve` as a new user runs them: real processes on temporary folders."""
from __future__ import annotations

import contextlib
import queue
import re
import socket
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import fresh_database
from tests.support.portal_process import portal_command, portal_environment

DEMO_ADMIN = "admin@dinsos.ntbprov.go.id"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Portal:
    """A `portal` process whose output is read line by line while it runs."""

    def __init__(self, folder: Path, database_url: str, *args: str) -> None:
        env = portal_environment(folder, database_url)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._stderr = open(folder / f"portal-{self.port}.log", "w")
        self.proc = subprocess.Popen([*portal_command(), *args, "--port", str(self.port)], cwd=folder, env=env,
                                     stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_until_serving(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        # `serve` ends its start-up with "Serving on URL"; `demo` with the URL and login, then this line.
        while not any(line.startswith("Serving on ") or line == "Stop with Ctrl+C." for line in self.lines):
            try:
                line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                raise AssertionError(f"portal did not start:\n{self.output}\n{self._log()}")
            self.lines.append(line)
        while time.monotonic() < deadline:  # "Serving on" is printed just before waitress binds
            try:
                if requests.get(self.url + "/api/3/action/status_show", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"{self.url} never answered:\n{self.output}\n{self._log()}")

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def admin_line(self) -> str:
        return next(line for line in self.lines if line.startswith(f"Admin login: {DEMO_ADMIN} / "))

    def admin_password(self) -> str:
        found = re.fullmatch(rf"Admin login: {re.escape(DEMO_ADMIN)} / (\S+)", self.admin_line())
        assert found, self.output
        return found.group(1)

    def _log(self) -> str:
        self._stderr.flush()
        return Path(self._stderr.name).read_text()[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._stderr.close()


@pytest.fixture
def start(tmp_path):
    """Start `portal <args> --port N` on a folder; every process is stopped at the end."""
    started: list[Portal] = []
    databases: dict[str, str] = {}
    with contextlib.ExitStack() as stack:

        def _database(name: str) -> str:
            (tmp_path / name).mkdir(exist_ok=True)
            if name not in databases:
                databases[name] = stack.enter_context(fresh_database(tmp_path / name, "t_cli"))
            return databases[name]

        def _start(name: str, *args: str) -> Portal:
            portal = Portal(tmp_path / name, _database(name), *args)
            started.append(portal)
            portal.wait_until_serving()
            return portal

        def _run(name: str, *args: str) -> subprocess.CompletedProcess:
            """A command that ends by itself (no server)."""
            return subprocess.run([*portal_command(), *args], cwd=tmp_path / name, text=True, capture_output=True,
                                  env=portal_environment(tmp_path / name, _database(name)), timeout=60)

        _start.run = _run
        try:
            yield _start
        finally:
            for portal in started:
                portal.stop()


def _post_login(url: str, password: str) -> tuple[requests.Session, requests.Response]:
    """Log in through the form as a browser does (CSRF is on in a real run)."""
    session = requests.Session()
    token = CSRF_RE.search(session.get(f"{url}/user/login").text).group(1)
    resp = session.post(f"{url}/user/login", data={"email": DEMO_ADMIN, "password": password, "csrf_token": token},
                        allow_redirects=False)
    return session, resp


def _log_in(url: str, password: str) -> requests.Session:
    session, resp = _post_login(url, password)
    assert resp.status_code == 302, resp.text[:500]
    return session


def _package_ids(url: str) -> dict[str, str]:
    found = requests.get(f"{url}/api/3/action/package_search", params={"rows": 100}).json()["result"]
    return {p["name"]: p["id"] for p in found["results"]}


def test_demo_sets_up_once_with_a_generated_password_and_serve_serves_it(tmp_path, start):
    first = start("a", "demo")
    assert f"Portal Data Sosial NTB: {first.url}" in first.lines
    # The URL and login are read last, after the server's own start-up log lines.
    assert first.lines[-3].startswith("Portal Data Sosial NTB: ") and first.lines[-2].startswith("Admin login: ")
    assert f"Serving on {first.url}" in first._log()
    assert "Loaded 8 demo datasets." in first.lines
    password = first.admin_password()
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", password)
    kept = tmp_path / "a" / "instance" / "demo_admin_password"
    assert kept.read_text() == password and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert (tmp_path / "a" / "instance" / "secret_key").exists()  # SECRET_KEY unset: generated and kept
    session = _log_in(first.url, password)
    assert session.get(f"{first.url}/admin/", allow_redirects=False).status_code == 200
    assert _post_login(first.url, password + "x")[1].status_code == 401
    datasets = _package_ids(first.url)
    assert len(datasets) == 8 and "korban-bencana-sosial-2019-2024" in datasets
    first.stop()

    # Run again on the same folders: same password, nothing loaded twice.
    second = start("a", "demo")
    assert second.admin_password() == password
    assert not any(line.startswith(("Loaded", "  published")) for line in second.lines), second.output
    assert _package_ids(second.url) == datasets
    assert _log_in(second.url, password).get(f"{second.url}/admin/", allow_redirects=False).status_code == 200
    second.stop()

    # `portal serve` serves what is there, and loads nothing.
    served = start("a", "serve")
    assert served.lines[-1] == f"Serving on {served.url}"
    assert _package_ids(served.url) == datasets
    page = requests.get(f"{served.url}/dataset/korban-bencana-sosial-2019-2024")
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    served.stop()

    # Another fresh installation gets another password: there is no fixed default.
    other = start("b", "demo")
    assert "Loaded 8 demo datasets." in other.lines
    assert other.admin_password() != password
    other.stop()

    # After a reset the kept password no longer works: demo says how to set one, not a stale one.
    reset = start.run("a", "create-admin", DEMO_ADMIN, "--reset")
    assert reset.returncode == 0, reset.stderr
    new_password = reset.stdout.strip().rsplit(": ", 1)[1]
    after = start("a", "demo")
    assert password not in after.output
    assert f"portal create-admin {DEMO_ADMIN} --reset" in after.admin_line()
    assert _log_in(after.url, new_password).get(f"{after.url}/admin/", allow_redirects=False).status_code == 200


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path, start, command):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = start.run("a", command, "--port", str(port))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    found = re.fullmatch(rf"Port {port} sudah dipakai; coba --port (\d+)", result.stderr.strip())
    assert found, result.stderr
    assert int(found.group(1)) != port
    assert "Serving on" not in result.stdout and "Loaded" not in result.stdout  # stopped before the set-up
