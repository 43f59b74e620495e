"""Whatever a link or an API call carries, the answer is a page or a message, never a 500
(property-based: Hypothesis draws the parameters of every public route)."""
from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

NAME = "korban-bencana-sosial-2019-2024"
COLUMNS = ["kode_kabupaten_kota", "nama_kabupaten_kota", "tahun", "jumlah_kejadian", "korban_meninggal"]

# Values a hostile or careless client sends: text of any kind, huge and odd numbers, JSON shapes.
numbers = st.one_of(st.integers(), st.integers(min_value=10**18, max_value=10**40).map(str),
                    st.sampled_from(["1e20", "-1", "0", "NaN", "inf", "1.5", "0x10", "  7 ", ""]))
texts = st.one_of(st.text(max_size=40), st.sampled_from(["'", '"', "\\", "%", "%00", "' OR 1=1 --", "; DROP TABLE data",
                                                         "(", ")", "*:*", "tags:(", "NOT", "-", "\x00", "\u202e"]))
json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                                     st.text(max_size=10)),
                           lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                                              children, max_size=3),
                           max_leaves=6)
# Page links and cursors: base64 JSON of the right shape ([value, row id]) and of every other.
tokens = st.one_of(st.tuples(st.one_of(numbers, json_values), numbers), json_values).map(
    lambda v: base64.urlsafe_b64encode(json.dumps(v, default=str).encode()).decode().rstrip("="))
values = st.one_of(texts, numbers.map(str), json_values.map(json.dumps), tokens)
# Found on PostgreSQL: a key its typed column cannot hold (past 64 bits, or text) once made the
# database refuse the comparison (a 503 "table unavailable" instead of "this link is not valid").
PAST_BIGINT = base64.urlsafe_b64encode(b'["9223372036854775808",0]').decode().rstrip("=")
TEXT_KEY = base64.urlsafe_b64encode(b'["abc",1]').decode().rstrip("=")
SETTINGS = settings(max_examples=100, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _params(keys: list[str]):
    return st.dictionaries(st.sampled_from(keys), values, min_size=1, max_size=4)


@pytest.fixture(scope="module")
def ids(demo_app):
    with demo_app.test_client() as c:
        pkg = c.get(f"/api/3/action/package_show?id={NAME}").get_json()["result"]
    return {"rid": pkg["resources"][0]["id"], "name": pkg["name"]}


def _check(demo_app, method: str, url: str, params: dict):
    client = demo_app.test_client()
    if method == "GET":
        r = client.get(url, query_string=params)
    else:
        r = client.post(url, json=params)
    assert r.status_code < 500, (url, params, r.get_data(as_text=True)[:500])
    assert "Traceback" not in r.get_data(as_text=True)


PAGE_KEYS = ["q", "topic", "year", "organization", "res_format", "tag", "level", "year_from", "year_to", "sort",
             "page", "per_page", "format"]
TABLE_KEYS = ["q", "sort", "desc", "after", "before", "fields", "version", "chart_x", "chart_y", "chart_type", "format",
              *[f"f.{c}" for c in COLUMNS], "f.tidak_ada"]
SEARCH_KEYS = ["q", "fq", "fq_list", "sort", "rows", "start", "facet.field", "facet.limit", "include_private", "fl"]
DATASTORE_KEYS = ["q", "filters", "fields", "sort", "limit", "offset", "cursor", "include_total", "records_format"]


@SETTINGS
@given(params=_params(TABLE_KEYS + ["size"]))
def test_a_chart_download(demo_app, ids, params):
    _check(demo_app, "GET", f"/dataset/{ids['name']}/resource/{ids['rid']}/chart.svg", params)


@SETTINGS
@given(params=_params(PAGE_KEYS))
def test_the_search_page(demo_app, params):
    _check(demo_app, "GET", "/dataset", params)


@SETTINGS
@given(params=_params(["after", "before", "version"]))
def test_a_dataset_page(demo_app, ids, params):
    _check(demo_app, "GET", f"/dataset/{ids['name']}", params)


@SETTINGS
@given(params=_params(TABLE_KEYS))
def test_a_resource_page(demo_app, ids, params):
    _check(demo_app, "GET", f"/dataset/{ids['name']}/resource/{ids['rid']}", params)


@SETTINGS
@given(param=st.sampled_from(["after", "before"]), token=tokens, sort=st.sampled_from([None, "tahun", "nama_kabupaten_kota"]))
@example(param="after", token=PAST_BIGINT, sort="tahun")
@example(param="before", token=TEXT_KEY, sort="tahun")
def test_a_resource_page_link_to_another_page(demo_app, ids, param, token, sort):
    params = {param: token, **({"sort": sort} if sort else {})}
    _check(demo_app, "GET", f"/dataset/{ids['name']}/resource/{ids['rid']}", params)


@SETTINGS
@given(column=st.sampled_from(COLUMNS), value=values)
def test_a_resource_page_filter(demo_app, ids, column, value):
    _check(demo_app, "GET", f"/dataset/{ids['name']}/resource/{ids['rid']}", {f"f.{column}": value})


@SETTINGS
@given(params=_params(TABLE_KEYS))
def test_a_download(demo_app, ids, params):
    _check(demo_app, "GET", f"/dataset/{ids['name']}/resource/{ids['rid']}/download/{ids['name']}.csv", params)


@SETTINGS
@given(params=_params(SEARCH_KEYS), method=st.sampled_from(["GET", "POST"]))
def test_package_search(demo_app, params, method):
    _check(demo_app, method, "/api/3/action/package_search", params)


@SETTINGS
@given(params=_params(["limit", "offset", "id", "all_fields", "include_private"]),
       action=st.sampled_from(["package_list", "tag_list", "group_list", "organization_list", "package_show",
                               "resource_show", "group_show", "organization_show", "help_show"]))
def test_the_other_read_actions(demo_app, params, action):
    _check(demo_app, "GET", f"/api/3/action/{action}", params)


@SETTINGS
@given(params=_params(DATASTORE_KEYS), method=st.sampled_from(["GET", "POST"]))
def test_datastore_search(demo_app, ids, params, method):
    _check(demo_app, method, "/api/3/action/datastore_search", {"resource_id": ids["rid"], **params})


@SETTINGS
@given(cursor=tokens, sort=st.sampled_from([None, "tahun", "nama_kabupaten_kota", "tahun desc"]),
       filters=st.dictionaries(st.sampled_from(COLUMNS), st.one_of(numbers, json_values), max_size=2))
@example(cursor=PAST_BIGINT, sort="tahun desc", filters={})
@example(cursor=TEXT_KEY, sort="tahun", filters={})
def test_a_datastore_cursor_and_filters(demo_app, ids, cursor, sort, filters):
    params = {"resource_id": ids["rid"], "cursor": cursor, "filters": filters, **({"sort": sort} if sort else {})}
    _check(demo_app, "POST", "/api/3/action/datastore_search", params)


@SETTINGS
@given(next_=values, code=st.sampled_from(["id", "en", "xx"]))
def test_the_language_switch(demo_app, next_, code):
    client = demo_app.test_client()
    r = client.get(f"/lang/{code}", query_string={"next": next_})
    assert r.status_code < 500
    location = r.headers.get("Location", "")
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location
