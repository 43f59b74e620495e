"""Interact, the public side: ask the office for information (UU 14/2008), comment on a dataset,
send a message; follow the answer through a private link; read the public register. Every rule is
in services.info_requests. The PPID's other duties: the Daftar Informasi Publik, the list of
exempt information and the yearly service report (services.public_information, .ppid_report)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..services import datasets, info_requests, ppid_report, public_information
from ..services.errors import NotFound, Throttled, ValidationError

bp = Blueprint("ppid", __name__)

STATUS_LABELS = {
    "diterima": _l("received"), "diproses": _l("in progress"), "diperpanjang": _l("extended"),
    "dipenuhi": _l("fulfilled"), "ditolak": _l("refused"), "tidak_dikuasai": _l("not held"),
    "diteruskan": _l("passed on"), "keberatan": _l("objection"), "sengketa": _l("dispute"),
    "dijawab": _l("answered"),
}
DELIVERY_LABELS = {"email": _l("by e-mail"), "pickup": _l("collect at the office"), "post": _l("by post")}
FIELD_LABELS = {"subject": _l("Information requested"), "description": _l("Details"), "purpose": _l("Purpose"),
                "name": _l("Name"), "contact": _l("E-mail or phone"), "delivery": _l("How to receive it"),
                "dataset": _l("Dataset"), "ground": _l("Ground"), "attachment": _l("Attachment"), "_": ""}


@bp.app_context_processor
def _labels():
    return {"request_status_label": lambda s: STATUS_LABELS.get(s, s), "delivery_label": lambda d: DELIVERY_LABELS.get(d, d),
            "exemptions": info_requests.EXEMPTIONS, "objection_grounds": info_requests.OBJECTION_GROUNDS}


def link_for(number: str, token: str) -> str:
    """The requester's private tracking link (with the token), or the inbox's (without)."""
    if token:
        return url_for("ppid.track", number=number, t=token, _external=True)
    return url_for("inbox.item", number=number, _external=True)


def _address() -> str:
    return request.remote_addr or "unknown"


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    for field, messages in exc.errors.items():
        label = FIELD_LABELS.get(field, field)
        for message in messages:
            flash(f"{label}: {message}" if label else message, "error")
    return exc.errors


def _dataset_for(name: str | None):
    if not name:
        return None
    try:
        ds = datasets.show(None, name)  # what the public sees
    except NotFound:
        return None
    return ds if ds.is_public and ds.state == "published" else None


@bp.route("/permintaan", methods=["GET", "POST"])
def request_form():
    form = request.form if request.method == "POST" else request.args
    dataset = _dataset_for(form.get("dataset"))
    kind = "feedback" if dataset else ("message" if form.get("kind") == "message" else "request")
    if request.method == "GET":
        return render_template("ppid/request_form.html", form=form, kind=kind, dataset=dataset, errors={})
    try:
        filed = info_requests.submit(request.form.to_dict(), _address(), link_for)
    except ValidationError as exc:
        errors = _errors(exc)
        return render_template("ppid/request_form.html", form=form, kind=kind, dataset=dataset, errors=errors), 400
    except Throttled as exc:
        flash(str(exc.message), "error")
        return (render_template("ppid/request_form.html", form=form, kind=kind, dataset=dataset, errors={}), 429,
                {"Retry-After": str(exc.retry_after)})
    return render_template("ppid/filed.html", req=filed.request,
                           link=url_for("ppid.track", number=filed.request.number, t=filed.tracking_token, _external=True))


@bp.route("/permintaan/lacak/<number>", methods=["GET", "POST"])
def track(number: str):
    token = request.values.get("t", "")
    req = info_requests.tracked(number, token)
    if request.method == "POST":
        try:
            if request.form.get("action") == "dispute":
                info_requests.record_dispute(number, token)
                flash(_("Recorded: you took this request to the Komisi Informasi."), "info")
            else:
                info_requests.file_objection(number, token, request.form.get("ground", ""),
                                             request.form.get("reason", ""), link_for)
                flash(_("Your objection is registered. The PPID's superior answers within 30 working days."), "info")
        except ValidationError as exc:
            _errors(exc)
        return redirect(url_for("ppid.track", number=number, t=token))
    return render_template("ppid/track.html", req=req, entry=info_requests.public_view(req), token=token,
                           may_object=info_requests.may_object(req), may_dispute=info_requests.may_dispute(req))


def send_answer(req):
    """An answer's attached file: always a download, never shown in the browser."""
    found = info_requests.answer_file(req)
    if found is None:
        raise NotFound(_l("This answer has no attachment."))
    name, media, data = found
    resp = Response(data, mimetype=media)
    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/permintaan/lacak/<number>/lampiran")
def track_attachment(number: str):
    """The answer's attachment, for the requester (through the private link)."""
    return send_answer(info_requests.tracked(number, request.args.get("t", "")))


@bp.route("/permintaan/daftar")
def register():
    status = request.args.get("status") or None
    if status not in STATUS_LABELS:
        status = None
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 6 else 1
    rows, total = info_requests.register(status=status, page=page)
    return render_template("ppid/register.html", rows=rows, total=total, status=status, page=page, per_page=25)


@bp.route("/permintaan/daftar/<number>")
def entry(number: str):
    return render_template("ppid/entry.html", entry=info_requests.public_entry(number))


def _contact_channels() -> dict:
    """The office's channels: the instance's own contact.json, else the one shipped."""
    own = Path(current_app.instance_path) / "contact.json"
    path = own if own.exists() else Path(__file__).resolve().parent.parent / "data" / "contact.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    lang = str(get_locale() or "id")
    return {k: (v.get(lang) or v.get("id")) if isinstance(v, dict) else v for k, v in data.items() if not k.startswith("_")}


@bp.route("/contact")
@bp.route("/kontak")
def contact():
    return render_template("ppid/contact.html", channels=_contact_channels(), form={}, errors={})


# -- the PPID's other duties ------------------------------------------------------------------

def _lang() -> str:
    return str(get_locale() or "id")


@bp.route("/ppid/daftar-informasi")
def dip():
    return render_template("ppid/dip.html", groups=public_information.daftar_informasi(_lang()),
                           group_labels=public_information.GROUPS, group_notes=public_information.GROUP_NOTES)


@bp.route("/ppid/informasi-dikecualikan")
def exempt():
    return render_template("ppid/exempt.html", listing=public_information.exempt_list(_lang()))


@bp.route("/ppid/laporan")
def report():
    year = ppid_report.parse_year(request.args.get("tahun"))
    return render_template("ppid/report.html", report=ppid_report.yearly(year), years=ppid_report.years_on_record())


@bp.route("/ppid/laporan.csv")
def report_csv():
    year = ppid_report.parse_year(request.args.get("tahun"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["tahun", "kode", "uraian", "nilai"])
    for code, label, value in ppid_report.yearly(year).rows():
        writer.writerow([year, code, str(label), value])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="laporan-layanan-ppid-{year}.csv"'})
