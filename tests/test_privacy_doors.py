"""Personal data is refused on every door, and nothing of it is reachable afterwards."""
from __future__ import annotations

import logging

import pytest

from tests.conftest import BNBA_SAMPLE
from tests.factories import dataset_with_table, user
from tests.support.privacy import PRIVACY_FILES, VARIANTS, no_full_identifier
from tests.support.database import stored_dataset


def _upload_page(client, path):
    with open(path, "rb") as fh:
        return client.post("/admin/upload", data={"file": (fh, path.name)}, content_type="multipart/form-data")


def _describe_publish_and_log_out(client, app, name: str, title: str) -> str:
    """Fill the metadata, publish through the admin pages, log out; return the resource id."""
    client.post(f"/admin/dataset/{name}/edit", data={"title": title, "topics": ["bantuan-sosial"],
                                                     "license_id": "CC-BY-4.0"})
    client.post(f"/admin/dataset/{name}/publish")
    client.post("/user/logout")
    with app.app_context():

        ds = stored_dataset(name)
        assert ds.state == "published"
        return ds.resources[0].id


def test_admin_upload_of_bnba_is_blocked_with_masked_findings(client, auth, app, caplog):
    caplog.set_level(logging.INFO)
    auth.login("org_admin")
    resp = _upload_page(client, BNBA_SAMPLE)
    review_url = resp.headers["Location"]
    name = review_url.split("/admin/dataset/")[1].split("/")[0]
    page = client.get(review_url).get_data(as_text=True)
    assert 'id="findings"' in page
    assert "NIK" in page and "No HP" in page
    assert "5203********0003" in page
    # The whole review page (findings, type notes, first rows, skipped rows) shows masked values only,
    # and so does the log.
    no_full_identifier(page)
    assert "Fadli" not in page  # names of the person-level column are masked too
    no_full_identifier(caplog.text)

    # Publishing is refused.
    resp = client.post(f"/admin/dataset/{name}/edit", data={"title": "BNBA", "topics": ["bantuan-sosial"],
                                                            "license_id": "CC-BY-4.0"})
    resp = client.post(f"/admin/dataset/{name}/publish", follow_redirects=True)
    assert "personal data" in resp.get_data(as_text=True) or "data pribadi" in resp.get_data(as_text=True)
    with app.app_context():

        ds = stored_dataset(name)
        assert ds.state == "draft"
        rid = ds.resources[0].id

    # Not even the organization reads the blocked table: no preview, download, original or API.
    for url in (f"/dataset/{name}/resource/{rid}", f"/dataset/{name}/resource/{rid}/original",
                f"/dataset/{name}/resource/{rid}/download/x.csv", f"/dataset/{name}/resource/{rid}/download/x.xlsx",
                f"/dataset/{name}/resource/{rid}/download/x.json", f"/api/3/action/datastore_search?resource_id={rid}"):
        resp = client.get(url)
        assert resp.status_code == 404, url
        no_full_identifier(resp.get_data(as_text=True))
    no_full_identifier(client.get(f"/dataset/{name}").get_data(as_text=True))

    # Nothing of it is reachable by the public.
    client.post("/user/logout")
    for url in (f"/dataset/{name}", f"/dataset/{name}/resource/{rid}", f"/dataset/{name}/resource/{rid}/original",
                f"/dataset/{name}/resource/{rid}/download/x.csv", f"/dataset/{name}/resource/{rid}/download/x.json"):
        assert client.get(url).status_code == 404, url
    for q in ("Fadli", "5203011208850003", "Lendang", "BNBA", "contoh"):
        found = client.get(f"/dataset?format=json&q={q}").get_json()
        assert found["results"] == [] and found["count"] == 0, q


def test_dropping_the_personal_columns_lets_the_table_through_but_not_its_original(client, auth, app):
    auth.login("org_admin")
    review_url = _upload_page(client, BNBA_SAMPLE).headers["Location"]
    name = review_url.split("/admin/dataset/")[1].split("/")[0]
    resp = client.post(review_url, data={"drop": ["Nama Lengkap", "NIK", "Alamat", "No HP"]})
    assert resp.status_code == 302
    page = client.get(review_url).get_data(as_text=True)
    assert 'id="findings"' not in page
    rid = _describe_publish_and_log_out(client, app, name, "Program per baris")
    body = client.get(f"/dataset/{name}/resource/{rid}/download/x.csv").get_data(as_text=True)
    assert body.splitlines()[0] == "No,Program"
    no_full_identifier(body)
    assert client.get(f"/dataset/{name}/resource/{rid}/original").status_code == 404


@pytest.mark.parametrize("filename", VARIANTS)
def test_variants_are_refused_by_the_service_and_leave_nothing(app, users, filename):
    from app.services import datasets, resources
    from app.services.resources import PersonalDataFound

    path = PRIVACY_FILES / filename
    with app.app_context():
        ds = datasets.create(user("org_admin"), {"title": "Varian", "topics": ["bantuan-sosial"]})
        with open(path, "rb") as fh, pytest.raises(PersonalDataFound) as refused:
            resources.upload(user("org_admin"), ds.id, fh, path.name, keep_blocked=False)
        no_full_identifier(str(refused.value))
        assert stored_dataset(ds.id).resources == []


def test_every_aggregate_sample_passes_with_no_finding(demo_app):
    with demo_app.app_context():
        from app.services import catalog

        for ds in catalog.latest_public(100):
            for r in ds.resources:
                assert r.latest.findings == [], ds.name


def test_override_needs_a_sysadmin_and_a_written_justification(client, auth, app, users):
    auth.login("org_admin")
    review_url = _upload_page(client, PRIVACY_FILES / "phones_in_kontak.csv").headers["Location"]
    version_id = review_url.rsplit("/", 1)[1]
    assert client.post(f"/admin/version/{version_id}/override",
                       data={"justification": "Nomor kantor kecamatan, bukan pribadi."}).status_code == 403
    client.post("/user/logout")
    auth.login("sysadmin")
    resp = client.post(f"/admin/version/{version_id}/override", data={"justification": "ok"}, follow_redirects=True)
    assert "20" in resp.get_data(as_text=True)  # asks for at least 20 characters
    with app.app_context():
        from app.services import resources

        assert resources.version_for_update(user("sysadmin"), version_id).privacy_status == "blocked"
    reason = "Nomor telepon kantor kecamatan yang memang dipublikasikan di situs resmi."
    client.post(f"/admin/version/{version_id}/override", data={"justification": reason})
    with app.app_context():
        from app import db
        from app.models import Activity
        from app.services import resources

        assert resources.version_for_update(user("sysadmin"), version_id).privacy_status == "overridden"
        logged = db.session().query(Activity).filter_by(action="override").one()
        assert logged.detail["justification"] == reason and logged.user.email == "sysadmin@test.local"


def test_activity_history_records_every_step(client, auth, app, users):
    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), publish=True)
        from app.services import datasets

        datasets.unpublish(user("org_admin"), ds.id)
        datasets.delete(user("org_admin"), ds.id)
        from app.services import activity

        actions = [a.action for a in activity.for_dataset(user("org_admin"), stored_dataset(ds.id))]
    assert actions[::-1] == ["create", "upload", "publish", "unpublish", "delete"]


@pytest.mark.parametrize("filename", ["agregat_catatan_pribadi.csv", "agregat_sheet_bnba.xlsx"])
def test_personal_data_outside_the_table_keeps_the_original_file_private(client, auth, app, filename):
    auth.login("org_admin")
    review_url = _upload_page(client, PRIVACY_FILES / filename).headers["Location"]
    name = review_url.split("/admin/dataset/")[1].split("/")[0]
    page = client.get(review_url).get_data(as_text=True)
    assert 'id="findings"' not in page  # the table itself is clean and can be published
    assert "berkas aslinya tidak pernah" in page  # ... but the review says the file stays private
    no_full_identifier(page)
    rid = _describe_publish_and_log_out(client, app, name, "Rekap KPM")
    table = client.get(f"/dataset/{name}/resource/{rid}/download/x.csv")
    assert table.status_code == 200 and "Kecamatan F" in table.get_data(as_text=True)
    no_full_identifier(table.get_data(as_text=True))
    assert client.get(f"/dataset/{name}/resource/{rid}/original").status_code == 404
    assert "/original" not in client.get(f"/dataset/{name}/resource/{rid}").get_data(as_text=True)
