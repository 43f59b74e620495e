"""Every admin route refuses an anonymous visitor and an editor of another organization."""
from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.factories import dataset_with_table, user
from tests.support.database import stored_dataset

IGNORED_METHODS = {"HEAD", "OPTIONS"}
ARG_RE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _admin_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every admin.* route, read from the URL map."""
    return sorted((rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("admin.") for method in rule.methods - IGNORED_METHODS)


def _collect_routes() -> list[tuple[str, str, str]]:
    # Collected before any app exists: the admin blueprint's rules on a bare Flask app.
    from app.views.admin import bp

    bare = Flask("routes")
    bare.register_blueprint(bp)
    return _admin_routes(bare)


ROUTES = _collect_routes()


def _path(rule: str, ids: dict[str, str]) -> str:
    return ARG_RE.sub(lambda m: ids[m.group(1)], rule)


@pytest.fixture
def draft(app, users):
    """A draft with a table of one bidang, and an API token of its organization admin."""
    from app.services import datasets, users as user_service

    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"))
        token, raw = user_service.create_token(user("org_admin"), "tetap")
        return {"name": ds.name, "version_id": result.version.id, "resource_id": result.resource.id,
                "job_id": result.job_id, "token_id": token.id, "raw_token": raw,
                "package": datasets.package(stored_dataset(ds.id), all_versions=True)}


def test_the_route_list_covers_every_admin_endpoint(app, draft):
    routes = _admin_routes(app)
    assert routes == ROUTES
    assert {e for e, _m, _r in routes} == {r.endpoint for r in app.url_map.iter_rules()
                                          if r.endpoint.startswith("admin.")}
    assert ("admin.tokens", "POST", "/admin/tokens") in routes
    assert ("admin.revoke_token", "POST", "/admin/tokens/<token_id>/revoke") in routes
    for _endpoint, _method, rule in routes:
        _path(rule, draft)  # every id in a URL has a value from the fixtures (KeyError otherwise)


@pytest.mark.parametrize("who", ["anonymous", "other_editor"])
@pytest.mark.parametrize("endpoint,method,rule", ROUTES, ids=[f"{m} {r}" for _e, m, r in ROUTES])
def test_admin_route_refuses_outsiders(app, client, auth, draft, who, endpoint, method, rule):
    path = _path(rule, draft)
    if who != "anonymous":
        auth.login(who)
    resp = client.open(path, method=method)
    if who == "anonymous":
        assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]
    elif ARG_RE.search(rule):
        assert resp.status_code in (403, 404)
    else:
        # Pages without an id: an editor of another bidang may open them but sees none of ours.
        assert draft["name"] not in resp.get_data(as_text=True)
    # Whatever the route, the draft is untouched and still private, and the token still works.
    client.post("/user/logout")
    assert client.get(f"/dataset/{draft['name']}").status_code == 404
    shown = app.test_client().get("/api/3/action/package_show", query_string={"id": draft["name"]},
                                  headers={"Authorization": draft["raw_token"]})
    assert shown.status_code == 200
    with app.app_context():
        from app.services import datasets

        assert datasets.package(stored_dataset(draft["name"]), all_versions=True) == draft["package"]
    auth.login("org_admin")
    assert client.get(f"/admin/dataset/{draft['name']}").status_code == 200


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def csrf_app(tmp_path, database_url):
    """The portal with CSRF protection on, as in production (every other test turns it off)."""
    from tests.conftest import make_app
    from tests.factories import make_users

    app = make_app(tmp_path, database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        app.accounts = make_users()
    yield app
    app.extensions["db_engine"].dispose()


def _csrf_token(client, path: str) -> str:
    return CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)


def test_form_post_without_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    email, password = csrf_app.accounts["org_admin"]
    resp = client.post("/user/login", data={"email": email, "password": password})
    assert resp.status_code == 400
    assert "Traceback" not in resp.get_data(as_text=True)
    # With the token from the form, the same login works.
    token = _csrf_token(client, "/user/login")
    resp = client.post("/user/login", data={"email": email, "password": password, "csrf_token": token})
    assert resp.status_code == 302


def test_admin_posts_need_the_csrf_token(csrf_app):
    from app.services import users as user_service

    with csrf_app.app_context():
        ds, _result = dataset_with_table(user("org_admin"))
        name = ds.name
    client = csrf_app.test_client()
    email, password = csrf_app.accounts["org_admin"]
    client.post("/user/login", data={"email": email, "password": password,
                                     "csrf_token": _csrf_token(client, "/user/login")})
    assert client.get("/admin/").status_code == 200  # logged in

    def state():
        with csrf_app.app_context():
            return stored_dataset(name).state, len(user_service.list_tokens(user("org_admin")))

    for path, data in ((f"/admin/dataset/{name}/publish", {}), ("/admin/tokens", {"name": "tanpa csrf"})):
        refused = client.post(path, data=data)
        assert refused.status_code == 400, path
        assert "Traceback" not in refused.get_data(as_text=True)
        assert client.post(path, data={**data, "csrf_token": "not-the-token"}).status_code == 400, path
    assert state() == ("draft", 0)

    published = client.post(f"/admin/dataset/{name}/publish",
                            data={"csrf_token": _csrf_token(client, f"/admin/dataset/{name}")})
    assert published.status_code == 302
    created = client.post("/admin/tokens", data={"name": "dengan csrf",
                                                 "csrf_token": _csrf_token(client, "/admin/tokens")})
    assert created.status_code == 302
    assert state() == ("published", 1)


def test_session_cookie_is_httponly_and_samesite(client, auth):
    resp = auth.login("org_admin")
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_is_refused(client, users):
    resp = client.post("/user/login", data={"email": users["org_admin"][0], "password": "salah"})
    assert resp.status_code == 401
    assert client.get("/admin/").status_code == 302


SYSADMIN_ONLY = [("admin.incidents", "GET"), ("admin.audit", "GET"), ("admin.takedown", "POST"), ("admin.override", "POST")]


def test_the_sysadmin_only_routes_are_admin_routes():
    assert {(e, m) for e, m, _r in ROUTES} >= set(SYSADMIN_ONLY)


@pytest.mark.parametrize("who", ["org_admin", "editor", "other_editor", "other_admin"])
@pytest.mark.parametrize("endpoint,method", SYSADMIN_ONLY)
def test_sysadmin_only_routes_refuse_every_other_role(app, client, auth, draft, who, endpoint, method):
    """Takedown, its incident records and overrides: 403 even for the dataset's own organization admin."""
    rule = next(r for e, m, r in ROUTES if e == endpoint and m == method)
    auth.login(who)
    form = {"reason": "Memuat NIK penerima bantuan.", "confirm": "yes",
            "justification": "Bukan data pribadi sama sekali."}
    resp = client.open(_path(rule, draft), method=method, data=form)
    assert resp.status_code in (403, 404)
    with app.app_context():
        from app.services import datasets

        assert datasets.package(stored_dataset(draft["name"]), all_versions=True) == draft["package"]
        assert datasets.incidents(user("sysadmin")) == []
