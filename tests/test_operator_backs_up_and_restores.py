"""An operator backs the portal up (`portal backup FILE`) and restores it into a new, empty portal
(`portal restore FILE`): the same datasets, versions, accounts and downloads, byte for byte, a
search that finds them and a clean `portal check`. A damaged archive, one with a member outside
its folders, or a portal that is not empty is refused, and nothing is changed.

Real databases (SQLite, or PostgreSQL with TEST_DATABASE_URL: the target is a new database on
the same server), real files, real index; both commands run as CLI commands.
"""
from __future__ import annotations

import contextlib
import gzip
import io
import json
import stat
import tarfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.conftest import BNBA_SAMPLE, _pg, _postgres_url, make_app
from tests.factories import PASSWORD, SAMPLES, dataset_with_table, user
from tests.support.table_targets import table_files


@contextlib.contextmanager
def empty_database(folder: Path, schema: str | None = None):
    """A new database: a SQLite file in `folder`, or a new database on the PostgreSQL server
    (its tables in `public`, or in a new `schema`)."""
    base = _postgres_url()
    if not base:
        yield f"sqlite:///{folder / 'portal.sqlite'}"
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as con:
        con.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(_pg(base)).set(database=name)
    if schema:
        inside = create_engine(url)
        with inside.begin() as con:
            con.execute(text(f"CREATE SCHEMA {schema}"))
        inside.dispose()
        url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as con:
            con.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def target(tmp_path):
    """A new, empty portal (its own database, data folders and index), as after `portal init-db`."""
    folder = tmp_path / "target"
    folder.mkdir()
    with empty_database(folder) as url:
        app = make_app(folder, url)
        yield app
        app.extensions["db_engine"].dispose()


@pytest.fixture
def source(app, users, client):
    """A portal with a published dataset of two versions, a draft one whose upload waits in
    quarantine, downloads counted; what its public doors give."""
    from app.services import resources

    with app.app_context():
        actor = user("org_admin")
        ds, first = dataset_with_table(actor, publish=True)
        with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
            data = fh.read().replace(b"\n", b"\r\n")  # another file: a second version
        second = resources.upload(actor, ds.id, io.BytesIO(data), "korban.csv", resource_id=first.resource.id)
        assert second.version.number == 2
        blocked_ds = _blocked_upload(actor)
    spot = {"name": ds.name, "resource": first.resource.id, "blocked": blocked_ds}
    for _ in range(3):
        assert client.get(_urls(spot)["csv"]).status_code == 200
    spot["downloads"] = _downloads(client, spot)
    spot["show"] = client.get(_urls(spot)["show"]).json["result"]  # the counts as the backup has them
    return spot


def _blocked_upload(actor) -> str:
    from app.services import datasets, resources

    ds = datasets.create(actor, {"title": "Uji BNBA", "name": "uji-bnba", "topics": ["bencana-sosial"],
                                 "organization": "bidang-perlindungan-jaminan-sosial"})
    with open(BNBA_SAMPLE, "rb") as fh:
        result = resources.upload(actor, ds.id, fh, BNBA_SAMPLE.name)
    assert result.blocked and result.version.storage == "quarantine"
    return ds.name


def _urls(spot) -> dict[str, str]:
    base = f"/dataset/{spot['name']}/resource/{spot['resource']}"
    return {"csv": f"{base}/download/{spot['name']}.csv", "json": f"{base}/download/{spot['name']}.json",
            "original": f"{base}/original", "original_v1": f"{base}/original?version=1",
            "csv_v1": f"{base}/download/{spot['name']}.csv?version=1", "page": f"/dataset/{spot['name']}",
            "show": f"/api/3/action/package_show?id={spot['name']}",
            "search": "/api/3/action/package_search?q=korban"}


def _downloads(client, spot) -> dict[str, bytes]:
    """The bytes of the table's downloads and of its originals, both versions."""
    urls = _urls(spot)
    out = {}
    for k in ("csv", "json", "original", "original_v1", "csv_v1"):
        answer = client.get(urls[k])  # read each streamed answer before the next request
        assert answer.status_code == 200, k
        out[k] = answer.data
    assert out["original"] != out["original_v1"]
    return out


def _run(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.output.strip().splitlines()[-1]), result.output


def _state(app) -> dict:
    """What a target holds: its rows and its files."""
    from app.services import backup

    with app.app_context():
        contents = backup.target_contents()
    files = sorted(str(p.relative_to(app.config["DATASETS_DIR"])) for p in Path(app.config["DATASETS_DIR"]).rglob("*"))
    quarantine = Path(app.config["QUARANTINE_DIR"])
    held = sorted(str(p) for p in quarantine.rglob("*")) if quarantine.exists() else []
    return {"contents": contents, "files": files, "quarantine": held}


def test_a_backup_restored_into_an_empty_portal_gives_the_same_portal(app, source, target, tmp_path):
    archive = tmp_path / "portal-backup.tar.gz"
    code, summary, output = _run(app, "backup", str(archive))
    assert code == 0 and summary["written"], output
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert not Path(str(archive) + ".tmp").exists()
    assert summary["datasets"] == 2 and summary["versions"] == 3 and summary["users"] == 5
    assert summary["missing"] == [] and summary["attempts"] == 1

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == 1 and manifest["dialect"] == app.extensions["db_engine"].dialect.name
    assert manifest["created"].endswith("+00:00") and manifest["portal_version"]
    assert sorted(f["path"] for f in manifest["files"]) == sorted(n for n in names if n != "manifest.json")
    assert all(len(f["sha256"]) == 64 and f["size"] > 0 for f in manifest["files"])
    # 1 database, 3 versions x (original + table file; PostgreSQL's tables are in the dump); no index,
    # no staging folder
    per_version = 1 + len(table_files(app))
    assert len(manifest["files"]) == 1 + 3 * per_version
    assert sum(n.startswith("quarantine/") for n in names) == per_version
    assert not any("search_index" in n or ".incoming" in n for n in names)

    code, result, output = _run(target, "restore", str(archive))
    assert code == 0 and result["restored"], output
    assert result["check"]["clean"] and result["check"]["checked_versions"] == 3
    assert result["indexed"] == 1 and result["datasets"] == 2

    client = target.test_client()
    assert client.get(_urls(source)["show"]).json["result"] == source["show"]  # metadata, counts
    assert _downloads(client, source) == source["downloads"]  # byte for byte
    found = client.get(_urls(source)["search"]).json["result"]
    assert [d["name"] for d in found["results"]] == [source["name"]]
    assert client.get(_urls(source)["page"]).status_code == 200
    assert client.get(f"/dataset/{source['blocked']}").status_code == 404  # a draft, never public
    login = client.post("/user/login", data={"email": "admin@test.local", "password": PASSWORD})
    assert login.status_code == 302 and client.get(f"/dataset/{source['blocked']}").status_code == 200
    held = Path(target.config["QUARANTINE_DIR"])
    assert stat.S_IMODE(held.stat().st_mode) & 0o077 == 0 and len(list(held.iterdir())) == 1
    with target.app_context():
        from app.services import integrity, search

        assert integrity.check().clean
        assert search.check() == {"missing": [], "extra": [], "stale": []}


def test_a_restore_into_a_portal_that_is_not_empty_is_refused(app, source, tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert _run(app, "backup", str(archive))[0] == 0
    before = _state(app)
    code, result, output = _run(app, "restore", str(archive))
    assert code == 1 and not result["restored"]
    assert "not empty" in result["reason"] and "2 datasets" in result["reason"] and "5 users" in result["reason"]
    assert "Traceback" not in output
    assert _state(app) == before


def _rewrite(archive: Path, out: Path, change) -> None:
    """Copy a backup as a plain tar, `change(name, data)` giving each member's new bytes."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for info in src:
            data = change(info.name, src.extractfile(info).read())
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


def test_a_damaged_or_truncated_archive_is_refused_and_nothing_is_written(app, source, target, tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert _run(app, "backup", str(archive))[0] == 0
    empty = _state(target)

    flipped = tmp_path / "flipped.tar"

    def flip(name, data):
        if name.endswith(".csv") and name.startswith("datasets/"):
            return data[:10] + bytes([data[10] ^ 0x01]) + data[11:]
        return data

    _rewrite(archive, flipped, flip)
    code, result, _ = _run(target, "restore", str(flipped))
    assert code == 1 and "damaged" in result["reason"] and "original" in result["reason"]
    assert _state(target) == empty

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    code, result, _ = _run(target, "restore", str(truncated))
    assert code == 1 and "damaged or truncated" in result["reason"]
    assert _state(target) == empty

    garbled = tmp_path / "garbled.tar.gz"
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    garbled.write_bytes(bytes(raw))
    code, result, _ = _run(target, "restore", str(garbled))
    assert code == 1 and not result["restored"]
    assert _state(target) == empty

    assert gzip.decompress(archive.read_bytes())  # the real one is intact, and restores
    assert _run(target, "restore", str(archive))[0] == 0


@pytest.mark.parametrize("evil", ["../escaped.txt", "datasets/../../escaped.txt", "/tmp/escaped.txt", "link"])
def test_an_archive_with_a_member_outside_its_folders_is_refused(app, source, target, tmp_path, evil):
    archive = tmp_path / "b.tar.gz"
    assert _run(app, "backup", str(archive))[0] == 0
    empty = _state(target)
    bad = tmp_path / "bad.tar"
    with tarfile.open(archive) as src, tarfile.open(bad, "w") as dst:
        members = [(info, src.extractfile(info).read()) for info in src]
        *files, (manifest_info, manifest_bytes) = members
        for info, data in files:
            dst.addfile(info, io.BytesIO(data))
        manifest = json.loads(manifest_bytes)
        if evil == "link":
            info = tarfile.TarInfo(f"datasets/{source['resource']}/v1/original.csv.link")
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            dst.addfile(info)
            expected = "link"
        else:
            data = b"not yours\n"
            info = tarfile.TarInfo(evil)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
            import hashlib

            manifest["files"].append({"path": evil, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            expected = "outside"
        body = json.dumps(manifest).encode()
        manifest_info.size = len(body)
        dst.addfile(manifest_info, io.BytesIO(body))
    code, result, _ = _run(target, "restore", str(bad))
    assert code == 1 and expected in result["reason"], result
    assert _state(target) == empty
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/escaped.txt").exists()
    assert not (Path(target.config["DATASETS_DIR"]).parent / "escaped.txt").exists()


def test_a_backup_while_files_move_is_taken_again(app, source, tmp_path, monkeypatch):
    """A re-read that commits between the database's copy and the file copy removes the table the
    copy names: the backup is taken again, and names the new table."""
    from app.services import backup, resources

    real = backup._stored_files
    calls = []

    def reread_after_the_snapshot(versions):
        if not calls:
            with app.app_context():
                version = resources.show(user("org_admin"), source["resource"])
                resources.reread(user("org_admin"), version.id, {})
        calls.append(1)
        return real(versions)

    monkeypatch.setattr(backup, "_stored_files", reread_after_the_snapshot)
    archive = tmp_path / "b.tar.gz"
    code, summary, output = _run(app, "backup", str(archive))
    if not table_files(app):  # PostgreSQL: the tables are in the dump's snapshot, nothing moved
        assert code == 0 and summary["attempts"] == 1 and summary["missing"] == [], output
        return
    assert code == 0 and summary["attempts"] == 2 and summary["missing"] == [], output
    with tarfile.open(archive) as tar:
        tables = [n for n in tar.getnames() if "/v2/table" in n]
    assert len(tables) == 1 and tables[0].endswith(".sqlite") and "table-" in tables[0]


def test_restoring_into_another_kind_of_database_is_refused(app, source, tmp_path):
    """A SQLite backup into a PostgreSQL portal (and back) is refused clearly."""
    archive = tmp_path / "b.tar.gz"
    assert _run(app, "backup", str(archive))[0] == 0
    other = "postgresql" if app.extensions["db_engine"].dialect.name == "sqlite" else "sqlite"
    renamed = tmp_path / "other.tar"
    _rewrite(archive, renamed, lambda name, data: data.replace(b'"dialect": "sqlite"', f'"dialect": "{other}"'.encode())
             .replace(b'"dialect": "postgresql"', f'"dialect": "{other}"'.encode()) if name == "manifest.json" else data)
    folder = tmp_path / "t2"
    folder.mkdir()
    with empty_database(folder) as url:
        target = make_app(folder, url)
        try:
            code, result, _ = _run(target, "restore", str(renamed))
            assert code == 1 and f"backup is of a {other} database" in result["reason"]
        finally:
            target.extensions["db_engine"].dispose()


def test_a_backup_taken_while_uploads_go_on_restores_clean(app, source, target, tmp_path):
    """Uploads commit while backups run (another thread, its own sessions): each backup is a
    moment of the database with exactly the files it names, and restores with a clean check."""
    import threading
    import time

    done, stop, errors = [], threading.Event(), []

    def upload_until_stopped():
        try:
            with app.app_context():
                while not stop.is_set():
                    dataset_with_table(user("org_admin"), name=f"uji-serentak-{len(done)}", publish=True)
                    done.append(time.monotonic())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    writer = threading.Thread(target=upload_until_stopped)
    writer.start()
    overlapped = None
    try:
        while not done and writer.is_alive():
            time.sleep(0.01)
        for i in range(40):  # until an upload commits while a backup runs (a matter of timing)
            archive = tmp_path / f"b{i}.tar.gz"
            started = time.monotonic()
            code, summary, output = _run(app, "backup", str(archive))
            ended = time.monotonic()
            assert code == 0 and summary["missing"] == [], output
            if any(started < t < ended for t in done):
                overlapped = archive, summary
                break
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors
    assert overlapped, "no upload committed while a backup ran"
    archive, last = overlapped
    assert last["datasets"] > 2 and last["files"] == 1 + (1 + len(table_files(app))) * last["versions"]

    code, result, output = _run(target, "restore", str(archive))
    assert code == 0 and result["check"]["clean"], output
    # a dataset the snapshot caught between its creation and its publication is a draft there
    assert result["datasets"] == last["datasets"] and 1 <= result["indexed"] < last["datasets"]


@pytest.mark.skipif(not _postgres_url(), reason="PostgreSQL only: a schema of the same name")
def test_a_postgresql_backup_restores_into_a_schema_of_the_same_name(app, source, tmp_path):
    """The usual case (public into public): the dump's schema is the target's own."""
    from app.services import db_snapshot

    schema = db_snapshot.current_schema(app.extensions["db_engine"])
    archive = tmp_path / "b.tar.gz"
    assert _run(app, "backup", str(archive))[0] == 0
    folder = tmp_path / "same"
    folder.mkdir()
    with empty_database(folder, schema) as url:
        target = make_app(folder, url)
        try:
            assert db_snapshot.current_schema(target.extensions["db_engine"]) == schema
            code, result, output = _run(target, "restore", str(archive))
            assert code == 0 and result["check"]["clean"], output
            client = target.test_client()
            assert client.get(_urls(source)["show"]).json["result"] == source["show"]
            assert _downloads(client, source) == source["downloads"]
        finally:
            target.extensions["db_engine"].dispose()


def test_a_database_that_will_not_load_takes_its_files_back(app, source, target, tmp_path):
    """The archive checks out (the manifest matches a database that is not one): the files
    already put in place are removed again and the target stays as it was."""
    import hashlib

    archive = tmp_path / "b.tar.gz"
    assert _run(app, "backup", str(archive))[0] == 0
    empty = _state(target)
    garbage = b"this is not a database dump\n" * 100
    broken = tmp_path / "broken.tar"
    with tarfile.open(archive) as src:
        manifest = json.load(src.extractfile("manifest.json"))
    for f in manifest["files"]:
        if f["path"].startswith("database/"):
            f.update(size=len(garbage), sha256=hashlib.sha256(garbage).hexdigest())
    _rewrite(archive, broken, lambda name, data: garbage if name.startswith("database/")
             else json.dumps(manifest).encode() if name == "manifest.json" else data)
    code, result, output = _run(target, "restore", str(broken))
    assert code == 1 and "taken back" in result["reason"] and "Traceback" not in output
    assert _state(target) == empty
    assert _run(target, "restore", str(archive))[0] == 0  # nothing in the way of the real one


def test_a_portal_with_only_an_activity_row_is_not_empty(app, source, target, tmp_path):
    """Any row beside the catalog `portal init-db` writes makes a portal not empty."""
    from app import db

    archive = tmp_path / "b.tar.gz"
    assert _run(app, "backup", str(archive))[0] == 0
    with target.app_context():
        with db.engine().begin() as con:
            con.execute(text("INSERT INTO activity (timestamp, action, object_type, object_id, detail) "
                             "VALUES (CURRENT_TIMESTAMP, 'uji', 'dataset', 'x', '{}')"))
    code, result, _ = _run(target, "restore", str(archive))
    assert code == 1 and "1 rows in activity" in result["reason"]
