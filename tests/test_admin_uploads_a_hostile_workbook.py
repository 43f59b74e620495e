"""An admin uploads a workbook built to exhaust the server: it is refused early, with a message
that says which limit it passed and what to do, never a server path or a Python exception.

The shapes are written by hand (tests/support/hostile_xlsx.py) at a small multiple of limits set
low for the test; one test refuses the real shape, six million shared strings, at the default
limits in a child process and measures its peak memory.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.ingest import ReadOptions, TableRefused, XlsxLimits, read_table
from app.ingest.messages import render
from tests.support import hostile_xlsx as hostile
from tests.support.portal_process import ROOT

SMALL = XlsxLimits(max_sheets=10, max_shared_strings=1000, max_shared_chars=20_000, max_cells=2000,
                   max_workbook_cells=5000, max_part_elements=1000)


def _refusal(path: Path, limits: XlsxLimits = SMALL) -> TableRefused:
    with pytest.raises(TableRefused) as refused:
        read_table(path, path.name, ReadOptions(xlsx_limits=limits))
    return refused.value


def _says_what_without_server_details(refusal: TableRefused, tmp_path: Path) -> str:
    text = render(refusal.note)
    assert str(tmp_path) not in text and "Traceback" not in text and "Error" not in text
    assert "?" not in text.replace("?)", "")  # every parameter of the message was given
    return text


HOSTILE = [
    # (shape, builder at a small size, refusal code, words the message must hold)
    ("many shared strings", lambda p: hostile.many_shared_strings(p, 5000), "xlsx_too_many_strings",
     ["1000 different texts", "CSV"]),
    ("few huge shared strings", lambda p: hostile.huge_shared_strings(p, 2, 50_000), "xlsx_string_too_long",
     ["32767 characters", "more than Excel allows in one cell"]),
    ("many long shared strings", lambda p: hostile.huge_shared_strings(p, 30, 1000), "xlsx_strings_too_long",
     ["20000 characters", "CSV"]),
    ("a sheet of formatted empty cells", lambda p: hostile.styled_empty_cells(p, 100, 50), "xlsx_too_many_cells",
     ["2000 cells", "empty formatted cells count too"]),
    ("sheets under the cells of a sheet, over those of a workbook",
     lambda p: hostile.sheets_of_styled_cells(p, 4, 30, 50), "xlsx_workbook_too_many_cells",
     ["5000 cells together", "CSV"]),
    ("every row reaching column XFD", lambda p: hostile.column_xfd(p, 200), "xlsx_too_many_columns",
     ["XFD", "1024 columns"]),
    ("one row of cells without references", lambda p: hostile.one_row_of_cells(p, 20_000),
     "xlsx_too_many_columns", ["AMK", "1024 columns"]),
    ("a row number past Excel's last row", hostile.far_row_number, "xlsx_too_many_rows",
     ["row 2000000000", "1048576 rows"]),
    ("many sheets", lambda p: hostile.many_sheets(p, 50), "xlsx_too_many_sheets", ["10 sheets"]),
    ("a styles part of many formats", lambda p: hostile.huge_styles(p, 5000), "xlsx_part_too_complex",
     ["xl/styles.xml", "1000 XML elements"]),
    ("a styles part that does not say it is one", lambda p: hostile.huge_styles(p, 5000, declared=False),
     "xlsx_part_too_complex", ["xl/styles.xml", "1000 XML elements"]),
    ("entity expansion in a sheet", lambda p: hostile.entity_expansion(p, "sheet"), "xlsx_unreadable",
     ["save it again as .xlsx"]),
    ("entity expansion in the shared strings", lambda p: hostile.entity_expansion(p, "strings"),
     "xlsx_unreadable", ["save it again as .xlsx"]),
]


@pytest.mark.parametrize("shape,build,code,words", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_workbook_is_refused_naming_the_limit_and_what_to_do(tmp_path, shape, build, code, words):
    refusal = _refusal(build(tmp_path / "serangan.xlsx"))
    assert refusal.note.code == code
    text = _says_what_without_server_details(refusal, tmp_path)
    for word in words:
        assert word in text, text


def test_a_part_read_whole_is_refused_by_its_size(tmp_path):
    path = hostile.huge_styles(tmp_path / "gaya.xlsx", 5000)
    refusal = _refusal(path, XlsxLimits(max_part_bytes=100_000))
    assert refusal.note.code == "xlsx_part_too_large"
    assert "xl/styles.xml" in _says_what_without_server_details(refusal, tmp_path)


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>kabupaten</t></is></c></row>',
            '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 40_000 + "</t></is></c></row>"]
    path = hostile.write_workbook(tmp_path / "panjang.xlsx", [("Data", hostile._sheet(rows))])
    refusal = _refusal(path, XlsxLimits())
    assert refusal.note.code == "xlsx_cell_too_long"
    assert "cell A2" in _says_what_without_server_details(refusal, tmp_path)


def test_a_workbook_at_the_limits_is_read(tmp_path):
    """The limits are maxima, not one less: a workbook holding exactly as much is read."""
    path = hostile.many_shared_strings(tmp_path / "pas.xlsx", 1000)
    t = read_table(path, path.name, ReadOptions(xlsx_limits=SMALL))
    assert t.row_count == 1


def test_a_sheet_claiming_the_whole_grid_is_read_as_the_table_it_holds(tmp_path):
    path = hostile.huge_dimension_claim(tmp_path / "klaim.xlsx")
    t = read_table(path, path.name)
    assert [c.name for c in t.columns] == ["kabupaten", "jumlah"]
    assert list(t.rows()) == [("Kota Mataram", 14), ("Kota Bima", 21), ("Kabupaten Dompu", 28)]


def test_the_portal_refuses_a_hostile_upload_in_indonesian_and_stores_nothing(tmp_path, database_url):
    from tests.conftest import make_app
    from tests.factories import make_users

    app = make_app(tmp_path, database_url, XLSX_LIMITS={"max_shared_strings": 1000})
    try:
        with app.app_context():
            email, password = make_users()["org_admin"]
        client = app.test_client()
        client.post("/user/login", data={"email": email, "password": password})
        path = hostile.many_shared_strings(tmp_path / "bom_teks.xlsx", 5000)
        with open(path, "rb") as fh:
            resp = client.post("/admin/upload", data={"file": (fh, path.name)}, content_type="multipart/form-data")
        body = resp.get_data(as_text=True)
        assert resp.status_code == 400 and "Traceback" not in body and str(tmp_path) not in body
        message = body.split('class="flash error"')[1].split("</div>")[0]
        assert "lebih dari 1000 teks yang berbeda" in message and "CSV" in message, message
        assert [p for p in os.listdir(app.config["DATASETS_DIR"]) if not p.startswith(".")] == []
    finally:
        app.extensions["db_engine"].dispose()


# The child's own high-water mark (VmHWM): its ru_maxrss would start at the size of the pytest
# process it was forked from.
_CHILD = """
import json, sys
from app.ingest import TableRefused, read_table
try:
    read_table(sys.argv[1], "bom.xlsx")
    code = None
except TableRefused as exc:
    code = exc.note.code
with open("/proc/self/status") as status:
    kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"code": code, "peak_rss_mb": kb / 1024}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory read from Linux's /proc")
def test_the_reported_six_million_string_bomb_is_refused_at_the_default_limits_under_300_mb(tmp_path):
    path = hostile.many_shared_strings(tmp_path / "bom.xlsx")  # the reported shape: 15 MB, 6,000,000 strings
    assert 10 * 2**20 < path.stat().st_size < 20 * 2**20
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, env=env,
                          cwd=str(ROOT), timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["code"] == "xlsx_too_many_strings"
    assert out["peak_rss_mb"] < 300, out  # it took over 1 GB before it was counted while streamed


def test_a_damaged_part_is_refused_with_the_message_not_the_zip_error(tmp_path):
    import zipfile

    path = hostile.many_shared_strings(tmp_path / "rusak.xlsx", 3000)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/sharedStrings.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 200:start + 400] = bytes(200)  # the deflate stream broken half-way
    path.write_bytes(bytes(data))
    refusal = _refusal(path, XlsxLimits())
    assert refusal.note.code == "xlsx_unreadable"
    assert "save it again as .xlsx" in _says_what_without_server_details(refusal, tmp_path)
