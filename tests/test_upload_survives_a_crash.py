"""An upload killed half-way, or two uploads at once, never block a resource: the next upload
gets the next version, leftovers of a stopped process are cleaned, and concurrent new versions
each get their own number.

The uploads run as real `portal upload` processes on the test's folders, killed with SIGKILL
while the real search index's write lock (held by the test) stops them just before their commit.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.factories import SAMPLES, dataset_with_table, user
from tests.support.portal_process import portal_command, portal_environment
from tests.support.search_lock import hold_index_lock

SAMPLE = SAMPLES / "korban_bencana_sosial_2019_2024.csv"


def _variant(folder: Path, n: int) -> Path:
    """The sample with one count changed: a new file for a new version."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    head, first, rest = lines[0], lines[1].split(","), lines[2:]
    first[-1] = str(1000 + n)
    path = folder / f"korban_v{n}.csv"
    path.write_text("\n".join([head, ",".join(first), *rest]) + "\n", encoding="utf-8")
    return path


def _upload_process(folder: Path, database_url: str, file: Path, dataset: str, resource_id: str):
    return subprocess.Popen([*portal_command(), "upload", str(file), "--dataset", dataset, "--resource", resource_id],
                            cwd=folder, env=portal_environment(folder, database_url),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _version_numbers(resource_id: str) -> list[int]:
    from sqlalchemy import select

    from app import db
    from app.models import ResourceVersion

    db.session().expire_all()
    return sorted(db.session().scalars(select(ResourceVersion.number).where(ResourceVersion.resource_id == resource_id)))


def _kill_upload_before_its_commit(app, tmp_path, database_url, ds_name, resource_id, file: Path) -> Path:
    """Start a new-version upload, let it install its folder, SIGKILL it before the commit."""
    resource_dir = Path(app.config["DATASETS_DIR"]) / resource_id
    before = {p.name for p in resource_dir.iterdir()}
    held = hold_index_lock(app)  # the upload installs its files, then waits for the index
    try:
        proc = _upload_process(tmp_path, database_url, file, ds_name, resource_id)
        try:
            appeared = _wait_for(lambda: {p.name for p in resource_dir.iterdir()} - before)
            assert appeared, proc.stderr.read() if proc.poll() is not None else "no folder appeared"
            assert proc.poll() is None, "the upload ended before it could be killed"
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
            proc.stdout.close()
            proc.stderr.close()
    finally:
        held.cancel()
    (leftover,) = {p.name for p in resource_dir.iterdir()} - before
    return resource_dir / leftover


def test_an_upload_killed_after_its_folder_appeared_does_not_block_the_next_version(app, users, tmp_path,
                                                                                     database_url):
    from app.services import resources
    from app.services import tables as table_service

    with app.app_context():
        admin = user("org_admin")
        ds, first = dataset_with_table(admin, path=SAMPLE)
        resource_id = first.resource.id
        leftover = _kill_upload_before_its_commit(app, tmp_path, database_url, ds.name, resource_id,
                                                  _variant(tmp_path, 2))
        assert leftover.is_dir()  # what a killed process leaves: a folder no row points at
        assert _version_numbers(resource_id) == [1]

        new = _variant(tmp_path, 3)
        with open(new, "rb") as fh:
            result = resources.upload(admin, ds.id, fh, new.name, resource_id=resource_id)
        assert result.version.number == 2
        assert _version_numbers(resource_id) == [1, 2]
        with table_service.open_table(result.version, admin) as table:
            first_row = next(iter(table.iter_rows()))
        assert first_row[-1] == 1003  # the new file's table, not the killed upload's
        original = table_service.original_path(admin, result.version)
        assert hashlib.sha256(original.read_bytes()).hexdigest() == hashlib.sha256(new.read_bytes()).hexdigest()


def test_leftovers_of_killed_uploads_are_removed_once_older_than_twice_the_upload_time_limit(app, users, tmp_path,
                                                                                              database_url):
    from app.services import upkeep

    with app.app_context():
        admin = user("org_admin")
        ds, first = dataset_with_table(admin, path=SAMPLE)
        resource_id = first.resource.id
        leftover = _kill_upload_before_its_commit(app, tmp_path, database_url, ds.name, resource_id,
                                                  _variant(tmp_path, 2))
        installed = Path(app.config["DATASETS_DIR"]) / resource_id / "v1"
        staging = Path(app.config["QUARANTINE_DIR"]) / ".incoming"
        stale_staging = staging / "stale"
        stale_staging.mkdir(parents=True)
        (stale_staging / "original.csv").write_bytes(b"x" * 1024)
        orphan = Path(app.config["DATASETS_DIR"]) / "0f0e0d0c-no-such-resource" / "v1"
        orphan.mkdir(parents=True)

        young = upkeep.remove_leftovers()  # an upload may still be running: nothing young goes
        assert young.removed == [] and leftover.is_dir() and stale_staging.is_dir()

        limit = app.config["UPLOAD_TIME_LIMIT_S"]
        old = time.time() - 2 * limit - 60
        for path in (leftover, stale_staging, orphan, orphan.parent, installed):
            os.utime(path, (old, old))
        done = upkeep.remove_leftovers()
        assert not leftover.exists() and not stale_staging.exists() and not orphan.parent.exists()
        assert installed.is_dir()  # an old folder a row points at is data, not a leftover
        assert len(done.removed) == 3 and done.bytes >= 1024


def test_concurrent_new_versions_of_one_resource_each_get_their_own_number(app, users, tmp_path, database_url):
    with app.app_context():
        admin = user("org_admin")
        ds, first = dataset_with_table(admin, path=SAMPLE)
        resource_id = first.resource.id
        files = [_variant(tmp_path, n) for n in range(2, 7)]
        procs = [_upload_process(tmp_path, database_url, f, ds.name, resource_id) for f in files]
        outcomes = []
        for proc in procs:
            out, err = proc.communicate(timeout=180)
            outcomes.append((proc.returncode, out, err))
        assert [code for code, _, _ in outcomes] == [0] * len(files), [err[-2000:] for _, _, err in outcomes]
        assert not any("Traceback" in err for _, _, err in outcomes)
        numbers = sorted(json.loads(out.strip().splitlines()[-1])["version"] for _, out, _ in outcomes)
        assert numbers == [2, 3, 4, 5, 6]
        assert _version_numbers(resource_id) == [1, 2, 3, 4, 5, 6]
        folders = sorted(p.name for p in (Path(app.config["DATASETS_DIR"]) / resource_id).iterdir())
        assert folders == ["v1", "v2", "v3", "v4", "v5", "v6"]
