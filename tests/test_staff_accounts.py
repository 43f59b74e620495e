"""A sysadmin manages staff accounts, and staff manage their own: a password reset by e-mail
(through a real SMTP server), deactivation when a person moves office (mutasi), role changes,
two-step verification (TOTP), a new password."""
from __future__ import annotations

import email
import email.policy
import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.models import Activity, ApiToken
from app.services import users as user_service
from tests.conftest import make_app
from tests.support.mail_sink import smtp_server
from tests.factories import PASSWORD, make_users, user

LINK_RE = re.compile(r"http://localhost/user/reset/[A-Za-z0-9_.\-]+")


class Sink:
    """Keeps every message the portal sends."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message["Subject"] + "\n" + message.get_content()))
        return "250 OK"

    def wait(self, n: int = 1, timeout: float = 10):
        deadline = time.time() + timeout
        while len(self.messages) < n and time.time() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp():
    sink = Sink()
    with smtp_server(sink) as port:
        yield sink, port


@pytest.fixture
def mail_app(tmp_path, database_url, smtp):
    _sink, port = smtp
    app = make_app(tmp_path, database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        make_users()
    yield app
    app.extensions["db_engine"].dispose()


def _login(client, email, password):
    return client.post("/user/login", data={"email": email, "password": password})


def _link(message: str) -> str:
    return LINK_RE.search(message).group(0)


# -- a forgotten password ------------------------------------------------------------------

def test_a_reset_link_arrives_by_mail_and_works_once(mail_app, smtp):
    sink, _ = smtp
    client = mail_app.test_client()
    page = client.post("/user/reset", data={"email": "Editor@Test.local "})
    assert page.status_code == 200 and "telah mengirim tautan" in page.get_data(as_text=True)
    (rcpt, message), = sink.wait()
    assert rcpt == ["editor@test.local"] and "Atur ulang kata sandi" in message
    path = _link(message).replace("http://localhost", "")
    assert "no-store" in client.get(path).headers["Cache-Control"]
    done = client.post(path, data={"password": "kata-sandi-baru-1", "confirm": "kata-sandi-baru-1"})
    assert done.status_code == 302
    assert _login(client, "editor@test.local", PASSWORD).status_code == 401
    assert _login(client, "editor@test.local", "kata-sandi-baru-1").status_code == 302
    again = client.post(path, data={"password": "kata-sandi-lain-2", "confirm": "kata-sandi-lain-2"})
    assert again.status_code == 400 and "sudah dipakai" in again.get_data(as_text=True)
    with mail_app.app_context():
        from app import db
        assert db.session().scalar(select(Activity).where(Activity.action == "reset_password_by_email"))


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail_app, smtp):
    sink, _ = smtp
    client = mail_app.test_client()
    known = client.post("/user/reset", data={"email": "editor@test.local"})
    unknown = client.post("/user/reset", data={"email": "nobody@test.local"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data() == unknown.get_data()
    time.sleep(0.5)
    assert [rcpt for rcpt, _ in sink.wait()] == [["editor@test.local"]]


def test_an_expired_or_tampered_link_is_refused(tmp_path, database_url, smtp):
    sink, port = smtp
    app = make_app(tmp_path, database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, PASSWORD_RESET_MAX_AGE_S=1)
    with app.app_context():
        make_users()
    client = app.test_client()
    client.post("/user/reset", data={"email": "editor@test.local"})
    path = _link(sink.wait()[0][1]).replace("http://localhost", "")
    assert client.get(path[:-3] + "abc").status_code == 400
    time.sleep(2.1)
    expired = client.post(path, data={"password": "kata-sandi-baru-1", "confirm": "kata-sandi-baru-1"})
    assert expired.status_code == 400 and "kedaluwarsa" in expired.get_data(as_text=True)
    assert _login(client, "editor@test.local", PASSWORD).status_code == 302
    app.extensions["db_engine"].dispose()


def test_without_a_mail_server_the_page_says_whom_to_ask(client, users):
    resp = client.post("/user/reset", data={"email": "editor@test.local"})
    assert resp.status_code == 503
    assert "Minta administrator sistem" in resp.get_data(as_text=True)


def test_reset_requests_from_one_address_are_limited(mail_app, smtp):
    client = mail_app.test_client()
    codes = [client.post("/user/reset", data={"email": f"x{i}@test.local"}).status_code for i in range(7)]
    assert codes == [200] * 5 + [429] * 2


# -- a sysadmin's accounts page ------------------------------------------------------------

def test_only_a_sysadmin_sees_the_accounts_page(client, auth):
    auth.login("org_admin")
    assert client.get("/admin/users").status_code == 403
    auth.logout()
    auth.login("sysadmin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "editor@test.local" in page and "Nonaktifkan" in page


def test_mutasi_deactivates_the_account_and_keeps_its_history(app, client, auth, users):
    editor = app.test_client()
    assert _login(editor, *users["editor"]).status_code == 302
    with app.app_context():
        from app.services import users as svc
        _token, raw = svc.create_token(user("editor"), "skrip")
        editor_id = user("editor").id
    auth.login("sysadmin")
    resp = client.post(f"/admin/users/{editor_id}/deactivate", data={"reason": "mutasi ke Dinas Sosial Kab. Bima"})
    assert resp.status_code == 302
    assert editor.get("/admin/").status_code == 302  # the open session ended
    assert _login(editor, *users["editor"]).status_code == 401
    with app.app_context():
        from app import db
        s = db.session()
        assert all(t.revoked for t in s.scalars(select(ApiToken).where(ApiToken.user_id == editor_id)))
        assert svc.user_for_token(raw) is None
        entries = list(s.scalars(select(Activity).where(Activity.user_id == editor_id)))
        assert entries, "the person's earlier actions stay under their account"
        done = s.scalar(select(Activity).where(Activity.action == "deactivate"))
        assert done.detail["reason"].startswith("mutasi")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "nonaktif" in page
    client.post(f"/admin/users/{editor_id}/reactivate")
    assert _login(editor, *users["editor"]).status_code == 302


def test_a_sysadmin_cannot_lock_out_the_last_sysadmin(app, client, auth):
    auth.login("sysadmin")
    with app.app_context():
        me = user("sysadmin").id
    resp = client.post(f"/admin/users/{me}/deactivate", follow_redirects=True)
    assert "akun Anda sendiri" in resp.get_data(as_text=True)
    resp = client.post(f"/admin/users/{me}/role", data={"role": "editor", "organization": "bidang-perlindungan-jaminan-sosial"},
                       follow_redirects=True)
    assert "administrator sistem aktif yang terakhir" in resp.get_data(as_text=True)
    assert client.get("/admin/users").status_code == 200


def test_a_role_change_applies_from_the_next_login(app, client, auth, users):
    editor = app.test_client()
    _login(editor, *users["editor"])
    with app.app_context():
        editor_id = user("editor").id
    auth.login("sysadmin")
    client.post(f"/admin/users/{editor_id}/role", data={"role": "org_admin", "organization": "bidang-perlindungan-jaminan-sosial"})
    assert editor.get("/admin/").status_code == 302
    with app.app_context():
        assert user("editor").role == "org_admin"


def test_a_new_account_without_mail_shows_its_password_once(client, auth):
    auth.login("sysadmin")
    resp = client.post("/admin/users", data={"email": "baru@test.local", "name": "Staf Baru", "role": "editor",
                                             "organization": "bidang-perlindungan-jaminan-sosial"})
    page = resp.get_data(as_text=True)
    password = re.search(r'id="new-password">[^<]*<code>([^<]+)</code>', page).group(1)
    auth.logout()
    assert _login(client, "baru@test.local", password).status_code == 302


def test_a_new_account_with_mail_gets_a_link(mail_app, smtp):
    sink, _ = smtp
    client = mail_app.test_client()
    _login(client, "sysadmin@test.local", PASSWORD)
    resp = client.post("/admin/users", data={"email": "baru@test.local", "role": "editor",
                                             "organization": "bidang-perlindungan-jaminan-sosial"})
    assert 'id="new-password"' not in resp.get_data(as_text=True)
    assert sink.wait()[0][0] == ["baru@test.local"]


def test_a_bad_new_account_is_explained(client, auth):
    auth.login("sysadmin")
    resp = client.post("/admin/users", data={"email": "not-an-email", "role": "editor", "organization": ""})
    assert resp.status_code == 400
    assert "Pilih organisasi" in resp.get_data(as_text=True) or "organisasi" in resp.get_data(as_text=True).lower()


# -- one's own account ---------------------------------------------------------------------

def _secret(page: str) -> str:
    return re.search(r'id="totp-key">([A-Z2-7]+)<', page).group(1)


def test_two_step_verification_for_a_sysadmin(app, client, auth, users):
    auth.login("sysadmin")
    page = client.get("/admin/account").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = _secret(page)
    wrong = client.post("/admin/account/two-factor", data={"action": "enable", "code": "000000"})
    assert wrong.status_code == 400
    client.post("/admin/account/two-factor", data={"action": "enable", "code": pyotp.TOTP(secret).now()})
    assert 'id="totp-on"' in client.get("/admin/account").get_data(as_text=True)
    auth.logout()

    resp = auth.login("sysadmin")
    assert "/user/login/code" in resp.headers["Location"]
    assert client.get("/admin/").status_code == 302  # the password alone opens nothing
    assert client.post("/user/login/code", data={"code": "123456"}).status_code == 401
    code = pyotp.TOTP(secret).now()
    assert client.post("/user/login/code", data={"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200
    auth.logout()
    auth.login("sysadmin")
    replay = client.post("/user/login/code", data={"code": code})  # the same code, again
    assert replay.status_code == 401


def test_a_second_factor_page_without_a_password_sends_back_to_login(client):
    resp = client.post("/user/login/code", data={"code": "123456"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/user/login")


def test_changing_ones_password_needs_the_current_one(app, client, auth, users):
    auth.login("editor")
    wrong = client.post("/admin/account/password", data={"current": "nope", "password": "kata-sandi-baru-1",
                                                          "confirm": "kata-sandi-baru-1"})
    assert wrong.status_code == 400 and "Kata sandi saat ini salah" in wrong.get_data(as_text=True)
    ok = client.post("/admin/account/password", data={"current": PASSWORD, "password": "kata-sandi-baru-1",
                                                       "confirm": "kata-sandi-baru-1"})
    assert ok.status_code == 302 and client.get("/admin/").status_code == 302
    assert _login(client, "editor@test.local", "kata-sandi-baru-1").status_code == 302
    with app.app_context():
        assert user_service.authenticate("editor@test.local", "kata-sandi-baru-1")
