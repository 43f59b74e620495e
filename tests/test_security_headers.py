"""Every answer carries the headers a government site needs: a content security policy, no caching of
admin pages or token answers, HSTS and secure cookies when the site is served over HTTPS."""
from __future__ import annotations

from tests.conftest import make_app


def test_every_page_forbids_scripts_styles_and_frames_from_elsewhere(demo_client):
    from app import models
    from app.db import session

    with demo_client.application.app_context():
        ds = session().query(models.Dataset).filter_by(name="korban-bencana-sosial-2019-2024").one()
        rid = ds.resources[0].id
    pages = {"home": "/", "search": "/dataset?q=bencana", "dataset": f"/dataset/{ds.name}",
             "resource": f"/dataset/{ds.name}/resource/{rid}", "download": f"/dataset/{ds.name}/resource/{rid}/download/t.csv",
             "API action": "/api/3/action/package_list", "admin (login redirect)": "/admin/", "not found": "/nope"}
    for kind, path in pages.items():
        resp = demo_client.get(path)
        csp = resp.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp, kind
        assert "unsafe-inline" not in csp and "object-src 'none'" in csp, kind
        assert resp.headers["X-Frame-Options"] == "DENY", kind
        assert resp.headers["X-Content-Type-Options"] == "nosniff", kind
        assert "Strict-Transport-Security" not in resp.headers, kind  # plain http: HSTS would mean nothing
    assert demo_client.get("/").headers.get("Cache-Control") != "no-store"  # public pages may be cached


def test_admin_pages_and_token_answers_are_never_cached(client, auth):
    auth.login("org_admin")
    assert client.get("/admin/").headers["Cache-Control"] == "no-store"
    assert client.get("/user/login").headers["Cache-Control"] == "no-store"
    api = client.get("/api/3/action/status_show", headers={"Authorization": "not-a-real-token"})
    assert api.headers["Cache-Control"] == "no-store"


def test_over_https_the_site_sends_hsts_and_secure_cookies(tmp_path, database_url, users):
    app = make_app(tmp_path / "https", database_url, SITE_URL="https://data.dinsos.ntbprov.go.id")
    try:
        client = app.test_client()
        resp = client.get("/", base_url="https://data.dinsos.ntbprov.go.id")
        assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
        assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
        email, password = users["org_admin"]
        login = client.post("/user/login", data={"email": email, "password": password},
                            base_url="https://data.dinsos.ntbprov.go.id")
        cookie = login.headers.get("Set-Cookie", "")
        assert "session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        app.extensions["db_engine"].dispose()


def test_hsts_is_sent_over_https_only(client):
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in client.get("/", base_url="http://localhost").headers


def test_a_signed_in_readers_pages_are_not_cached(client, auth):
    assert client.get("/dataset").headers.get("Cache-Control") != "no-store"
    auth.login("editor")
    assert client.get("/dataset").headers["Cache-Control"] == "no-store"  # may list private datasets
    assert client.get("/admin/tokens").headers["Cache-Control"] == "no-store"


def test_an_unknown_email_costs_the_same_hash_check_as_a_wrong_password(app, users, monkeypatch):
    # Counted, not timed: each answer must run exactly one password-hash check, account or not.
    import werkzeug.security

    from app.services import users as accounts

    checks = []

    def counted(stored, password):
        checks.append(stored.split("$", 1)[0])
        return werkzeug.security.check_password_hash(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    email, _password = users["org_admin"]
    with app.app_context():
        assert accounts.authenticate(email, "wrong password") is None
        assert accounts.authenticate("nobody@test.local", "wrong password") is None
    # Both with the configured method, so both cost the same.
    assert checks == ["pbkdf2:sha256:1000", "pbkdf2:sha256:1000"]


def test_no_template_holds_inline_script_or_style_the_policy_would_block():
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "app" / "templates"
    offenders = []
    for path in templates.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text) \
                or "javascript:" in text or re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(path.name)
    assert not offenders, f"inline script or style (blocked by the Content-Security-Policy) in {offenders}"
