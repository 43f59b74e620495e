"""The audit log in Chromium: a sysadmin filters it by account; at 1280 and at 360 px the page is
no wider than the window (a wide table scrolls inside its own box)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.services import datasets, users as user_service
from tests.factories import dataset_with_table, user

pytestmark = pytest.mark.browser

LONG_REASON = ("Mutasi ke Dinas Sosial Kabupaten Lombok Timur berdasarkan Surat Keputusan Gubernur Nusa Tenggara "
               "Barat Nomor 800.1.3.3-1234/BKD/2026 tentang pemindahan pegawai negeri sipil antarperangkat daerah")


@pytest.mark.parametrize("width", [1280, 360])
def test_sysadmin_filters_the_audit_log_within_the_window(fresh_live_server, browser, width, screenshot_dir):
    server = fresh_live_server
    with server.app.app_context():
        admin, sysadmin = user("org_admin"), user("sysadmin")
        ds, _r = dataset_with_table(admin, name="uji-audit-peramban-dengan-nama-yang-sangat-panjang-sekali", publish=True,
                                    title="Jumlah Penerima Bantuan Sosial Program Keluarga Harapan per Kabupaten/Kota "
                                          "dan Kecamatan di Provinsi Nusa Tenggara Barat 2019-2024")
        user_service.deactivate_user(sysadmin, user("other_editor").id, LONG_REASON)
        token, _raw = user_service.create_token(admin, "harvester-satu-data-indonesia-kementerian-sosial")
        user_service.revoke_token(admin, token.id)
        datasets.unpublish(admin, ds.id)
        admin_id = admin.id
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        email, password = server.users["sysadmin"]
        page.goto(server("/user/login"))
        page.locator("#email").fill(email)
        page.locator("#password").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/?$"))
        page.locator("main a[href='/admin/audit']").click()
        page.wait_for_url(re.compile(r"/admin/audit$"))
        expect(page.locator("main h1")).to_have_text("Log audit")
        expect(page.locator("#audit-log")).to_contain_text(LONG_REASON)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("tr.audit-entry").count() >= 5
        page.screenshot(path=str(screenshot_dir / f"audit-{width}.png"), full_page=True)

        page.locator("#audit-user").select_option(str(admin_id))
        page.locator("#audit-filters button[type=submit]").click()
        page.wait_for_url(re.compile(rf"user={admin_id}"))
        rows = page.locator("tr.audit-entry")
        assert [rows.nth(i).get_attribute("data-action") for i in range(rows.count())] == [
            "unpublish:dataset", "revoke:api_token", "create:api_token", "publish:dataset"]
        expect(page.locator("#audit-log")).not_to_contain_text(LONG_REASON)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for box in ("#audit-user", "#audit-from", "#audit-to", "#audit-filters button[type=submit]"):
            right = page.locator(box).evaluate("e => e.getBoundingClientRect().right")
            assert right <= width, box  # every field reachable without scrolling sideways

        page.locator("#audit-from").fill("2026-03-31")
        page.locator("#audit-to").fill("2026-03-01")
        page.locator("#audit-filters button[type=submit]").click()
        expect(page.locator(".flash.error")).to_contain_text("lebih akhir")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(screenshot_dir / f"audit-{width}-bad-dates.png"), full_page=True)
    finally:
        context.close()
