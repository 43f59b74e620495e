"""A member of the public explores one table in a real browser: the table form (filter, search, sort, reset),
paging, and the chart form. Expected rows come from the demo CSV itself, not from the portal."""
from __future__ import annotations

import csv
import re

import pytest

from tests.factories import SAMPLES

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails on CI
    expect = None

pytestmark = pytest.mark.browser

BENCANA = "korban-bencana-sosial-2019-2024"
PAGE_SIZE = 25  # rows per page of the resource page

with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", encoding="utf-8") as _fh:
    ROWS = list(csv.DictReader(_fh))  # the 60 rows as uploaded


@pytest.fixture(scope="module")
def table_path(live_server, browser):
    """The bencana table's page, found the way a reader finds it: from the dataset page."""
    context = browser.new_context(locale="id-ID")
    try:
        page = context.new_page()
        page.goto(live_server(f"/dataset/{BENCANA}"))
        page.locator("main .result h3 a[href*='/resource/']").first.click()
        page.wait_for_url(re.compile(rf"/dataset/{BENCANA}/resource/[^/?]+$"))
        return page.url[len(live_server.url):]
    finally:
        context.close()


def _open_table(page, server, path):
    page.goto(server(path))
    expect(page.locator("#row-count")).to_have_text("60 baris")


def _row_count(page) -> int:
    text = page.locator("#row-count").inner_text()
    match = re.fullmatch(r"(\d+) baris", text.strip())
    assert match, f"#row-count reads {text!r}"
    return int(match.group(1))


def _shown(page) -> list[dict[str, str]]:
    """The rows of the table view, as {column: displayed text}."""
    header, rows = page.locator("main .scroll table.data").first.evaluate(
        """t => [[...t.tHead.rows[0].cells].map(c => c.dataset.column || c.innerText),
                 [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText))]""")
    return [dict(zip(header, cells)) for cells in rows]


def _number(text: str) -> float:
    """A number as the Indonesian interface shows it: 1.234,5."""
    return float(text.strip().replace(".", "").replace(",", "."))


def _submit_table_form(page):
    page.locator("#table-filter button[type=submit]").click()
    page.wait_for_load_state()


def test_public_filters_preview_table_by_region_and_sees_only_its_rows(live_server, table_path, page,
                                                                     screenshot):
    _open_table(page, live_server, table_path)
    region = "Kabupaten Lombok Barat"
    expected = [r for r in ROWS if r["nama_kabupaten_kota"] == region]
    assert len(expected) == 6  # one row a year, 2019-2024

    # Only this field is filled: every other column's field is submitted empty, as a browser does.
    page.locator("#table-filter input[name='f.nama_kabupaten_kota']").fill(region)
    _submit_table_form(page)

    expect(page.locator("#table-filter input[name='f.nama_kabupaten_kota']")).to_have_value(region)
    screenshot()
    shown = _shown(page)
    assert _row_count(page) == len(expected), "the row count does not match the filter"
    assert [r["nama_kabupaten_kota"] for r in shown] == [region] * len(expected)
    assert [r["tahun"] for r in shown] == [r["tahun"] for r in expected]
    assert [_number(r["jiwa_mengungsi"]) for r in shown] == [float(r["jiwa_mengungsi"]) for r in expected]
    expect(page.locator("a.download-csv")).to_contain_text("hasil filter")


def test_public_sorts_table_by_a_number_column_descending_and_pages_on_in_that_order(live_server, table_path, page,
                                                                                     screenshot):
    _open_table(page, live_server, table_path)
    page.locator("#table-filter select[name=sort]").select_option("jiwa_mengungsi")
    page.locator("#table-filter input[name=desc]").check()
    _submit_table_form(page)

    expect(page.locator("#table-filter select[name=sort]")).to_have_value("jiwa_mengungsi")
    expect(page.locator("#table-filter input[name=desc]")).to_be_checked()
    screenshot()
    assert _row_count(page) == 60
    ordered = sorted((int(r["jiwa_mengungsi"]) for r in ROWS), reverse=True)
    first = [_number(r["jiwa_mengungsi"]) for r in _shown(page)]
    assert first == ordered[:PAGE_SIZE], "the first page is not the largest values, largest first"

    page.locator("nav.pager a[rel=next]").click()
    page.wait_for_url(re.compile(r"[?&]after="))
    second = [_number(r["jiwa_mengungsi"]) for r in _shown(page)]
    assert second == ordered[PAGE_SIZE:2 * PAGE_SIZE], "the next page does not continue the descending order"


def test_public_searches_within_the_table_then_resets_it(live_server, table_path, page, screenshot):
    _open_table(page, live_server, table_path)
    expected = [r for r in ROWS if "sumbawa" in r["nama_kabupaten_kota"].lower()]
    assert len(expected) == 12  # Kabupaten Sumbawa and Kabupaten Sumbawa Barat

    page.locator("#table-filter input[name=q]").fill("Sumbawa")
    _submit_table_form(page)
    expect(page.locator("#table-filter input[name=q]")).to_have_value("Sumbawa")
    screenshot("searched")
    assert _row_count(page) == len(expected)
    shown = _shown(page)
    assert sorted(r["nama_kabupaten_kota"] for r in shown) == sorted(r["nama_kabupaten_kota"] for r in expected)

    page.locator("#table-filter a", has_text="Atur ulang").click()
    page.wait_for_load_state()
    expect(page.locator("#table-filter input[name=q]")).to_have_value("")
    screenshot()
    assert _row_count(page) == 60
    assert len(_shown(page)) == PAGE_SIZE
    assert _shown(page)[0]["nama_kabupaten_kota"] == ROWS[0]["nama_kabupaten_kota"]
    expect(page.locator("a.download-csv")).not_to_contain_text("hasil filter")


def test_public_filter_that_matches_nothing_says_no_rows_match(live_server, table_path, page, screenshot):
    _open_table(page, live_server, table_path)
    page.locator("#table-filter input[name='f.nama_kabupaten_kota']").fill("Kabupaten Tidak Ada")
    _submit_table_form(page)

    screenshot()
    expect(page.locator("#row-count")).to_have_text("0 baris")
    expect(page.locator("#no-rows")).to_be_visible()
    expect(page.locator("#no-rows")).to_contain_text("Tidak ada baris yang cocok")
    expect(page.locator("main .scroll table.data")).to_have_count(0)  # no empty table instead


def test_public_pages_through_the_table_with_next_and_previous(live_server, table_path, page, screenshot):
    _open_table(page, live_server, table_path)
    expect(page.locator("nav.pager a[rel=prev]")).to_have_count(0)

    def years_and_regions():
        return [(r["tahun"], r["kode_kabupaten_kota"]) for r in _shown(page)]

    def expected(start, stop):
        return [(r["tahun"], r["kode_kabupaten_kota"]) for r in ROWS[start:stop]]

    assert years_and_regions() == expected(0, 25)
    page.locator("nav.pager a[rel=next]").click()
    page.wait_for_url(re.compile(r"[?&]after="))
    assert years_and_regions() == expected(25, 50)
    page.locator("nav.pager a[rel=next]").click()
    page.wait_for_url(re.compile(r"[?&]after="))
    assert years_and_regions() == expected(50, 60)
    expect(page.locator("nav.pager a[rel=next]")).to_have_count(0)  # the last page
    screenshot()

    page.locator("nav.pager a[rel=prev]").click()
    page.wait_for_url(re.compile(r"[?&]before="))
    assert years_and_regions() == expected(25, 50)
    assert _row_count(page) == 60


def test_public_pages_through_the_dataset_preview(live_server, page, screenshot):
    page.goto(live_server(f"/dataset/{BENCANA}"))
    preview = page.locator("main .scroll table.data").first

    def first_column():
        return preview.locator("tbody tr td:first-child").all_inner_texts()

    def years():
        return preview.locator("tbody tr td:nth-child(3)").all_inner_texts()

    assert years() == [r["tahun"] for r in ROWS[:10]]
    page.locator("main nav.pager a", has_text="Berikutnya").click()
    page.wait_for_url(re.compile(r"[?&]after="))
    assert years() == [r["tahun"] for r in ROWS[10:20]]
    assert first_column() == [r["kode_kabupaten_kota"] for r in ROWS[10:20]]
    screenshot()
    page.locator("main nav.pager a", has_text="Sebelumnya").click()
    page.wait_for_url(re.compile(r"[?&]before="))
    assert first_column() == [r["kode_kabupaten_kota"] for r in ROWS[:10]]


def _bars(page) -> dict[str, float]:
    """The chart's figures as {label: value}, from its table for screen readers."""
    rows = page.locator("#chart-table tbody tr").evaluate_all(
        "rows => rows.map(row => [...row.children].map(e => e.textContent))")
    return {cells[0]: _number(cells[-1]) for cells in rows}


def _sums(group: str, value: str, rows=ROWS) -> dict[str, float]:
    out: dict[str, float] = {}
    for r in rows:
        out[r[group]] = out.get(r[group], 0) + float(r[value])
    return out


def _drawn(page) -> None:
    """The chart's picture loaded, and takes the chart's width."""
    image = page.locator("#chart-image")
    page.wait_for_function("() => document.querySelector('#chart-image').complete")
    assert image.evaluate("img => img.naturalWidth") > 0, "the chart's SVG did not load"
    assert image.bounding_box()["width"] >= min(800, 0.8 * page.locator("figure.chart").bounding_box()["width"] - 40)


def test_public_charts_another_measure_per_region_and_the_bars_change(live_server, table_path, page, screenshot):
    _open_table(page, live_server, table_path)
    image = page.locator("#chart-image")
    expect(image).to_have_attribute("alt", "Jumlah kejadian per tahun")  # a year column: a line over the years
    assert _bars(page) == _sums("tahun", "jumlah_kejadian")
    _drawn(page)

    form = page.locator("#chart-form")
    form.locator("select[name=chart_y]").select_option("jiwa_mengungsi")
    form.locator("select[name=chart_x]").select_option("kode_kabupaten_kota")
    form.locator("select[name=chart_type]").select_option("bar")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"chart_x=kode_kabupaten_kota"))

    expect(image).to_have_attribute("alt", "Jiwa mengungsi per kabupaten/kota")
    expect(form.locator("select[name=chart_y]")).to_have_value("jiwa_mengungsi")
    _drawn(page)
    page.locator("#chart-figures summary").click()
    screenshot()
    bars = _bars(page)
    assert bars == _sums("nama_kabupaten_kota", "jiwa_mengungsi"), "regions by their names, not their codes"
    assert list(bars.values()) == sorted(bars.values(), reverse=True), "bars are not largest first"


def test_public_charts_the_filtered_view_only(live_server, table_path, page, screenshot):
    _open_table(page, live_server, table_path)
    region = "Kabupaten Sumbawa"
    page.locator("#table-filter input[name='f.nama_kabupaten_kota']").fill(region)
    _submit_table_form(page)
    form = page.locator("#chart-form")
    form.locator("select[name=chart_x]").select_option("tahun")
    form.locator("select[name=chart_y]").select_option("korban_luka")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"chart_y=korban_luka"))

    _drawn(page)
    screenshot()
    # The table's filter travels with the chart form, and into the picture's address.
    expect(page.locator("#table-filter input[name='f.nama_kabupaten_kota']")).to_have_value(region)
    assert "f.nama_kabupaten_kota=Kabupaten+Sumbawa" in page.locator("#chart-image").get_attribute("src")
    mine = [r for r in ROWS if r["nama_kabupaten_kota"] == region]
    assert _row_count(page) == len(mine)
    expected = {k: v for k, v in _sums("tahun", "korban_luka", mine).items() if v}
    assert {k: v for k, v in _bars(page).items() if v} == expected


def _fits(page, width: int) -> None:
    """Nothing of the page is wider than the screen; the pager and the table form stay inside it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("#table-filter", "nav.pager"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)


@pytest.mark.parametrize("width", [1280, 360])
def test_public_jumps_to_a_page_number_and_to_the_last_page(live_server, table_path, page, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    _open_table(page, live_server, table_path)
    expect(page.locator("#row-range")).to_have_text("Baris 1–25 dari 60")
    expect(page.locator("#page-count")).to_have_text("dari 3")
    _fits(page, width)

    page.locator("#page-jump input[name=page]").fill("2")
    page.locator("#page-jump button[type=submit]").click()
    page.wait_for_url(re.compile(r"[?&]page=2"))
    expect(page.locator("#row-range")).to_have_text("Baris 26–50 dari 60")
    assert [r["tahun"] for r in _shown(page)] == [r["tahun"] for r in ROWS[25:50]]
    expect(page.locator("#page-jump input[name=page]")).to_have_value("2")

    page.locator("nav.pager a[rel=last]").click()
    page.wait_for_url(re.compile(r"[?&]page=3"))
    expect(page.locator("#row-range")).to_have_text("Baris 51–60 dari 60")
    assert [r["kode_kabupaten_kota"] for r in _shown(page)] == [r["kode_kabupaten_kota"] for r in ROWS[50:60]]
    expect(page.locator("nav.pager a[rel=next]")).to_have_count(0)
    _fits(page, width)
    screenshot(f"{width}")

    page.locator("#page-jump input[name=page]").fill("9")
    page.locator("#page-jump button[type=submit]").click()
    page.wait_for_url(re.compile(r"[?&]page=9"))
    expect(page.locator("#page-error")).to_have_text("Tidak ada halaman 9: halaman terakhir adalah 3.")
    expect(page.locator("#page-jump input[name=page]")).to_have_attribute("aria-invalid", "true")
    _fits(page, width)


@pytest.mark.parametrize("width", [1280, 360])
def test_public_filters_with_between_and_more_than_and_corrects_a_bad_value(live_server, table_path, page,
                                                                            screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    _open_table(page, live_server, table_path)
    form = page.locator("#table-filter")
    year_end = form.locator("input[name='to.tahun']")
    expect(year_end).to_be_hidden()  # between's end shows only for between
    form.locator("select[name='op.tahun']").select_option("between")
    expect(year_end).to_be_visible()
    form.locator("input[name='f.tahun']").fill("2020")
    year_end.fill("2021")
    form.locator("select[name='op.korban_luka']").select_option("gt")
    form.locator("input[name='f.korban_luka']").fill("abc")
    _submit_table_form(page)

    # The bad value is answered beside its field; the year range is applied meanwhile.
    box = form.locator("fieldset", has=page.locator("input[name=\"f.korban_luka\"]"))
    expect(box.locator(".table-filter__error")).to_have_text("abc bukan bilangan bulat (kolom korban_luka).")
    expect(box.locator("input[name='f.korban_luka']")).to_have_value("abc")
    expect(page.locator("#filter-errors")).to_be_visible()
    years = [r for r in ROWS if r["tahun"] in ("2020", "2021")]
    assert _row_count(page) == len(years)
    _fits(page, width)
    screenshot(f"{width}-bad-value")

    box.locator("input[name='f.korban_luka']").fill("10")
    _submit_table_form(page)
    expected = [r for r in years if int(r["korban_luka"]) > 10]
    assert expected and _row_count(page) == len(expected)
    assert [(r["tahun"], r["kode_kabupaten_kota"]) for r in _shown(page)] == [
        (r["tahun"], r["kode_kabupaten_kota"]) for r in expected]
    expect(page.locator("#filter-errors")).to_have_count(0)
    expect(form.locator("select[name='op.tahun']")).to_have_value("between")
    expect(form.locator("input[name='to.tahun']")).to_have_value("2021")
    _fits(page, width)
    screenshot(f"{width}")
