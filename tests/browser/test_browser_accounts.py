"""Staff accounts in Chromium: a sysadmin turns on two-step verification from the QR page and logs in
with a code; deactivates a colleague who moved office; the pages fit a phone."""
from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_sysadmin_turns_on_two_step_and_logs_in_with_a_code(fresh_live_server, page, log_in, log_out, screenshot):
    server = fresh_live_server
    log_in(server, "sysadmin")
    expect(page.locator("#totp-advice")).to_be_visible()
    page.locator("#totp-advice a").click()
    page.wait_for_url(re.compile(r"/admin/account$"))
    qr = page.locator("#totp-setup img")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # the QR code is drawn (an SVG data URI)
    secret = page.locator("#totp-key").inner_text().strip()
    page.locator("#totp-setup input[name=code]").fill(pyotp.TOTP(secret).now())
    page.locator("#totp-setup button[type=submit]").click()
    expect(page.locator("#totp-on")).to_be_visible()
    screenshot("on")
    log_out()

    email, password = server.users["sysadmin"]
    page.goto(server("/user/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/user/login/code"))
    page.locator("#code").fill("000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash.error")).to_contain_text("Kode salah")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/?$"))
    expect(page.locator("#totp-advice")).to_have_count(0)


def test_sysadmin_deactivates_a_colleague_who_moved_office(fresh_live_server, page, visitor_page, log_in, screenshot):
    server = fresh_live_server
    email, password = server.users["editor"]
    log_in(server, "sysadmin")
    page.goto(server("/admin/users"))
    row = page.locator("#accounts tr", has_text=email)
    row.locator("summary").click()
    row.locator("input[name=reason]").fill("Mutasi ke Dinas Sosial Kabupaten Bima")
    row.locator("button", has_text="Nonaktifkan").click()
    page.wait_for_url(re.compile(r"/admin/users$"))
    expect(page.locator(".flash.info")).to_contain_text("riwayatnya tetap")
    expect(page.locator("#accounts tr", has_text=email)).to_contain_text("nonaktif")
    screenshot()

    visitor_page.goto(server("/user/login"))
    visitor_page.locator("#email").fill(email)
    visitor_page.locator("#password").fill(password)
    visitor_page.locator("main form button[type=submit]").click()
    expect(visitor_page.locator(".flash.error")).to_be_visible()
    assert "/user/login" in visitor_page.url


@pytest.mark.parametrize("path", ["/admin/users", "/admin/account", "/user/login", "/user/reset"])
def test_account_pages_fit_a_phone(live_server, browser, path):
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        email, password = live_server.users["sysadmin"]
        page.goto(live_server("/user/login"))
        page.locator("#email").fill(email)
        page.locator("#password").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/?$"))
        page.goto(live_server(path))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        expect(page.locator("main h1")).to_be_visible()
    finally:
        context.close()
