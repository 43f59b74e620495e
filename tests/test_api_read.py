"""Reading the portal through CKAN's Action API with the real ckanapi client."""
from __future__ import annotations

import json
import re
from pathlib import Path

import ckanapi
import pytest
import requests


KORBAN = "korban-bencana-sosial-2019-2024"
ORG = "bidang-perlindungan-jaminan-sosial"
SAMPLES = Path(__file__).resolve().parent.parent / "app" / "demo_data"

# Every key of CKAN's package_show that strict harvesters (uData) require.
PACKAGE_KEYS = {"id", "name", "title", "notes", "license_id", "license_title", "license_url", "tags",
                "metadata_created", "metadata_modified", "organization", "owner_org", "resources", "extras",
                "private", "type", "author", "author_email", "maintainer", "maintainer_email", "state", "url",
                "version", "groups", "num_resources", "num_tags", "isopen", "creator_user_id",
                "relationships_as_object", "relationships_as_subject"}
RESOURCE_KEYS = {"id", "package_id", "position", "name", "description", "format", "mimetype", "mimetype_inner",
                 "size", "hash", "created", "last_modified", "metadata_modified", "url", "url_type", "resource_type",
                 "state", "datastore_active", "cache_url", "cache_last_updated"}
ORGANIZATION_KEYS = {"id", "name", "title", "description", "created", "revision_timestamp", "revision_id",
                     "is_organization", "state", "image_url", "type", "approval_status"}
CKAN_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$")


def test_status_show_answers_in_ckans_envelope(portal):
    resp = requests.get(f"{portal.url}/api/3/action/status_show")
    body = resp.json()
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("application/json")
    assert body["success"] is True
    assert body["help"] == f"{portal.url}/api/3/action/help_show?name=status_show"
    assert body["result"]["ckan_version"].startswith("2.")
    assert "datastore" in body["result"]["extensions"]
    assert portal.ckan().action.status_show()["site_title"] == "Portal Data Sosial NTB"


def test_analyst_searches_with_facets(portal):
    found = portal.ckan().action.package_search(q="bencana", rows=5,
                                                **{"facet.field": ["organization", "groups", "res_format", "tags"]})
    names = [p["name"] for p in found["results"]]
    assert KORBAN in names
    assert found["count"] == len(found["results"])
    assert found["facets"]["organization"][ORG] >= 1
    assert found["facets"]["groups"]["bencana-sosial"] >= 1
    assert found["facets"]["res_format"]["CSV"] >= 1
    item = next(i for i in found["search_facets"]["organization"]["items"] if i["name"] == ORG)
    assert item == {"name": ORG, "display_name": "Bidang Perlindungan dan Jaminan Sosial",
                    "count": found["facets"]["organization"][ORG]}
    assert found["search_facets"]["groups"]["title"] == "groups"


def test_search_over_get_with_json_facets_and_filters(portal):
    params = {"fq": "groups:lks", "facet.field": json.dumps(["organization"]), "facet.limit": "1", "rows": "2",
              "sort": "title_string asc"}
    body = requests.get(f"{portal.url}/api/3/action/package_search", params=params).json()
    result = body["result"]
    assert result["count"] == 3
    assert len(result["results"]) == 2
    titles = [p["title"] for p in result["results"]]
    assert titles == sorted(titles)
    assert list(result["facets"]["organization"]) == ["bidang-pemberdayaan-sosial"]
    assert all("lks" in [g["name"] for g in p["groups"]] for p in result["results"])


@pytest.mark.parametrize("fq, expected", [
    ("organization:sekretariat", {"asn-dinsos-ntb-2020-2024", "kinerja-sakip-2019-2023"}),
    ("-organization:sekretariat -organization:bidang-pemberdayaan-sosial",
     {KORBAN, "penerima-bansos-per-kabupaten-2024", "pmks-per-kabupaten-2023"}),
    ("organization:sekretariat OR groups:pmks-ppks",
     {"asn-dinsos-ntb-2020-2024", "kinerja-sakip-2019-2023", "pmks-per-kabupaten-2023"}),
    ('tags:"bencana sosial"', {KORBAN}),
    ("res_format:XLSX", {"pemberdayaan-lks-2022-2024"}),
    ("year:2023 organization:bidang-rehabilitasi-sosial", {"pmks-per-kabupaten-2023"}),
    ("groups:(bantuan-sosial OR kepegawaian) +dataset_type:dataset",
     {"penerima-bansos-per-kabupaten-2024", "asn-dinsos-ntb-2020-2024"}),
])
def test_fq_filters_as_ckan_clients_send_them(portal, fq, expected):
    found = portal.ckan().action.package_search(fq=fq, rows=100)
    assert {p["name"] for p in found["results"]} == expected
    assert found["count"] == len(expected)


def test_package_show_by_name_and_id_has_every_core_key(portal):
    ckan = portal.ckan()
    pkg = ckan.action.package_show(id=KORBAN)
    assert ckan.action.package_show(id=pkg["id"])["name"] == KORBAN
    assert PACKAGE_KEYS <= set(pkg)
    assert re.fullmatch(r"[0-9a-f-]{36}", pkg["id"])
    assert CKAN_TIME.match(pkg["metadata_created"]) and CKAN_TIME.match(pkg["metadata_modified"])
    assert ORGANIZATION_KEYS <= set(pkg["organization"])
    assert pkg["organization"]["name"] == ORG
    assert pkg["groups"][0]["name"] == "bencana-sosial"
    assert {"key": "tahun", "value": "2019, 2020, 2021, 2022, 2023, 2024"} in pkg["extras"]
    res = pkg["resources"][0]
    assert RESOURCE_KEYS <= set(res)
    assert res["datastore_active"] is True
    assert res["url"].startswith(portal.url + "/dataset/" + KORBAN + "/resource/")
    download = requests.get(res["url"])
    assert download.status_code == 200 and download.text.startswith("kode_kabupaten_kota,")


def test_lists_of_datasets_organizations_groups_and_tags(portal):
    ckan = portal.ckan()
    names = ckan.action.package_list()
    assert KORBAN in names and names == sorted(names)
    assert ckan.action.package_list(limit=2, offset=1) == names[1:3]
    orgs = ckan.action.organization_list()
    assert ORG in orgs
    full = ckan.action.organization_list(all_fields=True)
    assert next(o for o in full if o["name"] == "sekretariat")["package_count"] == 2
    org = ckan.action.organization_show(id="sekretariat", include_datasets=True)
    assert {p["name"] for p in org["packages"]} == {"asn-dinsos-ntb-2020-2024", "kinerja-sakip-2019-2023"}
    assert "lks" in ckan.action.group_list()
    group = ckan.action.group_show(id="lks", include_datasets=True)
    assert group["package_count"] == 3 and len(group["packages"]) == 3
    assert "bencana sosial" in ckan.action.tag_list()


def test_resource_show_and_help_show(portal):
    ckan = portal.ckan()
    pkg = ckan.action.package_show(id=KORBAN)
    res = ckan.action.resource_show(id=pkg["resources"][0]["id"])
    assert res["package_id"] == pkg["id"]
    assert "Search datasets" in ckan.action.help_show(name="package_search")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.resource_show(id="no-such-resource")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="no-such-dataset")


def test_datastore_search_filters_sorts_and_pages_with_a_cursor(portal):
    ckan = portal.ckan()
    res_id = ckan.action.package_show(id=KORBAN)["resources"][0]["id"]
    first = ckan.action.datastore_search(resource_id=res_id, filters={"tahun": 2024}, sort="korban_luka desc",
                                         limit=4)
    assert first["fields"][0] == {"id": "_id", "type": "int"}
    types = {f["id"]: f["type"] for f in first["fields"]}
    assert types["tahun"] == "int" and types["nama_kabupaten_kota"] == "text"
    assert first["total"] == 10 and first["total_was_estimated"] is False
    records = first["records"]
    assert len(records) == 4 and all(r["tahun"] == 2024 for r in records)
    luka = [r["korban_luka"] for r in records]
    assert luka == sorted(luka, reverse=True)
    assert "cursor=" in first["_links"]["next"]
    # Follow the next links to the end: every row once, in order.
    seen = list(records)
    link = first["_links"]["next"]
    for _ in range(10):
        page = requests.get(portal.url + link).json()["result"]
        if not page["records"]:
            break
        seen.extend(page["records"])
        link = page["_links"]["next"]
    assert len(seen) == 10 and len({r["_id"] for r in seen}) == 10
    all_luka = [r["korban_luka"] for r in seen]
    assert all_luka == sorted(all_luka, reverse=True)
    # offset walks the keyset pages and lands on the same rows
    third = ckan.action.datastore_search(resource_id=res_id, filters={"tahun": 2024}, sort="korban_luka desc",
                                         limit=4, offset=4)
    assert [r["_id"] for r in third["records"]] == [r["_id"] for r in seen[4:8]]


def test_datastore_search_fields_text_and_record_formats(portal):
    ckan = portal.ckan()
    res_id = ckan.action.package_show(id=KORBAN)["resources"][0]["id"]
    lists = ckan.action.datastore_search(resource_id=res_id, q="Mataram", fields=["nama_kabupaten_kota", "tahun"],
                                         records_format="lists", sort="tahun", limit=100)
    assert [f["id"] for f in lists["fields"]] == ["nama_kabupaten_kota", "tahun"]
    assert lists["records"] and all(r[0] == "Kota Mataram" for r in lists["records"])
    assert [r[1] for r in lists["records"]] == sorted(r[1] for r in lists["records"])
    as_csv = ckan.action.datastore_search(resource_id=res_id, fields="_id,tahun", records_format="csv", limit=2)
    assert as_csv["records"] == "1,2019\n2,2019\n"
    with pytest.raises(ckanapi.ValidationError) as err:
        ckan.action.datastore_search(resource_id=res_id, filters={"no_such_column": 1})
    assert "filters" in err.value.error_dict


def test_too_many_rows_are_capped_as_ckan_does_not_refused(portal):
    from app.api.actions import ROWS_MAX, Call, package_query

    url = f"{portal.url}/api/3/action"
    search = requests.get(f"{url}/package_search", params={"rows": "5000"})
    assert search.status_code == 200
    everything = search.json()["result"]
    assert len(everything["results"]) == everything["count"] == len(portal.ckan().action.package_list())
    # With only the demo datasets, the count cannot show the cap: read the query the action runs.
    query, _sort = package_query(Call(None, {"rows": "5000"}, portal.url))
    assert query.rows == ROWS_MAX == 1000
    assert package_query(Call(None, {"rows": "7"}, portal.url))[0].rows == 7

    res_id = portal.ckan().action.package_show(id=KORBAN)["resources"][0]["id"]
    rows = requests.get(f"{url}/datastore_search", params={"resource_id": res_id, "limit": "50000"})
    assert rows.status_code == 200
    result = rows.json()["result"]
    assert result["limit"] == 32000  # CKAN echoes the limit it applied, so clients page by it
    assert len(result["records"]) == result["total"] == 60
    assert portal.ckan().action.datastore_search(resource_id=res_id, limit=5)["limit"] == 5


def test_search_sorts_by_metadata_modified_both_ways(portal):
    ckan = portal.ckan()
    newest = ckan.action.package_search(sort="metadata_modified desc", rows=100)["results"]
    stamps = [p["metadata_modified"] for p in newest]
    assert len(set(stamps)) > 1
    assert stamps == sorted(stamps, reverse=True)
    oldest = ckan.action.package_search(sort="metadata_modified asc", rows=100)["results"]
    assert [p["name"] for p in oldest] == [p["name"] for p in reversed(newest)]


def test_datastore_search_without_a_total(portal):
    ckan = portal.ckan()
    res_id = ckan.action.package_show(id=KORBAN)["resources"][0]["id"]
    found = ckan.action.datastore_search(resource_id=res_id, limit=3, include_total=False)
    assert found["include_total"] is False
    assert "total" not in found and "total_was_estimated" not in found
    assert len(found["records"]) == 3
    assert ckan.action.datastore_search(resource_id=res_id, limit=3)["total"] == 60


def test_a_drafts_table_is_not_found_by_outsiders(portal):
    admin = portal.ckan("org_admin")
    pkg = admin.action.package_create(name="uji-api-draf-tabel", title="Uji API Draf Tabel", owner_org=ORG,
                                      groups=["bencana-sosial"])
    with open(SAMPLES / "pmks_per_kabupaten_2023.csv", "rb") as fh:
        res = admin.action.resource_create(package_id=pkg["id"], upload=fh)
    assert admin.action.resource_show(id=res["id"])["id"] == res["id"]
    assert admin.action.datastore_search(resource_id=res["id"], limit=1)["records"]
    url = f"{portal.url}/api/3/action"
    for headers in ({}, {"Authorization": portal.tokens["other_editor"]}):
        shown = requests.get(f"{url}/resource_show", params={"id": res["id"]}, headers=headers)
        assert shown.status_code == 404, headers
        assert shown.json()["error"]["__type"] == "Not Found Error"
        rows = requests.get(f"{url}/datastore_search", params={"resource_id": res["id"]}, headers=headers)
        assert rows.status_code == 404, headers
        assert rows.json()["error"]["__type"] == "Not Found Error"
        assert "Lombok" not in rows.text and "Mataram" not in rows.text


def test_errors_keep_ckans_types_and_statuses(portal):
    url = f"{portal.url}/api/3/action"
    unknown = requests.get(f"{url}/no_such_action")
    assert unknown.status_code == 400
    assert unknown.json()["success"] is False
    assert unknown.json()["error"]["__type"] == "Bad request - Action name not known"
    assert "no_such_action" in unknown.json()["error"]["message"]
    for params in ({"rows": "abc"}, {"rows": "-1"}, {"start": "-1"}, {"fq": "organization:(a"},
                   {"fq": "no_such_field:x"}, {"sort": "no_such_field asc"}, {"facet.limit": "x"},
                   {"fq": "metadata_modified:[yesterday TO *]"}):
        resp = requests.get(f"{url}/package_search", params=params)
        assert resp.status_code == 400, params
        assert resp.json()["error"]["__type"] == "Search Query Error", params
        assert resp.json()["help"].endswith("help_show?name=package_search")
    missing = requests.get(f"{url}/package_show", params={"id": "nope"})
    assert missing.status_code == 404 and missing.json()["error"]["__type"] == "Not Found Error"
    invalid = requests.get(f"{url}/package_show")
    assert invalid.status_code == 409
    assert invalid.json()["error"]["__type"] == "Validation Error" and invalid.json()["error"]["id"] == ["Missing value"]
    bad_json = requests.post(f"{url}/package_search", data="{not json", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.json()["error"]["__type"] == "Bad request - JSON Error"
    with pytest.raises(ckanapi.SearchQueryError):
        portal.ckan().action.package_search(fq="organization:(")
    with pytest.raises(ckanapi.CKANAPIError):
        portal.ckan().action.no_such_action()


def test_old_api_path_and_get_only_clients(portal):
    from ckanapi import RemoteCKAN

    assert requests.get(f"{portal.url}/api/action/package_list").json()["success"] is True
    get_only = RemoteCKAN(portal.url, get_only=True)
    assert get_only.action.package_show(id=KORBAN)["name"] == KORBAN
    assert requests.get(f"{portal.url}/api/3").json() == {"version": 3}


def test_openapi_description_is_valid_and_lists_every_action(portal):
    from openapi_spec_validator import validate

    from app.api.actions import ACTIONS

    doc = requests.get(f"{portal.url}/api/openapi.json").json()
    validate(doc)
    for name in ACTIONS:
        assert f"/api/3/action/{name}" in doc["paths"]
    assert "get" not in doc["paths"]["/api/3/action/package_create"]


def test_api_page_documents_every_action(portal):
    from app.api.actions import ACTIONS

    page = requests.get(f"{portal.url}/api")
    assert page.status_code == 200
    for name in ACTIONS:
        assert f'id="action-{name}"' in page.text
    import html

    text = html.unescape(page.text)
    # The three ways in, each with this portal's own address so they can be pasted as they are.
    assert f"curl '{portal.url}/api/3/action/package_search?q=bencana" in text
    assert "curl -H 'Authorization: YOUR_TOKEN' -F package_id=" in text
    assert f"ckanapi action package_search -r {portal.url} " in text
    assert "from ckanapi import RemoteCKAN" in text and f'RemoteCKAN("{portal.url}")' in text
    assert f'RemoteCKAN("{portal.url}", apikey="YOUR_TOKEN")' in text


def test_datastore_search_keeps_small_counts_suppressed(portal):
    ckan = portal.ckan()
    res_id = ckan.action.package_show(id="lks-per-kabupaten-2021-2024")["resources"][0]["id"]
    found = ckan.action.datastore_search(resource_id=res_id, q="NAPZA", limit=100)
    hidden = {f["id"] for f in found["fields"] if "notes" in f.get("info", {})}
    assert "jumlah_lks" in hidden
    values = [r["jumlah_lks"] for r in found["records"]]
    # A hidden cell is null in the integer field, and the record lists it in `_suppressed`.
    assert None in values and not [v for v in values if isinstance(v, str)]
    assert all((r["jumlah_lks"] is None) == ("jumlah_lks" in r["_suppressed"]) for r in found["records"])
    assert not any(isinstance(v, int) and 0 < v < 5 for v in values)
    with pytest.raises(ckanapi.ValidationError) as err:
        ckan.action.datastore_search(resource_id=res_id, sort="jumlah_lks desc")
    assert "sort" in err.value.error_dict
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.datastore_search(resource_id=res_id, filters={"jumlah_lks": 3})
