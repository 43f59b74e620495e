"""Every admin route refuses an anonymous visitor and an editor of another organization."""
from __future__ import annotations

import pytest

from tests.factories import dataset_with_table, user

ROUTES = [
    ("get", "/admin/"),
    ("get", "/admin/upload"),
    ("post", "/admin/upload"),
    ("get", "/admin/dataset/{name}"),
    ("get", "/admin/dataset/{name}/edit"),
    ("post", "/admin/dataset/{name}/edit"),
    ("post", "/admin/dataset/{name}/publish"),
    ("post", "/admin/dataset/{name}/submit"),
    ("post", "/admin/dataset/{name}/unpublish"),
    ("post", "/admin/dataset/{name}/delete"),
    ("post", "/admin/dataset/{name}/upload"),
    ("get", "/admin/dataset/{name}/review/{version}"),
    ("post", "/admin/dataset/{name}/review/{version}"),
    ("post", "/admin/dataset/{name}/resource/{resource}/upload"),
    ("post", "/admin/version/{version}/delete"),
    ("post", "/admin/version/{version}/override"),
    ("get", "/admin/tokens"),
]
DATASET_ROUTES = [r for r in ROUTES if "{" in r[1]]


@pytest.fixture
def draft(app, users):
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"))
        return {"name": ds.name, "version": result.version.id, "resource": result.resource.id}


@pytest.mark.parametrize("who", ["anonymous", "other_editor"])
@pytest.mark.parametrize("method,path", ROUTES)
def test_admin_route_refuses_outsiders(client, auth, draft, who, method, path):
    if who == "anonymous" or "{" in path:
        if who != "anonymous":
            auth.login(who)
        resp = getattr(client, method)(path.format(**draft))
        if who == "anonymous":
            assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]
        else:
            assert resp.status_code in (403, 404)
    else:
        # Pages without a dataset: an editor of another bidang may open them but sees none of ours.
        auth.login(who)
        resp = getattr(client, method)(path.format(**draft))
        assert draft["name"] not in resp.get_data(as_text=True)
    # Whatever the route, the draft is untouched and still private.
    client.post("/user/logout")
    assert client.get(f"/dataset/{draft['name']}").status_code == 404
    auth.login("org_admin")
    assert client.get(f"/admin/dataset/{draft['name']}").status_code == 200


def test_form_post_without_csrf_token_is_refused(tmp_path, database_url):
    from tests.conftest import make_app
    from tests.factories import make_users

    app = make_app(tmp_path, database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        accounts = make_users()
    client = app.test_client()
    email, password = accounts["org_admin"]
    resp = client.post("/user/login", data={"email": email, "password": password})
    assert resp.status_code == 400
    assert "Traceback" not in resp.get_data(as_text=True)
    # With the token from the form, the same login works.
    page = client.get("/user/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = client.post("/user/login", data={"email": email, "password": password, "csrf_token": token})
    assert resp.status_code == 302
    app.extensions["db_engine"].dispose()


def test_session_cookie_is_httponly_and_samesite(client, auth):
    resp = auth.login("org_admin")
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_is_refused(client, users):
    resp = client.post("/user/login", data={"email": users["org_admin"][0], "password": "salah"})
    assert resp.status_code == 401
    assert client.get("/admin/").status_code == 302
