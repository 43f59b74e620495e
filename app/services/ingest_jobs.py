"""Ingest jobs: an upload is stored at once and read by a worker; its row says how far it is.

The life of a job: `submit` (the door's request) moves the received file to the job's
private folder (<quarantine>/.jobs/<job id>/), writes the row (queued) and puts its id on
the queue (services/job_queue.py). A worker `claim`s it (running, one attempt more), reads
it (services/ingest_run.py) while a heartbeat thread writes its progress to the row, and
marks it done in the same transaction that records the version, or failed with the reason.

A worker killed mid-job (kill -9, a lost machine) commits nothing: its table was being
written in a staging folder no row names. Its job stays "running" with a heartbeat that
stops; `reap` (at a worker's start, and whenever someone reads the job's status) queues it
again while attempts remain (INGEST_MAX_ATTEMPTS), else marks it failed with a message.
"""
from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from .. import db
from ..ingest.messages import render
from ..ingest.model import Note
from ..ingest.privacy import mask_finding, mask_text
from ..models import Dataset, IngestJob, Resource, new_id, utcnow
from ..storage import Incoming, quarantine as quarantine_store, stale_entries
from . import job_queue
from .errors import NotFound, Unavailable
from .permissions import Actor, may_follow_upload

log = logging.getLogger("portal.jobs")

FINAL = ("done", "failed")


def jobs_root() -> Path:
    """The folder of received uploads waiting for (or being read by) a worker: private, as the
    quarantine it lives in (nobody has scanned those bytes yet)."""
    return quarantine_store().root / ".jobs"


def job_dir(job_id: str) -> Path:
    return jobs_root() / job_id


def submit(actor: Actor, incoming: Incoming, filename: str, params: dict[str, Any], *,
           dataset_id: str | None = None) -> IngestJob:
    """Keep a received upload for a worker: its folder, its row (queued), its id on the queue."""
    job_id = new_id()
    folder = job_dir(job_id)
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.replace(incoming.path, folder)
    try:
        with db.transaction() as s:
            job = IngestJob(id=job_id, creator_id=actor.id if actor else None, filename=filename,
                            sha256=incoming.sha256, params=params, locale=str(get_locale() or "id"),
                            dataset_id=dataset_id, bytes_total=incoming.size)
            s.add(job)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        job_queue.start_in_process()
        job_queue.queue().enqueue(job_id)
    except Exception:  # noqa: BLE001 - the queue's server is down: say so, keep nothing
        log.exception("ingest job %s could not be queued", job_id)
        with db.transaction() as s:
            s.execute(update(IngestJob).where(IngestJob.id == job_id).values(state="running")
                      .execution_options(synchronize_session=False))
        message = str(_l("The queue of uploads cannot be reached; the upload was not stored. Try again later, "
                         "or tell the operator."))
        fail(job_id, "error", message=message, errors={"upload": [message]})
        raise Unavailable(message) from None
    return job


def stage(job: IngestJob) -> Incoming:
    """A staging folder for one attempt at reading the job's file: the original linked in (no
    copy of the bytes), the table written beside it, the folder installed in one rename.

    The job's own folder keeps the original until the job is final, so an attempt killed
    after the rename but before its commit leaves the next attempt its file.
    """
    folder = job_dir(job.id)
    original = next((p for p in folder.iterdir() if p.name.startswith("original")), None) if folder.is_dir() else None
    if original is None:
        raise FileNotFoundError(folder)
    hold = quarantine_store()
    hold.staging.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = hold.staging / new_id().replace("-", "")
    staging.mkdir(mode=0o700)
    target = staging / original.name
    try:
        os.link(original, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(original, target)
    return Incoming(staging, target, job.sha256, job.bytes_total)


def claim(job_id: str) -> IngestJob | None:
    """Take a queued job for this worker (None if another took it, or it is final)."""
    now = utcnow()
    with db.transaction() as s:
        taken = s.execute(update(IngestJob).where(IngestJob.id == job_id, IngestJob.state == "queued")
                          .values(state="running", attempts=IngestJob.attempts + 1, heartbeat=now,
                                  started=now, message="", rows_read=0, bytes_read=0, findings=[])
                          .execution_options(synchronize_session=False)).rowcount
    if not taken:
        return None
    return s.get(IngestJob, job_id, populate_existing=True)


def mark_done(s, job_id: str, *, dataset_id: str, resource_id: str, version_id: str, rows: int,
              unchanged: bool = False) -> None:
    """Record the job's outcome inside the transaction that records the version."""
    s.execute(update(IngestJob).where(IngestJob.id == job_id)
              .values(state="done", dataset_id=dataset_id, resource_id=resource_id, version_id=version_id,
                      rows_read=rows, bytes_read=IngestJob.bytes_total, unchanged=unchanged,
                      finished=utcnow(), heartbeat=utcnow(), message="")
              .execution_options(synchronize_session=False))


def done(job_id: str) -> None:
    """After the commit that made the job done: its folder goes (the version holds the file)."""
    shutil.rmtree(job_dir(job_id), ignore_errors=True)


def fail(job_id: str, kind: str, *, errors: dict[str, list[str]] | None = None, message: str = "",
         findings: list[dict[str, Any]] | None = None) -> None:
    """Mark a running job failed, saying why (in the uploader's language); drop its file."""
    lines = [m for ms in (errors or {}).values() for m in ms]
    with db.transaction() as s:
        s.execute(update(IngestJob).where(IngestJob.id == job_id, IngestJob.state == "running")
                  .values(state="failed", message=message or (lines[0] if lines else ""),
                          error={"kind": kind, "errors": errors or {}, "findings": findings or []},
                          findings=findings or [], finished=utcnow())
                  .execution_options(synchronize_session=False))
    shutil.rmtree(job_dir(job_id), ignore_errors=True)


def retry_later(job_id: str) -> bool:
    """After an unexpected error: queue the job again while attempts remain (huey delivers it
    again); True if it will be retried, else it is marked failed."""
    job = db.session().get(IngestJob, job_id, populate_existing=True)
    if job.attempts < current_app.config["INGEST_MAX_ATTEMPTS"]:
        with db.transaction() as s:
            s.execute(update(IngestJob).where(IngestJob.id == job_id, IngestJob.state == "running")
                      .values(state="queued", message=str(_l("Reading failed; trying again.")))
                      .execution_options(synchronize_session=False))
        return True
    fail(job_id, "error", message=str(_l("The file could not be read because of an error on the server. "
                                          "Upload it again; if it fails again, tell the operator.")))
    return False


class Progress:
    """How far a job's reading is, written to its row by a heartbeat thread every
    INGEST_HEARTBEAT_S (the row's heartbeat says the worker is alive)."""

    def __init__(self, job_id: str, total: int) -> None:
        self.job_id = job_id
        self.total = total
        self.rows = 0
        self.bytes = 0
        self.findings: list[dict[str, Any]] | None = None
        self._engine: Engine = db.engine()
        self._every = float(current_app.config["INGEST_HEARTBEAT_S"])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"ingest-beat-{job_id[:8]}", daemon=True)

    def start(self) -> "Progress":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _beat(self) -> None:
        while not self._stop.wait(self._every):
            values: dict[str, Any] = {"heartbeat": utcnow(), "rows_read": self.rows,
                                      "bytes_read": min(self.bytes, self.total)}
            if self.findings is not None:
                values["findings"] = self.findings
            try:
                with self._engine.begin() as con:
                    con.execute(update(IngestJob).where(IngestJob.id == self.job_id, IngestJob.state == "running")
                                .values(**values))
            except Exception:  # noqa: BLE001 - a missed beat is logged; the next one may pass
                log.exception("could not record the progress of ingest job %s", self.job_id)


def reap(job_id: str | None = None) -> int:
    """Jobs whose worker stopped (heartbeat older than INGEST_STALE_S): queued again while
    attempts remain, else failed with a message. Returns how many were reaped."""
    config = current_app.config
    cutoff = utcnow() - timedelta(seconds=config["INGEST_STALE_S"])
    s = db.session()
    query = select(IngestJob).where(IngestJob.state == "running", IngestJob.heartbeat < cutoff)
    if job_id is not None:
        query = query.where(IngestJob.id == job_id)
    stale = list(s.scalars(query))
    reaped = 0
    for job in stale:
        again = job.attempts < config["INGEST_MAX_ATTEMPTS"]
        with force_locale(job.locale):
            if again:
                message = str(_l("The worker reading this file stopped; it is read again."))
            else:
                message = str(_l("The worker reading this file stopped %(n)d times; the upload was not stored. "
                                 "Upload it again, or ask the operator to check the worker.", n=job.attempts))
        values: dict[str, Any] = {"state": "queued", "message": message} if again else {
            "state": "failed", "message": message, "finished": utcnow(),
            "error": {"kind": "worker_stopped", "errors": {"upload": [message]}, "findings": []}}
        with db.transaction() as tx:
            # Only one reaper wins a job: the heartbeat must still be the stale one it read.
            won = tx.execute(update(IngestJob).where(IngestJob.id == job.id, IngestJob.state == "running",
                                                     IngestJob.heartbeat == job.heartbeat)
                             .values(**values).execution_options(synchronize_session=False)).rowcount
        if not won:
            continue
        reaped += 1
        log.warning("ingest job %s: its worker stopped (attempt %d); %s", job.id, job.attempts,
                    "queued again" if again else "failed")
        if again:
            job_queue.queue().enqueue(job.id)
        else:
            shutil.rmtree(job_dir(job.id), ignore_errors=True)
    return reaped


def requeue_waiting() -> int:
    """Put every queued job's id on the queue again (a worker's start: a queue emptied or lost
    meanwhile loses no upload; a job delivered twice is claimed once)."""
    ids = list(db.session().scalars(select(IngestJob.id).where(IngestJob.state == "queued")))
    for job_id in ids:
        job_queue.queue().enqueue(job_id)
    return len(ids)


def wait(job_id: str, timeout: float | None = None) -> IngestJob:
    """Wait until the job is done or failed (or `timeout` seconds pass); return its row as
    committed, with the caller's session refreshed to see what the worker wrote."""
    deadline = None if timeout is None else time.monotonic() + timeout
    delay = 0.01
    stale_after = float(current_app.config["INGEST_STALE_S"])
    checked = time.monotonic()
    eng = db.engine()
    while True:
        with eng.connect() as con:
            state = con.execute(select(IngestJob.state).where(IngestJob.id == job_id)).scalar_one()
        if state in FINAL or (deadline is not None and time.monotonic() > deadline):
            break
        if state == "running" and time.monotonic() - checked > stale_after / 2:
            checked = time.monotonic()
            reap(job_id)
            db.session().rollback()
        time.sleep(delay)
        delay = min(delay * 1.5, 0.25)
    s = db.session()
    s.commit()  # end any snapshot the caller's session holds (services leave nothing pending in it)
    job = s.get(IngestJob, job_id, populate_existing=True)
    _reload_targets(s, job)
    return job


def _reload_targets(s, job: IngestJob) -> None:
    """Bring the caller's loaded copies of the job's dataset and resources up to what the worker
    committed (its new resource, version, times), as if the caller had written them itself.

    Reloaded at once, not expired: a caller may read them after its session has closed."""
    if not job.dataset_id:
        return
    for obj in list(s.identity_map.values()):
        if isinstance(obj, Dataset) and obj.id == job.dataset_id:
            s.refresh(obj)
            s.refresh(obj, ["resources"])
        elif isinstance(obj, Resource) and obj.dataset_id == job.dataset_id:
            s.refresh(obj)
            s.refresh(obj, ["versions"])


def get(actor: Actor, job_id: str) -> IngestJob:
    """A job its uploader (or a system administrator) follows; NotFound for anyone else.

    A job whose worker stopped is reaped here first, so its page never stays "running".
    """
    s = db.session()
    job = s.get(IngestJob, job_id) if job_id else None
    if job is None or not may_follow_upload(actor, job.creator_id):
        raise NotFound(_l("Upload not found."))
    if job.state == "running" and reap(job_id):
        job = s.get(IngestJob, job_id, populate_existing=True)
    return job


def status(actor: Actor, job_id: str) -> dict[str, Any]:
    """A job as its progress page and the API show it (messages in the reader's language)."""
    job = get(actor, job_id)
    return as_dict(job)


def as_dict(job: IngestJob) -> dict[str, Any]:
    ds = db.session().get(Dataset, job.dataset_id) if job.dataset_id else None
    if job.state == "done":
        percent = 100
    elif job.bytes_total and job.state == "running":
        percent = min(99, job.bytes_read * 100 // job.bytes_total)
    else:
        percent = 0
    error = job.error or {}
    return {
        "id": job.id,
        "state": job.state,
        "filename": job.filename,
        "dataset": ds.name if ds is not None else None,
        "package_id": job.dataset_id,
        "resource_id": job.resource_id,
        "version_id": job.version_id,
        "unchanged": job.unchanged,
        "rows_read": job.rows_read,
        "bytes_read": job.bytes_total if job.state == "done" else job.bytes_read,
        "bytes_total": job.bytes_total,
        "percent": percent,
        "findings": [finding_line(f) for f in job.findings or []],
        "message": job.message,
        "errors": error.get("errors") or {},
        "attempts": job.attempts,
        "created": _iso(job.created),
        "started": _iso(job.started),
        "finished": _iso(job.finished),
    }


def finding_line(finding: dict[str, Any]) -> str:
    """One (already masked) finding in the reader's language."""
    reason = mask_finding(finding).get("reason") or {}
    return mask_text(render(Note(reason.get("code", ""), reason.get("params") or {})))


def for_actor(actor: Actor, limit: int = 10) -> list[IngestJob]:
    """The actor's own uploads of the last week, newest first (the dashboard lists them)."""
    if actor is None:
        return []
    since = utcnow() - timedelta(days=7)
    return list(db.session().scalars(
        select(IngestJob).where(IngestJob.creator_id == actor.id, IngestJob.created >= since)
        .order_by(IngestJob.created.desc()).limit(limit)))


def leftover_folders(older_than: float) -> list[Path]:
    """Job folders no waiting or running job names (a process stopped between its steps)."""
    folders = stale_entries(jobs_root(), older_than)
    if not folders:
        return []
    live = set(db.session().scalars(select(IngestJob.id).where(IngestJob.state.in_(("queued", "running")))))
    return [p for p in folders if p.name not in live]


def _iso(value) -> str | None:
    return value.isoformat() + "Z" if value is not None else None
