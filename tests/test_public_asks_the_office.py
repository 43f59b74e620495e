"""A member of the public asks the office for information (UU 14/2008), comments on a dataset or
writes a message, without an account; the PPID answers within the law's working days; the public
register shows it all, never the requester's name or contact."""
from __future__ import annotations

import email
import email.policy
import re
import time
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.models import InfoRequest
from app.services import info_requests
from app.services.working_days import add_working_days, is_working_day
from tests.conftest import make_app
from tests.support.mail_sink import smtp_server
from tests.factories import PASSWORD, make_users, seed_demo

BENCANA = "korban-bencana-sosial-2019-2024"
NAME, CONTACT, NIK = "Baiq Nurul Aini", "baiq.aini@example.com", "5201024509870003"


# -- the law's clock -------------------------------------------------------------------------

def test_ten_working_days_from_the_friday_before_nyepi_and_lebaran_2026():
    # Fri 13 March 2026: Nyepi (19) and its cuti bersama (18), Idul Fitri (21-22) and its cuti
    # bersama (20, 23, 24), a weekend, and Good Friday (3 April) are skipped.
    assert add_working_days(date(2026, 3, 13), 10) == date(2026, 4, 6)
    assert not is_working_day(date(2026, 3, 23)) and is_working_day(date(2026, 3, 25))
    # the extension adds 7 working days to that
    assert add_working_days(date(2026, 4, 6), 7) == date(2026, 4, 15)


def test_a_late_change_to_the_decree_comes_from_the_data_file(monkeypatch, tmp_path):
    from app.services import working_days

    changes = tmp_path / "changes.json"
    changes.write_text('{"add": ["2026-03-16"], "remove": ["2026-03-24"]}')
    monkeypatch.setattr(working_days, "CHANGES", changes)
    working_days._changes.cache_clear()
    try:
        assert not is_working_day(date(2026, 3, 16)) and is_working_day(date(2026, 3, 24))
        assert add_working_days(date(2026, 3, 13), 10) == date(2026, 4, 6)  # one day off, one day back
    finally:
        working_days._changes.cache_clear()


# -- a real SMTP server and a portal with the demo data -----------------------------------

class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": envelope.rcpt_tos, "subject": msg["Subject"], "body": msg.get_content()})
        return "250 OK"

    def wait_for(self, address, word, timeout=10.0):
        """The messages to `address` whose subject holds `word`, waiting for one to arrive."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [m for m in self.messages if address in m["to"] and word in m["subject"]]
            if found:
                return found
            time.sleep(0.05)
        return []

    def to(self, address, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [m for m in self.messages if address in m["to"]]
            if found:
                return found
            time.sleep(0.05)
        return []


@pytest.fixture
def smtp():
    sink = Sink()
    with smtp_server(sink) as port:
        yield sink, port


@pytest.fixture
def office(tmp_path, database_url, smtp):
    _sink, port = smtp
    app = make_app(tmp_path, database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        seed_demo()
        make_users()
    yield app
    app.extensions["db_engine"].dispose()


def _file(client, **fields):
    data = {"subject": "Data jumlah LKS per kabupaten 2024", "name": NAME, "contact": CONTACT, "is_public": "on",
            "purpose": "penelitian skripsi", "description": f"Untuk skripsi. NIK saya {NIK}, HP 081234567890."}
    data.update(fields)
    resp = client.post("/permintaan", data=data)
    body = resp.get_data(as_text=True)
    if resp.status_code != 200:
        return resp, None, None
    number = re.search(r'id="request-number">([^<]+)<', body).group(1)
    link = re.search(r'id="tracking-link" href="([^"]+)"', body).group(1).replace("http://localhost", "")
    return resp, number, link


def _staff(app, who="sysadmin@test.local"):
    client = app.test_client()
    assert client.post("/user/login", data={"email": who, "password": PASSWORD}).status_code == 302
    return client


def _public_pages(app, number):
    """Every public output a request reaches."""
    anon = app.test_client()
    pages = [anon.get("/permintaan/daftar"), anon.get(f"/permintaan/daftar/{number}"),
             anon.get(f"/dataset/{BENCANA}"), anon.get("/dataset?q=lks")]
    return "\n".join(p.get_data(as_text=True) for p in pages)


def test_a_visitor_files_a_request_and_follows_it_to_the_answer(office, smtp):
    sink, _ = smtp
    visitor = office.test_client()
    resp, number, link = _file(visitor)
    assert resp.status_code == 200 and re.fullmatch(r"PPID-\d{4}-000001", number)
    # the requester gets the number and the private link; the PPID (sysadmins) gets the new item
    mail = sink.to(CONTACT)
    assert mail and number in mail[0]["subject"] and "/permintaan/lacak/" in mail[0]["body"]
    assert sink.to("sysadmin@test.local")
    assert visitor.get(link).status_code == 200
    assert visitor.get(link.split("?")[0] + "?t=wrong").status_code == 404

    ppid = _staff(office)
    inbox = ppid.get("/admin/permintaan/").get_data(as_text=True)
    assert number in inbox
    assert ppid.post(f"/admin/permintaan/{number}", data={"action": "extend", "reason": ""}).status_code == 400
    assert ppid.post(f"/admin/permintaan/{number}",
                     data={"action": "extend", "reason": "Data direkap dari 10 kabupaten/kota"}).status_code == 302
    again = ppid.post(f"/admin/permintaan/{number}", data={"action": "extend", "reason": "sekali lagi"})
    assert again.status_code == 400 and "sekali" in again.get_data(as_text=True)
    with office.app_context():
        from app import db
        req = db.session().scalar(select(InfoRequest).where(InfoRequest.number == number))
        assert req.status == "diperpanjang"
        assert req.due.date() == add_working_days(add_working_days(req.received.date(), 10), 7)
    assert sink.wait_for(CONTACT, "diperpanjang")
    ppid.post(f"/admin/permintaan/{number}", data={"action": "fulfil", "reply": "Data tersedia di portal.",
                                                   "dataset": "lks-per-kabupaten-2021-2024"})
    entry = office.test_client().get(f"/permintaan/daftar/{number}").get_data(as_text=True)
    assert 'id="answer-dataset"' in entry and "lks-per-kabupaten-2021-2024" in entry
    assert "dipenuhi" in entry and "diperpanjang" in entry and "Data direkap" in entry
    assert "Data tersedia" in sink.wait_for(CONTACT, "dipenuhi")[0]["body"]


def test_the_requesters_name_and_contact_never_reach_a_public_page(office):
    visitor = office.test_client()
    _resp, number, _link = _file(visitor)
    _resp, feedback_number, _ = _file(visitor, dataset=BENCANA, subject="Angka Lombok Timur 2022 keliru",
                                      description=f"Saya {NAME}, hubungi {CONTACT}")
    ppid = _staff(office)
    ppid.post(f"/admin/permintaan/{feedback_number}", data={"action": "reply", "reply": "Terima kasih, sudah diperbaiki."})
    public = _public_pages(office, number) + _public_pages(office, feedback_number)
    assert number in public and "Terima kasih, sudah diperbaiki." in public
    for secret in (NAME, "Baiq", CONTACT, "baiq.aini", NIK, "081234567890"):
        assert secret not in public, secret
    assert "5201********0003" in public  # masked, the rest of the sentence readable


def test_a_request_kept_out_of_the_register_is_not_listed(office):
    _resp, number, _link = _file(office.test_client(), is_public="")
    anon = office.test_client()
    assert number not in anon.get("/permintaan/daftar").get_data(as_text=True)
    assert anon.get(f"/permintaan/daftar/{number}").status_code == 404


def test_refusal_needs_a_pasal_17_ground_and_the_consequence_test_then_objection_and_dispute(office):
    visitor = office.test_client()
    _resp, number, link = _file(visitor, subject="Daftar nama penerima PKH Desa Sembalun")
    ppid = _staff(office)
    assert ppid.post(f"/admin/permintaan/{number}", data={"action": "refuse", "ground": "z",
                                                          "consequence_test": "x"}).status_code == 400
    assert ppid.post(f"/admin/permintaan/{number}", data={"action": "refuse", "ground": "h"}).status_code == 400
    ppid.post(f"/admin/permintaan/{number}", data={"action": "refuse", "ground": "h", "consequence_test":
                                                   "Nama dan alamat penerima adalah data pribadi (UU 27/2022)."})
    page = visitor.get(link).get_data(as_text=True)
    assert 'id="objection-form"' in page and "rahasia pribadi" in page
    token = link.split("t=")[1]
    visitor.post(link.split("?")[0], data={"t": token, "ground": "refused", "reason": "Saya hanya perlu jumlahnya."})
    with office.app_context():
        from app import db
        req = db.session().scalar(select(InfoRequest).where(InfoRequest.number == number))
        assert req.status == "keberatan" and req.objection_due.date() == add_working_days(req.objection_filed.date(), 30)
    assert "keberatan" in office.test_client().get(f"/permintaan/daftar/{number}").get_data(as_text=True)
    # only a sysadmin (the PPID's superior) answers it; an org admin does not even see it
    assert _staff(office, "admin@test.local").get(f"/admin/permintaan/{number}").status_code == 404
    ppid.post(f"/admin/permintaan/{number}", data={"action": "answer_objection",
                                                   "answer": "Jumlah per desa dapat diberikan; nama tidak."})
    assert 'id="dispute-form"' in visitor.get(link).get_data(as_text=True)
    visitor.post(link.split("?")[0], data={"t": token, "action": "dispute"})
    entry = office.test_client().get(f"/permintaan/daftar/{number}").get_data(as_text=True)
    assert "sengketa" in entry and "Jumlah per desa" in entry


@pytest.mark.parametrize("action,fields,status", [
    ("not_held", {"holder": "Dinas Sosial Kabupaten Lombok Timur"}, "tidak_dikuasai"),
    ("forward", {"holder": "BPS Provinsi NTB"}, "diteruskan"),
])
def test_not_held_or_passed_on_names_who_holds_it(office, action, fields, status):
    _resp, number, _link = _file(office.test_client())
    ppid = _staff(office)
    assert ppid.post(f"/admin/permintaan/{number}", data={"action": action}).status_code == 400
    assert ppid.post(f"/admin/permintaan/{number}", data={"action": action, **fields}).status_code == 302
    entry = office.test_client().get(f"/permintaan/daftar/{number}").get_data(as_text=True)
    assert fields["holder"] in entry
    with office.app_context():
        from app import db
        assert db.session().scalar(select(InfoRequest.status).where(InfoRequest.number == number)) == status


def test_feedback_on_a_dataset_reaches_its_bidang_and_only_that_bidang(office, smtp):
    sink, _ = smtp
    page = office.test_client().get(f"/dataset/{BENCANA}").get_data(as_text=True)
    assert 'id="give-feedback"' in page
    _resp, number, _link = _file(office.test_client(), dataset=BENCANA, subject="Angka Bima 2021 tidak cocok")
    assert number.startswith("MSK-")
    owner = _staff(office, "admin@test.local")
    assert number in owner.get("/admin/permintaan/").get_data(as_text=True)
    assert sink.to("admin@test.local")
    other = _staff(office, "otheradmin@test.local")
    assert number not in other.get("/admin/permintaan/").get_data(as_text=True)
    assert other.get(f"/admin/permintaan/{number}").status_code == 404
    assert _staff(office, "editor@test.local").get("/admin/permintaan/").status_code == 403
    owner.post(f"/admin/permintaan/{number}", data={"action": "reply", "reply": "Sudah kami periksa dan perbaiki."})
    assert "Sudah kami periksa dan perbaiki." in office.test_client().get(f"/dataset/{BENCANA}").get_data(as_text=True)


def test_the_inbox_highlights_overdue_and_soon(office):
    client = office.test_client()
    _r, late, _ = _file(client)
    _r, soon, _ = _file(client, subject="Data PMKS per kecamatan")
    _r, later, _ = _file(client, subject="Data ASN per golongan")
    now = datetime.utcnow()
    with office.app_context():
        from app import db
        s = db.session()
        s.scalar(select(InfoRequest).where(InfoRequest.number == late)).due = now - timedelta(days=1)
        s.scalar(select(InfoRequest).where(InfoRequest.number == soon)).due = datetime.combine(
            add_working_days(now.date(), 1), datetime.max.time())
        s.commit()
    page = _staff(office).get("/admin/permintaan/").get_data(as_text=True)
    rows = re.findall(r'data-urgency="(\w*)">.*?(PPID-\d{4}-\d{6})', page, re.S)
    assert rows[0] == ("overdue", late) and rows[1] == ("soon", soon) and rows[2] == ("", later)


def test_the_reminder_mails_the_handlers_and_erases_old_personal_data(office, smtp, runner_for):
    sink, _ = smtp
    client = office.test_client()
    _r, late, _ = _file(client)
    _r, old, _ = _file(client, subject="Data lama")
    with office.app_context():
        from app import db
        s = db.session()
        s.scalar(select(InfoRequest).where(InfoRequest.number == late)).due = datetime.utcnow() - timedelta(days=2)
        closed = s.scalar(select(InfoRequest).where(InfoRequest.number == old))
        closed.status, closed.closed = "dipenuhi", datetime.utcnow() - timedelta(days=400)
        s.commit()
    out = runner_for(office).invoke(args=["requests", "remind"])
    assert out.exit_code == 0, out.output
    assert '"reminded": 1' in out.output and '"erased": 1' in out.output
    assert any(late in m["subject"] for m in sink.wait_for("sysadmin@test.local", "Segera jatuh tempo"))
    with office.app_context():
        from app import db
        erased = db.session().scalar(select(InfoRequest).where(InfoRequest.number == old))
        assert erased.requester_name is None and erased.requester_contact is None and erased.personal_erased
    # run again the same day: nobody is reminded twice
    assert '"reminded": 0' in runner_for(office).invoke(args=["requests", "remind"]).output


@pytest.fixture
def runner_for():
    return lambda app: app.test_cli_runner()


def test_robots_and_floods_are_turned_away(office):
    client = office.test_client()
    trapped = client.post("/permintaan", data={"subject": "Data LKS 2024", "name": "Bot", "contact": "bot@example.com",
                                               "website": "http://spam.example"})
    assert trapped.status_code == 400
    codes = [_file(client, subject=f"Permohonan data nomor {i}")[0].status_code for i in range(6)]
    assert codes == [200] * 5 + [429]
    other = office.test_client()
    assert other.post("/permintaan", environ_base={"REMOTE_ADDR": "10.9.8.7"},
                      data={"subject": "Data LKS 2024", "name": "Warga", "contact": "0812 3456 7890"}).status_code == 200


def test_a_bad_form_is_explained_and_kept(office):
    resp = office.test_client().post("/permintaan", data={"subject": "abc", "name": "", "contact": "bukan kontak",
                                                          "description": "rincian saya"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Antara 5 dan 300 karakter" in page and "Nama Anda diperlukan" in page
    assert "Isikan alamat surel atau nomor telepon" in page
    assert "rincian saya" in page  # nothing typed is lost


def test_the_contact_page_and_the_ways_in(office):
    anon = office.test_client()
    contact = anon.get("/kontak").get_data(as_text=True)
    assert "Jam pelayanan" in contact and "dinsos@ntbprov.go.id" in contact
    home = anon.get("/").get_data(as_text=True)
    assert 'href="/permintaan"' in home and 'href="/kontak"' in home
    nothing = anon.get("/dataset?q=zzzqqqxyz").get_data(as_text=True)
    assert 'id="request-this"' in nothing and "subject=zzzqqqxyz" in nothing


def test_two_requests_at_once_get_two_numbers(office):
    import threading

    numbers = []
    barrier = threading.Barrier(4)

    def file(i):
        client = office.test_client()
        barrier.wait()
        _r, number, _ = _file(client, subject=f"Permohonan serentak {i}", **{})
        numbers.append(number)

    threads = [threading.Thread(target=file, args=(i,), kwargs={}) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(numbers)) == 4 and None not in numbers


def test_the_service_refuses_an_unknown_step(office):
    with office.app_context(), office.test_request_context():
        from tests.factories import user
        filed = info_requests.submit({"subject": "Data uji coba", "name": "Warga", "contact": "warga@example.com"},
                                     "10.0.0.1", lambda n, t: f"http://x/{n}")
        with pytest.raises(info_requests.ValidationError):
            info_requests.act(user("sysadmin"), filed.request.number, "explode", {}, lambda n, t: "")


def test_the_ppids_decisions_are_on_the_audit_page(office):
    _resp, number, _link = _file(office.test_client())
    ppid = _staff(office)
    ppid.post(f"/admin/permintaan/{number}", data={"action": "refuse", "ground": "h",
                                                   "consequence_test": "Data pribadi penerima bantuan."})
    page = ppid.get("/admin/audit").get_data(as_text=True)
    assert "menolak permohonan informasi" in page and f'href="/admin/permintaan/{number}"' in page


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_an_answer_attached_as_a_file_reaches_only_the_requester(office, smtp):
    import io

    sink, _ = smtp
    visitor = office.test_client()
    _resp, number, link = _file(visitor)
    ppid = _staff(office)
    resp = ppid.post(f"/admin/permintaan/{number}", content_type="multipart/form-data", data={
        "action": "fulfil", "reply": "Jawaban terlampir.", "attachment": (io.BytesIO(PDF), "Surat Jawaban PPID.pdf")})
    assert resp.status_code == 302
    page = visitor.get(link).get_data(as_text=True)
    href = re.search(r'id="attachment-link"><a class="button" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    download = visitor.get(href)
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff" and "no-store" in download.headers["Cache-Control"]
    assert ppid.get(f"/admin/permintaan/{number}/lampiran").data == PDF
    # the public register says a file went to the requester; it offers no download
    anon = office.test_client()
    entry = anon.get(f"/permintaan/daftar/{number}").get_data(as_text=True)
    assert 'id="answer-attached"' in entry and "/lampiran" not in entry and "Surat Jawaban" not in entry
    assert anon.get(href.split("?")[0]).status_code == 404
    assert anon.get(href.split("?")[0] + "?t=wrong").status_code == 404
    assert _staff(office, "otheradmin@test.local").get(f"/admin/permintaan/{number}/lampiran").status_code == 404
    assert "Lampiran jawaban" in sink.wait_for(CONTACT, "dipenuhi")[0]["body"]


@pytest.mark.parametrize("name,data,message", [
    ("jawaban.html", b"<script>alert(1)</script>", "Lampirkan berkas PDF"),
    ("jawaban.pdf", b"MZ\x90\x00 not a pdf", "bukan jenis yang disebut namanya"),
    ("jawaban.pdf", b"", "kosong"),
])
def test_an_attachment_that_is_not_what_it_says_is_refused(office, name, data, message):
    import io

    _resp, number, _link = _file(office.test_client())
    ppid = _staff(office)
    resp = ppid.post(f"/admin/permintaan/{number}", content_type="multipart/form-data", data={
        "action": "fulfil", "reply": "Jawaban terlampir.", "attachment": (io.BytesIO(data), name)})
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    with office.app_context():
        from app import db
        assert db.session().scalar(select(InfoRequest.status).where(InfoRequest.number == number)) == "diterima"


def test_an_attachment_over_the_limit_is_refused(tmp_path, database_url):
    import io

    app = make_app(tmp_path, database_url, ANSWER_MAX_MB=1)
    with app.app_context():
        make_users()
    _resp, number, _link = _file(app.test_client())
    ppid = _staff(app)
    big = PDF + b"0" * (1024 * 1024 + 1)
    resp = ppid.post(f"/admin/permintaan/{number}", content_type="multipart/form-data", data={
        "action": "fulfil", "reply": "Jawaban terlampir.", "attachment": (io.BytesIO(big), "besar.pdf")})
    assert resp.status_code == 400 and "lebih besar dari 1 MB" in resp.get_data(as_text=True)
    app.extensions["db_engine"].dispose()
