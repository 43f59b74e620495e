"""A visitor (or a script) sends links and API calls no page of ours makes: every one gets a clear
message, never a 500 and never a slow answer; a text cell that looks like a formula is defused."""
from __future__ import annotations

import base64
import json

import pytest

from tests.factories import dataset_with_table, user

NAME = "korban-bencana-sosial-2019-2024"


def _token(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.fixture(scope="module")
def ids(demo_app):
    with demo_app.test_client() as c:
        pkg = c.get(f"/api/3/action/package_show?id={NAME}").get_json()["result"]
    return {"rid": pkg["resources"][0]["id"], "name": pkg["name"]}


def _datastore(rid: str, **params) -> str:
    from urllib.parse import urlencode

    return "/api/3/action/datastore_search?" + urlencode({"resource_id": rid, **params})


CURSORS = {
    "an object": {"a": 1},
    "lists": [[1], [2]],
    "a row id past 64 bits": [1, 10**30],
    "a sort value past 64 bits": [10**30, 5],
    "a boolean row id": [1, True],
    "three items": [1, 2, 3],
}


@pytest.mark.parametrize("what", list(CURSORS))
def test_a_crafted_datastore_cursor_is_refused_as_the_cursor(demo_client, ids, what):
    sort = {"sort": "tahun"} if "sort value" in what else {}
    r = demo_client.get(_datastore(ids["rid"], cursor=_token(CURSORS[what]), **sort))
    assert r.status_code == 409, r.get_data(as_text=True)[:300]
    body = r.get_json()
    assert body["success"] is False and "cursor" in body["error"]
    assert "Traceback" not in r.get_data(as_text=True)


@pytest.mark.parametrize("param", ["after", "before"])
@pytest.mark.parametrize("token", [_token([{"x": 1}, 2]), _token([1, 10**30]), "%%%%", "x" * 5000],
                         ids=["object value", "huge row id", "not base64", "5000 characters"])
def test_a_crafted_page_link_on_a_resource_page_is_a_message_in_indonesian(demo_client, ids, param, token):
    r = demo_client.get(f"/dataset/{ids['name']}/resource/{ids['rid']}", query_string={param: token})
    assert r.status_code == 400
    assert "Tautan halaman ini tidak berlaku" in r.get_data(as_text=True)


def test_a_crafted_page_link_on_a_dataset_page_shows_the_first_rows(demo_client, ids):
    plain = demo_client.get(f"/dataset/{ids['name']}")
    crafted = demo_client.get(f"/dataset/{ids['name']}", query_string={"after": _token([1, 10**30])})
    assert crafted.status_code == 200
    first_row = plain.get_data(as_text=True).split("<tbody>")[1].split("</tr>")[0]
    assert first_row in crafted.get_data(as_text=True)


@pytest.mark.parametrize("value, expected", [
    ("99999999999999999999", "terlalu besar"),
    ("-99999999999999999999", "terlalu besar"),
    ("dua ribu", "bukan bilangan bulat"),
])
def test_a_filter_value_a_column_cannot_hold_is_a_message(demo_client, ids, value, expected):
    r = demo_client.get(f"/dataset/{ids['name']}/resource/{ids['rid']}", query_string={"f.tahun": value})
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert expected in text and "tahun" in text


def test_the_same_filter_value_through_the_api_names_the_filter(demo_client, ids):
    r = demo_client.get(_datastore(ids["rid"], filters=json.dumps({"tahun": "99999999999999999999"})))
    assert r.status_code == 409
    assert "filters" in r.get_json()["error"]


@pytest.mark.parametrize("url", [
    "/api/3/action/package_list?limit=1e20",
    "/api/3/action/package_search?start=1e20",
    "/api/3/action/package_search?rows=1e20",
])
def test_numbers_no_one_can_use_are_refused(demo_client, url):
    r = demo_client.get(url)
    assert r.status_code in (400, 409)
    assert r.get_json()["success"] is False


@pytest.mark.parametrize("fq, message", [
    ("(" * 5000 + "tags:a" + ")" * 5000, "too long"),
    ("(" * 30 + "tags:a" + ")" * 30, "nested too deeply"),
    ("NOT " * 30 + "tags:a", "nested too deeply"),
    (" OR ".join(f"tags:t{i}" for i in range(14000)), "too long"),
    ("tags:(" + " OR ".join(f"t{i}" for i in range(1100)) + ")", "too many conditions"),
], ids=["5000 parentheses", "30 parentheses", "30 NOTs", "14000 ORs", "1100 values"])
def test_a_search_too_big_to_run_is_refused_with_the_reason(demo_client, fq, message):
    r = demo_client.post("/api/3/action/package_search", json={"fq": fq})
    assert r.status_code == 400, r.get_data(as_text=True)[:300]  # CKAN's Search Query Error
    assert message in json.dumps(r.get_json()["error"])


def test_too_many_fq_list_items_are_refused(demo_client):
    r = demo_client.post("/api/3/action/package_search", json={"fq_list": [f"tags:t{i}" for i in range(20000)]})
    assert r.status_code == 400
    assert "at most 100" in json.dumps(r.get_json()["error"])


def test_a_search_within_the_limits_still_runs(demo_client):
    fq = "(" * 10 + " OR ".join(f"tags:t{i}" for i in range(500)) + ")" * 10
    r = demo_client.post("/api/3/action/package_search", json={"fq": fq, "fq_list": ["tags:x"] * 50})
    assert r.status_code == 200 and r.get_json()["result"]["count"] == 0


def test_twenty_thousand_tag_values_get_a_short_message_not_a_huge_page(demo_client):
    r = demo_client.get("/dataset?" + "&".join(f"tag=t{i}" for i in range(20000)))
    assert r.status_code == 400
    assert len(r.data) < 50_000
    assert "Terlalu banyak filter" in r.get_data(as_text=True)


def test_parameters_no_page_reads_are_not_carried_into_its_links(demo_client):
    plain = demo_client.get("/dataset?q=bencana")
    padded = demo_client.get("/dataset?q=bencana&" + "&".join(f"tags=t{i}" for i in range(20000)))
    assert padded.status_code == 200
    assert "tags=t1" not in padded.get_data(as_text=True)
    assert len(padded.data) < 2 * len(plain.data)


def test_many_table_filters_get_a_message(demo_client, ids):
    query = "&".join(f"f.tahun={2000 + i}" for i in range(60))
    r = demo_client.get(f"/dataset/{ids['name']}/resource/{ids['rid']}?{query}")
    assert r.status_code == 400 and "Terlalu banyak filter" in r.get_data(as_text=True)


def test_too_many_datastore_filter_values_are_refused(demo_client, ids):
    r = demo_client.get(_datastore(ids["rid"], filters=json.dumps({"tahun": list(range(1001))})))
    assert r.status_code == 409 and "at most 1000" in json.dumps(r.get_json()["error"])


def test_datastore_csv_records_defuse_formulas_but_keep_numbers(app, users, tmp_path):
    path = tmp_path / "rekap_kegiatan.csv"
    path.write_text("kegiatan,catatan,jumlah\n"
                    "Penyuluhan,=HYPERLINK(\"http://evil.example\"),120\n"
                    "Pelatihan,@SUM(1+1),250\n"
                    "Bimtek,+cmd|' /C calc'!A0,300\n"
                    "Rapat,-2,-410\n", encoding="utf-8")
    with app.app_context():
        _ds, result = dataset_with_table(user("org_admin"), path=path, name="uji-formula", publish=True)
        rid = result.version.resource_id
    r = app.test_client().get(_datastore(rid, records_format="csv", fields="_id,catatan,jumlah"))
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    records = r.get_json()["result"]["records"].splitlines()
    assert records == ['1,"\'=HYPERLINK(""http://evil.example"")",120', "2,'@SUM(1+1),250",
                       "3,'+cmd|' /C calc'!A0,300",
                       "4,-2,-410"]  # a negative number is a number, in a text column too, not an attack
