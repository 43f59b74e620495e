"""Reading an upload again changes its table only with its row: the new table file takes over
at the commit, so a re-read that fails leaves the old table, its row and its preview as they were."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.factories import dataset_with_table, user
from tests.support.search_lock import hold_index_lock
from tests.support.table_targets import stored_tables


def _files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _version_folder(app, version_id: str) -> Path:
    from app import db
    from app.models import ResourceVersion
    from app.services import quarantine

    return quarantine.version_dir(db.session().get(ResourceVersion, version_id))


def test_a_reread_whose_index_write_fails_keeps_the_old_table_and_row(app, users):
    from app.services import resources
    from app.services import tables as table_service
    from app.services.errors import ServiceError
    from app.services.search import IndexWriteError

    with app.app_context():
        admin = user("org_admin")
        ds, result = dataset_with_table(admin, "pmks_per_kabupaten_2023.csv")
        version_id = result.version.id
        folder = _version_folder(app, version_id)
        before_files = _files(folder)
        before_table = result.version.table_file
        assert stored_tables(folder) == [before_table]
        before_columns = [dict(c) for c in result.version.columns]
        held = hold_index_lock(app, writer_timeout=0.3)
        try:
            with pytest.raises((IndexWriteError, ServiceError)):
                resources.reread(admin, version_id, {"column_types": {"Fakir Miskin": "text"}})
        finally:
            held.cancel()
    with app.app_context():
        from app import db
        from app.models import ResourceVersion

        admin = user("org_admin")
        version = db.session().get(ResourceVersion, version_id)
        assert version.columns == before_columns
        assert version.table_file == before_table
        assert _files(folder) == before_files  # no new table left beside it, the old one whole
        assert stored_tables(folder) == [before_table]
        with table_service.open_table(version, admin) as table:
            rows = list(table.iter_rows())
        assert rows and all(len(row) == len(before_columns) for row in rows)


def test_a_reread_that_commits_switches_to_the_new_table_and_removes_the_old(app, users):
    from app.services import resources

    with app.app_context():
        admin = user("org_admin")
        ds, result = dataset_with_table(admin, "pmks_per_kabupaten_2023.csv")
        version_id = result.version.id
        folder = _version_folder(app, version_id)
        before_table = result.version.table_file
        version = resources.reread(admin, version_id, {"column_types": {"Fakir Miskin": "text"}})
        assert {c["name"]: c["type"] for c in version.columns}["Fakir Miskin"] == "text"
        assert version.table_file != before_table
        assert stored_tables(folder) == [version.table_file]
