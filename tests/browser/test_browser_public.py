"""A member of the public uses the portal in a real browser: search, preview, download, filters, language."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails on CI
    expect = None

pytestmark = pytest.mark.browser

BENCANA = "korban-bencana-sosial-2019-2024"


def _count(page) -> int:
    return int(re.search(r"\d+", page.locator("#result-count").inner_text()).group())


def test_public_searches_bencana_opens_dataset_and_downloads_csv(live_server, page, screenshot, read_csv_download):
    page.goto(live_server("/"))
    box = page.locator("main form.searchbox input[name=q]")
    box.fill("bencana")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/dataset/?\?q=bencana"))
    expect(page.locator("#result-count")).to_contain_text(re.compile(r"[1-9]"))

    result = page.locator(f".result h3 a[href='/dataset/{BENCANA}']")
    heading = result.inner_text()
    result.click()
    page.wait_for_url(re.compile(rf"/dataset/{BENCANA}$"))

    preview = page.locator("table.data")
    expect(preview.locator("thead th").first).to_have_text("kode_kabupaten_kota")
    expect(preview.locator("tbody tr")).to_have_count(10)
    expect(preview).to_contain_text("Kabupaten Lombok Barat")
    screenshot()

    with page.expect_download() as info:
        page.locator("a.download-csv").first.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = read_csv_download(download)
    assert len(rows) == 61  # header + 60 rows
    assert rows[0][0] == "kode_kabupaten_kota"
    assert Path(download.path()).read_text(encoding="utf-8").count("\n") == 61

    # Checked last so that a wrong heading does not hide the rest: the reader must see which dataset it is.
    assert heading.startswith("Korban Bencana Sosial"), f"the search result is headed {heading!r}, not the title"


def test_language_switch_persists_across_pages(live_server, page, screenshot):
    page.goto(live_server("/"))
    expect(page.locator("html")).to_have_attribute("lang", "id")

    page.locator("#lang-switch a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("header nav a[href^='/dataset']").click()
    page.wait_for_url(re.compile(r"/dataset/?$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#lang-switch a[hreflang=en]")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator("main h1")).to_have_text("Datasets")
    screenshot()

    page.locator("#lang-switch a[hreflang=id]").click()
    page.wait_for_url(re.compile(r"/dataset/?$"))  # back where the reader was
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.locator("header nav a[href='/group']").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_facet_chip_can_be_removed(live_server, page, screenshot):
    page.goto(live_server("/dataset"))
    total = _count(page)
    assert total > 1
    expect(page.locator(".chips .chip")).to_have_count(0)

    # A topic that narrows the results.
    values = page.locator("ul[data-facet=topic] li a")
    narrowing = None
    for i in range(values.count()):
        if int(values.nth(i).locator(".count").inner_text()) < total:
            narrowing = values.nth(i)
            break
    assert narrowing is not None, "no topic facet value narrows the results"
    expected = int(narrowing.locator(".count").inner_text())
    label = narrowing.locator("span").first.inner_text()
    narrowing.click()
    page.wait_for_url(re.compile(r"topic="))

    chip = page.locator(".chips .chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text(label)
    assert _count(page) == expected != total
    screenshot()

    chip.click()
    expect(page.locator(".chips .chip")).to_have_count(0)
    assert "topic=" not in page.url
    assert _count(page) == total
