"""Two machines' indexes on one database, in one process: the log of index changes that each
applies, its pruning, and a lagging index that rebuilds (the real servers: test_several_servers.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import IndexChange
from tests.conftest import make_app
from tests.factories import dataset_with_table, make_users, user


@pytest.fixture
def machines(tmp_path, database_url):
    first = make_app(tmp_path, database_url)
    second = make_app(tmp_path, database_url, SEARCH_INDEX_DIR=str(tmp_path / "second_index"))
    with first.app_context():
        make_users()
    yield first, second
    for app in (first, second):
        app.extensions["db_engine"].dispose()


def _names(app, q: str) -> list[str]:
    resp = app.test_client().get("/api/3/action/package_search", query_string={"q": q, "rows": 100})
    return sorted(p["name"] for p in resp.get_json()["result"]["results"])


def _newest(app) -> int:
    from app import db

    with app.app_context():
        return db.session().scalar(select(func.max(IndexChange.seq)))


def test_a_dataset_published_on_one_machine_is_found_on_the_other(machines):
    first, second = machines
    with first.app_context():
        dataset_with_table(user("org_admin"), name="log-terbit", title="Log Terbit Lombok", publish=True)
    assert _names(second, "lombok") == ["log-terbit"]
    index = second.extensions["search_index"]
    assert index.applied_seq() == _newest(first) and index.node_id() != first.extensions["search_index"].node_id()
    with first.app_context():
        from app.services import datasets

        datasets.unpublish(user("org_admin"), "log-terbit")
    assert _names(second, "lombok") == []
    assert "log-terbit" not in str(index.indexed())


def test_each_change_is_logged_once_naming_the_index_that_applied_it(machines):
    first, _second = machines
    from app import db

    with first.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="log-satu", title="Log Satu", publish=True)
        rows = db.session().execute(select(IndexChange.dataset_id, IndexChange.op, IndexChange.node)
                                    .order_by(IndexChange.seq)).all()
    node = first.extensions["search_index"].node_id()
    assert rows and {r.dataset_id for r in rows} == {ds.id} and {r.node for r in rows} == {node}
    assert rows[-1].op == "upsert" and [r.op for r in rows[:-1]] == ["delete"] * (len(rows) - 1)


def test_a_takedown_leaves_no_words_in_the_other_machines_index(machines):
    first, second = machines
    with first.app_context():
        from app.services import datasets

        ds, _ = dataset_with_table(user("org_admin"), name="log-turun", title="Log Turun Bima", publish=True)
        assert _names(second, "bima") == ["log-turun"]
        datasets.takedown(user("sysadmin"), ds.id, "Memuat NIK penerima bantuan")
    assert _names(second, "bima") == []
    searcher = second.extensions["search_index"]._searcher()
    assert not list(searcher.lexicon("title")) or b"bima" not in set(searcher.lexicon("title"))


def test_after_the_log_is_pruned_a_lagging_index_rebuilds_and_misses_nothing(machines, runner):
    first, second = machines
    assert _names(second, "log") == []  # the second machine has read the log so far
    with first.app_context():
        for name in ("log-lama-satu", "log-lama-dua"):
            dataset_with_table(user("org_admin"), name=name, title=f"Log {name}", publish=True)
    before = _newest(first)
    result = first.test_cli_runner().invoke(args=["search", "prune-log", "--days", "0"])
    assert result.exit_code == 0 and "Removed" in result.output, result.output
    from app import db

    with first.app_context():
        kept = db.session().scalars(select(IndexChange.seq)).all()
    assert kept == [before]  # only the newest stays: it tells the next number
    # Only the newest entry is left, for the second dataset: applying it alone would miss the first.
    assert _names(second, "log") == ["log-lama-dua", "log-lama-satu"]
    with first.app_context():
        dataset_with_table(user("org_admin"), name="log-baru", title="Log Baru", publish=True)
    assert _newest(first) > before
    assert _names(second, "log") == ["log-baru", "log-lama-dua", "log-lama-satu"]


def test_a_machine_whose_index_folder_is_new_builds_it_from_the_database(machines, tmp_path, database_url):
    first, _second = machines
    with first.app_context():
        dataset_with_table(user("org_admin"), name="log-awal", title="Log Awal Sumbawa", publish=True)
    third = make_app(tmp_path, database_url, SEARCH_INDEX_DIR=str(tmp_path / "third_index"))
    try:
        index = third.extensions["search_index"]
        assert index.applied_seq() == _newest(first)  # init-db built it
        assert "log-awal" in str(index.indexed()) or len(index.indexed()) == 1
        assert _names(third, "sumbawa") == ["log-awal"]
    finally:
        third.extensions["db_engine"].dispose()


def test_a_machine_whose_database_was_put_back_to_an_older_copy_rebuilds_its_index(machines):
    first, second = machines
    from sqlalchemy import delete

    from app import db
    from app.services import search as search_service

    with first.app_context():
        dataset_with_table(user("org_admin"), name="log-kembali", title="Log Kembali Dompu", publish=True)
        draft, _ = dataset_with_table(user("org_admin"), name="log-draf", title="Log Draf Dompu")
    assert _names(second, "dompu") == ["log-kembali"]
    with second.app_context():
        # What the older copy lacks: the log's end. The second index also holds a draft behind the
        # services' back, which only a rebuild from this database removes.
        with db.transaction() as s:
            s.execute(delete(IndexChange))
        second.extensions["search_index"].upsert([search_service.to_document(draft)])
        assert search_service.check()["extra"] == [draft.id]
    assert _names(second, "dompu") == ["log-kembali"]
    with second.app_context():
        assert search_service.check() == {"missing": [], "extra": [], "stale": []}
