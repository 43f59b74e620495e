"""Writing through the Action API with a token: create, upload, publish, and the privacy guard."""
from __future__ import annotations

import re
from pathlib import Path

import ckanapi
import pytest
import requests

from tests.conftest import BNBA_SAMPLE

SAMPLES = Path(__file__).resolve().parent.parent / "app" / "demo_data"
ORG = "bidang-perlindungan-jaminan-sosial"


def test_org_admin_creates_uploads_publishes_and_finds_a_dataset(portal):
    ckan = portal.ckan("org_admin")
    pkg = ckan.action.package_create(name="uji-api-korban", title="Uji API Korban Bencana", owner_org=ORG,
                                     groups=[{"name": "bencana-sosial"}], tags=[{"name": "uji api"}],
                                     notes="Dibuat lewat API.", extras=[{"key": "tahun", "value": "2019-2024"}])
    assert pkg["state"] == "draft" and pkg["num_resources"] == 0
    assert pkg["years"] == [2019, 2020, 2021, 2022, 2023, 2024]
    # A draft is nobody's business outside the organization.
    with pytest.raises(ckanapi.NotFound):
        portal.ckan().action.package_show(id="uji-api-korban")
    assert "uji-api-korban" not in portal.ckan().action.package_list()

    with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
        res = ckan.action.resource_create(package_id=pkg["id"], name="Korban per kabupaten", upload=fh)
    assert res["package_id"] == pkg["id"] and res["name"] == "Korban per kabupaten"
    assert res["datastore_active"] is True and res["format"] == "CSV"

    published = ckan.action.package_patch(id=pkg["id"], state="active")
    assert published["state"] == "active" and published["num_resources"] == 1

    public = portal.ckan()
    assert public.action.package_show(id="uji-api-korban")["resources"][0]["id"] == res["id"]
    found = public.action.package_search(q="Uji API Korban", fq=f"organization:{ORG}")
    assert "uji-api-korban" in [p["name"] for p in found["results"]]
    rows = public.action.datastore_search(resource_id=res["id"], limit=1)
    assert rows["total"] == 60


def test_upload_with_personal_data_is_refused_with_masked_findings(portal):
    ckan = portal.ckan("editor")
    pkg = ckan.action.package_create(name="uji-api-bnba", title="Uji API BNBA", owner_org=ORG)
    datasets_dir = Path(portal.app.config["DATASETS_DIR"])
    stored_before = sorted(p.relative_to(datasets_dir) for p in datasets_dir.rglob("*"))
    with open(BNBA_SAMPLE, "rb") as fh:
        with pytest.raises(ckanapi.ValidationError) as err:
            ckan.action.resource_create(package_id=pkg["id"], name="BNBA", upload=fh)
    text = str(err.value) + repr(err.value.error_dict)
    assert not re.search(r"\d{16}", text), "a full NIK leaked into the error"
    assert "5203********0003" in text
    assert err.value.error_dict["__type"] == "Validation Error"
    assert err.value.error_dict["upload"]
    after = ckan.action.package_show(id=pkg["id"])
    assert after["resources"] == [] and after["num_resources"] == 0
    # Nothing was stored: not the original, not a table, not a staging leftover.
    assert sorted(p.relative_to(datasets_dir) for p in datasets_dir.rglob("*")) == stored_before


def test_raw_http_upload_of_personal_data_never_echoes_a_nik(portal):
    headers = {"Authorization": f"Bearer {portal.tokens['editor']}"}
    pkg = requests.post(f"{portal.url}/api/3/action/package_create", headers=headers,
                        json={"name": "uji-api-bnba-raw", "title": "Uji API BNBA raw", "owner_org": ORG}).json()
    with open(BNBA_SAMPLE, "rb") as fh:
        resp = requests.post(f"{portal.url}/api/3/action/resource_create", headers=headers,
                             data={"package_id": pkg["result"]["id"]}, files={"upload": fh})
    assert resp.status_code == 409
    assert not re.search(r"\d{16}", resp.text)


def test_editor_may_draft_but_only_an_admin_publishes(portal):
    editor = portal.ckan("editor")
    pkg = editor.action.package_create(name="uji-api-editor", title="Uji API Editor", owner_org=ORG,
                                       groups=["bencana-sosial"])
    with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
        editor.action.resource_create(package_id=pkg["id"], upload=fh)
    with pytest.raises(ckanapi.NotAuthorized):
        editor.action.package_patch(id=pkg["id"], state="active")
    with pytest.raises(ckanapi.NotAuthorized):  # another organization's editor
        portal.ckan("other_editor").action.package_create(title="Bukan organisasiku", owner_org=ORG)
    with pytest.raises(ckanapi.NotFound):  # another organization's draft stays invisible
        portal.ckan("other_editor").action.package_patch(id=pkg["id"], notes="x")
    assert portal.ckan("org_admin").action.package_patch(id=pkg["id"], state="active")["state"] == "active"


def test_publishing_without_a_table_is_a_validation_error(portal):
    ckan = portal.ckan("org_admin")
    pkg = ckan.action.package_create(name="uji-api-kosong", title="Uji API Kosong", owner_org=ORG,
                                     groups=["bencana-sosial"])
    with pytest.raises(ckanapi.ValidationError) as err:
        ckan.action.package_patch(id=pkg["id"], state="active")
    assert "state" in err.value.error_dict
    assert ckan.action.package_show(id=pkg["id"])["state"] == "draft"


def test_a_refused_publish_through_package_update_saves_nothing(portal):
    ckan = portal.ckan("org_admin")
    pkg = ckan.action.package_create(name="uji-api-atomik", title="Uji API Atomik", owner_org=ORG,
                                     groups=["bencana-sosial"], notes="Sebelum diubah.")
    before = ckan.action.package_show(id=pkg["id"])
    # No table yet: publishing is refused, and so is the title and description sent with it.
    with pytest.raises(ckanapi.ValidationError) as err:
        ckan.action.package_update(**dict(before, title="Judul baru", notes="Sesudah diubah.", state="active"))
    assert "state" in err.value.error_dict
    assert ckan.action.package_show(id=pkg["id"]) == before

    with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
        ckan.action.resource_create(package_id=pkg["id"], upload=fh)
    before = ckan.action.package_show(id=pkg["id"])
    # An editor may change a draft but not publish it: the whole patch is refused.
    with pytest.raises(ckanapi.NotAuthorized):
        portal.ckan("editor").action.package_patch(id=pkg["id"], notes="Oleh editor.", state="active")
    assert ckan.action.package_show(id=pkg["id"]) == before
    with pytest.raises(ckanapi.NotFound):
        portal.ckan().action.package_show(id=pkg["id"])

    # The same update from an organization admin saves the metadata and publishes together.
    done = ckan.action.package_update(**dict(before, title="Uji API Atomik Terbit", state="active"))
    assert done["state"] == "active" and done["title"] == "Uji API Atomik Terbit"
    assert portal.ckan().action.package_show(id=pkg["id"])["title"] == "Uji API Atomik Terbit"


def test_package_show_dict_round_trips_through_package_update(portal):
    ckan = portal.ckan("org_admin")
    pkg = ckan.action.package_create(name="uji-api-update", title="Uji API Update", owner_org=ORG,
                                     groups=["bencana-sosial"], license_id="CC0-1.0")
    shown = ckan.action.package_show(id=pkg["id"])
    shown["title"] = "Uji API Update (diperbarui)"
    updated = ckan.action.package_update(**shown)
    assert updated["title"] == "Uji API Update (diperbarui)"
    assert updated["license_id"] == "CC0-1.0"
    assert [g["name"] for g in updated["groups"]] == ["bencana-sosial"]
    assert updated["organization"]["name"] == ORG
    with pytest.raises(ckanapi.ValidationError) as err:
        ckan.action.package_patch(id=pkg["id"], license_id="not-a-license")
    assert "license_id" in err.value.error_dict
    ckan.action.package_delete(id=pkg["id"])
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="uji-api-update")


def test_writes_need_a_valid_token_and_post(portal):
    url = f"{portal.url}/api/3/action/package_create"
    body = {"title": "Tanpa token", "owner_org": ORG}
    missing = requests.post(url, json=body)
    assert missing.status_code == 403 and missing.json()["error"]["__type"] == "Authorization Error"
    for header in ({"Authorization": "ntb_not-a-token"}, {"X-CKAN-API-Key": "nope"},
                   {"Authorization": "Bearer nope"}):
        bad = requests.post(url, json=body, headers=header)
        assert bad.status_code == 403 and bad.json()["error"]["__type"] == "Authorization Error"
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(portal.url, apikey="ntb_invalid").action.package_create(**body)
    as_get = requests.get(url, params=body, headers={"Authorization": portal.tokens["org_admin"]})
    assert as_get.status_code == 400
    # The X-CKAN-API-Key header works as well as Authorization.
    ok = requests.post(url, json={**body, "name": "uji-api-header"}, headers={"X-CKAN-API-Key": portal.tokens["editor"]})
    assert ok.status_code == 200 and ok.json()["result"]["state"] == "draft"


def test_a_revoked_token_stops_working(portal):
    from app.services import users as user_service
    from tests.factories import user

    with portal.app.app_context():
        token, raw = user_service.create_token(user("editor"), "to-revoke")
    ckan = ckanapi.RemoteCKAN(portal.url, apikey=raw)
    assert ckan.action.package_create(title="Sebelum dicabut", name="uji-api-revoke", owner_org=ORG)
    with portal.app.app_context():
        user_service.revoke_token(user("editor"), token.id)
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_patch(id="uji-api-revoke", notes="setelah dicabut")


def test_a_logged_in_browser_session_reads_but_cannot_write(portal):
    session = requests.Session()
    login = session.post(f"{portal.url}/user/login", data={"email": "admin@test.local", "password": "rahasia-uji-123"})
    assert login.status_code in (200, 302)
    assert session.get(f"{portal.url}/api/3/action/package_list").json()["success"] is True
    refused = session.post(f"{portal.url}/api/3/action/package_create", json={"title": "Lewat cookie", "owner_org": ORG})
    assert refused.status_code == 403
    assert refused.json()["error"]["__type"] == "Authorization Error"


def test_resource_create_without_a_file_says_what_is_missing(portal):
    ckan = portal.ckan("editor")
    pkg = ckan.action.package_create(name="uji-api-tanpa-berkas", title="Uji API tanpa berkas", owner_org=ORG)
    with pytest.raises(ckanapi.ValidationError) as err:
        ckan.action.resource_create(package_id=pkg["id"], url="http://example.org/data.csv")
    assert "upload" in err.value.error_dict
    with pytest.raises(ckanapi.ValidationError) as err:
        ckan.action.package_create(title="Dengan sumber jauh", owner_org=ORG,
                                   resources=[{"url": "http://example.org/data.csv"}])
    assert "resources" in err.value.error_dict
