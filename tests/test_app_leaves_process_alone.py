"""Importing the portal and building apps changes nothing for the rest of the process: no root
logging handler, no listener on SQLAlchemy's Session class. The portal's own sessions still
remove a committed folder and keep a rolled-back one."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import db
from app.services import quarantine, search

ROOT = Path(__file__).resolve().parent.parent

# A fresh interpreter: pytest itself puts handlers on the root logger, and an earlier test has
# long since imported everything, so only a new process shows what importing `app` does.
TWO_APPS = r"""
import logging, sys
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.orm import Session

import app
from app.services import quarantine, search

root = logging.getLogger()
before = (list(root.handlers), root.level)
folder = Path(sys.argv[1])
for n in (1, 2):
    app.create_app({
        "TESTING": True, "SECRET_KEY": "test",
        "DATABASE_URL": f"sqlite:///{folder / f'portal{n}.sqlite'}",
        "DATASETS_DIR": str(folder / f"datasets{n}"), "SEARCH_INDEX_DIR": str(folder / f"index{n}"),
        "INSTANCE_PATH": str(folder / f"instance{n}"),
        "QUARANTINE_DIR": str(folder / f"instance{n}" / "quarantine"),
    })
assert (list(root.handlers), root.level) == before, ("root logger changed", root.handlers, root.level)
for name, fn in [("after_commit", quarantine._remove_committed),
                 ("after_soft_rollback", quarantine._keep_rolled_back),
                 ("after_commit", search._forget_resync),
                 ("after_soft_rollback", search._resync_after_rollback)]:
    assert not event.contains(Session, name, fn), ("listener on Session", name, fn.__name__)
print("untouched")
"""


def test_importing_the_portal_and_building_two_apps_leaves_logging_and_sqlalchemy_alone(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    done = subprocess.run([sys.executable, "-c", TWO_APPS, str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "untouched"
    assert done.stderr == ""  # nothing logged to a handler the factory set up


@pytest.mark.parametrize("name, fn", [("after_commit", quarantine._remove_committed),
                                      ("after_soft_rollback", quarantine._keep_rolled_back),
                                      ("after_commit", search._forget_resync),
                                      ("after_soft_rollback", search._resync_after_rollback)])
def test_the_listeners_are_on_the_portal_sessions_only(app, name, fn):
    assert event.contains(app.extensions["db_sessionmaker"], name, fn)
    assert not event.contains(Session, name, fn)


def test_a_committed_removal_still_happens_and_a_rolled_back_one_does_not(app, tmp_path):
    committed, rolled_back, elsewhere = (tmp_path / n for n in ("committed", "rolled_back", "elsewhere"))
    for folder in (committed, rolled_back, elsewhere):
        folder.mkdir()
        (folder / "table.sqlite").write_bytes(b"x")
    with app.app_context():
        with db.transaction() as s:
            quarantine.remove_after_commit(s, [committed])
        with pytest.raises(RuntimeError), db.transaction() as s:
            s.connection()  # the transaction has begun, as a service's writes begin it
            quarantine.remove_after_commit(s, [rolled_back])
            raise RuntimeError("a later step failed")
        assert quarantine._REMOVE not in db.session().info
        # A session that is not the portal's gets none of its behaviour.
        with Session(db.engine()) as other:
            other.info[quarantine._REMOVE] = [elsewhere]
            other.commit()
    assert not committed.exists()
    assert (rolled_back / "table.sqlite").exists()
    assert (elsewhere / "table.sqlite").exists()
