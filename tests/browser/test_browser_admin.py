"""The issue's "Done when", tried as a new user would: an org admin uploads the bencana table through the
admin pages, describes and publishes it; a member of the public finds it by typing "bencana", previews it and
downloads the same 60 rows."""
from __future__ import annotations

import re

import pytest

from tests.factories import SAMPLES
from tests.samples import BNBA

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
    preview = page.locator(".scroll table.data")  # the preview, not the chart's table of figures
    expect(preview.locator("thead th").first).to_have_text("Kode kabupaten/kota")  # the column's label
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


PERSONAL = ["Nama Lengkap", "NIK", "Alamat", "No HP"]
A_NIK = "5203011208850003"  # the first row's NIK in the BNBA sample


def _upload(page, server, path, title: str) -> str:
    """Upload a file on the upload page; return the new dataset's name (from the review page's address)."""
    page.goto(server("/admin/upload"))
    page.locator("#file").set_input_files(str(path))
    page.locator("#title").fill(title)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/dataset/[^/]+/review/[^/]+$"))
    return re.search(r"/admin/dataset/([^/]+)/review/", page.url).group(1)


def _review_row(page, column: str):
    """The review form's row for a column, found by the name it shows (the form refers to columns by position)."""
    return page.locator("#review-form tr").filter(
        has=page.locator("td:first-child", has_text=re.compile(rf"^\s*{re.escape(column)}(\s|\(|$)"))).first


def _reread(page):
    page.locator("#review-form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".flash.info")).to_have_text("Tabel telah dibaca ulang.")


def _review_columns(page) -> list[str]:
    return page.locator("#review-form tr > td:first-child").evaluate_all(
        "els => els.map(e => e.childNodes[0].textContent.trim())")


def _first_rows_header(page) -> list[str]:
    return page.locator("main .scroll table.data thead th").all_inner_texts()


def _describe(page, server, name: str, *, topic: str = "bencana-sosial", **fields) -> None:
    """Fill the metadata form (topic ticked, `fields` by input id) and save."""
    page.goto(server(f"/admin/dataset/{name}/edit"))
    page.locator(f"#metadata-form input[name=topics][value={topic}]").check()
    for field, value in fields.items():
        control = page.locator(f"#metadata-form #{field}")
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    page.locator("#metadata-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator(".flash.info")).to_have_text("Tersimpan.")


def test_admin_with_a_wrong_password_sees_an_error_then_logs_in_and_out(live_server, page, screenshot):
    email, password = live_server.users["org_admin"]
    page.goto(live_server("/admin/"))
    page.wait_for_url(re.compile(r"/user/login"))  # the admin pages need a login

    page.locator("#email").fill(email)
    page.locator("#password").fill(password + "-salah")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".flash.error")).to_have_text("Email atau kata sandi salah.")
    expect(page.locator("header nav a[href='/user/login']")).to_be_visible()
    expect(page.locator("header nav a[href='/admin/']")).to_have_count(0)
    screenshot("refused")

    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/?$"))  # back to the page first asked for
    expect(page.locator("main h1")).to_have_text("Admin")
    expect(page.locator("main")).to_contain_text(f"Masuk sebagai {email}")
    # An org admin's own organization's demo dataset is listed, published.
    row = page.locator("main table.data tr", has_text="Korban Bencana Sosial")
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_class(re.compile(r"\bpublished\b"))
    screenshot()

    page.locator("header form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("header nav a[href='/user/login']")).to_be_visible()
    page.goto(live_server("/admin/"))
    page.wait_for_url(re.compile(r"/user/login"))


def test_admin_corrects_header_row_type_and_a_dropped_column_on_the_review_page(fresh_live_server, page, log_in,
                                                                             screenshot):
    server = fresh_live_server
    log_in(server, "org_admin")
    _upload(page, server, BENCANA, "Uji Koreksi Tinjauan")
    expect(page.locator("#review-rows")).to_have_text("60 baris data")
    assert _first_rows_header(page)[0] == "kode_kabupaten_kota"

    # A wrong header row: the first data row becomes the column names and the table has one row less.
    page.locator("#review-form input[name=header_row]").fill("2")
    _reread(page)
    expect(page.locator("#review-rows")).to_have_text("59 baris data")
    assert _first_rows_header(page)[:2] == ["52.01", "Kabupaten Lombok Barat"]
    expect(page.locator("main")).to_contain_text("baris judul kolom 2")

    # Back to row 1; `tahun` read as text, `jiwa_mengungsi` dropped.
    page.locator("#review-form input[name=header_row]").fill("1")
    _reread(page)
    expect(page.locator("#review-rows")).to_have_text("60 baris data")
    _review_row(page, "tahun").locator("select").select_option("text")
    _review_row(page, "jiwa_mengungsi").locator("input[name=drop]").check()
    _reread(page)

    screenshot()
    expect(_review_row(page, "tahun").locator("select")).to_have_value("text")
    expect(page.locator("#review-form")).to_contain_text("Dibuang: jiwa_mengungsi")
    assert "jiwa_mengungsi" not in _review_columns(page)
    header = _first_rows_header(page)
    assert "jiwa_mengungsi" not in header and header[0] == "kode_kabupaten_kota", header
    assert len(header) == 7
    expect(page.locator("#review-rows")).to_have_text("60 baris data")


def test_admin_picks_another_sheet_of_a_workbook_on_the_review_page(fresh_live_server, page, log_in, screenshot,
                                                                   tmp_path):
    from openpyxl import Workbook

    sheets = {
        "Ringkasan": [["nama_kabupaten_kota", "jumlah_lks"], ["Kota Mataram", 12], ["Kota Bima", 7]],
        "Rinci": [["nama_kabupaten_kota", "tahun", "jenis_layanan", "jumlah_lks"],
                  *[["Kota Mataram", 2020 + i, "Anak", 3 + i] for i in range(5)]],
    }
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "lks_dua_lembar.xlsx"
    book.save(path)

    server = fresh_live_server
    log_in(server, "org_admin")
    _upload(page, server, path, "Uji Dua Lembar")
    sheet = page.locator("#review-form select[name=sheet]")
    expect(sheet.locator("option")).to_have_text(list(sheets))
    first = sheet.input_value()
    other = next(name for name in sheets if name != first)
    assert _first_rows_header(page) == sheets[first][0]

    sheet.select_option(other)
    _reread(page)
    screenshot()
    expect(page.locator("#review-form select[name=sheet]")).to_have_value(other)
    expect(page.locator("main")).to_contain_text(f"lembar {other}")
    assert _first_rows_header(page) == sheets[other][0]
    expect(page.locator("#review-rows")).to_have_text(f"{len(sheets[other]) - 1} baris data")


def test_admin_drops_personal_data_columns_then_publishes_only_the_rest(fresh_live_server, page, visitor_page,
                                                                      log_in, screenshot):
    server = fresh_live_server
    log_in(server, "org_admin")
    name = _upload(page, server, BNBA, "Uji BNBA Dibersihkan")
    expect(page.locator("#findings")).to_contain_text("NIK")
    _describe(page, server, name)

    # Publishing is refused while the table holds personal data.
    page.locator("#publish").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator(".flash.error").first).to_contain_text("data pribadi")
    expect(page.locator("#dataset-state")).not_to_have_class(re.compile(r"\bpublished\b"))

    page.locator("main a", has_text="Tinjau").first.click()
    for column in PERSONAL:
        _review_row(page, column).locator("input[name=drop]").check()
    _reread(page)
    expect(page.locator("#findings")).to_have_count(0)
    assert _review_columns(page) == ["No", "Program"]
    assert _first_rows_header(page) == ["No", "Program"]
    screenshot("review")

    page.goto(server(f"/admin/dataset/{name}"))
    page.locator("#publish").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator(".flash.info")).to_have_text("Diterbitkan.")
    expect(page.locator("#dataset-state")).to_have_class(re.compile(r"\bpublished\b"))

    # The public sees the two clean columns, and no trace of the dropped ones.
    visitor_page.goto(server(f"/dataset/{name}"))
    visitor_page.locator("main .result h3 a[href*='/resource/']").first.click()
    visitor_page.wait_for_url(re.compile(r"/resource/"))
    table = visitor_page.locator("main .scroll table.data").first
    expect(table.locator("thead th")).to_have_text(["No", "Program"])
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(visitor_page.locator("#row-count")).to_have_text("3 baris")
    screenshot("public", of=visitor_page)
    body = visitor_page.locator("body").inner_text()
    assert A_NIK not in body and "Lalu Ahmad Fadli" not in body
    # The original file, with its NIKs, stays inside the organization.
    expect(visitor_page.locator("main a[href*='/original']")).to_have_count(0)


def test_admin_sets_the_header_row_on_a_personal_data_row_and_still_sees_no_full_nik(fresh_live_server, page, log_in,
                                                                                    screenshot):
    server = fresh_live_server
    log_in(server, "org_admin")
    _upload(page, server, BNBA, "Uji BNBA Baris Judul")
    assert A_NIK not in page.locator("main").inner_text()  # masked as 5203********0003
    page.locator("#review-form input[name=header_row]").fill("2")
    _reread(page)
    screenshot()
    expect(page.locator("#findings")).to_be_visible()
    shown = page.locator("main").inner_text()
    assert A_NIK not in shown and "Lalu Ahmad Fadli" not in shown, "the review shows a person's NIK or name in full"


def test_editor_submits_for_review_and_org_admin_publishes_unpublishes_and_deletes(fresh_live_server, page,
                                                                                  visitor_page, log_in, log_out,
                                                                                  screenshot):
    server = fresh_live_server
    title = "Uji Alur Tinjauan Bencana"

    # The editor uploads and describes the dataset, then asks for a review: an editor cannot publish.
    log_in(server, "editor")
    name = _upload(page, server, BENCANA, title)
    _describe(page, server, name, notes="Diunggah oleh editor untuk ditinjau.", years="2019-2024", unit="jiwa",
              tags="banjir, pengungsi", level="kabupaten-kota")
    expect(page.locator("main h1")).to_contain_text(title)
    expect(page.locator("#publish")).to_have_count(0)
    page.locator("main form button", has_text="Ajukan untuk ditinjau").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator(".flash.info")).to_have_text("Diajukan untuk ditinjau.")
    expect(page.locator("#dataset-state")).to_have_class(re.compile(r"\bpending\b"))
    screenshot("submitted")
    log_out()

    # The organization's admin finds it waiting and publishes it.
    log_in(server, "org_admin")
    waiting = page.locator("main h2", has_text="Menunggu tinjauan").locator("xpath=following-sibling::ul[1]")
    expect(waiting).to_contain_text(title)
    waiting.locator("a", has_text=title).click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    page.locator("#publish").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator(".flash.info")).to_have_text("Diterbitkan.")
    expect(page.locator("#dataset-state")).to_have_class(re.compile(r"\bpublished\b"))
    page.goto(server("/admin/"))
    expect(page.locator("main h2", has_text="Menunggu tinjauan")).to_have_count(0)

    # The public sees it with the metadata the editor wrote.
    visitor_page.goto(server("/dataset?q=bencana"))
    expect(visitor_page.locator(f".result h3 a[href='/dataset/{name}']")).to_have_text(title)
    visitor_page.goto(server(f"/dataset/{name}"))
    metadata = visitor_page.locator("dl.metadata")
    expect(metadata.locator("dt", has_text="Satuan").locator("xpath=following-sibling::dd[1]")).to_have_text("jiwa")
    expect(metadata.locator("a.chip")).to_have_text(["banjir", "pengungsi"])
    expect(visitor_page.locator("main")).to_contain_text("Diunggah oleh editor untuk ditinjau.")

    # Unpublished: back to draft, gone from the public.
    page.goto(server(f"/admin/dataset/{name}"))
    page.locator("main form button", has_text="Batalkan penerbitan").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator(".flash.info")).to_have_text("Dikembalikan ke draf.")
    expect(page.locator("#dataset-state")).to_have_class(re.compile(r"\bdraft\b"))
    expect(page.locator("#publish")).to_be_visible()
    visitor_page.goto(server("/dataset?q=bencana"))
    expect(visitor_page.locator("#result-count")).to_contain_text("0")
    assert visitor_page.goto(server(f"/dataset/{name}")).status == 404

    # Deleted, after saying yes to the confirmation.
    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.locator("main form button.danger", has_text="Hapus").click()
    page.wait_for_url(re.compile(r"/admin/?$"))
    assert dialogs == ["Hapus dataset ini?"]
    expect(page.locator(".flash.info")).to_have_text("Dataset dihapus.")
    expect(page.locator("main table.data")).not_to_contain_text(title)
    screenshot()
    assert page.goto(server(f"/admin/dataset/{name}")).status == 404


def test_admin_uploads_a_new_version_and_another_table_then_deletes_an_upload(fresh_live_server, page, log_in,
                                                                            screenshot, tmp_path):
    server = fresh_live_server
    log_in(server, "org_admin")
    name = _upload(page, server, BENCANA, "Uji Versi dan Tabel")
    # A new version with the 2019-2021 rows only.
    shorter = tmp_path / "korban_bencana_2019_2021.csv"
    lines = BENCANA.read_text(encoding="utf-8").splitlines(keepends=True)
    shorter.write_text("".join(lines[:31]), encoding="utf-8")

    page.goto(server(f"/admin/dataset/{name}"))
    table = page.locator("main .result").first
    table.locator("input[type=file]").set_input_files(str(shorter))
    table.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}/review/[^/]+$"))
    expect(page.locator("main p.meta")).to_contain_text("versi 2")
    expect(page.locator("#review-rows")).to_have_text("30 baris data")
    version_2 = page.url

    page.goto(server(f"/admin/dataset/{name}"))
    versions = page.locator("main .result").first.locator("table.data tr:has(td)")
    expect(versions).to_have_count(2)
    number_and_rows = {tuple(versions.nth(i).locator("td").all_inner_texts()[:3:2]) for i in range(2)}
    assert number_and_rows == {("1", "60"), ("2", "30")}

    # Another table in the same dataset, under a name of its own.
    form = page.locator("main form.card[action$='/upload']")
    form.locator("input[type=file]").set_input_files(str(SAMPLES / "asn_dinsos_ntb_2020_2024.csv"))
    form.locator("input[name=resource_name]").fill("Data ASN")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}/review/[^/]+$"))
    expect(page.locator("main p.meta")).to_contain_text("Data ASN · versi 1")
    expect(page.locator("#review-rows")).to_have_text("40 baris data")
    page.goto(server(f"/admin/dataset/{name}"))
    expect(page.locator("main .result h3")).to_have_text([re.compile("korban"), "Data ASN"])

    # Version 2 deleted from its review page: version 1 stays.
    page.goto(version_2)
    page.locator("main form button.danger", has_text="Hapus unggahan ini").click()
    page.wait_for_url(re.compile(rf"/admin/dataset/{name}$"))
    expect(page.locator(".flash.info")).to_have_text("Unggahan dihapus.")
    versions = page.locator("main .result").first.locator("table.data tr:has(td)")
    expect(versions).to_have_count(1)
    expect(versions.locator("td").nth(0)).to_have_text("1")
    expect(versions.locator("td").nth(2)).to_have_text("60")
    screenshot()


def test_sysadmin_overrides_a_false_positive_with_a_written_reason(fresh_live_server, page, log_in, screenshot):
    server = fresh_live_server
    log_in(server, "sysadmin")
    name = _upload(page, server, BNBA, "Uji Pengesampingan")
    expect(page.locator("#findings")).to_be_visible()
    expect(page.locator("#findings")).not_to_contain_text("dikesampingkan")
    reason = "Data uji sintetis: nama dan NIK karangan, bukan orang sungguhan."
    page.locator("#justification").fill(reason)
    page.locator("main form button", has_text="Kesampingkan").click()
    page.wait_for_load_state()

    expect(page.locator(".flash.info")).to_have_text("Temuan dikesampingkan; alasannya tercatat di log aktivitas.")
    expect(page.locator("#findings .badge")).to_have_text("dikesampingkan oleh administrator sistem")
    expect(page.locator("#justification")).to_have_count(0)  # nothing left to override
    screenshot()
    page.goto(server(f"/admin/dataset/{name}"))
    expect(page.locator("main table.data").last).to_contain_text(reason)  # the activity log keeps the reason


def test_admin_creates_an_api_token_sees_it_once_and_revokes_it(live_server, page, log_in, screenshot):
    log_in(live_server, "other_admin")  # an account no other browser test uses
    page.locator("main a.button", has_text="Token API").click()
    page.wait_for_url(re.compile(r"/admin/tokens$"))
    token_name = "uji-token-peramban"
    page.locator("main form.card input[name=name]").fill(token_name)
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/tokens$"))

    shown = page.locator("#new-token code")
    expect(shown).to_be_visible()
    token = shown.inner_text().strip()
    assert len(token) >= 20, token
    row = page.locator("main table.data tr", has_text=token_name)
    expect(row).to_have_count(1)
    screenshot()
    status = live_server("/api/3/action/status_show")
    assert page.request.get(status, headers={"Authorization": token}).status == 200

    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once only
    expect(page.locator("main")).not_to_contain_text(token)

    row.locator("button", has_text="Cabut").click()
    page.wait_for_url(re.compile(r"/admin/tokens$"))
    expect(page.locator(".flash.info")).to_have_text("Token dicabut.")
    expect(page.locator("main table.data tr", has_text=token_name)).to_have_count(0)
    assert page.request.get(status, headers={"Authorization": token}).status == 403
