"""A big upload's review does not wait for its page keys: on PostgreSQL the worker keeps them after
the commit that makes the table visible (a second queue task), and the pages are the same rows
before and after they are there. A key the queue lost is kept by `portal check --repair`.

SQLite table files are written with their page keys (a file is not shared until it is whole).
"""
from __future__ import annotations

import json
import time

import pytest

from tests.factories import dataset_with_table, user

KABUPATEN = ["Mataram", "Lombok Barat", "Lombok Tengah", "Lombok Timur", "Sumbawa", "Dompu", "Bima"]


@pytest.fixture
def big_upload(app, users, tmp_path):
    """A 2,600-row table (past two kept keys of every order), uploaded through the service."""
    path = tmp_path / "penerima_bantuan_per_kecamatan.csv"
    lines = ["kabupaten,tahun,jumlah_penerima"]
    lines += [f"{KABUPATEN[i % 7]},{2015 + i % 9},{100 + (i * 37) % 900}" for i in range(2_600)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with app.app_context():
        admin = user("org_admin")
        _ds, result = dataset_with_table(admin, path=path)
        return admin, result.version.id, result.version.table_file


def _pages(app, admin, version_id):
    """The rows of page 1, 50 and 104 (the last) in every order, as a reader gets them."""
    from app import db, tables
    from app.models import ResourceVersion
    from app.services import tables as table_service

    with app.app_context():
        version = db.session().get(ResourceVersion, version_id)
        with table_service.open_table(version, admin) as table:
            return {(sort, desc, number): table.page(tables.Query(sort=sort, desc=desc, page=number, locate=True)).row_ids
                    for sort in (None, "kabupaten", "tahun", "jumlah_penerima") for desc in (False, True)
                    for number in (1, 50, 104)}


def _wait_until_kept(app, table_file, timeout=60):
    from app.services import datastore

    deadline = time.monotonic() + timeout
    with app.app_context():
        while table_file in datastore.tables_without_page_keys():
            assert time.monotonic() < deadline, f"the worker kept no page keys for {table_file} in {timeout} s"
            time.sleep(0.05)


def _drop_keys(app, table_file):
    from app import db
    from app.services import datastore

    with app.app_context(), db.engine().begin() as con:
        con.exec_driver_sql(f"DROP TABLE {datastore.pg_table(table_file).qualified('__k')}")


def test_the_worker_keeps_the_page_keys_after_the_commit_and_pages_hold_the_same_rows_without_them(app, runner,
                                                                                                    big_upload):
    from app.services import datastore

    admin, version_id, table_file = big_upload
    if not datastore.in_database(table_file):
        with app.app_context():
            assert datastore.tables_without_page_keys() == [] and not datastore.keep_page_keys(table_file)
        assert len(set(map(tuple, _pages(app, admin, version_id).values()))) > 20  # pages differ by order
        return
    _wait_until_kept(app, table_file)
    with_keys = _pages(app, admin, version_id)
    assert all(len(ids) == 25 for ids in with_keys.values())
    with app.app_context():
        assert not datastore.keep_page_keys(table_file)  # kept once: a second delivery does nothing

    # The queue lost them (a worker killed after the commit): the pages are the same rows, and
    # `portal check --repair` keeps them again.
    _drop_keys(app, table_file)
    with app.app_context():
        assert datastore.tables_without_page_keys() == [table_file]
    assert _pages(app, admin, version_id) == with_keys
    checked = runner.invoke(args=["check"])
    assert checked.exit_code == 0 and json.loads(checked.output.strip().splitlines()[-1])["clean"]
    repaired = runner.invoke(args=["check", "--repair"])
    report = json.loads(repaired.output.strip().splitlines()[-1])
    assert repaired.exit_code == 0 and "page keys kept: 1 tables" in report["repaired"], repaired.output
    with app.app_context():
        assert datastore.tables_without_page_keys() == []
    assert _pages(app, admin, version_id) == with_keys


def test_keeping_the_page_keys_of_a_deleted_version_does_nothing(app, big_upload):
    from app.services import datastore, resources

    admin, version_id, table_file = big_upload
    if not datastore.in_database(table_file):
        pytest.skip("PostgreSQL keeps page keys after the commit; a SQLite file has them from the start")
    _wait_until_kept(app, table_file)
    _drop_keys(app, table_file)
    with app.app_context():
        resources.delete_version(admin, version_id)
        assert not datastore.keep_page_keys(table_file)  # the table went with its version
        assert table_file not in datastore.tables_without_page_keys()
