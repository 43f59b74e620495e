"""An admin uploads a table, reviews how it was read, describes it and publishes it."""
from __future__ import annotations

import csv
import io
import re

from tests.factories import SAMPLES

BENCANA = SAMPLES / "korban_bencana_sosial_2019_2024.csv"


def _upload(client, path, **form):
    with open(path, "rb") as fh:
        data = {"file": (fh, path.name), **form}
        return client.post("/admin/upload", data=data, content_type="multipart/form-data")


def test_admin_upload_review_describe_publish_then_public_finds_previews_downloads(client, auth):
    auth.login("org_admin")
    resp = _upload(client, BENCANA, title="Korban Bencana Sosial 2019-2024")
    assert resp.status_code == 302
    review_url = resp.headers["Location"]
    assert "/review/" in review_url
    name = review_url.split("/admin/dataset/")[1].split("/")[0]

    review = client.get(review_url)
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "60" in re.search(r'id="review-rows">([^<]*)<', page).group(1)
    for column in ("kode_kabupaten_kota", "nama_kabupaten_kota", "jiwa_mengungsi"):
        assert column in page
    assert "Kabupaten Lombok Barat" in page  # first rows shown

    # Not public yet.
    client.post("/user/logout")
    assert client.get(f"/dataset/{name}").status_code == 404
    auth.login("org_admin")

    resp = client.post(f"/admin/dataset/{name}/edit", data={
        "title": "Korban Bencana Sosial 2019-2024", "notes": "Korban bencana sosial per kabupaten/kota.",
        "topics": ["bencana-sosial"], "tags": "bencana, korban", "years": "2019-2024", "unit": "jiwa",
        "frequency": "tahunan", "level": "kabupaten-kota", "license_id": "CC-BY-4.0"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = client.post(f"/admin/dataset/{name}/publish")
    assert resp.status_code == 302
    assert "published" in client.get(f"/admin/dataset/{name}").get_data(as_text=True)

    client.post("/user/logout")
    found = client.get("/dataset?q=bencana").get_data(as_text=True)
    assert f"/dataset/{name}" in found
    page = client.get(f"/dataset/{name}").get_data(as_text=True)
    assert "Kabupaten Lombok Barat" in page  # the preview
    assert "2019-2024" in page
    link = re.search(rf'href="(/dataset/{name}/resource/[^"]+/download/[^"]+\.csv)"', page).group(1)
    download = client.get(link)
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert len(rows) == 61  # header + the same 60 rows
    assert rows[0][:3] == ["kode_kabupaten_kota", "nama_kabupaten_kota", "tahun"]


def test_downloaded_csv_equals_the_parsed_table(app, users):
    from app.ingest import read_table
    from tests.factories import dataset_with_table, user

    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), publish=True)
        url = f"/dataset/{ds.name}/resource/{result.resource.id}/download/x.csv"
        parsed = read_table(BENCANA, BENCANA.name)
        expected = [[("" if v is None else str(v)) for v in row] for row in parsed.rows()]
        header = [c.name for c in parsed.columns]
    body = app.test_client().get(url).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == header
    assert rows[1:] == expected


def test_editor_can_upload_but_not_publish(client, auth):
    auth.login("editor")
    resp = _upload(client, BENCANA)
    name = resp.headers["Location"].split("/admin/dataset/")[1].split("/")[0]
    client.post(f"/admin/dataset/{name}/edit", data={"title": "Uji editor", "topics": ["bencana-sosial"],
                                                     "license_id": "CC-BY-4.0"})
    resp = client.post(f"/admin/dataset/{name}/publish")
    assert resp.status_code == 403
    client.post(f"/admin/dataset/{name}/submit")
    client.post("/user/logout")
    assert client.get(f"/dataset/{name}").status_code == 404
    auth.login("org_admin")
    assert "Uji editor" in client.get("/admin/").get_data(as_text=True)  # in the review queue


def test_publishing_without_a_topic_is_refused_with_a_clear_message(client, auth):
    auth.login("org_admin")
    resp = _upload(client, BENCANA)
    name = resp.headers["Location"].split("/admin/dataset/")[1].split("/")[0]
    resp = client.post(f"/admin/dataset/{name}/publish", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "Pilih setidaknya satu topik" in page or "Choose at least one topic" in page
    assert 'id="dataset-state">draf' in page or 'id="dataset-state">draft' in page


def test_unreadable_upload_gives_a_message_and_stores_nothing(client, auth, app):
    import os

    auth.login("org_admin")
    resp = client.post("/admin/upload", data={"file": (io.BytesIO(b""), "kosong.csv")},
                       content_type="multipart/form-data")
    assert resp.status_code == 400
    assert "Traceback" not in resp.get_data(as_text=True)
    stored = [p for p in os.listdir(app.config["DATASETS_DIR"]) if not p.startswith(".")]
    assert stored == []
    assert os.listdir(os.path.join(app.config["DATASETS_DIR"], ".incoming")) == []
