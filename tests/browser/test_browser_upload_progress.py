"""An upload too big to be read while the form waits, followed in Chromium: the form answers at once
with the progress page, whose rows read, percent and findings so far change without the page being
reloaded, and which opens the review by itself when the reading ends; no critical or serious axe
violation. On a 360 px phone, in Indonesian and in English. The reading is the real one: the portal's own consumer thread on its queue."""
from __future__ import annotations

import re
import time

import pytest

from tests.browser.conftest import log_in_with_form

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails on CI
    expect = None

pytestmark = pytest.mark.browser

PROGRESS = re.compile(r"/admin/upload/[0-9a-f-]{36}$")
REVIEW = re.compile(r"/admin/dataset/[^/]+/review/[^/]+$")
REGIONS = ["Kota Mataram", "Lombok Barat", "Lombok Tengah", "Lombok Timur", "Sumbawa Barat", "Sumbawa", "Dompu",
           "Bima", "Kota Bima", "Lombok Utara"]
SEPARATOR = {"id": ".", "en": ","}
TEXT = {"id": {"title": "Membaca unggahan", "rows": "Baris terbaca", "none": "Belum ada"},
        "en": {"title": "Reading the upload", "rows": "Rows read", "none": "None so far"}}


def _big_csv_with_phones(folder, rows: int):
    """Counts by region and year, with a contact column of mobile numbers (what the scan must find)."""
    path = folder / "pendamping_pkh_per_desa.csv"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("kabupaten_kota,tahun,desa_ke,jumlah_kpm,jumlah_pendamping,kontak_pendamping\n")
        fh.writelines(f"{REGIONS[i % 10]},{2019 + i % 6},{i % 97 + 1},{(i * 7919) % 4000},{i % 9 + 1},"
                      f"08{1 + i % 9}{(i * 104729) % 10**9:09d}\n" for i in range(rows))
    return path


@pytest.fixture
def slow_form(live_server, monkeypatch):
    """The shared portal with its form not waiting for the reading, and frequent progress reports."""
    from app.services import ingest_run

    config = live_server.app.config
    monkeypatch.setitem(config, "INGEST_FORM_WAIT_S", 0)
    monkeypatch.setitem(config, "INGEST_HEARTBEAT_S", 0.2)
    monkeypatch.setattr(ingest_run, "FINDINGS_EVERY_S", 0.3)
    return live_server


@pytest.mark.parametrize("lang,width", [("id", 360), ("en", 1280)])
def test_admin_follows_a_big_upload_on_its_progress_page_to_the_review(slow_form, browser, screenshot_dir, tmp_path,
                                                                     lang, width):
    server = slow_form
    big = _big_csv_with_phones(tmp_path, 400_000)
    from tests.browser.test_browser_accessibility import _blocking, run_axe

    # bypass_csp: axe is injected into the page (the portal's policy allows only its own scripts)
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        log_in_with_form(page, server, "editor")
        page.goto(server(f"/lang/{lang}?next=/admin/upload"))
        page.locator("#file").set_input_files(str(big))
        page.locator("#title").fill(f"Uji Progres Baca {lang}")
        page.locator("#upload-submit").click()
        page.wait_for_url(PROGRESS)
        expect(page.locator("h1")).to_have_text(TEXT[lang]["title"])
        page.evaluate("window.__samePage = true")  # gone if the page were reloaded
        assert not _blocking(run_axe(page)), "critical or serious accessibility violations on the progress page"

        rows = page.locator('[data-job-field="rows_read"]')
        seen = set()
        findings = page.locator("[data-job-findings] li").first
        # The figures change in place while the file is read, and a finding appears before the end.
        deadline = time.monotonic() + 120  # a reading that stalls fails the test, never hangs it
        while len(seen) < 3 or findings.inner_text() == TEXT[lang]["none"]:
            assert time.monotonic() < deadline, f"the progress page stopped changing: rows {sorted(seen)}"
            if REVIEW.search(page.url):
                pytest.fail(f"the review opened before the progress was seen: rows {sorted(seen)}")
            text = rows.inner_text()
            seen.add(text)
            assert page.evaluate("window.__samePage === true"), "the progress page was reloaded"
            page.wait_for_timeout(100)
        assert [int(re.sub(r"\D", "", t) or 0) for t in sorted(seen)] != [0], seen
        assert int(page.locator('[data-job-field="percent"]').inner_text()) > 0
        grouped = [t for t in seen if len(re.sub(r"\D", "", t)) > 3]
        assert grouped and all(re.fullmatch(r"\d{1,3}(%s\d{3})+" % re.escape(SEPARATOR[lang]), t) for t in grouped), seen
        assert "nomor telepon" in findings.inner_text() or "phone" in findings.inner_text(), findings.inner_text()
        assert not re.search(r"08\d{10}", page.locator("main").inner_text())  # masked examples only
        page.screenshot(path=str(screenshot_dir / f"upload-progress-{lang}-{width}.png"), full_page=True)
        width_now = page.evaluate("document.documentElement.scrollWidth")
        assert width_now <= width, f"the progress page is {width_now}px wide at {width}px"

        page.wait_for_url(REVIEW, timeout=180_000)  # opened by the page's script, not by the test
        expect(page.locator("#findings")).to_be_visible()
        expect(page.locator("#review-rows")).to_contain_text(re.compile(r"\d"))
    finally:
        context.close()
