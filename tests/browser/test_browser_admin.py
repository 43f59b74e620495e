"""The issue's "Done when", tried as a new user would: an org admin uploads the bencana table through the
admin pages, describes and publishes it; a member of the public finds it by typing "bencana", previews it and
downloads the same 60 rows."""
from __future__ import annotations

import re

import pytest

from tests.factories import SAMPLES

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails on CI
    expect = None

pytestmark = pytest.mark.browser

BENCANA = SAMPLES / "korban_bencana_sosial_2019_2024.csv"
TITLE = "Korban Bencana Sosial 2019-2024"


def test_admin_uploads_table_through_the_pages_and_public_finds_it(fresh_live_server, page, screenshot,
                                                                 read_csv_download):
    server = fresh_live_server
    email, password = server.users["org_admin"]

    # Nothing is public yet.
    page.goto(server("/dataset?q=bencana"))
    expect(page.locator("#result-count")).to_contain_text("0")

    # Log in.
    page.goto(server("/user/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/?$"))

    # Upload the file.
    page.goto(server("/admin/upload"))
    page.locator("#file").set_input_files(str(BENCANA))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/dataset/[^/]+/review/[^/]+$"))
    name = re.search(r"/admin/dataset/([^/]+)/review/", page.url).group(1)

    # The review shows how the file was read.
    expect(page.locator("#review-rows")).to_contain_text("60")
    expect(page.locator("#findings")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Kabupaten Lombok Barat")
    screenshot("review")

    # Describe the dataset.
    page.locator(f"main a.button[href$='/admin/dataset/{name}/edit']").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}/edit$"))
    page.locator("#title").fill(TITLE)
    page.locator("#notes").fill("Korban bencana sosial per kabupaten/kota di NTB.")
    page.locator("#metadata-form input[name=topics][value=bencana-sosial]").check()
    page.locator("#years").fill("2019-2024")
    page.locator("#metadata-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator(".flash.error")).to_have_count(0)

    # Publish.
    page.locator("#publish").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator("#dataset-state")).to_have_class(re.compile(r"\bpublished\b"))
    expect(page.locator("#publish")).to_have_count(0)

    # Log out.
    page.locator("header form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("header nav a[href='/user/login']")).to_be_visible()

    # A member of the public finds it by typing "bencana".
    box = page.locator("main form.searchbox input[name=q]")
    box.fill("bencana")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/dataset/?\?q=bencana"))
    result = page.locator(f".result h3 a[href='/dataset/{name}']")
    heading = result.inner_text()
    result.click()
    page.wait_for_url(re.compile(rf"/dataset/{name}$"))

    # Previewed...
    preview = page.locator("table.data")
    expect(preview.locator("thead th").first).to_have_text("kode_kabupaten_kota")
    expect(preview).to_contain_text("Kabupaten Lombok Barat")
    screenshot()

    # ...and downloaded with the same 60 rows.
    with page.expect_download() as info:
        page.locator("a.download-csv").first.click()
    rows = read_csv_download(info.value)
    assert len(rows) == 61
    assert rows[0][0] == "kode_kabupaten_kota"
    with open(BENCANA, encoding="utf-8") as fh:
        assert len(fh.read().splitlines()) == 61

    # Checked last so that a wrong heading does not hide the rest: the reader must see which dataset it is.
    assert heading.startswith(TITLE), f"the search result is headed {heading!r}, not the title {TITLE!r}"
