"""Every personal-data variant is refused on every door (admin pages, API, CLI), and a refused
upload leaves nothing reachable through the pages, the search, the API or a download."""
from __future__ import annotations

import io

import pytest

from tests.conftest import BNBA_SAMPLE
from tests.factories import dataset_with_table, user
from tests.support.privacy import PRIVACY_FILES, VARIANTS, no_full_identifier
from tests.support.database import stored_dataset

DOORS = ["admin", "api", "cli"]
ORG = "bidang-perlindungan-jaminan-sosial"


def _through_admin(client, auth, app, path) -> str:
    auth.login("org_admin")
    with open(path, "rb") as fh:
        resp = client.post("/admin/upload", data={"file": (fh, path.name)}, content_type="multipart/form-data")
    review_url = resp.headers["Location"]
    name = review_url.split("/admin/dataset/")[1].split("/")[0]
    page = client.get(review_url).get_data(as_text=True)
    assert 'id="findings"' in page
    no_full_identifier(page)
    client.post(f"/admin/dataset/{name}/edit", data={"title": "Varian", "topics": ["bantuan-sosial"],
                                                     "license_id": "CC-BY-4.0"})
    no_full_identifier(client.post(f"/admin/dataset/{name}/publish", follow_redirects=True).get_data(as_text=True))
    client.post("/user/logout")
    return name


def _through_api(client, app, path) -> str:
    from app.services import users

    with app.app_context():
        _, raw = users.create_token(user("org_admin"), "uji")
    headers = {"Authorization": raw}
    name = "varian-api"
    created = client.post("/api/3/action/package_create", headers=headers,
                          json={"name": name, "title": "Varian API", "owner_org": ORG,
                                "groups": [{"name": "bantuan-sosial"}]})
    assert created.status_code == 200, created.get_data(as_text=True)
    with open(path, "rb") as fh:
        resp = client.post("/api/3/action/resource_create", headers=headers, content_type="multipart/form-data",
                           data={"package_id": name, "name": "Varian", "upload": (fh, path.name)})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409 and resp.get_json()["error"]["__type"] == "Validation Error"
    no_full_identifier(body)
    published = client.post("/api/3/action/package_patch", headers=headers, json={"id": name, "state": "active"})
    assert published.status_code == 409  # nothing to publish: the table was refused
    return name


def _through_cli(runner, path) -> str:
    runner.invoke(args=["create-admin", "cli-admin@ntbprov.go.id"])
    result = runner.invoke(args=["upload", str(path), "--dataset", "varian-cli", "--topic", "bantuan-sosial",
                                 "--publish"])
    assert result.exit_code != 0
    no_full_identifier(result.output)
    return "varian-cli"


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("filename", VARIANTS + ["contoh_bnba_harus_ditolak.csv"])
def test_personal_data_is_refused_on_every_door_and_nothing_is_reachable(client, auth, app, runner, users,
                                                                         door, filename, caplog):
    path = BNBA_SAMPLE if filename == "contoh_bnba_harus_ditolak.csv" else PRIVACY_FILES / filename
    if door == "admin":
        name = _through_admin(client, auth, app, path)
    elif door == "api":
        name = _through_api(client, app, path)
    else:
        name = _through_cli(runner, path)
    no_full_identifier(caplog.text)

    with app.app_context():

        ds = stored_dataset(name)
        assert ds is None or ds.state != "published"
        resource_ids = [r.id for r in ds.resources] if ds else []
    anonymous = app.test_client()
    assert anonymous.get(f"/dataset/{name}").status_code == 404
    for rid in resource_ids:
        for url in (f"/dataset/{name}/resource/{rid}", f"/dataset/{name}/resource/{rid}/original",
                    f"/dataset/{name}/resource/{rid}/download/x.csv",
                    f"/api/3/action/resource_show?id={rid}", f"/api/3/action/datastore_search?resource_id={rid}"):
            assert anonymous.get(url).status_code in (403, 404), url
    found = anonymous.get("/api/3/action/package_search?q=varian&rows=100").get_json()["result"]
    assert found["count"] == 0
    assert anonymous.get(f"/api/3/action/package_show?id={name}").status_code == 404
    assert anonymous.get("/dataset?format=json&q=varian").get_json()["count"] == 0


def test_personal_data_in_a_new_version_of_a_published_table_stays_out(client, auth, app, users):
    with app.app_context():
        ds, first = dataset_with_table(user("org_admin"), "pmks_per_kabupaten_2023.csv", publish=True)
        name, rid = ds.name, first.resource.id
    auth.login("org_admin")
    with open(BNBA_SAMPLE, "rb") as fh:
        resp = client.post(f"/admin/dataset/{name}/resource/{rid}/upload", content_type="multipart/form-data",
                           data={"file": (fh, BNBA_SAMPLE.name)})
    assert resp.status_code == 302
    with app.app_context():

        versions = stored_dataset(name).resources[0].versions
        assert [(v.number, v.privacy_status) for v in versions] == [(2, "blocked"), (1, "ok")]
    client.post("/user/logout")

    # The public keeps seeing version 1, and nothing of version 2 anywhere.
    page = client.get(f"/dataset/{name}/resource/{rid}").get_data(as_text=True)
    assert "Fadli" not in page and "blocked" not in page and "diblokir" not in page
    no_full_identifier(page)
    assert client.get(f"/dataset/{name}/resource/{rid}?version=2").status_code == 404
    assert client.get(f"/dataset/{name}/resource/{rid}/download/x.csv?version=2").status_code == 404
    csv_body = client.get(f"/dataset/{name}/resource/{rid}/download/x.csv").get_data(as_text=True)
    assert "Kota Mataram" in csv_body or "Mataram" in csv_body
    no_full_identifier(csv_body)
    for url in (f"/api/3/action/package_show?id={name}", f"/api/3/action/resource_show?id={rid}",
                f"/api/3/action/datastore_search?resource_id={rid}&limit=1000",
                "/api/3/action/package_search?q=pmks&rows=100", f"/dataset/{name}.jsonld",
                f"/dataset/{name}/datapackage.json"):
        body = client.get(url).get_data(as_text=True)
        no_full_identifier(body)
        assert "Fadli" not in body, url


def test_npwp_values_are_found_under_any_header():
    from app.ingest.privacy import find_personal_data

    rows = [["Kecamatan A", "12.345.678.9-012.345"], ["Kecamatan B", "98.765.432.1-098.765"], ["Kecamatan C", "-"]]
    (finding,) = find_personal_data(["kecamatan", "keterangan"], rows)
    assert (finding.column, finding.kind, finding.count) == ("keterangan", "npwp", 2)
    shown = " ".join(finding.examples) + str(finding.reason.params)
    assert "12.345.678.9-012.345" not in shown and "98.765.432.1-098.765" not in shown
    assert all("*" in e for e in finding.examples)


def test_a_refused_upload_leaves_no_file_behind(app, users):
    import os

    from app.services import datasets, resources
    from app.services.resources import PersonalDataFound

    with app.app_context():
        ds = datasets.create(user("org_admin"), {"title": "Sisa", "topics": ["bantuan-sosial"]})
        with pytest.raises(PersonalDataFound):
            resources.upload(user("org_admin"), ds.id, io.BytesIO(BNBA_SAMPLE.read_bytes()), "bnba.csv",
                             keep_blocked=False)
    root = app.config["DATASETS_DIR"]
    assert [p for p in os.listdir(root) if not p.startswith(".")] == []
    assert os.listdir(os.path.join(root, ".incoming")) == []


@pytest.mark.parametrize("refused_file", [BNBA_SAMPLE, PRIVACY_FILES / "corpus" / "bnba_penerima_desa.csv"])
def test_the_demo_loader_refuses_a_sample_with_personal_data(app, users, tmp_path, refused_file):
    import shutil

    from app.services import catalog, demo
    from app.services.resources import PersonalDataFound
    from tests.factories import SAMPLES

    shutil.copy(SAMPLES / "pmks_per_kabupaten_2023.csv", tmp_path)
    shutil.copy(refused_file, tmp_path / "contoh_bnba_harus_ditolak.csv")
    entries = [{"file": "pmks_per_kabupaten_2023.csv", "title": "PMKS 2023", "topics": ["pmks-ppks"]},
               {"file": BNBA_SAMPLE.name, "title": "Contoh BNBA", "topics": ["bantuan-sosial"]}]
    with app.app_context():
        with pytest.raises(PersonalDataFound) as refused:
            demo.seed(user("sysadmin"), entries, folder=tmp_path)
        no_full_identifier(str(refused.value))
        assert stored_dataset("pmks-per-kabupaten-2023").state == "published"
        assert [d.name for d in catalog.latest_public(10)] == ["pmks-per-kabupaten-2023"]
    client = app.test_client()
    assert client.get("/dataset/contoh-bnba-harus-ditolak").status_code == 404
    assert client.get("/dataset?format=json&q=BNBA").get_json()["count"] == 0


def _second_line_variants() -> list[str]:
    """One person-level file of each variant of the labelled corpus (names only, split NIK, microdata...)."""
    import json

    manifest = json.loads((PRIVACY_FILES / "corpus" / "manifest.json").read_text(encoding="utf-8"))
    first: dict[str, str] = {}
    for entry in manifest:
        if entry["label"] == "personal":
            first.setdefault(entry["variant"], entry["file"])
    return [first[v] for v in sorted(first)]


def _names_in(path) -> list[str]:
    """The person names a file holds (its cells that read as names), to look for in every answer."""
    from app.ingest import read_table
    from app.ingest.privacy import PersonalDataScanner
    from app.ingest.privacy.names import is_person_name

    scanner = PersonalDataScanner()
    read_table(path, path.name, inspectors=[scanner])
    return sorted({v for c in scanner.columns for v in c.distinct if " " in v and is_person_name(v)})


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("relative", _second_line_variants())
def test_second_line_variants_are_refused_on_every_door_and_show_no_name(client, auth, app, runner, users,
                                                                         door, relative, caplog, capsys):
    path = PRIVACY_FILES / "corpus" / relative
    names = _names_in(path)
    if door == "admin":
        auth.login("org_admin")
        with open(path, "rb") as fh:
            resp = client.post("/admin/upload", data={"file": (fh, path.name)}, content_type="multipart/form-data")
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert 'id="findings"' in page
        shown = page
        name = resp.headers["Location"].split("/admin/dataset/")[1].split("/")[0]
    elif door == "api":
        name = _through_api(client, app, path)
        shown = ""
    else:
        runner.invoke(args=["create-admin", "cli-admin@ntbprov.go.id"])
        result = runner.invoke(args=["upload", str(path), "--dataset", "varian-cli", "--topic", "bantuan-sosial",
                                     "--publish"])
        assert result.exit_code != 0 and '"refused": true' in result.output
        shown, name = result.output, "varian-cli"
    shown += caplog.text
    for person in names:
        assert person not in shown, person
    no_full_identifier(shown)
    anonymous = app.test_client()
    assert anonymous.get(f"/dataset/{name}").status_code == 404
    assert anonymous.get("/api/3/action/package_search?q=varian&rows=100").get_json()["result"]["count"] == 0
