"""Interact, the office's side: the inbox of requests, comments and messages, by due date, and
the PPID's steps on each one. Every rule is in services.info_requests."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from ..services import info_requests, vocabulary
from ..services.errors import NotAuthorized, ValidationError
from .ppid import FIELD_LABELS, link_for, send_answer
from .requests import actor

bp = Blueprint("inbox", __name__, url_prefix="/admin/permintaan")

ACTIONS_DONE = {
    "assign": _l("Assigned."), "process": _l("Marked as in progress."), "extend": _l("Extended by 7 working days."),
    "fulfil": _l("Fulfilled."), "refuse": _l("Refused."), "not_held": _l("Answered: not held."),
    "forward": _l("Passed on."), "reply": _l("Answered."), "answer_objection": _l("The objection is answered."),
}


@bp.before_request
@login_required
def _require_login():
    """Every page here needs a logged-in user; the service decides the rest."""


@bp.route("/")
def index():
    show = request.args.get("show", "open")
    show = show if show in ("open", "closed", "all") else "open"
    rows = info_requests.inbox(actor(), show)
    return render_template("admin/inbox.html", rows=rows, show=show, urgency=info_requests.urgency,
                           current_due=info_requests.current_due)


@bp.route("/<number>", methods=["GET", "POST"])
def item(number: str):
    req = info_requests.for_handler(actor(), number)
    if request.method == "POST":
        action = request.form.get("action", "")
        try:
            upload = request.files.get("attachment")
            attachment = info_requests.Attachment(upload.filename or "", upload.read()) if upload else None
            info_requests.act(actor(), number, action, request.form.to_dict(), link_for, attachment=attachment)
            flash(str(ACTIONS_DONE.get(action, _l("Saved."))), "info")
            return redirect(url_for("inbox.item", number=number))
        except ValidationError as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    label = FIELD_LABELS.get(field, field)
                    flash(f"{label}: {message}" if label else message, "error")
        except NotAuthorized as exc:
            flash(str(exc.message), "error")
        status = 400
    else:
        status = 200
    return render_template("admin/inbox_item.html", req=req, entry=info_requests.public_view(req),
                           urgency=info_requests.urgency(req), due=info_requests.current_due(req),
                           organizations=vocabulary.list_organizations()), status


@bp.route("/<number>/lampiran")
def attachment(number: str):
    """The answer's attachment, for the request's handlers."""
    return send_answer(info_requests.for_handler(actor(), number))
