"""The public reads a table's chart: chosen by the columns' roles (never adding up row numbers,
codes, years or percentages), a line over years, bars per region by name, the reader's own
choice, a PNG and an SVG that runs nothing, a table of the same figures, no hidden cell in it;
and every column under a human label in the preview, the downloads' metadata and the API."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree

import pytest
from tests.factories import dataset_with_table, user
from tests.support.database import stored_dataset

DEMO = Path(__file__).resolve().parents[1] / "app" / "demo_data"
SVG = "{http://www.w3.org/2000/svg}"
BENCANA = "korban-bencana-sosial-2019-2024"
BANSOS = "penerima-bansos-per-kabupaten-2024"


def _url(app, name: str) -> str:
    with app.app_context():
        return f"/dataset/{name}/resource/{stored_dataset(name).resources[0].id}"


def _page(client, url: str, **params) -> str:
    resp = client.get(url, query_string=params)
    assert resp.status_code == 200, (url, params, resp.status_code)
    return resp.get_data(as_text=True)


def _number(text: str) -> float:
    """47.799 or 97,5 (Indonesian) as a number."""
    return float(text.strip().replace(".", "").replace(",", "."))


def _chart(page: str) -> dict:
    """What the page says of its chart: the choices offered and picked, and its table of figures."""
    form = page.split('id="chart-form"')[1].split("</form>")[0]

    def options(name: str) -> tuple[list[str], str]:
        block = re.search(rf'<select name="{name}">(.*?)</select>', form, re.S).group(1)
        values = [html.unescape(v) for v in re.findall(r'<option value="([^"]*)"', block)]
        return values, html.unescape(re.search(r'<option value="([^"]*)" selected>', block).group(1))

    table = page.split('id="chart-table"')[1].split("</table>")[0]
    figures = [(html.unescape(label), _number(value)) for label, value in re.findall(
        r'<th scope="row" class="chart__label">(.*?)</th><td class="num chart__value">(.*?)</td>', table)]
    (measures, measure), (groups, group), (_kinds, kind) = options("chart_y"), options("chart_x"), options("chart_type")
    src = html.unescape(re.search(r'id="chart-image" src="([^"]+)"', page).group(1))
    return {"measures": measures, "measure": measure, "groups": groups, "group": group, "kind": kind,
            "figures": figures, "caption": html.unescape(re.search(r"<caption>(.*?)</caption>", table).group(1)),
            "src": src}


def _csv(name: str) -> list[dict[str, str]]:
    text = (DEMO / (name.replace("-", "_") + ".csv")).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))


def _svg_values(svg: bytes) -> list[float]:
    root = ElementTree.fromstring(svg)
    return [_number(t.text) for t in root.iter(f"{SVG}text") if "value" in (t.get("class") or "").split()]


def test_a_year_table_gives_a_line_chart_over_the_years(demo_app):
    page = _page(demo_app.test_client(), _url(demo_app, BENCANA))
    chart = _chart(page)
    assert (chart["group"], chart["kind"], chart["measure"]) == ("tahun", "line", "jumlah_kejadian")
    sums: dict[str, int] = defaultdict(int)
    for row in _csv(BENCANA):
        sums[row["tahun"]] += int(row["jumlah_kejadian"])
    assert chart["figures"] == [(year, float(sums[year])) for year in sorted(sums)]
    assert chart["caption"] == "Jumlah kejadian per tahun"
    assert "tahun" not in chart["measures"] and "kode_kabupaten_kota" not in chart["measures"]


def test_a_region_table_charts_the_regions_by_their_names(demo_app):
    chart = _chart(_page(demo_app.test_client(), _url(demo_app, BANSOS)))  # one year only: no line
    assert (chart["group"], chart["kind"]) == ("kode_kabupaten_kota", "bar")
    sums: dict[str, int] = defaultdict(int)
    for row in _csv(BANSOS):
        sums[row["nama_kabupaten_kota"]] += int(row["jumlah_kpm"])
    assert dict(chart["figures"]) == sums
    assert not [label for label, _ in chart["figures"] if re.match(r"\d", label)], "a region code shown as a label"
    assert [v for _, v in chart["figures"]] == sorted(sums.values(), reverse=True)


MEASURES = """No,kabupaten_kota,bulan,kode_program,persen_tertangani,rata_rata_usia,anggaran_rp,penerima
1,Kota Mataram,1,1,30,42,4000000,20
2,Kota Bima,2,2,40,51,3000000,40
3,Kabupaten Dompu,3,3,10,33,2000000,35
4,Kota Bima,4,4,20,44,1000000,30
"""


def test_a_chart_never_adds_up_row_numbers_codes_months_or_percentages(app, users, tmp_path):
    path = tmp_path / "ukuran.csv"
    path.write_text(MEASURES)
    with app.app_context():
        _, result = dataset_with_table(user("org_admin"), path=path, name="ukuran", publish=True)
        url = f"/dataset/ukuran/resource/{result.resource.id}"
    client = app.test_client()
    chart = _chart(_page(client, url))
    assert chart["measures"] == ["anggaran_rp", "penerima", "persen_tertangani", "rata_rata_usia"]
    assert chart["measure"] == "anggaran_rp" and chart["group"] == "kabupaten_kota"
    for never in ("No", "kode_program", "bulan"):  # asked for, they give the default chart
        assert _chart(_page(client, url, chart_y=never))["measure"] == "anggaran_rp"
    rates = _chart(_page(client, url, chart_y="persen_tertangani"))
    assert dict(rates["figures"]) == {"Kota Bima": 30.0, "Kota Mataram": 30.0, "Kabupaten Dompu": 10.0}  # averages
    assert rates["caption"].startswith("Rata-rata persen tertangani")


def test_the_demo_tables_never_chart_their_row_numbers_or_mixed_units(demo_app):
    client = demo_app.test_client()
    pemberdayaan = _chart(_page(client, _url(demo_app, "pemberdayaan-lks-2022-2024")))
    assert "No" not in pemberdayaan["measures"] and pemberdayaan["group"] == "Kabupaten/Kota"
    # SAKIP: targets of 70 %, 800 jiwa and a score do not add up; the achievement is averaged per year.
    sakip = _chart(_page(client, _url(demo_app, "kinerja-sakip-2019-2023")))
    assert sakip["measures"] == ["capaian_persen"] and sakip["group"] == "tahun"
    by_year: dict[str, list[float]] = defaultdict(list)
    for row in _csv("kinerja-sakip-2019-2023"):
        by_year[row["tahun"]].append(float(row["capaian_persen"].replace(",", ".")))
    assert sakip["figures"] == [(y, round(sum(v) / len(v), 2)) for y, v in sorted(by_year.items())]


def test_public_picks_the_measure_the_grouping_and_the_chart_type(demo_app):
    client = demo_app.test_client()
    url = _url(demo_app, BENCANA)
    chart = _chart(_page(client, url, chart_y="korban_luka", chart_x="nama_kabupaten_kota", chart_type="column",
                         **{"f.tahun": "2019"}))
    assert (chart["measure"], chart["group"], chart["kind"]) == ("korban_luka", "nama_kabupaten_kota", "column")
    expected = {r["nama_kabupaten_kota"]: float(r["korban_luka"]) for r in _csv(BENCANA) if r["tahun"] == "2019"}
    assert dict(chart["figures"]) == expected
    assert "f.tahun=2019" in chart["src"] and "chart_type=column" in chart["src"]
    # Empty or unknown fields: the default chart.
    default = _chart(_page(client, url, chart_y="", chart_x="tidak_ada", chart_type="pie"))
    assert (default["measure"], default["group"], default["kind"]) == ("jumlah_kejadian", "tahun", "line")


def test_the_chart_downloads_as_a_png_and_an_svg_that_runs_nothing(demo_app):
    client = demo_app.test_client()
    chart = _chart(_page(client, _url(demo_app, BENCANA)))
    svg = client.get(chart["src"])
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.headers["Content-Disposition"].startswith("attachment;")
    assert svg.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in svg.headers["Content-Security-Policy"]
    root = ElementTree.fromstring(svg.data)
    assert root.find(f"{SVG}title").text == "Jumlah kejadian per tahun"
    assert not list(root.iter(f"{SVG}script")) and b"<script" not in svg.data and b"javascript:" not in svg.data
    assert not [a for node in root.iter() for a in node.attrib if a.lower().startswith("on")]
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Sumber: Dinas Sosial Provinsi NTB, Korban Bencana Sosial" in texts and "Tahun" in texts
    png = client.get(chart["src"].replace("chart.svg", "chart.png"))
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.headers["Content-Disposition"].startswith("attachment;")
    client.get("/lang/en")
    english = ElementTree.fromstring(client.get(chart["src"]).data)
    assert "Source: Dinas Sosial Provinsi NTB" in " ".join(t.text or "" for t in english.iter(f"{SVG}text"))


def test_the_phone_drawing_is_360_wide_and_its_region_labels_fit(demo_app):
    client = demo_app.test_client()
    chart = _chart(_page(client, _url(demo_app, BANSOS)))
    root = ElementTree.fromstring(client.get(chart["src"] + "&size=narrow").data)
    width = float(root.get("viewBox").split()[2])
    assert width == 360
    labels = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.startswith(("Kab.", "Kota"))]
    assert len(labels) == 10 and max(len(label) for label in labels) <= 20  # "Kab. Lombok Tengah"
    # each label is drawn at its own height: none over another
    ys = sorted(float(t.get("y")) for t in root.iter(f"{SVG}text") if t.text in labels)
    assert all(b - a >= 14 for a, b in zip(ys, ys[1:])), ys


def test_the_table_of_figures_holds_the_pictures_numbers(demo_app):
    client = demo_app.test_client()
    for name in (BENCANA, BANSOS, "kinerja-sakip-2019-2023"):
        chart = _chart(_page(client, _url(demo_app, name)))
        drawn = _svg_values(client.get(chart["src"]).data)
        assert sorted(drawn) == sorted(v for _, v in chart["figures"]), name


LONG = """kabupaten_kota,jenis_layanan,tahun,jumlah_lks,penerima_manfaat
Kota Mataram,Anak,2022,1,40
Kota Mataram,Lanjut Usia,2022,6,2
Kota Mataram,Anak,2023,7,55
Kota Bima,Anak,2022,9,120
Kota Bima,Lanjut Usia,2022,12,1
Kota Bima,Anak,2023,8,130
Kabupaten Dompu,Anak,2022,5,80
Kabupaten Dompu,Lanjut Usia,2022,6,70
"""


def test_hidden_cells_never_feed_the_chart_nor_its_downloads(app, users, tmp_path):
    path = tmp_path / "lks.csv"
    path.write_text(LONG)
    with app.app_context():
        _, result = dataset_with_table(user("org_admin"), path=path, name="lks-kecil", publish=True,
                                       suppress_small_cells=True)
        url = f"/dataset/lks-kecil/resource/{result.resource.id}"
    client = app.test_client()
    rows = list(csv.DictReader(io.StringIO(client.get(f"{url}/download/t.csv").get_data(as_text=True))))
    hidden = [r for r in rows if r["jumlah_lks"] == "x"]
    assert hidden, "the small counts should be hidden from the public"
    page = _page(client, url, chart_y="jumlah_lks", chart_x="kabupaten_kota")
    chart = _chart(page)
    assert 'id="chart-without-hidden"' in page
    visible: dict[str, float] = defaultdict(float)
    for r in rows:
        visible[r["kabupaten_kota"]] += 0 if r["jumlah_lks"] == "x" else int(r["jumlah_lks"])
    assert dict(chart["figures"]) == visible
    assert sorted(_svg_values(client.get(chart["src"]).data)) == sorted(visible.values())
    png = client.get(chart["src"].replace("chart.svg", "chart.png"))
    assert png.status_code == 200 and png.data[:4] == b"\x89PNG"


def test_columns_read_under_human_labels_and_keep_their_names_in_the_api(demo_app):
    client = demo_app.test_client()
    url = _url(demo_app, BENCANA)
    page = _page(client, url)
    headers = re.findall(r'<th title="[^"]*" data-column="[^"]*">(.*?)</th>', page)
    assert "Korban meninggal" in headers and "Kode kabupaten/kota" in headers and "korban_meninggal" not in headers
    assert re.search(r"<legend>Korban meninggal</legend>.*?name=\"f.korban_meninggal\"", page, re.S)
    package = json.loads(client.get(f"/dataset/{BENCANA}/datapackage.json").data)
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["korban_meninggal"]["title"] == "Korban meninggal" and fields["kk_terdampak"]["title"] == "KK terdampak"
    exported = json.loads(client.get(f"{url}/download/x.json").data)
    assert {f["id"]: f["info"]["label"] for f in exported["fields"]}["jiwa_mengungsi"] == "Jiwa mengungsi"
    rid = url.rsplit("/", 1)[1]
    found = client.get(f"/api/3/action/datastore_search?resource_id={rid}&limit=1").get_json()["result"]
    api = {f["id"]: f for f in found["fields"]}
    assert api["korban_meninggal"]["info"]["label"] == "Korban meninggal" and "korban_meninggal" in found["records"][0]


@pytest.mark.parametrize(("column", "label"), [
    ({"name": "korban_meninggal", "type": "integer"}, "Korban meninggal"),
    ({"name": "jml_lks", "type": "integer"}, "Jumlah LKS"),
    ({"name": "nilai_bantuan_rp", "type": "integer"}, "Nilai bantuan (Rp)"),
    ({"name": "Fakir Miskin", "original": "Fakir Miskin", "type": "integer"}, "Fakir Miskin"),
    ({"name": "jumlah_kpm", "original": "JUMLAH KPM", "type": "integer"}, "Jumlah KPM"),
    ({"name": "jml", "label": "Jumlah penerima", "description": "Dari kamus data", "type": "integer"},
     "Jumlah penerima"),
])
def test_a_column_reads_as_its_dictionary_label_or_its_header_made_readable(demo_app, column, label):
    from app.services.tables import column_label

    assert column_label(column) == label


def test_the_dataset_page_shows_its_first_tables_chart(demo_app):
    client = demo_app.test_client()
    page = _page(client, f"/dataset/{BENCANA}")
    src = html.unescape(re.search(r'id="chart-image" src="([^"]+)"', page).group(1))
    assert "chart_x=tahun" in src and "chart_type=line" in src
    assert 'id="chart-table"' in page and 'srcset="' in page and "size=narrow" in page
    assert client.get(src).status_code == 200


def test_amounts_in_billions_read_as_miliar_in_the_picture_and_in_full_in_the_table(demo_app):
    client = demo_app.test_client()
    chart = _chart(_page(client, _url(demo_app, BANSOS), chart_y="nilai_bantuan_rp"))
    assert chart["caption"] == "Nilai bantuan (Rp) per kabupaten/kota"
    sums: dict[str, int] = defaultdict(int)
    for row in _csv(BANSOS):
        sums[row["nama_kabupaten_kota"]] += int(row["nilai_bantuan_rp"])
    assert dict(chart["figures"]) == sums  # every digit
    root = ElementTree.fromstring(client.get(chart["src"]).data)
    printed = [t.text for t in root.iter(f"{SVG}text") if "value" in (t.get("class") or "").split()]
    top = max(sums.values())
    assert f"{round(top / 1e9, 2):.2f}".rstrip("0").rstrip(".").replace(".", ",") + " miliar" in printed
