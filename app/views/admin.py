"""The admin door: upload, review, describe, publish; tokens. Every rule is in the services."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..schemas import catalog as catalog_data
from ..services import activity, datasets, ingest_jobs, notes, permissions, resources, users, vocabulary
from ..services.errors import NameTaken, ValidationError
from .requests import actor
from .template_helpers import datetime_local, field_message

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _require_login():
    """Every admin page needs a logged-in user; services decide the rest."""


@bp.after_request
def _redirect_for_a_script(response):
    """A form sent by static/upload.js (XMLHttpRequest, for its progress bar) gets the address a
    redirect leads to as JSON, and goes there itself: XMLHttpRequest would follow the redirect on
    its own and use up the messages flashed for the page it leads to."""
    if response.status_code in (301, 302, 303, 307, 308) and request.headers.get("X-Requested-With") == "XMLHttpRequest":
        answer = jsonify(location=response.location)
        answer.headers["Cache-Control"] = "no-store"
        return answer
    return response


@bp.route("/")
def dashboard():
    return render_template("admin/dashboard.html", mine=datasets.for_actor(actor()),
                           queue=datasets.review_queue(actor()), jobs=ingest_jobs.for_actor(actor()))


def _form_errors(exc: ValidationError) -> None:
    for field, messages in exc.errors.items():
        for message in messages:
            flash(field_message(field, message), "error")


# The upload form's fields (by the service's error keys) and the control each one's error points to;
# an error of any other key is listed above the form only.
UPLOAD_FIELDS = {"upload": "file", "title": "title", "name": "title", "organization": "organization",
                 "topics": "topics", "notes": "notes"}


def _upload_form(status: int = 200, *, errors: dict[str, list[str]] | None = None, filename: str = "",
                 clash: NameTaken | None = None):
    """The upload form; after an error, with what was sent (a file input cannot be kept: its name is),
    each message beside its field and all of them, linked to their fields, above the form."""
    errors = errors or {}
    summary = [(f"#{UPLOAD_FIELDS[f]}" if f in UPLOAD_FIELDS else None, m if f in UPLOAD_FIELDS else field_message(f, m))
               for f, ms in errors.items() for m in ms]
    if clash is not None:
        summary = [("#name-clash", str(clash.message))] + [s for s in summary if s[1] not in clash.errors["name"]]
    return render_template("admin/upload.html", organizations=vocabulary.organizations_for(actor()),
                           topics=vocabulary.list_topics(), form=request.form if request.method == "POST" else None,
                           errors=errors, summary=summary, filename=filename, clash=_clash(clash)), status


def _clash(exc: NameTaken | None) -> dict | None:
    """What the form says of a dataset that has the name asked for: a link when the reader may see it
    (its admin page for its organization), and the offer of a new version when they may change it."""
    if exc is None:
        return None
    ds = exc.existing
    if ds is None:
        return {"name": exc.name, "dataset": None}
    page = "admin.dataset" if permissions.can_edit(actor(), ds.organization_id) else "public.dataset_read"
    return {"name": exc.name, "dataset": ds, "url": url_for(page, name=ds.name), "offer": exc.may_change}


def _basename(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1]


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    """Step 1: a file becomes a draft dataset with one table, then the review."""
    if request.method == "GET":
        return _upload_form()
    file = request.files.get("file")
    if file is None or not file.filename:
        return _upload_form(400, errors={"upload": [_("Choose a CSV or XLSX file.")]})
    try:
        metadata = {key: request.form.get(key) or None for key in ("title", "organization", "name", "notes")}
        metadata["topics"] = request.form.getlist("topics")
        job = resources.upload_new_dataset(actor(), file.stream, file.filename, metadata,
                                           options={"sheet": request.form.get("sheet") or None}, wait=False)
        result = resources.quick_outcome(job)
    except NameTaken as exc:
        return _upload_form(409, errors=exc.errors, filename=_basename(file.filename), clash=exc)
    except ValidationError as exc:
        return _upload_form(400, errors=exc.errors, filename=_basename(file.filename))
    return _after_upload(job, result)


@bp.route("/dataset/<name>/resource/<resource_id>/upload", methods=["POST"])
def upload_version(name: str, resource_id: str):
    """A new version of an existing table."""
    datasets.for_update(actor(), name)  # refuse outsiders before looking at the form
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a CSV or XLSX file."), "error")
        return redirect(url_for("admin.dataset", name=name))
    try:
        job = resources.upload(actor(), name, file.stream, file.filename, resource_id=resource_id, wait=False)
        result = resources.quick_outcome(job)
    except ValidationError as exc:
        _form_errors(exc)
        return redirect(url_for("admin.dataset", name=name))
    return _after_upload(job, result)


@bp.route("/dataset/<name>/upload", methods=["POST"])
def upload_resource(name: str):
    """Another table in an existing dataset."""
    datasets.for_update(actor(), name)  # refuse outsiders before looking at the form
    file = request.files.get("file")
    if file is None or not file.filename:
        flash(_("Choose a CSV or XLSX file."), "error")
        return redirect(url_for("admin.dataset", name=name))
    try:
        job = resources.upload(actor(), name, file.stream, file.filename, name=request.form.get("resource_name"),
                               wait=False)
        result = resources.quick_outcome(job)
    except ValidationError as exc:
        _form_errors(exc)
        return redirect(url_for("admin.dataset", name=name))
    return _after_upload(job, result)


def _after_upload(job, result):
    """The review of an upload read within the form's wait; else the page following its reading."""
    if result is None:
        return redirect(url_for("admin.upload_job", job_id=job.id))
    return redirect(url_for("admin.review", name=result.resource.dataset.name, version_id=result.version.id))


def _job_status(job_id: str) -> dict:
    job = ingest_jobs.status(actor(), job_id)
    job["review_url"] = (url_for("admin.review", name=job["dataset"], version_id=job["version_id"])
                         if job["state"] == "done" and job["dataset"] else None)
    return job


@bp.route("/upload/<job_id>")
def upload_job(job_id: str):
    """Step 1b: the received file being read (rows, percent, findings so far); the review when done.
    The page follows the reading by itself (ingest_job.js); without scripts, its link reloads it."""
    job = _job_status(job_id)
    if job["review_url"]:
        return redirect(job["review_url"])
    page = make_response(render_template("admin/upload_job.html", job=job))
    page.headers["Cache-Control"] = "no-store"
    return page


@bp.route("/upload/<job_id>/status")
def upload_job_status(job_id: str):
    """The reading's progress as JSON, for the progress page's script."""
    page = jsonify(_job_status(job_id))
    page.headers["Cache-Control"] = "no-store"
    return page


@bp.route("/dataset/<name>/review/<version_id>", methods=["GET", "POST"])
def review(name: str, version_id: str):
    """Step 2: what was read (header, skipped rows, types, findings), with corrections."""
    version = resources.version_for_update(actor(), version_id)
    ds = version.resource.dataset
    if request.method == "POST":
        options = {
            "sheet": request.form.get("sheet") or None,
            "header_row": request.form.get("header_row") or None,
            "column_types": {k[5:]: v for k, v in request.form.items() if k.startswith("type.") and v},
            "drop_columns": request.form.getlist("drop"),
        }
        try:
            resources.reread(actor(), version_id, options)
            flash(_("The table was read again."), "info")
        except ValidationError as exc:
            _form_errors(exc)
        return redirect(url_for("admin.review", name=ds.name, version_id=version_id))
    shown = resources.review(actor(), version_id)
    return render_template("admin/review.html", ds=ds, version=version, review=shown, column_types=notes.COLUMN_TYPES,
                           may=permissions.allowed_actions(actor(), ds))


@bp.route("/dataset/<name>", methods=["GET"])
def dataset(name: str):
    ds = datasets.show(actor(), name, for_members=True)
    return render_template("admin/dataset.html", ds=ds, history=activity.for_dataset(actor(), ds),
                           problems=datasets.publishing_problems(ds), may=permissions.allowed_actions(actor(), ds))


@bp.route("/dataset/<name>/edit", methods=["GET", "POST"])
def edit(name: str):
    """Step 3: the metadata (Satu Data fields)."""
    ds = datasets.for_update(actor(), name)
    if request.method == "POST":
        form = request.form
        data = {key: form.get(key, "") for key in (
            "title", "notes", "years", "unit", "measure", "frequency", "level", "coverage", "definition",
            "method", "source", "license_id", "contact_name", "contact_email", "tags")}
        data["topics"] = form.getlist("topics")
        data["private"] = form.get("private") == "1"
        data["suppress_small_cells"] = form.get("suppress_small_cells") == "1"
        if form.get("organization"):
            data["organization"] = form.get("organization")
        try:
            datasets.update(actor(), ds.id, data)
        except ValidationError as exc:
            _form_errors(exc)
            return render_template("admin/edit.html", ds=ds, form=form, vocab=catalog_data(),
                                   topics=vocabulary.list_topics(), organizations=vocabulary.list_organizations()), 400
        flash(_("Saved."), "info")
        return redirect(url_for("admin.dataset", name=ds.name))
    return render_template("admin/edit.html", ds=ds, form=None, vocab=catalog_data(),
                           topics=vocabulary.list_topics(), organizations=vocabulary.list_organizations())


def _state_action(service, name: str, done: str):
    try:
        ds = service(actor(), name)
        flash(done, "info")
        return redirect(url_for("admin.dataset", name=ds.name))
    except ValidationError as exc:
        _form_errors(exc)
        return redirect(url_for("admin.dataset", name=name))


@bp.route("/dataset/<name>/publish", methods=["POST"])
def publish(name: str):
    return _state_action(datasets.publish, name, _("Published."))


@bp.route("/dataset/<name>/submit", methods=["POST"])
def submit(name: str):
    return _state_action(datasets.submit_for_review, name, _("Submitted for review."))


@bp.route("/dataset/<name>/unpublish", methods=["POST"])
def unpublish(name: str):
    return _state_action(datasets.unpublish, name, _("Back to draft."))


@bp.route("/dataset/<name>/delete", methods=["POST"])
def delete(name: str):
    datasets.delete(actor(), name)
    flash(_("Dataset deleted."), "info")
    return redirect(url_for("admin.dashboard"))


@bp.route("/dataset/<name>/takedown", methods=["POST"])
def takedown(name: str):
    """Purge a dataset holding personal data; the incident is kept. The form's box confirms it
    (no script: the pages' Content-Security-Policy allows none inline)."""
    if request.form.get("confirm") != "yes":
        datasets.show(actor(), name, for_members=True)  # outsiders learn nothing from this answer
        flash(_("Tick the box to confirm the takedown."), "error")
        return redirect(url_for("admin.dataset", name=name))
    try:
        incident = datasets.takedown(actor(), name, request.form.get("reason", ""))
    except ValidationError as exc:
        _form_errors(exc)
        return redirect(url_for("admin.dataset", name=name))
    flash(_("Dataset %(title)s taken down: its files, tables and index entry are gone. Notify by %(deadline)s.",
            title=incident.dataset_title, deadline=datetime_local(incident.notify_by)), "info")
    return redirect(url_for("admin.incidents"))


@bp.route("/incidents")
def incidents():
    """The takedowns, for system administrators."""
    return render_template("admin/incidents.html", incidents=datasets.incidents(actor()))


@bp.route("/audit")
def audit():
    """What administrators did, for system administrators: filters in the address (?user=&from=&to=)."""
    args = {k: request.args.get(k, "") for k in ("user", "action", "from", "to", "page")}
    try:
        found, errors = activity.audit_log(actor(), args), []
    except ValidationError as exc:  # a mistyped date: the form again with the message, not an error page
        found, errors = None, [m for ms in exc.errors.values() for m in ms]
    kept = {k: v for k, v in args.items() if v and k != "page"}
    page = render_template("admin/audit.html", found=found, errors=errors, args=args,
                           people=activity.audit_people(actor()), actions=activity.AUDITED_ACTIONS,
                           page_url=lambda n: url_for("admin.audit", **kept, page=n))
    return page, 400 if errors else 200


@bp.route("/version/<version_id>/delete", methods=["POST"])
def delete_version(version_id: str):
    version = resources.version_for_update(actor(), version_id)
    name = version.resource.dataset.name
    resources.delete_version(actor(), version_id)
    flash(_("Upload deleted."), "info")
    return redirect(url_for("admin.dataset", name=name))


@bp.route("/version/<version_id>/override", methods=["POST"])
def override(version_id: str):
    version = resources.version_for_update(actor(), version_id)
    try:
        resources.override(actor(), version_id, request.form.get("justification", ""))
        flash(_("Finding overridden; the reason is in the activity log."), "info")
    except ValidationError as exc:
        _form_errors(exc)
    return redirect(url_for("admin.review", name=version.resource.dataset.name, version_id=version_id))


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    """List, create (Post/Redirect/Get: the new token is shown once, a reload makes no other)."""
    if request.method == "POST":
        _token, raw = users.create_token(actor(), request.form.get("name", ""))
        session["new_api_token"] = raw
        return redirect(url_for("admin.tokens"))
    page = make_response(render_template("admin/tokens.html", tokens=users.list_tokens(actor()),
                                         new_token=session.pop("new_api_token", None)))
    page.headers["Cache-Control"] = "no-store"  # the back button must not show a token again
    return page


@bp.route("/tokens/<token_id>/revoke", methods=["POST"])
def revoke_token(token_id: str):
    users.revoke_token(actor(), token_id)
    flash(_("Token revoked."), "info")
    return redirect(url_for("admin.tokens"))
