"""An upload writes its typed table while the file is read (one pass), and the table, its
summary and its kept chart are exactly what reading the file twice would give."""
from __future__ import annotations

import datetime as dt
import gc
import os
from pathlib import Path

import pytest

from app import tables
from app.tables import writer as table_writer
from app.ingest import CHUNK_ROWS, ReadOptions, TableRefused, read_table
from app.tables import TableWriter

from samples import SAMPLES

FILES = Path(__file__).resolve().parent / "files" / "ingest"
READABLE = [p for p in SAMPLES.iterdir() if p.suffix in (".csv", ".xlsx")] + [
    FILES / n for n in ("anggaran_cp1252.csv", "kolom_campur.csv", "laporan_berjudul.csv",
                        "laporan_lks.xlsx", "pipa.txt", "tab.tsv", "unicode_text_utf16.txt")]


def _stored(path) -> list[tuple]:
    with tables.Table(path) as table:  # the rows as stored (dates as ISO text, in both engines)
        db = table.db
        return [tuple(row[1:]) for row in db.execute(f"SELECT _id, {', '.join(table._read)} FROM {db.data} "
                                                     "ORDER BY _id")]


def _as_stored(rows) -> list[tuple]:
    return [tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row) for row in rows]


def _write(table_at, file: Path, options: ReadOptions | None = None, name: str | None = None):
    target = table_at("table.sqlite")
    with TableWriter(target) as writer:
        parsed = read_table(file, name or file.name, options, sink=writer)
        built = writer.finish([c.as_dict() for c in parsed.columns])
    return parsed, target, built


@pytest.mark.parametrize("file", READABLE, ids=lambda p: p.name)
def test_each_file_is_written_in_one_pass_as_a_second_reading_gives_it(table_at, file):
    parsed, target, built = _write(table_at, file)
    assert parsed.passes == 1
    assert _stored(target) == _as_stored(parsed.rows())
    assert built["row_count"] == parsed.row_count > 0
    with tables.Table(target) as table:
        assert [c["type"] for c in table.columns] == [c.type for c in parsed.columns]


def _csv(path: Path, header: str, lines: list[str]) -> Path:
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_type_that_changes_after_the_first_rows_makes_a_second_pass(tmp_path, table_at):
    n = CHUNK_ROWS + 500
    lines = [f"Kab {i % 7},{i},{2015 + i % 10}," for i in range(n)]
    lines[-1] = "Kab 1,7.5,1850,12"  # a decimal, a year out of range, a first value in an empty column
    file = _csv(tmp_path / "late.csv", "kabupaten,jumlah,tahun,catatan", lines)
    parsed, target, _ = _write(table_at, file)
    assert parsed.passes == 2
    assert [c.type for c in parsed.columns] == ["text", "decimal", "integer", "integer"]
    stored = _stored(target)
    assert stored == _as_stored(parsed.rows()) and len(stored) == n
    assert stored[0] == ("Kab 0", 0.0, 2015, None) and stored[-1] == ("Kab 1", 7.5, 1850, 12)
    assert type(stored[1][1]) is float


def test_forced_types_and_dropped_columns_are_written_in_one_pass(tmp_path, table_at):
    lines = [f"Kab {i % 3},{i},0{i % 9}" for i in range(CHUNK_ROWS * 2 + 3)]
    file = _csv(tmp_path / "opsi.csv", "kabupaten,jumlah,kode", lines)
    options = ReadOptions(column_types={"jumlah": "text"}, drop_columns=["kabupaten"])
    parsed, target, _ = _write(table_at, file, options)
    assert parsed.passes == 1 and [(c.name, c.type) for c in parsed.columns] == [("jumlah", "text"), ("kode", "text")]
    assert _stored(target) == _as_stored(parsed.rows())
    assert _stored(target)[10] == ("10", "01")


def test_a_ragged_row_deep_in_a_big_file_is_refused_and_the_table_discarded(tmp_path, table_at):
    lines = [f"Kab {i % 7},{i}" for i in range(3 * CHUNK_ROWS)]
    lines[2 * CHUNK_ROWS + 10] = "Kab 1,5,6,7"
    file = _csv(tmp_path / "ragged_besar.csv", "kabupaten,jumlah", lines)
    with pytest.raises(TableRefused) as info:
        _write(table_at, file)
    assert info.value.note.code == "ragged_row" and info.value.note.params["row"] == 2 * CHUNK_ROWS + 12


def test_an_upload_refused_deep_in_the_file_stores_nothing(app, users, tmp_path):
    from app.services import datasets, resources
    from app.services.errors import ValidationError

    from factories import user

    lines = [f"Kab {i % 7},{i}" for i in range(3 * CHUNK_ROWS)]
    lines[-5] = "Kab 1,5,6"
    file = _csv(tmp_path / "ragged_besar.csv", "kabupaten,jumlah", lines)
    with app.app_context():
        admin = user("sysadmin")
        ds = datasets.create(admin, {"title": "Tabel besar"})
        with open(file, "rb") as fh, pytest.raises(ValidationError):
            resources.upload(admin, ds.id, fh, file.name)
        assert datasets.for_update(admin, ds.id).resources == []
    root = app.config["DATASETS_DIR"]
    assert [p for p in os.listdir(root) if not p.startswith(".")] == []
    assert os.listdir(os.path.join(root, ".incoming")) == []


COLUMNS = [{"name": "kabupaten", "type": "text"}, {"name": "jumlah", "type": "integer"},
           {"name": "rasio", "type": "decimal"}, {"name": "tanggal", "type": "date"},
           {"name": "tahun", "type": "year"}, {"name": "kode", "type": "region_code"}]


def _rows(n: int):
    for i in range(n):
        yield (None if i % 11 == 0 else f"Kab {i % 13}",
               None if i % 7 == 0 else i % 500 - 20,
               None if i % 5 == 0 else (i % 97) / 8,
               None if i % 3 == 0 else dt.date(2020 + i % 4, 1 + i % 12, 1 + i % 28),
               2015 + i % 9,
               "52.01" if i % 2 else "52.72")


def _sql_summary(path) -> dict:
    """The summary as SQL computes it over the written table (the reference)."""
    out = {}
    with tables.Table(path) as table:
        con, data = table.db, table.db.data
        for i, c in enumerate(COLUMNS):
            nulls = con.execute(f"SELECT count(*) FROM {data} WHERE c{i} IS NULL").fetchone()[0]
            entry = {"nulls": nulls}
            value = table._read[i]
            if c["type"] in tables.NUMERIC:
                mn, mx, total = con.execute(f"SELECT min(c{i}), max(c{i}), {con.total(f'c{i}')} FROM {data}").fetchone()
                entry.update({"min": mn, "max": mx, "sum": total if c["type"] == "decimal" else int(total)})
            else:
                top = con.execute(f"SELECT {value}, count(*) AS n FROM {data} WHERE c{i} IS NOT NULL "
                                  f"GROUP BY c{i} ORDER BY n DESC, c{i} LIMIT 10").fetchall()
                distinct = con.execute(f"SELECT count(DISTINCT c{i}) + max(CASE WHEN c{i} IS NULL THEN 1 ELSE 0 END) "
                                       f"FROM {data}").fetchone()[0]
                entry.update({"top": [list(t) for t in top], "distinct": distinct})
                if c["type"] == "date":
                    entry.update(dict(zip(("min", "max"), con.execute(
                        f"SELECT min({value}), max({value}) FROM {data}").fetchone())))
            out[c["name"]] = entry
    return out


def _close(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name in a:
        for key in a[name]:
            if isinstance(a[name][key], float):
                assert a[name][key] == pytest.approx(b[name][key], rel=1e-12), (name, key)
            else:
                assert a[name][key] == b[name][key], (name, key)


def test_the_summary_learnt_while_writing_equals_the_tables_own_sums(table_at):
    path = table_at("t.sqlite")
    built = tables.build(path, COLUMNS, _rows(3 * tables.BATCH + 17))
    _close(built["summary"], _sql_summary(path))
    assert built["summary"]["kabupaten"]["nulls"] > 0 and built["summary"]["jumlah"]["min"] == -20


def test_a_text_column_with_very_many_values_is_summarised_from_its_index(table_at, monkeypatch):
    monkeypatch.setattr(table_writer, "DISTINCT_CAP", 8)  # Kab 0..12 and the dates overflow it
    path = table_at("t.sqlite")
    built = tables.build(path, COLUMNS, _rows(2000))
    reference = _sql_summary(path)
    for name in ("kabupaten", "tanggal"):
        reference[name]["distinct"] = min(reference[name]["distinct"], 9)  # counted up to the cap
    _close(built["summary"], reference)


def test_an_all_empty_numeric_column_sums_to_zero(table_at):
    path = table_at("t.sqlite")
    columns = [{"name": "a", "type": "integer"}, {"name": "b", "type": "decimal"}]
    built = tables.build(path, columns, [(None, None)] * 3)
    assert built["summary"] == {"a": {"nulls": 3, "min": None, "max": None, "sum": 0},
                                "b": {"nulls": 3, "min": None, "max": None, "sum": 0.0}}


def test_the_kept_chart_equals_grouping_the_table_with_empty_labels_and_values(table_at):
    path = table_at("t.sqlite")
    tables.build(path, COLUMNS, _rows(5000))
    with tables.Table(path) as table:
        for y in (1, 2):
            db = table.db
            live = [tuple(r) for r in db.execute(
                f"SELECT c0, {db.total(f'c{y}')} AS s FROM {db.data} GROUP BY c0 ORDER BY s DESC LIMIT 30")]
            kept = table._kept_chart(0, y, tables.CHART_BARS)
            assert sorted(kept, key=str) == sorted(live, key=str)
            assert None in [label for label, _ in kept]  # the rows without a kabupaten are a bar too


class _SeesCollector:
    """An inspector that records whether the cyclic collector runs while rows are read."""

    def start(self, columns):
        self.enabled = []

    def feed(self, row):
        self.enabled.append(gc.isenabled())


def test_reading_a_table_leaves_the_collector_to_the_rest_of_the_process(tmp_path):
    """gc is process-wide: a read that paused it would pause it for every request a threaded server serves."""
    assert gc.isenabled()
    seen = _SeesCollector()
    read_table(SAMPLES / "lks_per_kabupaten_2021_2024.csv", "lks.csv", inspectors=[seen])
    assert seen.enabled and all(seen.enabled)
    assert gc.isenabled()
    with pytest.raises(TableRefused):
        read_table(FILES / "ragged.csv", "ragged.csv")
    assert gc.isenabled()
    gc.disable()  # nor does a read turn it on behind a caller that paused it
    try:
        read_table(SAMPLES / "lks_per_kabupaten_2021_2024.csv", "lks.csv")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_counts_that_reach_thousands_later_keep_the_single_pass(tmp_path, table_at):
    n = CHUNK_ROWS + 100
    lines = [f"Kab {i % 7};{i % 900}" for i in range(n)] + ["Kab 1;1.234", "Kab 2;12.500"]
    file = _csv(tmp_path / "urut.csv", "kabupaten;jumlah", lines)
    parsed, target, built = _write(table_at, file)
    assert parsed.passes == 1
    assert [(c.type, c.number_style) for c in parsed.columns][1] == ("integer", "id")
    stored = _stored(target)
    assert stored == _as_stored(parsed.rows()) and stored[-2:] == [("Kab 1", 1234), ("Kab 2", 12500)]
    assert built["summary"]["jumlah"]["max"] == 12500
