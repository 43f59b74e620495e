"""Uploading in Chromium: the progress bar while a few-MB file is sent, the button disabled meanwhile
and a double click that makes one dataset; the form kept after an error with the file put back; a
title another dataset has answered with that dataset and the offer of a new version, taken; the ways
out of a refused upload first; the form on a 360 px phone. In Indonesian and in English."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.browser.conftest import log_in_with_form
from tests.factories import SAMPLES
from tests.samples import BNBA

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips, or fails on CI
    expect = None

pytestmark = pytest.mark.browser

BENCANA = SAMPLES / "korban_bencana_sosial_2019_2024.csv"
REVIEW = re.compile(r"/admin/dataset/[^/]+/review/[^/]+$")
REGIONS = ["Kota Mataram", "Kabupaten Lombok Barat", "Kabupaten Lombok Tengah", "Kabupaten Lombok Timur",
           "Kabupaten Sumbawa Barat", "Kabupaten Sumbawa", "Kabupaten Dompu", "Kabupaten Bima", "Kota Bima",
           "Kabupaten Lombok Utara"]
KINDS = ["anak terlantar", "lanjut usia terlantar", "penyandang disabilitas", "fakir miskin", "korban bencana alam"]
TEXT = {
    "id": {"sent": "terkirim", "upload": "Unggah dan tinjau", "again": "pilih lagi berkas ini",
           "still": "masih terpilih", "clash": "Dataset dengan nama ini sudah ada", "version": "versi 2",
           "drop": "Buang kolom", "delete": "Hapus unggahan ini", "continue": "Lanjut", "dropped": "Dibuang"},
    "en": {"sent": "sent", "upload": "Upload and review", "again": "choose this file again",
           "still": "still chosen", "clash": "A dataset with this name already exists", "version": "version 2",
           "drop": "Drop the columns", "delete": "Delete this upload", "continue": "Continue", "dropped": "Dropped"},
}


def _big_csv(folder, megabytes: float):
    """A table of counts by region, year and kind of a few MB (nothing personal in it)."""
    path = folder / "pmks_rinci_besar.csv"
    lines = ["kabupaten_kota,tahun,jenis_pmks,kecamatan_ke,jumlah_jiwa,jumlah_keluarga"]
    size, i = 0, 0
    while size < megabytes * 1024 * 1024:
        line = f"{REGIONS[i % 10]},{2015 + i % 10},{KINDS[i % 5]},{i % 37 + 1},{(i * 7919) % 5000},{(i * 104729) % 900}"
        lines.append(line)
        size += len(line) + 1
        i += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _in_language(page, server, lang: str) -> None:
    if lang != "id":
        page.goto(server(f"/lang/{lang}?next=/admin/"))


def _datasets_titled(server, title: str) -> int:
    from app import db
    from app.models import Dataset

    with server.app.app_context():
        return db.session().scalar(select(func.count()).select_from(Dataset).where(Dataset.title == title))


def _fill_upload(page, server, path, title: str) -> None:
    """The upload form, with a file chosen and a title typed (not sent)."""
    page.goto(server("/admin/upload"))
    page.locator("#file").set_input_files(str(path))
    page.locator("#title").fill(title)


def _slow_upload(page, bytes_per_second: int):
    """Send at most `bytes_per_second` (Chromium's own throttling), so the bar is seen moving."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": bytes_per_second})
    return cdp


# Every value the bar takes and every word of its live region, kept in sessionStorage: the page is
# gone (to the review) by the time the test reads them.
WATCH = """() => {
  const bar = document.querySelector('#upload-progress progress');
  const said = document.querySelector('#upload-progress-status');
  const keep = (key, value) => {
    const list = JSON.parse(sessionStorage.getItem(key) || '[]');
    list.push(value);
    sessionStorage.setItem(key, JSON.stringify(list));
  };
  sessionStorage.clear();
  new MutationObserver(() => keep('bar', Number(bar.getAttribute('aria-valuenow'))))
    .observe(bar, {attributes: true, attributeFilter: ['aria-valuenow']});
  new MutationObserver(() => keep('said', said.textContent))
    .observe(said, {childList: true, characterData: true, subtree: true});
}"""


@pytest.mark.parametrize("lang,megabytes", [("id", 3), ("en", 2)])
def test_admin_watches_the_bar_reach_100_percent_and_a_double_click_makes_one_dataset(live_server, page, log_in,
                                                                                   screenshot, tmp_path, lang,
                                                                                   megabytes):
    server = live_server
    big = _big_csv(tmp_path, megabytes)
    title = f"Uji Progres Unggah {lang}"
    log_in(server, "editor")
    _in_language(page, server, lang)
    _fill_upload(page, server, big, title)
    page.evaluate(WATCH)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    _slow_upload(page, megabytes * 500_000)  # in about 2 s
    button = page.locator("#upload-submit")
    expect(button).to_have_text(TEXT[lang]["upload"])
    button.dblclick()

    expect(page.locator("#upload-progress")).to_be_visible()
    expect(button).to_be_disabled()
    page.wait_for_function("() => JSON.parse(sessionStorage.getItem('bar') || '[]').filter(v => v > 0 && v < 100).length >= 2")
    expect(button).to_be_disabled()  # still, in the middle of sending
    expect(page.locator("#upload-progress .upload-progress__percent")).to_have_text(re.compile(r"^\d{1,3}%$"))
    screenshot("sending")
    page.wait_for_url(REVIEW, timeout=60_000)

    values = page.evaluate("JSON.parse(sessionStorage.getItem('bar') || '[]')")
    said = page.evaluate("JSON.parse(sessionStorage.getItem('said') || '[]')")
    assert values == sorted(values) and values[-1] == 100, values
    assert len([v for v in values if 0 < v < 100]) >= 2, values  # seen moving, not only at the end
    steps = [s for s in said if s.endswith(TEXT[lang]["sent"])]
    assert steps[0] == f"0% {TEXT[lang]['sent']}" and f"100% {TEXT[lang]['sent']}" in steps, said
    assert all(int(s.split("%")[0]) % 10 == 0 for s in steps), said  # said in steps of 10, not every percent
    assert len(steps) >= 3, said
    assert posts == [server("/admin/upload")], posts  # the second click sent nothing
    assert _datasets_titled(server, title) == 1, "a double click made two datasets"
    expect(page.locator(".flash.error")).to_have_count(0)
    expect(page.locator("#review-rows")).to_contain_text(re.compile(r"\d"))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_admin_corrects_a_refused_title_without_choosing_the_file_again(live_server, page, log_in, screenshot, lang):
    server = live_server
    log_in(server, "editor")
    _in_language(page, server, lang)
    _fill_upload(page, server, BENCANA, "ab")  # too short: refused beside the title
    page.locator("#upload-form input[name=topics][value=bencana-sosial]").check()
    page.locator("#notes").fill("Korban bencana per kabupaten, uji formulir.")
    page.locator("#upload-submit").click()

    error = page.locator("#title-error")
    expect(error).to_be_visible()
    expect(error).to_have_text({"id": "Panjang harus antara 3 dan 300.", "en": "Length must be between 3 and 300."}[lang])
    expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#upload-errors")).to_be_focused()
    # The form as it was sent: topic, description, and the same file (put back by the page's script).
    expect(page.locator("#title")).to_have_value("ab")
    expect(page.locator("#upload-form input[name=topics][value=bencana-sosial]")).to_be_checked()
    expect(page.locator("#notes")).to_have_value("Korban bencana per kabupaten, uji formulir.")
    assert page.locator("#file").evaluate("i => i.files.length && i.files[0].name") == BENCANA.name
    expect(page.locator("#file-again .upload-file__kept")).to_be_visible()
    expect(page.locator("#file-again .upload-file__kept")).to_contain_text(TEXT[lang]["still"])
    expect(page.locator("#file-again .upload-file__again")).to_be_hidden()
    screenshot()

    title = f"Uji Formulir Dipulihkan {lang}"
    page.locator("#title").fill(title)
    page.locator("#upload-submit").click()
    page.wait_for_url(REVIEW)
    expect(page.locator("#review-rows")).to_contain_text("60")
    name = re.search(r"/admin/dataset/([^/]+)/review/", page.url).group(1)
    page.goto(server(f"/admin/dataset/{name}/edit"))
    expect(page.locator("#metadata-form input[name=topics][value=bencana-sosial]")).to_be_checked()
    expect(page.locator("#notes")).to_have_value("Korban bencana per kabupaten, uji formulir.")


def test_without_script_the_form_still_uploads_and_asks_for_the_file_again(browser, live_server):
    server = live_server
    context = browser.new_context(locale="id-ID", java_script_enabled=False)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        log_in_with_form(page, server, "editor")
        _fill_upload(page, server, BENCANA, "x")
        page.locator("#upload-submit").click()
        page.wait_for_load_state()
        expect(page.locator("#title-error")).to_be_visible()
        expect(page.locator("#file-again .upload-file__again")).to_contain_text(TEXT["id"]["again"])
        expect(page.locator("#file-again .upload-file__again")).to_contain_text(BENCANA.name)
        expect(page.locator("#upload-progress")).to_be_hidden()
        page.locator("#file").set_input_files(str(BENCANA))
        page.locator("#title").fill("Uji Tanpa Skrip")
        page.locator("#upload-submit").click()
        page.wait_for_url(REVIEW)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_admin_uploading_under_a_taken_title_takes_the_offer_of_a_new_version(live_server, page, log_in, screenshot,
                                                                            lang):
    server = live_server
    title = f"Uji Bentrok Nama {lang}"
    log_in(server, "org_admin")
    _in_language(page, server, lang)
    _fill_upload(page, server, BENCANA, title)
    page.locator("#upload-submit").click()
    page.wait_for_url(REVIEW)
    name = re.search(r"/admin/dataset/([^/]+)/review/", page.url).group(1)

    # The same title again: the existing dataset, linked, and the offer of its version 2.
    _fill_upload(page, server, BENCANA, title)
    page.locator("#upload-submit").click()
    clash = page.locator("#name-clash")
    expect(clash).to_be_visible()
    expect(clash.locator("h2")).to_have_text(TEXT[lang]["clash"])
    expect(page.locator("#name-clash-link")).to_have_attribute("href", f"/admin/dataset/{name}")
    expect(page.locator("#name-clash-link")).to_have_text(title)
    expect(page.locator("main")).not_to_contain_text("name:")
    offer = clash.locator("form.name-clash__offer")
    expect(offer).to_have_count(1)
    expect(offer.locator("button")).to_contain_text(TEXT[lang]["version"])
    assert offer.locator("input[type=file]").evaluate("i => i.files.length && i.files[0].name") == BENCANA.name
    screenshot()

    offer.locator("button").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}/review/[^/]+$"))
    expect(page.locator("main p.meta")).to_contain_text(TEXT[lang]["version"])
    assert _datasets_titled(server, title) == 1


@pytest.mark.parametrize("lang", ["id", "en"])
def test_admin_sees_drop_and_delete_first_on_a_refused_upload_and_drops_the_columns(live_server, page, log_in,
                                                                                   screenshot, lang):
    server = live_server
    log_in(server, "editor")
    _in_language(page, server, lang)
    _fill_upload(page, server, BNBA, f"Uji Tombol Utama {lang}")
    page.locator("#upload-submit").click()
    page.wait_for_url(REVIEW)
    expect(page.locator("#findings")).to_be_visible()

    buttons = page.locator("main button:visible, main a.button:visible")
    texts = [t.strip() for t in buttons.all_inner_texts()]
    assert texts[0].startswith(TEXT[lang]["drop"]) and texts[1].startswith(TEXT[lang]["delete"]), texts
    later = [i for i, t in enumerate(texts) if t.startswith(TEXT[lang]["continue"])]
    assert later and later[0] > 1, texts
    primary = page.locator("#upload-submit, #drop-found button").first.evaluate("b => getComputedStyle(b).backgroundColor")
    styles = {key: page.locator(sel).evaluate("b => getComputedStyle(b).backgroundColor")
              for key, sel in (("drop", "#drop-found button"), ("delete", "#delete-blocked button"),
                               ("continue", "#continue"))}
    assert styles["drop"] == styles["delete"] == primary == "rgb(11, 110, 79)", styles  # the primary green
    assert styles["continue"] == "rgb(255, 255, 255)", styles  # secondary
    screenshot()

    page.locator("#drop-found button").click()
    page.wait_for_load_state()
    expect(page.locator("#findings")).to_have_count(0)
    expect(page.locator("#review-form")).to_contain_text(TEXT[lang]["dropped"])
    expect(page.locator("#continue")).not_to_have_class(re.compile(r"\bsecondary\b"))


def test_the_upload_form_and_its_name_clash_answer_fit_a_phone(browser, live_server, screenshot):
    server = live_server
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 800})
    context.set_default_timeout(20_000)
    phone = context.new_page()
    wide = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)
        .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    try:
        log_in_with_form(phone, server, "org_admin")
        for lang in ("id", "en"):
            phone.goto(server(f"/lang/{lang}?next=/admin/upload"))
            phone.wait_for_url(re.compile(r"/admin/upload$"))
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360, (lang, phone.evaluate(wide))
            screenshot(f"form-{lang}", of=phone)
        # (in English) the demo's bencana dataset has this title's address: the answer must fit too.
        phone.locator("#file").set_input_files(str(BENCANA))
        phone.locator("#title").fill("Korban Bencana Sosial 2019-2024")
        phone.locator("#upload-submit").click()
        expect(phone.locator("#name-clash h2")).to_have_text(TEXT["en"]["clash"])
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, phone.evaluate(wide)
        screenshot("clash-en", of=phone)
    finally:
        context.close()


def test_the_upload_answers_have_no_serious_accessibility_violation(browser, live_server, tmp_path):
    """axe over what the upload form becomes: sending (the bar) and refused with errors, in Indonesian; a name
    clash and the review of a refused upload with its main actions, in English."""
    from tests.browser.test_browser_accessibility import _blocking, run_axe

    server = live_server
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems = {}

    def check(state: str) -> None:
        found = _blocking(run_axe(page))
        if found:
            problems[state] = found

    try:
        log_in_with_form(page, server, "org_admin")

        _fill_upload(page, server, _big_csv(tmp_path, 1), "ab")
        _slow_upload(page, 400_000)  # 1 MB in about 2.5 s: axe runs while it is sent
        page.locator("#upload-submit").click()
        expect(page.locator("#upload-progress")).to_be_visible()
        check("sending")
        expect(page.locator("#title-error")).to_be_visible(timeout=30_000)
        check("refused")

        page.goto(server("/lang/en?next=/admin/upload"))
        page.wait_for_url(re.compile(r"/admin/upload$"))
        page.locator("#file").set_input_files(str(BENCANA))
        page.locator("#title").fill("Korban Bencana Sosial 2019-2024")  # the demo dataset's address
        page.locator("#upload-submit").click()
        expect(page.locator("#name-clash")).to_be_visible(timeout=30_000)
        check("clash")

        _fill_upload(page, server, BNBA, "Uji Aksesibilitas Tinjauan")
        page.locator("#upload-submit").click()
        page.wait_for_url(REVIEW, timeout=30_000)
        expect(page.locator("#drop-found button")).to_have_text("Drop the columns with personal data")
        check("blocked review")
    finally:
        context.close()
    assert not problems, problems
