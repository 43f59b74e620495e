"""The admin sees how a file was read, corrects it, uploads new versions; bad files get clear messages."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from tests.factories import SAMPLES, dataset_with_table, user
from tests.support.database import stored_dataset

INGEST_FILES = Path(__file__).resolve().parent / "files" / "ingest"


def _upload(client, path):
    with open(path, "rb") as fh:
        return client.post("/admin/upload", data={"file": (fh, path.name)}, content_type="multipart/form-data")


def test_review_of_the_xlsx_shows_flattened_header_and_the_total_row_left_out(client, auth):
    auth.login("org_admin")
    review_url = _upload(client, SAMPLES / "pemberdayaan_lks_2022_2024.xlsx").headers["Location"]
    page = client.get(review_url).get_data(as_text=True)
    assert "LKS Dibina 2022" in page and "Bantuan Diberikan (Rp) 2024" in page
    assert "Jumlah" in page  # listed among the rows left out
    assert ">10 " in page or "10 baris data" in page or "10 data rows" in page


def test_admin_changes_a_column_type_and_reads_again(client, auth, app):
    auth.login("org_admin")
    review_url = _upload(client, SAMPLES / "pmks_per_kabupaten_2023.csv").headers["Location"]
    resp = client.post(review_url, data={"type.Korban Bencana Alam": "text", "type.Fakir Miskin": "integer"})
    assert resp.status_code == 302
    version_id = review_url.rsplit("/", 1)[1]
    with app.app_context():
        from app.services import resources

        version = resources.version_for_update(user("org_admin"), version_id)
        types = {c["name"]: c["type"] for c in version.columns}
    assert types["Korban Bencana Alam"] == "text" and types["Fakir Miskin"] == "integer"


def test_admin_picks_the_header_row(client, auth, app):
    auth.login("org_admin")
    review_url = _upload(client, SAMPLES / "korban_bencana_sosial_2019_2024.csv").headers["Location"]
    client.post(review_url, data={"header_row": "2"})
    version_id = review_url.rsplit("/", 1)[1]
    with app.app_context():
        from app.services import resources

        version = resources.version_for_update(user("org_admin"), version_id)
        assert version.review["header_row"] == 2
        assert version.row_count == 59
        assert version.columns[1]["name"] == "Kabupaten Lombok Barat"


def test_editor_cannot_change_what_the_public_sees(app, users):
    from app.services import datasets, resources
    from app.services.errors import NotAuthorized

    with app.app_context():
        ds, first = dataset_with_table(user("editor"), suppress_small_cells=True)
        datasets.publish(user("org_admin"), ds.id)
        editor = user("editor")
        with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
            with pytest.raises(NotAuthorized):
                resources.upload(editor, ds.id, fh, "korban.csv", resource_id=first.resource.id)
        for change in ({"private": False}, {"suppress_small_cells": False}, {"title": "Diubah"}):
            with pytest.raises(NotAuthorized):
                datasets.update(editor, ds.id, change)
        with pytest.raises(NotAuthorized):
            resources.reread(editor, first.version.id, {"drop_columns": []})
        with pytest.raises(NotAuthorized):
            resources.delete_version(editor, first.version.id)
        after = stored_dataset(ds.id)
        assert after.title != "Diubah" and after.suppress_small_cells is True
        assert [v.number for v in after.resources[0].versions] == [1]
        # The organization admin may, and the editor may again once it is a draft.
        datasets.update(user("org_admin"), ds.id, {"title": "Diubah oleh admin"})
        datasets.unpublish(user("org_admin"), ds.id)
        datasets.update(editor, ds.id, {"title": "Draf lagi"})
        assert stored_dataset(ds.id).title == "Draf lagi"


def test_admin_page_offers_only_what_the_user_may_do(app, users, client, auth):
    from app.services import datasets

    with app.app_context():
        ds, _ = dataset_with_table(user("editor"))
        name = ds.name
    auth.login("editor")
    draft = client.get(f"/admin/dataset/{name}").get_data(as_text=True)
    assert "/upload" in draft and "/submit" in draft and 'id="publish"' not in draft
    with app.app_context():
        datasets.publish(user("org_admin"), name)
    published = client.get(f"/admin/dataset/{name}").get_data(as_text=True)
    assert 'id="published-read-only"' in published
    assert "/upload" not in published and "/delete" not in published and "/unpublish" not in published
    client.post("/user/logout")
    auth.login("org_admin")
    as_admin = client.get(f"/admin/dataset/{name}").get_data(as_text=True)
    assert "/upload" in as_admin and "/unpublish" in as_admin and 'id="published-read-only"' not in as_admin


def test_a_new_version_keeps_the_earlier_one_downloadable_and_listed(app, users):
    from app.services import datasets, resources

    with app.app_context():
        ds, first = dataset_with_table(user("editor"))
        datasets.publish(user("org_admin"), ds.id)
        with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
            data = fh.read()
        trimmed = b"\n".join(data.splitlines()[:11]) + b"\n"
        resources.upload(user("org_admin"), ds.id, io.BytesIO(trimmed), "korban_2019.csv",
                         resource_id=first.resource.id)
        rid, name = first.resource.id, ds.name
        uploaders = {user("editor").name, user("org_admin").name}
    client = app.test_client()
    page = client.get(f"/dataset/{name}/resource/{rid}").get_data(as_text=True)
    # staff account names are the office's business: the public version list shows none (issue 15)
    assert 'id="versions"' in page or "Versi" in page
    assert not any(u in page for u in uploaders) and "sha256" not in page
    staff = app.test_client()
    staff.post("/user/login", data={"email": users["org_admin"][0], "password": users["org_admin"][1]})
    admin_page = staff.get(f"/admin/dataset/{name}").get_data(as_text=True)
    assert all(u in admin_page for u in uploaders)  # the bidang sees who uploaded each version
    latest = list(csv.reader(io.StringIO(client.get(f"/dataset/{name}/resource/{rid}/download/x.csv").get_data(as_text=True))))
    earlier = list(csv.reader(io.StringIO(
        client.get(f"/dataset/{name}/resource/{rid}/download/x.csv?version=1").get_data(as_text=True))))
    assert len(latest) == 11 and len(earlier) == 61


BAD_FILES = [
    ("empty.csv", ["kosong", "empty"]),
    ("header_only.csv", ["tidak ada baris data", "no data rows"]),
    ("gambar.csv", ["bukan", "not"]),
    ("ragged.csv", ["baris", "row"]),
    ("bomb.xlsx", ["terkompresi", "compressed"]),
    ("rusak.xlsx", ["xlsx", "XLSX"]),
]


@pytest.mark.parametrize("filename,words", BAD_FILES)
def test_bad_file_gets_a_clear_message_in_indonesian_and_stores_nothing(client, auth, app, filename, words):
    auth.login("org_admin")
    resp = _upload(client, INGEST_FILES / filename)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Traceback" not in body
    message = body.split('class="flash error"')[1].split("</div>")[0]
    assert any(w.lower() in message.lower() for w in words), message
    stored = [p for p in os.listdir(app.config["DATASETS_DIR"]) if not p.startswith(".")]
    assert stored == [] and os.listdir(os.path.join(app.config["DATASETS_DIR"], ".incoming")) == []
    with app.app_context():
        from app.services import datasets

        assert datasets.for_actor(user("org_admin")) == []  # no half-made draft either


def test_excel_csv_variant_and_formula_cells_are_neutralised(app, users, tmp_path):
    path = tmp_path / "rumus.csv"
    path.write_text("kategori,jumlah,catatan,persen,=1+1\n=HYPERLINK(\"http://x\"),-5,@SUM(A1),12.5,a\n"
                    "Anak,7,+62 biasa,3.25,b\x07c\n")
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), path=path, name="rumus", publish=True)
        rid = result.resource.id
    client = app.test_client()
    body = client.get(f"/dataset/rumus/resource/{rid}/download/x.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["kategori", "jumlah", "catatan", "persen", "'=1+1"]
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "-5", "'@SUM(A1)", "12.5", "a"]
    excel = client.get(f"/dataset/rumus/resource/{rid}/download/x.csv?format=csv-excel").data
    assert excel.startswith(b"\xef\xbb\xbf")
    excel_rows = list(csv.reader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    assert excel_rows[0][-1] == "'=1+1"
    assert excel_rows[1][1:4] == ["-5", "'@SUM(A1)", "12,5"] and excel_rows[2][3] == "3,25"  # comma decimals
    from openpyxl import load_workbook

    xlsx = client.get(f"/dataset/rumus/resource/{rid}/download/x.xlsx")
    assert xlsx.headers["Content-Disposition"].startswith("attachment")
    wb = load_workbook(io.BytesIO(xlsx.data), read_only=True)
    cells = list(wb.active.iter_rows(values_only=True))
    assert cells[0][-1] == "'=1+1"  # a header is text too: never a live formula
    assert cells[1] == ("'=HYPERLINK(\"http://x\")", -5, "'@SUM(A1)", 12.5, "a")
    assert cells[2][-1] == "bc"  # a control character XLSX cannot hold is dropped, not a broken download
    data = client.get(f"/dataset/rumus/resource/{rid}/download/x.json").get_json()
    assert data["records"][1] == {"kategori": "Anak", "jumlah": 7, "catatan": "+62 biasa", "persen": 3.25,
                                  "=1+1": "b\x07c"}


def test_an_over_size_file_is_refused_with_a_message_and_stores_nothing(tmp_path, database_url):
    from tests.conftest import make_app
    from tests.factories import make_users

    app = make_app(tmp_path, database_url, MAX_CONTENT_LENGTH=2000)
    with app.app_context():
        accounts = make_users()
    client = app.test_client()
    email, password = accounts["org_admin"]
    client.post("/user/login", data={"email": email, "password": password})
    resp = _upload(client, SAMPLES / "lks_per_kabupaten_2021_2024.csv")  # 10 kB
    assert resp.status_code == 413
    body = resp.get_data(as_text=True)
    assert "terlalu besar" in body and "Traceback" not in body
    assert [p for p in os.listdir(app.config["DATASETS_DIR"]) if not p.startswith(".")] == []
    app.extensions["db_engine"].dispose()


def test_a_header_row_set_on_a_personal_data_row_shows_no_identifier_in_full(client, auth):
    # The admin picks row 2 as the header: the first person's NIK, name and phone become column names.
    auth.login("org_admin")
    from tests.samples import BNBA

    review_url = _upload(client, BNBA).headers["Location"]
    client.post(review_url, data={"header_row": "2"})
    page = client.get(review_url).get_data(as_text=True)
    assert "5203********0003" in page or "5203" in page  # the column is there, masked
    for secret in ("5203011208850003", "Lalu Ahmad Fadli", "081237654321"):
        assert secret not in page, secret
    # The form refers to columns by position, so the page source never carries a name either.
    assert 'name="type.#0"' in page and 'value="#1"' in page
