"""A file refused as a new dataset's first table leaves no dataset row, not even a deleted one.

Every door that makes a dataset of a file (the admin's upload form, `portal upload`, the demo
loader) calls `resources.upload_new_dataset`, which reads the file before it writes anything.
"""
from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import func, select

from tests.conftest import BNBA_SAMPLE
from tests.factories import SAMPLES, user


def _rows(app) -> dict[str, int]:
    from app import db
    from app.models import Activity, Dataset, Resource, ResourceVersion

    with app.app_context():
        s = db.session()
        return {model.__name__: s.scalar(select(func.count()).select_from(model))
                for model in (Dataset, Resource, ResourceVersion, Activity)}


def _public_files(app) -> list[str]:
    return [p for p in os.listdir(app.config["DATASETS_DIR"]) if not p.startswith(".")]


def test_portal_upload_of_personal_data_makes_no_dataset(app, runner):
    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    before = _rows(app)
    result = runner.invoke(args=["upload", str(BNBA_SAMPLE), "--dataset", "bnba", "--topic", "bantuan-sosial"])
    assert result.exit_code == 1
    assert _rows(app) == before
    assert _public_files(app) == []


def test_portal_upload_with_an_unknown_topic_names_the_topics_and_makes_nothing(app, runner):
    import json

    runner.invoke(args=["create-admin", "admin@ntbprov.go.id"])
    before = _rows(app)
    result = runner.invoke(args=["upload", str(SAMPLES / "asn_dinsos_ntb_2020_2024.csv"), "--dataset", "asn",
                                 "--topic", "Pemberdayaan Sosial"])
    assert result.exit_code == 1
    reason = json.loads(result.output.strip().splitlines()[-1])["reason"]
    assert reason.startswith("Topik tidak dikenal: Pemberdayaan Sosial (topik yang ada: ")
    assert "kepegawaian" in reason and "bantuan-sosial" in reason
    assert _rows(app) == before and _public_files(app) == []


def test_the_demo_loader_refusing_a_file_makes_no_dataset_of_it(app, users, tmp_path):
    import shutil

    from app.services import demo
    from app.services.resources import PersonalDataFound

    shutil.copy(BNBA_SAMPLE, tmp_path / "contoh_bnba.csv")
    before = _rows(app)
    with app.app_context(), pytest.raises(PersonalDataFound):
        demo.seed(user("sysadmin"), [{"file": "contoh_bnba.csv", "title": "Contoh", "topics": ["bantuan-sosial"]}],
                  folder=tmp_path)
    assert _rows(app) == before


@pytest.mark.parametrize("content, filename", [
    (b"", "kosong.csv"),  # nothing to read
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "gambar.csv"),  # not a table
    (b"a,b\n1,2\n", "tabel.exe"),  # not a table's extension
])
def test_the_upload_form_refusing_a_file_makes_no_draft(app, client, auth, content, filename):
    auth.login("org_admin")
    before = _rows(app)
    resp = client.post("/admin/upload", data={"file": (io.BytesIO(content), filename), "title": "Uji"},
                       content_type="multipart/form-data")
    assert resp.status_code == 400
    assert _rows(app) == before


def test_the_upload_form_keeps_a_blocked_file_in_a_draft_for_correction(app, client, auth):
    auth.login("org_admin")
    before = _rows(app)
    with open(BNBA_SAMPLE, "rb") as fh:
        resp = client.post("/admin/upload", data={"file": (fh, BNBA_SAMPLE.name), "title": "Uji BNBA"},
                           content_type="multipart/form-data")
    assert resp.status_code == 302 and "/review/" in resp.headers["Location"]
    after = _rows(app)
    assert after["Dataset"] == before["Dataset"] + 1 and after["ResourceVersion"] == before["ResourceVersion"] + 1
    assert _public_files(app) == []  # the file waits in quarantine
    auth.logout()
    assert client.get("/dataset/uji-bnba").status_code == 404


def test_an_accepted_file_makes_the_dataset_its_table_and_their_activity_together(app, users):
    from app.services import resources

    before = _rows(app)
    with app.app_context(), open(SAMPLES / "pmks_per_kabupaten_2023.csv", "rb") as fh:
        result = resources.upload_new_dataset(user("org_admin"), fh, "pmks_per_kabupaten_2023.csv",
                                              {"title": "PMKS 2023"}, keep_blocked=False)
        assert result.resource.dataset.state == "draft" and result.version.publishable
    after = _rows(app)
    assert (after["Dataset"], after["Resource"], after["ResourceVersion"]) == (
        before["Dataset"] + 1, before["Resource"] + 1, before["ResourceVersion"] + 1)
    assert after["Activity"] == before["Activity"] + 2  # create and upload
