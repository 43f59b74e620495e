"""Several server processes and several machines on one database: what one of them writes, every
other one shows at once, in its search, its dataset page and its API.

Node 1 is two `portal serve` processes on one index folder: A (waitress) and B (gunicorn with two
workers). Node 2 is C, with an index folder of its own, as a second machine has. All share the
database (a SQLite file, or the PostgreSQL server of TEST_DATABASE_URL) and the file store. The
servers are started once for the module; each test writes datasets of its own.
"""
from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import ckanapi
import psutil
import pytest
import requests

from tests.conftest import fresh_database, make_app
from tests.support.portal_process import portal_command, portal_environment

SAMPLE = Path(__file__).resolve().parent.parent / "app" / "demo_data" / "korban_bencana_sosial_2019_2024.csv"
ORG = "bidang-perlindungan-jaminan-sosial"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def ckan(self, token: str | None = None) -> ckanapi.RemoteCKAN:
        return ckanapi.RemoteCKAN(self.url, apikey=token)


@dataclass
class Cluster:
    folder: Path
    database_url: str
    token: str
    servers: dict[str, Server] = field(default_factory=dict)

    def start(self, name: str, *args: str, index: str = "search_index") -> Server:
        env = dict(portal_environment(self.folder, self.database_url), SEARCH_INDEX_DIR=str(self.folder / index))
        port = _free_port()
        log = self.folder / f"{name}.log"
        with open(log, "w") as out:
            process = subprocess.Popen([*portal_command(), "serve", "--port", str(port), *args], cwd=self.folder,
                                       env=env, stdout=out, stderr=subprocess.STDOUT)
        server = self.servers[name] = Server(name, f"http://127.0.0.1:{port}", process, log)
        return server

    def wait(self, *names: str, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        for name in names:
            server = self.servers[name]
            while True:
                assert server.process.poll() is None, server.log.read_text()
                try:
                    if requests.get(server.url + "/api/3/action/status_show", timeout=5).ok:
                        break
                except requests.ConnectionError:
                    pass
                assert time.monotonic() < deadline, server.log.read_text()
                time.sleep(0.1)

    def stop(self) -> None:
        for server in self.servers.values():
            server.process.terminate()
        for server in self.servers.values():
            try:
                server.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.process.kill()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    with fresh_database(folder, "t_nodes") as url:
        app = make_app(folder, url)
        with app.app_context():
            from app.services import users as user_service
            from tests.factories import make_users, user

            make_users()
            token = user_service.create_token(user("org_admin"), "cluster")[1]
        app.extensions["db_engine"].dispose()
        cluster = Cluster(folder, url, token)
        try:
            cluster.start("A")
            cluster.start("B", "--workers", "2")
            cluster.start("C", index="node2_index")
            cluster.wait("A", "B", "C")
            yield cluster
        finally:
            cluster.stop()


def _publish(server: Server, token: str, name: str, title: str) -> dict:
    ckan = server.ckan(token)
    pkg = ckan.action.package_create(name=name, title=title, owner_org=ORG, groups=[{"name": "bencana-sosial"}])
    with open(SAMPLE, "rb") as fh:
        ckan.action.resource_create(package_id=pkg["id"], name="Korban", upload=fh)
    return ckan.action.package_patch(id=pkg["id"], state="active")


def _found(server: Server, q: str, token: str | None = None) -> list[str]:
    return [p["name"] for p in server.ckan(token).action.package_search(q=q, include_private=True)["results"]]


def _search_page(server: Server, q: str) -> str:
    resp = requests.get(server.url + "/dataset", params={"q": q}, timeout=30)
    assert resp.status_code == 200
    return resp.text


def _dataset_page(server: Server, name: str) -> requests.Response:
    return requests.get(f"{server.url}/dataset/{name}", timeout=30)


def _readers(cluster: Cluster, *names: str) -> list[Server]:
    # B twice over: its two workers each answer some of the requests.
    return [cluster.servers[n] for n in names for _ in range(3 if n == "B" else 1)]


def test_the_gunicorn_server_runs_two_worker_processes(cluster):
    master = psutil.Process(cluster.servers["B"].process.pid)
    deadline = time.monotonic() + 60
    while len(master.children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)  # the second may still be starting
    workers = {c.pid for c in master.children()}
    assert len(workers) == 2, cluster.servers["B"].log.read_text()
    for _ in range(20):
        with requests.get(cluster.servers["B"].url + "/api/3/action/status_show", timeout=10) as resp:
            assert resp.ok
    assert {c.pid for c in master.children()} == workers  # none died on the way


def test_a_dataset_published_on_one_process_is_found_at_once_by_every_other(cluster):
    a = cluster.servers["A"]
    _publish(a, cluster.token, "uji-node-terbit", "Uji Node Terbit Sumbawa")
    for server in _readers(cluster, "B", "C"):
        assert _found(server, "sumbawa terbit") == ["uji-node-terbit"], server.name
        assert 'href="/dataset/uji-node-terbit"' in _search_page(server, "sumbawa terbit"), server.name
        page = _dataset_page(server, "uji-node-terbit")
        assert page.status_code == 200 and "Uji Node Terbit Sumbawa" in page.text, server.name
        assert server.ckan().action.package_show(id="uji-node-terbit")["title"] == "Uji Node Terbit Sumbawa"


def test_an_edit_on_the_second_machine_shows_on_the_first_at_once(cluster):
    c = cluster.servers["C"]
    _publish(c, cluster.token, "uji-node-ubah", "Uji Node Ubah Dompu")
    c.ckan(cluster.token).action.package_patch(id="uji-node-ubah", title="Uji Node Ubah Bima")
    for server in _readers(cluster, "A", "B"):
        assert _found(server, "bima ubah") == ["uji-node-ubah"], server.name
        # The old title's words are gone, as on the machine that wrote the change.
        assert "uji-node-ubah" not in _found(server, "dompu") and _found(server, "dompu") == _found(c, "dompu")
        assert "Uji Node Ubah Bima" in _dataset_page(server, "uji-node-ubah").text, server.name


def test_made_private_on_one_process_it_is_hidden_from_the_public_everywhere(cluster):
    a = cluster.servers["A"]
    _publish(a, cluster.token, "uji-node-privat", "Uji Node Privat Lombok")
    for server in _readers(cluster, "B", "C"):  # every process has it cached as public first
        assert _found(server, "privat lombok") == ["uji-node-privat"]
    a.ckan(cluster.token).action.package_patch(id="uji-node-privat", private=True)
    for server in _readers(cluster, "B", "C"):
        assert "uji-node-privat" not in _found(server, "privat lombok"), server.name
        assert "uji-node-privat" not in _search_page(server, "privat lombok"), server.name
        assert _dataset_page(server, "uji-node-privat").status_code == 404, server.name
        with pytest.raises(ckanapi.NotFound):
            server.ckan().action.package_show(id="uji-node-privat")
        assert _found(server, "privat lombok", cluster.token) == ["uji-node-privat"], server.name  # its members


def test_deleted_on_the_second_machine_it_is_gone_from_the_first(cluster):
    c = cluster.servers["C"]
    _publish(c, cluster.token, "uji-node-hapus", "Uji Node Hapus Sumbawa Barat")
    for server in _readers(cluster, "A", "B"):
        assert _found(server, "hapus sumbawa") == ["uji-node-hapus"]
    c.ckan(cluster.token).action.package_delete(id="uji-node-hapus")
    for server in _readers(cluster, "A", "B"):
        assert "uji-node-hapus" not in _found(server, "hapus sumbawa"), server.name
        assert _dataset_page(server, "uji-node-hapus").status_code == 404, server.name


def test_a_machine_started_with_an_empty_index_finds_everything_published(cluster):
    _publish(cluster.servers["A"], cluster.token, "uji-node-awal", "Uji Node Awal Lombok Timur")
    d = cluster.start("D", index="node3_index")
    assert not (cluster.folder / "node3_index").exists()
    cluster.wait("D")
    expected = sorted(_found(cluster.servers["A"], "uji node"))
    assert "uji-node-awal" in expected
    assert sorted(_found(d, "uji node")) == expected
    assert 'href="/dataset/uji-node-awal"' in _search_page(d, "lombok timur")


def test_a_new_version_uploaded_on_one_machine_is_what_the_others_preview(cluster, tmp_path):
    a = cluster.servers["A"]
    pkg = _publish(a, cluster.token, "uji-node-versi", "Uji Node Versi Baru")
    (resource,) = pkg["resources"]
    for server in _readers(cluster, "B", "C"):  # each reads (and keeps what it keeps of) version 1
        assert server.ckan().action.datastore_search(resource_id=resource["id"], limit=1)["total"] == 60
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    shorter = tmp_path / "korban_v2.csv"
    shorter.write_text("\n".join(lines[:21]) + "\n", encoding="utf-8")  # the header and 20 rows
    with open(shorter, "rb") as fh:
        a.ckan(cluster.token).action.resource_update(id=resource["id"], upload=fh)
    for server in _readers(cluster, "B", "C"):
        assert server.ckan().action.datastore_search(resource_id=resource["id"], limit=1)["total"] == 20, server.name
        page = requests.get(f"{server.url}/dataset/uji-node-versi/resource/{resource['id']}", timeout=30)
        assert page.status_code == 200, server.name


def test_an_upload_to_a_server_of_several_processes_is_read_by_one_of_its_workers(cluster):
    # B is gunicorn with two worker processes: the one that receives the file reads it in its own
    # consumer thread (started after the fork), and the upload's answer waits for that reading.
    b = cluster.servers["B"]
    pkg = _publish(b, cluster.token, "uji-node-gunicorn", "Uji Node Gunicorn")
    (resource,) = pkg["resources"]
    assert resource["datastore_active"] and pkg["state"] == "active"
    for server in _readers(cluster, "A", "B", "C"):
        assert server.ckan().action.datastore_search(resource_id=resource["id"], limit=1)["total"] == 60, server.name
        assert "uji-node-gunicorn" in _found(server, "uji node gunicorn"), server.name
