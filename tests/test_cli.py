"""The `portal` command: set-up, uploads with a JSON review, search upkeep."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.conftest import BNBA_SAMPLE
from tests.factories import SAMPLES
from tests.support.database import stored_dataset


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_init_db_creates_the_office_bidang_and_topics(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    with app.app_context():
        from app.services import vocabulary

        names = {o.name for o in vocabulary.list_organizations()}
        assert {"dinas-sosial-ntb", "sekretariat", "bidang-rehabilitasi-sosial"} <= names
        assert "bencana-sosial" in {t.name for t in vocabulary.list_topics()}


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

        ds = stored_dataset("korban-bencana")
        assert ds.organization.name == "dinas-sosial-ntb"  # the office itself by default
        assert review["resource"] == ds.resources[0].id
    assert app.test_client().get("/dataset/korban-bencana").status_code == 200


def test_upload_review_lists_the_rows_it_skipped(app, runner, tmp_path):
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

        assert [r.id for r in stored_dataset("laporan-pkh").resources] == [review["resource"]]
    # A corrected file becomes version 2 of the same table (the same file again adds nothing).
    corrected = tmp_path / "laporan_berjudul.csv"
    corrected.write_bytes(report.read_bytes().replace(b"15.201", b"15.202"))
    second = runner.invoke(args=["upload", str(corrected), "--dataset", "laporan-pkh",
                                 "--resource", review["resource"]])
    assert second.exit_code == 0, second.output
    again = _last_json(second.output)
    assert again["resource"] == review["resource"] and again["version"] == 2 and again["unchanged"] is False


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
    assert chosen.exit_code == 0, chosen.output
    assert chosen.output.strip() == "Password set for sysadmin a@ntbprov.go.id."
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
    review = _last_json(result.stdout)
    assert review["refused"] is True and {f["column"] for f in review["findings"]} >= {"NIK", "No HP"}
    assert review["reason"] and not re.search(r"\d{16}", review["reason"])
    with app.app_context():

        ds = stored_dataset("bnba")
        assert ds is None  # the draft made for the refused file is gone too
    stored = [p for p in os.listdir(app.config["DATASETS_DIR"]) if not p.startswith(".")]
    assert stored == []


def test_upload_of_a_file_that_is_not_a_table_exits_non_zero_with_a_message(runner, tmp_path):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    bad = tmp_path / "gambar.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = runner.invoke(args=["upload", str(bad), "--dataset", "gambar"])
    assert result.exit_code == 1
    assert "Refused" in result.stderr
    assert "Traceback" not in result.output
    refusal = _last_json(result.stdout)
    assert refusal["refused"] is True and refusal["reason"] and "findings" not in refusal


def test_search_check_finds_a_mismatch_and_rebuild_repairs_it(app, runner):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    runner.invoke(args=["upload", str(SAMPLES / "pmks_per_kabupaten_2023.csv"), "--dataset", "pmks",
                        "--topic", "pmks-ppks", "--publish"])
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    with app.app_context():
        app.extensions["search_index"].delete([stored_dataset("pmks").id])
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "missing" in result.output
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def _stored(app) -> list[str]:
    """What the file store holds (its staging folder aside)."""
    root = Path(app.config["DATASETS_DIR"])
    return sorted(f"{p.parent.name}/{p.name}" for p in root.glob("*/*") if not p.parent.name.startswith("."))


def test_upload_with_publish_but_no_topic_is_refused_before_anything_is_stored(app, runner):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    path = SAMPLES / "korban_bencana_sosial_2019_2024.csv"
    result = runner.invoke(args=["upload", str(path), "--dataset", "korban-bencana", "--publish"])
    assert result.exit_code == 1, result.output
    refusal = _last_json(result.stdout)
    assert refusal["refused"] is True and refusal["dataset"] == "korban-bencana"
    with app.app_context():
        from app.services import datasets, users
        from app.services.errors import ValidationError

        assert stored_dataset("korban-bencana") is None  # no draft made
        with pytest.raises(ValidationError) as missing:  # the service's own words for what is missing
            datasets.check_publishable(users.first_sysadmin(), None, {"title": "Korban Bencana"}, new_table=True)
        assert refusal["reason"] == " ".join(missing.value.errors["state"])
    assert _stored(app) == []
    retry = runner.invoke(args=["upload", str(path), "--dataset", "korban-bencana", "--topic", "bencana-sosial",
                                "--publish"])
    assert retry.exit_code == 0, retry.output
    review = _last_json(retry.stdout)
    assert review["state"] == "published" and review["unchanged"] is False
    with app.app_context():
        from app.services import datasets

        assert [r.id for r in stored_dataset("korban-bencana").resources] == [review["resource"]]
    assert _stored(app) == [f"{review['resource']}/v1"]


def test_upload_of_the_same_file_again_reuses_its_table(app, runner):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    path = SAMPLES / "pmks_per_kabupaten_2023.csv"
    first = runner.invoke(args=["upload", str(path), "--dataset", "pmks"])
    assert first.exit_code == 0, first.output
    review = _last_json(first.stdout)
    assert review["state"] == "draft" and review["unchanged"] is False
    again = runner.invoke(args=["upload", str(path), "--dataset", "pmks", "--topic", "pmks-ppks", "--publish"])
    assert again.exit_code == 0, again.output
    second = _last_json(again.stdout)
    assert second["unchanged"] is True and second["state"] == "published"
    assert (second["resource"], second["version"], second["rows"]) == (review["resource"], 1, review["rows"])
    with app.app_context():

        ds = stored_dataset("pmks")
        assert len(ds.resources) == 1 and len(ds.resources[0].versions) == 1
        assert [t.name for t in ds.topics] == ["pmks-ppks"]
    assert _stored(app) == [f"{review['resource']}/v1"]
    # The same bytes as a new version of that table: nothing added either.
    third = runner.invoke(args=["upload", str(path), "--dataset", "pmks", "--resource", review["resource"]])
    assert third.exit_code == 0 and _last_json(third.stdout)["unchanged"] is True
    assert _stored(app) == [f"{review['resource']}/v1"]


def test_upload_refusals_end_with_a_json_line_and_leave_nothing(app, runner, tmp_path):
    path = SAMPLES / "pmks_per_kabupaten_2023.csv"
    no_admin = runner.invoke(args=["upload", str(path), "--dataset", "pmks"])
    assert no_admin.exit_code == 1
    refusal = _last_json(no_admin.stdout)
    assert refusal["refused"] is True and "create-admin" in refusal["reason"]
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    missing = runner.invoke(args=["upload", str(tmp_path / "tidak-ada.csv"), "--dataset", "pmks"])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert _last_json(missing.stdout)["refused"] is True and "tidak-ada.csv" in _last_json(missing.stdout)["reason"]
    unknown_topic = runner.invoke(args=["upload", str(path), "--dataset", "pmks", "--topic", "tidak-ada",
                                        "--publish"])
    assert unknown_topic.exit_code == 1 and "tidak-ada" in _last_json(unknown_topic.stdout)["reason"]
    with app.app_context():

        assert stored_dataset("pmks") is None
    assert _stored(app) == []


def test_create_admin_with_a_chosen_password_does_not_print_it(app, runner):
    created = runner.invoke(args=["create-admin", "b@ntbprov.go.id", "--password", "rahasia-pilihan-9"])
    assert created.exit_code == 0, created.output
    assert "rahasia-pilihan-9" not in created.output
    assert created.output.strip() == "Created sysadmin b@ntbprov.go.id."
    editor = runner.invoke(args=["create-admin", "c@ntbprov.go.id", "--role", "editor", "--organization",
                                 "sekretariat", "--password", "rahasia-editor-9"])
    assert editor.exit_code == 0 and "rahasia-editor-9" not in editor.output, editor.output
    reset = runner.invoke(args=["create-admin", "b@ntbprov.go.id", "--reset", "--password", "rahasia-baru-99"])
    assert reset.exit_code == 0 and "rahasia-baru-99" not in reset.output
    with app.app_context():
        from app.services import users

        assert users.authenticate("b@ntbprov.go.id", "rahasia-baru-99").role == "sysadmin"
        assert users.authenticate("c@ntbprov.go.id", "rahasia-editor-9").role == "editor"


def test_portal_help_and_version_are_the_portals_own(runner):
    from importlib.metadata import version

    from app.cli import main

    helped = runner.invoke(main, ["--help"])
    assert helped.exit_code == 0, helped.output
    for flask_option in ("--env-file", "--app", "--debug", "Flask"):
        assert flask_option not in helped.output
    assert "upload" in helped.output and "create-admin" in helped.output
    shown = runner.invoke(main, ["--version"])
    assert shown.exit_code == 0
    assert shown.output.strip() == f"portal, version {version('portal-data-sosial-ntb')}"
    # Its commands still reach the app (here the test's own).
    assert runner.invoke(main, ["search", "check"]).exit_code == 0
