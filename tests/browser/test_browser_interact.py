"""The interact channel in Chromium: a visitor files an information request on a 360 px phone, the
PPID fulfils it, and the visitor finds the answer in the public register; a comment on a dataset."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


WIDE = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361
    && !e.closest('.table-scroll')).slice(0, 5).map(e => e.tagName + '.' + e.className)"""


def _phone(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 800})
    context.set_default_timeout(20_000)
    return context, context.new_page()


def test_a_visitor_files_a_request_on_a_phone_and_finds_the_answer_in_the_register(fresh_live_server, browser, page,
                                                                                 log_in, screenshot):
    server = fresh_live_server
    context, phone = _phone(browser)
    try:
        phone.goto(server("/"))
        phone.locator("header a", has_text="Minta data").click()
        phone.wait_for_url(re.compile(r"/permintaan$"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, phone.evaluate(WIDE)
        expect(phone.locator("#privacy-notice")).to_be_visible()
        phone.locator("#subject").fill("Jumlah penyandang disabilitas per kabupaten 2024")
        phone.locator("#purpose").fill("Perencanaan program desa")
        phone.locator("#name").fill("Lalu Ahmad Zaini")
        phone.locator("#contact").fill("0819 0712 3456")
        phone.locator("input[name=is_public]").check()
        phone.locator("#request-form button[type=submit]").click()
        number = phone.locator("#request-number").inner_text()
        assert re.fullmatch(r"PPID-\d{4}-\d{6}", number)
        tracking = phone.locator("#tracking-link").get_attribute("href")
        screenshot("filed", of=phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, phone.evaluate(WIDE)

        log_in(server, "sysadmin")
        page.goto(server("/admin/permintaan/"))
        page.locator("#inbox a", has_text=number).click()
        page.locator("#act-fulfil textarea[name=reply]").fill("Data terlampir di portal; terima kasih.")
        page.locator("#act-fulfil button[type=submit]").click()
        expect(page.locator(".flash.info")).to_contain_text("Dipenuhi")

        phone.goto(server("/permintaan/daftar"))
        row = phone.locator("#register tr", has_text=number)
        expect(row).to_contain_text("dipenuhi")
        row.locator("a").click()
        expect(phone.locator("#reply")).to_contain_text("Data terlampir")
        expect(phone.locator("main")).not_to_contain_text("Zaini")
        expect(phone.locator("main")).not_to_contain_text("0819")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, phone.evaluate(WIDE)
        screenshot("register", of=phone)
        phone.goto(server("/permintaan/daftar"))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, phone.evaluate(WIDE)
        phone.goto(tracking)
        expect(phone.locator("#objection-form")).to_be_visible()
    finally:
        context.close()


def test_a_reader_reports_an_error_on_a_dataset(live_server, page, screenshot):
    page.goto(live_server("/dataset/korban-bencana-sosial-2019-2024"))
    page.locator("#give-feedback").click()
    page.wait_for_url(re.compile(r"/permintaan\?dataset="))
    expect(page.locator("main")).to_contain_text("Korban Bencana Sosial")
    page.locator("#subject").fill("Angka korban Lombok Utara 2021 tertukar")
    page.locator("#name").fill("Warga Tanjung")
    page.locator("#contact").fill("warga.tanjung@example.com")
    page.locator("#request-form button[type=submit]").click()
    expect(page.locator("#request-number")).to_have_text(re.compile(r"MSK-\d{4}-\d{6}"))
    screenshot()
