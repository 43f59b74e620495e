"""What a worker does with one ingest job: read the received file, scan it, build its table,
and record it (and the new dataset, if any) in one transaction that also marks the job done.

The same reading as an upload always had (services/resources.py `_read`); only its place
changed: a worker's thread or process, not the request that received the file.
"""
from __future__ import annotations

import logging
import time
import uuid
from pathlib import Path
from typing import Any

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import db
from ..ingest.privacy import mask_finding, mask_text
from ..models import Dataset, IngestJob, Resource, ResourceVersion, User, utcnow
from ..storage import Incoming, file_store, quarantine as quarantine_store
from . import datasets, datastore, ingest_jobs, quarantine, search
from .activity import record
from .errors import NotAuthorized, NotFound, ValidationError
from .permissions import Actor
from .resources import (
    PersonalDataFound,
    UploadResult,
    _next_number,
    _options,
    _options_dict,
    _position,
    _read,
    finding_text,
    same_upload,
)

log = logging.getLogger("portal.resources")

FINDINGS_EVERY_S = 3.0  # how often the findings so far are worked out (the scanner's summary costs)


class ReadingProgress:
    """A row inspector counting what the reader has read, for the job's heartbeat.

    Bytes are estimated from the rows' text (a CSV's bytes are about its cells' characters plus
    the separators); the scanner's findings so far are summarised every few seconds.
    """

    def __init__(self, progress: ingest_jobs.Progress) -> None:
        self.progress = progress
        self.scanner = None
        self._row_bytes = 0.0
        self._next_findings = time.monotonic() + FINDINGS_EVERY_S

    def watching(self, scanner) -> "ReadingProgress":
        self.scanner = scanner
        return self

    def start(self, columns) -> None:
        pass

    def feed(self, row) -> None:
        self.feed_many([row], None)

    def feed_many(self, rows, columns) -> None:
        p = self.progress
        if not self._row_bytes and rows:
            sample = rows[:200]
            self._row_bytes = sum(sum(len(str(v)) + 1 for v in r) + 1 for r in sample) / len(sample)
        p.rows += len(rows)
        p.bytes = int(p.rows * self._row_bytes)
        if self.scanner is not None and time.monotonic() >= self._next_findings:
            self._next_findings = time.monotonic() + FINDINGS_EVERY_S
            p.findings = [mask_finding(f.as_dict()) for f in self.scanner.findings()]


def run(job_id: str) -> None:
    """Read one queued job (the queue's task); a job another worker took is left alone."""
    job = ingest_jobs.claim(job_id)
    if job is None:
        return
    with force_locale(job.locale):
        _run(job)


def _run(job: IngestJob) -> None:
    progress = ingest_jobs.Progress(job.id, job.bytes_total).start()
    try:
        result = _read_job(job, ReadingProgress(progress))
    except PersonalDataFound as exc:
        ingest_jobs.fail(job.id, "personal_data", errors=exc.errors, findings=exc.findings)
    except ValidationError as exc:
        ingest_jobs.fail(job.id, "validation", errors=exc.errors)
    except NotFound as exc:
        ingest_jobs.fail(job.id, "not_found", message=str(exc.message), errors={"upload": [str(exc.message)]})
    except NotAuthorized as exc:
        ingest_jobs.fail(job.id, "not_authorized", message=str(exc.message), errors={"upload": [str(exc.message)]})
    except FileNotFoundError:
        message = str(_l("The received file is gone (removed from the server): upload it again."))
        ingest_jobs.fail(job.id, "error", message=message, errors={"upload": [message]})
    except Exception:
        db.session().rollback()
        log.exception("ingest job %s failed (attempt %d)", job.id, job.attempts)
        if ingest_jobs.retry_later(job.id):
            raise  # huey delivers the task again after its retry delay
    else:
        ingest_jobs.done(job.id)
        datastore.queue_page_keys(result.version.table_file)
        log.info("ingest job %s done: %s v%d, %d rows", job.id, result.resource.id, result.version.number,
                 result.version.row_count)
    finally:
        progress.stop()


def _read_job(job: IngestJob, progress: ReadingProgress) -> UploadResult:
    s = db.session()
    actor = s.get(User, job.creator_id) if job.creator_id is not None else None
    if actor is None:
        raise NotAuthorized(_l("The account that uploaded this file no longer exists."))
    p = job.params or {}
    ds = resource = new_dataset = None
    if p.get("new_dataset") is not None:
        new_dataset = datasets.prepare_new(actor, p["new_dataset"])  # the rights and the name, again
    else:
        ds = datasets.for_update(actor, job.dataset_id)
        if p.get("resource_id"):
            resource = next((r for r in ds.resources if r.id == p["resource_id"]), None)
            if resource is None:
                raise NotFound(_l("Resource not found."))
    incoming = ingest_jobs.stage(job)
    try:
        return ingest(actor, job, incoming, ds=ds, new_dataset=new_dataset, resource=resource, name=p.get("name"),
                      description=p.get("description") or "", options=p.get("options"),
                      keep_blocked=p.get("keep_blocked", True), reuse_unchanged=p.get("reuse_unchanged", False),
                      progress=progress)
    finally:
        incoming.discard()  # gone already when it was installed


def ingest(actor: Actor, job: IngestJob, incoming: Incoming, *, ds: Dataset | None = None,
           new_dataset: dict[str, Any] | None = None, resource: Resource | None = None, name: str | None = None,
           description: str = "", options: dict[str, Any] | None = None, keep_blocked: bool = True,
           reuse_unchanged: bool = False, progress: ReadingProgress | None = None) -> UploadResult:
    """Read and scan a staged file, then record it (and the new dataset, if any) and the job's
    outcome in one transaction."""
    filename = job.filename
    target = ds.name if ds is not None else new_dataset["name"]
    opts = _options(options)
    store = file_store()
    if reuse_unchanged and ds is not None:
        same = same_upload(ds, incoming.sha256, opts.sheet, resource.id if resource else None)
        if same is not None:
            with db.transaction() as s:
                ingest_jobs.mark_done(s, job.id, dataset_id=ds.id, resource_id=same.id, version_id=same.current.id,
                                      rows=same.current.row_count, unchanged=True)
            return UploadResult(same, same.current, same.current.review, unchanged=True)
    installed: Path | None = None
    version_id = str(uuid.uuid4())
    savepoint = None
    try:
        # A PostgreSQL table is loaded in this session's transaction, the one that records the
        # version and marks the job done: a worker killed mid-read leaves no table behind.
        table_target, table_file = datastore.new_table(version_id, incoming)
        savepoint = datastore.begin_load()
        facts, findings, small = _read(incoming, filename, opts, table_target, progress)
        if findings and not keep_blocked:
            # Column names can be data (a file without a header row): the log names positions only.
            log.warning("upload of %s to %s refused: personal data (%s)", filename, target,
                        "; ".join(f"{_position(facts, f['column'])}: {f['kind']}" for f in findings))
            raise PersonalDataFound(findings)
        blocked = bool(findings)
        if blocked:  # the database keeps no raw cell of it; the files go to quarantine
            facts = quarantine.masked_facts(facts, findings)
            findings, small = quarantine.masked_findings(findings), quarantine.masked_small_cells(small)
        with db.transaction() as s:
            if ds is None:
                ds = datasets.add_new(s, actor, new_dataset)
            if resource is None:
                position = s.scalar(select(func.count()).select_from(Resource).where(Resource.dataset_id == ds.id))
                resource = Resource(name=name or Path(filename).stem, description=description,
                                    position=position or 0)
                ds.resources.append(resource)
                s.flush()
                number = 1
            else:
                number = _next_number(s, resource)
                if name:
                    resource.name = name
                store.clear_leftover(resource.id, number)
            version = ResourceVersion(
                id=version_id, table_file=table_file,
                number=number, filename=filename, format=facts["format"],
                sha256=incoming.sha256, size=incoming.size, row_count=facts["row_count"],
                columns=facts["columns"], review=facts["review"], options=_options_dict(opts),
                summary=facts["summary"], findings=findings, small_cells=small,
                privacy_status="blocked" if findings else "ok",
                original_public=facts["original_public"] and not findings,
                storage="quarantine" if blocked else "public",
                creator_id=actor.id if actor else None,
            )
            resource.versions.insert(0, version)  # newest first, as the relationship orders them
            resource.modified = utcnow()
            ds.modified = utcnow()
            s.flush()
            installed = (quarantine_store().install(incoming, version.id) if blocked
                         else store.install(incoming, resource.id, number))
            record(s, actor, "upload", "resource", resource.id, ds.id, version=number, filename=filename,
                   rows=facts["row_count"], findings=len(findings))
            if findings:
                log.warning("upload %s v%d blocked: %s", resource.id, number,
                            "; ".join(mask_text(finding_text(f)) for f in findings))
            search.reindex(ds)
            ingest_jobs.mark_done(s, job.id, dataset_id=ds.id, resource_id=resource.id, version_id=version.id,
                                  rows=facts["row_count"])
    except BaseException:
        datastore.abandon(savepoint)
        if installed is not None:
            store.remove(installed)
        raise
    return UploadResult(resource, version, facts["review"])


def init_app(app) -> None:
    """Give the app its queue, whose task runs `run`."""
    from . import job_queue

    job_queue.init_app(app, run, datastore.keep_page_keys)
