"""The PPID's duties beyond answering (UU 14/2008): a Daftar Informasi Publik built from the
catalogue, the list of exempt information with its Pasal 17 grounds and consequence tests, and the
yearly service report made from the register, as a page and a CSV, with counts only."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.models import InfoRequest
from app.services.working_days import add_working_days
from tests.conftest import make_app
from tests.factories import PASSWORD, dataset_with_table, make_users, seed_demo, user

BENCANA = "korban-bencana-sosial-2019-2024"
NAME, CONTACT = "Baiq Nurul Aini", "baiq.aini@example.com"
YEARLY = ["korban-bencana-sosial-2019-2024", "asn-dinsos-ntb-2020-2024", "lks-per-kabupaten-2021-2024",
          "pemberdayaan-lks-2022-2024", "pmks-per-kabupaten-2023", "kinerja-sakip-2019-2023"]


def _section(page: str, group: str) -> str:
    return re.search(rf'<section id="dip-{group}">(.*?)</section>', page, re.S).group(1)


def _datasets_in(section: str) -> set[str]:
    return set(re.findall(r'data-dataset="([^"]+)"', section))


# -- the Daftar Informasi Publik -------------------------------------------------------------

def test_the_list_of_public_information_holds_every_demo_dataset_in_its_group(demo_client):
    page = demo_client.get("/ppid/daftar-informasi")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    berkala, serta_merta, setiap_saat = (_section(html, g) for g in ("berkala", "serta_merta", "setiap_saat"))
    # yearly and half-yearly tables are published periodically, the irregular directory on request
    assert _datasets_in(berkala) == set(YEARLY) | {"penerima-bansos-per-kabupaten-2024"}
    assert _datasets_in(setiap_saat) == {"direktori-lks-mitra"}
    assert _datasets_in(serta_merta) == set()
    row = re.search(rf'<tr data-dataset="{BENCANA}">(.*?)</tr>', berkala, re.S).group(1)
    assert "Korban Bencana Sosial" in row and "Bidang Perlindungan dan Jaminan Sosial" in row
    assert "2019-2024" in row and "tahunan" in row and "CSV" in row and f'href="/dataset/{BENCANA}"' in row
    # what the office publishes outside the catalogue, from app/data/dip.json
    assert "LAKIP" in berkala and "Ringkasan anggaran" in berkala
    assert 'href="/ppid/laporan"' in berkala
    assert "tanggap darurat bencana" in serta_merta
    assert "Standar Operasional Prosedur" in setiap_saat
    # an entry kept at the office is asked for through the request form, its subject filled in
    assert 'href="/permintaan?subject=Peraturan' in setiap_saat


def test_the_lists_speak_english_after_the_switch(demo_app):
    client = demo_app.test_client()
    client.get("/lang/en?next=/")
    html = client.get("/ppid/daftar-informasi").get_data(as_text=True)
    assert "Published periodically" in html and "Budget summary" in html and "yearly" in html
    exempt = client.get("/ppid/informasi-dikecualikan").get_data(as_text=True)
    assert "List of exempt information" in exempt and "Consequence test" in exempt
    assert "h. would reveal personal secrets" in exempt


@pytest.fixture
def office(tmp_path, database_url):
    app = make_app(tmp_path, database_url, PUBLIC_FORM_LIMIT="100/hour")
    with app.app_context():
        seed_demo()
        make_users()
    yield app
    app.extensions["db_engine"].dispose()


def test_the_office_moves_a_dataset_and_adds_entries_with_its_own_file(office):
    from pathlib import Path

    with office.app_context():
        dataset_with_table(user("sysadmin"), name="uji-draf-bencana")  # a draft is never listed
    own = Path(office.instance_path) / "dip.json"
    own.write_text(json.dumps({
        "frequency_groups": {"tahunan": "berkala"},
        "datasets": {BENCANA: "serta_merta"},
        "entries": [{"group": "serta_merta", "title": {"id": "Peringatan dini banjir rob", "en": "Tidal flood warning"},
                     "held_by": "bidang-perlindungan-jaminan-sosial", "url": "https://example.org/peringatan"},
                    {"group": "nanti", "title": "Kelompok yang tidak dikenal"}]}), encoding="utf-8")
    html = office.test_client().get("/ppid/daftar-informasi").get_data(as_text=True)
    serta_merta = _section(html, "serta_merta")
    assert _datasets_in(serta_merta) == {BENCANA}
    assert "Peringatan dini banjir rob" in serta_merta and 'href="https://example.org/peringatan"' in serta_merta
    # no group for half-yearly in the office's file: on request
    assert "penerima-bansos-per-kabupaten-2024" in _datasets_in(_section(html, "setiap_saat"))
    assert "Kelompok yang tidak dikenal" not in html and "uji-draf-bencana" not in html
    assert "LAKIP" not in html  # the office's file replaces the shipped one
    # a broken file of the office's: the shipped list, not an error page
    own.write_text("{ ini bukan JSON", encoding="utf-8")
    page = office.test_client().get("/ppid/daftar-informasi")
    assert page.status_code == 200 and "LAKIP" in page.get_data(as_text=True)


# -- the list of exempt information ----------------------------------------------------------

def test_the_exempt_list_gives_each_entry_its_ground_and_consequence_test(demo_client):
    page = demo_client.get("/ppid/informasi-dikecualikan")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    entries = re.findall(r'<section class="card exempt-entry"[^>]*>(.*?)</section>', html, re.S)
    assert len(entries) >= 5
    for entry in entries:
        assert re.search(r'data-ground="[a-j]"', entry)
        consequence = re.search(r'<dd class="exempt-consequence">([^<]+)</dd>', entry).group(1)
        assert len(consequence.strip()) > 40
    bnba = next(e for e in entries if "by name by address" in e)
    assert 'data-ground="h"' in bnba and "mengungkap rahasia pribadi" in bnba and "UU 27/2022" in bnba
    assert 'href="/dataset/penerima-bansos-per-kabupaten-2024"' in bnba  # what is published instead
    children = next(e for e in entries if "anak" in e.lower())
    assert "UU 11/2012 Pasal 19" in children and 'data-ground="j"' in children
    assert any("NIK" in e for e in entries)
    assert "Uji konsekuensi" in html and 'href="/ppid/daftar-informasi"' in html


def test_an_exempt_entry_without_a_pasal_17_ground_is_left_out(office):
    from pathlib import Path

    (Path(office.instance_path) / "exempt_information.json").write_text(json.dumps({"entries": [
        {"title": "Catatan tanpa dasar", "grounds": ["z"], "consequence": "tidak ada"},
        {"title": "Rekening bank pegawai", "grounds": ["h"], "consequence": "Data keuangan pribadi."}]}),
        encoding="utf-8")
    html = office.test_client().get("/ppid/informasi-dikecualikan").get_data(as_text=True)
    assert "Rekening bank pegawai" in html and "Catatan tanpa dasar" not in html


# -- the yearly service report ---------------------------------------------------------------

def _file(client, **fields) -> tuple[str, str]:
    data = {"subject": "Data jumlah LKS per kabupaten", "name": NAME, "contact": CONTACT, "is_public": "on",
            "purpose": "penelitian"}
    data.update(fields)
    body = client.post("/permintaan", data=data).get_data(as_text=True)
    number = re.search(r'id="request-number">([^<]+)<', body).group(1)
    link = re.search(r'id="tracking-link" href="([^"]+)"', body).group(1).replace("http://localhost", "")
    return number, link


def _staff(app):
    client = app.test_client()
    assert client.post("/user/login", data={"email": "sysadmin@test.local", "password": PASSWORD}).status_code == 302
    return client


def _step(ppid, number, **form):
    assert ppid.post(f"/admin/permintaan/{number}", data=form).status_code == 302, form


def _set_dates(app, number, received, closed=None):
    """The register's dates, set for a known count of working days (the clock's own test is elsewhere)."""
    from app import db

    with app.app_context():
        s = db.session()
        req = s.scalar(select(InfoRequest).where(InfoRequest.number == number))
        req.received = received
        req.due = datetime.combine(add_working_days(received.date(), 10), datetime.max.time().replace(microsecond=0))
        req.closed = closed
        s.commit()


def _page_figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr id="row-([a-z0-9_]+)"><td>[^<]*</td><td class="num" data-value="([^"]*)"', html))


def _csv(client, year):
    resp = client.get(f"/ppid/laporan.csv?tahun={year}")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"] == f'attachment; filename="laporan-layanan-ppid-{year}.csv"'
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["tahun"] for r in rows} == {str(year)}
    return {r["kode"]: r["nilai"] for r in rows}, rows


def test_the_yearly_report_counts_the_register(office):
    visitor, ppid = office.test_client(), _staff(office)
    fulfilled, _ = _file(visitor)
    refused, refused_link = _file(visitor, subject="Daftar nama penerima PKH Desa Sembalun")
    refused_too, _ = _file(visitor, subject="NIK penerima BPNT Lombok Timur")
    not_held, _ = _file(visitor, subject="Data kemiskinan BPS")
    passed_on, _ = _file(visitor, subject="Data PKH Kabupaten Bima")
    still_open, _ = _file(visitor, subject="Data lansia terlantar 2025")
    last_second, _ = _file(visitor, subject="Data disabilitas 2025")
    previous_year, _ = _file(visitor, subject="Data panti asuhan 2024")
    comment, _ = _file(visitor, dataset=BENCANA, subject="Angka Lombok Utara 2022 tertukar")
    message, _ = _file(visitor, kind="message", subject="Jam layanan kantor")

    _step(ppid, fulfilled, action="extend", reason="Data dihimpun dari sepuluh kabupaten/kota.")
    _step(ppid, fulfilled, action="fulfil", reply="Terlampir.", dataset="lks-per-kabupaten-2021-2024")
    test = "Nama dan alamat penerima adalah data pribadi (UU 27/2022); jumlah per desa dapat diberikan."
    _step(ppid, refused, action="refuse", ground="h", consequence_test=test)
    _step(ppid, refused_too, action="refuse", ground="h", consequence_test=test)
    _step(ppid, not_held, action="not_held", holder="BPS Provinsi NTB")
    _step(ppid, passed_on, action="forward", holder="Dinas Sosial Kabupaten Bima")
    _step(ppid, comment, action="reply", reply="Terima kasih, sudah diperbaiki.")
    # the refusal goes to objection and dispute, and ends fulfilled: it still counts as refused (h)
    path, token = refused_link.split("?")[0], refused_link.split("t=")[1]
    visitor.post(path, data={"t": token, "ground": "refused", "reason": "Saya hanya perlu jumlahnya."})
    _step(ppid, refused, action="answer_objection", answer="Jumlah per desa dapat diberikan; nama tidak.")
    visitor.post(path, data={"t": token, "action": "dispute"})
    _step(ppid, refused, action="fulfil", reply="Jumlah per desa, hasil mediasi Komisi Informasi.")

    # received on Monday 3 February 2025 and after; the working days between are known
    _set_dates(office, fulfilled, datetime(2025, 2, 3, 9), datetime(2025, 2, 10, 14))  # 5
    _set_dates(office, refused, datetime(2025, 2, 3, 10), datetime(2025, 2, 14, 9))  # 9
    # over Nyepi's cuti bersama and Lebaran 2025 (28 March to 7 April off): 2 working days
    _set_dates(office, refused_too, datetime(2025, 3, 27, 8), datetime(2025, 4, 9, 8))
    _set_dates(office, not_held, datetime(2025, 2, 5, 8), datetime(2025, 2, 6, 8))  # 1
    _set_dates(office, passed_on, datetime(2025, 2, 5, 8), datetime(2025, 2, 20, 8))  # 11: late
    _set_dates(office, still_open, datetime(2025, 6, 2, 8))
    _set_dates(office, last_second, datetime(2025, 12, 31, 23, 59, 59))
    _set_dates(office, previous_year, datetime(2024, 12, 31, 23, 59, 59))
    _set_dates(office, comment, datetime(2025, 5, 5, 8), datetime(2025, 5, 6, 8))
    _set_dates(office, message, datetime(2025, 7, 1, 8))

    anon = office.test_client()
    page = anon.get("/ppid/laporan?tahun=2025")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    figures = _page_figures(html)
    expected = {
        "requests_received": 7, "requests_fulfilled": 1, "requests_refused": 2, "requests_refused_h": 2,
        "requests_refused_a": 0, "requests_refused_j": 0, "requests_not_held": 1, "requests_passed_on": 1,
        "requests_open": 2, "requests_extended": 1, "requests_answered_in_time": 4, "requests_answered_late": 1,
        "working_days_average": 5.6, "working_days_max": 11,  # (5 + 9 + 2 + 1 + 11) / 5
        "objections_filed": 1, "objections_refused": 1, "objections_no_answer": 0, "objections_answered": 1,
        "objections_answered_in_time": 1, "disputes": 1,
        "feedback_received": 1, "feedback_answered": 1, "messages_received": 1, "messages_answered": 0,
    }
    for code, value in expected.items():
        assert float(figures[code]) == value, code
    assert "5,6" in html  # the Indonesian decimal comma on the page
    # the CSV holds the page's figures, row for row
    from_csv, rows = _csv(anon, 2025)
    assert from_csv == figures and list(from_csv) == list(figures)
    assert from_csv["working_days_average"] == "5.6"
    assert next(r for r in rows if r["kode"] == "requests_refused_h")["uraian"].startswith("Ditolak, Pasal 17 h.")
    # counts only: no name, contact or subject of any request
    for output in (html, anon.get("/ppid/laporan.csv?tahun=2025").get_data(as_text=True)):
        assert NAME not in output and CONTACT not in output and "Sembalun" not in output
    # the year before holds only its last second's request
    earlier, _rows = _csv(anon, 2024)
    assert earlier["requests_received"] == "1" and earlier["requests_open"] == "1"
    assert 'href="/ppid/laporan?tahun=2024"' in html  # the years on record are linked


def test_an_empty_year_gives_zeros(office):
    client = office.test_client()
    html = client.get("/ppid/laporan?tahun=2019").get_data(as_text=True)
    figures = _page_figures(html)
    assert len(figures) > 20 and all(float(v) == 0 for v in figures.values())
    from_csv, _rows = _csv(client, 2019)
    assert from_csv == figures


@pytest.mark.parametrize("year", ["abc", "99999999999", "2007", "-1", "20.5", "２０２５", "2025 OR 1=1"])
def test_a_bad_year_is_explained_not_a_crash(office, year):
    client = office.test_client()
    for path in ("/ppid/laporan", "/ppid/laporan.csv"):
        resp = client.get(path, query_string={"tahun": year})
        body = resp.get_data(as_text=True)
        assert resp.status_code == 400, (path, year)
        assert "Tahun harus berupa angka dari 2008 sampai" in body and "Traceback" not in body


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.one_of(st.text(max_size=12), st.integers(min_value=-10**12, max_value=10**12).map(str)))
def test_whatever_year_a_link_carries_the_answer_is_a_page_or_a_message(demo_app, year):
    client = demo_app.test_client()
    for path in ("/ppid/laporan", "/ppid/laporan.csv"):
        resp = client.get(path, query_string={"tahun": year})
        assert resp.status_code in (200, 400), (path, year)


def test_the_pages_are_linked_from_the_request_form_the_register_and_the_footer(demo_client):
    for path in ("/permintaan", "/permintaan/daftar"):
        html = demo_client.get(path).get_data(as_text=True)
        assert 'href="/ppid/daftar-informasi"' in html and 'href="/ppid/informasi-dikecualikan"' in html
        assert 'href="/ppid/laporan"' in html
    footer = re.search(r"<footer.*?</footer>", demo_client.get("/").get_data(as_text=True), re.S).group(0)
    assert 'href="/ppid/daftar-informasi"' in footer
    # and the year defaults to this one
    assert f"{datetime.now().year}</h1>" in demo_client.get("/ppid/laporan").get_data(as_text=True)
