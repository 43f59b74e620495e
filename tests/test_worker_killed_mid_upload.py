"""A `portal worker` killed with SIGKILL while it reads a big upload leaves no table anybody can
see; the job is read again by the next worker while attempts remain, else marked failed with a
message; it never stays "running".

The worker is a real process on the test's folders and database (SQLite, or PostgreSQL with
TEST_DATABASE_URL) and on each of the queue's storages: huey's SQLite file (the embedded default)
and a real Redis server (production); this test's own portal reads no uploads (INGEST_IN_PROCESS off).
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import make_app, stop_app
from tests.factories import ORG, make_users, user
from tests.support.portal_process import portal_command, portal_environment

ROWS = 100_000
FAST = {"INGEST_STALE_S": 1.5, "INGEST_HEARTBEAT_S": 0.3}


def _big_csv(path: Path) -> Path:
    kabupaten = ["Lombok Barat", "Lombok Tengah", "Lombok Timur", "Sumbawa", "Dompu", "Bima", "Kota Mataram"]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("kabupaten,tahun,jenis_bantuan,jumlah_penerima,anggaran\n")
        fh.writelines(f"{kabupaten[i % 7]},{2015 + i % 10},Bantuan {i % 13},{100 + i % 977},{i * 7 % 100000}.5\n"
                      for i in range(ROWS))
    return path


def _worker(folder: Path, database_url: str, **env: str) -> subprocess.Popen:
    environment = portal_environment(folder, database_url)
    environment.update({k: str(v) for k, v in FAST.items()}, **env)
    return subprocess.Popen([*portal_command(), "worker"], cwd=folder, env=environment,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _job_row(app, job_id: str):
    from app.models import IngestJob

    with app.extensions["db_engine"].connect() as con:
        return con.execute(select(IngestJob.state, IngestJob.rows_read, IngestJob.attempts, IngestJob.message)
                           .where(IngestJob.id == job_id)).one()


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _kill_mid_read(app, folder: Path, database_url: str, job_id: str, **env: str) -> None:
    worker = _worker(folder, database_url, **env)
    try:
        def reading() -> bool:
            assert worker.poll() is None, worker.stderr.read()
            state, rows, _attempts, _message = _job_row(app, job_id)
            return state == "running" and rows > 0
        _wait_for(reading, 60, "the worker to be reading")
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(timeout=30)
        worker.stderr.close()


def _counts(app, ds_id: str) -> tuple[int, int]:
    from app.models import Resource, ResourceVersion

    with app.extensions["db_engine"].connect() as con:
        resources = con.execute(select(func.count()).select_from(Resource).where(Resource.dataset_id == ds_id)).scalar()
        versions = con.execute(select(func.count()).select_from(ResourceVersion).join(Resource)
                               .where(Resource.dataset_id == ds_id)).scalar()
    return resources, versions


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request, tmp_path):
    """The queue's storage: empty is huey's SQLite file in the instance folder."""
    if request.param == "sqlite":
        return ""
    return request.getfixturevalue("redis_url")


def test_a_worker_killed_mid_upload_leaves_nothing_and_its_job_is_read_again_or_failed(tmp_path, database_url,
                                                                                     queue_url):
    from app.services import datasets, ingest_jobs, resources

    queue = {"JOB_QUEUE_URL": queue_url}
    app = make_app(tmp_path, database_url, INGEST_IN_PROCESS=False, **FAST, **queue)
    big = _big_csv(tmp_path / "penerima_bantuan_besar.csv")
    try:
        with app.app_context():
            make_users()
            admin = user("org_admin")
            ds = datasets.create(admin, {"title": "Uji pekerja dibunuh", "name": "uji-pekerja", "organization": ORG,
                                         "topics": ["bantuan-sosial"]})
            with open(big, "rb") as fh:
                job = resources.upload(admin, ds.id, fh, big.name, wait=False)
        public = Path(app.config["DATASETS_DIR"])

        _kill_mid_read(app, tmp_path, database_url, job.id, **queue)
        assert _counts(app, ds.id) == (0, 0)  # no resource, no version: nothing half-written is named
        assert [p.name for p in public.iterdir() if not p.name.startswith(".")] == []
        assert _datastore_tables(app) == []  # PostgreSQL: the table being loaded went with the killed transaction
        with app.app_context():
            time.sleep(FAST["INGEST_STALE_S"] + 0.5)
            shown = ingest_jobs.status(admin, job.id)  # reading the status reaps the silent job
        assert shown["state"] == "queued" and shown["attempts"] == 1 and "dibaca ulang" in shown["message"]

        worker = _worker(tmp_path, database_url, **queue)
        try:
            _wait_for(lambda: _job_row(app, job.id)[0] in ("done", "failed"), 120, "the next worker to read it")
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
            worker.stderr.close()
        state, rows, attempts, _message = _job_row(app, job.id)
        assert (state, rows, attempts) == ("done", ROWS, 2)
        assert _counts(app, ds.id) == (1, 1)
        assert len(_datastore_tables(app)) == (1 if database_url.startswith("postgresql") else 0)
        with app.app_context():
            result = resources.outcome(job.id)
            assert result.version.row_count == ROWS and result.version.number == 1

        # With no attempt left, the job of a killed worker fails with a message instead.
        with app.app_context():
            with open(big, "rb") as fh:
                second = resources.upload(admin, ds.id, fh, "lagi.csv", wait=False)
        _kill_mid_read(app, tmp_path, database_url, second.id, INGEST_MAX_ATTEMPTS="1", **queue)
        time.sleep(FAST["INGEST_STALE_S"] + 0.5)
        with app.app_context():
            app.config["INGEST_MAX_ATTEMPTS"] = 1
            failed = ingest_jobs.status(user("org_admin"), second.id)
        assert failed["state"] == "failed" and "berhenti" in failed["message"], failed
        assert _counts(app, ds.id) == (1, 1)
        assert not ingest_jobs_folder(app, second.id).exists()
    finally:
        stop_app(app)


def _datastore_tables(app) -> list[str]:
    """The tables of the PostgreSQL datastore schema (none with SQLite, whose tables are files)."""
    from app.services import datastore
    from app.tables import pg_engine

    with app.app_context():
        schema = datastore.datastore_schema()
        if schema is None:
            return []
        with app.extensions["db_engine"].connect() as con:
            return sorted(pg_engine.table_names(con.connection.driver_connection, schema))


def ingest_jobs_folder(app, job_id: str) -> Path:
    return Path(app.config["QUARANTINE_DIR"]) / ".jobs" / job_id
