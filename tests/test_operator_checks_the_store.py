"""An operator checks the stored files and repairs what can be repaired; a visitor who meets a
dataset whose file is missing or damaged gets "temporarily unavailable" (503), never a 500.

Every file here is real (the test removes, damages or changes it on disk, as a failing disk or
a careless operator would); `portal check` runs as the CLI command.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.factories import dataset_with_table, user
from tests.support.table_targets import StoredTable

UNAVAILABLE_ID = "Tabel ini tidak tersedia sementara"
UNAVAILABLE_EN = "This table is temporarily unavailable"


@pytest.fixture
def published(app, users):
    """A published dataset with one table; its version folder, table file name and ids."""
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), publish=True)
        folder = Path(app.config["DATASETS_DIR"]) / result.resource.id / f"v{result.version.number}"
        return {"name": ds.name, "resource": result.resource.id, "folder": folder,
                "table": StoredTable(app, folder, result.version.table_file)}


def _pages(spot):
    base = f"/dataset/{spot['name']}/resource/{spot['resource']}"
    return {"dataset": f"/dataset/{spot['name']}", "resource": base,
            "csv": f"{base}/download/{spot['name']}.csv", "xlsx": f"{base}/download/{spot['name']}.xlsx",
            "json": f"{base}/download/{spot['name']}.json", "original": f"{base}/original",
            "api": f"/api/3/action/datastore_search?resource_id={spot['resource']}"}


def _check(runner, *args):
    result = runner.invoke(args=["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.output.strip().splitlines()[-1]), result.output


@pytest.mark.parametrize("damage", ["removed", "overwritten"])
def test_a_visitor_meets_a_missing_or_damaged_table_as_temporarily_unavailable(client, published, damage):
    csv_before = client.get(_pages(published)["csv"]).data
    if damage == "removed":
        published["table"].remove()
    else:
        published["table"].damage()

    page = client.get(_pages(published)["dataset"])
    assert page.status_code == 503 and page.headers["Retry-After"]
    body = page.get_data(as_text=True)
    assert UNAVAILABLE_ID in body and "Uji korban" in body and "Metadata" in body  # notice + metadata
    for what in ("resource", "csv", "xlsx", "json"):
        answer = client.get(_pages(published)[what])
        assert answer.status_code == 503, what
        assert UNAVAILABLE_ID in answer.get_data(as_text=True), what
        assert str(published["folder"]) not in answer.get_data(as_text=True)  # no server path
    english = client.get(_pages(published)["resource"] + "?lang=en")
    assert english.status_code == 503 and UNAVAILABLE_EN in english.get_data(as_text=True)
    api = client.get(_pages(published)["api"])
    assert api.status_code == 503 and api.json["error"]["__type"] == "Service Unavailable"
    assert client.get("/").status_code == 200 and client.get("/dataset/").status_code in (200, 404)
    assert csv_before  # the download worked before the damage


def test_a_missing_original_is_unavailable_not_a_500(client, published):
    for f in published["folder"].glob("original*"):
        f.unlink()
    answer = client.get(_pages(published)["original"])
    assert answer.status_code == 503 and UNAVAILABLE_ID in answer.get_data(as_text=True)


def test_check_finds_a_missing_table_and_repair_builds_it_again_from_the_original(client, runner, published):
    csv_before = client.get(_pages(published)["csv"]).data
    code, report, _ = _check(runner)
    assert code == 0 and report["clean"] and report["checked_versions"] == 1 and report["checked_bytes"] > 0

    published["table"].remove()
    code, report, output = _check(runner)
    assert code == 1 and not report["clean"]
    assert [(p["kind"], p["repairable"]) for p in report["problems"]] == [("table_unreadable", True)]
    assert "korban-bencana-sosial-2019-2024" in output and "--repair" in output

    code, report, output = _check(runner, "--repair")
    assert code == 0 and report["clean"], output
    assert any(r.startswith("table rebuilt") for r in report["repaired"])
    assert client.get(_pages(published)["dataset"]).status_code == 200
    assert client.get(_pages(published)["csv"]).data == csv_before  # the same table as before


def test_a_changed_original_is_reported_and_not_repaired(client, runner, published):
    (original,) = published["folder"].glob("original*")
    original.write_bytes(original.read_bytes() + b"\n")
    published["table"].remove()  # a table rebuilt from a changed file would publish other numbers
    code, report, _ = _check(runner, "--repair")
    assert code == 1
    kinds = sorted((p["kind"], p["repairable"]) for p in report["problems"])
    assert kinds == [("original_changed", False), ("table_unreadable", False)]
    assert report["repaired"] == []
    assert client.get(_pages(published)["resource"]).status_code == 503


def test_check_lists_old_leftovers_and_a_stale_index_and_repair_clears_both(app, runner, published):
    from app.services import search

    leftover = published["folder"].parent / "v7"
    leftover.mkdir()
    (leftover / "original.csv").write_bytes(b"a,b\n1,2\n")
    old = time.time() - 2 * app.config["UPLOAD_TIME_LIMIT_S"] - 60
    os.utime(leftover, (old, old))
    with app.app_context():
        (ds_id,) = search.search_index().indexed_facts().keys()
        search.search_index().delete([ds_id])

    code, report, _ = _check(runner)
    kinds = sorted(p["kind"] for p in report["problems"])
    assert code == 1 and kinds == ["index_missing", "leftover"]

    code, report, output = _check(runner, "--repair")
    assert code == 0 and report["clean"], output
    assert not leftover.exists() and published["folder"].is_dir()
    with app.app_context():
        assert search.check() == {"missing": [], "extra": [], "stale": []}
