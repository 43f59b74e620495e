"""What the public reads of a table with hidden cells is true in every format, and no hidden
cell can be worked out again from everything the portal publishes beside it."""
from __future__ import annotations

import csv
import html
import io
import json
import math
import re

import pytest

from tests.factories import dataset_with_table, user
from tests.support.database import stored_dataset

LEGEND_ID = "x: disembunyikan untuk melindungi kerahasiaan"
LEGEND_EN = "x: hidden to protect confidentiality"
WITHOUT_HIDDEN_ID = "jumlah tanpa sel tersembunyi"

# A row total over three parts: a lone small count (Mataram), two small counts adding up to
# less than the threshold (Bima), a small count beside a zero (Sumbawa), a small total (Lombok Utara).
WITH_TOTAL = """kabupaten_kota,laki_laki,perempuan,disabilitas,jumlah
Kota Mataram,12,3,20,35
Kota Bima,1,2,30,33
Kabupaten Dompu,20,11,9,40
Kabupaten Bima,6,8,14,28
Kabupaten Sumbawa,4,0,25,29
Kabupaten Lombok Utara,2,2,0,4
Kabupaten Lombok Barat,50,60,70,180
"""

# A long table charted per region, service and year; each count column's small cells add up to
# less than the threshold.
LONG = """kabupaten_kota,jenis_layanan,tahun,jumlah_lks,penerima_manfaat
Kota Mataram,Anak,2022,1,40
Kota Mataram,Lanjut Usia,2022,6,2
Kota Mataram,Anak,2023,7,55
Kota Mataram,Lanjut Usia,2023,1,60
Kota Bima,Anak,2022,9,120
Kota Bima,Lanjut Usia,2022,12,1
Kota Bima,Anak,2023,8,130
Kota Bima,Lanjut Usia,2023,10,90
Kabupaten Dompu,Anak,2022,5,80
Kabupaten Dompu,Lanjut Usia,2022,6,70
Kabupaten Dompu,Anak,2023,20,85
Kabupaten Dompu,Lanjut Usia,2023,7,75
"""

# Sensitive categories are hidden without the publisher asking.
NAPZA = """kabupaten_kota,jenis_layanan,jumlah_lks,tahun
Kota Mataram,Korban NAPZA,2,2023
Kota Mataram,Anak,3,2023
Kota Bima,Korban NAPZA,7,2023
Kota Bima,Anak,9,2023
Kabupaten Dompu,Korban NAPZA,1,2023
Kabupaten Dompu,Anak,12,2023
"""

TABLES = {
    # name: (text, dataset settings, (row parts, row total) or None)
    "rows-with-a-total": (WITH_TOTAL, {"suppress_small_cells": True},
                          (("laki_laki", "perempuan", "disabilitas"), "jumlah")),
    "long-by-region-and-year": (LONG, {"suppress_small_cells": True}, None),
    "sensitive-by-default": (NAPZA, {}, None),
}


def _publish(app, tmp_path, text: str, name: str, **meta) -> tuple[str, str]:
    path = tmp_path / f"{name}.csv"
    path.write_text(text)
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), path=path, name=name, publish=True, **meta)
        return ds.name, result.resource.id


def _get(client, url: str, **params) -> str:
    resp = client.get(url, query_string=params)
    assert resp.status_code == 200, (url, params, resp.status_code)
    return resp.get_data(as_text=True)


def _csv_rows(client, name: str, rid: str, **params) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_get(client, f"/dataset/{name}/resource/{rid}/download/t.csv", **params))))


def _number(text: str) -> float | None:
    """A number as the Indonesian page or the CSV writes it (1.234 / 12,5 / 1234), else None."""
    text = text.strip()
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d+)?|-?\d+(,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return None


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _table_cells(page: str) -> list[list[str]]:
    body = page.split('id="row-count"')[1].split("</tbody>")[0].split("<tbody>")[1]
    return [[_text(td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _column_summaries(page: str) -> dict[str, str]:
    table = page.split("<h2>Kolom</h2>")[1].split("</table>")[0]
    out = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        tds = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        cells = [_text(td).strip() for td in tds]
        if cells:  # keyed by the raw name, shown beside the column's label when they differ
            raw = re.search(r"<code[^>]*>(.*?)</code>", tds[0])
            out[html.unescape(raw.group(1)) if raw else cells[0]] = " ".join(cells[2].split())
    return out


def _chart(page: str) -> tuple[str | None, str | None, bool, list[tuple[str, float]]]:
    """(x, y, says it leaves hidden cells out, bars) of the page's chart (its figures' table: the
    picture is drawn from the same figures)."""
    if 'id="chart-form"' not in page:
        return None, None, False, []
    form = page.split('id="chart-form"')[1].split("</form>")[0]

    def selected(name: str) -> str:
        options = re.search(rf'<select name="{name}">(.*?)</select>', form, re.S).group(1)
        return html.unescape(re.search(r'<option value="([^"]*)" selected>', options).group(1))

    bars = [(html.unescape(label), _number(value)) for label, value in re.findall(
        r'<th scope="row" class="chart__label">(.*?)</th><td class="num chart__value">(.*?)</td>', page, re.S)]
    return selected("chart_x"), selected("chart_y"), 'id="chart-without-hidden"' in page, bars


class Attacker:
    """Everything a reader can learn about the cells of one table: the exact values of the visible
    cells, and equations (published sums of cells) that the hidden ones must satisfy. That a hidden
    cell is a small count is not known to the reader: only that it is hidden, and not negative."""

    def __init__(self, rows: list[dict[str, str]], counts: list[str]) -> None:
        self.rows = rows
        self.visible: dict[tuple[int, str], float] = {}
        self.hidden: list[tuple[int, str]] = []
        for r, row in enumerate(rows):
            for c in counts:
                value = _number(row[c]) if row[c] != "" else 0.0
                if value is None:  # whatever the symbol: "x", "<5", ...
                    self.hidden.append((r, c))
                else:
                    self.visible[(r, c)] = value
        self.equations: list[tuple[list[tuple[tuple[int, str], float]], float, str]] = []
        self.figures = 0

    def equation(self, terms: list[tuple[tuple[int, str], float]], published: float, what: str) -> None:
        self.equations.append((terms, published, what))

    def sum_of(self, cells: list[tuple[int, str]], published: float, what: str, without_hidden: bool) -> None:
        """A published sum: an equation over its cells, or (when it says it leaves the hidden cells
        out) a figure that must be the sum of the visible cells, and tells nothing more."""
        self.figures += 1
        if without_hidden:
            visible = sum(self.visible.get(cell, 0) for cell in cells)
            assert math.isclose(published, visible), f"{what}: says {published} without hidden cells, visible {visible}"
        else:
            self.equation([(cell, 1.0) for cell in cells], published, what)

    def interval(self, cell: tuple[int, str]) -> tuple[float, float]:
        """The smallest and largest value of a hidden cell consistent with everything published."""
        from scipy.optimize import linprog

        index = {h: k for k, h in enumerate(self.hidden)}
        a_eq, b_eq = [], []
        for terms, published, what in self.equations:
            coefficients = [0.0] * len(self.hidden)
            rest = published
            for one, coefficient in terms:
                if one in index:
                    coefficients[index[one]] += coefficient
                else:
                    rest -= coefficient * self.visible.get(one, 0)
            if any(coefficients):
                a_eq.append(coefficients)
                b_eq.append(rest)
            else:
                assert abs(rest) < 1e-6, f"{what} does not add up"
        objective = [0.0] * len(self.hidden)
        objective[index[cell]] = 1.0
        out = []
        for sign in (1, -1):
            if not a_eq:
                out.append(0.0 if sign == 1 else math.inf)
                continue
            found = linprog([sign * v for v in objective], A_eq=a_eq, b_eq=b_eq,
                            bounds=[(0, None)] * len(self.hidden), method="highs")
            if found.status == 3:  # unbounded: the cell can be as large as one likes
                out.append(math.inf)
                continue
            assert found.status == 0, found.message
            out.append(sign * found.fun)
        return out[0], out[1]


def _collect(client, name: str, rid: str, layout) -> Attacker:
    """Read everything public about one table: the cells, the column sums, the row totals, the
    chart of every value column per every label, in the whole table and in each view filtered by
    one label value, and the download of each such view."""
    url = f"/dataset/{name}/resource/{rid}"
    schema = json.loads(_get(client, f"/dataset/{name}/datapackage.json"))["resources"][0]["schema"]
    counts = [f["name"] for f in schema["fields"] if f["type"] == "integer"]
    labels = [f["name"] for f in schema["fields"] if f["type"] in ("string", "year")]
    rows = _csv_rows(client, name, rid)
    attacker = Attacker(rows, counts)
    everything = list(range(len(rows)))
    for column, text in _column_summaries(_get(client, url)).items():
        if column not in counts:
            continue
        cells = [(r, column) for r in everything]
        number = re.search(r"(?:^|· )(jumlah tanpa sel tersembunyi|jumlah) (-?[\d.,]+)", text)
        if number:
            attacker.sum_of(cells, _number(number.group(2)), f"sum of {column}", number.group(1) == WITHOUT_HIDDEN_ID)
        if re.search(r"\bmin\b", text):  # a minimum and maximum would bound the hidden cells too
            assert not [c for c in cells if c in attacker.hidden], f"{column}: min/max beside hidden cells"
    if layout:
        parts, total = layout
        for r in everything:  # the parts of a row add up to its total
            attacker.equation([((r, p), 1.0) for p in parts] + [((r, total), -1.0)], 0.0, f"row {r}")
    views: list[dict[str, str]] = [{}]
    for label in labels:
        for value in sorted({row[label] for row in rows}):
            views.append({f"f.{label}": value})
            filtered = _csv_rows(client, name, rid, **{f"f.{label}": value})
            assert filtered == [row for row in rows if row[label] == value], (label, value)
    for view in views:
        chosen = [r for r in everything if all(rows[r][k[2:]] == v for k, v in view.items())]
        for x in labels:
            for y in counts:
                chart_x, chart_y, without_hidden, bars = _chart(_get(client, url, chart_x=x, chart_y=y, **view))
                if chart_x is None:
                    continue
                for label, published in bars:
                    cells = [(r, chart_y) for r in chosen if (rows[r][chart_x] or "–") == label]
                    attacker.sum_of(cells, published, f"chart of {chart_y} per {chart_x} = {label} in {view or 'all'}",
                                    without_hidden)
    return attacker


def _intervals_are_wide(attacker: Attacker, truth: list[dict[str, str]], threshold: int) -> list[str]:
    narrowed = []
    for r, c in attacker.hidden:
        lo, hi = attacker.interval((r, c))
        where = f"{c} of {truth[r]['kabupaten_kota']} (really {truth[r][c]})"
        if 0 < int(truth[r][c]) < threshold:
            # As uncertain as the small count itself: anything from 1 to threshold - 1 stays possible.
            if not (lo <= 1 + 1e-6 and hi >= threshold - 1 - 1e-6):
                narrowed.append(f"{where} narrowed to [{lo}, {hi}]")
        elif hi - lo < 1 - 1e-6:
            narrowed.append(f"{where} worked out as [{lo}, {hi}]")
    return narrowed


@pytest.mark.parametrize("table", sorted(TABLES))
def test_nobody_can_work_out_a_hidden_cell_from_what_the_portal_publishes(app, users, tmp_path, table):
    text, settings, layout = TABLES[table]
    name, rid = _publish(app, tmp_path, text, table, **settings)
    threshold = app.config["SMALL_CELL_THRESHOLD"]
    attacker = _collect(app.test_client(), name, rid, layout)
    truth = list(csv.DictReader(io.StringIO(text)))
    assert attacker.figures > 10
    assert [1 for r, c in attacker.hidden if 0 < int(truth[r][c]) < threshold], "hidden small counts"
    assert not _intervals_are_wide(attacker, truth, threshold)
    # Not even with each column's total known from elsewhere (the report the table comes from).
    for column in {c for _, c in attacker.hidden}:
        attacker.equation([((r, column), 1.0) for r in range(len(truth))],
                          sum(int(row[column]) for row in truth), f"the report's total of {column}")
    assert not _intervals_are_wide(attacker, truth, threshold)


# -- one symbol, true in every format --------------------------------------------------------

def _hidden_in(rows: list[dict[str, str]]) -> set[tuple[int, str]]:
    return {(r, c) for r, row in enumerate(rows) for c, v in row.items() if v == "x"}


def test_public_sees_every_hidden_cell_as_x_with_a_legend(app, users, tmp_path):
    name, rid = _publish(app, tmp_path, WITH_TOTAL, "wide-x", suppress_small_cells=True)
    client = app.test_client()
    page = _get(client, f"/dataset/{name}/resource/{rid}")
    cells = _table_cells(page)
    mataram = cells[0]
    assert mataram[0] == "Kota Mataram" and mataram[2] == "x"  # perempuan: 3
    # Its complement holds 12 or 20, no small count: it is x as well, never "<5".
    assert mataram.count("x") >= 2 and "<5" not in page and "&lt;5" not in page
    assert LEGEND_ID in page
    assert "x" in _table_cells(page)[1] and "1" not in _table_cells(page)[1][1:]  # Kota Bima's 1 and 2
    preview = _get(client, f"/dataset/{name}")
    assert LEGEND_ID in preview and "<td class=\"num\">x</td>" in preview
    client.get("/lang/en")
    assert LEGEND_EN in _get(client, f"/dataset/{name}/resource/{rid}")


def test_every_format_says_the_same_of_a_hidden_cell(app, users, tmp_path):
    import frictionless
    from openpyxl import load_workbook

    name, rid = _publish(app, tmp_path, WITH_TOTAL, "wide-formats", suppress_small_cells=True)
    client = app.test_client()
    base = f"/dataset/{name}/resource/{rid}/download"
    rows = _csv_rows(client, name, rid)
    hidden = _hidden_in(rows)
    names = list(rows[0])
    assert (0, "perempuan") in hidden and len(hidden) >= 6

    excel = list(csv.DictReader(io.StringIO(_get(client, f"{base}/t.csv", format="csv-excel").lstrip("\ufeff")),
                                delimiter=";"))
    assert _hidden_in(excel) == hidden

    data = json.loads(_get(client, f"{base}/t.json"))
    fields = {f["id"]: f for f in data["fields"]}
    assert "hidden to protect confidentiality" in fields["perempuan"]["info"]["notes"]
    assert fields["_suppressed"]
    for r, record in enumerate(data["records"]):
        assert set(record["_suppressed"]) == {c for rr, c in hidden if rr == r}
        for c in names:
            if (r, c) in hidden:
                assert record[c] is None
            else:
                assert str(record[c]) == rows[r][c]

    resp = client.get(f"{base}/t.xlsx")
    book = load_workbook(io.BytesIO(resp.data))
    sheet = [list(r) for r in book["data"].iter_rows(values_only=True)]
    assert {(r, names[k]) for r, row in enumerate(sheet[1:]) for k, v in enumerate(row) if v == "x"} == hidden
    assert all(isinstance(v, int) for row in sheet[1:] for v in row[1:] if v != "x")
    assert LEGEND_ID in [v for row in book["keterangan"].iter_rows(values_only=True) for v in row]

    api = client.get("/api/3/action/datastore_search", query_string={"resource_id": rid}).get_json()["result"]
    api_fields = {f["id"]: f for f in api["fields"]}
    assert api_fields["perempuan"]["type"] == "int" and "null" in api_fields["perempuan"]["info"]["notes"]
    assert api_fields["_suppressed"]["type"] == "_text"
    for r, record in enumerate(api["records"]):
        assert set(record["_suppressed"]) == {c for rr, c in hidden if rr == r}
        assert all(record[c] is None if (r, c) in hidden else str(record[c]) == rows[r][c] for c in names)
    lists = client.get("/api/3/action/datastore_search",
                       query_string={"resource_id": rid, "records_format": "lists"}).get_json()["result"]
    assert [f["id"] for f in lists["fields"]][-1] == "_suppressed"
    assert lists["records"][0][-1] == [c for c in names if (0, c) in hidden]
    assert lists["records"][0][names.index("perempuan") + 1] is None  # after _id
    as_csv = client.get("/api/3/action/datastore_search",
                        query_string={"resource_id": rid, "records_format": "csv"}).get_json()["result"]
    assert next(csv.reader(io.StringIO(as_csv["records"])))[names.index("perempuan") + 1] == "x"
    help_text = client.get("/api/3/action/help_show", query_string={"name": "datastore_search"}).get_json()["result"]
    assert "_suppressed" in help_text

    package = json.loads(_get(client, f"/dataset/{name}/datapackage.json"))
    schema = package["resources"][0]["schema"]
    assert schema["missingValues"] == ["", "x"]
    (tmp_path / "t.csv").write_text(_get(client, f"{base}/t.csv"), encoding="utf-8")
    resource = frictionless.Resource(path="t.csv", basepath=str(tmp_path),
                                     schema=frictionless.Schema.from_descriptor(schema))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    with frictionless.Resource(path="t.csv", basepath=str(tmp_path),
                               schema=frictionless.Schema.from_descriptor(schema)) as typed:
        read = [row.to_dict() for row in typed.row_stream]
    assert read[0]["perempuan"] is None and read[0]["jumlah"] in (None, 35)
    assert {(r, c) for r, row in enumerate(read) for c, v in row.items() if v is None} == hidden


def test_organization_members_read_real_counts_and_no_missing_value_x(app, users, auth, client, tmp_path):
    name, rid = _publish(app, tmp_path, WITH_TOTAL, "wide-members", suppress_small_cells=True)
    auth.login("org_admin")
    assert _csv_rows(client, name, rid)[0]["perempuan"] == "3"
    schema = json.loads(_get(client, f"/dataset/{name}/datapackage.json"))["resources"][0]["schema"]
    assert schema["missingValues"] == [""]


# -- sums beside hidden cells ----------------------------------------------------------------

def test_column_sums_and_charts_leave_hidden_cells_out_and_say_so(app, users, tmp_path):
    name, rid = _publish(app, tmp_path, LONG, "long-sums", suppress_small_cells=True)
    client = app.test_client()
    rows = _csv_rows(client, name, rid)
    url = f"/dataset/{name}/resource/{rid}"
    visible = sum(int(r["jumlah_lks"]) for r in rows if r["jumlah_lks"] != "x")
    assert visible < sum(int(r["jumlah_lks"]) for r in csv.DictReader(io.StringIO(LONG)))
    summary = _column_summaries(_get(client, url))["jumlah_lks"]
    assert summary.startswith(f"{WITHOUT_HIDDEN_ID} {visible}") and "min" not in summary
    for view in ({}, {"f.tahun": "2022"}):
        page = _get(client, url, chart_x="kabupaten_kota", chart_y="jumlah_lks", **view)
        x, y, without_hidden, bars = _chart(page)
        assert (x, y, without_hidden) == ("kabupaten_kota", "jumlah_lks", True)
        assert WITHOUT_HIDDEN_ID in page.split('id="chart-without-hidden"')[1][:200]
        for label, value in bars:
            assert value == sum(int(r["jumlah_lks"]) for r in rows if r["kabupaten_kota"] == label
                                and r["jumlah_lks"] != "x" and r["tahun"] == view.get("f.tahun", r["tahun"]))
    client.get("/lang/en")
    assert "sum without hidden cells" in _get(client, url, chart_y="jumlah_lks")


def test_a_big_tables_chart_by_any_label_leaves_hidden_cells_out(table_at):
    from app import tables

    columns = [{"name": "kabupaten_kota", "type": "text"}, {"name": "jenis_layanan", "type": "text"},
               {"name": "penerima", "type": "integer"}]
    rows = [[f"Kab {i % 7}", f"Layanan {i % 3}", (i % 9) + 1] for i in range(tables.FILTERED_COUNT_CAP + 500)]
    path = table_at("big.sqlite")
    tables.build(path, columns, rows)
    with tables.Table(path, suppress="all") as table:
        hidden = {(i, k) for i, k in table.db.execute(f"SELECT _id - 1, col FROM {table.db.suppress} WHERE plan = 'all'")}
        for label in (0, 1):  # the first label's bars were kept at upload; the second's are grouped now
            expected: dict[str, int] = {}
            for i, row in enumerate(rows):
                if (i, 2) not in hidden:
                    expected[row[label]] = expected.get(row[label], 0) + row[2]
            bars = table.group_sums(columns[label]["name"], "penerima")
            assert dict(bars) == expected and table.sums_without_hidden("penerima")
        assert table.column_summary({"penerima": {"sum": 1, "nulls": 0}})["penerima"]["sum"] == sum(
            row[2] for i, row in enumerate(rows) if (i, 2) not in hidden)


# -- only counts are counts --------------------------------------------------------------------

MEASURES = """No,kabupaten_kota,bulan,kode_program,persen_tertangani,rata_rata_usia,anggaran_rp,penerima
1,Kota Mataram,1,1,3,2,4,2
2,Kota Bima,2,2,4,1,3,40
3,Kabupaten Dompu,3,3,1,3,2,35
4,Kabupaten Bima,4,4,2,4,1,3
5,Kabupaten Sumbawa,5,1,3,2,4,60
6,Kabupaten Lombok Utara,6,2,2,1,3,44
"""


def test_row_numbers_months_codes_percentages_averages_and_money_are_not_small_counts(app, users, tmp_path):
    name, rid = _publish(app, tmp_path, MEASURES, "measures", suppress_small_cells=True)
    with app.app_context():

        version = stored_dataset(name).resources[0].current
        assert list(version.small_cells["columns"]) == ["penerima"]
    rows = _csv_rows(app.test_client(), name, rid)
    truth = list(csv.DictReader(io.StringIO(MEASURES)))
    assert {c for _, c in _hidden_in(rows)} == {"penerima"}
    assert [{k: v for k, v in r.items() if k != "penerima"} for r in rows] == \
           [{k: v for k, v in r.items() if k != "penerima"} for r in truth]


def test_a_refused_upload_does_not_flag_its_row_numbers(app, users):
    from tests.samples import BNBA

    with app.app_context():
        _, result = dataset_with_table(user("editor"), path=BNBA, name="bnba-no")
        assert result.blocked
        assert "No" not in result.version.small_cells["columns"]


def test_a_month_column_over_a_long_table_gives_no_flags(app, users, tmp_path):
    text = "bulan,kecamatan,penerima\n" + "".join(f"{m % 12 + 1},Kec {m % 40},{100 + m}\n" for m in range(2400))
    name, _ = _publish(app, tmp_path, text, "bulanan")
    with app.app_context():

        assert stored_dataset(name).resources[0].current.small_cells["columns"] == {}


@pytest.mark.parametrize(("header", "values", "counts"), [
    ("No", [1, 2, 3, 4, 5], False),
    ("No.", [1, 2, 3, 1, 2], False),  # numbering that starts again per group
    ("Nomor Urut", [7, 8, 9, 10], False),
    ("No", [3, 7, 1, 2], True),  # a "No" answer counted (Ya / No), not row numbers
    ("bulan", [1, 2, 12, 4], False),
    ("Triwulan", [1, 2, 3, 4], False),
    ("tahun_ke", [1, 2, 3], False),
    ("kode_program", [1, 2, 3], False),
    ("Persentase (%)", [1, 2, 3], False),
    ("capaian %", [3, 4], False),
    ("rasio_ketergantungan", [1, 2], False),
    ("Rata-rata Usia", [3, 4], False),
    ("nilai_bantuan_rp", [1, 2], False),
    ("Anggaran (Juta)", [1, 2], False),
    ("penerima_dana_desa", [1, 2], True),
    ("laki_laki", [1, 2], True),
    ("Jumlah KPM", [1, 2], True),
    ("jumlah_bulan_ini", [1, 2], True),
])
def test_one_rule_tells_a_count_column_by_its_header_and_values(table_at, header, values, counts):
    from app import tables

    path = table_at("t.sqlite")
    columns = [{"name": "kategori", "type": "text"}, {"name": header, "type": "integer"}]
    tables.build(path, columns, [["a", v] for v in values])
    with tables.Table(path) as table:
        assert (header in table.count_columns()) is counts
    with tables.Table(path, suppress="all") as table:
        assert bool(table.suppressed_names()) is counts


# -- the review is the organization's own view -----------------------------------------------

def test_review_of_a_clean_table_shows_its_real_small_numbers_while_the_public_sees_x(app, users, auth, client,
                                                                                       tmp_path):
    text = WITH_TOTAL.replace("jumlah\n", "jumlah,anggaran_rp\n", 1)
    text = "\n".join(line + ",1250000000" if i else line for i, line in enumerate(text.strip().split("\n"))) + "\n"
    name, rid = _publish(app, tmp_path, text, "wide-review", suppress_small_cells=True)
    with app.app_context():

        version_id = stored_dataset(name).resources[0].current.id
    public = _table_cells(_get(app.test_client(), f"/dataset/{name}/resource/{rid}"))
    assert public[0][2] == "x"
    auth.login("org_admin")
    review = _get(client, f"/admin/dataset/{name}/review/{version_id}")
    body = review.split("</tbody>")[-2].split("<tbody>")[-1]  # the first rows, the page's last table
    first_row = re.findall(r"<tr>(.*?)</tr>", body, re.S)[0]
    mataram = [_text(td).strip() for td in re.findall(r"<td[^>]*>(.*?)</td>", first_row, re.S)]
    assert mataram[:5] == ["Kota Mataram", "12", "3", "20", "35"]
    assert mataram[5] == "1.250.000.000"  # no mask on a clean table's money either
    assert "*" not in body
