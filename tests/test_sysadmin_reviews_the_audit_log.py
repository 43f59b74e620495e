"""A sysadmin reviews what administrators did (/admin/audit): who published, overrode, deleted,
changed a role, created or deactivated an account, reset a password, revoked a token; filtered by
account and dates (an empty field is no filter), newest first, a page at a time."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from app.services import activity, datasets, users as user_service
from app.views.template_helpers import AUDIT_LABELS
from tests.factories import dataset_with_table, user

ENTRY_RE = re.compile(r'<tr class="audit-entry" data-action="([a-z_]+:[a-z_]+)">(.*?)</tr>', re.S)


def _entries(resp) -> list[tuple[str, str]]:
    """(action:object_type, row html) of each row on the page, top to bottom."""
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return ENTRY_RE.findall(resp.get_data(as_text=True))


@pytest.fixture
def history(app, users):
    """Administrators at work, through the services: returns ids to look for."""
    with app.app_context():
        admin, sysadmin = user("org_admin"), user("sysadmin")
        published, _r = dataset_with_table(admin, name="uji-audit-terbit", publish=True)
        gone, _r = dataset_with_table(admin, name="uji-audit-hapus")
        datasets.delete(admin, gone.id)
        user_service.change_role(sysadmin, user("editor").id, "org_admin", "bidang-perlindungan-jaminan-sosial")
        user_service.deactivate_user(sysadmin, user("other_editor").id, "mutasi ke Dinas Sosial Kota Bima")
        token, _raw = user_service.create_token(admin, "harvester")
        user_service.revoke_token(admin, token.id)
        # routine editing is not an admin action: an update stays out of the audit page
        datasets.update(admin, published.id, {"notes": "Catatan baru."})
        return {"published": published.name, "editor": user("editor").id, "admin": admin.id,
                "sysadmin": sysadmin.id, "other_editor": user("other_editor").id}


def test_every_audited_action_has_a_label():
    assert set(activity.AUDITED_ACTIONS) == set(AUDIT_LABELS)


def test_empty_filter_lists_every_admin_action_newest_first(client, auth, history):
    auth.login("sysadmin")
    everything = _entries(client.get("/admin/audit"))
    empty_fields = _entries(client.get("/admin/audit?user=&action=&from=&to="))
    assert everything == empty_fields
    actions = [a for a, _row in everything]
    assert actions[:5] == ["revoke:api_token", "create:api_token", "deactivate:user", "change_role:user",
                           "delete:dataset"]
    assert "publish:dataset" in actions and "create:user" in actions  # the fixture's accounts, by the system
    assert "update:dataset" not in actions and "upload:resource" not in actions
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Log audit" in page  # Indonesian first
    # the published dataset is linked, the deleted one is named but not linked
    publish_row = dict(everything)["publish:dataset"]
    assert f'href="/admin/dataset/{history["published"]}"' in publish_row
    delete_row = dict(everything)["delete:dataset"]
    assert "href" not in delete_row and "Uji" in delete_row
    role_row = dict(everything)["change_role:user"]
    assert f'#user-{history["editor"]}"' in role_row and "editor@test.local" in role_row
    assert "mutasi ke Dinas Sosial Kota Bima" in dict(everything)["deactivate:user"]


def test_filter_by_account(client, auth, history):
    auth.login("sysadmin")
    by_sysadmin = [a for a, _r in _entries(client.get(f"/admin/audit?user={history['sysadmin']}"))]
    assert sorted(by_sysadmin) == ["change_role:user", "deactivate:user"]
    by_admin = [a for a, _r in _entries(client.get(f"/admin/audit?user={history['admin']}&from=&to="))]
    assert by_admin == ["revoke:api_token", "create:api_token", "delete:dataset", "publish:dataset"]
    page = client.get("/admin/audit").get_data(as_text=True)
    assert f'<option value="{history["admin"]}"' in page  # the account list offers who appears in the log
    only_revoked = _entries(client.get(f"/admin/audit?user={history['admin']}&action=revoke:api_token"))
    assert [a for a, _r in only_revoked] == ["revoke:api_token"]


def test_filter_by_dates_includes_both_ends(client, auth, history):
    auth.login("sysadmin")
    today = datetime.now(timezone.utc).date()
    everything = _entries(client.get("/admin/audit"))
    assert _entries(client.get(f"/admin/audit?from={today}&to={today}")) == everything
    assert _entries(client.get(f"/admin/audit?from={today}")) == everything
    assert _entries(client.get(f"/admin/audit?to={today}")) == everything
    assert _entries(client.get(f"/admin/audit?from={today + timedelta(days=1)}")) == []
    assert _entries(client.get(f"/admin/audit?to={today - timedelta(days=1)}")) == []
    assert _entries(client.get(f"/admin/audit?from={today - timedelta(days=30)}&to={today - timedelta(days=1)}")) == []


@pytest.mark.parametrize("query,message", [
    ("from=31-03-2026", "YYYY-MM-DD"),
    ("to=kemarin", "YYYY-MM-DD"),
    ("from=2026-02-30", "YYYY-MM-DD"),
    ("from=2026-03-31&to=2026-03-01", "lebih akhir daripada"),
    ("user=abc", "akun"),
])
def test_bad_filter_is_a_400_with_a_message(client, auth, history, query, message):
    auth.login("sysadmin")
    resp = client.get(f"/admin/audit?{query}")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert message in page and 'class="flash error"' in page
    assert "Traceback" not in page and 'id="audit-filters"' in page  # the form again, to correct it


@pytest.mark.parametrize("who", ["org_admin", "editor", "other_admin"])
def test_only_a_sysadmin_sees_the_audit_log(client, auth, history, who):
    auth.login(who)
    resp = client.get("/admin/audit")
    assert resp.status_code == 403
    assert "mutasi ke Dinas Sosial Kota Bima" not in resp.get_data(as_text=True)
    assert client.get("/admin/audit?from=bukan-tanggal").status_code == 403  # refused before validated
    assert b"/admin/audit" not in client.get("/admin/").data  # no link on their dashboard


def test_anonymous_is_sent_to_login(client, history):
    resp = client.get("/admin/audit")
    assert resp.status_code == 302 and "/user/login" in resp.headers["Location"]


def test_the_dashboard_links_the_audit_log_for_a_sysadmin(client, auth, history):
    auth.login("sysadmin")
    assert b'href="/admin/audit"' in client.get("/admin/").data


def test_long_log_is_paginated_keeping_the_filters(app, client, auth, users):
    with app.app_context():
        admin = user("org_admin")
        for i in range(30):  # 60 audited actions by one account
            token, _raw = user_service.create_token(admin, f"token {i}")
            user_service.revoke_token(admin, token.id)
        admin_id = admin.id
    auth.login("sysadmin")
    first = client.get(f"/admin/audit?user={admin_id}")
    page = first.get_data(as_text=True)
    assert len(_entries(first)) == activity.AUDIT_PAGE_SIZE
    assert "60 tindakan" in page and "Halaman 1 dari 2" in page
    next_href = re.search(r'<a class="button secondary" href="([^"]+)">Berikutnya', page).group(1)
    assert f"user={admin_id}" in next_href and "page=2" in next_href
    second = _entries(client.get(next_href.replace("&amp;", "&")))
    assert len(second) == 60 - activity.AUDIT_PAGE_SIZE
    assert second[-1][0] == "create:api_token" and 'token 0' in second[-1][1]  # the oldest, last
    assert _entries(client.get(f"/admin/audit?user={admin_id}&page=99"))[-1] == second[-1]  # past the end: the last page
