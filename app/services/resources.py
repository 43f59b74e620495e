"""Resource actions: upload a table (new resource or new version), correct its reading,
override a privacy finding, delete, and open a version's table for reading.

An upload with personal data is kept (for the admin to correct) in the private quarantine,
with only masked values of it in the database (see services/quarantine.py)."""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from .. import db, tables
from ..ingest import read_table
from ..ingest.messages import render
from ..ingest.model import Note, ReadOptions, TableRefused, XlsxLimits
from ..ingest.privacy import (
    PersonalDataScanner,
    mask,
    mask_column,
    mask_finding,
    mask_text,
    rules_stamp,
    small_cell_finding,
)
from ..models import Dataset, IngestJob, Resource, ResourceVersion, utcnow
from ..storage import Incoming, UploadTooLarge, file_store, quarantine as quarantine_store
from ..tables import TableWriter
from . import datasets, ingest_jobs, quarantine, search
from . import datastore
from .tables import open_table
from .activity import record
from .errors import NotFound, Unavailable, ValidationError
from .permissions import (
    Actor,
    can_read_tables,
    can_view,
    require_change,
    require_edit,
    require_sysadmin,
    sees_blocked_uploads,
)

log = logging.getLogger("portal.resources")

ALLOWED_EXTENSIONS = {".csv": "CSV", ".txt": "CSV", ".tsv": "CSV", ".xlsx": "XLSX"}


class PersonalDataFound(ValidationError):
    """Raised to doors that do not keep blocked uploads (API, CLI): carries the masked findings."""

    def __init__(self, findings: list[dict[str, Any]]) -> None:
        self.findings = [mask_finding(f) for f in findings]  # column names can be data too
        lines = [finding_text(f) for f in findings]
        super().__init__({"upload": [str(_l("The file contains personal data and cannot be published."))] + lines})

    @classmethod
    def stored(cls, errors: dict[str, list[str]], findings: list[dict[str, Any]]) -> "PersonalDataFound":
        """The refusal as a job recorded it (findings already masked, messages already written)."""
        exc = cls.__new__(cls)
        ValidationError.__init__(exc, errors)
        exc.findings = findings
        return exc


def finding_text(finding: dict[str, Any]) -> str:
    """A finding in the user's language; examples are already masked."""
    reason = mask_finding(finding)["reason"]  # column names can be data (a file without a header row)
    return mask_text(render(Note(reason.get("code", ""), reason.get("params") or {})))


@dataclass
class UploadResult:
    resource: Resource
    version: ResourceVersion
    review: dict[str, Any]
    unchanged: bool = False  # the same file was already there: nothing was added
    job_id: str | None = None  # the ingest job that read it

    @property
    def blocked(self) -> bool:
        return not self.version.publishable

    def as_review(self) -> dict[str, Any]:
        """The parse review as the CLI prints it."""
        return {
            "dataset": self.resource.dataset.name,
            "resource": self.resource.id,
            "version": self.version.number,
            "rows": self.version.row_count,
            "columns": [{"name": c["name"], "type": c["type"]} for c in self.version.columns],
            "skipped": self.version.review.get("skipped", []),
            "findings": self.version.findings,
            "small_cells": self.version.small_cells,
            "status": self.version.privacy_status,
            "unchanged": self.unchanged,
        }


def _options(raw: dict[str, Any] | None) -> ReadOptions:
    raw = dict(raw or {})
    opts = ReadOptions(
        sheet=raw.get("sheet") or None,
        header_row=int(raw["header_row"]) if raw.get("header_row") else None,
        column_types=dict(raw.get("column_types") or {}),
        drop_columns=list(raw.get("drop_columns") or []),
    )
    opts.max_bytes = current_app.config["MAX_CONTENT_LENGTH"]
    opts.xlsx_limits = XlsxLimits(**current_app.config.get("XLSX_LIMITS") or {})
    return opts


def _read(incoming: Incoming, filename: str, options: ReadOptions,
          target=None, progress: Any = None) -> tuple[dict[str, Any], list[dict], dict]:
    """Parse the staged file, scan it for personal data and small cells, build its table
    (in `target`, see `datastore.new_table`; by default a SQLite file in the staging folder).

    `progress` (services/ingest_run.py) sees the rows as they are read, and the scanner."""
    target = incoming.table if target is None else target
    scanner = PersonalDataScanner()
    inspectors = [scanner] if progress is None else [scanner, progress.watching(scanner)]
    with TableWriter(target) as writer:
        try:
            parsed = read_table(incoming.original, filename, options, inspectors=inspectors, sink=writer)
        except TableRefused as refused:
            raise ValidationError({"upload": [render(refused.note)]}) from None
        columns = [c.as_dict() for c in parsed.columns]
        built = writer.finish(columns, small_cell_threshold=current_app.config["SMALL_CELL_THRESHOLD"])
    findings = [f.as_dict() for f in scanner.findings()]
    review = parsed.review(sample=0)
    review["privacy_rules"] = rules_stamp()
    review.pop("first_rows", None)
    withheld = _original_withheld(scanner, parsed)
    if withheld is not None:
        review.setdefault("notes", []).append(withheld.as_dict())
    small = _small_cells(target, columns)
    small["suppression"] = built["suppression"]
    return {"columns": columns, "review": review, "row_count": built["row_count"], "summary": built["summary"],
            "format": (parsed.format or "CSV").upper(), "original_public": withheld is None}, findings, small


def _original_withheld(scanner: PersonalDataScanner, parsed) -> Note | None:
    """Why the uploaded file itself must stay private although its table may be published.

    Only the table was scanned cell by cell: identifiers in a title or note row, or any
    other sheet of a workbook, would reach the public through the original file.
    """
    outside = scanner.outside_findings()
    if outside:
        return Note("original_withheld_outside", {
            "rows": ", ".join(str(o["row"]) for o in outside),
            "examples": ", ".join(o["example"] for o in outside)})
    others = [s for s in (parsed.sheets or []) if s != parsed.sheet]
    if others:
        return Note("original_withheld_sheets", {"sheet": parsed.sheet, "sheets": ", ".join(others)})
    return None


def _small_cells(table_path, columns: list[dict[str, Any]]) -> dict[str, Any]:
    """Count columns' cells between 1 and the threshold, from the table's own indexes.

    The columns are those the suppression plans protect (`Table.count_columns`): row
    numbers, months, codes, percentages, averages and money are no counts of people.
    """
    threshold = current_app.config["SMALL_CELL_THRESHOLD"]
    found = {}
    with tables.Table(table_path) as table:
        for name in table.count_columns():
            count, total, rows = table.small_cells(name, threshold)
            if count:
                found[name] = small_cell_finding(name, count, total, rows, threshold).as_dict()
    return {"threshold": threshold, "columns": found}


def _position(facts: dict[str, Any], column: str) -> str:
    names = [c["name"] for c in facts.get("columns") or []]
    return f"column #{names.index(column) + 1}" if column in names else "column"


def same_upload(ds: Dataset, sha256: str, sheet: str | None = None,
                resource_id: str | None = None) -> Resource | None:
    """The resource of `ds` (or only `resource_id`) whose current version is a clean reading
    of the file with this sha256, from the same sheet: uploading that file again adds nothing."""
    for resource in ds.resources:
        if resource_id and resource.id != resource_id:
            continue
        current = resource.current
        # A blocked reading is not reused: the same bytes are scanned again and refused as such.
        # Nor one made under other privacy rules: the same bytes may hold what today's rules find.
        if (current is not None and current.sha256 == sha256 and current.publishable
                and (current.options or {}).get("sheet") == sheet
                and (current.review or {}).get("privacy_rules") == rules_stamp()):
            return resource
    return None


def upload(actor: Actor, dataset_ref: str, stream: BinaryIO, filename: str, *, resource_id: str | None = None,
           name: str | None = None, description: str = "", options: dict[str, Any] | None = None,
           keep_blocked: bool = True, reuse_unchanged: bool = False, wait: bool = True) -> UploadResult | IngestJob:
    """Store an uploaded table as a new resource, or as a new version of `resource_id`.

    The file is received at once and read by a worker (services/ingest_run.py): read,
    scanned for personal data and loaded into a typed table before anything is recorded.
    With personal data found, the upload is kept as a blocked (never public) version when
    `keep_blocked`, so the admin can drop the offending columns; otherwise nothing is stored
    and PersonalDataFound is raised. With `reuse_unchanged`, a file the dataset already holds
    (see `same_upload`) is not stored again: the result names the existing resource and
    version, with `unchanged` set. With `wait` false, the job (services/ingest_jobs.py) is
    returned as soon as the file is stored; else the reading's result, or its refusal.
    """
    ds = datasets.for_update(actor, dataset_ref)
    if resource_id and not any(r.id == resource_id for r in ds.resources):
        raise NotFound(_l("Resource not found."))
    params = {"resource_id": resource_id, "name": name, "description": description, "options": options or {},
              "keep_blocked": keep_blocked, "reuse_unchanged": reuse_unchanged}
    job = _submit(actor, stream, filename, params, dataset_id=ds.id)
    return outcome(job.id) if wait else job


def upload_new_dataset(actor: Actor, stream: BinaryIO, filename: str, metadata: dict[str, Any] | None = None, *,
                       name: str | None = None, options: dict[str, Any] | None = None,
                       keep_blocked: bool = True, wait: bool = True) -> UploadResult | IngestJob:
    """Make a draft dataset of one uploaded file (`metadata` as for `datasets.create`; the title
    defaults to the file's name, `name` names the table).

    The metadata and the actor's rights are checked before the file is stored, and again
    when the worker has read and scanned it; the dataset, its table and their activity are
    then written in one transaction. A file refused for personal data (with `keep_blocked`
    false) or for its form therefore leaves no dataset row behind; with `keep_blocked`, the
    draft holds the blocked upload for the admin to correct, and is never public. `wait` as
    for `upload`.
    """
    data = dict(metadata or {})
    if not data.get("title"):
        data["title"] = _title_from_filename(filename)
    data = {k: v for k, v in data.items() if v is not None}
    datasets.prepare_new(actor, data)  # refused now, not after the reading
    params = {"new_dataset": data, "name": name, "options": options or {}, "keep_blocked": keep_blocked}
    job = _submit(actor, stream, filename, params)
    return outcome(job.id) if wait else job


def quick_outcome(job: IngestJob) -> UploadResult | None:
    """The outcome of a form's upload if the reading ends within INGEST_FORM_WAIT_S (a small
    file goes straight to its review, or back to the form with its refusal); else None (the
    admin follows it on its progress page)."""
    return outcome(job.id, timeout=current_app.config["INGEST_FORM_WAIT_S"])


def _submit(actor: Actor, stream: BinaryIO, filename: str, params: dict[str, Any], *,
            dataset_id: str | None = None) -> IngestJob:
    """Receive a file into the private staging folder and queue it for a worker."""
    filename = Path(filename or "upload.csv").name
    ext = Path(filename).suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError({"upload": [str(_l("Only CSV and XLSX files can be uploaded."))]})
    max_bytes = _options(params.get("options")).max_bytes
    try:
        incoming = file_store().receive(stream, ext, max_bytes)
    except UploadTooLarge as exc:
        raise ValidationError({"upload": [str(_l("The file is larger than %(mb)d MB.", mb=exc.limit // (1024 * 1024)))]}) from None
    try:
        return ingest_jobs.submit(actor, incoming, filename, params, dataset_id=dataset_id)
    except BaseException:
        incoming.discard()
        raise


def outcome(job_id: str, timeout: float | None = None) -> UploadResult | None:
    """Wait for an upload's job (at most `timeout` seconds: None if it is still being read then);
    its result, or the refusal the reading ended with."""
    job = ingest_jobs.wait(job_id, timeout)
    if job.state in ("queued", "running"):
        return None
    if job.state != "done":
        error = job.error or {}
        errors = error.get("errors") or {"upload": [job.message]}
        if error.get("kind") == "personal_data":
            raise PersonalDataFound.stored(errors, error.get("findings") or [])
        if error.get("kind") == "not_found":
            raise NotFound(job.message)
        if error.get("kind") in ("worker_stopped", "error"):
            raise Unavailable(job.message)
        raise ValidationError(errors)
    s = db.session()
    resource, version = s.get(Resource, job.resource_id), s.get(ResourceVersion, job.version_id)
    return UploadResult(resource, version, version.review, unchanged=job.unchanged, job_id=job.id)


def _lock(s, resource: Resource) -> None:
    """Take the resource's write lock until the transaction ends (an UPDATE: PostgreSQL locks
    the row, SQLite the database), and read its versions again under it."""
    s.execute(update(Resource).where(Resource.id == resource.id).values(modified=utcnow())
              .execution_options(synchronize_session=False))
    s.refresh(resource, attribute_names=["versions"])


def _next_number(s, resource: Resource) -> int:
    """The number of a new version of `resource`, taken under its lock: concurrent uploads each
    get their own, and a folder under that number can only be a killed upload's leftover."""
    _lock(s, resource)
    return max((v.number for v in resource.versions), default=0) + 1


def _title_from_filename(filename: str) -> str:
    stem = Path(filename or "").stem
    return stem.replace("_", " ").replace("-", " ").strip().title() or "Dataset"


def _options_dict(opts: ReadOptions) -> dict[str, Any]:
    return {"sheet": opts.sheet, "header_row": opts.header_row, "column_types": opts.column_types,
            "drop_columns": opts.drop_columns}


@dataclass
class Review:
    """What the review page shows of one upload: a clean table as it is, the values of
    one blocked for personal data masked."""
    version: ResourceVersion
    first_rows: tables.Page
    column_notes: dict[str, str]
    skipped: list[dict[str, Any]]
    findings: list[str]
    labels: dict[str, str]  # column name -> how the review shows it (masked when it holds personal data)
    dropped: list[str]  # the dropped columns, shown the same way
    purged: bool = False  # the files of this blocked upload were purged: nothing to read again


def review(actor: Actor, version_id: str, limit: int = 10) -> Review:
    """The parse review of an upload for its organization, with personal data masked.

    Masking is for personal-data findings only: the organization reads a clean table
    (and one whose findings were overridden) exactly as it is, small counts included.
    """
    version = version_for_update(actor, version_id)
    blocked = not version.publishable
    flagged = {f["column"]: f["kind"] for f in version.findings} if blocked else {}
    # The table holds the real column names, the version row their masked labels: match by position.
    kinds = [flagged.get(c["name"]) for c in version.columns]

    def shown(i: int, value: Any) -> Any:
        if value is None or not blocked:
            return value
        if i < len(kinds) and kinds[i]:
            return mask(str(value), kinds[i])
        if isinstance(value, str) or (isinstance(value, int) and abs(value) >= 10**8):
            masked = mask_text(str(value))
            return masked if masked != str(value) else value
        return value

    if version.purged:
        page = tables.Page(columns=[], rows=[], next_token=None, prev_token=None, total=0)
    else:
        with open_table(version, actor) as table:
            page = table.page(tables.Query(limit=limit))
    page.rows = [[shown(i, v) for i, v in enumerate(row)] for row in page.rows]
    # Notes and rows left out of the table are text: their identifiers are masked even in a clean
    # table (a note row can name a person, and the original stays private for it); numbers stay as they are.
    masked = mask_text
    notes = {}
    for c in version.columns:
        if c.get("reason"):
            params = dict(c["reason"].get("params") or {})
            example = str(params.get("example", ""))
            if c["name"] in flagged and example and "*" not in example:  # stored unmasked by an older portal
                params["example"] = mask(example, flagged[c["name"]])
            notes[c["name"]] = masked(render(Note(c["reason"].get("code", ""), params)))
    skipped = [{"row": r.get("row"), "kind": r.get("kind"),
                "values": [masked(v) for v in r.get("values") or [] if v]}
               for r in (version.review or {}).get("skipped", [])]
    labels = {c["name"]: column_label(c["name"]) for c in version.columns}
    # `label` too: the table's header shows a column's label, and the review's is the masked one
    page.columns = [dict(c, name=(shown := labels.get(c["name"], column_label(c["name"]))), label=shown)
                    for c in page.columns]
    dropped = [_dropped_label(ref) for ref in version.options.get("drop_columns") or []]
    return Review(version, page, notes, skipped, [finding_text(f) for f in version.findings], labels, dropped,
                  purged=version.purged)


def column_label(name: str) -> str:
    """A column name as the review shows it (see `mask_column`)."""
    return mask_column(name)


def _dropped_label(ref: str) -> str:
    if ref.startswith("#") and ref[1:].isdigit():
        return str(_l("column %(n)d of the file", n=int(ref[1:]) + 1))
    return column_label(ref)


def _column_refs(version: ResourceVersion, refs) -> list[str]:
    """Column references from the review form: `#<position>` (the form never carries a name, which may
    hold personal data), or a name (API, CLI).

    A blocked version's row keeps masked names only, so its columns are passed to the reader by their
    place in the file's header (`#<source>`); a clean one's by name.
    """
    columns = version.columns
    by_position = version.storage == "quarantine"
    out = []
    for ref in refs:
        if isinstance(ref, str) and ref.startswith("#") and ref[1:].isdigit():
            if int(ref[1:]) < len(columns):
                column = columns[int(ref[1:])]
                source = column.get("source")
                out.append(f"#{source}" if by_position and source is not None else column["name"])
        else:
            out.append(ref)
    return out


def version_for_update(actor: Actor, version_id: str) -> ResourceVersion:
    """A version (any state, blocked ones included) for its organization's members to review,
    correct or delete; each of those actions checks its own right on top."""
    version = db.session().get(ResourceVersion, version_id)
    if version is None:
        raise NotFound(_l("Resource not found."))
    require_edit(actor, version.resource.dataset.organization_id)
    return version


def reread(actor: Actor, version_id: str, options: dict[str, Any]) -> ResourceVersion:
    """Read a stored upload again with the admin's corrections (header row, types, dropped columns).

    Only types that differ from what was detected are forced, and columns dropped
    before stay dropped (a personal-data column cannot come back by omission). A
    quarantined upload read clean moves to the public data folder; a public one found
    to hold personal data moves to quarantine.
    """
    version = version_for_update(actor, version_id)
    require_change(actor, version.resource.dataset)
    _require_files(version)
    current = {c["name"]: c["type"] for c in version.columns}
    options = dict(options)
    types = options.get("column_types") or {}
    types = dict(zip(_column_refs(version, types.keys()), types.values()))
    options["column_types"] = {k: v for k, v in types.items() if current.get(k) != v}
    dropped = _column_refs(version, options.get("drop_columns") or [])
    options["drop_columns"] = sorted(set(dropped) | set(version.options.get("drop_columns") or []))
    return _read_again(actor, version, _options(options))


def rebuild_table(actor: Actor, version_id: str) -> ResourceVersion:
    """Build a version's typed table again from its stored original, read with the options it
    was read with and scanned again (`portal check --repair`, for a missing or damaged table)."""
    version = version_for_update(actor, version_id)
    _require_files(version)
    return _read_again(actor, version, _options(version.options))


def _require_files(version: ResourceVersion) -> None:
    if version.purged:
        raise ValidationError({"upload": [str(_l(
            "The file of this upload was purged: delete the upload and upload the file again."))]})


def _read_again(actor: Actor, version: ResourceVersion, opts: ReadOptions,
                justification: str | None = None) -> ResourceVersion:
    """Read a version's original again (with `justification`: a sysadmin's override) and put its
    files where its new status belongs: public when publishable, else quarantine.

    The original is read from a staged copy, so the old folder stays whole until the commit;
    it is removed after it, and a folder made for a transaction that failed is removed too.
    """
    resource = version.resource
    ds = resource.dataset
    store, hold = file_store(), quarantine_store()
    source = quarantine.version_dir(version)
    incoming = store.stage_copy(source)
    placed: Path | None = None
    added: Path | None = None
    savepoint = None
    try:
        table_target, new_file = datastore.new_table(version.id, incoming)
        savepoint = datastore.begin_load()
        facts, findings, small = _read(incoming, version.filename, opts, table_target)
        if justification is not None:
            status = "overridden"
        elif findings:
            status = "blocked"
        else:
            status = "ok" if version.privacy_status == "blocked" else version.privacy_status
        target = "public" if status in ("ok", "overridden") else "quarantine"
        if target == "quarantine":
            facts = quarantine.masked_facts(facts, findings)
            findings, small = quarantine.masked_findings(findings), quarantine.masked_small_cells(small)
        with db.transaction() as s:
            version.columns = facts["columns"]
            version.review = facts["review"]
            version.summary = facts["summary"]
            version.row_count = facts["row_count"]
            version.options = _options_dict(opts)
            version.findings = findings
            version.small_cells = small
            version.original_public = version.original_public and facts["original_public"] and not findings
            version.privacy_status = status
            resource.modified = ds.modified = utcnow()
            if justification is None:
                record(s, actor, "reread", "resource", resource.id, ds.id, version=version.number,
                       options=_options_dict(opts), findings=len(findings))
            else:
                record(s, actor, "override", "resource", resource.id, ds.id, version=version.number,
                       justification=justification,
                       findings=[f"{f['column']}:{f['kind']}" for f in findings])
            s.flush()
            s.refresh(resource)
            search.reindex(ds)
            # The old table goes after the commit (kept, and the new one taken back, on a rollback).
            old_table = (datastore.stored_table(version) if datastore.in_database(version.table_file)
                         else store.table_path(source, version.table_file))
            if datastore.in_database(new_file):  # written in this transaction, under a new name
                version.table_file = new_file
                quarantine.remove_after_commit(s, [old_table])
            if target == version.storage:
                if not datastore.in_database(new_file):
                    # The new table file gets a new name; the row points at it from the commit on.
                    new_name = store.add_table(incoming, source)
                    added = store.table_path(source, new_name)
                    version.table_file = new_name
                    quarantine.remove_after_commit(s, [old_table])
                if target == "quarantine":
                    hold.touch(version.id)
            else:
                if target == "public":
                    _lock(s, resource)  # the public folder of a quarantined version can only be a leftover
                    store.clear_leftover(resource.id, version.number)
                placed = (store.install(incoming, resource.id, version.number) if target == "public"
                          else hold.install(incoming, version.id))
                version.storage = target
                quarantine.remove_after_commit(s, [source])
    except BaseException:
        datastore.abandon(savepoint)
        if placed is not None:
            store.remove(placed)
        if added is not None:
            added.unlink(missing_ok=True)
        raise
    finally:
        incoming.discard()
    datastore.queue_page_keys(version.table_file)
    return version


def override(actor: Actor, version_id: str, justification: str) -> ResourceVersion:
    """A sysadmin declares a finding a false positive; the written reason is logged.

    The upload is read again as it was (its summary and notes are kept whole once it is
    public) and its files leave the quarantine for the public data folder.
    """
    require_sysadmin(actor)
    version = version_for_update(actor, version_id)
    justification = (justification or "").strip()
    if len(justification) < 20:
        raise ValidationError({"justification": [str(_l("Explain in at least 20 characters why this is not personal data."))]})
    _require_files(version)
    # The table becomes readable: harvesters see the dataset as modified (_read_again sets it).
    return _read_again(actor, version, _options(version.options), justification=justification)


def delete_version(actor: Actor, version_id: str) -> None:
    """Delete one upload (e.g. one refused for personal data) and its files, quarantined ones at once."""
    version = version_for_update(actor, version_id)
    require_change(actor, version.resource.dataset)
    resource = version.resource
    ds = resource.dataset
    path = quarantine.version_dir(version)
    stored = datastore.stored_table(version)
    number, resource_id = version.number, resource.id  # read now: deleting the last version expires them
    with db.transaction() as s:
        s.delete(version)
        s.flush()
        s.refresh(resource)
        if not resource.versions:
            s.delete(resource)
            s.flush()
            s.refresh(ds)
        ds.modified = utcnow()
        record(s, actor, "delete", "resource_version", version_id, ds.id, resource=resource_id,
               version=number)
        search.reindex(ds)
        quarantine.remove_after_commit(s, [path, stored])


def delete_resource(actor: Actor, resource_id: str) -> None:
    """Delete a resource with all its versions and their files."""
    resource = db.session().get(Resource, resource_id)
    if resource is None:
        raise NotFound(_l("Resource not found."))
    ds = resource.dataset
    require_change(actor, ds)
    paths = [quarantine.version_dir(v) for v in resource.versions if v.storage == "quarantine"]
    paths.append(file_store().resource_dir(resource.id))
    paths += [datastore.stored_table(v) for v in resource.versions]
    with db.transaction() as s:
        s.delete(resource)
        s.flush()
        s.refresh(ds)
        ds.modified = utcnow()
        record(s, actor, "delete", "resource", resource_id, ds.id)
        search.reindex(ds)
        quarantine.remove_after_commit(s, paths)


# -- reading ---------------------------------------------------------------------------------

def show(actor: Actor, resource_id: str, number: int | None = None, *,
         dataset: Dataset | None = None) -> ResourceVersion:
    """The version of a resource the actor may read: the newest publishable one unless `number`
    names another; NotFound otherwise. Pass the `dataset` already looked up to skip a query.

    A version with personal data is never readable, not even by its organization:
    its values are only shown masked, on the review page.
    """
    if dataset is not None:
        resource = next((r for r in dataset.resources if r.id == resource_id), None)
    else:
        resource = db.session().scalar(
            select(Resource).where(Resource.id == resource_id)
            .options(joinedload(Resource.dataset), selectinload(Resource.versions)))
    if resource is None or not can_view(actor, resource.dataset):
        raise NotFound(_l("Resource not found."))
    return _version_to_read(actor, resource.dataset, resource, number)


def readable_in(actor: Actor, ds: Dataset) -> list[Resource]:
    """The dataset's resources that have a version the actor may read, in order."""
    out = []
    for resource in ds.resources:
        try:
            show(actor, resource.id, dataset=ds)
        except NotFound:
            continue
        out.append(resource)
    return out


def for_update(actor: Actor, resource_id: str) -> Resource:
    """A resource the actor may change (add a version to, delete), else NotFound or NotAuthorized."""
    resource = db.session().get(Resource, resource_id)
    if resource is None or not can_view(actor, resource.dataset):
        raise NotFound(_l("Resource not found."))
    require_change(actor, resource.dataset)
    return resource


def _version_to_read(actor: Actor, ds: Dataset, resource: Resource, number: int | None) -> ResourceVersion:
    if not can_read_tables(actor, ds):
        raise NotFound(_l("Resource not found."))
    if number is None:
        version = resource.public_version
    else:
        version = next((v for v in resource.versions if v.number == number), None)
    if version is None or not version.publishable:
        raise NotFound(_l("Resource not found."))
    return version


def version_history(actor: Actor, resource: Resource) -> list[ResourceVersion]:
    """The versions listed on a resource page: blocked uploads only for their organization."""
    if sees_blocked_uploads(actor, resource.dataset):
        return list(resource.versions)
    return [v for v in resource.versions if v.publishable]
