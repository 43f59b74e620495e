"""The `portal` command: set-up, uploads with a JSON review, search upkeep."""
from __future__ import annotations

import json
import os
import re

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
    with app.app_context():
        from app.services import datasets

        ds = datasets.find("korban-bencana")
        assert ds.organization.name == "dinas-sosial-ntb"  # the office itself by default
    assert app.test_client().get("/dataset/korban-bencana").status_code == 200


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
