"""Small counts can point at people: they are flagged, and suppressed with their complements."""
from __future__ import annotations

import csv
import io


from tests.factories import dataset_with_table, user

WIDE = """kabupaten_kota,laki_laki,perempuan,jumlah
Kota Mataram,12,3,15
Kota Bima,7,9,16
Kabupaten Dompu,20,11,31
Kabupaten Bima,6,8,14
"""

NAPZA = """kabupaten_kota,jenis_layanan,jumlah_lks,tahun
Kota Mataram,Korban NAPZA,2,2023
Kota Mataram,Anak,3,2023
Kota Bima,Korban NAPZA,7,2023
Kota Bima,Anak,9,2023
Kabupaten Dompu,Korban NAPZA,11,2023
Kabupaten Dompu,Anak,12,2023
"""


def _publish(app, tmp_path, text, name, **meta):
    path = tmp_path / f"{name}.csv"
    path.write_text(text)
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), path=path, name=name, publish=True, **meta)
        return ds.name, result.resource.id, result.version


def _rows(client, name, rid, query=""):
    resp = client.get(f"/dataset/{name}/resource/{rid}/download/x.csv{query}")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))


def test_review_flags_small_counts(app, users, tmp_path):
    _, _, version = _publish(app, tmp_path, WIDE, "wide-flag")
    flagged = version.small_cells["columns"]
    assert flagged["perempuan"]["count"] == 1  # the 3 in Kota Mataram
    assert "laki_laki" not in flagged


def test_publisher_suppression_hides_small_cells_and_totals_cannot_give_them_back(app, users, tmp_path):
    name, rid, _ = _publish(app, tmp_path, WIDE, "wide", suppress_small_cells=True)
    rows = _rows(app.test_client(), name, rid)
    mataram = rows[0]
    assert mataram["perempuan"] == "x"
    # The row total is published, so a second part of that row is hidden too...
    assert mataram["laki_laki"] == "x" or mataram["jumlah"] == "x"
    # ...and no column holds exactly one hidden cell, so its sum cannot reveal it.
    for column in ("laki_laki", "perempuan", "jumlah"):
        hidden = sum(1 for r in rows if r[column] == "x")
        assert hidden != 1, column
    assert "3" not in [r["perempuan"] for r in rows]


def test_organization_members_still_see_the_real_counts(app, users, auth, client, tmp_path):
    name, rid, _ = _publish(app, tmp_path, WIDE, "wide-raw", suppress_small_cells=True)
    auth.login("org_admin")
    rows = _rows(client, name, rid)
    assert rows[0]["perempuan"] == "3"


def test_sensitive_categories_are_suppressed_without_asking(app, users, tmp_path):
    name, rid, _ = _publish(app, tmp_path, NAPZA, "napza")
    rows = _rows(app.test_client(), name, rid)
    assert rows[0]["jumlah_lks"] == "x"  # Korban NAPZA, 2
    hidden = [r for r in rows if r["jumlah_lks"] == "x"]
    assert len(hidden) >= 2  # its complement, so the column sum cannot give it back
    assert all(r["jumlah_lks"] != "2" for r in rows)


def test_filtering_or_sorting_a_suppressed_column_is_refused(app, users, tmp_path):
    name, rid, _ = _publish(app, tmp_path, WIDE, "wide-filter", suppress_small_cells=True)
    client = app.test_client()
    for query in ("?f.perempuan=3", "?sort=perempuan"):
        resp = client.get(f"/dataset/{name}/resource/{rid}{query}")
        assert resp.status_code == 400
        assert client.get(f"/dataset/{name}/resource/{rid}/download/x.csv{query}").status_code == 400


def test_original_file_with_suppressed_cells_is_not_public(app, users, tmp_path):
    name, rid, _ = _publish(app, tmp_path, WIDE, "wide-original", suppress_small_cells=True)
    assert app.test_client().get(f"/dataset/{name}/resource/{rid}/original").status_code == 404
    page = app.test_client().get(f"/dataset/{name}/resource/{rid}").get_data(as_text=True)
    assert 'id="suppression-note"' in page
