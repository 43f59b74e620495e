"""The public finds, reads and downloads published datasets, and never sees drafts."""
from __future__ import annotations

import csv
import io

from tests.factories import dataset_with_table, user
from tests.support.database import stored_dataset

DEMO_NAMES = [
    "korban-bencana-sosial-2019-2024", "asn-dinsos-ntb-2020-2024", "lks-per-kabupaten-2021-2024",
    "pemberdayaan-lks-2022-2024", "direktori-lks-mitra", "penerima-bansos-per-kabupaten-2024",
    "pmks-per-kabupaten-2023", "kinerja-sakip-2019-2023",
]


def test_home_shows_topics_with_counts_latest_datasets_and_a_search_box(demo_client):
    page = demo_client.get("/").get_data(as_text=True)
    assert 'name="q"' in page
    assert "Bencana Sosial" in page and "Kepegawaian" in page
    assert "3 dataset" in page  # LKS: three demo datasets
    assert "/dataset/" in page


def test_every_demo_sample_is_published_with_its_file_name(demo_client):
    for name in DEMO_NAMES:
        resp = demo_client.get(f"/dataset/{name}")
        assert resp.status_code == 200, name


def test_dataset_page_shows_metadata_resources_and_a_paginated_preview(demo_client):
    page = demo_client.get("/dataset/korban-bencana-sosial-2019-2024").get_data(as_text=True)
    assert "Bidang Perlindungan dan Jaminan Sosial" in page
    assert "2019-2024" in page and "Creative Commons Attribution 4.0" in page
    assert "Kabupaten Lombok Barat" in page
    import re

    nxt = re.search(r'href="(/dataset/korban-bencana-sosial-2019-2024\?after=[^"]+)"', page).group(1)
    second = demo_client.get(nxt.replace("&amp;", "&")).get_data(as_text=True)
    assert "Kota Bima" in second  # row 10 of the table is on the second page of 10


def test_resource_page_and_original_download_are_attachments(demo_client, demo_app):
    with demo_app.app_context():

        ds = stored_dataset("pmks-per-kabupaten-2023")
        rid = ds.resources[0].id
    page = demo_client.get(f"/dataset/{ds.name}/resource/{rid}")
    assert page.status_code == 200
    original = demo_client.get(f"/dataset/{ds.name}/resource/{rid}/original")
    assert original.status_code == 200
    assert original.headers["Content-Disposition"].startswith("attachment")
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    assert original.data.startswith(b"\xef\xbb\xbfKabupaten/Kota;")  # the bytes as uploaded


def test_organization_and_group_pages_list_their_datasets(demo_client):
    org = demo_client.get("/organization/bidang-pemberdayaan-sosial").get_data(as_text=True)
    assert "/dataset/direktori-lks-mitra" in org and "/dataset/pemberdayaan-lks-2022-2024" in org
    assert "/dataset/asn-dinsos-ntb-2020-2024" not in org
    group = demo_client.get("/group/kepegawaian").get_data(as_text=True)
    assert "/dataset/asn-dinsos-ntb-2020-2024" in group
    assert "/dataset/korban-bencana-sosial-2019-2024" not in group


def test_drafts_are_invisible_on_every_public_page_file_and_search(app, users):
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), name="rahasia-draf", title="Draf Bencana Rahasia")
        rid, number = result.resource.id, result.version.number
    client = app.test_client()
    for url in ("/dataset/rahasia-draf", f"/dataset/{ds.id}", f"/dataset/rahasia-draf/resource/{rid}",
                f"/dataset/rahasia-draf/resource/{rid}/download/x.csv",
                f"/dataset/rahasia-draf/resource/{rid}/download/x.json",
                f"/dataset/rahasia-draf/resource/{rid}/original",
                f"/dataset/rahasia-draf/resource/{rid}?version={number}"):
        assert client.get(url).status_code == 404, url
    for url in ("/", "/dataset", "/dataset?q=bencana", "/dataset?q=rahasia", "/group/bencana-sosial",
                "/organization/bidang-perlindungan-jaminan-sosial", "/dataset?format=json&q=draf"):
        body = client.get(url).get_data(as_text=True)
        assert "rahasia-draf" not in body and "Draf Bencana Rahasia" not in body, url


def test_filtered_view_download_equals_the_filter_applied_to_the_full_table(demo_client, demo_app):
    with demo_app.app_context():

        ds = stored_dataset("korban-bencana-sosial-2019-2024")
        rid = ds.resources[0].id
    base = f"/dataset/{ds.name}/resource/{rid}/download/x.csv"
    full = list(csv.DictReader(io.StringIO(demo_client.get(base).get_data(as_text=True))))
    filtered = list(csv.DictReader(io.StringIO(
        demo_client.get(base + "?f.nama_kabupaten_kota=Kota Bima&f.tahun=2023").get_data(as_text=True))))
    expected = [r for r in full if r["nama_kabupaten_kota"] == "Kota Bima" and r["tahun"] == "2023"]
    assert filtered == expected and len(expected) == 1


def test_language_switch_is_on_every_page_and_persists(demo_client):
    home = demo_client.get("/").get_data(as_text=True)
    assert 'id="lang-switch"' in home
    assert "Cari" in home  # Indonesian by default
    demo_client.get("/lang/en?next=/")
    english = demo_client.get("/dataset").get_data(as_text=True)
    assert "Search" in english and 'lang="en"' in english
    demo_client.get("/lang/id?next=/")
    assert 'lang="id"' in demo_client.get("/dataset").get_data(as_text=True)


def test_unknown_pages_get_a_friendly_message_in_indonesian(demo_client):
    resp = demo_client.get("/dataset/tidak-ada")
    assert resp.status_code == 404
    body = resp.get_data(as_text=True)
    assert "Traceback" not in body and "tidak ditemukan" in body.lower()


def test_resource_page_draws_a_chart_of_the_current_view(demo_client, demo_app):
    with demo_app.app_context():

        ds = stored_dataset("korban-bencana-sosial-2019-2024")
        rid = ds.resources[0].id
    page = demo_client.get(f"/dataset/{ds.name}/resource/{rid}?chart_x=nama_kabupaten_kota&chart_y=jiwa_mengungsi"
                           "&f.tahun=2019").get_data(as_text=True)
    chart = page.split('id="chart-table"')[1].split("</table>")[0]
    # 2019: Lombok Barat 195 evacuees is the largest bar, Dompu 188 next.
    labels = [part.split("</th>")[0] for part in chart.split('class="chart__label">')[1:]]
    assert labels[:2] == ["Kabupaten Lombok Barat", "Kabupaten Dompu"]
    assert "<caption>Jiwa mengungsi per nama kabupaten/kota</caption>" in chart


def test_the_addresses_people_type_for_logging_in_lead_to_the_login_page(demo_client):
    for path in ("/login", "/masuk"):
        resp = demo_client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"].startswith("/user/login")
    assert demo_client.get("/login?next=//evil.example").headers["Location"] == "/user/login"


def test_a_missing_page_offers_a_search_and_datasets_matching_its_address(demo_client):
    resp = demo_client.get("/dataset/jumlah-pmks-2023")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 404
    assert 'id="notfound-search"' in page and 'id="suggestions"' in page and "PMKS" in page
    nothing = demo_client.get("/zzz/qqq").get_data(as_text=True)
    assert 'id="notfound-search"' in nothing and 'id="suggestions"' not in nothing


def test_the_dataset_page_opens_with_a_summary_of_six_facts(demo_client):
    page = demo_client.get("/dataset/korban-bencana-sosial-2019-2024").get_data(as_text=True)
    summary = page.split('id="summary"', 1)[1].split("</section>", 1)[0]
    for label in ("Periode", "Frekuensi", "Terakhir diperbarui", "Satuan", "Produsen data", "Unduhan"):
        assert label in summary, label
    assert "2019-2024" in summary and "tahunan" in summary
    assert page.index('id="summary"') < page.index("Data dan sumber daya")
