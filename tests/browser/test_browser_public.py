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

    preview = page.locator(".scroll table.data")  # the preview, not the chart's table of figures
    expect(preview.locator("thead th").first).to_have_text("Kode kabupaten/kota")  # the column's label
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
    expect(page.locator("main h1")).to_have_text("Data sosial Nusa Tenggara Barat")
    expect(page.locator("header nav a[href='/user/login']")).to_have_text("Masuk")

    page.locator("#lang-switch a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Social data of Nusa Tenggara Barat")
    expect(page.locator("header nav a[href='/user/login']")).to_have_text("Log in")
    expect(page.locator("main form.searchbox button[type=submit]")).to_have_text("Search")
    page.locator("header nav a[href^='/dataset']").click()
    page.wait_for_url(re.compile(r"/dataset/?$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#lang-switch a[hreflang=en]")).to_have_class(re.compile(r"\bactive\b"))
    expect(page.locator("main h1")).to_have_text("Datasets")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\d+ datasets found$"))
    # Still English two clicks further, on a table's page.
    page.locator(f".result h3 a[href='/dataset/{BENCANA}']").click()
    page.locator("main .result h3 a[href*='/resource/']").first.click()
    expect(page.locator("#row-count")).to_have_text("60 rows")
    expect(page.locator("#table-filter button[type=submit]")).to_have_text("Apply")
    screenshot()

    page.locator("#lang-switch a[hreflang=id]").click()
    page.wait_for_url(re.compile(rf"/dataset/{BENCANA}/resource/[^/?]+$"))  # back where the reader was
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#row-count")).to_have_text("60 baris")
    expect(page.locator("#table-filter button[type=submit]")).to_have_text("Terapkan")
    page.locator("header nav a[href='/group']").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main h1")).to_have_text("Topik")


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


def _titles(page) -> list[str]:
    return page.locator(".result h3 a").all_inner_texts()


def _years(card_meta: str) -> set[int]:
    """The years a result card lists: "Tahun: 2019-2024" or "Tahun: 2022, 2023"."""
    span = re.search(r"Tahun: ([\d, -]+)", card_meta).group(1)
    years = set()
    for part in span.split(","):
        bounds = [int(y) for y in part.strip().split("-")]
        years.update(range(bounds[0], bounds[-1] + 1))
    return years


def test_public_searches_from_the_dataset_page_and_sorts_the_results_by_title(live_server, page, screenshot):
    page.goto(live_server("/dataset"))
    box = page.locator("main form.searchbox input[name=q]")
    box.fill("lks")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/dataset/?\?q=lks"))
    expect(box).to_have_value("lks")
    by_relevance = _titles(page)
    assert _count(page) == len(by_relevance) == 3, by_relevance
    assert all("LKS" in title for title in by_relevance), by_relevance

    page.locator("main form.searchbox select[name=sort]").select_option("title")
    page.locator("main form.searchbox button[type=submit]").click()
    page.wait_for_url(re.compile(r"sort=title"))
    expect(page.locator("main form.searchbox select[name=sort]")).to_have_value("title")
    expect(box).to_have_value("lks")  # the words stay with the new order
    screenshot()
    by_title = _titles(page)
    assert sorted(by_title) == sorted(by_relevance), "sorting changed which datasets were found"
    assert by_title == sorted(by_title, key=str.casefold), f"not in title order: {by_title}"
    assert by_title != by_relevance, "the demo's relevance order should differ from the title order"


@pytest.mark.parametrize("field", ["year", "organization", "res_format", "tag",
                                   "level"])
def test_public_clicks_a_facet_value_and_finds_as_many_datasets_as_it_counted(live_server, page, screenshot, field):
    page.goto(live_server("/dataset"))
    total = _count(page)
    values = page.locator(f"ul[data-facet={field}] li a")
    counts = [int(c) for c in values.locator(".count").all_inner_texts()]
    assert counts, f"no {field} facet on the search page"
    narrowing = next((i for i, n in enumerate(counts) if n < total), None)
    assert narrowing is not None, f"no {field} value narrows the {total} results"
    value = values.nth(narrowing)
    label = value.locator("span").first.inner_text()
    value.click()
    page.wait_for_url(re.compile(rf"[?&]{field}="))

    screenshot()
    assert _count(page) == counts[narrowing] == len(_titles(page))
    expect(page.locator(f"ul[data-facet={field}] li a.active")).to_contain_text(label)
    chips = page.locator(".chips .chip").all_inner_texts()
    assert len(chips) == 1 and label in chips[0], f"the chip {chips} does not name the facet value {label!r}"
    metas = page.locator(".result .meta").all_inner_texts()
    if field == "year":
        assert all(int(label) in _years(meta) for meta in metas), metas
    elif field == "organization":
        assert all(meta.strip().startswith(label) for meta in metas), metas
    elif field == "res_format":
        assert all(label in page.locator(".result").nth(i).locator(".badge").all_inner_texts()
                   for i in range(len(metas))), metas


def test_public_narrows_by_year_then_by_publisher_and_the_counts_follow(live_server, page, screenshot):
    page.goto(live_server("/dataset"))
    page.locator("ul[data-facet=year] li a", has_text="2022").click()
    page.wait_for_url(re.compile(r"year=2022"))
    after_year = _count(page)
    orgs = page.locator("ul[data-facet=organization] li a")
    # The publisher counts now count only the 2022 datasets.
    assert sum(int(c) for c in orgs.locator(".count").all_inner_texts()) == after_year
    org = orgs.first
    org_name = org.locator("span").first.inner_text()
    expected = int(org.locator(".count").inner_text())
    org.click()
    page.wait_for_url(re.compile(r"organization="))

    screenshot()
    assert "year=2022" in page.url
    assert _count(page) == expected <= after_year
    expect(page.locator(".chips .chip")).to_have_count(2)
    metas = page.locator(".result .meta").all_inner_texts()
    assert len(metas) == expected
    assert all(meta.strip().startswith(org_name) and 2022 in _years(meta) for meta in metas), metas


def test_public_filters_search_by_a_year_range(live_server, page, screenshot):
    page.goto(live_server("/dataset"))
    total = _count(page)
    in_2019 = int(page.locator("ul[data-facet=year] li a", has_text="2019").locator(".count").inner_text())
    form = page.locator("aside.facet form")
    form.locator("input[name=year_from]").fill("2019")
    form.locator("input[name=year_to]").fill("2019")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"year_from=2019"))

    screenshot()
    expect(page.locator(".chips .chip")).to_contain_text("2019–2019")
    assert _count(page) == in_2019 < total
    metas = page.locator(".result .meta").all_inner_texts()
    assert len(metas) == in_2019
    assert all(2019 in _years(meta) for meta in metas), metas


def test_public_pages_through_search_results_with_next_and_previous(live_server, page, screenshot):
    page.goto(live_server("/dataset?per_page=3"))
    total = _count(page)
    pages = -(-total // 3)
    assert pages >= 3
    pager = page.locator("nav.pager")
    expect(pager).to_contain_text(f"Halaman 1 dari {pages}")
    expect(pager.locator("a", has_text="Sebelumnya")).to_have_count(0)
    seen = [_titles(page)]

    for number in range(2, pages + 1):
        pager.locator("a", has_text="Berikutnya").click()
        page.wait_for_url(re.compile(rf"page={number}"))
        expect(pager).to_contain_text(f"Halaman {number} dari {pages}")
        seen.append(_titles(page))
    expect(pager.locator("a", has_text="Berikutnya")).to_have_count(0)  # the last page
    screenshot()
    assert [len(titles) for titles in seen] == [3] * (pages - 1) + [total - 3 * (pages - 1)]
    every = [t for titles in seen for t in titles]
    assert len(set(every)) == len(every) == total, "a dataset was shown twice or never"

    pager.locator("a", has_text="Sebelumnya").click()
    page.wait_for_url(re.compile(rf"page={pages - 1}"))
    assert _titles(page) == seen[-2]


def test_english_reader_picks_a_topic_and_the_chip_names_it_in_english(live_server, page, screenshot):
    page.goto(live_server("/dataset"))
    page.locator("#lang-switch a[hreflang=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    topic = page.locator("ul[data-facet=topic] li a[href*='topic=bantuan-sosial']")
    label = topic.locator("span").first.inner_text()
    assert label == "Social assistance"
    expected = int(topic.locator(".count").inner_text())
    topic.click()
    page.wait_for_url(re.compile(r"topic=bantuan-sosial"))
    screenshot()
    assert _count(page) == expected
    assert page.locator(".chips .chip").all_inner_texts() == [f"Topic: {label} ✕"]
