"""The typed tables live where the configuration says: SQLite files in the embedded default, tables
of PostgreSQL's datastore schema with a PostgreSQL DATABASE_URL (this suite's second pass). The
same `Table` reads both; these tests prove each pass really uses its own engine."""
from __future__ import annotations

import pytest

from tests.factories import dataset_with_table, user
from tests.support.table_targets import stored_tables


def _datastore_tables(app) -> set[str]:
    from app import db
    from app.services import datastore
    from app.tables import pg_engine

    with app.app_context(), db.engine().connect() as con:
        return pg_engine.table_names(con.connection.driver_connection, datastore.datastore_schema())


def test_an_uploaded_table_lives_in_the_engine_the_configuration_chooses(app, users):
    from app import db
    from app.services import datastore, quarantine, resources
    from app.services import tables as table_service

    with app.app_context():
        admin = user("org_admin")
        _ds, result = dataset_with_table(admin, "pmks_per_kabupaten_2023.csv")
        version = result.version
        folder = quarantine.version_dir(version)
        postgres = db.engine().dialect.name == "postgresql"
        with table_service.open_table(version, admin) as table:
            assert table.engine == ("postgresql" if postgres else "sqlite")
            assert table.count_rows() == version.row_count > 0
        if not postgres:
            assert version.table_file == "table.sqlite" and (folder / "table.sqlite").is_file()
            assert datastore.datastore_schema() is None
            return
        # PostgreSQL: a table in the datastore schema with real column types, no file beside the original
        name = version.table_file.removeprefix("pg:")
        assert version.table_file.startswith("pg:") and name.startswith("v" + version.id.replace("-", "")[:24])
        assert sorted(p.name for p in folder.iterdir()) == ["original.csv"]
        schema = datastore.datastore_schema()
        assert schema.endswith("datastore") and name in _datastore_tables(app)
        with db.engine().connect() as con:
            types = dict(con.exec_driver_sql(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = %s", (schema, name)).all())
            indexes = con.exec_driver_sql("SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND tablename = %s",
                                          (schema, name)).scalar()
        by_type = {c["type"] for c in version.columns}
        assert types["_id"] == "bigint" and "integer" in by_type
        assert {types[f"c{i}"] for i, c in enumerate(version.columns) if c["type"] == "integer"} == {"bigint"}
        assert {types[f"c{i}"] for i, c in enumerate(version.columns) if c["type"] == "text"} <= {"text"}
        assert indexes == 1 + len(version.columns)  # the key, and one per column as SQLite's
        # A deleted version's table goes with it.
        resources.delete_version(admin, version.id)
        assert name not in _datastore_tables(app)


def test_reading_a_postgresql_table_cannot_write(app, users):
    from app import db
    from app.services import tables as table_service

    with app.app_context():
        if db.engine().dialect.name != "postgresql":
            pytest.skip("PostgreSQL's read-only transactions")
        admin = user("org_admin")
        _ds, result = dataset_with_table(admin, "pmks_per_kabupaten_2023.csv")
        import psycopg

        with table_service.open_table(result.version, admin) as table:
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                table.db.execute(f"DELETE FROM {table.db.data}")


def test_a_refused_upload_and_a_failed_reread_leave_no_table_behind(app, users, tmp_path):
    from app.services import datasets, quarantine, resources
    from app.services.errors import ValidationError

    bad = tmp_path / "ragged.csv"
    bad.write_text("kabupaten,jumlah\n" + "".join(f"Kab {i % 7},{i}\n" for i in range(3000)) + "Kab 1,5,6\n",
                   encoding="utf-8")
    with app.app_context():
        admin = user("org_admin")
        _ds, result = dataset_with_table(admin, "pmks_per_kabupaten_2023.csv")
        folder = quarantine.version_dir(result.version)
        before = stored_tables(folder)
        ds = datasets.create(admin, {"title": "Tabel rusak"})
        with open(bad, "rb") as fh, pytest.raises(ValidationError):
            resources.upload(admin, ds.id, fh, bad.name)
        with pytest.raises(ValidationError):
            resources.reread(admin, result.version.id, {"header_row": 99})
        assert stored_tables(folder) == before
        assert datasets.for_update(admin, ds.id).resources == []


def test_check_finds_a_table_no_version_names_and_repair_drops_it(app, users, runner):
    import json

    from app import db
    from app.services import datastore

    with app.app_context():
        if db.engine().dialect.name != "postgresql":
            pytest.skip("a PostgreSQL table left by a drop that waited too long")
        dataset_with_table(user("org_admin"), "pmks_per_kabupaten_2023.csv")
        schema = datastore.datastore_schema()
        with db.engine().begin() as con:
            con.exec_driver_sql(f'CREATE TABLE "{schema}".vdeadbeef_000000 (_id bigint)')
    result = runner.invoke(args=["check"])
    report = json.loads(result.output.strip().splitlines()[-1])
    assert [p["kind"] for p in report["problems"]] == ["leftover"]
    assert "vdeadbeef_000000" in report["problems"][0]["subject"]
    result = runner.invoke(args=["check", "--repair"])
    assert json.loads(result.output.strip().splitlines()[-1])["clean"], result.output
    assert "vdeadbeef_000000" not in _datastore_tables(app)
