"""A staff member logs in and out: wrong passwords are throttled per account and per address, an
unknown account answers like a known one, and logging out (or a new password, or deactivation)
ends every session, a cookie saved before included."""
from __future__ import annotations

import re
import statistics
import subprocess
import time

import pytest
import requests
from sqlalchemy import select

from app.models import LoginFailure
from app.services import users as user_service
from tests.conftest import make_app
from tests.factories import PASSWORD, make_users
from tests.support.portal_process import portal_command, portal_environment

WRONG = "not-the-password"


def _post_login(client, email, password, **kw):
    return client.post("/user/login", data={"email": email, "password": password}, **kw)


def test_100_wrong_passwords_lock_the_account_after_5(client, users):
    email, password = users["editor"]
    codes = [_post_login(client, email, WRONG).status_code for _ in range(100)]
    assert codes[:5] == [401] * 5
    assert set(codes[5:]) == {429}
    locked = _post_login(client, email, password)  # even the right password waits
    assert locked.status_code == 429
    assert 800 <= int(locked.headers["Retry-After"]) <= 900
    assert "Terlalu banyak percobaan" in locked.get_data(as_text=True)
    # another account from the same address is not locked by it (the address limit is 20 a minute)
    other_email, other_password = users["org_admin"]
    assert _post_login(client, other_email, other_password).status_code == 302


def test_an_unknown_account_is_locked_like_a_known_one(client, app):
    codes = [_post_login(client, "nobody@test.local", WRONG).status_code for _ in range(8)]
    assert codes == [401] * 5 + [429] * 3
    with app.app_context():
        from app import db
        row = db.session().get(LoginFailure, "nobody@test.local")
        assert row.locked_until is not None


def test_the_lock_ends_and_a_good_login_clears_the_count(tmp_path, database_url):
    app = make_app(tmp_path, database_url, LOGIN_LOCK_S=2, LOGIN_MAX_FAILURES=3)
    with app.app_context():
        make_users()
    client = app.test_client()
    for _ in range(3):
        assert _post_login(client, "editor@test.local", WRONG).status_code == 401
    assert _post_login(client, "editor@test.local", PASSWORD).status_code == 429
    time.sleep(2.2)
    assert _post_login(client, "editor@test.local", WRONG).status_code == 401  # a new count
    assert _post_login(client, "editor@test.local", PASSWORD).status_code == 302
    with app.app_context():
        from app import db
        assert db.session().get(LoginFailure, "editor@test.local") is None
    app.extensions["db_engine"].dispose()


def test_one_address_trying_many_accounts_is_throttled(tmp_path, database_url):
    app = make_app(tmp_path, database_url, LOGIN_ADDRESS_LIMIT="10/minute")
    with app.app_context():
        make_users()
    client = app.test_client()
    codes = [_post_login(client, f"guess{i}@test.local", WRONG).status_code for i in range(12)]
    assert codes == [401] * 10 + [429] * 2
    # the limit is the address's: another address still gets an answer
    other = _post_login(client, "guess99@test.local", WRONG, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 401
    app.extensions["db_engine"].dispose()


def test_behind_a_proxy_the_readers_address_is_counted(tmp_path, database_url):
    app = make_app(tmp_path, database_url, LOGIN_ADDRESS_LIMIT="3/minute", PROXY_HOPS=1)
    client = app.test_client()
    for i in range(3):
        _post_login(client, f"g{i}@test.local", WRONG, headers={"X-Forwarded-For": "203.0.113.7"})
    assert _post_login(client, "g9@test.local", WRONG, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    assert _post_login(client, "g9@test.local", WRONG, headers={"X-Forwarded-For": "203.0.113.8"}).status_code == 401
    app.extensions["db_engine"].dispose()


def test_known_and_unknown_accounts_answer_in_the_same_time(tmp_path, database_url):
    # a hash that costs ~50 ms, so that skipping it for an unknown account would show
    app = make_app(tmp_path, database_url, PASSWORD_HASH_METHOD="pbkdf2:sha256:150000", LOGIN_MAX_FAILURES=1000,
                   LOGIN_ADDRESS_LIMIT="1000/minute")
    with app.app_context():
        user_service.create_user(None, "known@test.local", PASSWORD, role="sysadmin", _system=True)
    client = app.test_client()

    def timed(email):
        start = time.perf_counter()
        assert _post_login(client, email, WRONG).status_code == 401
        return time.perf_counter() - start

    timed("warm@test.local")
    known = statistics.median(timed("known@test.local") for _ in range(9))
    unknown = statistics.median(timed(f"unknown{i}@test.local") for i in range(9))
    assert known > 0.01  # the hash was really checked
    assert 0.5 < unknown / known < 2, (known, unknown)
    app.extensions["db_engine"].dispose()


def _admin_page(client):
    return client.get("/admin/")


def test_a_cookie_saved_before_logout_no_longer_opens_admin(client, auth):
    auth.login("org_admin")
    assert _admin_page(client).status_code == 200
    saved = client.get_cookie("session").value
    auth.logout()
    client.set_cookie("session", saved)  # the attacker's copy, replayed
    resp = _admin_page(client)
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]


def test_the_session_holds_a_token_not_the_account_id(app, client, auth):
    auth.login("editor")
    with client.session_transaction() as sess:
        held = sess["_user_id"]
    with app.app_context():
        from tests.factories import user
        me = user("editor")
        assert held == me.session_token and held != str(me.id) and len(held) >= 40


def test_a_new_password_or_deactivation_ends_other_sessions(app, users):
    laptop, phone = app.test_client(), app.test_client()
    for c in (laptop, phone):
        assert _post_login(c, *users["editor"]).status_code == 302
    with app.app_context():
        from tests.factories import user
        user_service.reset_password(user("sysadmin"), "editor@test.local", "a-new-password-1")
    assert _admin_page(laptop).status_code == 302
    assert _post_login(phone, "editor@test.local", "a-new-password-1").status_code == 302
    assert _admin_page(phone).status_code == 200
    with app.app_context():
        from tests.factories import user
        user_service.deactivate_user(user("sysadmin"), user("editor").id, "mutasi")
    assert _admin_page(phone).status_code == 302
    assert _post_login(phone, "editor@test.local", "a-new-password-1").status_code == 401


# -- several server processes share the account's count -----------------------------------

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else "server stopped"
        try:
            requests.get(url + "/user/login", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not start")


def _login_over_http(base: str, email: str, password: str) -> int:
    s = requests.Session()
    token = CSRF_RE.search(s.get(base + "/user/login", timeout=10).text).group(1)
    resp = s.post(base + "/user/login", data={"email": email, "password": password, "csrf_token": token},
                  allow_redirects=False, timeout=30)
    return resp.status_code


def test_two_server_processes_share_the_account_lock(tmp_path, database_url):
    app = make_app(tmp_path, database_url)
    with app.app_context():
        make_users()
    app.extensions["db_engine"].dispose()
    env = portal_environment(tmp_path, database_url)
    procs, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            procs.append(subprocess.Popen([*portal_command(), "serve", "--port", str(port)], env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(bases, procs):
            _wait_up(base, proc)
        # wrong passwords alternate between the two processes: the lock counts them all
        codes = [_login_over_http(bases[i % 2], "editor@test.local", WRONG) for i in range(7)]
        assert codes == [401] * 5 + [429] * 2
        assert _login_over_http(bases[0], "editor@test.local", PASSWORD) == 429
        assert _login_over_http(bases[1], "editor@test.local", PASSWORD) == 429
        assert _login_over_http(bases[1], "admin@test.local", PASSWORD) == 302
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.parametrize("n", [12])
def test_concurrent_wrong_passwords_are_all_counted(tmp_path, database_url, n):
    """Failures arriving at the same moment are each counted (one UPDATE each), none lost."""
    import threading

    app = make_app(tmp_path, database_url, LOGIN_MAX_FAILURES=1000, LOGIN_ADDRESS_LIMIT="1000/minute")
    with app.app_context():
        make_users()
    barrier = threading.Barrier(n)

    def attempt():
        with app.test_client() as c:
            barrier.wait()
            _post_login(c, "editor@test.local", WRONG)

    threads = [threading.Thread(target=attempt) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with app.app_context():
        from app import db
        assert db.session().scalar(select(LoginFailure.failures).where(LoginFailure.email == "editor@test.local")) == n
    app.extensions["db_engine"].dispose()


# -- several processes share the address's count through Redis ----------------------------

def test_two_server_processes_share_the_address_limit_through_redis(tmp_path, database_url, redis_url):
    app = make_app(tmp_path, database_url)
    with app.app_context():
        make_users()
    app.extensions["db_engine"].dispose()
    env = portal_environment(tmp_path, database_url)
    env.update({"RATELIMIT_STORAGE_URI": redis_url, "LOGIN_ADDRESS_LIMIT": "6/minute"})
    procs, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            procs.append(subprocess.Popen([*portal_command(), "serve", "--port", str(port)], env=env,
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            bases.append(f"http://127.0.0.1:{port}")
        for base, proc in zip(bases, procs):
            _wait_up(base, proc)
        # a different account name each time (no account lock): only the address's count stops it
        codes = [_login_over_http(bases[i % 2], f"guess{i}@test.local", WRONG) for i in range(8)]
        assert codes == [401] * 6 + [429] * 2
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
