"""The public reads a table page by page: sorting, searching, filtering, paging back, the summary."""
from __future__ import annotations

import csv
import html
import io
import re

import pytest
from tests.support.database import stored_dataset

NAME = "lks-per-kabupaten-2021-2024"


@pytest.fixture(scope="module")
def table_page(demo_app):
    """The table's page address and its every row, read once (tests only read them)."""
    with demo_app.app_context():

        ds = stored_dataset(NAME)
        rid = ds.resources[0].id
    url = f"/dataset/{NAME}/resource/{rid}"
    csv_text = demo_app.test_client().get(f"{url}/download/x.csv").get_data(as_text=True)
    return url, tuple(csv.DictReader(io.StringIO(csv_text)))


@pytest.fixture
def table(demo_app, table_page):
    """A client of its own (no cookie of another test), the table's page and a copy of its rows."""
    url, full = table_page
    return demo_app.test_client(), url, [dict(row) for row in full]


def _rows(page: str) -> list[list[str]]:
    body = page.split('id="row-count"')[1].split("</tbody>")[0]
    return [[html.unescape(re.sub(r"<[^>]+>", "", td)).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)]


def _link(page: str, rel: str) -> str:
    return html.unescape(re.search(rf'rel="{rel}" href="([^"]+)"', page).group(1))


def test_public_sorts_a_table_by_any_column_both_ways(table):
    client, url, full = table
    up = _rows(client.get(f"{url}?sort=penerima_manfaat").get_data(as_text=True))
    down = _rows(client.get(f"{url}?sort=penerima_manfaat&desc=1").get_data(as_text=True))
    values = sorted(int(r["penerima_manfaat"]) for r in full)
    assert [int(r[5].replace(".", "")) for r in up] == values[:25]
    assert [int(r[5].replace(".", "")) for r in down] == values[::-1][:25]


def test_public_searches_within_a_table(table):
    client, url, full = table
    rows = _rows(client.get(f"{url}?q=Dompu").get_data(as_text=True))
    expected = [r for r in full if "Dompu" in r["nama_kabupaten_kota"]]
    assert rows and len(rows) == min(25, len(expected))
    assert all("Dompu" in r[1] for r in rows)


def test_public_filters_a_table_by_two_columns(table):
    client, url, full = table
    page = client.get(f"{url}?f.nama_kabupaten_kota=Kota Bima&f.tahun=2023").get_data(as_text=True)
    expected = [r for r in full if r["nama_kabupaten_kota"] == "Kota Bima" and r["tahun"] == "2023"]
    assert [r[2] for r in _rows(page)] == [r["jenis_layanan"] for r in expected] and expected


def _form_fields(page: str) -> list[tuple[str, str]]:
    """What the page's table form submits as it stands: every field, filled or empty."""
    form = page.split('id="table-filter"')[1].split("</form>")[0]
    fields = [(html.unescape(n), html.unescape(v)) for n, v in
              re.findall(r'<input type="(?:hidden|search|text)" name="([^"]+)" value="([^"]*)"', form)]
    return fields + [("sort", "")]


def test_public_submits_the_table_form_as_it_comes_and_gets_every_row(table):
    client, url, full = table
    fields = _form_fields(client.get(url).get_data(as_text=True))
    empty_filters = [name for name, value in fields if name.startswith("f.") and not value]
    assert len(empty_filters) >= 3  # the form sends one empty field per filterable column
    page = client.get(url, query_string=fields).get_data(as_text=True)
    assert len(_rows(page)) == min(25, len(full))
    assert f">{len(full)} baris<" in page.replace("\n", "")


def test_public_filters_with_the_form_and_sorts_the_matching_rows(table):
    client, url, full = table
    fields = [(n, "Kota Bima" if n == "f.nama_kabupaten_kota" else v)
              for n, v in _form_fields(client.get(url).get_data(as_text=True)) if n != "sort"]
    page = client.get(url, query_string=fields + [("sort", "penerima_manfaat"), ("desc", "1")]).get_data(as_text=True)
    expected = sorted((int(r["penerima_manfaat"]) for r in full if r["nama_kabupaten_kota"] == "Kota Bima"),
                      reverse=True)
    assert expected and [int(r[5].replace(".", "")) for r in _rows(page)] == expected[:25]


def test_a_csv_download_says_its_type_once(table):
    client, url, _full = table
    resp = client.get(f"{url}/download/x.csv")
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.headers["Content-Disposition"].startswith("attachment;")


def test_a_filter_that_matches_nothing_says_so(table):
    client, url, _full = table
    page = client.get(f"{url}?f.nama_kabupaten_kota=Atlantis").get_data(as_text=True)
    assert 'id="no-rows"' in page and "Tidak ada baris yang cocok" in page
    assert "<tbody>" not in page.split('id="row-count"')[1].split('id="chart-form"')[0]


def test_public_pages_forward_and_back_to_the_same_rows(table):
    client, url, full = table
    first = client.get(url).get_data(as_text=True)
    second = client.get(_link(first, "next")).get_data(as_text=True)
    assert _rows(second)[0][2] == full[25]["jenis_layanan"] and _rows(second) != _rows(first)
    back = client.get(_link(second, "prev")).get_data(as_text=True)
    assert _rows(back) == _rows(first)
    assert 'rel="prev"' not in first


def test_column_summary_gives_min_max_and_sum_of_the_whole_table(table):
    client, url, full = table
    page = client.get(url).get_data(as_text=True)
    values = [int(r["penerima_manfaat"]) for r in full]
    row = re.search(r"<tr><td>Penerima manfaat <code class=\"hint\">penerima_manfaat</code>.*?</tr>", page, re.S).group(0)
    numbers = [int(n.replace(".", "")) for n in re.findall(r"\d[\d.]*", re.sub(r"<[^>]+>", " ", row))]
    assert min(values) in numbers and max(values) in numbers and sum(values) in numbers


def test_every_column_can_be_filtered_from_the_page(app, users, tmp_path):
    from tests.factories import dataset_with_table, user

    names = ["kode", "kabupaten", "kecamatan", "jenis", "laki_laki", "perempuan", "jumlah", "tahun"]
    path = tmp_path / "lebar.csv"
    path.write_text(",".join(names) + "\n" + "".join(
        f"52.0{i % 8 + 1},Kab {i % 8},Kec {i},Jenis {i % 3},{100 + i},{200 + i},{300 + 2 * i},{2020 + i % 4}\n"
        for i in range(40)))
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), path=path, name="lebar", publish=True)
        url = f"/dataset/lebar/resource/{result.resource.id}"
    client = app.test_client()
    page = client.get(url).get_data(as_text=True)
    assert 'id="more-filters"' in page and "<details id=\"more-filters\" open" not in page
    assert all(f'name="f.{n}"' in page for n in names)
    filtered = client.get(f"{url}?f.tahun=2023").get_data(as_text=True)
    assert "<details id=\"more-filters\" open" in filtered
    assert {r[-1] for r in _rows(filtered)} == {"2023"} and len(_rows(filtered)) == 10


def test_the_whole_tables_chart_is_kept_at_upload_and_equals_grouping_it(demo_app):
    from app import tables
    from app.services import tables as table_service

    with demo_app.app_context():
        version = stored_dataset(NAME).resources[0].public_version
        with table_service.open_table(version) as public:
            path = public.source
        with tables.Table(path) as table:  # as the organization sees it: nothing suppressed
            labels, values = tables.chart_axes(table.columns)
            db = table.db
            for x in labels:
                for y in values:
                    live = [tuple(r) for r in db.execute(
                        f"SELECT c{x}, {db.total(f'c{y}')} AS s FROM {db.data} GROUP BY c{x} ORDER BY s DESC LIMIT 30")]
                    kept = table._kept_chart(x, y, tables.CHART_BARS)
                    first_year = next(i for i in labels if table.columns[i]["type"] == "year")
                    # the default axes are kept: the first label column, and the first year (a line over years)
                    assert bool(kept) == (x in (labels[0], first_year)), (x, y)
                    drawn = table.group_sums(table.columns[x]["name"], table.columns[y]["name"])
                    assert sorted(drawn, key=str) == sorted(live, key=str), (x, y)
                    if kept:
                        assert sorted(kept, key=str) == sorted(live, key=str), (x, y)


def test_a_chart_of_a_view_bigger_than_the_cap_asks_to_filter_further(table_at):
    from app import tables

    columns = [{"name": "kabupaten", "type": "text"}, {"name": "jumlah", "type": "integer"},
               {"name": "tahun", "type": "year"}]
    path = table_at("besar.sqlite")
    n = tables.FILTERED_COUNT_CAP + 500
    tables.build(path, columns, ((f"Kab {i % 7}", i % 50 + 5, 2020 + i % 3) for i in range(n)))
    with tables.Table(path) as table:
        whole = table.group_sums("kabupaten", "jumlah")
        assert sum(v for _, v in whole) == sum(i % 50 + 5 for i in range(n))
        by_year = table.group_sums("tahun", "jumlah")  # not kept at upload: grouped once, then cached
        assert dict(by_year) == {2020 + k: float(sum(i % 50 + 5 for i in range(n) if i % 3 == k)) for k in range(3)}
        assert table.group_sums("tahun", "jumlah") == by_year
        assert table.group_sums("kabupaten", "jumlah", tables.Query(filters={"jumlah": [str(v) for v in range(5, 55)]})) is None
        small = table.group_sums("kabupaten", "jumlah", tables.Query(filters={"kabupaten": ["Kab 3"]}))
        assert small == [("Kab 3", float(sum(i % 50 + 5 for i in range(n) if i % 7 == 3)))]
