"""The public reads a big table: jumps to a page number or the last page, sees which rows it is
reading ("Baris 1.001–1.025 dari 2.600"), filters with comparisons, and is told beside the
field when a value cannot be read. Expected rows are computed here from the rows written."""
from __future__ import annotations

import html
import json
import random
import re
import sqlite3
import urllib.parse

import pytest

from tests.conftest import prepared_app

ROWS = 2600  # 104 pages of 25: page 41 starts at row 1.001
KAB = ["Kota Mataram", "Kota Bima", "Kabupaten Dompu", "Kabupaten Bima", "Kabupaten Sumbawa",
       "Kabupaten Lombok Barat", "Kabupaten Lombok Tengah", "Kabupaten Lombok Timur"]
# A column's values in table order (row i): text of 8 values, a year, a count, a percentage.
DATA = [{"kabupaten_kota": KAB[i % 8], "tahun": 2015 + (i * 7) % 10, "jumlah": (i * 37) % 1000 + 5,
         "persen": (i % 100) + 0.5} for i in range(ROWS)]

SMALL = """kabupaten_kota,laki_laki,perempuan,jumlah
Kota Mataram,12,3,15
Kota Bima,7,9,16
Kabupaten Dompu,20,11,31
Kabupaten Bima,6,8,14
"""


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """A portal with the big table and a small one whose `perempuan` column the public sees with hidden cells."""
    folder = tmp_path_factory.mktemp("big-table")
    big = folder / "penerima_besar.csv"
    big.write_text("kabupaten_kota,tahun,jumlah,persen\n" + "".join(
        f"{r['kabupaten_kota']},{r['tahun']},{r['jumlah']},{r['persen']}\n" for r in DATA))
    small = folder / "kecil.csv"
    small.write_text(SMALL)
    urls = {}

    def prepare():
        from tests.factories import dataset_with_table, make_users, user

        make_users()
        _ds, result = dataset_with_table(user("org_admin"), path=big, name="penerima-besar", publish=True)
        urls["big"] = f"/dataset/penerima-besar/resource/{result.resource.id}"
        urls["big_id"] = result.resource.id
        _ds, result = dataset_with_table(user("org_admin"), path=small, name="kecil", publish=True,
                                         suppress_small_cells=True)
        urls["small"] = f"/dataset/kecil/resource/{result.resource.id}"

    with prepared_app(folder, "t_big", prepare) as app:
        yield app, urls


@pytest.fixture
def big(portal):
    app, urls = portal
    return app.test_client(), urls["big"]


def _english(client):
    client.get("/lang/en")
    return client


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _range(page: str) -> str:
    return _text(re.search(r'id="row-range">(.*?)</p>', page, re.S).group(1)).strip()


def _column(page: str, k: int) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [html.unescape(re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)[k])).strip()
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _counts(page: str) -> list[int]:
    """The `jumlah` column of the shown rows, as numbers (1.234 in Indonesian)."""
    return [int(v.replace(".", "").replace(",", "")) for v in _column(page, 2)]


def _link(page: str, rel: str) -> str:
    return html.unescape(re.search(rf'rel="{rel}" href="([^"]+)"', page).group(1))


def _field_box(page: str, column: str) -> str:
    """The filter box (fieldset) of one column."""
    for box in re.findall(r"<fieldset.*?</fieldset>", page.split('id="table-filter"')[1], re.S):
        if f'name="f.{column}"' in box:
            return box
    raise AssertionError(f"no filter box for {column}")


def test_public_jumps_to_a_page_number_and_reads_its_rows(big):
    client, url = big
    page = client.get(f"{url}?page=41").get_data(as_text=True)
    assert _counts(page) == [r["jumlah"] for r in DATA[1000:1025]]
    assert _range(page) == "Baris 1.001–1.025 dari 2.600"
    jump = page.split('id="page-jump"')[1].split("</form>")[0]
    assert 'name="page"' in jump and 'value="41"' in jump and "dari 104" in _text(jump)
    # Next and previous from a jumped page carry on from its rows.
    after = client.get(_link(page, "next")).get_data(as_text=True)
    assert _counts(after) == [r["jumlah"] for r in DATA[1025:1050]]
    assert _range(after) == "Baris 1.026–1.050 dari 2.600"
    before = client.get(_link(page, "prev")).get_data(as_text=True)
    assert _counts(before) == [r["jumlah"] for r in DATA[975:1000]] and _range(before) == "Baris 976–1.000 dari 2.600"


def test_public_goes_to_the_last_page_and_back(big):
    client, url = big
    first = client.get(url).get_data(as_text=True)
    assert _range(first) == "Baris 1–25 dari 2.600" and 'rel="prev"' not in first
    last = client.get(_link(first, "last")).get_data(as_text=True)
    assert _counts(last) == [r["jumlah"] for r in DATA[2575:]]
    assert _range(last) == "Baris 2.576–2.600 dari 2.600"
    assert 'rel="next"' not in last and 'rel="last"' not in last
    back = client.get(_link(last, "prev")).get_data(as_text=True)
    assert _counts(back) == [r["jumlah"] for r in DATA[2550:2575]]
    assert _range(back) == "Baris 2.551–2.575 dari 2.600"
    assert _counts(client.get(_link(back, "first")).get_data(as_text=True)) == [r["jumlah"] for r in DATA[:25]]


def test_the_rows_shown_are_said_with_english_separators_in_english(big):
    client, url = big
    page = _english(client).get(f"{url}?page=41").get_data(as_text=True)
    assert _range(page) == "Rows 1,001–1,025 of 2,600"
    assert "of 104" in _text(page.split('id="page-jump"')[1].split("</form>")[0])


def test_public_jumps_in_a_view_sorted_descending(big):
    client, url = big
    ordered = sorted(range(ROWS), key=lambda i: (DATA[i]["kabupaten_kota"], i), reverse=True)
    page = client.get(f"{url}?sort=kabupaten_kota&desc=1&page=60").get_data(as_text=True)
    assert _column(page, 0) == [DATA[i]["kabupaten_kota"] for i in ordered[1475:1500]]
    assert _counts(page) == [DATA[i]["jumlah"] for i in ordered[1475:1500]]
    assert _range(page) == "Baris 1.476–1.500 dari 2.600"
    after = client.get(_link(page, "next")).get_data(as_text=True)
    assert _counts(after) == [DATA[i]["jumlah"] for i in ordered[1500:1525]] and _range(after).startswith("Baris 1.501–")


@pytest.mark.parametrize("fields, keep", [
    ({"op.jumlah": "gt", "f.jumlah": "990"}, lambda r: r["jumlah"] > 990),
    ({"op.jumlah": "lt", "f.jumlah": "12"}, lambda r: r["jumlah"] < 12),
    ({"op.tahun": "between", "f.tahun": "2018", "to.tahun": "2019"}, lambda r: 2018 <= r["tahun"] <= 2019),
    ({"op.tahun": "between", "f.tahun": "", "to.tahun": "2016"}, lambda r: r["tahun"] <= 2016),  # open start
    ({"op.persen": "between", "f.persen": "10,5", "to.persen": "12.5"}, lambda r: 10.5 <= r["persen"] <= 12.5),
    ({"op.kabupaten_kota": "contains", "f.kabupaten_kota": "lombok"}, lambda r: "Lombok" in r["kabupaten_kota"]),
    ({"op.jumlah": "gt", "f.jumlah": "", "f.tahun": "2020"}, lambda r: r["tahun"] == 2020),  # empty: no filter
])
def test_public_filters_a_column_with_a_comparison(big, fields, keep):
    client, url = big
    expected = [r for r in DATA if keep(r)]
    page = client.get(url, query_string=fields)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert _counts(body) == [r["jumlah"] for r in expected[:25]]
    shown = f"{len(expected):,}".replace(",", ".")
    assert f">{shown} baris<" in body.replace("\n", "")
    assert _range(body) == f"Baris 1–{min(25, len(expected))} dari {shown}"
    for name, value in fields.items():  # the form shows what was asked
        if name.startswith("op."):
            assert re.search(rf'<option value="{value}" selected>', _field_box(body, name[3:]))
        elif value:
            assert f'value="{value}"' in _field_box(body, name.split(".", 1)[1])


def test_public_jumps_within_a_filtered_view_and_downloads_it(big):
    client, url = big
    fields = {"op.tahun": "between", "f.tahun": "2018", "to.tahun": "2019"}
    expected = [r for r in DATA if 2018 <= r["tahun"] <= 2019]
    page = client.get(url, query_string={**fields, "page": "10"}).get_data(as_text=True)
    assert _counts(page) == [r["jumlah"] for r in expected[225:250]]
    assert _range(page) == f"Baris 226–250 dari {len(expected)}"
    last = client.get(_link(page, "last")).get_data(as_text=True)
    assert _counts(last) == [r["jumlah"] for r in expected[(len(expected) - 1) // 25 * 25:]]
    csv_text = client.get(html.unescape(re.search(r'class="button download-csv" href="([^"]+)"', page).group(1)))
    assert csv_text.get_data(as_text=True).count("\n") == len(expected) + 1


def test_a_value_a_column_cannot_hold_is_answered_beside_its_field_and_the_other_filters_apply(big):
    client, url = big
    resp = client.get(url, query_string={"op.tahun": "gt", "f.tahun": "abc", "f.kabupaten_kota": "Kota Bima",
                                         "op.jumlah": "between", "f.jumlah": "500", "to.jumlah": "100"})
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    assert 'id="table-filter"' in body and 'id="filter-errors"' in body and "Traceback" not in body
    tahun = _field_box(body, "tahun")
    assert "abc bukan bilangan bulat" in _text(tahun) and 'value="abc"' in tahun and 'aria-invalid="true"' in tahun
    jumlah = _field_box(body, "jumlah")
    assert "Akhir rentang lebih kecil daripada awalnya" in _text(jumlah)
    assert 'value="500"' in jumlah and 'value="100"' in jumlah
    # The filter that could be read is applied; the two that could not are left out.
    assert set(_column(body, 0)) == {"Kota Bima"}
    assert f">{ROWS // 8} baris<" in body.replace("\n", "")


def test_a_bad_value_is_explained_in_english_on_the_english_side(big):
    client, url = big
    body = _english(client).get(url, query_string={"op.tahun": "lt", "f.tahun": "abc"}).get_data(as_text=True)
    assert "abc is not a whole number (column tahun)." in _text(_field_box(body, "tahun"))
    assert "bilangan" not in body


@pytest.mark.parametrize("number, message", [
    ("abc", "abc bukan nomor halaman"),
    ("0", "0 bukan nomor halaman"),
    ("105", "Tidak ada halaman 105: halaman terakhir adalah 104."),
])
def test_a_page_number_out_of_range_is_answered_beside_the_page_field(big, number, message):
    client, url = big
    resp = client.get(f"{url}?page={number}")
    assert resp.status_code == 400
    body = resp.get_data(as_text=True)
    jump = body.split('id="page-jump"')[1].split("</form>")[0]
    assert message in _text(jump) and f'value="{number}"' in jump
    assert _counts(body) == [r["jumlah"] for r in DATA[:25]]  # the first page meanwhile


def test_a_column_with_hidden_cells_has_its_filter_shown_disabled_with_the_reason(portal):
    app, urls = portal
    body = app.test_client().get(urls["small"]).get_data(as_text=True)
    box = _field_box(body, "perempuan")
    assert re.search(r"<fieldset[^>]* disabled", box)
    assert "tidak dapat disaring" in _text(box)
    reason = re.search(r'aria-describedby="([^"]+)"', box.split(">")[0]).group(1)
    assert f'id="{reason}"' in box
    assert not re.search(r"<fieldset[^>]* disabled", _field_box(body, "kabupaten_kota"))
    sort = body.split('name="sort"')[1].split("</select>")[0]
    assert 'value="perempuan"' not in sort and 'value="kabupaten_kota"' in sort
    assert "<option disabled>Perempuan (sel tersembunyi)</option>" in sort  # shown under its label, with the reason


def test_a_filter_that_matches_nothing_says_so_with_a_link_to_clear_the_filters(big):
    client, url = big
    body = client.get(url, query_string={"op.jumlah": "gt", "f.jumlah": "100000"}).get_data(as_text=True)
    empty = body.split('id="no-rows"')[1].split("</p>")[0]
    assert "Tidak ada baris yang cocok" in _text(empty)
    link = re.search(r'href="([^"]+)">Hapus filter<', empty).group(1)
    assert "f." not in html.unescape(link) and "op." not in html.unescape(link)
    assert 'id="page-jump"' not in body and 'id="row-range"' not in body


def test_datastore_search_filters_with_comparisons_and_keeps_them_in_its_next_link(portal):
    app, urls = portal
    client = app.test_client()
    filters = {"tahun": {"between": [2018, 2019]}, "jumlah": {"gt": 900}, "kabupaten_kota": {"contains": "bima"}}
    resp = client.get("/api/3/action/datastore_search", query_string={
        "resource_id": urls["big_id"], "filters": json.dumps(filters), "limit": 5})
    result = resp.get_json()["result"]
    expected = [r for r in DATA if 2018 <= r["tahun"] <= 2019 and r["jumlah"] > 900 and "Bima" in r["kabupaten_kota"]]
    assert result["total"] == len(expected) and [r["jumlah"] for r in result["records"]] == [r["jumlah"] for r in expected[:5]]
    assert result["filters"] == filters
    following = client.get(result["_links"]["next"]).get_json()["result"]
    assert [r["jumlah"] for r in following["records"]] == [r["jumlah"] for r in expected[5:10]]
    bad = client.get("/api/3/action/datastore_search", query_string={
        "resource_id": urls["big_id"], "filters": json.dumps({"tahun": {"gt": "abc"}})})
    assert bad.status_code == 409 and "filters" in bad.get_json()["error"]
    # A deep offset lands where a walk of every page before it would, sorted either way, and a
    # cursor with an offset counts from the cursor.
    by_jumlah = sorted(range(ROWS), key=lambda i: (-DATA[i]["jumlah"], -i))
    deep = client.get("/api/3/action/datastore_search", query_string={
        "resource_id": urls["big_id"], "sort": "jumlah desc", "offset": 2590, "limit": 20}).get_json()["result"]
    assert [r["_id"] for r in deep["records"]] == [i + 1 for i in by_jumlah[2590:]] and deep["total"] == ROWS
    first = client.get("/api/3/action/datastore_search", query_string={
        "resource_id": urls["big_id"], "sort": "jumlah desc", "limit": 3}).get_json()["result"]
    cursor = urllib.parse.parse_qs(urllib.parse.urlparse(first["_links"]["next"]).query)["cursor"][0]
    walked = client.get("/api/3/action/datastore_search", query_string={
        "resource_id": urls["big_id"], "sort": "jumlah desc", "cursor": cursor, "offset": 1200, "limit": 5}).get_json()["result"]
    assert [r["_id"] for r in walked["records"]] == [i + 1 for i in by_jumlah[1203:1208]]
    # CKAN's exact filters are unchanged.
    exact = client.get("/api/3/action/datastore_search", query_string={
        "resource_id": urls["big_id"], "filters": json.dumps({"tahun": 2020}), "limit": 1}).get_json()["result"]
    assert exact["total"] == sum(1 for r in DATA if r["tahun"] == 2020)


# -- the engine: every page number, in every order, holds the rows an OFFSET would ------------------

@pytest.fixture
def engine_table(table_at):
    """A table whose columns have long runs of equal values and empty cells, past several kept keys,
    on the pass's engine (a SQLite file, or a table in PostgreSQL's datastore schema)."""
    from app import tables
    from app.tables.pg_engine import PgTable

    rng = random.Random(7)
    columns = [{"name": "kab", "type": "text"}, {"name": "n", "type": "integer"}, {"name": "p", "type": "decimal"}]
    rows = [(rng.choice(["A", "B", None]) if i % 50 else None, rng.choice([None, 1, 2, 3]) if i % 3 else 7,
             None if i % 11 == 0 else rng.random()) for i in range(2_700)]
    target = table_at("t.sqlite")
    tables.build(target, columns, rows)
    if not isinstance(target, PgTable):
        return target
    # PostgreSQL keeps them after the commit (the upload's worker queues it): once only.
    assert tables.add_page_keys(target) and not tables.add_page_keys(target)
    return target


@pytest.mark.parametrize("kept_keys", [True, False], ids=["kept-keys", "older-table-without-them"])
def test_every_page_number_in_every_order_holds_the_rows_an_offset_would(engine_table, kept_keys):
    from app import tables
    from app.tables.pg_engine import PgTable

    path = engine_table
    if not kept_keys:
        if isinstance(path, PgTable):
            path.connection.execute(f"DROP TABLE {path.qualified('__k')}")
        else:
            with sqlite3.connect(path) as con:
                con.execute("DROP TABLE page_keys")
    with tables.Table(path) as table:
        for sort, column in [(None, "_id"), ("kab", "c0"), ("n", "c1"), ("p", "c2")]:
            for desc in (False, True):
                way = "DESC" if desc else "ASC"
                order = table.db.order(column, desc) + (f", _id {way}" if sort else "")
                ids = [i for (i,) in table.db.execute(f"SELECT _id FROM {table.db.data} ORDER BY {order}")]
                for number in (1, 2, 40, 41, 60, 108):
                    got = table.page(tables.Query(sort=sort, desc=desc, page=number, locate=True))
                    assert got.row_ids == ids[(number - 1) * 25:number * 25], (sort, desc, number)
                    assert got.start == (number - 1) * 25
                    for token, back in ((got.next_token, False), (got.prev_token, True)):
                        if token:  # a page reached by its link says where it starts too
                            moved = table.page(tables.Query(sort=sort, desc=desc, locate=True,
                                                            **({"before": token} if back else {"after": token})))
                            start = (number - 2 if back else number) * 25
                            assert moved.row_ids == ids[start:start + 25] and moved.start == start, (sort, desc, number)


@pytest.mark.parametrize("kept_keys", [True, False], ids=["kept-keys", "older-table-without-them"])
def test_a_start_place_reads_the_rows_an_offset_would_in_every_order_and_in_a_filtered_view(engine_table, kept_keys):
    from app import tables
    from app.tables.pg_engine import PgTable

    if not kept_keys:
        if isinstance(engine_table, PgTable):
            engine_table.connection.execute(f"DROP TABLE {engine_table.qualified('__k')}")
        else:
            with sqlite3.connect(engine_table) as con:
                con.execute("DROP TABLE page_keys")
    with tables.Table(engine_table) as table:
        for sort, column in [(None, "_id"), ("kab", "c0"), ("n", "c1"), ("p", "c2")]:
            for desc in (False, True):
                way = "DESC" if desc else "ASC"
                order = table.db.order(column, desc) + (f", _id {way}" if sort else "")
                for where, filters in (("", {}), ("WHERE c0 = 'A' ", {"kab": ["A"]})):
                    ids = [i for (i,) in table.db.execute(f"SELECT _id FROM {table.db.data} {where}ORDER BY {order}")]
                    for start in (1, 24, 333, 1001, len(ids) - 1, len(ids), len(ids) + 40):
                        got = table.page(tables.Query(sort=sort, desc=desc, filters=filters, start=start, limit=30))
                        assert got.row_ids == ids[start:start + 30], (sort, desc, filters, start)
                        assert (got.prev_token is not None) == bool(got.row_ids)
                        if got.next_token:  # the page's link goes on from there
                            on = table.page(tables.Query(sort=sort, desc=desc, filters=filters, after=got.next_token, limit=30))
                            assert on.row_ids == ids[start + 30:start + 60]
        # A page number wins over a start place, as the Query says.
        assert table.page(tables.Query(page=2, start=7)).row_ids == list(range(26, 51))


def test_a_page_link_from_a_table_keeps_working_and_a_page_number_past_the_end_is_refused(engine_table):
    from app import tables

    with tables.Table(engine_table) as table:
        with pytest.raises(tables.BadQuery) as refused:
            table.page(tables.Query(page=109))
        assert refused.value.part == "page"
        got = table.page(tables.Query(sort="n", after=tables.encode_token(2, 1500)))
        assert got.row_ids == [i for (i,) in table.db.execute(
            f"SELECT _id FROM {table.db.data} WHERE c1 > 2 OR (c1 = 2 AND _id > 1500) ORDER BY c1, _id LIMIT 25")]
        assert urllib.parse.quote(got.next_token) == got.next_token  # tokens stay URL-safe


def test_a_filter_on_a_column_the_table_does_not_have_is_named_at_the_top_of_the_form(big):
    client, url = big
    resp = client.get(url, query_string={"f.tidak_ada": "1", "f.tahun": "2020"})
    assert resp.status_code == 400
    alert = resp.get_data(as_text=True).split('id="filter-errors"')[1].split("</p>")[0]
    assert "Tabel ini tidak memiliki kolom tidak_ada." in _text(alert)
    assert f">{sum(1 for r in DATA if r['tahun'] == 2020)} baris<" in resp.get_data(as_text=True).replace("\n", "")
