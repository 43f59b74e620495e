"""An upload too big to be read while the admin waits: the form answers at once with a progress page
that follows the reading and leads to the review; the API answers with the job and a status action;
`portal upload --no-wait` prints the job. Each reads through the real queue and a real worker thread."""
from __future__ import annotations

import io
import json
import re
import time

import pytest

from tests.conftest import make_app, stop_app
from tests.factories import ORG, PASSWORD, SAMPLES, make_users, user
from tests.samples import BNBA

SAMPLE = SAMPLES / "korban_bencana_sosial_2019_2024.csv"


@pytest.fixture
def quick_app(tmp_path, database_url):
    """The portal with the upload form not waiting at all for the reading (as for a big file)."""
    app = make_app(tmp_path, database_url, INGEST_FORM_WAIT_S=0)
    with app.app_context():
        make_users()
    yield app
    stop_app(app)


def _login(client, email: str) -> None:
    assert client.post("/user/login", data={"email": email, "password": PASSWORD}).status_code == 302


def _finished(client, status_url: str) -> dict:
    for _ in range(600):
        job = client.get(status_url).get_json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("the upload was not read in 30 s")


def test_admin_upload_answers_at_once_and_its_progress_page_leads_to_the_review(quick_app):
    client = quick_app.test_client()
    _login(client, "admin@test.local")
    with open(SAMPLE, "rb") as fh:
        resp = client.post("/admin/upload", data={"file": (fh, SAMPLE.name), "title": "Uji unggah besar",
                                                  "organization": ORG}, content_type="multipart/form-data")
    assert resp.status_code == 302
    progress = resp.headers["Location"]
    assert re.fullmatch(r"/admin/upload/[0-9a-f-]{36}", progress)

    status_url = progress + "/status"
    first = client.get(status_url)
    assert first.headers["Cache-Control"] == "no-store"
    assert first.get_json()["state"] in ("queued", "running", "done")
    job = _finished(client, status_url)
    assert job["state"] == "done" and job["percent"] == 100 and job["rows_read"] == 60
    assert job["review_url"].startswith("/admin/dataset/uji-unggah-besar/review/")

    # The page left and opened again (from the dashboard) goes to the review.
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert f'href="{progress}"' in dashboard and SAMPLE.name in dashboard
    back = client.get(progress)
    assert back.status_code == 302 and back.headers["Location"] == job["review_url"]
    assert client.get(job["review_url"]).status_code == 200

    # Someone else's upload is not theirs to follow.
    other = quick_app.test_client()
    _login(other, "other@test.local")
    assert other.get(progress).status_code == 404 and other.get(status_url).status_code == 404


def test_progress_page_of_a_refused_file_says_why_in_the_admins_language(quick_app):
    client = quick_app.test_client()
    _login(client, "admin@test.local")
    resp = client.post("/admin/upload", data={"file": (io.BytesIO(b"kabupaten,jumlah\n"), "kosong.csv"),
                                              "title": "Uji kosong"}, content_type="multipart/form-data")
    progress = resp.headers["Location"]
    assert _finished(client, progress + "/status")["state"] == "failed"
    page = client.get(progress)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Unggahan tidak disimpan" in body and "judul" in body.lower()
    assert 'src="/static/ingest_job.js"' in body and "<script>" not in body
    with quick_app.app_context():
        from app.services import datasets

        assert datasets.for_actor(user("org_admin")) == []  # the refused file made no draft


def test_api_upload_without_waiting_answers_with_the_job_that_ingest_job_show_follows(quick_app):
    with quick_app.app_context():
        from app.services import datasets, users

        admin = user("org_admin")
        _token, raw = users.create_token(admin, "uji")
        ds = datasets.create(admin, {"title": "Uji API antre", "name": "uji-api-antre", "organization": ORG,
                                     "topics": ["bencana-sosial"]})
        ds_id = ds.id
    client = quick_app.test_client()
    headers = {"Authorization": raw}

    def create(path, name):
        with open(path, "rb") as fh:
            return client.post("/api/3/action/resource_create", headers=headers, content_type="multipart/form-data",
                               data={"package_id": ds_id, "wait": "false", "upload": (fh, name)}).get_json()

    def follow(job_id):
        for _ in range(600):
            job = client.get("/api/3/action/ingest_job_show", query_string={"id": job_id}, headers=headers).get_json()
            if job["result"]["state"] in ("done", "failed"):
                return job["result"]
            time.sleep(0.05)
        raise AssertionError("not read in 30 s")

    queued = create(SAMPLE, SAMPLE.name)
    assert queued["success"] and queued["result"]["state"] in ("queued", "running", "done")
    done = follow(queued["result"]["id"])
    assert done["state"] == "done" and done["package_id"] == ds_id
    shown = client.get("/api/3/action/resource_show", query_string={"id": done["resource_id"]}, headers=headers)
    assert shown.get_json()["result"]["datastore_active"] is True

    refused = follow(create(BNBA, BNBA.name)["result"]["id"])
    text = json.dumps(refused)
    assert refused["state"] == "failed" and refused["errors"]["upload"]
    assert "5203********0003" in text and not re.search(r"\d{16}", text)
    # The job of another's upload is Not Found, as for anyone without a token.
    anonymous = client.get("/api/3/action/ingest_job_show", query_string={"id": done["id"]})
    assert anonymous.status_code == 404


def test_portal_upload_no_wait_prints_the_job_at_once(app, users, runner):
    from app.services import resources

    result = runner.invoke(args=["upload", str(SAMPLE), "--dataset", "uji-tanpa-tunggu", "--no-wait"])
    assert result.exit_code == 0, result.output
    job = json.loads(result.output.strip().splitlines()[-1])
    assert job["dataset"] == "uji-tanpa-tunggu" and job["state"] in ("queued", "running", "done")
    with app.app_context():
        read = resources.outcome(job["id"])
        assert read.version.row_count == 60 and read.resource.dataset.name == "uji-tanpa-tunggu"
    refused = runner.invoke(args=["upload", str(SAMPLE), "--dataset", "uji-lain", "--no-wait", "--publish"])
    assert refused.exit_code == 1 and "--no-wait" in refused.output
