"""Twenty uploads, publishes, re-reads and new versions, each killed with SIGKILL at a random moment
(scripts/crash_test): after every kill the database is intact, `portal check --repair` ends clean,
no dataset is half-published and every earlier download is byte-identical."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_twenty_random_kills_lose_nothing_and_publish_nothing_by_half(tmp_path, database_url):
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "crash_test"), "--trials", "20",
                           "--folder", str(tmp_path / "portal"), "--database-url", database_url],
                          capture_output=True, text=True, timeout=900)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["failures"] == [], (outcome["seed"], done.stderr[-4000:])
    assert done.returncode == 0 and outcome["ok"]
    assert outcome["trials"] == 20
    assert outcome["killed"] >= 8  # of 16: the first run of each operation measures its time; some finish early
    assert set(outcome["killed_by_op"]) == {"new_dataset", "new_version", "reread", "another_table"}
    assert outcome["downloads_compared"] >= 4
