"""Running the `portal` command as a real process on a test's folders (to start it, or kill it)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def portal_command() -> list[str]:
    """The installed `portal` console script beside this Python, else its entry point."""
    script = Path(sys.executable).with_name("portal")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from app.cli import main; sys.argv[0] = 'portal'; sys.exit(main())"]


def portal_environment(folder: Path, database_url: str) -> dict[str, str]:
    """Everything configurable points into `folder`, where `make_app(folder, ...)` puts it too
    (SECRET_KEY unset: the portal makes its own)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SITE_URL", "FLASK_APP")}
    env.update({
        "DATABASE_URL": database_url,
        "DATASETS_DIR": str(folder / "datasets"),
        "SEARCH_INDEX_DIR": str(folder / "search_index"),
        "PORTAL_INSTANCE_PATH": str(folder / "instance"),
        "QUARANTINE_DIR": str(folder / "instance" / "quarantine"),
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
    })
    return env
