"""The `portal` command: set-up, uploads with a JSON review, search upkeep."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from tests.conftest import BNBA_SAMPLE
from tests.factories import SAMPLES


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_init_db_creates_the_office_bidang_and_topics(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    with app.app_context():
        from app.services import catalog

        names = {o.name for o in catalog.list_organizations()}
        assert {"dinas-sosial-ntb", "sekretariat", "bidang-rehabilitasi-sosial"} <= names
        assert "bencana-sosial" in {t.name for t in catalog.list_topics()}


def test_create_admin_generates_a_password_each_time(runner):
    first = runner.invoke(args=["create-admin", "a@ntbprov.go.id"])
    second = runner.invoke(args=["create-admin", "b@ntbprov.go.id"])
    assert first.exit_code == 0 and second.exit_code == 0
    p1 = first.output.rsplit(":", 1)[1].strip()
    p2 = second.output.rsplit(":", 1)[1].strip()
    assert len(p1) >= 12 and p1 != p2


def test_upload_prints_the_review_as_json_and_publishes(app, runner):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    path = SAMPLES / "korban_bencana_sosial_2019_2024.csv"
    result = runner.invoke(args=["upload", str(path), "--dataset", "korban-bencana", "--title", "Korban Bencana",
                                 "--topic", "bencana-sosial", "--publish"])
    assert result.exit_code == 0, result.output
    review = _last_json(result.output)
    assert review["dataset"] == "korban-bencana"
    assert review["rows"] == 60
    assert review["columns"][0] == {"name": "kode_kabupaten_kota", "type": "region_code"}
    assert review["findings"] == [] and review["state"] == "published"
    assert review["skipped"] == []
    with app.app_context():
        from app.services import datasets

        ds = datasets.find("korban-bencana")
        assert ds.organization.name == "dinas-sosial-ntb"  # the office itself by default
        assert review["resource"] == ds.resources[0].id
    assert app.test_client().get("/dataset/korban-bencana").status_code == 200


def test_upload_review_lists_the_rows_it_skipped(app, runner):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    report = Path(__file__).parent / "files" / "ingest" / "laporan_berjudul.csv"
    result = runner.invoke(args=["upload", str(report), "--dataset", "laporan-pkh"])
    assert result.exit_code == 0, result.output
    review = _last_json(result.output)
    assert [(s["row"], s["kind"]) for s in review["skipped"]] == [
        (1, "title"), (2, "title"), (3, "blank"), (6, "numbering"), (10, "total"), (11, "note")]
    assert review["skipped"][4]["values"][0] == "JUMLAH"
    assert review["rows"] == 3 and review["state"] == "draft"
    # The printed resource id is the table's: its page answers for the dataset's members.
    with app.app_context():
        from app.services import datasets

        assert [r.id for r in datasets.find("laporan-pkh").resources] == [review["resource"]]
    second = runner.invoke(args=["upload", str(report), "--dataset", "laporan-pkh", "--resource", review["resource"]])
    assert second.exit_code == 0, second.output
    again = _last_json(second.output)
    assert again["resource"] == review["resource"] and again["version"] == 2


def test_create_admin_reset_gives_an_existing_account_a_new_password(app, runner):
    first = runner.invoke(args=["create-admin", "a@ntbprov.go.id"])
    old = first.output.rsplit(":", 1)[1].strip()
    refused = runner.invoke(args=["create-admin", "a@ntbprov.go.id"])
    assert refused.exit_code != 0 and "--reset" in refused.output
    reset = runner.invoke(args=["create-admin", "a@ntbprov.go.id", "--reset"])
    assert reset.exit_code == 0, reset.output
    new = reset.output.rsplit(":", 1)[1].strip()
    assert len(new) >= 12 and new != old
    client = app.test_client()
    assert client.post("/user/login", data={"email": "a@ntbprov.go.id", "password": old}).status_code == 401
    assert client.post("/user/login", data={"email": "a@ntbprov.go.id", "password": new}).status_code == 302
    chosen = runner.invoke(args=["create-admin", "A@ntbprov.go.id", "--reset", "--password", "pilihan-sendiri-1"])
    assert chosen.exit_code == 0 and chosen.output.strip().endswith("pilihan-sendiri-1")
    with app.app_context():
        from app.services import users

        assert users.authenticate("a@ntbprov.go.id", "pilihan-sendiri-1").role == "sysadmin"
    short = runner.invoke(args=["create-admin", "a@ntbprov.go.id", "--reset", "--password", "pendek"])
    assert short.exit_code != 0 and "8" in short.output
    unknown = runner.invoke(args=["create-admin", "nobody@ntbprov.go.id", "--reset"])
    assert unknown.exit_code != 0 and "Tidak ada akun dengan alamat email ini." in unknown.output
    with app.app_context():
        from app.services import users

        assert users.authenticate("nobody@ntbprov.go.id", "") is None


def test_seed_demo_loads_the_samples_once(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Loaded 8 demo datasets." in first.output
    names = app.test_client().get("/api/3/action/package_list").get_json()["result"]
    assert len(names) == 8 and "korban-bencana-sosial-2019-2024" in names
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "nothing loaded" in second.output and "published" not in second.output
    assert app.test_client().get("/api/3/action/package_list").get_json()["result"] == names
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_upload_of_personal_data_is_refused_with_masked_findings(app, runner):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    result = runner.invoke(args=["upload", str(BNBA_SAMPLE), "--dataset", "bnba", "--topic", "bantuan-sosial",
                                 "--publish"])
    assert result.exit_code != 0
    out = result.output
    assert "5203011208850003" not in out and not re.search(r"\d{16}", out)
    assert "5203********0003" in out or "****" in out
    review = _last_json(out)
    assert review["refused"] is True and {f["column"] for f in review["findings"]} >= {"NIK", "No HP"}
    with app.app_context():
        from app.services import datasets

        ds = datasets.find("bnba")
        assert ds is None  # the draft made for the refused file is gone too
    stored = [p for p in os.listdir(app.config["DATASETS_DIR"]) if not p.startswith(".")]
    assert stored == []


def test_upload_of_a_file_that_is_not_a_table_exits_non_zero_with_a_message(runner, tmp_path):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    bad = tmp_path / "gambar.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = runner.invoke(args=["upload", str(bad), "--dataset", "gambar"])
    assert result.exit_code != 0
    assert "Refused" in result.output
    assert "Traceback" not in result.output


def test_search_check_finds_a_mismatch_and_rebuild_repairs_it(app, runner):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    runner.invoke(args=["upload", str(SAMPLES / "pmks_per_kabupaten_2023.csv"), "--dataset", "pmks",
                        "--topic", "pmks-ppks", "--publish"])
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    with app.app_context():
        app.extensions["search_index"].delete([__import__("app.services.datasets", fromlist=["x"]).find("pmks").id])
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "missing" in result.output
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0
