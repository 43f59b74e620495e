"""A refused file leaves nothing behind: it waits in a private quarantine, the database keeps only
masked values of it, deleting or an aged purge removes it at once, and a correction or an override
publishes it from the normal data folder."""
from __future__ import annotations

import errno
import io
import os
import socket
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from tests.conftest import BNBA_SAMPLE
from tests.factories import ORG, dataset_with_table, user
from tests.support.database import database_text
from tests.support.table_targets import table_files

# What the BNBA sample must never leave outside the quarantine: a full NIK, a phone number, a name.
BNBA_RAW = ["5203011208850003", "081237654321", "Lalu Ahmad Fadli", "Fadli"]
NAMES = ["Lalu Ahmad Fadli", "Baiq Sri Wahyuni", "Muhammad Rizal", "Ni Luh Putu Ayu", "I Made Suarta",
         "Siti Aminah", "Abdul Rahman", "Dewi Lestari", "Sri Mulyani", "Ahmad Zainuddin"]
NAMES_RAW = ["Lalu Ahmad Fadli", "Baiq Sri Wahyuni", "Fadli"]


@pytest.fixture
def names_only(tmp_path) -> Path:
    """A file of person names alone, under a header that says nothing of people."""
    path = tmp_path / "samples" / "daftar_hadir.csv"
    path.parent.mkdir()
    path.write_text("No,Peserta\n" + "".join(f"{i},{n}\n" for i, n in enumerate(NAMES, 1)))
    return path


def _where(app, tmp_path: Path, raw: list[str]) -> dict[str, set[str]]:
    """raw value -> the places holding it: files under the test's folder (data folders, search
    index, instance, the SQLite file and its log) and "database" for the SQL dump."""
    found: dict[str, set[str]] = {}
    for path in tmp_path.rglob("*"):
        if path.is_file() and "samples" not in path.relative_to(tmp_path).parts:
            data = path.read_bytes()
            for value in raw:
                if value.encode() in data:
                    found.setdefault(value, set()).add(str(path.relative_to(tmp_path)))
    dump = database_text(app)
    for value in raw:
        if value in dump:
            found.setdefault(value, set()).add("database")
    return found


def _only_in_quarantine(app, tmp_path, raw) -> None:
    quarantine = Path(app.config["QUARANTINE_DIR"]).relative_to(tmp_path)
    found = _where(app, tmp_path, raw)
    outside = {v: sorted(p for p in places if not p.startswith(str(quarantine) + os.sep))
               for v, places in found.items()}
    assert {v: p for v, p in outside.items() if p} == {}
    assert found, "the quarantine should hold the file"


def _nowhere(app, tmp_path, raw) -> None:
    assert _where(app, tmp_path, raw) == {}


def _upload_page(client, path: Path):
    with open(path, "rb") as fh:
        return client.post("/admin/upload", data={"file": (fh, path.name)}, content_type="multipart/form-data")


def _version_id(resp) -> str:
    return resp.headers["Location"].rsplit("/", 1)[1]


def _version(app, version_id):
    with app.app_context():
        from app import db
        from app.models import ResourceVersion

        return db.session().get(ResourceVersion, version_id)


@pytest.mark.parametrize("sample", ["bnba", "names"])
def test_a_file_refused_at_the_web_door_waits_in_quarantine_and_goes_when_deleted(
        client, auth, app, tmp_path, names_only, sample):
    path, raw = (BNBA_SAMPLE, BNBA_RAW) if sample == "bnba" else (names_only, NAMES_RAW)
    auth.login("org_admin")
    resp = _upload_page(client, path)
    assert resp.status_code == 302
    version_id = _version_id(resp)
    review = client.get(resp.headers["Location"])
    assert review.status_code == 200 and 'id="findings"' in review.get_data(as_text=True)
    assert 'id="quarantined"' in review.get_data(as_text=True)
    version = _version(app, version_id)
    assert version.privacy_status == "blocked" and version.storage == "quarantine"
    folder = Path(app.config["QUARANTINE_DIR"]) / version_id
    assert sorted(p.name for p in folder.iterdir()) == ["original.csv", *table_files(app)]
    # Nothing of it in the public data folder, and the raw values only inside the quarantine.
    assert [p for p in os.listdir(app.config["DATASETS_DIR"]) if not p.startswith(".")] == []
    _only_in_quarantine(app, tmp_path, raw)
    # What the database keeps: counts, masked examples and rows left out; no top values.
    for column in version.summary.values():
        assert set(column) <= {"nulls", "distinct"}

    assert client.post(f"/admin/version/{version_id}/delete").status_code == 302
    assert not folder.exists()
    _nowhere(app, tmp_path, raw)


@pytest.mark.parametrize("sample", ["bnba", "names"])
def test_a_file_refused_at_the_api_leaves_nothing_anywhere(client, app, users, tmp_path, names_only, sample):
    from app.services import users as user_service

    path, raw = (BNBA_SAMPLE, BNBA_RAW) if sample == "bnba" else (names_only, NAMES_RAW)
    with app.app_context():
        _token, key = user_service.create_token(user("editor"), "uji")
    headers = {"Authorization": key}
    pkg = client.post("/api/3/action/package_create", headers=headers,
                      json={"name": "uji-karantina", "title": "Uji karantina", "owner_org": ORG}).get_json()
    assert pkg["success"], pkg
    with open(path, "rb") as fh:
        resp = client.post("/api/3/action/resource_create", headers=headers, content_type="multipart/form-data",
                           data={"package_id": pkg["result"]["id"], "upload": (fh, path.name)})
    assert resp.get_json()["success"] is False
    _nowhere(app, tmp_path, raw)
    staging = Path(app.config["QUARANTINE_DIR"]) / ".incoming"
    assert not staging.exists() or list(staging.iterdir()) == []


def test_deleting_the_dataset_purges_its_quarantined_upload_at_once(client, auth, app, tmp_path):
    auth.login("org_admin")
    resp = _upload_page(client, BNBA_SAMPLE)
    name = resp.headers["Location"].split("/admin/dataset/")[1].split("/")[0]
    version_id = _version_id(resp)
    assert client.post(f"/admin/dataset/{name}/delete").status_code == 302
    assert not (Path(app.config["QUARANTINE_DIR"]) / version_id).exists()
    assert _version(app, version_id).storage == "purged"
    _nowhere(app, tmp_path, BNBA_RAW)


def test_an_aged_quarantined_upload_is_purged_and_its_pages_still_work(client, auth, app, runner, tmp_path):
    with app.app_context():
        ds, _clean = dataset_with_table(user("org_admin"), publish=True, name="korban-karantina")
        resource_id = ds.resources[0].id
    auth.login("org_admin")
    with open(BNBA_SAMPLE, "rb") as fh:  # a new version of a published table, refused
        resp = client.post(f"/admin/dataset/korban-karantina/resource/{resource_id}/upload",
                           data={"file": (fh, "bnba.csv")}, content_type="multipart/form-data")
    old_id = _version_id(resp)
    fresh_id = _version_id(_upload_page(client, BNBA_SAMPLE))  # another one, acted on today
    hold = Path(app.config["QUARANTINE_DIR"])
    aged = time.time() - 31 * 86400
    os.utime(hold / old_id, (aged, aged))

    result = runner.invoke(args=["quarantine", "purge"])
    assert result.exit_code == 0, result.output
    assert f"purged: {old_id}" in result.output and fresh_id not in result.output
    assert not (hold / old_id).exists() and (hold / fresh_id).is_dir()
    assert _version(app, old_id).storage == "purged"

    # The rows say "purged"; no page breaks on them.
    review_url = f"/admin/dataset/korban-karantina/review/{old_id}"
    page = client.get(review_url)
    assert page.status_code == 200 and 'id="purged"' in page.get_data(as_text=True)
    assert client.get("/admin/dataset/korban-karantina").status_code == 200
    assert client.get(f"/dataset/korban-karantina/resource/{resource_id}").status_code == 200  # its history
    reread = client.post(review_url, data={"drop": ["#1", "#2"]}, follow_redirects=True)
    assert reread.status_code == 200 and 'id="purged"' in reread.get_data(as_text=True)
    client.post("/user/logout")
    assert client.get("/dataset/korban-karantina").status_code == 200
    assert client.get(f"/dataset/korban-karantina/resource/{resource_id}").status_code == 200
    assert client.get(f"/dataset/korban-karantina/resource/{resource_id}?version=2").status_code == 404

    # Deleting the fresh one too: the BNBA values are nowhere at all.
    auth.login("org_admin")
    assert client.post(f"/admin/version/{fresh_id}/delete").status_code == 302
    _nowhere(app, tmp_path, BNBA_RAW)
    assert client.post(f"/admin/version/{old_id}/delete").status_code == 302


def test_purge_runs_at_start_up_of_serve(app, users, runner, tmp_path, monkeypatch):
    import app.cli as cli

    with app.app_context():
        from app.services import datasets, resources

        ds = datasets.create(user("org_admin"), {"title": "Uji mulai"})
        result = resources.upload(user("org_admin"), ds.id, io.BytesIO(BNBA_SAMPLE.read_bytes()), "bnba.csv")
        version_id = result.version.id
    folder = Path(app.config["QUARANTINE_DIR"]) / version_id
    aged = time.time() - 40 * 86400
    os.utime(folder, (aged, aged))
    served = []
    monkeypatch.setattr(cli, "_serve", lambda *args, **kwargs: served.append(args))
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = runner.invoke(args=["serve", "--port", str(port)])
    assert out.exit_code == 0, out.output
    assert served and not folder.exists() and _version(app, version_id).storage == "purged"
    _nowhere(app, tmp_path, BNBA_RAW)


def test_dropping_the_personal_columns_publishes_from_the_public_folder(client, auth, app, tmp_path):
    auth.login("org_admin")
    resp = _upload_page(client, BNBA_SAMPLE)
    review_url = resp.headers["Location"]
    name = review_url.split("/admin/dataset/")[1].split("/")[0]
    version_id = _version_id(resp)
    # Columns by position, as the form sends them: Nama Lengkap, NIK, Alamat, No HP.
    client.post(review_url, data={"drop": ["#1", "#2", "#3", "#4"]})
    version = _version(app, version_id)
    assert version.privacy_status == "ok" and version.storage == "public"
    public = Path(app.config["DATASETS_DIR"]) / version.resource_id / "v1"
    assert sorted(p.name for p in public.iterdir()) == ["original.csv", *table_files(app)]
    assert not (Path(app.config["QUARANTINE_DIR"]) / version_id).exists()
    client.post(f"/admin/dataset/{name}/edit", data={"title": "Program per baris", "topics": ["bantuan-sosial"],
                                                     "license_id": "CC-BY-4.0"})
    client.post(f"/admin/dataset/{name}/publish")
    client.post("/user/logout")
    body = client.get(f"/dataset/{name}/resource/{version.resource_id}/download/x.csv").get_data(as_text=True)
    assert body.splitlines() == ["No,Program", "1,PKH", "2,BPNT", "3,PKH"]
    # The original (with the dropped columns) stays the organization's; the table holds none of them.
    assert client.get(f"/dataset/{name}/resource/{version.resource_id}/original").status_code == 404
    places = _where(app, tmp_path, ["5203011208850003", "081237654321"])
    assert places == {v: {f"datasets/{version.resource_id}/v1/original.csv"} for v in places}


def test_a_sysadmin_override_installs_the_upload_in_the_public_folder(client, auth, app, tmp_path):
    auth.login("org_admin")
    resp = _upload_page(client, BNBA_SAMPLE)
    name = resp.headers["Location"].split("/admin/dataset/")[1].split("/")[0]
    version_id = _version_id(resp)
    client.post("/user/logout")
    auth.login("sysadmin")
    client.post(f"/admin/version/{version_id}/override",
                data={"justification": "Data uji sintetis, bukan data pribadi orang sungguhan."})
    version = _version(app, version_id)
    assert version.privacy_status == "overridden" and version.storage == "public"
    assert not (Path(app.config["QUARANTINE_DIR"]) / version_id).exists()
    public = Path(app.config["DATASETS_DIR"]) / version.resource_id / "v1"
    assert sorted(p.name for p in public.iterdir()) == ["original.csv", *table_files(app)]
    # Readable now: its summary is whole again (read anew from the installed file).
    assert version.summary["Program"]["top"] == [["PKH", 2], ["BPNT", 1]]
    client.post(f"/admin/dataset/{name}/edit", data={"title": "Uji override", "topics": ["bantuan-sosial"],
                                                     "license_id": "CC-BY-4.0"})
    assert client.post(f"/admin/dataset/{name}/publish").status_code == 302
    client.post("/user/logout")
    body = client.get(f"/dataset/{name}/resource/{version.resource_id}/download/x.csv").get_data(as_text=True)
    assert "PKH" in body and len(body.splitlines()) == 4


def test_a_blocked_upload_of_an_older_portal_is_moved_to_quarantine(app, users, tmp_path):
    """Before the quarantine, a blocked upload stayed in the public folder with raw values in the database."""
    from app import db
    from app.models import ResourceVersion
    from app.services import datasets, quarantine, resources

    with app.app_context():
        ds = datasets.create(user("org_admin"), {"title": "Uji lama"})
        version = resources.upload(user("org_admin"), ds.id, io.BytesIO(BNBA_SAMPLE.read_bytes()), "bnba.csv").version
        version_id, resource_id = version.id, version.resource_id
    # As an older portal left it: files in DATASETS_DIR, the raw summary in the database.
    legacy = Path(app.config["DATASETS_DIR"]) / resource_id / "v1"
    legacy.parent.mkdir(parents=True)
    os.replace(Path(app.config["QUARANTINE_DIR"]) / version_id, legacy)
    with app.app_context():
        with db.transaction() as s:
            row = s.get(ResourceVersion, version_id)
            row.storage = "public"
            row.summary = {"NIK": {"nulls": 0, "top": [["5203011208850003", 1]], "distinct": 3}}
    assert "database" in _where(app, tmp_path, ["5203011208850003"])["5203011208850003"]
    with app.app_context():
        assert quarantine.sweep()["secured"] == 1
        assert quarantine.sweep()["secured"] == 0
    assert _version(app, version_id).storage == "quarantine" and not legacy.exists()
    _only_in_quarantine(app, tmp_path, BNBA_RAW)


def test_an_older_database_gets_the_new_columns(app, users):
    from app import db

    with app.app_context():
        engine = db.engine()
        with engine.begin() as con:
            con.execute(text("ALTER TABLE resource_version DROP COLUMN storage"))
            con.execute(text("ALTER TABLE resource_version DROP COLUMN downloads"))
        db.create_schema()
        db.create_schema()  # a second start changes nothing
        assert {"storage", "downloads"} <= {c["name"] for c in inspect(engine).get_columns("resource_version")}
        _ds, result = dataset_with_table(user("org_admin"))
        assert result.version.storage == "public" and result.version.downloads == 0


def test_a_move_across_file_systems_still_appears_whole(tmp_path, monkeypatch):
    from app import storage

    source = tmp_path / "a" / "v"
    source.mkdir(parents=True)
    (source / "original.csv").write_text("x\n1\n")
    (source / "table.sqlite").write_bytes(b"t")
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append((Path(src), Path(dst)))
        if Path(src) == source:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real(src, dst)

    monkeypatch.setattr(storage.os, "replace", replace)
    final = tmp_path / "b" / "r" / "v1"
    storage.move_dir(source, final, tmp_path / "b" / ".incoming")
    assert sorted(p.name for p in final.iterdir()) == ["original.csv", "table.sqlite"]
    assert not source.exists() and list((tmp_path / "b" / ".incoming").iterdir()) == []
    assert calls[-1][1] == final and calls[-1][0].parent == tmp_path / "b" / ".incoming"


def test_a_file_without_a_header_row_keeps_its_people_out_of_the_database(client, auth, app, tmp_path):
    # The first person's row becomes the header: "LALU MUHAMMAD ZAINUL" is a column name. The version row
    # keeps masked names only; the form and the re-read name columns by their place in the file.
    people = ["LALU MUHAMMAD ZAINUL", "BAIQ NURUL HIDAYATI", "I MADE SUARTAWAN", "HJ. SITI AMINAH",
              "NI LUH PUTU SARI", "AHMAD BIN ABDULLAH", "MUHAMMAD RIZAL", "SRI WAHYUNI",
              "AGUS SETIAWAN", "DEWI KARTIKA", "ABDUL HAMID", "NURUL AINI"]
    villages = ["Gerung Utara", "Kebon Ayu", "Banyumulek", "Dasan Geria", "Lembuak", "Sesela"]
    path = tmp_path / "samples" / "tanpa_judul.csv"
    path.parent.mkdir()
    path.write_text("".join(f"{p},{villages[i % 6]},{i + 1}\n" for i, p in enumerate(people)))
    auth.login("org_admin")
    resp = _upload_page(client, path)
    review_url = resp.headers["Location"]
    version_id = _version_id(resp)
    page = client.get(review_url).get_data(as_text=True)
    assert 'id="findings"' in page
    for person in people:
        assert person not in page, person
    _only_in_quarantine(app, tmp_path, people)

    # The name column is dropped by its place; what is left is clean and published from the public folder.
    client.post(review_url, data={"drop": ["#0"]})
    version = _version(app, version_id)
    assert version.privacy_status == "ok" and version.storage == "public"
    assert len(version.columns) == 2  # the village and the number stay
    places = _where(app, tmp_path, people[1:])
    assert places == {v: {f"datasets/{version.resource_id}/v1/original.csv"} for v in places}


def test_a_quarantine_folder_made_by_hand_is_closed_to_others(client, auth, app):
    folder = Path(app.config["QUARANTINE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)  # as an operator's mkdir leaves it
    auth.login("org_admin")
    assert _upload_page(client, BNBA_SAMPLE).status_code == 302
    assert folder.stat().st_mode & 0o777 == 0o700
